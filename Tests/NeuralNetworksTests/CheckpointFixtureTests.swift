import Foundation
import Tensors
import TestSupport
import Testing

@testable import NeuralNetworks

/// Golden files written by the official Python `safetensors` package
/// (`Tools/fixtures/safetensors.py`).
@Suite struct CheckpointFixtureTests {
  @Test("the fixture lists match expected.json")
  func fixtureListsAreComplete() throws {
    let expectations = try SafetensorsExpectations.load()
    #expect(Set(expectations.files.keys) == Set(goodSafetensorsFixtures))
    #expect(Set(expectations.invalid.keys) == Set(invalidSafetensorsFixtures))
  }

  @Test("reads every reference file exactly", arguments: goodSafetensorsFixtures)
  func readsFixture(name: String) throws {
    let expected = try #require(try SafetensorsExpectations.load().files[name])
    let url = try Fixture.url("safetensors/\(name)", bundle: .module)
    let checkpoint = try Checkpoint(contentsOf: url)
    #expect(checkpoint.names == expected.tensors.map(\.name), "header order")
    #expect(checkpoint.metadata == expected.metadata)
    #expect(checkpoint.sourcePath == url.path)
    for entry in expected.tensors {
      let tensor = try #require(checkpoint[entry.name])
      let reference = try Fixture.tensor("safetensors/\(entry.expected)", bundle: .module)
      #expect(tensor.shape == entry.shape, "\(entry.name)")
      #expect(reference.shape == entry.shape, "\(entry.name): fixture shape")
      // F16 and BF16 widen exactly and numpy rounds F64 as Swift does: compare bits.
      #expect(
        canonicalBits(tensor.scalars) == canonicalBits(reference.scalars),
        "\(name): \(entry.name) (\(entry.dtype))")
    }
  }

  @Test("F16 special values: subnormals, infinities and NaN")
  func float16Specials() throws {
    let url = try Fixture.url("safetensors/float16.safetensors", bundle: .module)
    let special = try #require(try Checkpoint(contentsOf: url)["special"]).scalars
    #expect(
      Array(special[0..<10]) == [
        0, -0.0, 0x1p-24, -0x1p-24, 0x1p-15, 1023 * 0x1p-24, 0x1p-14, 65504, 1, 0x1.554p-2,
      ])
    #expect(special[1].sign == .minus)
    #expect(special[10] == .infinity && special[11] == -.infinity)
    #expect(special[12...].allSatisfy { $0.isNaN })
    #expect(special[13].sign == .minus)
  }

  @Test("F64 converts to the nearest Float32, overflowing to infinity")
  func float64Rounding() throws {
    let url = try Fixture.url("safetensors/float64.safetensors", bundle: .module)
    let special = try #require(try Checkpoint(contentsOf: url)["special"]).scalars
    #expect(special[0] == Float(Double.pi) && special[2] == 0.1)
    #expect(special[4].isNaN && special[5] == .infinity)
    #expect(special[6] == .infinity && special[7] == -.infinity)
    #expect(special[8] == 0 && special[9] == .leastNonzeroMagnitude)
    #expect(special[10] == 1 && special[11] == 1 + 0x1p-22)
    #expect(special[12] == .greatestFiniteMagnitude)
  }

  @Test("metadata and mixed dtypes in one file")
  func mixedMetadata() throws {
    let url = try Fixture.url("safetensors/mixed_metadata.safetensors", bundle: .module)
    let checkpoint = try Checkpoint(contentsOf: url)
    #expect(
      checkpoint.metadata == [
        "format": "pt", "author": "semrob fixtures", "note": "Zürich ✓", "empty": "",
      ])
    #expect(checkpoint[#"name with "quotes", ünïcode and \"#]?.scalars == [0, 1, 2, 3])
    #expect(checkpoint["zero_size"]?.shape == [2, 0])
  }

  @Test("encodes semrob_layout.safetensors to the reference writer's bytes")
  func encodesLikeReference() throws {
    let reference = try Fixture.data("safetensors/semrob_layout.safetensors", bundle: .module)
    let checkpoint = try Checkpoint(data: reference)
    #expect(checkpoint.metadata == ["format": NeuralNetworksInfo.checkpointFormat])
    #expect(checkpoint["scalar"]?.shape == [])
    let ours = checkpoint.encoded()
    #expect(ours == reference, "\(ours.count) bytes vs the reference's \(reference.count)")
  }

  @Test("every other dtype is refused, naming the tensor", arguments: invalidSafetensorsFixtures)
  func invalidFixture(name: String) throws {
    let expected = try #require(try SafetensorsExpectations.load().invalid[name])
    let url = try Fixture.url("safetensors/\(name)", bundle: .module)
    let error = try #require(throws: CheckpointError.self) { try Checkpoint(contentsOf: url) }
    #expect(expected.error == "unsupportedDType")
    #expect(
      error == .unsupportedDType(path: url.path, tensor: expected.tensor, dtype: expected.dtype))
    let message = error.description
    #expect(!message.contains("\n"))
    #expect(
      message.contains(url.path) && message.contains("'\(expected.tensor)'")
        && message.contains("'\(expected.dtype)'")
        && message.contains("expected F32, F16, BF16 or F64"))
  }
}
