import Foundation
import TestSupport
import Testing

@testable import NeuralNetworks
@testable import Tensors

/// `Fixtures/safetensors/expected.json`, written by `Tools/fixtures/safetensors.py`.
struct SafetensorsExpectations: Decodable {
  struct TensorEntry: Decodable {
    var name: String
    var dtype: String
    var shape: [Int]
    /// Path of the `.npy` file with the expected Float32 values, relative to `Fixtures/`.
    var expected: String
  }

  struct File: Decodable {
    var tensors: [TensorEntry]
    var metadata: [String: String]
  }

  struct Invalid: Decodable {
    var error: String
    var tensor: String
    var dtype: String
  }

  var files: [String: File]
  var invalid: [String: Invalid]

  static func load() throws -> SafetensorsExpectations {
    try Fixture.json(SafetensorsExpectations.self, "safetensors/expected.json", bundle: .module)
  }
}

/// The valid fixture files, for `@Test(arguments:)`.
let goodSafetensorsFixtures = [
  "float32.safetensors", "float16.safetensors", "bfloat16.safetensors", "float64.safetensors",
  "mixed_metadata.safetensors", "semrob_layout.safetensors",
]

/// The fixture files semrob must refuse.
let invalidSafetensorsFixtures = [
  "int32.safetensors", "float32_and_int64.safetensors", "bool.safetensors",
]

/// Builds safetensors bytes around a header text, with no padding unless the text has some.
func safetensorsBytes(header: String, buffer: [UInt8] = []) -> Data {
  let text = Array(header.utf8)
  var bytes = withUnsafeBytes(of: UInt64(text.count).littleEndian) { Array($0) }
  bytes += text + buffer
  return Data(bytes)
}

/// One header entry as JSON text.
func entryJSON(_ name: String, dtype: String = "F32", shape: [Int], offsets: (Int, Int))
  -> String
{
  "\"\(name)\":{\"dtype\":\"\(dtype)\",\"shape\":\(shape),"
    + "\"data_offsets\":[\(offsets.0),\(offsets.1)]}"
}

/// Decodes `data`, requiring a `CheckpointError`; records an issue and returns `nil` otherwise.
func checkpointError(
  _ data: Data, sourceLocation: SourceLocation = #_sourceLocation
) -> CheckpointError? {
  do {
    let checkpoint = try Checkpoint(data: data)
    Issue.record(
      "decoded \(checkpoint.count) tensors, expected an error", sourceLocation: sourceLocation)
    return nil
  } catch let error as CheckpointError {
    return error
  } catch {
    Issue.record("unexpected error type: \(error)", sourceLocation: sourceLocation)
    return nil
  }
}

/// Every element as its bit pattern, with all NaNs mapped to one pattern, so that values
/// compare exactly (including −0) while NaN payloads are ignored.
func canonicalBits(_ values: some Sequence<Float>) -> [UInt32] {
  values.map { $0.isNaN ? Float.nan.bitPattern : $0.bitPattern }
}

/// A seeded tensor with values from a standard normal distribution.
func randomTensor(shape: [Int], generator: inout RandomGenerator) -> Tensor {
  let count = shape.reduce(1, *)
  return Tensor(shape: shape, scalars: (0..<count).map { _ in Float(generator.nextNormal()) })
}
