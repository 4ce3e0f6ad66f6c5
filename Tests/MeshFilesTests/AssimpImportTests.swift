import Foundation
import Geometry
import Testing

@testable import MeshFiles

@Suite(
  .enabled(
    if: assimpModelsInstalled, "assimp-testmodels is not installed (/usr/share/assimp/models)"))
struct AssimpImportTests {
  /// Good models and the counts assimp's default pipeline yields for them.
  static let goodModels: [(path: String, vertices: ClosedRange<Int>, triangles: Int)] = [
    ("OFF/Cube.off", 8...8, 12),
    ("PLY/cube.ply", 8...8, 12),  // ASCII
    ("PLY/cube_binary.ply", 8...8, 12),
    ("STL/Spider_ascii.stl", 1000...4104, 1368),
    ("STL/Spider_binary.stl", 1000...4104, 1368),
    ("glTF2/BoxTextured-glTF/BoxTextured.gltf", 24...24, 12),
    ("glTF2/BoxTextured-glTF-Binary/BoxTextured.glb", 24...24, 12),
    ("FBX/box.fbx", 8...36, 12),
    ("FBX/spider.fbx", 500...4104, 1368),
    ("Collada/duck.dae", 2000...12636, 4212),
  ]

  @Test("good models load with plausible counts", arguments: goodModels.indices)
  func goodModel(index: Int) throws {
    let model = Self.goodModels[index]
    let url = assimpModels.appendingPathComponent(model.path)
    let loaded = try MeshFiles.load(contentsOf: url)
    let report = loaded.report
    #expect(model.vertices.contains(report.vertexCount), "\(model.path): \(report)")
    #expect(report.triangleCount == model.triangles, "\(model.path): \(report)")
    #expect(loaded.mesh.triangleCount == model.triangles - report.degenerateTrianglesDropped)
    #expect(report.format == url.pathExtension.lowercased())
    #expect(report.importer.hasPrefix("assimp"))
    #expect(report.materialCount >= 1)
    #expect(loaded.mesh.faceMaterials?.count == loaded.mesh.triangleCount)
    #expect(loaded.mesh.normals?.count == loaded.mesh.vertexCount, "smooth normals generated")
    let peak = try #require(report.importerPeakMemoryBytes)
    // Growth beyond the pages inherited from this process (0 for imports that fit in them).
    #expect(peak >= 0 && peak < 500_000_000)
  }

  @Test("in-process import gives the same mesh as the child process")
  func inProcessMatchesChild() throws {
    let url = assimpModels.appendingPathComponent("FBX/spider.fbx")
    let isolated = try MeshFiles.load(contentsOf: url)
    let trusted = try MeshFiles.load(contentsOf: url, options: .init(isolation: .inProcess))
    #expect(trusted.mesh == isolated.mesh)
    #expect(trusted.report.importerPeakMemoryBytes == nil)
    var withoutPeak = isolated.report
    withoutPeak.importerPeakMemoryBytes = nil
    #expect(trusted.report == withoutPeak)
  }

  @Test("without assimp's triangulation semrob fan-triangulates the quads")
  func fanTriangulation() throws {
    let url = assimpModels.appendingPathComponent("OFF/Cube.off")
    var steps = AssimpPostProcessing.default
    steps.remove(.triangulate)
    let loaded = try MeshFiles.load(contentsOf: url, options: .init(postProcessing: steps))
    #expect(loaded.report.polygonsFanTriangulated == 6)
    #expect(loaded.report.triangleCount == 12)
  }

  @Test("material colours come from $clr.diffuse")
  func materialColours() throws {
    // spider.fbx has four materials with distinct diffuse colours.
    let url = assimpModels.appendingPathComponent("FBX/spider.fbx")
    let loaded = try MeshFiles.load(contentsOf: url)
    let materials = loaded.mesh.materials
    #expect(materials.map(\.name) == ["BeinTex", "Skin", "Augentex", "HLeibTex"])
    let skin = materials[1].diffuse
    #expect(abs(skin.x - 0.8274509906768799) < 1e-6 && abs(skin.z - 0.7725489735603333) < 1e-6)
    #expect(Set(loaded.mesh.faceMaterials ?? []) == [0, 1, 2, 3])
  }

