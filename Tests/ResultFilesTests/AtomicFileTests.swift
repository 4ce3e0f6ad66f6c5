import Foundation
import TestSupport
import Testing

@testable import ResultFiles

@Suite struct AtomicFileTests {
  private func listing(_ directory: URL) throws -> [String] {
    try FileManager.default.contentsOfDirectory(atPath: directory.path).sorted()
  }

  @Test("writes a new file and replaces an existing one, leaving no temporary files")
  func writeAndReplace() throws {
    try withTemporaryDirectory { directory in
      let url = directory.appending(path: "out.json")
      try AtomicFile.write(Data("first".utf8), to: url)
      #expect(try Data(contentsOf: url) == Data("first".utf8))
      try AtomicFile.write(Data("second, longer".utf8), to: url)
      #expect(try Data(contentsOf: url) == Data("second, longer".utf8))
      try AtomicFile.write(Data(), to: url)
      #expect(try Data(contentsOf: url).isEmpty)
      #expect(try listing(directory) == ["out.json"])
    }
  }

  @Test("an interrupted write leaves the existing file intact and removes the temporary file")
  func interruptedWrite() throws {
    struct Interrupted: Error {}
    try withTemporaryDirectory { directory in
      let url = directory.appending(path: "out.json")
      try AtomicFile.write(Data("old contents".utf8), to: url)
      #expect(throws: Interrupted.self) {
        try AtomicFile.write(Data("new".utf8), to: url, beforeRename: { throw Interrupted() })
      }
      #expect(try Data(contentsOf: url) == Data("old contents".utf8))
      #expect(try listing(directory) == ["out.json"])
    }
  }

  @Test("a missing directory names the path, the reason and what to do")
  func missingDirectory() throws {
    try withTemporaryDirectory { directory in
      let url = directory.appending(path: "missing/out.json")
      let error = try #require(throws: ResultFileError.self) {
        try AtomicFile.write(Data("x".utf8), to: url)
      }
      guard case .unwritable(let path, let reason) = error else {
        Issue.record("unexpected \(error)")
        return
      }
      #expect(path == url.path)
      #expect(reason.contains("No such file or directory") && reason.contains("mkdir -p"))
      #expect(error.description.hasPrefix("cannot write '\(url.path)': "))
      #expect(try listing(directory).isEmpty)
    }
  }

  @Test("a directory as destination is refused and left alone")
  func directoryDestination() throws {
    try withTemporaryDirectory { directory in
      let target = directory.appending(path: "sub")
      try FileManager.default.createDirectory(at: target, withIntermediateDirectories: false)
      let error = try #require(throws: ResultFileError.self) {
        try AtomicFile.write(Data("x".utf8), to: target)
      }
      #expect(error.description.contains("Is a directory"))
      #expect(try listing(directory) == ["sub"])
    }
  }

  @Test(
    "an unwritable directory keeps the existing file intact",
    .enabled(if: geteuid() != 0, "root ignores directory permissions"))
  func unwritableDirectory() throws {
    try withTemporaryDirectory { directory in
      let url = directory.appending(path: "out.json")
      try AtomicFile.write(Data("old".utf8), to: url)
      try FileManager.default.setAttributes(
        [.posixPermissions: 0o555], ofItemAtPath: directory.path)
      let error = try #require(throws: ResultFileError.self) {
        try AtomicFile.write(Data("new".utf8), to: url)
      }
      #expect(error.description.contains("Permission denied"))
      #expect(error.description.contains("fix the permissions"))
      #expect(try Data(contentsOf: url) == Data("old".utf8))
      #expect(try listing(directory) == ["out.json"])
    }
  }

  @Test("errno reasons carry advice")
  func reasons() {
    #expect(FileProblem.reason(errno: EACCES, directory: "/d").contains("Permission denied"))
    #expect(FileProblem.reason(errno: EROFS, directory: "/d").contains("read-only"))
    #expect(FileProblem.reason(errno: ENOSPC, directory: "/d").contains("free some disk space"))
  }
}
