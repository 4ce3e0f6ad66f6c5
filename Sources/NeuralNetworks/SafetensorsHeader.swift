// The JSON header of a safetensors file, checked against the data buffer before any tensor is
// decoded. Goals, in order:
//   1. Hostile headers never crash and never cause an allocation beyond a small multiple of the
//      file's size: ranks are capped, every size is computed with overflow checks, and every
//      byte range is checked against the buffer before it is used.
//   2. The rules are those of the reference implementation (huggingface/safetensors,
//      `Metadata::validate`): in offset order, each tensor starts where the previous one ends,
//      its byte count is elements × dtype size, and the last one ends at the end of the file.
//      Stricter than the reference: duplicate names are refused (the format forbids them; the
//      reference keeps the last one).
//   3. Each problem becomes one `CheckpointError` that names the tensor.

/// The parsed and validated header of a safetensors file.
struct SafetensorsHeader {
  /// One tensor's header entry.
  struct Entry {
    var name: String
    var dtype: SafetensorsDType
    var shape: [Int]
    var elementCount: Int
    /// Byte range in the data buffer (relative to the end of the header).
    var begin: Int
    var end: Int
  }

  /// The tensor entries, in header order.
  var entries: [Entry]
  /// The `__metadata__` strings; empty when the header has none.
  var metadata: [String: String]

  /// The most dimensions semrob accepts in a shape, so a hostile header cannot make it store
  /// millions of extents.
  static let maximumRank = 64

  /// Parses `bytes` (the JSON text) and checks every entry against a buffer of `bufferBytes`.
  init(parsing bytes: UnsafeRawBufferPointer, bufferBytes: Int, path: String?) throws {
    var scanner = JSONScanner(bytes: bytes)
    var entries: [Entry] = []
    var metadata: [String: String]?
    var names = Set<String>()
    do {
      guard scanner.peekKind() == .object else {
        let start = scanner.position
        try scanner.skipValue()
        throw CheckpointError.invalidHeader(
          path: path,
          reason: "expected a JSON object, found \(scanner.excerpt(start..<scanner.position))")
      }
      var object = try scanner.beginObject()
      while let key = try scanner.nextKey(&object) {
        if key == "__metadata__" {
          if metadata != nil {
            throw CheckpointError.invalidHeader(path: path, reason: "'__metadata__' appears twice")
          }
          metadata = try Self.parseMetadata(&scanner, path: path)
          continue
        }
        guard names.insert(key).inserted else {
          throw CheckpointError.duplicateTensor(path: path, tensor: key)
        }
        entries.append(
          try Self.parseEntry(&scanner, name: key, bufferBytes: bufferBytes, path: path))
      }
      try scanner.expectEnd()
    } catch let failure as JSONScanner.Failure {
      let context = scanner.excerpt(max(0, failure.offset - 20)..<(failure.offset + 20))
      throw CheckpointError.invalidHeader(
        path: path,
        reason: "not valid JSON: \(failure.message) at byte \(failure.offset) of the header "
          + "(near \"\(context)\")")
    }
    try Self.checkLayout(entries, bufferBytes: bufferBytes, path: path)
    self.entries = entries
    self.metadata = metadata ?? [:]
  }

  /// Reads `__metadata__`: an object of strings, or `null`.
  private static func parseMetadata(_ scanner: inout JSONScanner, path: String?) throws
    -> [String: String]
  {
    if scanner.skipNull() { return [:] }  // serde reads `null` as no metadata
    let start = scanner.position
    guard scanner.peekKind() == .object else {
      try scanner.skipValue()
      throw CheckpointError.invalidHeader(
        path: path,
        reason: "expected '__metadata__' to be an object of strings, found "
          + scanner.excerpt(start..<scanner.position))
    }
    var metadata: [String: String] = [:]
    var object = try scanner.beginObject()
    while let key = try scanner.nextKey(&object) {
      let valueStart = scanner.position
      guard scanner.peekKind() == .string else {
        try scanner.skipValue()
        throw CheckpointError.invalidHeader(
          path: path,
          reason: "expected the '__metadata__' value of \(CheckpointError.quoted(key)) to be "
            + "a string, found \(scanner.excerpt(valueStart..<scanner.position))")
      }
      let value = try scanner.readString()
      guard metadata.updateValue(value, forKey: key) == nil else {
        throw CheckpointError.invalidHeader(
          path: path, reason: "'__metadata__' has the key \(CheckpointError.quoted(key)) twice")
      }
    }
    return metadata
  }

