import Foundation
import Geometry
import NeuralNetworks
import Rendering
import SemanticAnalysis
import Tensors
import Testing

/// The function of interest and its gradient against direct evaluation and central differences
/// of the whole pipeline (METHODS §1.11: within 5% at several steps).
@Suite struct FunctionOfInterestTests {
  /// A random-weight resnet-mini with ImageNet normalisation inside and 10 classes.
  static func classifier() throws -> Classifier {
    let network = try Architecture.resnetMini.makeNetwork(
      classes: 10, inputSize: 64, seed: 5, normalization: .imageNet)
    return Classifier(
      name: "resnet-mini (random)", architecture: .resnetMini,
      classNames: (0..<10).map { "class \($0)" }, network: network)
  }

  /// The function on a box at (30°, 20°) with `settings` at 64².
  static func function(
    _ settings: RenderSettings, dimensions: [RenderParameter], classIndex: Int = 3
  ) throws -> FunctionOfInterest {
    var settings = settings
    settings.size = 64
    settings.light = Light(azimuth: 0.6, elevation: 1.0)
    let mesh = try Shapes.box(size: SIMD3(1, 0.7, 1.3)).validated().mesh.normalized(.shapeNet)
    let renderer = Renderer<Float>(scene: SceneMesh(mesh), settings: settings)
    return try FunctionOfInterest(
      renderer: renderer, classifier: try classifier(), classIndex: classIndex,
      dimensions: dimensions,
      base: SceneView(CameraPose(azimuthDegrees: 30, elevationDegrees: 20), settings: settings))
  }

  @Test("f(u) is the softmax probability of the class for the render at u")
  func values() throws {
    let f = try Self.function(.default, dimensions: [.azimuth, .elevation])
    let points = [[30.0, 20.0], [100, -5], [250, 60]]
    let values = f.values(at: points, threads: 2)
    let withGradients = f.valuesAndGradients(at: points, threads: 2)
    for (k, u) in points.enumerated() {
      let image = f.renderer.render(f.view(at: u))
      var input = [Float](repeating: 0, count: 3 * 64 * 64)
      for p in 0..<(64 * 64) { for c in 0..<3 { input[c * 64 * 64 + p] = image.pixels[3 * p + c] } }
      let logits = f.classifier.logits(Tensor(shape: [1, 3, 64, 64], scalars: input)).scalars
      let top = logits.max()!
      let total = logits.reduce(0) { $0 + exp(Double($1 - top)) }
      let expected = exp(Double(logits[3] - top)) / total
      #expect(abs(Double(values[k]) - expected) < 1e-6, "u = \(u)")
      #expect(abs(withGradients[k].value - values[k]) < 1e-6)
    }
  }

  /// `f(u)` through Float64 end to end: the Float64 render of `f`'s view at `u` and the
  /// classifier's network converted to Float64 (the same weights and normalisation).
  static func value(
    _ f: FunctionOfInterest, at u: [Double], renderer: Renderer<Double>, network: Network
  ) -> Double {
    let image = renderer.render(f.view(at: u))
    let n = image.size
    var input = [Double](repeating: 0, count: 3 * n * n)
    for p in 0..<(n * n) { for c in 0..<3 { input[c * n * n + p] = image.pixels[3 * p + c] } }
    let logits = network(Tensor(shape: [1, 3, n, n], float64Scalars: input)).float64Scalars
    let top = logits.max()!
    let total = logits.reduce(0) { $0 + exp($1 - top) }
    return exp(logits[f.classIndex] - top) / total
  }

  /// `[f(u + h e_k) − f(u − h e_k)]/2h` through the Float64 pipeline (``value(_:at:renderer:network:)``).
  static func difference(
    _ f: FunctionOfInterest, at u: [Double], dimension k: Int, step h: Double,
    renderer: Renderer<Double>, network: Network
  ) -> Double {
    var plus = u
    var minus = u
    plus[k] += h
    minus[k] -= h
    return
      (value(f, at: plus, renderer: renderer, network: network)
      - value(f, at: minus, renderer: renderer, network: network)) / (2 * h)
  }

