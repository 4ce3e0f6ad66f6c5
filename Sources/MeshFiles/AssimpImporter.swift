internal import CAssimp
import Geometry
import Synchronization

#if canImport(Glibc)
  import Glibc
#endif

/// Imports files through assimp's C API, in this process or in an isolated child process.
enum AssimpImporter {
  /// Serialises every call into assimp made by this module.
  ///
  /// - assimp's C API keeps the last error in a global string (`aiGetErrorString`), so an
  ///   import and the read of its error must not interleave with another import.
  /// - `fork()` happens under this lock too, so no thread of ours is inside assimp (possibly
  ///   holding one of its internal locks) at the moment a child is created, and the pipes of
  ///   one import are never inherited by the child of another (their write ends are closed in
  ///   the parent before the lock is released).
  static let lock = Mutex(())

  /// Owns an imported scene: the original pointer from `aiImportFile`, released exactly once.
  final class SceneOwner {
    let scene: UnsafePointer<aiScene>
    init(_ scene: UnsafePointer<aiScene>) { self.scene = scene }
    deinit { aiReleaseImport(scene) }
  }

  /// The extensions assimp reports through `aiGetExtensionList`, lower-case, without `*.`.
  static let assimpExtensions: [String] = lock.withLock { _ in
    var list = aiString()
    aiGetExtensionList(&list)
    let text = withUnsafeBytes(of: list.data) {
      String(decoding: $0.prefix(Int(min(list.length, 1024))), as: UTF8.self)
    }
    var seen = Set<String>()
    return text.split(separator: ";").compactMap { entry in
      var e = entry.lowercased()
      if e.hasPrefix("*.") { e.removeFirst(2) }
      guard !e.isEmpty, seen.insert(e).inserted else { return nil }
      return e
    }
  }

  /// assimp's name for the importer that handles `ext`.
  ///
  /// For example `"assimp: Stanford Polygon Library (PLY) Importer"`.
  static func importerName(forExtension ext: String) -> String {
    lock.withLock { _ in
      guard let description = aiGetImporterDesc(ext), let name = description.pointee.mName
      else { return "assimp" }
      return "assimp: " + String(cString: name)
    }
  }

  /// Imports `path` and merges its triangle meshes into one validated mesh.
  ///
  /// - Returns: The result and, for an isolated import, the child's resource use.
  static func load(path: String, extension ext: String, options: MeshImportOptions)
    -> (Result<LoadedMesh, MeshFileError>, statistics: ChildStatistics?)
  {
    let flags = options.postProcessing.rawValue
    let stream: [UInt8]
    var statistics: ChildStatistics? = nil
    switch options.isolation {
    case .inProcess:
      stream = importInProcess(path: path, flags: flags)
    case .childProcess(let memoryLimit, let timeout):
      let outcome = ChildProcessImport.run(
        path: path, flags: flags, memoryLimitBytes: memoryLimit, timeout: timeout)
      statistics = outcome.statistics
      switch outcome.result {
      case .success(let bytes): stream = bytes
      case .failure(let error): return (.failure(error), statistics)
      }
    }
    let result = Result { () throws(MeshFileError) -> LoadedMesh in
      let scene: DecodedScene
      do throws(SceneStreamProblem) {
        scene = try SceneStream.decode(stream)
      } catch {
        throw error.meshFileError(path: path, memoryLimitBytes: options.memoryLimitBytes)
      }
      var report = MeshLoadReport(
        format: ext, importer: importerName(forExtension: ext),
        vertexCount: scene.vertexCount, triangleCount: scene.triangleCount,
        polygonsFanTriangulated: scene.polygonsFanTriangulated, warnings: scene.warnings,
        importerPeakMemoryBytes: statistics?.peakMemoryBytes)
      let mesh = try scene.mesh.validatedForLoading(path: path, report: &report)
      return LoadedMesh(mesh: mesh, report: report)
    }
    return (result, statistics)
  }

  /// Imports in this process and returns the scene stream.
  static func importInProcess(path: String, flags: UInt32) -> [UInt8] {
    var bytes: [UInt8] = []
    let capacity = 16 * 1024
    let staging = UnsafeMutablePointer<UInt32>.allocate(capacity: capacity)
    defer { staging.deallocate() }
    withUnsafeMutablePointer(to: &bytes) { collector in
      var writer = SceneWriter(
        buffer: staging, capacity: capacity, fileDescriptor: -1, collector: collector)
      lock.withLock { _ in
        guard let scene = aiImportFile(path, flags) else {
          SceneStream.writeFailure(&writer)
          return
        }
        let owner = SceneOwner(scene)
        SceneStream.writeScene(owner.scene, into: &writer)
        withExtendedLifetime(owner) {}
      }
      writer.flush()
    }
    return bytes
  }
}

extension MeshImportOptions {
  /// The memory budget of the isolation mode, or 0 in-process.
  var memoryLimitBytes: Int {
    if case .childProcess(let limit, _) = isolation { return limit }
    return 0
  }
}

extension SceneStreamProblem {
  /// The user-facing error for a stream problem.
  func meshFileError(path: String, memoryLimitBytes: Int) -> MeshFileError {
    switch self {
    case .truncated(let reason):
      return .importerCrashed(path: path, reason: reason)
    case .importFailed(let message):
      if message.contains("bad_alloc") {
        return memoryLimitBytes > 0
          ? .memoryLimitExceeded(path: path, limitBytes: memoryLimitBytes)
          : .importFailed(path: path, reason: "out of memory (\(message))")
      }
      return .importFailed(path: path, reason: message)
    case .invalid(let reason):
      return .importFailed(path: path, reason: reason)
    }
  }
}