  @Test("supportedExtensions lists obj first and assimp's formats")
  func extensions() {
    let extensions = MeshFiles.supportedExtensions
    #expect(extensions.first == "obj")
    for ext in ["ply", "stl", "off", "gltf", "glb", "fbx", "dae", "3ds"] {
      #expect(extensions.contains(ext), "\(ext)")
    }
    #expect(Set(extensions).count == extensions.count)
    #expect(
      extensions.allSatisfy { $0 == $0.lowercased() && !$0.hasPrefix(".") && !$0.hasPrefix("*") })
  }

  // MARK: Hostile input

  @Test("OutOfMemory.off is rejected by the header check with the declared count")
  func outOfMemoryPrecheck() {
    let url = assimpModels.appendingPathComponent("invalid/OutOfMemory.off")
    let (result, elapsed) = timed { try MeshFiles.load(contentsOf: url) }
    let error = expectOneLineError(result, naming: "OutOfMemory.off")
    #expect(
      error?.description.contains("declares 353,535,235,358 vertices and 6 faces") == true,
      "\(String(describing: error))")
    #expect(error?.description.contains("the file is only 309 bytes") == true)
    #expect(elapsed < .seconds(2))
  }

  @Test("OutOfMemory.off without the header check hits the child's memory limit")
  func outOfMemoryIsolated() throws {
    let path = assimpModels.appendingPathComponent("invalid/OutOfMemory.off").path
    let clock = ContinuousClock()
    var outcome: (Result<LoadedMesh, MeshFileError>, statistics: ChildStatistics?)?
    let elapsed = clock.measure {
      outcome = AssimpImporter.load(path: path, extension: "off", options: .init())
    }
    guard case .failure(let error) = outcome!.0 else {
      Issue.record("expected a failure")
      return
    }
    #expect(error == .memoryLimitExceeded(path: path, limitBytes: 1 << 30), "\(error)")
    #expect(!error.description.contains("\n"))
    #expect(elapsed < .seconds(2), "hang guard")
    let statistics = try #require(outcome!.statistics)
    #expect(statistics.peakMemoryBytes < 500_000_000)
  }

  @Test("a hung import is stopped at the timeout")
  func timeout() {
    let url = assimpModels.appendingPathComponent("Collada/duck.dae")
    let options = MeshImportOptions(
      isolation: .childProcess(memoryLimitBytes: 1 << 30, timeout: .microseconds(1)))
    let error = thrownError { try MeshFiles.load(contentsOf: url, options: options) }
    let meshError = expectOneLineError(error, naming: "duck.dae")
    #expect(meshError == .timedOut(path: url.path, limit: .microseconds(1)))
  }

  @Test("every file in invalid/ ends in a mesh or a one-line error within 2 s")
  func invalidDirectory() throws {
    // All files, not only supported extensions: readme.txt must give a one-line error too.
    let directory = assimpModels.appendingPathComponent("invalid")
    let files = try FileManager.default.contentsOfDirectory(
      at: directory, includingPropertiesForKeys: nil)
    #expect(files.count >= 15)
    for url in files {
      let outcome = measuredLoad(url)
      #expect(outcome.elapsed < .seconds(2), "\(url.lastPathComponent) took \(outcome.elapsed)")
      if let statistics = outcome.statistics {
        #expect(statistics.peakMemoryBytes < 500_000_000, "\(url.lastPathComponent): \(statistics)")
      }
      if case .failure(let error) = outcome.result {
        expectOneLineError(error, naming: url.lastPathComponent)
      }
    }
  }

  @Test("crashing imports become errors naming the signal")
  func crashes() throws {
    // assimp 5.2.4 crashes (SIGSEGV) on these RAW files and aborts on this OpenGEX file.
    let candidates = ["RAW/WithColor.raw", "RAW/WithTexture.raw", "OpenGEX/collada.ogex"]
    var crashed = 0
    for path in candidates {
      let url = assimpModels.appendingPathComponent(path)
      guard FileManager.default.fileExists(atPath: url.path) else { continue }
      let error = thrownError { try MeshFiles.load(contentsOf: url) }
      guard let error else { continue }  // a fixed assimp may load it
      let meshError = expectOneLineError(error, naming: url.lastPathComponent)
      if case .importerCrashed = meshError { crashed += 1 }
    }
    #expect(
      crashed > 0,
      "assimp 5.2.4 (Debian 12) crashes on these; update the candidates if it no longer does")
  }
}

