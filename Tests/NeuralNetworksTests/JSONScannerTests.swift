import Foundation
import Testing

@testable import NeuralNetworks

@Suite struct JSONScannerTests {
  /// Runs `body` with a scanner over the UTF-8 bytes of `text`.
  private func scan<T>(_ text: String, _ body: (inout JSONScanner) throws -> T) rethrows -> T {
    let bytes = Array(text.utf8)
    return try bytes.withUnsafeBytes { raw in
      var scanner = JSONScanner(bytes: raw)
      return try body(&scanner)
    }
  }

  @Test(
    "strings decode every escape",
    arguments: [
      (#""plain""#, "plain"), (#""a\"b\\c\/d""#, #"a"b\c/d"#),
      (#""\b\f\n\r\t""#, "\u{8}\u{C}\n\r\t"), (#""\u00e9\u0000""#, "é\u{0}"),
      (#""\ud83d\ude00 ok""#, "😀 ok"), (#""Zürich ✓""#, "Zürich ✓"), (#""""#, ""),
    ])
  func strings(text: String, expected: String) throws {
    #expect(try scan(text) { try $0.readString() } == expected)
  }

  @Test(
    "invalid strings fail",
    arguments: [
      #""abc"#, #""\x""#, #""\u12""#, #""\udc00""#, #""\ud800x""#, #""\ud800\u0041""#,
      "\"a\u{1}b\"", #"'single'"#,
    ])
  func invalidStrings(text: String) {
    #expect(throws: JSONScanner.Failure.self) { try scan(text) { try $0.readString() } }
  }

  @Test("numbers keep integers apart and detect overflow")
  func numbers() throws {
    let cases: [(String, Bool, Bool, Int?)] = [
      ("0", true, false, 0), ("-12", true, true, -12), ("-0", true, true, 0),
      ("9223372036854775807", true, false, .max), ("-9223372036854775808", true, true, .min),
      ("9223372036854775808", true, false, nil), ("1.5", false, false, nil),
      ("2e3", false, false, nil), ("-1E-2", false, true, nil),
    ]
    for (text, isInteger, isNegative, value) in cases {
      let number = try scan(text) { try $0.readNumber() }
      #expect(number.isInteger == isInteger && number.isNegative == isNegative, "\(text)")
      #expect(number.value == value, "\(text)")
      #expect(number.range == 0..<text.utf8.count, "\(text)")
    }
    for text in ["01", "-", "1.", ".5", "1e", "+1", "-a"] {
      #expect(throws: JSONScanner.Failure.self, "\(text)") {
        try scan(text) { scanner in
          _ = try scanner.readNumber()
          try scanner.expectEnd()
        }
      }
    }
  }

  @Test("skipValue walks nested values and rejects bad syntax")
  func skipping() throws {
    try scan(#" {"a": [1, {"b": null}, true, false, "x"], "c": {}} "#) { scanner in
      try scanner.skipValue()
      try scanner.expectEnd()
    }
    for text in ["[1,]", "{\"a\" 1}", "{1: 2}", "[1 2]", "tru", "nul", "{\"a\":}", "]"] {
      #expect(throws: JSONScanner.Failure.self, "\(text)") {
        try scan(text) { scanner in
          try scanner.skipValue()
          try scanner.expectEnd()
        }
      }
    }
  }

  @Test("nesting is capped at 64 levels")
  func nestingLimit() throws {
    let ok = String(repeating: "[", count: 64) + String(repeating: "]", count: 64)
    try scan(ok) { try $0.skipValue() }
    let deep = String(repeating: "[", count: 100_000)
    let failure = try #require(throws: JSONScanner.Failure.self) {
      try scan(deep) { try $0.skipValue() }
    }
    #expect(failure.message == "nesting deeper than 64 levels" && failure.offset == 64)
  }

  @Test("excerpts are one line and shortened")
  func excerpts() {
    let text = "{\"a\nb\": " + String(repeating: "x", count: 200) + "}"
    let excerpt = scan(text) { $0.excerpt(0..<text.utf8.count) }
    #expect(!excerpt.contains("\n") && excerpt.hasPrefix(#"{"a\nb""#) && excerpt.hasSuffix("…"))
  }
}
