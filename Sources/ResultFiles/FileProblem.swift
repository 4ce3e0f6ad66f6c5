import Foundation

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// One-line reasons, with advice, for failed file operations; shared by every semrob file
/// format (`.npy` in Tensors, PNG in ImageFiles, JSON here).
package enum FileProblem {
  /// Reads a whole file, or explains in one line why it cannot be read.
  ///
  /// - Parameter url: A file URL.
  /// - Returns: The bytes.
  /// - Throws: The one-line reason, with advice.
  package static func read(_ url: URL) throws(FileProblemReason) -> Data {
    switch FileReader.read(path: url.path) {
    case .success(let contents): return contents.bytes
    case .failure(let failure): throw FileProblemReason(failure.reason)
    }
  }

  /// Checks that the directory of `url` exists and that `url` is not a directory.
  ///
  /// - Returns: A reason, or `nil` when the destination looks usable.
  package static func destinationProblem(_ url: URL) -> String? {
    let directory = url.deletingLastPathComponent().path
    var isDirectory: ObjCBool = false
    guard FileManager.default.fileExists(atPath: directory, isDirectory: &isDirectory) else {
      return "No such file or directory: the directory '\(directory)' does not exist; "
        + "create it first (mkdir -p) or choose another output path"
    }
    guard isDirectory.boolValue else {
      return "Not a directory: '\(directory)' is a file; choose another output path"
    }
    if access(directory, W_OK) != 0 {
      return "\(String(cString: strerror(errno))): cannot create files in '\(directory)'; "
        + "fix its permissions or choose another output directory"
    }
    if FileManager.default.fileExists(atPath: url.path, isDirectory: &isDirectory),
      isDirectory.boolValue
    {
      return "Is a directory: '\(url.path)' is a directory; choose a file name"
    }
    return nil
  }

  /// The system's text for `code` followed by advice for the common cases.
  package static func reason(errno code: Int32, directory: String) -> String {
    let system = String(cString: strerror(code))
    switch code {
    case EACCES, EPERM:
      return "\(system): fix the permissions of '\(directory)' or choose another output directory"
    case EROFS:
      return "\(system): the file system is read-only; choose another output directory"
    case ENOSPC, EDQUOT:
      return "\(system): free some disk space or choose another output directory"
    case ENOENT:
      return "\(system): create the directory '\(directory)' first (mkdir -p)"
    case EISDIR:
      return "\(system): the destination is a directory; choose a file name"
    default:
      return "\(system): check the output path and try again"
    }
  }
}

/// A one-line reason why a file operation failed, with advice.
package struct FileProblemReason: Error, Sendable {
  /// The reason.
  package var reason: String

  /// Wraps a reason.
  ///
  /// - Parameter reason: The one-line reason.
  package init(_ reason: String) { self.reason = reason }
}
