import Foundation
import Tensors
import TestSupport
import Testing

@testable import NeuralNetworks

/// Writes semrob checkpoints for a manual check with the reference reader.
///
/// Run:
///
///     SEMROB_CHECKPOINT_EXPORT=/tmp/semrob-export swift test --filter CheckpointExportTests
///     python3 Tools/fixtures/safetensors.py --verify /tmp/semrob-export
///
/// Each `<name>.safetensors` comes with `<name>.json` giving the expected names, shapes,
/// metadata and Float32 bit patterns. Without the variable the test does nothing.
@Suite struct CheckpointExportTests {
  private static let directory = ProcessInfo.processInfo.environment["SEMROB_CHECKPOINT_EXPORT"]

  private struct Expectation: Encodable {
    struct Entry: Encodable {
      var shape: [Int]
      var bits: [UInt32]
    }
    var tensors: [String: Entry]
    var metadata: [String: String]
  }

  @Test("export checkpoints for safetensors.py --verify", .enabled(if: directory != nil))
  func export() throws {
    let directory = URL(filePath: try #require(Self.directory), directoryHint: .isDirectory)
    try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    var generator = RandomGenerator(seed: 11)
    var many = Checkpoint(metadata: ["seed": "11", "note": "ünïcode \"quoted\"\n"])
    for layer in 0..<12 {
      many["layers.\(layer).weight"] = randomTensor(
        shape: [layer % 4 + 1, 3], generator: &generator)
      many["layers.\(layer).bias"] = randomTensor(shape: [layer % 4 + 1], generator: &generator)
    }
    let checkpoints: [String: Checkpoint] = [
      "empty": Checkpoint(),
      "scalar": Checkpoint(tensors: [("x", Tensor(shape: [], scalars: [0.25]))]),
      "zero_size": Checkpoint(tensors: [
        ("a", Tensor(zeros: [0])), ("b", Tensor(zeros: [2, 0, 3])),
      ]),
      "special": Checkpoint(tensors: [
        (
          "s",
          Tensor(shape: [5], scalars: [.infinity, -.infinity, .nan, -0.0, .leastNonzeroMagnitude])
        )
      ]),
      "many": many,
      "names": Checkpoint(tensors: [
        ("quote\"backslash\\", Tensor(zeros: [1])), ("new\nline", Tensor(zeros: [1])),
        ("ünïcode ✓", Tensor(zeros: [1])), ("", Tensor(zeros: [1])),
      ]),
    ]
    for (name, checkpoint) in checkpoints {
      try checkpoint.write(to: directory.appending(path: "\(name).safetensors"))
      var metadata = checkpoint.metadata
      metadata["format"] = NeuralNetworksInfo.checkpointFormat
      let expectation = Expectation(
        tensors: Dictionary(
          uniqueKeysWithValues: checkpoint.tensors.map {
            ($0.name, .init(shape: $0.tensor.shape, bits: $0.tensor.scalars.map(\.bitPattern)))
          }),
        metadata: metadata)
      try JSONEncoder().encode(expectation).write(to: directory.appending(path: "\(name).json"))
    }
  }
}
