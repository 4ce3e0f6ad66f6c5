import Foundation
import TestSupport

/// `Fixtures/png/expected.json`, written by `Tools/fixtures/png.py`.
struct PNGExpectations: Decodable {
  struct Pixels: Decodable {
    var pixels: [UInt8]
    var exact: Bool
  }

  struct Entry: Decodable {
    var width: Int
    var height: Int
    var naturalChannels: Int
    var channels1: Pixels
    var channels3: Pixels
    var channels4: Pixels

    enum CodingKeys: String, CodingKey {
      case width, height
      case naturalChannels = "natural_channels"
      case channels1 = "channels_1"
      case channels3 = "channels_3"
      case channels4 = "channels_4"
    }

    func pixels(channels: Int) -> Pixels {
      switch channels {
      case 1: channels1
      case 3: channels3
      default: channels4
      }
    }
  }

  var files: [String: Entry]
  var invalid: [String: String]

  static func load() throws -> PNGExpectations {
    try Fixture.json(PNGExpectations.self, "png/expected.json", bundle: .module)
  }
}

/// Valid fixtures written by `Tools/fixtures/png.py`.
let validPNGFixtures = [
  "filters_rgb8_6x5.png", "gray16_4x2.png", "gray1_9x2.png", "gray8_3x5.png", "graya8_2x2.png",
  "interlaced_rgb8_7x9.png", "palette4_trns_5x2.png", "palette8_4x3.png", "rgb16_3x2.png",
  "rgb8_5x3.png", "rgba8_1x1.png", "rgba8_4x4.png",
]

/// Invalid fixtures written by `Tools/fixtures/png.py`.
let invalidPNGFixtures = [
  "bad_bit_depth.png", "bad_crc.png", "bomb_16000x16000.png", "empty.png",
  "huge_100000x1.png", "huge_20000x20000.png", "missing_idat.png", "not_png.png",
  "signature_only.png", "truncated_header.png", "truncated_idat.png", "zero_width.png",
]

/// The largest difference between two byte arrays of equal length (or `Int.max`).
func maximumDifference(_ a: [UInt8], _ b: [UInt8]) -> Int {
  guard a.count == b.count else { return .max }
  return zip(a, b).map { abs(Int($0) - Int($1)) }.max() ?? 0
}
