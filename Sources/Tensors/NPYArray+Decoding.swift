import Foundation

// Decoding of `.npy` bytes. Goals, in order:
//   1. Never crash and never allocate more than the input's size on hostile bytes: every
//      length is checked against the bytes actually present before it is used.
//   2. One precise error per failure, naming the section and both byte counts.
//   3. Accept every header numpy (any version, Python 2 or 3) has written for the supported
//      dtypes: either quote style, any whitespace, trailing commas, `L` integer suffixes.

extension NPYArray {
  /// Decodes a complete `.npy` file; `path` only labels errors.
  static func decode(_ bytes: Data, path: String?) throws -> NPYArray {
    // Data may be a slice with a non-zero start index; index through a buffer from 0.
    try bytes.withUnsafeBytes { (raw: UnsafeRawBufferPointer) throws -> NPYArray in
      try decode(raw, path: path)
    }
  }

  private static let magic: [UInt8] = [0x93] + Array("NUMPY".utf8)

  private static func decode(_ raw: UnsafeRawBufferPointer, path: String?) throws -> NPYArray {
    let count = raw.count
    if count == 0 { throw NPYError.emptyFile(path: path) }
    let magicPrefix = min(count, magic.count)
    if !raw.prefix(magicPrefix).elementsEqual(magic.prefix(magicPrefix)) {
      throw NPYError.badMagic(path: path)
    }
    guard count >= 8 else {
      throw NPYError.truncated(
        path: path, section: "magic string and version", expectedBytes: 8, foundBytes: count)
    }
    let major = Int(raw[6])
    let minor = Int(raw[7])
    let lengthSize: Int
    switch (major, minor) {
    case (1, 0): lengthSize = 2
    case (2, 0), (3, 0): lengthSize = 4
    default: throw NPYError.unsupportedVersion(path: path, major: major, minor: minor)
    }
    guard count >= 8 + lengthSize else {
      throw NPYError.truncated(
        path: path, section: "header length", expectedBytes: 8 + lengthSize, foundBytes: count)
    }
    var headerLength = 0
    for k in 0..<lengthSize { headerLength |= Int(raw[8 + k]) << (8 * k) }
    let headerStart = 8 + lengthSize
    let dataStart = headerStart + headerLength  // ≤ 12 + 2^32, cannot overflow Int64
    guard count >= dataStart else {
      throw NPYError.truncated(
        path: path, section: "header", expectedBytes: dataStart, foundBytes: count)
    }
    let header = try NPYHeader(
      parsing: UnsafeRawBufferPointer(rebasing: raw[headerStart..<dataStart]), path: path)

    let dtype = try header.dtype(path: path)
    if header.fortranOrder { throw NPYError.fortranOrder(path: path) }

    // Element and byte counts with overflow checks, before anything is allocated. Every
    // extent takes part, zeros included, so no later `shape.reduce(1, *)` can overflow either
    // (a shape like (2^62, 4, 0) describes no data but is refused as too large).
    var elementCount = 1
    var nonZeroProduct = 1
    for extent in header.shape {
      let (product, overflow) = nonZeroProduct.multipliedReportingOverflow(by: max(extent, 1))
      if overflow { throw NPYError.shapeTooLarge(path: path, shape: header.shapeText) }
      nonZeroProduct = product
      elementCount = extent == 0 ? 0 : elementCount
    }
    if elementCount != 0 { elementCount = nonZeroProduct }
    let (byteCount, overflow) = elementCount.multipliedReportingOverflow(by: dtype.itemSize)
    if overflow { throw NPYError.shapeTooLarge(path: path, shape: header.shapeText) }
    let available = count - dataStart
    if available < byteCount {
      throw NPYError.truncated(
        path: path, section: "data for shape \(header.shape) of '\(header.descr)'",
        expectedBytes: byteCount, foundBytes: available)
    }
    if available > byteCount {
      throw NPYError.sizeMismatch(
        path: path, shape: header.shape, descr: header.descr, expectedBytes: byteCount,
        foundBytes: available)
    }

    let body = UnsafeRawBufferPointer(rebasing: raw[dataStart...])
    let data: NPYData
    switch dtype {
    case .float32: data = .float32(readLittleEndian(UInt32.self, body).map(Float.init(bitPattern:)))
    case .float64:
      data = .float64(readLittleEndian(UInt64.self, body).map(Double.init(bitPattern:)))
    case .int32: data = .int32(readLittleEndian(Int32.self, body))
    case .int64: data = .int64(readLittleEndian(Int64.self, body))
    case .uint8: data = .uint8(Array(body))
    case .bool: data = .bool(body.map { $0 != 0 })
    }
    return NPYArray(shape: header.shape, data: data)
  }

