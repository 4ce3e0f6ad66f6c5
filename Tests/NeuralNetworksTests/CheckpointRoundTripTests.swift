import Foundation
import Tensors
import TestSupport
import Testing

@testable import NeuralNetworks

@Suite struct CheckpointRoundTripTests {
  /// `checkpoint` as `encoded()` writes it: sorted by name, with the format tag added.
  private func expectedAfterRoundTrip(_ checkpoint: Checkpoint) -> Checkpoint {
    var metadata = checkpoint.metadata
    metadata["format"] = NeuralNetworksInfo.checkpointFormat
    let sorted = checkpoint.tensors.sorted { $0.name.utf8.lexicographicallyPrecedes($1.name.utf8) }
    return Checkpoint(tensors: sorted, metadata: metadata)
  }

  static let cases: [(label: String, checkpoint: Checkpoint)] = [
    ("empty", Checkpoint()),
    ("scalar", Checkpoint(tensors: [("x", Tensor(shape: [], scalars: [0.25]))])),
    (
      "zero-size",
      Checkpoint(tensors: [
        ("a", Tensor(zeros: [0])), ("b", Tensor(zeros: [3, 0, 2])),
        ("c", Tensor(shape: [1], scalars: [-1])),
      ])
    ),
    (
      "special values",
      Checkpoint(tensors: [
        (
          "special",
          Tensor(
            shape: [2, 4],
            scalars: [
              0, -0.0, .infinity, -.infinity, .leastNonzeroMagnitude, .greatestFiniteMagnitude,
              .leastNormalMagnitude, 1e-3,
            ])
        )
      ])
    ),
    (
      "metadata",
      Checkpoint(
        tensors: [("w", Tensor(repeating: 2, shape: [2, 2]))],
        metadata: [
          "seed": "0", "empty": "", "quote\"and\\backslash": "line\nbreak\t\u{1}",
          "ünïcode ✓": "日本語",
        ])
    ),
    (
      "unsorted names",
      Checkpoint(tensors: [
        ("z", Tensor(zeros: [1])), ("layers.10.weight", Tensor(zeros: [2])),
        ("layers.2.weight", Tensor(zeros: [3])), ("Z", Tensor(zeros: [1])),
        ("é", Tensor(zeros: [1])), ("", Tensor(zeros: [1])),
      ])
    ),
  ]

  @Test("write then read gives the same checkpoint, sorted by name", arguments: cases.indices)
  func roundTrip(index: Int) throws {
    let (label, checkpoint) = Self.cases[index]
    let expected = expectedAfterRoundTrip(checkpoint)
    let decoded = try Checkpoint(data: checkpoint.encoded())
    #expect(decoded == expected, "\(label)")
    #expect(decoded.sourcePath == nil)
    #expect(decoded.encoded() == checkpoint.encoded(), "\(label): encoding is not stable")
    try withTemporaryDirectory { directory in
      let url = directory.appending(path: "\(index).safetensors")
      try checkpoint.write(to: url)
      let read = try Checkpoint(contentsOf: url)
      #expect(read == expected, "\(label)")
      #expect(read.sourcePath == url.path)
    }
  }

  @Test("many seeded tensors round-trip bit for bit")
  func manyTensors() throws {
    withEvery("seed", in: 0..<4 as Range<UInt64>) { seed in
      var generator = RandomGenerator(seed: seed)
      var checkpoint = Checkpoint(metadata: ["seed": "\(seed)"])
      for layer in 0..<40 {
        let rank = Int(generator.next() % 4)
        let shape = (0..<rank).map { _ in Int(generator.next() % 5) }
        checkpoint["layers.\(layer).weight"] = randomTensor(shape: shape, generator: &generator)
      }
      let decoded = try Checkpoint(data: checkpoint.encoded())
      #expect(decoded == expectedAfterRoundTrip(checkpoint))
      for (name, tensor) in checkpoint.tensors {
        #expect(canonicalBits(try #require(decoded[name]).scalars) == canonicalBits(tensor.scalars))
      }
    }
  }

