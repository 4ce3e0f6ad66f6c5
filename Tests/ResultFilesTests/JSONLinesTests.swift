import Foundation
import TestSupport
import Testing

@testable import ResultFiles

@Suite struct JSONLinesTests {
  struct Sample: Codable, Equatable {
    var index: Int
    var label: String
    var score: Double
  }

  @Test("each record is one compact, sorted line")
  func lineFormat() throws {
    let line = try JSONLines.encodedLine(Sample(index: 3, label: "a/b\nc", score: 0.5))
    #expect(
      String(decoding: line, as: UTF8.self) == #"{"index":3,"label":"a/b\nc","score":0.5}"# + "\n")
  }

  @Test("append adds lines in order; read returns the records")
  func appendAndRead() throws {
    try withTemporaryDirectory { directory in
      let url = directory.appending(path: "samples.jsonl")
      try JSONLines.append(Sample(index: 0, label: "x", score: 1), to: url)
      try JSONLines.append(Sample(index: 1, label: "y", score: -2.25), to: url)
      try JSONLines.append(
        contentsOf: [
          Sample(index: 2, label: "z", score: 0), Sample(index: 3, label: "w", score: 3),
        ],
        to: url)
      try JSONLines.append(contentsOf: [Sample](), to: url)
      let text = String(decoding: try Data(contentsOf: url), as: UTF8.self)
      #expect(text.split(separator: "\n").count == 4)
      #expect(text.hasSuffix("}\n"))
      let records = try JSONLines.read(Sample.self, from: url)
      #expect(records.map(\.index) == [0, 1, 2, 3])
      #expect(records[1] == Sample(index: 1, label: "y", score: -2.25))
    }
  }

  @Test("free-form records use JSONValue")
  func freeForm() throws {
    try withTemporaryDirectory { directory in
      let url = directory.appending(path: "free.jsonl")
      try JSONLines.append(["b": 1, "a": [nil, "s"]] as JSONValue, to: url)
      #expect(
        String(decoding: try Data(contentsOf: url), as: UTF8.self)
          == "{\"a\":[null,\"s\"],\"b\":1}\n")
    }
  }

  @Test("a bad line is reported with its number")
  func badLine() throws {
    try withTemporaryDirectory { directory in
      let url = directory.appending(path: "bad.jsonl")
      try Data("{\"index\":0,\"label\":\"x\",\"score\":1}\n\n{\"index\":\"one\"}\n".utf8).write(
        to: url)
      let error = try #require(throws: ResultFileError.self) {
        try JSONLines.read(Sample.self, from: url)
      }
      guard case .invalidDocument(let path, let reason) = error else {
        Issue.record("unexpected \(error)")
        return
      }
      #expect(path == url.path)
      #expect(reason.hasPrefix("line 3:"))
    }
  }

  @Test("an encoding failure appends nothing")
  func encodingFailureAppendsNothing() throws {
    try withTemporaryDirectory { directory in
      let url = directory.appending(path: "s.jsonl")
      try JSONLines.append(Sample(index: 0, label: "ok", score: 1), to: url)
      #expect(throws: ResultFileError.self) {
        try JSONLines.append(
          contentsOf: [
            Sample(index: 1, label: "ok", score: 2), Sample(index: 2, label: "nan", score: .nan),
          ],
          to: url)
      }
      #expect(try JSONLines.read(Sample.self, from: url).count == 1)
    }
  }

  @Test("appending into a missing directory says what to do")
  func missingDirectory() throws {
    try withTemporaryDirectory { directory in
      let url = directory.appending(path: "nope/s.jsonl")
      let error = try #require(throws: ResultFileError.self) {
        try JSONLines.append(Sample(index: 0, label: "", score: 0), to: url)
      }
      #expect(error.description.contains("create it first"))
    }
  }

  @Test("a record that is not a JSON object is a programmer error")
  func nonObject() async {
    await #expect(processExitsWith: .failure) {
      _ = try? JSONLines.encodedLine([1, 2, 3])
    }
  }
}
