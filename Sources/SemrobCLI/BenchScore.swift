import ArgumentParser
import Foundation
import Geometry
import NeuralNetworks
import Rendering
import ResultFiles
import SemanticAnalysis
import Tensors

/// `semrob bench score`: function-of-interest evaluations per second (render, classify and,
/// with --grad, the gradient), the work of semantic maps and region growing.
struct BenchScore: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "score",
    abstract: "f(u) (and ∇f with --grad) evaluations per second on a random-weight model.",
    discussion: """
      Evaluates the function of interest of the 5,120-triangle bumpy sphere at --points poses
      (azimuth 0..357 step 3 at elevation 20) with a random-weight --arch model of 10 classes
      at 64×64 (the default preset), and reports the median evaluations/s of --runs timed runs
      after one warm-up. With --grad each evaluation includes the tangent images of azimuth and
      elevation, the network's input gradient and the contraction.
      """)

  @Option(help: "Architecture (a mini model for 64×64).") var arch = "resnet-mini"
  @Flag(help: "Include the gradient ∇f with respect to azimuth and elevation.") var grad = false
  @Option(help: "Worker threads (default: all cores).") var threads: Int?
  @Option(help: "Timed runs (the median is reported).") var runs = 5
  @Option(help: "Points per run.") var points = 120

  func validate() throws {
    guard Architecture(rawValue: arch) != nil else {
      throw ValidationError(
        "Unknown architecture '\(arch)'; choose one of "
          + Architecture.allCases.map(\.rawValue).joined(separator: ", ") + ".")
    }
    if let threads, threads < 1 { throw ValidationError("--threads must be at least 1.") }
    if runs < 1 || points < 1 { throw ValidationError("--runs and --points must be at least 1.") }
  }

  func run() throws {
    let threadCount = Parallelism.useOwnLoops(threads: threads)
    let architecture = Architecture(rawValue: arch)!
    let network = try architecture.makeNetwork(
      classes: 10, inputSize: 64, seed: 1, normalization: .imageNet)
    let classifier = Classifier(
      name: arch, architecture: architecture, classNames: (0..<10).map { "class \($0)" },
      network: network)
    var settings = RenderSettings.default
    settings.size = 64
    let mesh = try Shapes.bumpySphere().validated().mesh.normalized(.shapeNet)
    let function = try FunctionOfInterest(
      renderer: Renderer<Float>(scene: SceneMesh(mesh), settings: settings),
      classifier: classifier, classIndex: 0, dimensions: [.azimuth, .elevation],
      base: SceneView(CameraPose(azimuthDegrees: 0, elevationDegrees: 20), settings: settings))
    let list = (0..<points).map { [Double(3 * $0), 20] }
    func evaluate() {
      if grad {
        _ = function.valuesAndGradients(at: list, threads: threadCount)
      } else {
        _ = function.values(at: list, threads: threadCount)
      }
    }
    evaluate()
    var rates: [Double] = []
    for _ in 0..<runs {
      let start = ContinuousClock.now
      evaluate()
      rates.append(Double(points) / (ContinuousClock.now - start).inSeconds)
    }
    rates.sort()
    print(
      String(
        format:
          "score %@ 64x64%@, %d threads: %.0f evaluations/s (median of %d; min %.0f, max %.0f)",
        arch, grad ? " with gradient" : "", threadCount, rates[rates.count / 2], runs,
        rates.first!, rates.last!))
  }
}
