import Foundation

/// Creates a new, empty, uniquely named directory for one test.
///
/// The directory is under the system temporary directory and named
/// `<prefix>-<UUID>`, so concurrently running tests never share one. The caller removes it,
/// or uses ``withTemporaryDirectory(prefix:_:)``, which does.
///
/// - Parameter prefix: A readable prefix for the directory name.
/// - Returns: The directory URL.
/// - Throws: The file-system error if the directory cannot be created.
public func temporaryDirectory(prefix: String = "semrob-test") throws -> URL {
  let url = FileManager.default.temporaryDirectory
    .appending(path: "\(prefix)-\(UUID().uuidString)", directoryHint: .isDirectory)
  try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
  return url
}

/// Runs `body` with a new temporary directory and removes the directory afterwards.
///
/// - Parameters:
///   - prefix: A readable prefix for the directory name.
///   - body: The test code; it receives the directory URL.
/// - Returns: Whatever `body` returns.
/// - Throws: Whatever `body` throws, or the error from creating the directory.
public func withTemporaryDirectory<T>(
  prefix: String = "semrob-test", _ body: (URL) throws -> T
) throws -> T {
  let url = try temporaryDirectory(prefix: prefix)
  defer {
    // Restore permissions that a test may have removed, so that removal succeeds.
    _ = try? FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: url.path)
    try? FileManager.default.removeItem(at: url)
  }
  return try body(url)
}