  /// An array of integer tokens as read, or why it is not one.
  private struct IntegerList {
    var numbers: [JSONScanner.Number] = []
    var isIntegerArray = true
    var count = 0
    var text = ""
  }

  /// Reads any value; keeps up to `limit` elements when it is an array of integers.
  private static func readIntegerList(_ scanner: inout JSONScanner, limit: Int) throws
    -> IntegerList
  {
    var list = IntegerList()
    let start = scanner.position
    if scanner.peekKind() == .array {
      var array = try scanner.beginArray()
      while try scanner.nextElement(&array) {
        list.count += 1
        if scanner.peekKind() == .number {
          let number = try scanner.readNumber()
          if !number.isInteger { list.isIntegerArray = false }
          if list.numbers.count < limit { list.numbers.append(number) }
        } else {
          list.isIntegerArray = false
          try scanner.skipValue()
        }
      }
    } else {
      list.isIntegerArray = false
      try scanner.skipValue()
    }
    list.text = scanner.excerpt(start..<scanner.position)
    return list
  }

  /// Reads one tensor entry and checks it on its own (dtype, shape, size, range).
  private static func parseEntry(
    _ scanner: inout JSONScanner, name: String, bufferBytes: Int, path: String?
  ) throws -> Entry {
    func invalid(_ reason: String) -> CheckpointError {
      .invalidEntry(path: path, tensor: name, reason: reason)
    }
    let start = scanner.position
    guard scanner.peekKind() == .object else {
      try scanner.skipValue()
      throw invalid(
        "expected an object with dtype, shape and data_offsets, found "
          + scanner.excerpt(start..<scanner.position))
    }
    var dtypeName: String?
    var shapeList: IntegerList?
    var offsetList: IntegerList?
    var object = try scanner.beginObject()
    while let key = try scanner.nextKey(&object) {
      switch key {
      case "dtype":
        guard dtypeName == nil else { throw invalid("the field 'dtype' appears twice") }
        let valueStart = scanner.position
        guard scanner.peekKind() == .string else {
          try scanner.skipValue()
          throw invalid(
            "expected 'dtype' to be a string such as \"F32\", found "
              + scanner.excerpt(valueStart..<scanner.position))
        }
        dtypeName = try scanner.readString()
      case "shape":
        guard shapeList == nil else { throw invalid("the field 'shape' appears twice") }
        shapeList = try readIntegerList(&scanner, limit: maximumRank)
      case "data_offsets":
        guard offsetList == nil else { throw invalid("the field 'data_offsets' appears twice") }
        offsetList = try readIntegerList(&scanner, limit: 2)
      default:
        try scanner.skipValue()  // unknown fields are ignored, as by the reference reader
      }
    }
    guard let dtypeName else { throw invalid("the field 'dtype' is missing") }
    guard let shapeList else { throw invalid("the field 'shape' is missing") }
    guard let offsetList else { throw invalid("the field 'data_offsets' is missing") }

    guard let dtype = SafetensorsDType(rawValue: dtypeName) else {
      throw CheckpointError.unsupportedDType(path: path, tensor: name, dtype: dtypeName)
    }
    let shape = try checkedShape(shapeList, invalid: invalid) {
      CheckpointError.shapeTooLarge(path: path, tensor: name, shape: shapeList.text)
    }
    // The product of the non-zero extents must fit in Int, even when an extent is 0: then
    // every partial product does too, in any order, so `Tensor` can compute its count and
    // strides without overflowing.
    var nonZeroProduct = 1
    for extent in shape where extent != 0 {
      let (product, overflow) = nonZeroProduct.multipliedReportingOverflow(by: extent)
      if overflow {
        throw CheckpointError.shapeTooLarge(path: path, tensor: name, shape: shapeList.text)
      }
      nonZeroProduct = product
    }
    let elementCount = shape.contains(0) ? 0 : nonZeroProduct
    let (byteCount, overflow) = elementCount.multipliedReportingOverflow(by: dtype.byteCount)
    if overflow {
      throw CheckpointError.shapeTooLarge(path: path, tensor: name, shape: shapeList.text)
    }

    let offsetsRule = "expected 'data_offsets' to be [begin, end] with integers 0 ≤ begin ≤ end"
    guard offsetList.isIntegerArray, offsetList.count == 2,
      offsetList.numbers.allSatisfy({ !$0.isNegative })
    else { throw invalid("\(offsetsRule), found \(offsetList.text)") }
    guard let begin = offsetList.numbers[0].value, let end = offsetList.numbers[1].value else {
      throw invalid("\(offsetsRule) that fit in 64 bits, found \(offsetList.text)")
    }
    guard begin <= end else { throw invalid("\(offsetsRule), found \(offsetList.text)") }
    guard end - begin == byteCount else {
      throw CheckpointError.sizeMismatch(
        path: path, tensor: name, dtype: dtypeName, shape: shape, expectedBytes: byteCount,
        foundBytes: end - begin)
    }
    guard end <= bufferBytes else {
      throw CheckpointError.offsetsOutOfRange(
        path: path, tensor: name, begin: begin, end: end, bufferBytes: bufferBytes)
    }
    return Entry(
      name: name, dtype: dtype, shape: shape, elementCount: elementCount, begin: begin, end: end)
  }

