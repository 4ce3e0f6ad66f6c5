public import Foundation
import Geometry
import ResultFiles

#if canImport(Glibc)
  import Glibc
#endif

/// Loading meshes from files: OBJ natively, every other format through assimp.
///
/// ```swift
/// let loaded = try MeshFiles.load(contentsOf: URL(filePath: "chair.ply"))
/// print(loaded.mesh.triangleCount, loaded.report.warnings)
/// ```
///
/// Untrusted files are safe to load with the default options: assimp runs in a child process
/// with a memory limit and a timeout (see ``MeshImportOptions``), and every failure — missing
/// file, malformed content, assimp error, crash, runaway allocation, hang — arrives as a
/// ``MeshFileError`` whose description is one line.
public enum MeshFiles {
  /// File extensions semrob reads, lower-case, without the dot: `obj` (semrob's own reader)
  /// followed by every extension assimp reports through `aiGetExtensionList`, sorted.
  ///
  /// Matching is case-insensitive and uses the last extension of the file name (`x.mesh.xml`
  /// matches `xml`).
  public static var supportedExtensions: [String] {
    ["obj"] + AssimpImporter.assimpExtensions.filter { $0 != "obj" }.sorted()
  }

  /// Loads a mesh file and validates it.
  ///
  /// `.obj` goes to ``OBJFormat`` (with the MTL files named by `mtllib`, resolved next to the
  /// OBJ file); every other supported extension goes to assimp, as `options` say, after a
  /// check of the counts its header declares against the file size (OFF, PLY, binary STL). The
  /// assimp scene's triangle meshes are merged into one mesh with one material index per
  /// triangle; point and line primitives are skipped with a warning.
  ///
  /// - Parameters:
  ///   - url: A file URL.
  ///   - options: How assimp imports run; ignored for OBJ.
  /// - Returns: The validated mesh and its load report.
  /// - Throws: ``MeshFileError`` for a missing file, a directory, an unreadable file, an
  ///   unsupported extension, malformed content, an assimp failure or crash, or an import that
  ///   exceeds its memory or time limit.
  /// - Complexity: O(file size) for OBJ; for other formats, whatever assimp needs, bounded by
  ///   the isolation limits.
  public static func load(contentsOf url: URL, options: MeshImportOptions = .init()) throws
    -> LoadedMesh
  {
    try loadMeasured(contentsOf: url, options: options).result.get()
  }

  /// ``load(contentsOf:options:)`` that also returns the isolated importer's resource use
  /// (when a child process ran), for failures as well as successes.
  static func loadMeasured(contentsOf url: URL, options: MeshImportOptions = .init())
    -> (result: Result<LoadedMesh, MeshFileError>, statistics: ChildStatistics?)
  {
    let path = url.isFileURL ? url.path : url.absoluteString
    guard url.isFileURL else {
      return (.failure(.unreadable(path: path, reason: "not a file URL")), nil)
    }
    let ext = url.pathExtension.lowercased()
    let isOBJ = ext == "obj"
    // Check the file before the extension, so a typo in the path is reported as such.
    let file: OpenedFile
    switch OpenedFile.open(path: path, readWhole: isOBJ, limit: options.maximumOBJBytes) {
    case .success(let opened): file = opened
    case .failure(let error): return (.failure(error), nil)
    }
    if isOBJ {
      let directory = url.deletingLastPathComponent()
      let result = Result { () throws(MeshFileError) -> LoadedMesh in
        let (mesh, report) = try OBJFormat.parseTyped(
          file.contents, name: path,
          materialLoader: { name in materialFile(named: name, in: directory) })
        return LoadedMesh(mesh: mesh, report: report)
      }
      return (result, nil)
    }
    guard !ext.isEmpty, AssimpImporter.assimpExtensions.contains(ext) else {
      return (.failure(.unsupportedFormat(path: path, extension: ext)), nil)
    }
    do throws(MeshFileError) {
      try DeclaredSizeCheck.check(
        path: path, extension: ext, fileSize: file.size, prefix: [UInt8](file.contents))
    } catch {
      return (.failure(error), nil)
    }
    return AssimpImporter.load(path: path, extension: ext, options: options)
  }

  /// The bytes of the MTL file `name` (as written in `mtllib`, relative to the OBJ's
  /// directory; backslashes are treated as path separators), or `nil` when it cannot be read.
  static func materialFile(named name: String, in directory: URL) -> Data? {
    // Material libraries are looked up beside the OBJ only: an absolute path or a `..` that
    // leaves the OBJ's directory is not followed (a hostile OBJ could otherwise make semrob
    // read arbitrary large files over and over).
    let relative = name.replacingOccurrences(of: "\\", with: "/")
    let base = directory.standardizedFileURL.resolvingSymlinksInPath().path
    let url = directory.appendingPathComponent(relative).standardizedFileURL
      .resolvingSymlinksInPath()
    guard !relative.hasPrefix("/"), url.path.hasPrefix(base + "/") else { return nil }
    guard
      case .success(let file) = OpenedFile.open(path: url.path, readWhole: true, limit: 64 << 20)
    else { return nil }
    return file.contents
  }
}

/// A mesh file read through the shared `FileReader`, with failures as ``MeshFileError``s.
struct OpenedFile {
  /// File size in bytes.
  var size: Int
  /// The whole file (`readWhole`) or its first 64 KB.
  var contents: Data

  static let prefixBytes = 64 * 1024

  /// Opens and reads `path`.
  ///
  /// - Parameters:
  ///   - path: The file.
  ///   - readWhole: Read the whole file instead of the first 64 KB.
  ///   - limit: Refuse files larger than this when reading them whole.
  /// - Returns: The file's size and bytes, or the error naming `path`.
  static func open(path: String, readWhole: Bool, limit: Int = Int.max)
    -> Result<OpenedFile, MeshFileError>
  {
    switch FileReader.read(path: path, limit: limit, prefixBytes: readWhole ? nil : prefixBytes) {
    case .success(let contents):
      return .success(OpenedFile(size: contents.size, contents: contents.bytes))
    case .failure(.notFound):
      return .failure(.fileNotFound(path: path))
    case .failure(.isDirectory):
      return .failure(.isDirectory(path: path))
    case .failure(let failure):
      var reason = failure.reason
      if case .tooLarge = failure { reason += " (MeshImportOptions.maximumOBJBytes)" }
      return .failure(.unreadable(path: path, reason: reason))
    }
  }
}