  private static func readLittleEndian<T: FixedWidthInteger>(
    _ type: T.Type, _ body: UnsafeRawBufferPointer
  ) -> [T] {
    let size = MemoryLayout<T>.size
    let count = body.count / size
    return [T](unsafeUninitializedCapacity: count) { buffer, initialized in
      for i in 0..<count {
        buffer[i] = T(littleEndian: body.loadUnaligned(fromByteOffset: i * size, as: T.self))
      }
      initialized = count
    }
  }
}

/// The three header entries of a `.npy` file.
struct NPYHeader {
  /// The dtype text as written, for errors: `<f4` or `[('x', '<f4')]`, for example.
  var descr: String
  /// The `descr` string when it is a string literal, `nil` for structured dtypes.
  var descrString: String?
  var fortranOrder: Bool
  var shape: [Int]
  /// The shape as written, for errors about shapes that do not fit in `Int`.
  var shapeText: String

  /// Parses the header dict.
  init(parsing bytes: UnsafeRawBufferPointer, path: String?) throws {
    var parser = PythonLiteralParser(bytes: bytes)
    let entries: [(key: String, value: PythonLiteral, text: String)]
    do {
      entries = try parser.parseHeaderDict()
    } catch let error as PythonLiteralParser.Failure {
      throw NPYError.unparsableHeader(
        path: path, reason: "\(error.message) at byte \(error.offset) of \(parser.excerpt)")
    }
    func entry(_ key: String) throws -> (value: PythonLiteral, text: String) {
      guard let found = entries.last(where: { $0.key == key }) else {
        throw NPYError.unparsableHeader(
          path: path, reason: "missing key '\(key)' in \(parser.excerpt)")
      }
      return (found.value, found.text)
    }
    let (descrValue, descrText) = try entry("descr")
    descr = descrText
    if case .string(let text) = descrValue {
      descrString = text
      descr = text
    }
    switch try entry("fortran_order").value {
    case .bool(let flag): fortranOrder = flag
    default:
      throw NPYError.unparsableHeader(
        path: path, reason: "'fortran_order' is not True or False in \(parser.excerpt)")
    }
    let (shapeValue, text) = try entry("shape")
    shapeText = text
    let items: [PythonLiteral]
    switch shapeValue {
    case .tuple(let values), .list(let values): items = values
    case .integer: items = [shapeValue]  // a bare int is accepted by numpy as well
    default:
      throw NPYError.unparsableHeader(
        path: path, reason: "'shape' is not a tuple of integers in \(parser.excerpt)")
    }
    var shape: [Int] = []
    shape.reserveCapacity(items.count)
    for item in items {
      guard case .integer(let extent) = item else {
        throw NPYError.unparsableHeader(
          path: path, reason: "'shape' is not a tuple of integers in \(parser.excerpt)")
      }
      guard let extent else { throw NPYError.shapeTooLarge(path: path, shape: text) }
      guard extent >= 0 else {
        throw NPYError.unparsableHeader(path: path, reason: "negative extent in shape \(text)")
      }
      shape.append(extent)
    }
    self.shape = shape
  }

  /// Maps `descr` to a supported dtype, or throws the matching error.
  func dtype(path: String?) throws -> NPYDType {
    guard let text = descrString, let order = text.first,
      let dtype = NPYDType(typeCode: text.dropFirst())
    else { throw NPYError.unsupportedDType(path: path, descr: quoted(descr)) }
    // Byte order only matters for multi-byte types; numpy writes '|' for one-byte ones.
    if order == "<" || (dtype.itemSize == 1 && "|=>".contains(order)) { return dtype }
    if order == ">" { throw NPYError.bigEndian(path: path, descr: text) }
    throw NPYError.unsupportedDType(path: path, descr: quoted(descr))
  }

