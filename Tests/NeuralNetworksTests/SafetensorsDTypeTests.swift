import Foundation
import TestSupport
import Testing

@testable import NeuralNetworks

@Suite struct SafetensorsDTypeTests {
  #if !(os(macOS) && arch(x86_64))  // Float16 is unavailable on Intel Macs
    @Test("F16 widens exactly: all 65,536 bit patterns agree with Swift's Float16")
    func float16Exhaustive() {
      var failures = 0
      for bits in UInt16.min...UInt16.max {
        let ours = SafetensorsDType.float(fromFloat16Bits: bits)
        let reference = Float(Float16(bitPattern: bits))
        if reference.isNaN {
          // NaN: keep the sign and the payload (the 10 fraction bits, top-aligned).
          let payload = (ours.bitPattern >> 13) & 0x3FF
          if !ours.isNaN || ours.sign != reference.sign || payload != UInt32(bits & 0x3FF) {
            failures += 1
          }
        } else if ours.bitPattern != reference.bitPattern {
          failures += 1
        }
      }
      #expect(failures == 0)
    }
  #endif

  @Test("F16 edge cases by value")
  func float16Values() {
    let cases: [(UInt16, Float)] = [
      (0x0000, 0), (0x0001, 0x1p-24), (0x03FF, 0x1.ff8p-15), (0x0400, 0x1p-14),
      (0x3C00, 1), (0xC000, -2), (0x7BFF, 65504), (0x7C00, .infinity), (0xFC00, -.infinity),
    ]
    for (bits, value) in cases {
      #expect(
        SafetensorsDType.float(fromFloat16Bits: bits) == value, "0x\(String(bits, radix: 16))")
    }
    #expect(SafetensorsDType.float(fromFloat16Bits: 0x8000).bitPattern == (-Float(0)).bitPattern)
    #expect(SafetensorsDType.float(fromFloat16Bits: 0x8001) == -0x1p-24)
    #expect(SafetensorsDType.float(fromFloat16Bits: 0x7E00).isNaN)
    // A signalling NaN stays a NaN (its payload is kept, so it is never mistaken for infinity).
    #expect(SafetensorsDType.float(fromFloat16Bits: 0x7C01).isNaN)
  }

  @Test("BF16 widens exactly: all 65,536 bit patterns are the top half of a Float32")
  func bfloat16Exhaustive() {
    var failures = 0
    for bits in UInt16.min...UInt16.max {
      let ours = SafetensorsDType.float(fromBFloat16Bits: bits)
      if ours.bitPattern != UInt32(bits) << 16 { failures += 1 }
    }
    #expect(failures == 0)
    #expect(SafetensorsDType.float(fromBFloat16Bits: 0x3F80) == 1)
    #expect(SafetensorsDType.float(fromBFloat16Bits: 0x0001) == 0x1p-133)
  }

  @Test(
    "decoding reads little-endian elements at any alignment", arguments: SafetensorsDType.allCases)
  func decodeUnaligned(dtype: SafetensorsDType) {
    let values: [Double] = [1, -2.5, 0.5, 1024]
    var bytes: [UInt8] = [0xAA]  // misalign the first element
    for value in values {
      switch dtype {
      case .float32:
        bytes += withUnsafeBytes(of: Float(value).bitPattern.littleEndian) { Array($0) }
      case .float64: bytes += withUnsafeBytes(of: value.bitPattern.littleEndian) { Array($0) }
      case .bfloat16:
        bytes += withUnsafeBytes(of: UInt16(Float(value).bitPattern >> 16).littleEndian) {
          Array($0)
        }
      case .float16:
        let bits = UInt16(truncatingIfNeeded: halfBits(value))
        bytes += withUnsafeBytes(of: bits.littleEndian) { Array($0) }
      }
    }
    let decoded = bytes.withUnsafeBytes { raw in
      dtype.decode(UnsafeRawBufferPointer(rebasing: raw[1...]), count: values.count)
    }
    #expect(Array(decoded) == values.map { Float($0) }, "\(dtype)")
  }

  @Test("F64 rounds to the nearest Float32, ties to even")
  func float64Rounding() {
    let values: [Double] = [1 + 0x1p-24, 1 + 0x1p-24 + 0x1p-52, 0.1, 1e39, -1e-46]
    let decoded = values.withUnsafeBytes {
      SafetensorsDType.float64.decode($0, count: values.count)
    }
    #expect(decoded[0] == 1 && decoded[1] == 1 + 0x1p-23 && decoded[2] == 0.1)
    #expect(decoded[3] == .infinity && decoded[4] == 0 && decoded[4].sign == .minus)
  }

  /// binary16 bits of small integers and halves (exact), for the decoding test.
  private func halfBits(_ value: Double) -> Int {
    switch value {
    case 1: 0x3C00
    case -2.5: 0xC100
    case 0.5: 0x3800
    case 1024: 0x6400
    default: preconditionFailure("no binary16 bits for \(value) in this table")
    }
  }
}
