// A strict, pull-style reader of JSON text (RFC 8259) for the safetensors header. Goals:
//   1. Never crash, never recurse without bound and never allocate more than the text's size on
//      hostile input: every read is bounds-checked and nesting is capped.
//   2. Let the caller walk the document against a schema without building a tree, so that a
//      100 MB header costs little more than its own bytes.
//   3. Accept exactly what serde_json (the reference implementation's parser) accepts for the
//      header, and keep integers apart from other numbers, as serde does for `usize` fields.

/// A reader that walks JSON text value by value, reporting the byte offset of any error.
///
/// Objects and arrays are read with ``beginObject()`` / ``nextKey(_:)`` and ``beginArray()`` /
/// ``nextElement(_:)``; scalars with ``readString()`` and ``readNumber()``; anything else is
/// skipped (and still validated) with ``skipValue()``.
struct JSONScanner {
  /// A syntax error and the byte offset where it was found.
  struct Failure: Error {
    var message: String
    var offset: Int
  }

  /// The kinds of value, told apart by their first byte.
  enum ValueKind: Equatable {
    case object, array, string, number, literal
  }

  /// A number token, with its integer value when it has one.
  struct Number {
    /// The token's bytes in the text.
    var range: Range<Int>
    /// Whether the token has no fraction and no exponent (`12`, `-3`, but not `1.0` or `1e2`).
    var isInteger: Bool
    /// Whether the token starts with `-` (including `-0`).
    var isNegative: Bool
    /// The value of an integer token that fits in `Int`; `nil` otherwise.
    var value: Int?
  }

  /// The state of one object or array being read.
  struct Container {
    fileprivate var isFirst = true
  }

  /// Nesting limit, so that `[[[[…` cannot exhaust the stack.
  static let maximumDepth = 64

  let bytes: UnsafeRawBufferPointer
  private(set) var position = 0
  private var depth = 0

  init(bytes: UnsafeRawBufferPointer) { self.bytes = bytes }

  // MARK: Objects and arrays

  /// Reads `{` and returns the state for ``nextKey(_:)``.
  mutating func beginObject() throws -> Container {
    try open("{")
    return Container()
  }

  /// Reads the next member's key and its `:`, or the closing `}` (then returns `nil`).
  mutating func nextKey(_ container: inout Container) throws -> String? {
    guard try nextMember(&container, closing: "}") else { return nil }
    skipWhitespace()
    guard peek() == UInt8(ascii: "\"") else { throw fail("expected a string key") }
    let key = try readString()
    skipWhitespace()
    guard peek() == UInt8(ascii: ":") else { throw fail("expected ':' after a key") }
    position += 1
    return key
  }

  /// Reads `[` and returns the state for ``nextElement(_:)``.
  mutating func beginArray() throws -> Container {
    try open("[")
    return Container()
  }

  /// Moves to the next element (returns `true`), or reads the closing `]` (returns `false`).
  mutating func nextElement(_ container: inout Container) throws -> Bool {
    try nextMember(&container, closing: "]")
  }

  private mutating func open(_ bracket: Unicode.Scalar) throws {
    skipWhitespace()
    guard peek() == UInt8(ascii: bracket) else { throw fail("expected '\(bracket)'") }
    depth += 1
    if depth > Self.maximumDepth { throw fail("nesting deeper than \(Self.maximumDepth) levels") }
    position += 1
  }

  private mutating func nextMember(_ container: inout Container, closing: Unicode.Scalar) throws
    -> Bool
  {
    skipWhitespace()
    if peek() == UInt8(ascii: closing) {
      position += 1
      depth -= 1
      return false
    }
    if container.isFirst {
      container.isFirst = false
    } else {
      guard peek() == UInt8(ascii: ",") else { throw fail("expected ',' or '\(closing)'") }
      position += 1
      skipWhitespace()
      // JSON has no trailing commas.
      if peek() == UInt8(ascii: closing) { throw fail("unexpected '\(closing)' after ','") }
    }
    return true
  }

  // MARK: Scalars and skipping