  @Test("NaN survives a round trip")
  func nanRoundTrip() throws {
    let checkpoint = Checkpoint(tensors: [("n", Tensor(shape: [2], scalars: [.nan, -.nan]))])
    let decoded = try Checkpoint(data: checkpoint.encoded())
    let scalars = try #require(decoded["n"]).scalars
    #expect(scalars.map(\.bitPattern) == [Float.nan.bitPattern, (-Float.nan).bitPattern])
  }

  @Test("the header is compact JSON padded with spaces to a multiple of 8 bytes")
  func headerLayout() throws {
    let checkpoint = Checkpoint(
      tensors: [("b", Tensor(shape: [2], scalars: [1, 2])), ("a", Tensor(zeros: [1, 1]))],
      metadata: ["k": "v"])
    let bytes = Array(checkpoint.encoded())
    let length = bytes[0..<8].reversed().reduce(0) { $0 << 8 | Int($1) }
    #expect(length % 8 == 0)
    let header = String(decoding: bytes[8..<(8 + length)], as: UTF8.self)
    let json =
      #"{"__metadata__":{"format":"semrob.safetensors/1","k":"v"},"#
      + #""a":{"dtype":"F32","shape":[1,1],"data_offsets":[0,4]},"#
      + #""b":{"dtype":"F32","shape":[2],"data_offsets":[4,12]}}"#
    #expect(header.trimmingCharacters(in: .init(charactersIn: " ")) == json)
    #expect(header.count == length && header.count - json.count < 8)
    #expect(bytes.count == 8 + length + 12)
    // Little-endian Float32 data: a = 0, then b = 1, 2.
    let data = Array(bytes[(8 + length)...])
    #expect(data == [0, 0, 0, 0, 0, 0, 0x80, 0x3F, 0, 0, 0, 0x40])
  }

  @Test("the format tag replaces a caller's format entry")
  func formatTagWins() throws {
    let checkpoint = Checkpoint(metadata: ["format": "pt", "other": "kept"])
    let decoded = try Checkpoint(data: checkpoint.encoded())
    #expect(
      decoded.metadata == ["format": NeuralNetworksInfo.checkpointFormat, "other": "kept"])
  }

  @Test("writing into a missing directory throws unwritable, naming the path")
  func unwritable() throws {
    try withTemporaryDirectory { directory in
      let url = directory.appending(path: "missing/model.safetensors")
      let error = try #require(throws: CheckpointError.self) {
        try Checkpoint().write(to: url)
      }
      guard case .unwritable(let path, let reason) = error else {
        Issue.record("expected unwritable, got \(error)")
        return
      }
      #expect(path == url.path && reason.contains("mkdir -p"))
      #expect(error.description.hasPrefix("cannot write checkpoint '\(url.path)': "))
    }
  }

  @Test("reading a missing file or a directory throws unreadable, naming the path")
  func unreadable() throws {
    try withTemporaryDirectory { directory in
      for url in [directory.appending(path: "absent.safetensors"), directory] {
        let error = try #require(throws: CheckpointError.self) {
          try Checkpoint(contentsOf: url)
        }
        guard case .unreadable(let path, _) = error else {
          Issue.record("expected unreadable, got \(error)")
          continue
        }
        #expect(path == url.path)
        #expect(error.description.hasPrefix("cannot read checkpoint '\(url.path)': "))
      }
    }
  }

  @Test("a decoded slice of Data with a non-zero start index reads correctly")
  func dataSlice() throws {
    let checkpoint = Checkpoint(tensors: [("x", Tensor(shape: [3], scalars: [1, 2, 3]))])
    let padded = Data([9, 9, 9]) + checkpoint.encoded()
    let slice = padded[3...]
    #expect(try Checkpoint(data: slice) == expectedAfterRoundTrip(checkpoint))
  }
}
