import Foundation
import TestSupport

@testable import Tensors

/// `Fixtures/npy/expected.json`, written by `Tools/fixtures/npy.py`.
struct NPYExpectations: Decodable {
  struct Entry: Decodable {
    var dtype: String
    var shape: [Int]
    var numpySave: Bool
    var array: NPYArray

    enum CodingKeys: String, CodingKey {
      case dtype, shape, bits, values
      case numpySave = "numpy_save"
    }

    init(from decoder: any Decoder) throws {
      let container = try decoder.container(keyedBy: CodingKeys.self)
      dtype = try container.decode(String.self, forKey: .dtype)
      shape = try container.decode([Int].self, forKey: .shape)
      numpySave = try container.decode(Bool.self, forKey: .numpySave)
      let data: NPYData
      switch dtype {
      case "float32":
        data = .float32(
          try container.decode([UInt32].self, forKey: .bits).map(Float.init(bitPattern:)))
      case "float64":
        data = .float64(
          try container.decode([UInt64].self, forKey: .bits).map(Double.init(bitPattern:)))
      case "int32": data = .int32(try container.decode([Int32].self, forKey: .values))
      case "int64": data = .int64(try container.decode([Int64].self, forKey: .values))
      case "uint8": data = .uint8(try container.decode([UInt8].self, forKey: .values))
      case "bool": data = .bool(try container.decode([Bool].self, forKey: .values))
      default:
        throw DecodingError.dataCorruptedError(
          forKey: .dtype, in: container, debugDescription: "unknown dtype \(dtype)")
      }
      array = NPYArray(shape: shape, data: data)
    }
  }

  struct Invalid: Decodable {
    var error: String
    var descr: String
  }

  var files: [String: Entry]
  var invalid: [String: Invalid]

  static func load() throws -> NPYExpectations {
    try Fixture.json(NPYExpectations.self, "npy/expected.json", bundle: .module)
  }
}

/// Every element as a 64-bit pattern, so that NaN and −0 compare exactly.
func bitPatterns(_ data: NPYData) -> [UInt64] {
  switch data {
  case .float32(let values): values.map { UInt64($0.bitPattern) }
  case .float64(let values): values.map(\.bitPattern)
  case .int32(let values): values.map { UInt64(UInt32(bitPattern: $0)) }
  case .int64(let values): values.map { UInt64(bitPattern: $0) }
  case .uint8(let values): values.map(UInt64.init)
  case .bool(let values): values.map { $0 ? 1 : 0 }
  }
}

/// Builds `.npy` bytes around a header dict, with no padding (which is optional for readers).
func npyBytes(
  header: String, major: UInt8 = 1, minor: UInt8 = 0, body: [UInt8] = []
) -> Data {
  let dict = Array(header.utf8)
  var bytes: [UInt8] = [0x93] + Array("NUMPY".utf8) + [major, minor]
  if major == 1 {
    bytes += [UInt8(dict.count & 0xFF), UInt8(dict.count >> 8)]
  } else {
    bytes += (0..<4).map { UInt8((dict.count >> (8 * $0)) & 0xFF) }
  }
  return Data(bytes + dict + body)
}

/// The `.npy` fixture names listed in `expected.json` under "files".
let goodNPYFixtures = [
  "bool_2x3.npy", "bool_empty_0.npy", "float32_1x1x1x1x1x1x1x1.npy", "float32_2x3.npy",
  "float32_empty_0.npy", "float32_scalar.npy", "float32_special.npy", "float64_4.npy",
  "float64_empty_2x0x3.npy", "float64_special.npy", "int32_2x2x2.npy", "int32_scalar.npy",
  "int64_5.npy", "int64_empty_3x0.npy", "uint8_1000000x0.npy", "uint8_3x4.npy",
  "uint8_scalar.npy", "v2_header_float32_2x2.npy", "v3_header_int32_3.npy",
]

/// The `.npy` fixture names listed in `expected.json` under "invalid".
let invalidNPYFixtures = [
  "big_endian_float32_3.npy", "big_endian_int64_2.npy", "complex64_2.npy", "float16_3.npy",
  "fortran_order_2x3.npy", "structured_2.npy", "unicode_2.npy",
]