/// Runs `body`, returning its error (nil on success) and the elapsed time.
func timed<T>(_ body: () throws -> T) -> ((any Error)?, Duration) {
  let clock = ContinuousClock()
  var error: (any Error)?
  let elapsed = clock.measure { error = thrownError(body) }
  return (error, elapsed)
}

/// Imports every file under `/usr/share/assimp/models` with an extension semrob supports.
///
/// Each must end in a mesh or a one-line error, with the child's peak RSS under 500 MB and its
/// CPU time under 2 s. Wall-clock time is checked against 2 s only with `SEMROB_LONG_TESTS=1`
/// (run the suite alone then): in a normal parallel `swift test` on two cores, the largest
/// models (~1 s alone) can be slowed past 2 s by other tests, so the always-on bound is a 10 s
/// hang guard. The sweep takes ~8 s in a debug build.
///
/// Set `SEMROB_MESH_SWEEP_REPORT=<file>` to write one tab-separated line per file: wall-clock
/// ms, child CPU ms, child peak RSS in MB, `OK`/`ERR`, path, and the counts or the error.
@Suite(
  .enabled(
    if: assimpModelsInstalled, "assimp-testmodels is not installed (/usr/share/assimp/models)"))
struct AssimpSweepTests {
  static let strictTiming = ProcessInfo.processInfo.environment["SEMROB_LONG_TESTS"] == "1"

  @Test("every supported file ends in a mesh or a one-line error, within time and memory")
  func sweep() throws {
    let files = supportedFiles(under: assimpModels)
    #expect(files.count > 300)
    let wallLimit: Duration = Self.strictTiming ? .seconds(2) : .seconds(10)
    var loaded = 0
    var lines = ["wall_ms\tcpu_ms\trss_mb\tstatus\tfile\tdetail"]
    for url in files {
      let outcome = measuredLoad(url)
      let name = url.path.replacingOccurrences(of: assimpModels.path + "/", with: "")
      lines.append(Self.reportLine(name, outcome))
      #expect(outcome.elapsed < wallLimit, "\(name) took \(outcome.elapsed)")
      if let statistics = outcome.statistics {
        #expect(statistics.peakMemoryBytes < 500_000_000, "\(name): \(statistics)")
        #expect(statistics.cpuTime < .seconds(2), "\(name): \(statistics)")
      }
      switch outcome.result {
      case .success(let mesh):
        loaded += 1
        #expect(mesh.mesh.triangleCount > 0)
      case .failure(let error):
        expectOneLineError(error, naming: url.lastPathComponent)
      }
    }
    // 306 of 414 load with assimp 5.2.4 and the default steps; the rest are animations,
    // cameras, point clouds, formats the build lacks and deliberately broken files.
    #expect(loaded > 250)
    if let reportPath = ProcessInfo.processInfo.environment["SEMROB_MESH_SWEEP_REPORT"] {
      try (lines.joined(separator: "\n") + "\n").write(
        toFile: reportPath, atomically: true, encoding: .utf8)
    }
  }

  static func milliseconds(_ d: Duration) -> String {
    let (seconds, attoseconds) = d.components
    return String(format: "%.1f", Double(seconds) * 1000 + Double(attoseconds) / 1e15)
  }

  static func reportLine(
    _ name: String,
    _ outcome: (
      result: Result<LoadedMesh, MeshFileError>, statistics: ChildStatistics?, elapsed: Duration
    )
  ) -> String {
    let cpu = outcome.statistics.map { milliseconds($0.cpuTime) } ?? "-"
    let rss =
      outcome.statistics.map { String(format: "%.1f", Double($0.peakMemoryBytes) / 1e6) } ?? "-"
    let detail: String
    switch outcome.result {
    case .success(let m):
      detail = "OK\t\(name)\tvertices=\(m.report.vertexCount) triangles=\(m.report.triangleCount)"
    case .failure(let e):
      detail = "ERR\t\(name)\t\(e.description)"
    }
    return "\(milliseconds(outcome.elapsed))\t\(cpu)\t\(rss)\t\(detail)"
  }
}
