import Testing

@testable import MeshFiles

@Suite struct MeshFileErrorTests {
  static let examples: [MeshFileError] = [
    .fileNotFound(path: "a.obj"),
    .isDirectory(path: "a.obj"),
    .unreadable(path: "a.obj", reason: "Permission denied"),
    .unsupportedFormat(path: "a.xyz", extension: "xyz"),
    .malformed(
      path: "a.obj", line: 12, reason: "face index 40 is out of range (file has 38 vertices)"),
    .malformed(path: "a.off", line: nil, reason: "the file is empty (0 bytes)"),
    .invalidMesh(path: "a.obj", reason: "the mesh is empty: it has no faces"),
    .importFailed(path: "a.dae", reason: "line one\nline two\r\n\tline three"),
    .importerCrashed(path: "a.raw", reason: "signal 11"),
    .memoryLimitExceeded(path: "a.off", limitBytes: 1 << 30),
    .timedOut(path: "a.fbx", limit: .seconds(30)),
  ]

  @Test("every description is one line naming the file and ending with advice")
  func oneLine() {
    for error in Self.examples {
      let text = error.description
      #expect(!text.contains("\n") && !text.contains("\r") && !text.contains("\t"), "\(text)")
      #expect(text.hasPrefix("cannot read mesh '\(error.path)': "), "\(text)")
      #expect(text.hasSuffix("."), "\(text)")
    }
  }

  @Test("the documented example reads exactly as specified")
  func example() {
    let error = MeshFileError.malformed(
      path: "chair.obj", line: 12, reason: "face index 40 is out of range (file has 38 vertices)")
    #expect(
      error.description
        == "cannot read mesh 'chair.obj': line 12: face index 40 is out of range (file has 38 "
        + "vertices). Fix the file or re-export it.")
  }

  @Test("multi-line assimp messages are collapsed")
  func collapse() {
    let text = MeshFileError.importFailed(
      path: "a.dae", reason: "line one\nline two\r\n\tline three."
    ).description
    #expect(text.contains("assimp: line one line two line three. Check"), "\(text)")
    #expect(MeshFileError.oneLine("  a \u{0}\u{7}b  ") == "a b")
    #expect(MeshFileError.oneLine(String(repeating: "x", count: 500), limit: 10) == "xxxxxxxxxx…")
    #expect(MeshFileError.grouped(353_535_235_358) == "353,535,235,358")
    #expect(MeshFileError.grouped(-1234) == "-1,234")
  }
}