  private func quoted(_ text: String) -> String {
    descrString == nil ? text : "'\(text)'"
  }
}

/// A Python literal as it can appear in a `.npy` header.
indirect enum PythonLiteral {
  case string(String)
  case bool(Bool)
  case none
  /// An integer; `nil` when it does not fit in `Int`.
  case integer(Int?)
  case tuple([PythonLiteral])
  case list([PythonLiteral])
  case dict([(key: PythonLiteral, value: PythonLiteral)])
}

/// A recursive-descent parser for the Python literal subset used by `.npy` headers.
struct PythonLiteralParser {
  struct Failure: Error {
    var message: String
    var offset: Int
  }

  private let bytes: UnsafeRawBufferPointer
  private var position = 0
  private var depth = 0
  /// Nesting limit, so that "((((…" cannot exhaust the stack.
  private static let maximumDepth = 32

  init(bytes: UnsafeRawBufferPointer) { self.bytes = bytes }

  /// The header text, shortened and escaped so that it fits on one line of an error message.
  var excerpt: String {
    let limit = 120
    let text = String(decoding: bytes.prefix(limit), as: UTF8.self)
      .trimmingCharacters(in: .whitespacesAndNewlines)
    let escaped = text.unicodeScalars.map { scalar -> String in
      scalar.value < 0x20 || scalar.value == 0x7F
        ? scalar.escaped(asASCII: true) : String(scalar)
    }.joined()
    return "\"" + escaped + (bytes.count > limit ? "…" : "") + "\""
  }

  /// Parses the top-level dict, returning its string-keyed entries with their source text.
  mutating func parseHeaderDict() throws -> [(key: String, value: PythonLiteral, text: String)] {
    skipWhitespace()
    guard peek() == UInt8(ascii: "{") else { throw fail("expected '{'") }
    position += 1
    var entries: [(key: String, value: PythonLiteral, text: String)] = []
    var seenKeys = Set<String>()
    while true {
      skipWhitespace()
      if peek() == UInt8(ascii: "}") {
        position += 1
        break
      }
      guard case .string(let key) = try parseValue() else { throw fail("expected a string key") }
      skipWhitespace()
      guard peek() == UInt8(ascii: ":") else { throw fail("expected ':' after '\(key)'") }
      position += 1
      skipWhitespace()
      let start = position
      let value = try parseValue()
      let text = String(
        decoding: UnsafeRawBufferPointer(rebasing: bytes[start..<position]),
        as: UTF8.self)
      // A set keeps the duplicate check linear on hostile headers with millions of keys.
      guard seenKeys.insert(key).inserted else { throw fail("duplicate key '\(key)'") }
      entries.append((key, value, text))
      skipWhitespace()
      if peek() == UInt8(ascii: ",") {
        position += 1
      } else if peek() != UInt8(ascii: "}") {
        throw fail("expected ',' or '}'")
      }
    }
    // Only padding may follow: spaces, newlines, and NULs from some old writers.
    while position < bytes.count {
      let byte = bytes[position]
      guard isWhitespace(byte) || byte == 0 else { throw fail("unexpected text after '}'") }
      position += 1
    }
    return entries
  }

  private mutating func parseValue() throws -> PythonLiteral {
    skipWhitespace()
    guard let byte = peek() else { throw fail("unexpected end of header") }
    switch byte {
    case UInt8(ascii: "'"), UInt8(ascii: "\""): return .string(try parseString())
    case UInt8(ascii: "("): return .tuple(try parseSequence(closing: ")"))
    case UInt8(ascii: "["): return .list(try parseSequence(closing: "]"))
    case UInt8(ascii: "{"): return try parseDict()
    case UInt8(ascii: "-"), UInt8(ascii: "+"), UInt8(ascii: "0")...UInt8(ascii: "9"):
      return try parseInteger()
    default:
      let word = parseWord()
      switch word {
      case "True": return .bool(true)
      case "False": return .bool(false)
      case "None": return .none
      case "u", "U", "b", "B":
        // Python 2 / bytes prefixes: u'<f4'.
        guard let quote = peek(), quote == UInt8(ascii: "'") || quote == UInt8(ascii: "\"")
        else { throw fail("unexpected '\(word)'") }
        return .string(try parseString())
      case "": throw fail("unexpected character")
      default: throw fail("unexpected '\(word)'")
      }
    }
  }

