import Foundation
import Tensors
import TestSupport
import Testing

@testable import NeuralNetworks

@Suite struct CheckpointTests {
  @Test("tensors keep their order; the subscript appends, replaces and removes")
  func orderedSubscript() {
    var checkpoint = Checkpoint(tensors: [("b", Tensor(zeros: [1])), ("a", Tensor(zeros: [2]))])
    #expect(checkpoint.names == ["b", "a"] && checkpoint.count == 2 && !checkpoint.isEmpty)
    checkpoint["c"] = Tensor(zeros: [3])
    checkpoint["b"] = Tensor(repeating: 1, shape: [4])
    #expect(checkpoint.names == ["b", "a", "c"])
    #expect(checkpoint["b"] == Tensor(repeating: 1, shape: [4]))
    checkpoint["a"] = nil
    checkpoint["missing"] = nil
    #expect(checkpoint.names == ["b", "c"])
    #expect(checkpoint.tensors.map(\.name) == ["b", "c"])
    #expect(checkpoint["a"] == nil)
  }

  @Test("equality compares names in order, tensors and metadata, but not the source path")
  func equality() throws {
    let a = Checkpoint(tensors: [("x", Tensor(zeros: [1])), ("y", Tensor(zeros: [1]))])
    let reordered = Checkpoint(tensors: [("y", Tensor(zeros: [1])), ("x", Tensor(zeros: [1]))])
    #expect(a != reordered)
    var withMetadata = a
    withMetadata.metadata["k"] = "v"
    #expect(a != withMetadata)
    var fromFile = a
    fromFile.sourcePath = "/tmp/x.safetensors"
    #expect(a == fromFile && a.hashValue == fromFile.hashValue)
  }

  @Test("a repeated name in init is a programmer error")
  func duplicateNameTraps() async {
    await #expect(processExitsWith: .failure) {
      _ = Checkpoint(tensors: [("a", Tensor(zeros: [1])), ("a", Tensor(zeros: [1]))])
    }
  }

  @Test("the metadata key is reserved")
  func reservedNameTraps() async {
    await #expect(processExitsWith: .failure) {
      var checkpoint = Checkpoint()
      checkpoint["__metadata__"] = Tensor(zeros: [1])
    }
  }
}
