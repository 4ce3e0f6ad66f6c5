/// A failure to read, write or load a safetensors checkpoint.
///
/// Every case that comes from reading carries the file path when there is one (`nil` when the
/// bytes came from memory) and, when the problem belongs to one tensor, that tensor's name.
/// ``description`` is a single line that says what failed, what was expected, what was found
/// and what to do; only ``mismatch(path:problems:)`` with several problems adds one line per
/// problem below its summary line.
public enum CheckpointError: Error, CustomStringConvertible, Hashable, Sendable {
  /// The file could not be read (missing, a directory, no permission, I/O error).
  case unreadable(path: String, reason: String)
  /// The file could not be written (missing directory, no permission, I/O error).
  case unwritable(path: String, reason: String)
  /// The data ends before a part it announces.
  ///
  /// `section` names the part (`"8-byte header length"` or `"header of N bytes"`); the byte
  /// counts are counted from the start of the file.
  case truncated(path: String?, section: String, expectedBytes: Int, foundBytes: Int)
  /// The header length field exceeds ``Checkpoint/maximumHeaderBytes``.
  case headerTooLarge(path: String?, declaredBytes: UInt64, limit: Int)
  /// The header is not a JSON object of tensor entries, or its `__metadata__` is not an object
  /// of strings; `reason` says where and why.
  case invalidHeader(path: String?, reason: String)
  /// The header entry of one tensor lacks a field or has a field of the wrong type or value
  /// (such as a negative extent or `data_offsets` that end before they begin).
  case invalidEntry(path: String?, tensor: String, reason: String)
  /// Two header entries have the same tensor name.
  case duplicateTensor(path: String?, tensor: String)
  /// The tensor's dtype is not F32, F16, BF16 or F64.
  case unsupportedDType(path: String?, tensor: String, dtype: String)
  /// The element count or byte count of the shape does not fit in `Int`.
  case shapeTooLarge(path: String?, tensor: String, shape: String)
  /// The byte range in `data_offsets` differs from what the shape and dtype need.
  case sizeMismatch(
    path: String?, tensor: String, dtype: String, shape: [Int], expectedBytes: Int,
    foundBytes: Int)
  /// The tensor's byte range `begin..<end` extends past the data buffer of `bufferBytes` bytes.
  case offsetsOutOfRange(path: String?, tensor: String, begin: Int, end: Int, bufferBytes: Int)
  /// The tensor's data starts at `offset`, inside the data of the tensor `other`.
  case overlappingTensors(path: String?, tensor: String, other: String, offset: Int)
  /// The bytes `begin..<end` of the data buffer belong to no tensor; `before` names the tensor
  /// that follows the gap, `nil` when the gap runs to the end of the file.
  case bufferHole(path: String?, begin: Int, end: Int, before: String?)
  /// The checkpoint's tensors differ from the expected names and shapes.
  case mismatch(path: String?, problems: [CheckpointMismatch])

