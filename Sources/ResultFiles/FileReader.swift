import Foundation

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// Why a file could not be read.
package enum FileReadFailure: Error, Equatable, Sendable {
  /// The path does not exist.
  case notFound
  /// The path is a directory.
  case isDirectory
  /// The path is a FIFO, device or socket (a FIFO would block, `/dev/zero` never ends).
  case notRegular
  /// The file is larger than the caller's limit.
  case tooLarge(size: Int, limit: Int)
  /// A system call failed with this `errno`.
  case system(Int32)

  /// A one-line reason with advice.
  package var reason: String {
    switch self {
    case .notFound: "No such file or directory; check the path"
    case .isDirectory: "Is a directory; pass the path of a file"
    case .notRegular: "not a regular file (a FIFO, device or socket); pass the path of a file"
    case .tooLarge(let size, let limit):
      "the file has \(size) bytes, more than the limit of \(limit)"
    case .system(let code):
      code == EACCES || code == EPERM
        ? "\(String(cString: strerror(code))); check the file's permissions"
        : "\(String(cString: strerror(code))); check that the file is readable"
    }
  }
}

/// Reads files with POSIX calls, the one reader every semrob file format uses.
///
/// The file is opened first (`O_NONBLOCK`, so a FIFO cannot block the open) and then checked
/// through its descriptor, so the checks and the read see the same file: only regular files are
/// read, and a size limit is enforced before anything is allocated.
package enum FileReader {
  /// A file's size and the bytes read from it.
  package struct Contents: Sendable {
    /// The file's size in bytes when it was opened.
    package var size: Int
    /// The whole file, or its first `prefixBytes` bytes.
    package var bytes: Data
  }

  /// Reads a file, whole or its first `prefixBytes` bytes.
  ///
  /// - Parameters:
  ///   - path: The file.
  ///   - limit: Refuse larger files when reading them whole (default: no limit).
  ///   - prefixBytes: Read only this many leading bytes (`nil`: the whole file).
  /// - Returns: The size and bytes, or why they cannot be read.
  package static func read(path: String, limit: Int = .max, prefixBytes: Int? = nil)
    -> Result<Contents, FileReadFailure>
  {
    let fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK)
    if fd < 0 {
      switch errno {
      case ENOENT: return .failure(.notFound)
      case EISDIR: return .failure(.isDirectory)
      case let code: return .failure(.system(code))
      }
    }
    defer { close(fd) }
    var info = stat()
    guard fstat(fd, &info) == 0 else { return .failure(.system(errno)) }
    let type = info.st_mode & S_IFMT
    if type == S_IFDIR { return .failure(.isDirectory) }
    guard type == S_IFREG else { return .failure(.notRegular) }
    let size = Int(info.st_size)
    if prefixBytes == nil && size > limit { return .failure(.tooLarge(size: size, limit: limit)) }
    let wanted = prefixBytes.map { min(size, $0) } ?? size
    var data = Data(count: wanted)
    var filled = 0
    var failure: Int32? = nil
    data.withUnsafeMutableBytes { buffer in
      while filled < wanted {
        let n = Foundation.read(fd, buffer.baseAddress! + filled, wanted - filled)
        if n < 0 {
          if errno == EINTR || errno == EAGAIN { continue }
          failure = errno
          return
        }
        if n == 0 { break }  // the file shrank while it was read
        filled += n
      }
    }
    if let failure { return .failure(.system(failure)) }
    if filled < wanted { data.removeSubrange(filled..<wanted) }
    return .success(Contents(size: prefixBytes == nil ? filled : size, bytes: data))
  }
}