  /// The extents of a shape that is an array of at most ``maximumRank`` non-negative integers.
  private static func checkedShape(
    _ list: IntegerList, invalid: (String) -> CheckpointError, tooLarge: () -> CheckpointError
  ) throws -> [Int] {
    let rule = "expected 'shape' to be an array of non-negative integers"
    guard list.isIntegerArray else { throw invalid("\(rule), found \(list.text)") }
    guard list.count <= maximumRank else {
      throw invalid("\(rule) of at most \(maximumRank) dimensions, found \(list.count)")
    }
    var shape: [Int] = []
    shape.reserveCapacity(list.count)
    for number in list.numbers {
      guard !number.isNegative else { throw invalid("\(rule), found \(list.text)") }
      guard let extent = number.value else { throw tooLarge() }
      shape.append(extent)
    }
    return shape
  }

  /// Checks that the byte ranges, in offset order, cover the buffer without gaps or overlaps.
  private static func checkLayout(_ entries: [Entry], bufferBytes: Int, path: String?) throws {
    let order = entries.indices.sorted {
      (entries[$0].begin, entries[$0].end, $0) < (entries[$1].begin, entries[$1].end, $1)
    }
    var cursor = 0
    var lastName: String?
    for index in order {
      let entry = entries[index]
      if entry.begin < cursor, let lastName {
        throw CheckpointError.overlappingTensors(
          path: path, tensor: entry.name, other: lastName, offset: entry.begin)
      }
      if entry.begin > cursor {
        throw CheckpointError.bufferHole(
          path: path, begin: cursor, end: entry.begin, before: entry.name)
      }
      if entry.end > cursor {
        cursor = entry.end
        lastName = entry.name
      }
    }
    if cursor < bufferBytes {
      throw CheckpointError.bufferHole(path: path, begin: cursor, end: bufferBytes, before: nil)
    }
  }
}