  @Test(
    "∇f matches central differences of the Float64 pipeline within 5% at two steps, both presets",
    arguments: ["default", "nmr"])
  func gradients(_ preset: String) throws {
    let dimensions = RenderParameter.allCases
    // The nmr preset's gradient is that of the same render with the edge pass on; compare it
    // where the network sees that render too.
    var settings: RenderSettings = preset == "nmr" ? .nmr : .default
    settings.edgeAntialiasing = true
    let f = try Self.function(settings, dimensions: dimensions)
    let renderer = Renderer<Double>(scene: f.renderer.scene, settings: f.renderer.settings)
    let network = f.classifier.network.converted(to: .float64)
    let u = [30.0, 20, 2.732, 60, 34.4, 30]
    let analytic = f.valuesAndGradients(at: [u], threads: 2)[0].gradient
    // Float64 differences at steps small enough that the random network's ReLU kinks and the
    // image's remaining jumps rarely fall inside them: in the default preset they agree with
    // ∇f to 0.5% and converge on it as the step shrinks (at 0.01° they are off by up to 5%, at
    // 0.001 world units by 14% for the distance; Float differences of a score whose light
    // derivative is ~1e-4 per degree are rounding noise at any small step).
    for (k, dimension) in dimensions.enumerated() {
      for h in dimension == .distance ? [1e-5, 1e-6] : [1e-4, 1e-5] {
        let numeric = Self.difference(
          f, at: u, dimension: k, step: h, renderer: renderer, network: network)
        #expect(
          abs(analytic[k] - numeric) <= 0.05 * abs(numeric) + 1e-8,
          "\(preset) \(dimension) h \(h): \(analytic[k]) vs \(numeric)")
      }
    }
  }

  /// Wide steps cross ReLU kinks and the image's kinks, so `f`'s differences there need not
  /// equal `∇f(u)`; they must equal the mean of `∇f` over the step (the gradient integrates
  /// to the change).
  @Test(
    "over wide steps ∇f integrates to the change of f: differences at 0.5° and 0.1° match the mean gradient over the step within 3%",
    arguments: ["default", "nmr"])
  func integratedGradients(_ preset: String) throws {
    var settings: RenderSettings = preset == "nmr" ? .nmr : .default
    settings.edgeAntialiasing = true
    let all = try Self.function(settings, dimensions: RenderParameter.allCases)
    let renderer = Renderer<Double>(scene: all.renderer.scene, settings: all.renderer.settings)
    let network = all.classifier.network.converted(to: .float64)
    let u = [30.0, 20, 2.732, 60, 34.4, 30]
    let base = all.view(at: u)
    for (k, dimension) in RenderParameter.allCases.enumerated() {
      let f = try FunctionOfInterest(
        renderer: all.renderer, classifier: all.classifier, classIndex: all.classIndex,
        dimensions: [dimension], base: base)
      let scale = dimension == .distance ? 0.1 : 1
      for (step, intervals) in [(0.5, 80), (0.1, 20)] {
        let h = step * scale
        let points = (0...intervals).map {
          [u[k] + h * Double(2 * $0 - intervals) / Double(intervals)]
        }
        let gradients = f.valuesAndGradients(at: points, threads: 2).map { Double($0.gradient[0]) }
        let gross = gradients.reduce(0) { $0 + abs($1) } / Double(gradients.count)
        var sum = 0.0
        for (i, g) in gradients.enumerated() { sum += g * (i == 0 || i == intervals ? 0.5 : 1) }
        let mean = sum / Double(intervals)
        let numeric = Self.difference(
          all, at: u, dimension: k, step: h, renderer: renderer, network: network)
        // 3% of the difference, with a floor of 1% of the mean |∂f/∂u| for changes that nearly
        // cancel over the step (the nmr distance: a net −0.0014 per unit from gradients of
        // ±0.13 that the trapezoid rule resolves to about 0.2% of their size).
        #expect(
          abs(mean - numeric) <= 0.03 * abs(numeric) + 0.01 * gross,
          "\(preset) \(dimension) h \(h): mean gradient \(mean) vs difference \(numeric) (mean |∂f/∂u| \(gross))"
        )
      }
    }
  }

  @Test("mismatched sizes and bad classes fail with a message naming the fix")
  func errors() throws {
    var settings = RenderSettings.default
    settings.size = 32
    let mesh = try Shapes.box().validated().mesh.normalized(.shapeNet)
    let renderer = Renderer<Float>(scene: SceneMesh(mesh), settings: settings)
    let view = SceneView(CameraPose(azimuthDegrees: 0, elevationDegrees: 0), settings: settings)
    do {
      _ = try FunctionOfInterest(
        renderer: renderer, classifier: try Self.classifier(), classIndex: 0,
        dimensions: [.azimuth], base: view)
      Issue.record("a 32² renderer for a 64² model was accepted")
    } catch {
      #expect(String(describing: error).contains("render at the model's size"))
    }
    #expect(throws: FunctionOfInterestError.self) {
      _ = try Self.function(.default, dimensions: [.azimuth], classIndex: 10)
    }
    #expect(throws: FunctionOfInterestError.self) {
      _ = try Self.function(.default, dimensions: [.azimuth, .azimuth])
    }
  }
}
