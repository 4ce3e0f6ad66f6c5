import Foundation
import Geometry
import TestSupport
import Testing

@testable import MeshFiles

#if canImport(Glibc)
  import Glibc
#endif

@Suite struct MeshFilesTests {
  /// Writes `contents` to `name` in a new temporary directory and runs `body` with its URL.
  func withFile(
    _ name: String, _ contents: Data, extra: [String: Data] = [:], _ body: (URL) throws -> Void
  ) throws {
    try withTemporaryDirectory(prefix: "semrob-meshfiles") { directory in
      let url = directory.appendingPathComponent(name)
      try contents.write(to: url)
      for (otherName, data) in extra {
        try data.write(to: directory.appendingPathComponent(otherName))
      }
      try body(url)
    }
  }

  @Test("an OBJ next to its MTL loads with colours; a missing MTL is a warning")
  func objWithMaterialLibrary() throws {
    let obj = Data("mtllib m.mtl\nv 0 0 0\nv 1 0 0\nv 0 1 0\nusemtl red\nf 1 2 3\n".utf8)
    try withFile("tri.obj", obj, extra: ["m.mtl": Data("newmtl red\nKd 1 0 0\n".utf8)]) { url in
      let loaded = try MeshFiles.load(contentsOf: url)
      #expect(loaded.mesh.materials == [Material(name: "red", diffuse: SIMD3(1, 0, 0))])
      #expect(loaded.report.warnings.isEmpty)
    }
    try withFile("tri.obj", obj) { url in
      let loaded = try MeshFiles.load(contentsOf: url)
      #expect(loaded.mesh.albedo(ofFace: 0) == SIMD3(1, 1, 1))
      #expect(loaded.report.warnings.count == 1)
      #expect(loaded.report.warnings[0].contains("'m.mtl' was not found"))
    }
  }

  @Test(
    "empty files throw",
    arguments: ["empty.obj", "empty.ply", "empty.off", "empty.stl", "empty.gltf"])
  func emptyFile(name: String) throws {
    try withFile(name, Data()) { url in
      let error = expectOneLineError(
        thrownError { try MeshFiles.load(contentsOf: url) }, naming: name)
      let text = error?.description ?? ""
      #expect(text.contains("empty"), "\(text)")
    }
  }

