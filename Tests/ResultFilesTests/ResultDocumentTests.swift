import Foundation
import TestSupport
import Testing

@testable import ResultFiles

@Suite struct ResultDocumentTests {
  struct Payload: Codable, Equatable, Sendable {
    var accuracy: Double
    var labels: [String]
    var outputPath: String
  }

  static let provenance = Provenance(
    semrobVersion: "0.1.0", arguments: ["render", "--seed", "7", "Meshes/chair.obj"],
    inputFiles: ["Meshes/chair.obj": String(repeating: "ab", count: 32)],
    settings: ["size": 64, "fovDegrees": 30.5, "shading": "lambert", "flags": [true, nil]],
    seed: 7, threadCount: 2, createdAt: Date(timeIntervalSince1970: 1_700_000_000.75))

  static let document = ResultDocument(
    schema: "semrob.render/1", provenance: provenance,
    payload: Payload(accuracy: 0.875, labels: ["chair", "table"], outputPath: "out/a.png"))

  /// The exact bytes: pretty-printed, keys sorted at every level, slashes unescaped.
  static let golden = """
    {
      "payload" : {
        "accuracy" : 0.875,
        "labels" : [
          "chair",
          "table"
        ],
        "outputPath" : "out/a.png"
      },
      "provenance" : {
        "arguments" : [
          "render",
          "--seed",
          "7",
          "Meshes/chair.obj"
        ],
        "createdAt" : "2023-11-14T22:13:20Z",
        "inputFiles" : {
          "Meshes/chair.obj" : "abababababababababababababababababababababababababababababababab"
        },
        "seed" : 7,
        "semrobVersion" : "0.1.0",
        "settings" : {
          "flags" : [
            true,
            null
          ],
          "fovDegrees" : 30.5,
          "shading" : "lambert",
          "size" : 64
        },
        "threadCount" : 2
      },
      "schema" : "semrob.render/1"
    }

    """

  @Test("encoding is byte-stable: sorted keys, pretty-printed, unescaped slashes")
  func goldenBytes() throws {
    let text = String(decoding: try Self.document.encoded(), as: UTF8.self)
    #expect(text == Self.golden)
    #expect(try Self.document.encoded() == Self.document.encoded())
  }

  @Test("write then read returns the same document")
  func roundTrip() throws {
    try withTemporaryDirectory { directory in
      let url = directory.appending(path: "result.json")
      try Self.document.write(to: url)
      let read = try ResultDocument<Payload>(contentsOf: url, expectingSchema: "semrob.render/1")
      #expect(read == Self.document)
      #expect(try Data(contentsOf: url) == Self.document.encoded())
    }
  }

  @Test("a different schema is reported before the payload is decoded")
  func schemaMismatch() throws {
    let data = try Self.document.encoded()
    let error = try #require(throws: ResultFileError.self) {
      try ResultDocument<[String: Int]>(data: data, expectingSchema: "semrob.attack/2")
    }
    #expect(
      error == .schemaMismatch(path: nil, expected: "semrob.attack/2", found: "semrob.render/1"))
    #expect(!error.description.contains("\n"))
  }

  @Test("invalid documents name the missing or wrong key")
  func invalidDocuments() throws {
    let missing = try #require(throws: ResultFileError.self) {
      try ResultDocument<Payload>(data: Data(#"{"schema": "x/1", "payload": {}}"#.utf8))
    }
    #expect(missing.description.contains("missing key 'provenance'"))
    let garbage = try #require(throws: ResultFileError.self) {
      try ResultDocument<Payload>(data: Data("not json".utf8), expectingSchema: "x/1")
    }
    guard case .invalidDocument(nil, _) = garbage else {
      Issue.record("unexpected \(garbage)")
      return
    }
    #expect(!garbage.description.contains("\n"))
  }

  @Test("a NaN in the payload is an encoding error that says what to do")
  func nanPayload() throws {
    let document = ResultDocument(
      schema: "semrob.test/1", provenance: Self.provenance,
      payload: Payload(accuracy: .nan, labels: [], outputPath: ""))
    let error = try #require(throws: ResultFileError.self) { try document.encoded() }
    guard case .encodingFailed(let reason) = error else {
      Issue.record("unexpected \(error)")
      return
    }
    #expect(reason.contains("accuracy"))
    #expect(error.description.contains("replace non-finite numbers"))
  }

  @Test("reading a missing document names the path")
  func missingFile() throws {
    try withTemporaryDirectory { directory in
      let url = directory.appending(path: "none.json")
      let error = try #require(throws: ResultFileError.self) {
        try ResultDocument<Payload>(contentsOf: url)
      }
      #expect(
        error == .unreadable(path: url.path, reason: "No such file or directory; check the path"))
    }
  }
}

@Suite struct ProvenanceTests {
  @Test(
    "timestamps are UTC ISO 8601 with Z and whole seconds",
    arguments: [
      (0.0, "1970-01-01T00:00:00Z"), (1_700_000_000.999, "2023-11-14T22:13:20Z"),
      (951_782_400, "2000-02-29T00:00:00Z"), (4_107_542_399, "2100-02-28T23:59:59Z"),
      (-1, "1969-12-31T23:59:59Z"), (253_402_300_799, "9999-12-31T23:59:59Z"),
    ])
  func timestamps(seconds: Double, expected: String) {
    #expect(Provenance.timestamp(Date(timeIntervalSince1970: seconds)) == expected)
  }

  @Test("timestamps agree with Foundation's ISO 8601 formatter")
  func agreesWithFoundation() {
    withEvery("seed", in: 0..<100 as Range<UInt64>) { seed in
      var rng = SeededGenerator(seed: seed)
      let seconds = Double(rng.next() % 8_000_000_000) - 1_000_000_000
      let date = Date(timeIntervalSince1970: seconds)
      let formatter = ISO8601DateFormatter()
      formatter.timeZone = TimeZone(identifier: "UTC")
      #expect(Provenance.timestamp(date) == formatter.string(from: date))
    }
  }

  @Test("the default time is now")
  func defaultTime() {
    let before = Provenance.timestamp(Date())
    let provenance = Provenance(semrobVersion: "0", arguments: [], seed: 0, threadCount: 1)
    let after = Provenance.timestamp(Date())
    #expect(provenance.createdAt >= before && provenance.createdAt <= after)
  }

  @Test("digests(of:) records the SHA-256 of each input by path")
  func digests() throws {
    try withTemporaryDirectory { directory in
      let a = directory.appending(path: "a.txt")
      let b = directory.appending(path: "b.txt")
      try Data("abc".utf8).write(to: a)
      try Data().write(to: b)
      let digests = try Provenance.digests(of: [a, b])
      #expect(
        digests == [
          a.path: "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad",
          b.path: "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
        ])
      #expect(throws: ResultFileError.self) {
        try Provenance.digests(of: [directory.appending(path: "missing")])
      }
    }
  }

  @Test("Codable round trip keeps every field, including a seed above 2^53")
  func codable() throws {
    let provenance = Provenance(
      semrobVersion: "1.2.3", arguments: ["a b", "ü"], inputFiles: ["x": "y"],
      settings: ["k": [1, 2.5]], seed: .max, threadCount: 8)
    let data = try ResultJSON.makeDocumentEncoder().encode(provenance)
    #expect(String(decoding: data, as: UTF8.self).contains("18446744073709551615"))
    #expect(try JSONDecoder().decode(Provenance.self, from: data) == provenance)
  }
}
