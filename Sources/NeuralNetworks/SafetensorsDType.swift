// Element types semrob reads from safetensors files, and their conversion to Float32.
// Goals, in order:
//   1. F32, F16 and BF16 convert exactly: every finite value, signed zero, infinity and NaN
//      (with its payload) maps to the Float32 with the same value.
//   2. F64 rounds to the nearest Float32 (ties to even), the only lossy conversion.
//   3. Decoding reads little-endian bytes at any alignment and allocates only the output.

/// A floating-point dtype of a safetensors file that converts to Float32.
///
/// The raw values are the dtype strings of the safetensors header. All other dtypes (integers,
/// booleans, complex, FP8/FP6/FP4) are refused when a checkpoint is read.
enum SafetensorsDType: String, CaseIterable, Sendable {
  case float32 = "F32"
  case float16 = "F16"
  case bfloat16 = "BF16"
  case float64 = "F64"

  /// Bytes per element.
  var byteCount: Int {
    switch self {
    case .float16, .bfloat16: 2
    case .float32: 4
    case .float64: 8
    }
  }

  /// Converts `count` little-endian elements starting at `raw` to Float32.
  ///
  /// - Precondition: `raw.count == count * byteCount` (checked by the header validation).
  func decode(_ raw: UnsafeRawBufferPointer, count: Int) -> ContiguousArray<Float> {
    precondition(raw.count == count * byteCount, "SafetensorsDType.decode: byte count mismatch")
    return ContiguousArray(unsafeUninitializedCapacity: count) { output, initialized in
      switch self {
      case .float32:
        for i in 0..<count {
          output[i] = Float(
            bitPattern: UInt32(
              littleEndian: raw.loadUnaligned(fromByteOffset: 4 * i, as: UInt32.self)))
        }
      case .float16:
        for i in 0..<count {
          output[i] = Self.float(
            fromFloat16Bits: UInt16(
              littleEndian: raw.loadUnaligned(fromByteOffset: 2 * i, as: UInt16.self)))
        }
      case .bfloat16:
        for i in 0..<count {
          output[i] = Self.float(
            fromBFloat16Bits: UInt16(
              littleEndian: raw.loadUnaligned(fromByteOffset: 2 * i, as: UInt16.self)))
        }
      case .float64:
        for i in 0..<count {
          output[i] = Float(
            Double(
              bitPattern: UInt64(
                littleEndian: raw.loadUnaligned(fromByteOffset: 8 * i, as: UInt64.self))))
        }
      }
      initialized = count
    }
  }

  /// The Float32 with the value of an IEEE 754 binary16 number (exact).
  ///
  /// binary16 has 1 sign bit, 5 exponent bits (bias 15) and 10 fraction bits; binary32 has
  /// 8 exponent bits (bias 127) and 23 fraction bits, so every binary16 value is representable.
  static func float(fromFloat16Bits bits: UInt16) -> Float {
    let sign = UInt32(bits >> 15) << 31
    let exponent = UInt32(bits >> 10) & 0x1F
    let fraction = UInt32(bits) & 0x3FF
    switch exponent {
    case 0x1F:
      // Infinity (fraction 0) or NaN: all-ones exponent, the fraction keeps its place at the
      // top of the 23-bit field, so the quiet bit and the payload survive.
      return Float(bitPattern: sign | 0xFF << 23 | fraction << 13)
    case 0:
      // Zero or subnormal: value = fraction · 2^−24, exact in Float32 (a normal number there,
      // since 2^−24 > 2^−126); multiplying by a power of two does not round.
      let magnitude = Float(fraction) * 0x1p-24
      return sign == 0 ? magnitude : -magnitude
    default:
      // Normal: value = 1.fraction · 2^(exponent − 15); rebias to 127.
      return Float(bitPattern: sign | (exponent + 127 - 15) << 23 | fraction << 13)
    }
  }

  /// The Float32 with the value of a bfloat16 number (exact).
  ///
  /// bfloat16 is the upper half of a binary32: 1 sign bit, 8 exponent bits, 7 fraction bits.
  static func float(fromBFloat16Bits bits: UInt16) -> Float {
    Float(bitPattern: UInt32(bits) << 16)
  }
}
