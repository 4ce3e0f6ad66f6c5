/// A forward-only tokenizer over the bytes of a line-oriented text format (OBJ, MTL).
///
/// Conventions shared by the OBJ family:
/// - tokens are separated by spaces, tabs, carriage returns, vertical tabs and form feeds, so
///   CRLF line endings need no special case;
/// - a backslash immediately followed by a line break (LF or CRLF) joins the two physical lines
///   into one logical line;
/// - `#` at the start of a token starts a comment that runs to the end of the physical line;
/// - a UTF-8 byte order mark at the start of the file is skipped.
///
/// All indices are byte offsets into `bytes`; `line` is the 1-based physical line of the
/// current position.
struct TextScanner {
  let bytes: UnsafePointer<UInt8>
  let count: Int
  var position: Int
  var line = 1

  /// Creates a scanner over `buffer`, skipping a leading UTF-8 byte order mark.
  init(_ buffer: UnsafeRawBufferPointer) {
    // An empty buffer may have no base address; point at a static byte instead.
    if let base = buffer.baseAddress, buffer.count > 0 {
      bytes = base.assumingMemoryBound(to: UInt8.self)
      count = buffer.count
    } else {
      bytes = TextScanner.emptyBytes
      count = 0
    }
    position = 0
    if count >= 3 && bytes[0] == 0xEF && bytes[1] == 0xBB && bytes[2] == 0xBF { position = 3 }
  }

  // Safe to share: one byte, written once during initialisation and only read (never, in
  // fact, since `count` is 0) afterwards.
  nonisolated(unsafe) private static let emptyBytes: UnsafePointer<UInt8> = {
    let pointer = UnsafeMutablePointer<UInt8>.allocate(capacity: 1)
    pointer.initialize(to: 0)
    return UnsafePointer(pointer)
  }()

  /// Whether the whole buffer has been consumed.
  var isAtEnd: Bool { position >= count }

  @inline(__always)
  static func isBlank(_ b: UInt8) -> Bool {
    b == 0x20 || b == 0x09 || b == 0x0D || b == 0x0B || b == 0x0C
  }

  /// If `p` is a backslash that continues the line, the offset just after the line break.
  @inline(__always)
  func continuationEnd(at p: Int) -> Int? {
    var q = p + 1
    if q < count && bytes[q] == 0x0D { q += 1 }
    if q < count && bytes[q] == 0x0A { return q + 1 }
    return nil
  }

  /// Skips blanks and line continuations; stops at a line break, a comment, the end or a token.
  @inline(__always)
  mutating func skipBlanks() {
    while position < count {
      let b = bytes[position]
      if TextScanner.isBlank(b) {
        position += 1
      } else if b == 0x5C, let after = continuationEnd(at: position) {
        position = after
        line += 1
      } else {
        return
      }
    }
  }

  /// The next token of the current logical line, or `nil` at its end.
  ///
  /// The end is a line break, a comment or the end of input; the line break is not consumed.
  @inline(__always)
  mutating func nextToken() -> Range<Int>? {
    skipBlanks()
    guard position < count else { return nil }
    let first = bytes[position]
    if first == 0x0A || first == 0x23 { return nil }
    let start = position
    position += 1
    while position < count {
      let c = bytes[position]
      if c <= 0x20 && (TextScanner.isBlank(c) || c == 0x0A) { break }
      if c == 0x5C && continuationEnd(at: position) != nil { break }
      position += 1
    }
    return start..<position
  }

  /// Skips whatever is left of the current physical line (tokens or a comment) and its line
  /// break.
  mutating func finishLine() {
    while position < count {
      if bytes[position] == 0x0A {
        position += 1
        line += 1
        return
      }
      position += 1
    }
  }

  /// The remaining tokens of the logical line as one range from the first token's start to the
  /// last token's end (inner blanks kept), or `nil` when the line has no more tokens.
  mutating func restOfLine() -> Range<Int>? {
    guard let first = nextToken() else { return nil }
    var end = first.upperBound
    while let token = nextToken() { end = token.upperBound }
    return first.lowerBound..<end
  }

  /// Consumes the remaining tokens of the logical line and returns how many there were.
  @discardableResult
  mutating func skipTokens() -> Int {
    var n = 0
    while nextToken() != nil { n += 1 }
    return n
  }

  /// The bytes of `range` decoded as UTF-8 (invalid sequences replaced).
  func string(_ range: Range<Int>) -> String {
    String(
      decoding: UnsafeBufferPointer(start: bytes + range.lowerBound, count: range.count),
      as: UTF8.self)
  }

  /// The bytes of `range` for a message: decoded, control characters escaped, at most 40
  /// characters.
  func quoted(_ range: Range<Int>) -> String {
    let clipped = range.lowerBound..<min(range.upperBound, range.lowerBound + 40)
    var text = ""
    for scalar in string(clipped).unicodeScalars {
      if scalar.value < 0x20 || scalar.value == 0x7F {
        text += "\\u{\(String(scalar.value, radix: 16))}"
      } else {
        text.unicodeScalars.append(scalar)
      }
    }
    return "'" + text + (clipped.count < range.count ? "…'" : "'")
  }

