/// A failure to read or write one of semrob's result files.
///
/// ``description`` is one line that names the file, gives the reason and says what to do.
public enum ResultFileError: Error, CustomStringConvertible, Hashable, Sendable {
  /// A file could not be read (missing, a directory, no permission, I/O error).
  case unreadable(path: String, reason: String)
  /// A file could not be written; `reason` includes the system's reason and advice.
  case unwritable(path: String, reason: String)
  /// A value could not be encoded as JSON (for example a NaN or infinite number).
  case encodingFailed(reason: String)
  /// A document or JSON-lines file is not valid JSON of the expected structure.
  case invalidDocument(path: String?, reason: String)
  /// A document has a different `schema` than the caller expects.
  case schemaMismatch(path: String?, expected: String, found: String)

  /// The one-line message.
  public var description: String { OneLine.make(text, limit: 2000) }

  /// The message before it is forced onto one line.
  private var text: String {
    switch self {
    case .unreadable(let path, let reason):
      return "cannot read '\(path)': \(reason)"
    case .unwritable(let path, let reason):
      return "cannot write '\(path)': \(reason)"
    case .encodingFailed(let reason):
      return "cannot encode result as JSON: \(reason); JSON has no NaN or infinity, so "
        + "replace non-finite numbers (for example with null) before writing"
    case .invalidDocument(let path, let reason):
      return "\(Self.subject(path)): \(reason)"
    case .schemaMismatch(let path, let expected, let found):
      return "\(Self.subject(path)): schema is '\(found)', expected '\(expected)'; "
        + "use the semrob command that reads '\(found)' files, or regenerate the file"
    }
  }

  private static func subject(_ path: String?) -> String {
    path.map { "cannot read result file '\($0)'" } ?? "cannot read result JSON"
  }
}
