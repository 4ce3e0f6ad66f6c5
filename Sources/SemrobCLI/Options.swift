import ArgumentParser
import Foundation
import Geometry
import Rendering

/// Options every command shares (STYLE §8).
struct CommonOptions: ParsableArguments {
  @Option(help: "Seed for every random choice (recorded in every output).") var seed: UInt64 = 0
  @Option(help: "Threads for BLAS and semrob's own loops (default: all cores).") var threads: Int?
  @Flag(name: .shortAndLong, help: "Print no progress on standard error.") var quiet = false
  @Flag(help: "Write the result to standard output as JSON.") var json = false

  func validate() throws {
    if let threads, threads < 1 {
      throw ValidationError("--threads must be at least 1 (got \(threads)).")
    }
  }
}

/// The render presets of METHODS §1.8, as a command-line value.
enum PresetName: String, ExpressibleByArgument, CaseIterable, Codable {
  case `default`
  case nmr

  /// The preset's settings.
  var settings: RenderSettings {
    switch self {
    case .default: .default
    case .nmr: .nmr
    }
  }

  /// The mesh normalisation the preset uses (METHODS §1.1).
  var normalization: Normalization {
    switch self {
    case .default: .shapeNet
    case .nmr: .nmr
    }
  }
}

extension Shading: ExpressibleByArgument {}
extension Normalization: ExpressibleByArgument {}

/// A list of angles in degrees: `30`, `0,30,60` or `start:stop:step` (stop inclusive).
struct DegreeList: ExpressibleByArgument, CustomStringConvertible {
  var values: [Double]

  init?(argument: String) {
    let text = argument.trimmingCharacters(in: .whitespaces)
    if text.contains(":") {
      let parts = text.split(separator: ":", omittingEmptySubsequences: false).map {
        Double($0.trimmingCharacters(in: .whitespaces))
      }
      guard parts.count == 3, let start = parts[0], let stop = parts[1], let step = parts[2],
        start.isFinite, stop.isFinite, step.isFinite, step != 0,
        (stop - start) / step >= 0, (stop - start) / step < 1_000_000
      else { return nil }
      let count = Int(((stop - start) / step + 1e-9).rounded(.down)) + 1
      values = (0..<count).map { start + Double($0) * step }
    } else {
      let parts = text.split(separator: ",", omittingEmptySubsequences: false).map {
        Double($0.trimmingCharacters(in: .whitespaces))
      }
      guard !parts.isEmpty, parts.allSatisfy({ $0 != nil && $0!.isFinite }) else { return nil }
      values = parts.map { $0! }
    }
  }

  var description: String { values.map { String($0) }.joined(separator: ",") }
}

/// An RGB colour given as `R,G,B` with components in [0, 1].
struct RGBColour: ExpressibleByArgument, CustomStringConvertible {
  var value: SIMD3<Double>

  init?(argument: String) {
    let parts = argument.split(separator: ",").map {
      Double($0.trimmingCharacters(in: .whitespaces))
    }
    guard parts.count == 3, parts.allSatisfy({ $0 != nil && $0! >= 0 && $0! <= 1 }) else {
      return nil
    }
    value = SIMD3(parts[0]!, parts[1]!, parts[2]!)
  }

  init(_ value: SIMD3<Double>) { self.value = value }

  var description: String { "\(value.x),\(value.y),\(value.z)" }
}

/// `--grad-source`: where tangent images come from (METHODS §1.8): `analytic`, `surrogate`
/// (the derivative of the render with the edge-antialiasing pass on) or `central:H` (central
/// differences of whole renders with step H degrees, or world units for the distance).
struct GradientSourceOption: ExpressibleByArgument, CustomStringConvertible {
  var value: GradientSource

  init?(argument: String) {
    let text = argument.trimmingCharacters(in: .whitespaces).lowercased()
    switch text {
    case "analytic": value = .analytic
    case "surrogate": value = .antialiasedSurrogate
    default:
      guard text.hasPrefix("central:"), let h = Double(text.dropFirst("central:".count)),
        h > 0, h.isFinite
      else { return nil }
      value = .centralDifference(h)
    }
  }

  var description: String {
    switch value {
    case .analytic: "analytic"
    case .antialiasedSurrogate: "surrogate"
    case .centralDifference(let h): "central:\(h)"
    }
  }

  /// The name recorded in result files.
  static func name(of source: GradientSource) -> String {
    switch source {
    case .analytic: "analytic"
    case .antialiasedSurrogate: "antialiased-surrogate"
    case .centralDifference(let h): "central-difference \(h)"
    }
  }
}

/// The light direction of a render, in degrees (`--light-azimuth`, `--light-elevation`).
struct LightOptions: ParsableArguments {
  @Option(help: "Light azimuth in degrees (0: from +Z).") var lightAzimuth = 0.0
  @Option(help: "Light elevation in degrees (90: from +Y, straight above).")
  var lightElevation = 90.0

  func validate() throws {
    guard lightAzimuth.isFinite && lightElevation.isFinite else {
      throw ValidationError("--light-azimuth and --light-elevation must be finite.")
    }
  }

  /// `settings` with this light direction.
  func applied(to settings: RenderSettings) -> RenderSettings {
    var settings = settings
    settings.light.azimuth = lightAzimuth * Camera.radiansPerDegree
    settings.light.elevation = lightElevation * Camera.radiansPerDegree
    return settings
  }
}

/// Soft mode (METHODS §1.10), shared by render, score and bench render.
struct SoftOptions: ParsableArguments {
  @Flag(
    help: """
      Soft mode (METHODS §1.10): every face near a sample is blended by coverage and depth \
      (SoftRas), so the image is smooth in the camera; silhouettes grow by about 3.4 px at \
      224². One sample per pixel (render: unless --ssaa says otherwise).
      """)
  var soft = false
  @Option(help: "Soft-mode coverage width σ in NDC² (√σ = transition width; default 1e-4).")
  var softSigma: Double?
  @Option(help: "Soft-mode depth temperature γ (default 1e-4).") var softGamma: Double?

  func validate() throws {
    if !soft && (softSigma != nil || softGamma != nil) {
      throw ValidationError("--soft-sigma and --soft-gamma need --soft.")
    }
    if let problem = parameters?.problem {
      throw ValidationError("\(problem); check --soft-sigma and --soft-gamma.")
    }
  }

  /// The soft-mode parameters, or `nil` without --soft.
  var parameters: SoftRasterization? {
    guard soft else { return nil }
    var parameters = SoftRasterization()
    if let softSigma { parameters.sigma = softSigma }
    if let softGamma { parameters.gamma = softGamma }
    return parameters
  }

  /// `settings` in soft mode (one sample per pixel, no edge pass) with --soft, else unchanged.
  func applied(to settings: RenderSettings) -> RenderSettings {
    guard let parameters else { return settings }
    var settings = settings
    settings.soft = parameters
    settings.supersampling = 1
    settings.edgeAntialiasing = false
    return settings
  }
}