  /// Whether the token `range` equals the ASCII `word`.
  @inline(__always)
  func token(_ range: Range<Int>, is word: StaticString) -> Bool {
    guard range.count == word.utf8CodeUnitCount else { return false }
    let w = word.utf8Start
    for k in 0..<range.count where bytes[range.lowerBound + k] != w[k] { return false }
    return true
  }

  /// The first byte of `range` that cannot start an ASCII record keyword (a control byte other
  /// than blanks, or a byte ≥ 0x7F), if any: a sign of binary data.
  func binaryByte(in range: Range<Int>) -> UInt8? {
    for k in range {
      let b = bytes[k]
      if b >= 0x7F || (b < 0x20 && !TextScanner.isBlank(b)) { return b }
    }
    return nil
  }

  // MARK: Numbers

  /// Exact powers of ten representable in Float64 (10^0 … 10^22).
  private static let powersOfTen: [Double] = [
    1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15,
    1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22,
  ]

  /// Parses the token `range` as a decimal floating-point number, correctly rounded.
  ///
  /// Fast path (Clinger 1990): when the significand has at most 19 digits, is at most 2^53 and
  /// the decimal exponent is within ±22, both `m` and `10^|e|` are exact Float64 values and one
  /// IEEE multiplication or division rounds correctly. Everything else (long significands,
  /// large exponents, `nan`, `inf`, hexadecimal) goes through the standard library's parser.
  ///
  /// - Returns: The value, or `nil` when the token is not a number.
  @inline(__always)
  func double(_ range: Range<Int>) -> Double? {
    var i = range.lowerBound
    let end = range.upperBound
    var negative = false
    if i < end && (bytes[i] == 0x2D || bytes[i] == 0x2B) {
      negative = bytes[i] == 0x2D
      i += 1
    }
    var mantissa: UInt64 = 0
    var digits = 0
    var exponent = 0
    var sawDigit = false
    var inexact = false
    while i < end {
      let d = bytes[i] &- 0x30
      if d > 9 { break }
      sawDigit = true
      if mantissa != 0 || d != 0 {
        if digits < 19 {
          mantissa = mantissa &* 10 &+ UInt64(d)
          digits += 1
        } else {
          exponent += 1
          if d != 0 { inexact = true }
        }
      }
      i += 1
    }
    if i < end && bytes[i] == 0x2E {
      i += 1
      while i < end {
        let d = bytes[i] &- 0x30
        if d > 9 { break }
        sawDigit = true
        if mantissa == 0 && d == 0 {
          exponent -= 1
        } else if digits < 19 {
          mantissa = mantissa &* 10 &+ UInt64(d)
          digits += 1
          exponent -= 1
        } else if d != 0 {
          inexact = true
        }
        i += 1
      }
    }
    guard sawDigit else { return slowDouble(range) }
    if i < end && (bytes[i] == 0x65 || bytes[i] == 0x45) {
      i += 1
      var exponentNegative = false
      if i < end && (bytes[i] == 0x2D || bytes[i] == 0x2B) {
        exponentNegative = bytes[i] == 0x2D
        i += 1
      }
      var value = 0
      var sawExponentDigit = false
      while i < end {
        let d = bytes[i] &- 0x30
        if d > 9 { break }
        sawExponentDigit = true
        if value < 100_000 { value = value * 10 + Int(d) }
        i += 1
      }
      guard sawExponentDigit else { return nil }
      exponent += exponentNegative ? -value : value
    }
    guard i == end else { return slowDouble(range) }
    if mantissa == 0 { return negative ? -0.0 : 0.0 }
    if !inexact && mantissa <= 1 << 53 && exponent >= -22 && exponent <= 22 {
      let m = Double(mantissa)
      let value =
        exponent >= 0
        ? m * TextScanner.powersOfTen[exponent] : m / TextScanner.powersOfTen[-exponent]
      return negative ? -value : value
    }
    return slowDouble(range)
  }

  /// The standard library's parser, for the rare tokens the fast path does not handle.
  private func slowDouble(_ range: Range<Int>) -> Double? {
    guard range.count <= 400 else { return nil }
    return Double(string(range))
  }

  /// Result of parsing an OBJ index: absent (empty field), a value, or malformed.
  enum IndexField {
    case absent
    case value(Int)
    case malformed
  }

  /// Parses an optionally signed decimal integer.
  ///
  /// Parsing starts at `start` and stops at `/` or `end`. Values beyond ±2^40 are clamped there
  /// (they are out of range for any mesh anyway).
  ///
  /// - Returns: The field and the offset where parsing stopped.
  @inline(__always)
  func indexField(from start: Int, to end: Int) -> (IndexField, Int) {
    var i = start
    if i == end || bytes[i] == 0x2F { return (.absent, i) }
    var negative = false
    if bytes[i] == 0x2D || bytes[i] == 0x2B {
      negative = bytes[i] == 0x2D
      i += 1
    }
    var value = 0
    var sawDigit = false
    while i < end {
      let d = bytes[i] &- 0x30
      if d > 9 { break }
      sawDigit = true
      if value < 1 << 40 { value = value * 10 + Int(d) }
      i += 1
    }
    guard sawDigit, i == end || bytes[i] == 0x2F else { return (.malformed, i) }
    return (.value(negative ? -value : value), i)
  }
}