  /// The message: what failed, the file, the tensor, expected and found, and what to do.
  public var description: String {
    switch self {
    case .unreadable(let path, let reason):
      return "cannot read checkpoint '\(Self.escaped(path))': \(Self.escaped(reason))"
    case .unwritable(let path, let reason):
      return "cannot write checkpoint '\(Self.escaped(path))': \(Self.escaped(reason))"
    case .truncated(let path, let section, let expected, let found):
      let detail =
        found == 0
        ? "the file is empty (0 bytes)"
        : "truncated file: it needs at least \(expected) bytes to hold the \(section), "
          + "found \(found)"
      return "\(Self.subject(path)): \(detail); save or download the checkpoint again"
    case .headerTooLarge(let path, let declared, let limit):
      return "\(Self.subject(path)): the header length field says \(declared) bytes, more than "
        + "the limit of \(limit); check that the path names a safetensors file"
    case .invalidHeader(let path, let reason):
      return "\(Self.subject(path)): invalid safetensors header: \(reason); "
        + "check that the path names a safetensors file, or save the checkpoint again"
    case .invalidEntry(let path, let tensor, let reason):
      return "\(Self.subject(path)): tensor \(Self.quoted(tensor)): \(reason); "
        + "the header is corrupt: save the checkpoint again"
    case .duplicateTensor(let path, let tensor):
      return "\(Self.subject(path)): the header names tensor \(Self.quoted(tensor)) more than "
        + "once; tensor names must be unique: save the checkpoint again"
    case .unsupportedDType(let path, let tensor, let dtype):
      return "\(Self.subject(path)): tensor \(Self.quoted(tensor)) has dtype "
        + "\(Self.quoted(dtype)), expected F32, F16, BF16 or F64; convert it to float32 "
        + "before saving"
    case .shapeTooLarge(let path, let tensor, let shape):
      return "\(Self.subject(path)): tensor \(Self.quoted(tensor)) has shape \(shape), whose "
        + "size does not fit in a 64-bit integer; the header is corrupt: save the checkpoint "
        + "again"
    case .sizeMismatch(let path, let tensor, let dtype, let shape, let expected, let found):
      return "\(Self.subject(path)): tensor \(Self.quoted(tensor)) of dtype \(dtype) and shape "
        + "\(shape) needs \(expected) bytes, but its data_offsets span \(found); "
        + "the header is corrupt: save the checkpoint again"
    case .offsetsOutOfRange(let path, let tensor, let begin, let end, let bufferBytes):
      return "\(Self.subject(path)): tensor \(Self.quoted(tensor)) occupies bytes "
        + "\(begin)..<\(end) of the data buffer, which holds only \(bufferBytes) bytes; "
        + "the file is truncated or its header is corrupt: save or download it again"
    case .overlappingTensors(let path, let tensor, let other, let offset):
      return "\(Self.subject(path)): tensor \(Self.quoted(tensor)) starts at byte \(offset) "
        + "of the data buffer, inside tensor \(Self.quoted(other)); tensors must not overlap: "
        + "the header is corrupt: save the checkpoint again"
    case .bufferHole(let path, let begin, let end, let before):
      let place = before.map { "before tensor \(Self.quoted($0))" } ?? "at the end of the file"
      return "\(Self.subject(path)): bytes \(begin)..<\(end) of the data buffer (\(place)) "
        + "belong to no tensor, but a safetensors buffer has no gaps; the file has extra "
        + "bytes or its header is corrupt: save or download it again"
    case .mismatch(let path, let problems):
      return Self.mismatchDescription(path: path, problems: problems)
    }
  }

  private static func mismatchDescription(path: String?, problems: [CheckpointMismatch])
    -> String
  {
    let subject = path.map { "checkpoint '\(escaped($0))'" } ?? "the checkpoint"
    let advice = "check that it was saved from the same architecture"
    guard problems.count > 1 else {
      let problem = problems.first.map(\.description) ?? "no details"
      return "\(subject) does not match the expected tensors: \(problem); \(advice)"
    }
    var counts: [String] = []
    let missing = problems.filter { if case .missing = $0 { true } else { false } }.count
    let unexpected = problems.filter { if case .unexpected = $0 { true } else { false } }.count
    let wrongShape = problems.count - missing - unexpected
    if missing > 0 { counts.append("\(missing) missing") }
    if unexpected > 0 { counts.append("\(unexpected) unexpected") }
    if wrongShape > 0 { counts.append("\(wrongShape) with the wrong shape") }
    let summary =
      "\(subject) does not match the expected tensors: \(problems.count) problems "
      + "(\(counts.joined(separator: ", "))); \(advice)"
    return ([summary] + problems.map { "  \($0)" }).joined(separator: "\n")
  }

  private static func subject(_ path: String?) -> String {
    if let path { return "cannot read checkpoint '\(escaped(path))'" }
    return "cannot read checkpoint data"
  }

  /// A tensor name or dtype in quotes, escaped and shortened to fit on one line.
  static func quoted(_ text: String) -> String {
    let limit = 100
    let shown = text.count > limit ? String(text.prefix(limit)) + "…" : text
    return "'" + escaped(shown) + "'"
  }

  /// `text` with control characters and line separators escaped (`\n`, `\u{2028}`), so that
  /// it cannot break a line; paths and names stay distinguishable, unlike with whitespace
  /// collapsing.
  static func escaped(_ text: String) -> String {
    text.unicodeScalars.map { scalar -> String in
      scalar.properties.generalCategory == .control
        || scalar.properties.generalCategory == .lineSeparator
        || scalar.properties.generalCategory == .paragraphSeparator
        ? scalar.escaped(asASCII: true) : String(scalar)
    }.joined()
  }
}
