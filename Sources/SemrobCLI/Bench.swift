import ArgumentParser
import Foundation
import Geometry
import Rendering
import ResultFiles
import Tensors

/// `semrob bench …`: throughput benchmarks of the library (release builds).
struct Bench: ParsableCommand {
  static let configuration = CommandConfiguration(
    abstract: "Measure throughput of semrob's building blocks (use a release build).",
    subcommands: [BenchRender.self, BenchEngine.self, BenchScore.self, BenchMap.self])
}

/// `semrob bench render`: renders/s of a ~5,000-triangle mesh.
struct BenchRender: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "render",
    abstract: "Renders per second of a 5,120-triangle bumpy sphere.",
    discussion: """
      Renders a fixed batch of poses (azimuth 0..357 step 3 at elevation 20) of a bumpy
      icosphere (5,120 triangles) repeatedly and reports the median renders/s of --runs timed
      runs after one warm-up run. Poses are rendered in parallel over --threads workers.
      --grad K adds the tangent images of the first K of azimuth, elevation, distance, fov,
      light-azimuth, light-elevation (the preset's gradient source).
      """)

  @Option(help: "Image side in pixels (16…1024).") var size = 64
  @Option(help: "Supersampling factor (1 = one sample per pixel).") var ssaa = 1
  @Option(help: "Preset: default or nmr.") var preset: PresetName = .default
  @Option(help: "Worker threads (default: all cores).") var threads: Int?
  @Option(help: "Timed runs (the median is reported).") var runs = 7
  @Option(help: "Poses per run.") var poses = 120
  @Option(help: "Also compute K tangent images per render (0…6).") var grad = 0
  @OptionGroup var soft: SoftOptions
  @Flag(help: "Print the result as one JSON object on standard output.") var json = false

  func validate() throws {
    if let problem = settings.problem {
      throw ValidationError("\(problem); check --size and --ssaa.")
    }
    if let threads, threads < 1 { throw ValidationError("--threads must be at least 1.") }
    if runs < 1 || poses < 1 { throw ValidationError("--runs and --poses must be at least 1.") }
    if !(0...RenderParameter.allCases.count).contains(grad) {
      throw ValidationError("--grad must be 0…\(RenderParameter.allCases.count) (got \(grad)).")
    }
  }

  /// The render settings the options describe.
  var settings: RenderSettings {
    var settings = soft.applied(to: preset.settings)
    settings.size = size
    settings.supersampling = ssaa
    return settings
  }

  func run() throws {
    let threadCount = Parallelism.useOwnLoops(threads: threads)
    let mesh = try Shapes.bumpySphere().validated().mesh.normalized(.shapeNet)
    let renderer = Renderer<Float>(scene: SceneMesh(mesh), settings: settings)
    let posesList = (0..<poses).map {
      CameraPose(azimuthDegrees: Double(3 * $0), elevationDegrees: 20)
    }
    let parameters = Array(RenderParameter.allCases.prefix(grad))
    let views = posesList.map { SceneView($0, settings: settings) }
    // One batch; returns a pixel of the middle image (its tangent's with --grad).
    func batch() -> Float {
      if parameters.isEmpty {
        let images = renderer.render(posesList, threads: threadCount)
        return images[images.count / 2].pixels[size * size * 3 / 2]
      }
      let renders = renderer.renderWithTangents(
        views, parameters: parameters, threads: threadCount)
      return renders[renders.count / 2].tangents[0].pixels[size * size * 3 / 2]
    }
    var checksum: Float = 0
    _ = batch()
    var rates: [Double] = []
    for _ in 0..<runs {
      let start = ContinuousClock.now
      checksum += batch()
      let seconds = (ContinuousClock.now - start).inSeconds
      rates.append(Double(poses) / seconds)
    }
    rates.sort()
    let median = rates[rates.count / 2]
    let result = BenchResult(
      benchmark: "render", mesh: "bumpy-sphere", triangles: mesh.triangleCount, size: size,
      supersampling: ssaa, preset: preset.rawValue, threads: threadCount, runs: runs,
      posesPerRun: poses, rendersPerSecondMedian: median, rendersPerSecondMin: rates.first!,
      rendersPerSecondMax: rates.last!, checksum: Double(checksum), tangentImages: grad,
      soft: soft.soft)
    if json {
      let encoder = ResultJSON.makeDocumentEncoder()
      print(String(decoding: try encoder.encode(result), as: UTF8.self))
    } else {
      print(
        String(
          format:
            "render %dx%d ssaa %d %@ preset%@%@, %d threads: %.0f renders/s (median of %d; min %.0f, max %.0f)",
          size, size, ssaa, preset.rawValue, soft.soft ? ", soft mode" : "",
          grad > 0 ? " + \(grad) tangent images" : "",
          threadCount,
          median, runs, rates.first!, rates.last!))
    }
  }
}

/// One benchmark result (the `--json` output of `semrob bench render`).
struct BenchResult: Codable {
  var benchmark: String
  var mesh: String
  var triangles: Int
  var size: Int
  var supersampling: Int
  var preset: String
  var threads: Int
  var runs: Int
  var posesPerRun: Int
  var rendersPerSecondMedian: Double
  var rendersPerSecondMin: Double
  var rendersPerSecondMax: Double
  var checksum: Double
  /// Tangent images per render (`--grad`).
  var tangentImages: Int
  /// Soft mode (`--soft`).
  var soft: Bool
}