  @Test("a truncated OBJ throws with the line of the cut")
  func truncatedOBJ() throws {
    let url = try Fixture.url("obj/two_groups.obj", bundle: .module)
    let whole = try Data(contentsOf: url)
    // Cut in the middle of the first 'v 2.5 1.5 0' record (line 12).
    let cut = try #require(whole.range(of: Data("v 2.5 1".utf8)))
    try withFile("cut.obj", whole[..<cut.upperBound]) { cutURL in
      let error = expectOneLineError(
        thrownError { try MeshFiles.load(contentsOf: cutURL) }, naming: "cut.obj")
      #expect(
        error?.description.contains("line 12: vertex has 2 coordinates") == true,
        "\(String(describing: error))")
    }
  }

  @Test(
    "truncated binary files throw", arguments: ["Cube.off", "cube_binary.ply", "Spider_binary.stl"])
  func truncatedBinary(name: String) throws {
    try #require(assimpModelsInstalled)
    let directory = name.hasSuffix("off") ? "OFF" : name.hasSuffix("ply") ? "PLY" : "STL"
    let whole = try Data(contentsOf: assimpModels.appendingPathComponent("\(directory)/\(name)"))
    try withFile(name, whole.prefix(whole.count / 2)) { url in
      expectOneLineError(thrownError { try MeshFiles.load(contentsOf: url) }, naming: name)
    }
  }

  @Test(
    "binary garbage throws for every dispatch path",
    arguments: ["noise.obj", "noise.ply", "noise.stl", "noise.off", "noise.fbx", "noise.3ds"])
  func garbage(name: String) throws {
    var generator = SeededGenerator(seed: 42)
    let bytes = Data((0..<4096).map { _ in UInt8(truncatingIfNeeded: generator.next()) })
    try withFile(name, bytes) { url in
      expectOneLineError(thrownError { try MeshFiles.load(contentsOf: url) }, naming: name)
    }
  }

  @Test("wrong or missing extension throws unsupportedFormat")
  func wrongExtension() throws {
    try withFile("mesh.txt", Data("v 0 0 0\n".utf8)) { url in
      let error = expectOneLineError(
        thrownError { try MeshFiles.load(contentsOf: url) }, naming: "mesh.txt")
      #expect(error == .unsupportedFormat(path: url.path, extension: "txt"))
      #expect(error?.description.contains("'.txt' is not a supported format") == true)
    }
    try withFile("README", Data("hello".utf8)) { url in
      let error = expectOneLineError(
        thrownError { try MeshFiles.load(contentsOf: url) }, naming: "README")
      #expect(error?.description.contains("no extension") == true)
    }
  }

  @Test("an OBJ file under a PLY name is rejected by assimp")
  func mislabelled() throws {
    try withFile("tri.ply", Data("v 0 0 0\nv 1 0 0\nv 0 1 0\nf 1 2 3\n".utf8)) { url in
      expectOneLineError(thrownError { try MeshFiles.load(contentsOf: url) }, naming: "tri.ply")
    }
  }

  @Test("index 0 and out-of-range indices in a file name the file and the line")
  func badIndicesInFile() throws {
    try withFile("zero.obj", Data("v 0 0 0\nv 1 0 0\nv 0 1 0\nf 0 1 2\n".utf8)) { url in
      let error = expectOneLineError(
        thrownError { try MeshFiles.load(contentsOf: url) }, naming: "zero.obj")
      #expect(error?.description.contains("line 4: face index 0 is invalid") == true)
    }
    try withFile("range.obj", Data("v 0 0 0\nv 1 0 0\nv 0 1 0\nf 1 2 4\n".utf8)) { url in
      let error = expectOneLineError(
        thrownError { try MeshFiles.load(contentsOf: url) }, naming: "range.obj")
      #expect(
        error?.description.contains("line 4: face index 4 is out of range (file has 3 vertices)")
          == true)
    }
  }

  @Test("missing file, directory and unreadable file")
  func fileProblems() throws {
    try withTemporaryDirectory(prefix: "semrob-meshfiles") { directory in
      let missing = directory.appendingPathComponent("missing.obj")
      let error = expectOneLineError(
        thrownError { try MeshFiles.load(contentsOf: missing) }, naming: "missing.obj")
      #expect(error == .fileNotFound(path: missing.path))

      let folder = directory.appendingPathComponent("folder.ply")
      try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: false)
      let dirError = expectOneLineError(
        thrownError { try MeshFiles.load(contentsOf: folder) }, naming: "folder.ply")
      #expect(dirError == .isDirectory(path: folder.path))

      let fifo = directory.appendingPathComponent("pipe.obj")
      #expect(mkfifo(fifo.path, 0o600) == 0)
      let fifoError = expectOneLineError(
        thrownError { try MeshFiles.load(contentsOf: fifo) }, naming: "pipe.obj")
      #expect(fifoError?.description.contains("not a regular file") == true)

      // Permissions do not apply to root, so this part only runs for other users.
      if geteuid() != 0 {
        let locked = directory.appendingPathComponent("locked.obj")
        try Data("v 0 0 0\n".utf8).write(to: locked)
        try FileManager.default.setAttributes([.posixPermissions: 0], ofItemAtPath: locked.path)
        let lockedError = expectOneLineError(
          thrownError { try MeshFiles.load(contentsOf: locked) }, naming: "locked.obj")
        #expect(lockedError?.description.contains("Permission denied") == true)
      }
    }
  }

  @Test("a non-file URL is rejected")
  func remoteURL() throws {
    let url = try #require(URL(string: "https://example.com/chair.obj"))
    expectOneLineError(thrownError { try MeshFiles.load(contentsOf: url) }, naming: "chair.obj")
  }

  @Test("an OBJ file over the size limit is refused before it is read")
  func objSizeLimit() throws {
    let directory = try temporaryDirectory()
    defer { try? FileManager.default.removeItem(at: directory) }
    let url = directory.appending(path: "big.obj")
    try Data("v 0 0 0\nv 1 0 0\nv 0 1 0\nf 1 2 3\n".utf8).write(to: url)
    #expect(throws: Never.self) { try MeshFiles.load(contentsOf: url) }
    let error = thrownError {
      try MeshFiles.load(contentsOf: url, options: MeshImportOptions(maximumOBJBytes: 10))
    }
    expectOneLineError(error, naming: "big.obj")
    #expect(error.map { String(describing: $0) }?.contains("maximumOBJBytes") == true)
  }

  @Test("material libraries outside the OBJ's directory are not read")
  func materialLibrariesStayBesideTheOBJ() throws {
    let directory = try temporaryDirectory()
    defer { try? FileManager.default.removeItem(at: directory) }
    let inner = directory.appending(path: "model")
    try FileManager.default.createDirectory(at: inner, withIntermediateDirectories: true)
    let mtl = Data("newmtl red\nKd 1 0 0\n".utf8)
    try mtl.write(to: directory.appending(path: "outside.mtl"))
    try mtl.write(to: inner.appending(path: "inside.mtl"))
    for (library, expectRed) in [
      ("inside.mtl", true), ("../outside.mtl", false),
      (directory.appending(path: "outside.mtl").path, false),
    ] {
      let url = inner.appending(path: "m.obj")
      try Data("mtllib \(library)\nv 0 0 0\nv 1 0 0\nv 0 1 0\nusemtl red\nf 1 2 3\n".utf8)
        .write(to: url)
      let loaded = try MeshFiles.load(contentsOf: url)
      #expect((loaded.mesh.albedo(ofFace: 0) == SIMD3(1, 0, 0)) == expectRed, "\(library)")
    }
  }
}
