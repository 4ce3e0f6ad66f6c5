import Foundation
import Geometry
import Testing

@testable import MeshFiles

/// Where Debian's `assimp-testmodels` package installs its models.
let assimpModels = URL(fileURLWithPath: "/usr/share/assimp/models")

/// Whether the assimp test models are installed.
let assimpModelsInstalled = FileManager.default.fileExists(
  atPath: assimpModels.appendingPathComponent("invalid").path)

/// Parses inline OBJ text (with an optional MTL text served for every `mtllib`).
func parseOBJ(_ text: String, name: String = "inline.obj", mtl: String? = nil) throws -> (
  Mesh, MeshLoadReport
) {
  try OBJFormat.parse(Data(text.utf8), name: name) { _ in mtl.map { Data($0.utf8) } }
}

/// Checks that `error` is a `MeshFileError` whose description is one line naming `file`, and
/// returns it.
@discardableResult
func expectOneLineError(
  _ error: (any Error)?, naming file: String, sourceLocation: SourceLocation = #_sourceLocation
) -> MeshFileError? {
  guard let error else {
    Issue.record("expected an error, got none", sourceLocation: sourceLocation)
    return nil
  }
  guard let meshError = error as? MeshFileError else {
    Issue.record(
      "expected a MeshFileError, got \(type(of: error)): \(error)",
      sourceLocation: sourceLocation)
    return nil
  }
  let text = meshError.description
  #expect(
    !text.contains("\n") && !text.contains("\r"), "not one line: \(text)",
    sourceLocation: sourceLocation)
  #expect(text.contains(file), "does not name '\(file)': \(text)", sourceLocation: sourceLocation)
  #expect(text.hasPrefix("cannot read mesh '"), "\(text)", sourceLocation: sourceLocation)
  return meshError
}

/// Runs `body` and returns the error it throws (nil when it returns normally).
func thrownError<T>(_ body: () throws -> T) -> (any Error)? {
  do {
    _ = try body()
    return nil
  } catch {
    return error
  }
}

/// Every file under `root` whose extension `MeshFiles` claims to support, sorted by path.
func supportedFiles(under root: URL) -> [URL] {
  let supported = Set(MeshFiles.supportedExtensions)
  guard
    let enumerator = FileManager.default.enumerator(
      at: root, includingPropertiesForKeys: [.isRegularFileKey])
  else { return [] }
  var files: [URL] = []
  for case let url as URL in enumerator {
    guard (try? url.resourceValues(forKeys: [.isRegularFileKey]))?.isRegularFile == true,
      supported.contains(url.pathExtension.lowercased())
    else { continue }
    files.append(url)
  }
  return files.sorted { $0.path < $1.path }
}

/// Loads `url` and returns the result, the child process's resource use (nil for OBJ) and the
/// wall-clock time.
func measuredLoad(_ url: URL, options: MeshImportOptions = .init()) -> (
  result: Result<LoadedMesh, MeshFileError>, statistics: ChildStatistics?, elapsed: Duration
) {
  let clock = ContinuousClock()
  var outcome: (result: Result<LoadedMesh, MeshFileError>, statistics: ChildStatistics?)?
  let elapsed = clock.measure {
    outcome = MeshFiles.loadMeasured(contentsOf: url, options: options)
  }
  return (outcome!.result, outcome!.statistics, elapsed)
}
