import ResultFiles

/// A mesh file that could not be turned into a ``Geometry/Mesh``.
///
/// Every case carries the path (or the name the caller gave) and the reason. ``description`` is
/// always a single line of the form
/// `cannot read mesh '<path>': <what went wrong>. <what to do>`, for example
/// `cannot read mesh 'chair.obj': line 12: face index 40 is out of range (file has 38 vertices).
/// Fix the file or re-export it.` Multi-line messages from assimp are collapsed into one line.
public enum MeshFileError: Error, CustomStringConvertible, Sendable, Hashable {
  /// No file exists at the path.
  case fileNotFound(path: String)
  /// The path names a directory, not a file.
  case isDirectory(path: String)
  /// The file exists but cannot be opened or read (`reason` is the system's message).
  case unreadable(path: String, reason: String)
  /// The file's extension is not one semrob reads (see ``MeshFiles/supportedExtensions``).
  case unsupportedFormat(path: String, extension: String)
  /// The file's content is malformed: a bad number, face or header. `line` is the 1-based
  /// (physical) line number for text formats when known.
  case malformed(path: String, line: Int?, reason: String)
  /// The file was read, but the mesh it describes is unusable (empty, non-finite coordinates,
  /// all faces degenerate); `reason` is the ``Geometry/MeshError`` description.
  case invalidMesh(path: String, reason: String)
  /// assimp rejected the file; `reason` is its error message.
  case importFailed(path: String, reason: String)
  /// The isolated importer process died (signal, unexpected exit status or truncated output).
  case importerCrashed(path: String, reason: String)
  /// The import needed more memory than allowed and was stopped.
  case memoryLimitExceeded(path: String, limitBytes: Int)
  /// The import did not finish within the time limit and was stopped.
  case timedOut(path: String, limit: Duration)

  /// The path or name of the file the error is about.
  public var path: String {
    switch self {
    case .fileNotFound(let path), .isDirectory(let path), .unreadable(let path, _),
      .unsupportedFormat(let path, _), .malformed(let path, _, _), .invalidMesh(let path, _),
      .importFailed(let path, _), .importerCrashed(let path, _),
      .memoryLimitExceeded(let path, _), .timedOut(let path, _):
      path
    }
  }

  /// One line: what failed, the file, the reason and what to do.
  public var description: String {
    let head = "cannot read mesh '\(MeshFileError.oneLine(path, limit: 400))'"
    let body: String
    switch self {
    case .fileNotFound:
      body = "no such file. Check the path."
    case .isDirectory:
      body = "it is a directory, not a file. Pass the path of a mesh file."
    case .unreadable(_, let reason):
      body = "\(MeshFileError.sentence(reason)) Check that the file exists and is readable."
    case .unsupportedFormat(_, let ext):
      let shown = ext.isEmpty ? "the file has no extension" : "'.\(ext)' is not a supported format"
      body =
        "\(MeshFileError.oneLine(shown, limit: 120)). Convert the mesh to OBJ, PLY, STL, OFF, "
        + "glTF or another format in MeshFiles.supportedExtensions."
    case .malformed(_, let line, let reason):
      let location = line.map { "line \($0): " } ?? ""
      body = "\(location)\(MeshFileError.sentence(reason)) Fix the file or re-export it."
    case .invalidMesh(_, let reason):
      body = "\(MeshFileError.sentence(reason)) Fix the file or re-export it."
    case .importFailed(_, let reason):
      body =
        "assimp: \(MeshFileError.sentence(reason)) Check that the file is complete and in the "
        + "format its extension says, or re-export it."
    case .importerCrashed(_, let reason):
      body =
        "\(MeshFileError.sentence(reason)) The file is probably corrupt or uses a feature the "
        + "importer does not handle; re-export it (OBJ is read natively)."
    case .memoryLimitExceeded(_, let limit):
      body =
        "the import needed more than \(MeshFileError.grouped(limit)) bytes of memory and was "
        + "stopped. If the file is legitimately that large, raise memoryLimitBytes in "
        + "MeshImportOptions; otherwise the file is corrupt."
    case .timedOut(_, let limit):
      body =
        "the import did not finish within \(limit) and was stopped. If the file is large, raise "
        + "the timeout in MeshImportOptions; otherwise the file is corrupt."
    }
    return "\(head): \(body)"
  }

  /// The text on one line (see `OneLine.make`).
  static func oneLine(_ text: String, limit: Int = 300) -> String {
    OneLine.make(text, limit: limit)
  }

  /// `oneLine(text)` ending in exactly one full stop (or other sentence-ending mark).
  static func sentence(_ text: String) -> String {
    var line = oneLine(text)
    while let last = line.last, last == "." || last == " " { line.removeLast() }
    if line.isEmpty { return "unknown reason." }
    if let last = line.last, "!?…".contains(last) { return line }
    return line + "."
  }

  /// `1234567` → `"1,234,567"`.
  static func grouped<I: BinaryInteger>(_ value: I) -> String {
    let digits = String(value.magnitude)
    var out = ""
    for (i, c) in digits.enumerated() {
      if i > 0 && (digits.count - i) % 3 == 0 { out.append(",") }
      out.append(c)
    }
    return value < 0 ? "-" + out : out
  }
}
