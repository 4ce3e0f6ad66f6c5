import Foundation
import Tensors
import TestSupport
import Testing

@testable import NeuralNetworks

@Suite struct CheckpointLoadingTests {
  private let checkpoint = Checkpoint(tensors: [
    ("layers.0.weight", Tensor(zeros: [64, 128])),
    ("layers.0.bias", Tensor(zeros: [64])),
    ("layers.2.weight", Tensor(zeros: [128, 64])),
    ("head.weight", Tensor(zeros: [10, 64])),
  ])

  @Test("tensor(named:shape:) returns a tensor of the expected shape")
  func singleTensor() throws {
    let bias = try checkpoint.tensor(named: "layers.0.bias", shape: [64])
    #expect(bias == Tensor(zeros: [64]))
  }

  @Test("tensor(named:shape:) reports a wrong shape in STYLE §5's form")
  func singleWrongShape() throws {
    let error = try #require(throws: CheckpointError.self) {
      try checkpoint.tensor(named: "layers.2.weight", shape: [64, 128])
    }
    #expect(
      error
        == .mismatch(
          path: nil,
          problems: [.wrongShape(name: "layers.2.weight", expected: [64, 128], found: [128, 64])]))
    #expect(
      error.description
        == "the checkpoint does not match the expected tensors: layers.2.weight: expected "
        + "[64, 128], found [128, 64]; check that it was saved from the same architecture")
  }

  @Test("tensor(named:shape:) reports a missing tensor and names the file")
  func singleMissing() throws {
    try withTemporaryDirectory { directory in
      let url = directory.appending(path: "model.safetensors")
      try checkpoint.write(to: url)
      let read = try Checkpoint(contentsOf: url)
      let error = try #require(throws: CheckpointError.self) {
        try read.tensor(named: "layers.1.weight", shape: [3])
      }
      #expect(
        error
          == .mismatch(
            path: url.path, problems: [.missing(name: "layers.1.weight", expectedShape: [3])]))
      #expect(
        error.description
          == "checkpoint '\(url.path)' does not match the expected tensors: layers.1.weight: "
          + "expected [3], found no tensor of that name; check that it was saved from the same "
          + "architecture")
    }
  }

  @Test("tensors(matching:) returns every expected tensor")
  func allMatch() throws {
    let expected = checkpoint.tensors.map { (name: $0.name, shape: $0.tensor.shape) }
    let loaded = try checkpoint.tensors(matching: expected.reversed())
    #expect(loaded.count == 4)
    for (name, tensor) in checkpoint.tensors { #expect(loaded[name] == tensor) }
  }

  @Test("tensors(matching:) lists every problem below a one-line summary")
  func allProblems() throws {
    let error = try #require(throws: CheckpointError.self) {
      try checkpoint.tensors(matching: [
        ("layers.0.weight", [64, 128]),
        ("layers.2.weight", [64, 128]),
        ("layers.1.weight", [32]),
        ("layers.0.bias", [64]),
      ])
    }
    #expect(
      error
        == .mismatch(
          path: nil,
          problems: [
            .wrongShape(name: "layers.2.weight", expected: [64, 128], found: [128, 64]),
            .missing(name: "layers.1.weight", expectedShape: [32]),
            .unexpected(name: "head.weight", shape: [10, 64]),
          ]))
    let lines = error.description.split(separator: "\n", omittingEmptySubsequences: false)
    #expect(
      lines == [
        "the checkpoint does not match the expected tensors: 3 problems (1 missing, "
          + "1 unexpected, 1 with the wrong shape); check that it was saved from the same "
          + "architecture",
        "  layers.2.weight: expected [64, 128], found [128, 64]",
        "  layers.1.weight: expected [32], found no tensor of that name",
        "  head.weight: expected no tensor of that name, found [10, 64]",
      ])
  }

  @Test("an empty checkpoint matches an empty expectation")
  func emptyMatchesEmpty() throws {
    #expect(try Checkpoint().tensors(matching: []).isEmpty)
    #expect(throws: CheckpointError.self) { try checkpoint.tensors(matching: []) }
  }

  @Test("expecting a name twice is a programmer error")
  func duplicateExpectationTraps() async {
    await #expect(processExitsWith: .failure) {
      _ = try? Checkpoint().tensors(matching: [("a", [1]), ("a", [1])])
    }
  }
}
