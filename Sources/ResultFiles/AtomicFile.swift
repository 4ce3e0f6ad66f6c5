import Foundation

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// Writes files so that readers see either the old contents or the new, never a mixture.
///
/// The data goes to a temporary file in the destination's directory (same file system), is
/// flushed with `fsync`, and then replaces the destination with `rename(2)`, which POSIX makes
/// atomic. If any step fails, the destination is untouched and the temporary file removed.
public enum AtomicFile {
  /// Writes `data` to `url` atomically.
  ///
  /// The new file gets the default mode for new files (0666 minus the umask), not the mode of
  /// the file it replaces.
  ///
  /// - Parameters:
  ///   - data: The complete file contents.
  ///   - url: The destination; its directory must exist and be writable.
  /// - Throws: ``ResultFileError/unwritable(path:reason:)`` naming the path, the system's
  ///   reason and what to do (missing directory, permission denied, read-only file system,
  ///   disk full, destination is a directory).
  /// - Complexity: O(`data.count`).
  public static func write(_ data: Data, to url: URL) throws {
    try write(data, to: url, beforeRename: {})
  }

  /// Writes `data` to `url` atomically and returns the one-line reason if that fails, for
  /// modules that report file errors in their own error type.
  ///
  /// - Parameters:
  ///   - data: The complete file contents.
  ///   - url: The destination.
  /// - Returns: `nil` on success, otherwise the reason with advice.
  package static func writeReason(_ data: Data, to url: URL) -> String? {
    do {
      try write(data, to: url)
      return nil
    } catch let ResultFileError.unwritable(_, reason) {
      return reason
    } catch {
      return "\(error)"
    }
  }

  /// ``write(_:to:)`` with a hook that runs after the temporary file is complete and before
  /// the rename; tests make it throw to simulate an interrupted write.
  static func write(_ data: Data, to url: URL, beforeRename: () throws -> Void) throws {
    let path = url.path
    if let problem = FileProblem.destinationProblem(url) {
      throw ResultFileError.unwritable(path: path, reason: problem)
    }
    let directory = url.deletingLastPathComponent().path
    // The system generator only makes the temporary name unique; it never affects results.
    let suffix = String(UInt64.random(in: 0...UInt64.max), radix: 16)
    // A short name of its own, so any destination name that is valid also works here.
    let temporary = url.deletingLastPathComponent()
      .appending(path: ".semrob-\(getpid())-\(suffix).tmp").path

    let descriptor = open(temporary, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o666)
    guard descriptor >= 0 else {
      throw ResultFileError.unwritable(
        path: path, reason: FileProblem.reason(errno: errno, directory: directory))
    }
    var isOpen = true
    var succeeded = false
    defer {
      if isOpen { close(descriptor) }
      if !succeeded { unlink(temporary) }
    }
    func fail(_ code: Int32) -> ResultFileError {
      .unwritable(path: path, reason: FileProblem.reason(errno: code, directory: directory))
    }
    if let code = writeAll(data, to: descriptor) { throw fail(code) }
    if fsync(descriptor) != 0 { throw fail(errno) }
    isOpen = false
    if close(descriptor) != 0 { throw fail(errno) }
    try beforeRename()
    if rename(temporary, path) != 0 { throw fail(errno) }
    succeeded = true
    // Persist the rename itself (best effort: the file is complete either way).
    let directoryDescriptor = open(directory.isEmpty ? "." : directory, O_RDONLY | O_CLOEXEC)
    if directoryDescriptor >= 0 {
      _ = fsync(directoryDescriptor)
      close(directoryDescriptor)
    }
  }

  /// Writes every byte, retrying after partial writes and `EINTR`.
  ///
  /// - Returns: `nil` on success, otherwise the `errno` of the failed `write(2)`.
  static func writeAll(_ data: Data, to descriptor: Int32) -> Int32? {
    data.withUnsafeBytes { buffer -> Int32? in
      var offset = 0
      while offset < buffer.count {
        let written = systemWrite(descriptor, buffer.baseAddress! + offset, buffer.count - offset)
        if written < 0 {
          if errno == EINTR { continue }
          return errno
        }
        offset += written
      }
      return nil
    }
  }
}

/// `write(2)`, named apart from the `write` functions above.
@inline(__always) func systemWrite(_ fd: Int32, _ bytes: UnsafeRawPointer, _ count: Int) -> Int {
  #if canImport(Glibc)
    Glibc.write(fd, bytes, count)
  #else
    Darwin.write(fd, bytes, count)
  #endif
}