  private mutating func parseString() throws -> String {
    let quote = bytes[position]
    position += 1
    var content: [UInt8] = []
    while let byte = peek() {
      position += 1
      if byte == quote { return String(decoding: content, as: UTF8.self) }
      if byte == UInt8(ascii: "\\") {
        guard let escaped = peek() else { break }
        position += 1
        content.append(escaped)
      } else if byte == UInt8(ascii: "\n") {
        throw fail("newline inside a string")
      } else {
        content.append(byte)
      }
    }
    throw fail("unterminated string")
  }

  private mutating func parseInteger() throws -> PythonLiteral {
    let start = position
    var negative = false
    if let sign = peek(), sign == UInt8(ascii: "-") || sign == UInt8(ascii: "+") {
      negative = sign == UInt8(ascii: "-")
      position += 1
    }
    var value: Int? = 0
    var digits = 0
    while let byte = peek(), byte >= UInt8(ascii: "0"), byte <= UInt8(ascii: "9") {
      position += 1
      digits += 1
      let digit = Int(byte - UInt8(ascii: "0"))
      if let current = value {
        let (shifted, overflow1) = current.multipliedReportingOverflow(by: 10)
        let (sum, overflow2) = shifted.addingReportingOverflow(negative ? -digit : digit)
        value = overflow1 || overflow2 ? nil : sum
      }
    }
    guard digits > 0 else {
      position = start
      throw fail("expected a digit")
    }
    if let suffix = peek(), suffix == UInt8(ascii: "L") || suffix == UInt8(ascii: "l") {
      position += 1  // Python 2 long suffix: (3L, 4L)
    }
    if let next = peek(), isWordCharacter(next) || next == UInt8(ascii: ".") {
      throw fail("expected an integer")
    }
    return .integer(value)
  }

  private mutating func parseSequence(closing: Unicode.Scalar) throws -> [PythonLiteral] {
    try enter()
    defer { depth -= 1 }
    position += 1
    var items: [PythonLiteral] = []
    while true {
      skipWhitespace()
      if peek() == UInt8(ascii: closing) {
        position += 1
        return items
      }
      items.append(try parseValue())
      skipWhitespace()
      if peek() == UInt8(ascii: ",") {
        position += 1
      } else if peek() != UInt8(ascii: closing) {
        throw fail("expected ',' or '\(closing)'")
      }
    }
  }

  private mutating func parseDict() throws -> PythonLiteral {
    try enter()
    defer { depth -= 1 }
    position += 1
    var entries: [(key: PythonLiteral, value: PythonLiteral)] = []
    while true {
      skipWhitespace()
      if peek() == UInt8(ascii: "}") {
        position += 1
        return .dict(entries)
      }
      let key = try parseValue()
      skipWhitespace()
      guard peek() == UInt8(ascii: ":") else { throw fail("expected ':'") }
      position += 1
      entries.append((key, try parseValue()))
      skipWhitespace()
      if peek() == UInt8(ascii: ",") {
        position += 1
      } else if peek() != UInt8(ascii: "}") {
        throw fail("expected ',' or '}'")
      }
    }
  }

  private mutating func enter() throws {
    depth += 1
    if depth > Self.maximumDepth { throw fail("nesting deeper than \(Self.maximumDepth)") }
  }

  private mutating func parseWord() -> String {
    let start = position
    while let byte = peek(), isWordCharacter(byte) { position += 1 }
    return String(
      decoding: UnsafeRawBufferPointer(rebasing: bytes[start..<position]),
      as: UTF8.self)
  }

  private func peek() -> UInt8? { position < bytes.count ? bytes[position] : nil }

  private mutating func skipWhitespace() {
    while let byte = peek(), isWhitespace(byte) { position += 1 }
  }

  private func isWhitespace(_ byte: UInt8) -> Bool {
    byte == 0x20 || (0x09...0x0D).contains(byte)
  }

  private func isWordCharacter(_ byte: UInt8) -> Bool {
    (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(byte)
      || (UInt8(ascii: "A")...UInt8(ascii: "Z")).contains(byte)
      || (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte) || byte == UInt8(ascii: "_")
  }

  private func fail(_ message: String) -> Failure { Failure(message: message, offset: position) }
}
