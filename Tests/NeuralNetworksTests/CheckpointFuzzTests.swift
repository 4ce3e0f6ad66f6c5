import Foundation
import Tensors
import TestSupport
import Testing

@testable import NeuralNetworks

/// Random corruptions of valid files: decoding must either succeed with consistent tensors or
/// throw a `CheckpointError`, never crash or throw anything else.
@Suite struct CheckpointFuzzTests {
  /// Valid files: one written by the reference package with every dtype, one written by semrob.
  private func seeds() throws -> [Data] {
    var generator = RandomGenerator(seed: 7)
    let ours = Checkpoint(
      tensors: [
        ("a.weight", randomTensor(shape: [3, 4], generator: &generator)),
        ("a.bias", randomTensor(shape: [3], generator: &generator)),
        ("scalar", randomTensor(shape: [], generator: &generator)),
        ("empty", Tensor(zeros: [0, 2])),
      ],
      metadata: ["seed": "7"]
    ).encoded()
    let reference = try Fixture.data("safetensors/mixed_metadata.safetensors", bundle: .module)
    return [ours, reference]
  }

  /// One random corruption of `bytes`.
  private func mutate(_ bytes: Data, generator: inout RandomGenerator) -> Data {
    var bytes = Array(bytes)
    let headerEnd = min(bytes.count, 8 + bytes[0..<8].reversed().reduce(0) { $0 << 8 | Int($1) })
    func position(inHeader: Bool) -> Int {
      let upper = inHeader ? headerEnd : bytes.count
      return Int(generator.next() % UInt64(max(upper, 1)))
    }
    switch generator.next() % 6 {
    case 0:  // flip 1–4 random bits anywhere
      for _ in 0...(generator.next() % 4) where !bytes.isEmpty {
        bytes[position(inHeader: false)] ^= 1 << UInt8(generator.next() % 8)
      }
    case 1:  // replace 1–4 header bytes with random bytes or JSON punctuation
      let punctuation = Array(#"{}[]":,-0123456789e. "#.utf8)
      for _ in 0...(generator.next() % 4) where !bytes.isEmpty {
        let byte =
          generator.next() % 2 == 0
          ? UInt8(truncatingIfNeeded: generator.next())
          : punctuation[Int(generator.next() % UInt64(punctuation.count))]
        bytes[position(inHeader: true)] = byte
      }
    case 2:  // truncate
      bytes.removeLast(Int(generator.next() % UInt64(bytes.count + 1)))
    case 3:  // delete a run of header bytes
      let start = position(inHeader: true)
      bytes.removeSubrange(start..<min(bytes.count, start + 1 + Int(generator.next() % 8)))
    case 4:  // insert random bytes into the header
      let insertion = (0...(generator.next() % 8)).map { _ in
        UInt8(truncatingIfNeeded: generator.next())
      }
      bytes.insert(contentsOf: insertion, at: position(inHeader: true))
    default:  // rewrite the length field
      let length: UInt64 =
        generator.next() % 2 == 0
        ? generator.next() : UInt64(headerEnd - 8) &+ (generator.next() % 17) &- 8
      bytes.replaceSubrange(
        0..<min(8, bytes.count), with: withUnsafeBytes(of: length.littleEndian) { Array($0) })
    }
    return Data(bytes)
  }

  @Test("500 seeded corruptions never crash", .timeLimit(.minutes(1)))
  func fuzz() throws {
    let files = try seeds()
    var outcomes = (decoded: 0, refused: 0)
    withEvery("seed", in: 0..<500 as Range<UInt64>) { seed in
      var generator = RandomGenerator(seed: seed)
      let file = files[Int(seed % UInt64(files.count))]
      var bytes = file
      for _ in 0...(generator.next() % 3) { bytes = mutate(bytes, generator: &generator) }
      do {
        let checkpoint = try Checkpoint(data: bytes)
        outcomes.decoded += 1
        for (_, tensor) in checkpoint.tensors {
          #expect(tensor.count == tensor.shape.reduce(1, *))
          #expect(tensor.count * 2 <= bytes.count)
        }
      } catch let error as CheckpointError {
        outcomes.refused += 1
        #expect(!error.description.isEmpty && !error.description.contains("\n"))
      }
    }
    // Both outcomes occur, so the mutations reach past the first checks.
    #expect(outcomes.decoded > 10 && outcomes.refused > 100, "\(outcomes)")
  }
}
