import Foundation
import TestSupport
import Testing

@testable import ImageFiles
@testable import Tensors

@Suite struct PNGImageTests {
  @Test("the fixture lists match expected.json")
  func fixtureListsAreComplete() throws {
    let expectations = try PNGExpectations.load()
    #expect(Set(expectations.files.keys) == Set(validPNGFixtures))
    #expect(Set(expectations.invalid.keys) == Set(invalidPNGFixtures))
  }

  @Test("reads independent-encoder fixtures in their natural layout", arguments: validPNGFixtures)
  func readsNatural(name: String) throws {
    let expected = try #require(try PNGExpectations.load().files[name])
    let image = try PNGImage(contentsOf: Fixture.url("png/\(name)", bundle: .module))
    #expect(image.width == expected.width)
    #expect(image.height == expected.height)
    #expect(image.channels == expected.naturalChannels)
    let reference = expected.pixels(channels: expected.naturalChannels)
    #expect(reference.exact)
    #expect(image.pixels == reference.pixels)
  }

  @Test(
    "converts fixtures to 1, 3 and 4 channels",
    arguments: validPNGFixtures, [1, 3, 4])
  func convertsChannels(name: String, channels: Int) throws {
    let expected = try #require(try PNGExpectations.load().files[name])
    let data = try Fixture.data("png/\(name)", bundle: .module)
    let image = try PNGImage(data: data, channels: channels)
    #expect(image.channels == channels)
    #expect(image.width == expected.width && image.height == expected.height)
    let reference = expected.pixels(channels: channels)
    if reference.exact {
      #expect(image.pixels == reference.pixels)
    } else {
      #expect(maximumDifference(image.pixels, reference.pixels) <= Self.conversionLevels)
    }
  }

  /// Allowed error of gamma-correct conversions, in 8-bit levels.
  ///
  /// The script computes them in
  /// float64; libpng goes through 8-bit linear intermediates (its `gamma_to_1` table for
  /// colour → gray, premultiplied "optimized" alpha for compositing), which costs up to about
  /// six levels in dark tones. Measured maximum on these fixtures: 3 (gray) and 5 (compositing).
  static let conversionLevels = 6

  @Test("the conversion tolerance still catches a wrong conversion (negative control)")
  func conversionNegativeControl() throws {
    let expected = try #require(try PNGExpectations.load().files["rgba8_4x4.png"])
    let data = try Fixture.data("png/rgba8_4x4.png", bundle: .module)
    // Compositing in sRGB space instead of linear light differs by more than one level.
    let decoded = try PNGImage(data: data, channels: 4).pixels
    var naive: [UInt8] = []
    for p in stride(from: 0, to: decoded.count, by: 4) {
      let alpha = Double(decoded[p + 3]) / 255
      naive += (0..<3).map { UInt8((Double(decoded[p + $0]) * alpha).rounded()) }
    }
    #expect(maximumDifference(naive, expected.channels3.pixels) > Self.conversionLevels)
  }

  static let roundTripSizes = [(1, 1), (3, 5), (5, 3), (16, 9), (31, 2)]

  @Test("encode then decode returns the same pixels", arguments: [1, 3, 4], roundTripSizes)
  func roundTrip(channels: Int, size: (Int, Int)) throws {
    let (width, height) = size
    var rng = RandomGenerator(seed: UInt64(width * 100 + height * 10 + channels))
    let pixels = (0..<(width * height * channels)).map { _ in UInt8(truncatingIfNeeded: rng.next())
    }
    let image = PNGImage(width: width, height: height, channels: channels, pixels: pixels)
    let decoded = try PNGImage(data: image.encoded())
    #expect(decoded == image)
    try withTemporaryDirectory { directory in
      let url = directory.appending(path: "image.png")
      try image.write(to: url)
      #expect(try PNGImage(contentsOf: url) == image)
      #expect(try PNGImage(contentsOf: url, channels: channels) == image)
    }
  }

  @Test("row 0 is the top row")
  func orientation() throws {
    // 1 wide, 2 high: black on top, white below.
    let image = PNGImage(width: 1, height: 2, channels: 1, pixels: [0, 255])
    let rgb = try PNGImage(data: image.encoded(), channels: 3)
    #expect(rgb.pixels == [0, 0, 0, 255, 255, 255])
  }

  @Test("writing replaces an existing file and leaves no temporary files")
  func overwrite() throws {
    try withTemporaryDirectory { directory in
      let url = directory.appending(path: "out.png")
      try PNGImage(width: 1, height: 1, channels: 1, pixels: [1]).write(to: url)
      try PNGImage(width: 2, height: 1, channels: 1, pixels: [2, 3]).write(to: url)
      #expect(try PNGImage(contentsOf: url).pixels == [2, 3])
      #expect(try FileManager.default.contentsOfDirectory(atPath: directory.path) == ["out.png"])
    }
  }

  @Test("the pixel initializer checks the byte count")
  func initializerChecksCount() async {
    await #expect(processExitsWith: .failure) {
      _ = PNGImage(width: 2, height: 2, channels: 3, pixels: [0, 0, 0])
    }
    await #expect(processExitsWith: .failure) {
      _ = PNGImage(width: 1, height: 1, channels: 2, pixels: [0, 0])
    }
  }
}
