import ArgumentParser
import Foundation
import ResultFiles
import SemanticAnalysis
import Tensors

#if canImport(Glibc)
  import Glibc
#endif

/// `semrob bench map`: the wall time of a whole semantic map.
struct BenchMap: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "map",
    abstract: "Seconds per 2-D semantic map (4,080 poses) of one shape and one model.",
    discussion: """
      Maps the shape over the study's grid (azimuth × elevation, --step degrees; 3° gives
      34 × 120 = 4,080 poses) with the model, --runs times after one warm-up map, and reports
      the median seconds, poses per second and the process's peak resident memory. Goal: a
      4,080-pose map in at most 10 s on 2 cores (release build), under 1 GB whatever the grid.
      """)

  @Option(help: "A shipped shape.") var shape = "chair01"
  @Option(help: "A model under Models/ (or a path).") var model = "resnet-mini"
  @Option(help: "Grid step in degrees.") var step = 3.0
  @Option(help: "Timed runs (the median is reported).") var runs = 3
  @Option(help: "Worker threads (default: all cores).") var threads: Int?
  @Flag(help: "Print the result as one JSON object on standard output.") var json = false

  func validate() throws {
    guard step > 0 && step <= 90 else { throw ValidationError("--step must be in (0, 90].") }
    if runs < 1 { throw ValidationError("--runs must be at least 1.") }
    if let threads, threads < 1 { throw ValidationError("--threads must be at least 1.") }
  }

  func run() throws {
    let threadCount = Parallelism.useOwnLoops(threads: threads)
    var options = try MapGridOptions.parse(["--step", String(step)])
    options.materialColours = true
    let (_, classifier, description) = try ModelCatalog.load(model)
    let catalog = try ShapeCatalog.load(explicit: nil)
    let entry = try catalog.entry(named: shape)
    guard let className = entry.class else {
      throw ValidationError("shape '\(shape)' has no class; choose a classed shape.")
    }
    let mesh = try MeshSourceOptions.parse(["--shape", shape]).load(
      defaultNormalization: options.preset.normalization
    ).mesh
    let job = try MapJob(
      mesh: mesh, className: className, classifier: classifier, grid: options,
      threads: threadCount)
    let grid = try options.grid()
    _ = try job.map(grid) { _, _ in }
    var seconds: [Double] = []
    for _ in 0..<runs {
      let start = ContinuousClock.now
      _ = try job.map(grid) { _, _ in }
      seconds.append((ContinuousClock.now - start).inSeconds)
    }
    seconds.sort()
    let median = seconds[seconds.count / 2]
    let peak = Self.peakResidentBytes()
    let result = BenchMapResult(
      shape: shape, model: description.name, poses: grid.count, threads: threadCount,
      medianSeconds: median, minimumSeconds: seconds.first!, maximumSeconds: seconds.last!,
      posesPerSecond: Double(grid.count) / median, peakResidentBytes: peak)
    if json {
      let encoder = ResultJSON.makeDocumentEncoder()
      print(String(decoding: try encoder.encode(result), as: UTF8.self))
      return
    }
    print(
      String(
        format:
          "map %@ with %@, %d poses, %d threads: %.2f s median of %d (min %.2f, max %.2f), %.0f poses/s, peak memory %.0f MB",
        shape, description.name, grid.count, threadCount, median, runs, seconds.first!,
        seconds.last!, Double(grid.count) / median, Double(peak) / 1e6))
  }

  /// The process's peak resident set size in bytes (`ru_maxrss`, kilobytes on Linux).
  static func peakResidentBytes() -> Int {
    var usage = rusage()
    getrusage(RUSAGE_SELF.rawValue, &usage)
    return Int(usage.ru_maxrss) * 1024
  }
}

/// `semrob bench map --json`.
struct BenchMapResult: Codable {
  var shape: String
  var model: String
  var poses: Int
  var threads: Int
  var medianSeconds: Double
  var minimumSeconds: Double
  var maximumSeconds: Double
  var posesPerSecond: Double
  var peakResidentBytes: Int
}
