import Foundation
import TestSupport
import Testing

@testable import ResultFiles

@Suite struct JSONValueTests {
  @Test("literals build the expected cases")
  func literals() {
    let value: JSONValue = ["a": 1, "b": 2.5, "c": "x", "d": [true, nil], "e": ["f": 0]]
    #expect(
      value
        == .object([
          "a": .int(1), "b": .double(2.5), "c": .string("x"), "d": .array([.bool(true), .null]),
          "e": .object(["f": .int(0)]),
        ]))
    #expect(value["a"] == .int(1))
    #expect(value["missing"] == nil)
    #expect(JSONValue.int(3)["a"] == nil)
  }

  @Test("decoding keeps integers, doubles and nesting")
  func decoding() throws {
    let json = """
      {"big": 9007199254740993, "n": null, "x": 1.5, "i": -3, "s": "a/b",
       "l": [1, "2", false], "o": {}}
      """
    let value = try JSONDecoder().decode(JSONValue.self, from: Data(json.utf8))
    #expect(
      value
        == [
          "big": .int(9_007_199_254_740_993), "n": nil, "x": 1.5, "i": -3, "s": "a/b",
          "l": [1, "2", false], "o": .object([:]),
        ])
  }

  @Test("encoding is sorted and round-trips")
  func encoding() throws {
    let value: JSONValue = ["zeta": [1, 2], "alpha": "a/b", "mid": ["y": nil, "x": 0.25]]
    let bytes = try ResultJSON.makeLineEncoder().encode(value)
    #expect(
      String(decoding: bytes, as: UTF8.self)
        == #"{"alpha":"a/b","mid":{"x":0.25,"y":null},"zeta":[1,2]}"#)
    #expect(try JSONDecoder().decode(JSONValue.self, from: bytes) == value)
  }

  @Test("integral doubles read back as integers; numberValue reads both")
  func integralDoubles() throws {
    let bytes = try ResultJSON.makeLineEncoder().encode(JSONValue.double(30))
    let value = try JSONDecoder().decode(JSONValue.self, from: bytes)
    #expect(value == .int(30))
    #expect(value.numberValue == 30)
    #expect(JSONValue.double(0.5).numberValue == 0.5)
    #expect(JSONValue.string("1").numberValue == nil)
  }

  @Test("non-finite doubles cannot be encoded")
  func nonFinite() {
    #expect(throws: EncodingError.self) {
      try ResultJSON.makeLineEncoder().encode(JSONValue.array([.double(.nan)]))
    }
  }
}
