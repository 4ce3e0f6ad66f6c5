import Foundation
import Tensors
import TestSupport
import Testing

@testable import NeuralNetworks

/// What a malformed file must throw.
enum ExpectedCheckpointError: Sendable {
  /// Exactly this error (with `path == nil`).
  case exact(CheckpointError)
  /// `invalidHeader` whose reason contains the fragment.
  case invalidHeader(String)
  /// `invalidEntry` for the tensor, whose reason contains the fragment.
  case invalidEntry(tensor: String, fragment: String)
}

/// One malformed input and the error it must produce.
struct MalformedCase: Sendable, CustomTestStringConvertible {
  var label: String
  var data: Data
  var expected: ExpectedCheckpointError

  var testDescription: String { label }

  init(_ label: String, _ data: Data, _ expected: ExpectedCheckpointError) {
    self.label = label
    self.data = data
    self.expected = expected
  }

  /// A file whose header is `{<entries>}` and whose buffer is `buffer`.
  init(_ label: String, entries: [String], buffer: Int = 0, _ expected: ExpectedCheckpointError) {
    let header = "{" + entries.joined(separator: ",") + "}"
    self.init(
      label, safetensorsBytes(header: header, buffer: [UInt8](repeating: 0, count: buffer)),
      expected)
  }
}

private func lengthField(_ value: UInt64) -> [UInt8] {
  withUnsafeBytes(of: value.littleEndian) { Array($0) }
}

private let f32x2 = #""dtype":"F32","shape":[2]"#

@Suite struct CheckpointErrorTests {
  static let truncationCases: [MalformedCase] = [
    MalformedCase(
      "empty", Data(),
      .exact(
        .truncated(path: nil, section: "8-byte header length", expectedBytes: 8, foundBytes: 0))
    ),
    MalformedCase(
      "3 bytes", Data([1, 0, 0]),
      .exact(
        .truncated(path: nil, section: "8-byte header length", expectedBytes: 8, foundBytes: 3))
    ),
    MalformedCase(
      "header beyond the file", Data(lengthField(1000) + Array("{}".utf8)),
      .exact(
        .truncated(
          path: nil, section: "header of 1000 bytes", expectedBytes: 1008, foundBytes: 10))),
    MalformedCase(
      "header length at the limit, tiny file", Data(lengthField(100_000_000) + [0x7B]),
      .exact(
        .truncated(
          path: nil, section: "header of 100000000 bytes", expectedBytes: 100_000_008,
          foundBytes: 9))),
    MalformedCase(
      "header length just over the limit", Data(lengthField(100_000_001) + [0x7B]),
      .exact(.headerTooLarge(path: nil, declaredBytes: 100_000_001, limit: 100_000_000))),
    MalformedCase(
      "header length UInt64.max", Data(lengthField(.max) + Array("{}".utf8)),
      .exact(.headerTooLarge(path: nil, declaredBytes: .max, limit: 100_000_000))),
    MalformedCase(
      "data beyond the file", entries: [entryJSON("w", shape: [2, 2], offsets: (0, 16))],
      buffer: 12,
      .exact(.offsetsOutOfRange(path: nil, tensor: "w", begin: 0, end: 16, bufferBytes: 12))),
  ]