  /// The kind of the next value, after whitespace; `nil` at the end or on an invalid byte.
  mutating func peekKind() -> ValueKind? {
    skipWhitespace()
    guard let byte = peek() else { return nil }
    switch byte {
    case UInt8(ascii: "{"): return .object
    case UInt8(ascii: "["): return .array
    case UInt8(ascii: "\""): return .string
    case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"): return .number
    case UInt8(ascii: "t"), UInt8(ascii: "f"), UInt8(ascii: "n"): return .literal
    default: return nil
    }
  }

  /// Reads `null` if it comes next (returns `true`); otherwise reads nothing.
  mutating func skipNull() -> Bool {
    skipWhitespace()
    guard matches("null") else { return false }
    position += 4
    return true
  }

  /// Skips one complete value of any kind, checking its syntax.
  mutating func skipValue() throws {
    switch peekKind() {
    case .object:
      var object = try beginObject()
      while try nextKey(&object) != nil { try skipValue() }
    case .array:
      var array = try beginArray()
      while try nextElement(&array) { try skipValue() }
    case .string: _ = try readString()
    case .number: _ = try readNumber()
    case .literal:
      for word in ["true", "false", "null"] where matches(word) {
        position += word.utf8.count
        return
      }
      throw fail("expected true, false or null")
    case nil:
      throw fail(position < bytes.count ? "unexpected character" : "unexpected end of text")
    }
  }

  /// Reads a string, decoding its escapes; rejects raw control characters, invalid UTF-8 and
  /// unpaired surrogates.
  mutating func readString() throws -> String {
    skipWhitespace()
    guard peek() == UInt8(ascii: "\"") else { throw fail("expected a string") }
    position += 1
    let start = position
    // Fast path: no escapes, so the string is a slice of the text.
    while let byte = peek(), byte != UInt8(ascii: "\""), byte != UInt8(ascii: "\\") {
      guard byte >= 0x20 else { throw fail("control character in a string") }
      position += 1
    }
    var content = Array(bytes[start..<position])
    while let byte = peek() {
      position += 1
      switch byte {
      case UInt8(ascii: "\""):
        guard let text = String(validating: content, as: UTF8.self) else {
          throw Failure(message: "invalid UTF-8 in a string", offset: start)
        }
        return text
      case UInt8(ascii: "\\"):
        try readEscape(into: &content)
      case ..<0x20:
        position -= 1
        throw fail("control character in a string")
      default:
        content.append(byte)
      }
    }
    throw fail("unterminated string")
  }

  private mutating func readEscape(into content: inout [UInt8]) throws {
    guard let escaped = peek() else { throw fail("unterminated string") }
    position += 1
    switch escaped {
    case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"): content.append(escaped)
    case UInt8(ascii: "b"): content.append(0x08)
    case UInt8(ascii: "f"): content.append(0x0C)
    case UInt8(ascii: "n"): content.append(0x0A)
    case UInt8(ascii: "r"): content.append(0x0D)
    case UInt8(ascii: "t"): content.append(0x09)
    case UInt8(ascii: "u"):
      var scalar = UInt32(try readHex4())
      if (0xD800..<0xDC00).contains(scalar) {
        // A high surrogate must be followed by \u and a low surrogate (UTF-16 pair).
        guard matches("\\u") else { throw fail("unpaired surrogate in a \\u escape") }
        position += 2
        let low = UInt32(try readHex4())
        guard (0xDC00..<0xE000).contains(low) else {
          throw fail("unpaired surrogate in a \\u escape")
        }
        scalar = 0x10000 + ((scalar - 0xD800) << 10) + (low - 0xDC00)
      } else if (0xDC00..<0xE000).contains(scalar) {
        throw fail("unpaired surrogate in a \\u escape")
      }
      guard let unicode = Unicode.Scalar(scalar) else { throw fail("invalid \\u escape") }
      content.append(contentsOf: String(unicode).utf8)
    default:
      position -= 1
      throw fail("invalid escape")
    }
  }

