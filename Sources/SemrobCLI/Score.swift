import ArgumentParser
import Foundation
import NeuralNetworks
import Rendering
import ResultFiles
import SemanticAnalysis
import Tensors

/// `semrob score`: the function of interest at one pose, and its gradient.
struct Score: ParsableCommand {
  static let configuration = CommandConfiguration(
    abstract: "Print f(u) = p(class | render at u) and, with --grad, its gradient.",
    discussion: """
      Renders the mesh at the model's input size and classifies the render; f is the
      probability of --class (by default the shape's class in the catalogue). With --grad the
      gradient ∇f with respect to the --dimensions (default azimuth,elevation) is printed per
      degree (per world unit for the distance): ⟨∂f/∂image, ∂image/∂u⟩ with the renderer's
      tangent images (the nmr preset's with the edge-antialiasing pass on).
      """)

  @OptionGroup var mesh: MeshSourceOptions
  @OptionGroup var model: ModelOptions
  @Option(name: .customLong("class"), help: "The class: a name of the model's classes.")
  var className: String?
  @Option(help: "Camera azimuth in degrees.") var azimuth: Double
  @Option(help: "Camera elevation in degrees.") var elevation: Double
  @Option(help: "Camera distance from the object centre (world units).") var distance = 2.732
  @Option(help: "Full vertical field of view in degrees.") var fov = 60.0
  @OptionGroup var light: LightOptions
  @OptionGroup var soft: SoftOptions
  @Option(help: "Render preset: default or nmr.") var preset: PresetName = .default
  @Flag(help: "Colour faces with the mesh's material colours (default: white, as the nmr preset).")
  var materialColours = false
  @Flag(help: "Also compute the gradient of f.") var grad = false
  @Option(
    help: ArgumentHelp(
      "The semantic dimensions of the gradient, comma-separated (azimuth, elevation, distance, fov, light-azimuth, light-elevation).",
      valueName: "list"))
  var dimensions = "azimuth,elevation"
  @Option(
    help: ArgumentHelp(
      "Where tangent images come from: analytic, surrogate or central:H (default: the preset's).",
      valueName: "source"))
  var gradSource: GradientSourceOption?
  @Option(help: "Worker threads (default: all cores).") var threads: Int?
  @Flag(help: "Print the result as JSON on standard output.") var json = false

  func validate() throws {
    do {
      _ = try RenderParameter.list(dimensions)
    } catch {
      throw ValidationError("--dimensions: \(error.message).")
    }
    let angles = [azimuth, elevation, fov]
    guard angles.allSatisfy(\.isFinite), distance > 0, distance.isFinite else {
      throw ValidationError("angles must be finite and --distance positive.")
    }
    guard fov > 0 && fov < 180 else { throw ValidationError("--fov must be in (0, 180) degrees.") }
    if let threads, threads < 1 { throw ValidationError("--threads must be at least 1.") }
  }

  func run() throws {
    let threads = Parallelism.useOwnLoops(threads: self.threads)
    let (classifier, _) = try model.load()
    let resolved = try mesh.load(defaultNormalization: preset.normalization)
    let name = try className ?? mesh.catalogueClass()
    guard let classIndex = classifier.classNames.firstIndex(of: name) else {
      throw ValidationError(
        "\(classifier.name) has no class '\(name)'; its classes are "
          + classifier.classNames.prefix(12).joined(separator: ", ")
          + (classifier.classNames.count > 12 ? ", …" : "") + ".")
    }
    var settings = soft.applied(to: light.applied(to: preset.settings))
    settings.size = classifier.inputSize
    settings.fieldOfView = fov * Camera.radiansPerDegree
    settings.materialColours = materialColours
    let parameters = try RenderParameter.list(dimensions)
    let base = SceneView(
      CameraPose(azimuthDegrees: azimuth, elevationDegrees: elevation, distance: distance),
      settings: settings)
    var function: FunctionOfInterest
    do {
      function = try FunctionOfInterest(
        renderer: Renderer<Float>(scene: SceneMesh(resolved.mesh), settings: settings),
        classifier: classifier, classIndex: classIndex, dimensions: parameters, base: base)
    } catch {
      throw ValidationError(error.description)
    }
    function.gradientSource = gradSource?.value
    let u = parameters.map { $0.value(in: base) }
    let value: Float
    var gradient: [Double]?
    if grad {
      let result = function.valuesAndGradients(at: [u], threads: threads)[0]
      (value, gradient) = (result.value, result.gradient)
    } else {
      value = function.values(at: [u], threads: threads)[0]
    }
    if json {
      let payload = ScoreResult(
        mesh: resolved.label, model: classifier.name, className: name, preset: preset.rawValue,
        value: Double(value),
        gradient: gradient.map {
          Dictionary(uniqueKeysWithValues: zip(parameters.map(\.rawValue), $0))
        },
        units: gradient == nil
          ? nil
          : Dictionary(
            uniqueKeysWithValues: parameters.map {
              ($0.rawValue, $0.unitName)
            }))
      let encoder = ResultJSON.makeDocumentEncoder()
      print(String(decoding: try encoder.encode(payload), as: UTF8.self))
      return
    }
    print(String(format: "f = p(%@) = %.6f", name, value))
    if let gradient {
      for (parameter, component) in zip(parameters, gradient) {
        print(
          String(
            format: "∂f/∂%@ = %.6e %@", parameter.rawValue, component,
            parameter.unitName))
      }
    }
  }

}

/// `semrob score --json`.
struct ScoreResult: Codable {
  var mesh: String
  var model: String
  var className: String
  var preset: String
  var value: Double
  var gradient: [String: Double]?
  var units: [String: String]?
}