  static let headerCases: [MalformedCase] = [
    MalformedCase("not JSON", safetensorsBytes(header: "hello"), .invalidHeader("not valid JSON")),
    MalformedCase(
      "empty header", safetensorsBytes(header: ""), .invalidHeader("unexpected end of text")),
    MalformedCase(
      "JSON array", safetensorsBytes(header: "[]"),
      .invalidHeader("expected a JSON object, found []")),
    MalformedCase(
      "JSON string", safetensorsBytes(header: #""x""#),
      .invalidHeader(#"expected a JSON object, found "x""#)),
    MalformedCase(
      "unterminated object", safetensorsBytes(header: #"{"x": {"dtype": "F32","#),
      .invalidHeader("not valid JSON")),
    MalformedCase(
      "text after the object", safetensorsBytes(header: "{} x"),
      .invalidHeader("unexpected text after the top-level value")),
    MalformedCase(
      "NUL padding", safetensorsBytes(header: "{}\u{0}"),
      .invalidHeader("unexpected text after the top-level value")),
    MalformedCase(
      "trailing comma", safetensorsBytes(header: #"{"__metadata__":{},}"#),
      .invalidHeader("unexpected '}' after ','")),
    MalformedCase(
      "invalid UTF-8 in a name",
      Data(lengthField(9) + Array(#"{""#.utf8) + [0xFF, 0xFE] + Array(#"":{}}"#.utf8)),
      .invalidHeader("invalid UTF-8 in a string")),
    MalformedCase(
      "lone surrogate in a name", safetensorsBytes(header: #"{"\ud800":{}}"#),
      .invalidHeader("unpaired surrogate")),
    MalformedCase(
      "raw newline in a name", safetensorsBytes(header: "{\"a\nb\":{}}"),
      .invalidHeader("control character in a string")),
    MalformedCase(
      "leading zero", safetensorsBytes(header: #"{"x":{"dtype":"F32","shape":[01]}}"#),
      .invalidHeader("leading zero")),
    MalformedCase(
      "deep nesting in an ignored field",
      safetensorsBytes(
        header: #"{"x":{"extra":"# + String(repeating: "[", count: 100)
          + String(repeating: "]", count: 100) + "}}"),
      .invalidHeader("nesting deeper than 64 levels")),
    MalformedCase(
      "metadata not an object", safetensorsBytes(header: #"{"__metadata__":[1]}"#),
      .invalidHeader("expected '__metadata__' to be an object of strings, found [1]")),
    MalformedCase(
      "metadata value not a string", safetensorsBytes(header: #"{"__metadata__":{"k":1}}"#),
      .invalidHeader("the '__metadata__' value of 'k' to be a string, found 1")),
    MalformedCase(
      "metadata key twice", safetensorsBytes(header: #"{"__metadata__":{"k":"a","k":"b"}}"#),
      .invalidHeader("'__metadata__' has the key 'k' twice")),
    MalformedCase(
      "metadata twice", safetensorsBytes(header: #"{"__metadata__":{},"__metadata__":{}}"#),
      .invalidHeader("'__metadata__' appears twice")),
  ]

  static let entryCases: [MalformedCase] = [
    MalformedCase(
      "entry not an object", safetensorsBytes(header: #"{"x":5}"#),
      .invalidEntry(
        tensor: "x", fragment: "expected an object with dtype, shape and data_offsets, found 5")),
    MalformedCase(
      "dtype not a string", entries: [#""x":{"dtype":32,"shape":[],"data_offsets":[0,4]}"#],
      buffer: 4, .invalidEntry(tensor: "x", fragment: "expected 'dtype' to be a string")),
    MalformedCase(
      "dtype missing", entries: [#""x":{"shape":[],"data_offsets":[0,4]}"#], buffer: 4,
      .invalidEntry(tensor: "x", fragment: "the field 'dtype' is missing")),
    MalformedCase(
      "shape missing", entries: [#""x":{"dtype":"F32","data_offsets":[0,4]}"#], buffer: 4,
      .invalidEntry(tensor: "x", fragment: "the field 'shape' is missing")),
    MalformedCase(
      "data_offsets missing", entries: [#""x":{"dtype":"F32","shape":[]}"#], buffer: 4,
      .invalidEntry(tensor: "x", fragment: "the field 'data_offsets' is missing")),
    MalformedCase(
      "shape twice", entries: [#""x":{"dtype":"F32","shape":[],"shape":[],"data_offsets":[0,4]}"#],
      buffer: 4, .invalidEntry(tensor: "x", fragment: "the field 'shape' appears twice")),
    MalformedCase(
      "shape not an array", entries: [#""x":{"dtype":"F32","shape":"2","data_offsets":[0,8]}"#],
      buffer: 8,
      .invalidEntry(
        tensor: "x",
        fragment: #"expected 'shape' to be an array of non-negative integers, found "2""#)),
    MalformedCase(
      "negative extent", entries: [#""x":{"dtype":"F32","shape":[2,-3],"data_offsets":[0,0]}"#],
      .invalidEntry(tensor: "x", fragment: "non-negative integers, found [2,-3]")),
    MalformedCase(
      "negative zero extent", entries: [#""x":{"dtype":"F32","shape":[-0],"data_offsets":[0,0]}"#],
      .invalidEntry(tensor: "x", fragment: "found [-0]")),
    MalformedCase(
      "fractional extent", entries: [#""x":{"dtype":"F32","shape":[2.0],"data_offsets":[0,8]}"#],
      buffer: 8, .invalidEntry(tensor: "x", fragment: "found [2.0]")),
    MalformedCase(
      "exponent extent", entries: [#""x":{"dtype":"F32","shape":[2e0],"data_offsets":[0,8]}"#],
      buffer: 8, .invalidEntry(tensor: "x", fragment: "found [2e0]")),
    MalformedCase(
      "string extent", entries: [#""x":{"dtype":"F32","shape":["2"],"data_offsets":[0,8]}"#],
      buffer: 8, .invalidEntry(tensor: "x", fragment: #"found ["2"]"#)),
    MalformedCase(
      "rank 65",
      entries: [
        #""x":{"dtype":"F32","shape":"# + "\([Int](repeating: 1, count: 65))"
          + #","data_offsets":[0,4]}"#
      ], buffer: 4,
      .invalidEntry(tensor: "x", fragment: "of at most 64 dimensions, found 65")),
    MalformedCase(
      "offsets not two integers", entries: [#""x":{\#(f32x2),"data_offsets":[0,8,8]}"#],
      buffer: 8, .invalidEntry(tensor: "x", fragment: "found [0,8,8]")),
    MalformedCase(
      "offsets of one integer", entries: [#""x":{\#(f32x2),"data_offsets":[8]}"#], buffer: 8,
      .invalidEntry(tensor: "x", fragment: "[begin, end]")),
    MalformedCase(
      "negative offset", entries: [#""x":{\#(f32x2),"data_offsets":[-8,0]}"#], buffer: 8,
      .invalidEntry(tensor: "x", fragment: "found [-8,0]")),
    MalformedCase(
      "fractional offset", entries: [#""x":{\#(f32x2),"data_offsets":[0,8.0]}"#], buffer: 8,
      .invalidEntry(tensor: "x", fragment: "found [0,8.0]")),
    MalformedCase(
      "offset beyond Int", entries: [#""x":{\#(f32x2),"data_offsets":[0,99999999999999999999]}"#],
      buffer: 8, .invalidEntry(tensor: "x", fragment: "that fit in 64 bits")),
    MalformedCase(
      "offsets end before they begin", entries: [#""x":{\#(f32x2),"data_offsets":[8,0]}"#],
      buffer: 8, .invalidEntry(tensor: "x", fragment: "0 ≤ begin ≤ end, found [8,0]")),
  ]

  static let layoutCases: [MalformedCase] = [
    MalformedCase(
      "unsupported dtype", entries: [entryJSON("ids", dtype: "I32", shape: [2], offsets: (0, 8))],
      buffer: 8, .exact(.unsupportedDType(path: nil, tensor: "ids", dtype: "I32"))),
    MalformedCase(
      "unknown dtype", entries: [entryJSON("q", dtype: "F128", shape: [1], offsets: (0, 16))],
      buffer: 16, .exact(.unsupportedDType(path: nil, tensor: "q", dtype: "F128"))),
    MalformedCase(
      "lower-case dtype", entries: [entryJSON("q", dtype: "f32", shape: [1], offsets: (0, 4))],
      buffer: 4, .exact(.unsupportedDType(path: nil, tensor: "q", dtype: "f32"))),
    MalformedCase(
      "element count overflows",
      entries: [entryJSON("big", shape: [1 << 32, 1 << 32], offsets: (0, 0))],
      .exact(.shapeTooLarge(path: nil, tensor: "big", shape: "[4294967296, 4294967296]"))),
    MalformedCase(
      "byte count overflows",
      entries: [entryJSON("big", dtype: "F64", shape: [1 << 61], offsets: (0, 0))],
      .exact(.shapeTooLarge(path: nil, tensor: "big", shape: "[2305843009213693952]"))),
    MalformedCase(
      "extent beyond Int",
      entries: [#""big":{"dtype":"F32","shape":[99999999999999999999],"data_offsets":[0,0]}"#],
      .exact(.shapeTooLarge(path: nil, tensor: "big", shape: "[99999999999999999999]"))),
    MalformedCase(
      "empty but overflowing strides",
      entries: [entryJSON("e", shape: [0, 1 << 62, 4], offsets: (0, 0))],
      .exact(.shapeTooLarge(path: nil, tensor: "e", shape: "[0, 4611686018427387904, 4]"))),
    MalformedCase(
      "offsets inconsistent with the shape", entries: [entryJSON("w", shape: [2], offsets: (0, 4))],
      buffer: 4,
      .exact(
        .sizeMismatch(
          path: nil, tensor: "w", dtype: "F32", shape: [2], expectedBytes: 8, foundBytes: 4))),
    MalformedCase(
      "offsets out of range", entries: [entryJSON("w", shape: [2], offsets: (8, 16))], buffer: 12,
      .exact(.offsetsOutOfRange(path: nil, tensor: "w", begin: 8, end: 16, bufferBytes: 12))),
    MalformedCase(
      "overlapping tensors",
      entries: [
        entryJSON("a", shape: [2], offsets: (0, 8)), entryJSON("b", shape: [2], offsets: (4, 12)),
      ], buffer: 12, .exact(.overlappingTensors(path: nil, tensor: "b", other: "a", offset: 4))),
    MalformedCase(
      "identical ranges",
      entries: [
        entryJSON("a", shape: [2], offsets: (0, 8)), entryJSON("b", shape: [2], offsets: (0, 8)),
      ], buffer: 8, .exact(.overlappingTensors(path: nil, tensor: "b", other: "a", offset: 0))),
    MalformedCase(
      "empty tensor inside another",
      entries: [
        entryJSON("a", shape: [2], offsets: (0, 8)), entryJSON("e", shape: [0], offsets: (4, 4)),
      ], buffer: 8, .exact(.overlappingTensors(path: nil, tensor: "e", other: "a", offset: 4))),
    MalformedCase(
      "hole between tensors",
      entries: [
        entryJSON("a", shape: [1], offsets: (0, 4)), entryJSON("b", shape: [1], offsets: (8, 12)),
      ], buffer: 12, .exact(.bufferHole(path: nil, begin: 4, end: 8, before: "b"))),
    MalformedCase(
      "hole at the start", entries: [entryJSON("a", shape: [1], offsets: (4, 8))], buffer: 8,
      .exact(.bufferHole(path: nil, begin: 0, end: 4, before: "a"))),
    MalformedCase(
      "trailing bytes", entries: [entryJSON("a", shape: [1], offsets: (0, 4))], buffer: 6,
      .exact(.bufferHole(path: nil, begin: 4, end: 6, before: nil))),
    MalformedCase(
      "no tensors but a buffer", entries: [], buffer: 4,
      .exact(.bufferHole(path: nil, begin: 0, end: 4, before: nil))),
    MalformedCase(
      "duplicate names",
      entries: [
        entryJSON("w", shape: [1], offsets: (0, 4)), entryJSON("w", shape: [1], offsets: (4, 8)),
      ], buffer: 8, .exact(.duplicateTensor(path: nil, tensor: "w"))),
    MalformedCase(
      "duplicate names after escapes",
      entries: [
        entryJSON("w", shape: [1], offsets: (0, 4)),
        entryJSON(#"\u0077"#, shape: [1], offsets: (4, 8)),
      ], buffer: 8, .exact(.duplicateTensor(path: nil, tensor: "w"))),
  ]

  static let allCases = truncationCases + headerCases + entryCases + layoutCases

  @Test("every malformed input throws its error", arguments: allCases)
  func malformed(testCase: MalformedCase) throws {
    let error = try #require(checkpointError(testCase.data))
    switch (testCase.expected, error) {
    case (.exact(let expected), _):
      #expect(error == expected)
    case (.invalidHeader(let fragment), .invalidHeader(nil, let reason)):
      #expect(reason.contains(fragment), "reason: \(reason)")
    case (.invalidEntry(let tensor, let fragment), .invalidEntry(nil, let name, let reason)):
      #expect(name == tensor)
      #expect(reason.contains(fragment), "reason: \(reason)")
    default:
      Issue.record("expected \(testCase.expected), got \(error)")
    }
    let message = error.description
    #expect(message.hasPrefix("cannot read checkpoint data: "))
    #expect(!message.contains("\n"))
    if case .invalidEntry(_, let name, _) = error { #expect(message.contains("'\(name)'")) }
  }

  @Test("errors from files name the path")
  func pathInMessages() throws {
    try withTemporaryDirectory { directory in
      let url = directory.appending(path: "bad.safetensors")
      let bytes = safetensorsBytes(
        header: "{" + entryJSON("layers.0.weight", shape: [2], offsets: (0, 4)) + "}",
        buffer: [0, 0, 0, 0])
      try bytes.write(to: url)
      let error = try #require(throws: CheckpointError.self) { try Checkpoint(contentsOf: url) }
      #expect(
        error
          == .sizeMismatch(
            path: url.path, tensor: "layers.0.weight", dtype: "F32", shape: [2], expectedBytes: 8,
            foundBytes: 4))
      #expect(
        error.description
          == "cannot read checkpoint '\(url.path)': tensor 'layers.0.weight' of dtype F32 and "
          + "shape [2] needs 8 bytes, but its data_offsets span 4; the header is corrupt: "
          + "save the checkpoint again")
    }
  }

  @Test("a tensor name with control characters cannot break the message's line")
  func escapedNames() throws {
    let data = safetensorsBytes(
      header: "{" + entryJSON(#"evil\nname\u2028"#, dtype: "I8", shape: [1], offsets: (0, 1)) + "}",
      buffer: [0])
    let error = try #require(checkpointError(data))
    #expect(error == .unsupportedDType(path: nil, tensor: "evil\nname\u{2028}", dtype: "I8"))
    #expect(!error.description.contains("\n") && !error.description.contains("\u{2028}"))
    #expect(error.description.contains(#"'evil\nname\u{2028}'"#))
    let withPath = try #require(throws: CheckpointError.self) {
      try Checkpoint.decode(Data(), path: "dir\nname.safetensors")
    }
    #expect(withPath.description.hasPrefix(#"cannot read checkpoint 'dir\nname.safetensors': "#))
  }

  @Test("valid variations are accepted")
  func acceptedVariations() throws {
    let accepted: [(String, Data)] = [
      ("no tensors", safetensorsBytes(header: "{}")),
      ("leading and trailing whitespace", safetensorsBytes(header: " \n{} \t\r\n")),
      ("null metadata", safetensorsBytes(header: #"{"__metadata__":null}"#)),
      (
        "unknown fields and escapes",
        safetensorsBytes(
          header: #"{"\u0061\/b":{"extra":[{"k":null},true,false,-1.5e3],"dtype":"F32","#
            + #""shape":[],"data_offsets":[0,4]}}"#,
          buffer: [0, 0, 0x80, 0x3F])
      ),
      (
        "empty tensors sharing offsets, in any header order",
        safetensorsBytes(
          header: "{" + entryJSON("b", shape: [1], offsets: (4, 8)) + ","
            + entryJSON("e1", shape: [0, 3], offsets: (4, 4)) + ","
            + entryJSON("e2", shape: [0], offsets: (4, 4)) + ","
            + entryJSON("a", dtype: "F16", shape: [2], offsets: (0, 4)) + ","
            + entryJSON("e0", shape: [0], offsets: (0, 0)) + ","
            + entryJSON("e3", shape: [0], offsets: (8, 8)) + "}",
          buffer: [UInt8](repeating: 0, count: 8))
      ),
    ]
    for (label, data) in accepted {
      #expect(throws: Never.self, "\(label)") { try Checkpoint(data: data) }
    }
    let unknown = try Checkpoint(data: accepted[3].1)
    #expect(unknown.names == ["a/b"] && unknown["a/b"]?.scalars == [1])
    let empties = try Checkpoint(data: accepted[4].1)
    #expect(empties.names == ["b", "e1", "e2", "a", "e0", "e3"])
    #expect(empties["e1"]?.shape == [0, 3] && empties["a"]?.scalars == [0, 0])
  }
}
