import Foundation

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// File-system checks shared by semrob's file formats (`.npy` here, PNG in ImageFiles).
///
/// The checks turn the vague errors Foundation reports on Linux into one-line reasons that say
/// what to do. They are advisory: a race with another process can still make the real read or
/// write fail, and the callers handle that failure as well.
package enum FileAccess {
  /// Reads a whole file, or explains in one line why it cannot be read.
  ///
  /// - Parameter url: A file URL.
  /// - Returns: The bytes on success, or the reason on failure.
  package static func read(_ url: URL) -> Result<Data, FileAccessProblem> {
    let path = url.path
    var isDirectory: ObjCBool = false
    guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
      return .failure(FileAccessProblem("No such file or directory; check the path"))
    }
    if isDirectory.boolValue {
      return .failure(FileAccessProblem("Is a directory; pass the path of a file"))
    }
    if access(path, R_OK) != 0 {
      return .failure(
        FileAccessProblem("\(String(cString: strerror(errno))); check the file's permissions"))
    }
    do {
      return .success(try Data(contentsOf: url))
    } catch {
      return .failure(FileAccessProblem("\(error.localizedDescription)"))
    }
  }

  /// Explains why a file cannot be created at `url`, or returns `nil` if it probably can.
  ///
  /// Checks that the parent directory exists, is a directory and is writable, and that `url`
  /// itself is not a directory.
  ///
  /// - Parameter url: The destination file URL.
  /// - Returns: A one-line reason with advice, or `nil`.
  package static func writeProblem(for url: URL) -> String? {
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

  /// Writes `data` atomically (`Data.write(to:options: .atomic)`), explaining any failure.
  ///
  /// - Parameters:
  ///   - data: The complete file contents.
  ///   - url: The destination file URL.
  /// - Returns: `nil` on success, or the one-line reason on failure.
  package static func writeAtomically(_ data: Data, to url: URL) -> String? {
    if let problem = writeProblem(for: url) { return problem }
    do {
      try data.write(to: url, options: .atomic)
      return nil
    } catch {
      return "\(error.localizedDescription); check free space and permissions"
    }
  }
}

/// A one-line reason why a file operation failed.
package struct FileAccessProblem: Error, Sendable {
  /// The reason, with advice.
  package var reason: String

  /// Wraps a reason.
  ///
  /// - Parameter reason: The one-line reason.
  package init(_ reason: String) { self.reason = reason }
}