  private mutating func readHex4() throws -> UInt16 {
    guard position + 4 <= bytes.count else { throw fail("unterminated \\u escape") }
    var value: UInt16 = 0
    for _ in 0..<4 {
      let byte = bytes[position]
      let digit: UInt8
      switch byte {
      case UInt8(ascii: "0")...UInt8(ascii: "9"): digit = byte - UInt8(ascii: "0")
      case UInt8(ascii: "a")...UInt8(ascii: "f"): digit = byte - UInt8(ascii: "a") + 10
      case UInt8(ascii: "A")...UInt8(ascii: "F"): digit = byte - UInt8(ascii: "A") + 10
      default: throw fail("invalid hex digit in a \\u escape")
      }
      value = value << 4 | UInt16(digit)
      position += 1
    }
    return value
  }

  /// Reads a number: `-? (0 | [1-9][0-9]*) (. [0-9]+)? ([eE] [+-]? [0-9]+)?`.
  mutating func readNumber() throws -> Number {
    skipWhitespace()
    let start = position
    let isNegative = peek() == UInt8(ascii: "-")
    if isNegative { position += 1 }
    var value: Int? = 0
    let digitsStart = position
    while let byte = peek(), isDigit(byte) {
      position += 1
      if let current = value {
        // Accumulate towards the sign so that Int.min parses; nil marks overflow.
        let digit = Int(byte - UInt8(ascii: "0"))
        let (shifted, overflow1) = current.multipliedReportingOverflow(by: 10)
        let (sum, overflow2) = shifted.addingReportingOverflow(isNegative ? -digit : digit)
        value = overflow1 || overflow2 ? nil : sum
      }
    }
    let digitCount = position - digitsStart
    guard digitCount > 0 else { throw fail("expected a digit") }
    if digitCount > 1 && bytes[digitsStart] == UInt8(ascii: "0") {
      throw Failure(message: "leading zero in a number", offset: digitsStart)
    }
    var isInteger = true
    if peek() == UInt8(ascii: ".") {
      isInteger = false
      position += 1
      try readDigits()
    }
    if let byte = peek(), byte == UInt8(ascii: "e") || byte == UInt8(ascii: "E") {
      isInteger = false
      position += 1
      if let sign = peek(), sign == UInt8(ascii: "+") || sign == UInt8(ascii: "-") {
        position += 1
      }
      try readDigits()
    }
    return Number(
      range: start..<position, isInteger: isInteger, isNegative: isNegative,
      value: isInteger ? value : nil)
  }

  private mutating func readDigits() throws {
    let start = position
    while let byte = peek(), isDigit(byte) { position += 1 }
    if position == start { throw fail("expected a digit") }
  }

  /// Checks that only whitespace follows the top-level value.
  mutating func expectEnd() throws {
    skipWhitespace()
    if position < bytes.count { throw fail("unexpected text after the top-level value") }
  }

  // MARK: Bytes

  private func peek() -> UInt8? { position < bytes.count ? bytes[position] : nil }

  private func matches(_ word: String) -> Bool {
    let utf8 = word.utf8
    guard position + utf8.count <= bytes.count else { return false }
    return bytes[position..<(position + utf8.count)].elementsEqual(utf8)
  }

  private mutating func skipWhitespace() {
    while let byte = peek(),
      byte == 0x20 || byte == 0x0A || byte == 0x0D || byte == 0x09
    {
      position += 1
    }
  }

  private func isDigit(_ byte: UInt8) -> Bool {
    byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9")
  }

  private func fail(_ message: String) -> Failure { Failure(message: message, offset: position) }

  /// The text of `range`, shortened and escaped so that it fits on one line of a message.
  ///
  /// - Parameters:
  ///   - range: Byte offsets into the text.
  ///   - limit: The most bytes to show; longer text ends with `…`.
  /// - Returns: The excerpt, without surrounding quotes.
  func excerpt(_ range: Range<Int>, limit: Int = 60) -> String {
    let clamped = range.clamped(to: 0..<bytes.count)
    let shown = clamped.prefix(limit)
    let text = String(decoding: bytes[shown], as: UTF8.self)
    return CheckpointError.escaped(text) + (clamped.count > limit ? "…" : "")
  }
}
