import Foundation

/// Everything that varies between renders of one scene.
///
/// The camera pose, the field of view and the light direction; the other settings (image
/// size, shading, preset) stay fixed.
public struct SceneView: Sendable, Hashable {
  /// Azimuth, elevation (radians) and distance.
  public var pose: CameraPose
  /// Full vertical field of view, radians, in (0, π).
  public var fieldOfView: Double
  /// Light azimuth, radians (``Light/azimuth``).
  public var lightAzimuth: Double
  /// Light elevation, radians (``Light/elevation``).
  public var lightElevation: Double

  /// The view at `pose` with the field of view and light of `settings`.
  ///
  /// - Parameters:
  ///   - pose: The camera pose.
  ///   - settings: Supplies the field of view and the light angles.
  public init(_ pose: CameraPose, settings: RenderSettings) {
    self.pose = pose
    fieldOfView = settings.fieldOfView
    lightAzimuth = settings.light.azimuth
    lightElevation = settings.light.elevation
  }

  /// The light of `settings` with this view's angles.
  func light(_ settings: RenderSettings) -> Light {
    var light = settings.light
    light.azimuth = lightAzimuth
    light.elevation = lightElevation
    return light
  }

  /// The camera of `settings` at this view's pose and field of view.
  func camera(_ settings: RenderSettings) -> Camera {
    Camera(
      convention: settings.convention, pose: pose, fieldOfView: fieldOfView, near: settings.near,
      far: settings.far)
  }

  /// A one-line description of an unusable view, or `nil`.
  public var problem: String? {
    if !(pose.distance > 0 && pose.distance.isFinite) {
      return "the camera distance must be positive and finite (got \(pose.distance))"
    }
    if !(fieldOfView > 0 && fieldOfView < Double.pi) {
      return
        "the field of view must be in (0°, 180°) (got \(fieldOfView / Camera.radiansPerDegree)°)"
    }
    if ![pose.azimuth, pose.elevation, lightAzimuth, lightElevation].allSatisfy(\.isFinite) {
      return "angles must be finite"
    }
    return nil
  }
}

/// A render parameter the renderer differentiates with respect to (METHODS §1.9).
///
/// Tangent images are per **degree** for the angles (azimuth, elevation, field of view, light
/// azimuth and elevation) and per world unit for the distance.
public enum RenderParameter: String, Sendable, Hashable, CaseIterable, Codable {
  /// Camera azimuth.
  case azimuth
  /// Camera elevation.
  case elevation
  /// Camera distance from the origin.
  case distance
  /// Full vertical field of view.
  case fieldOfView = "fov"
  /// Light azimuth (a world-frame light only; a headlight ignores it).
  case lightAzimuth = "light-azimuth"
  /// Light elevation (a world-frame light only).
  case lightElevation = "light-elevation"

  /// Whether the parameter is an angle (degrees at the interface, radians inside).
  public var isAngle: Bool { self != .distance }

  /// The unit of its tangents at the interface: "per degree" or "per world unit".
  public var unitName: String { isAngle ? "per degree" : "per world unit" }

  /// Interface units per internal unit: `π/180` for angles (tangents per degree), 1 for the
  /// distance.
  public var interfaceScale: Double { isAngle ? Camera.radiansPerDegree : 1 }

  /// The parameter's value in `view`, in interface units (degrees or world units).
  public func value(in view: SceneView) -> Double {
    internalValue(in: view) / interfaceScale
  }

  /// `view` with the parameter set to `value` (degrees or world units).
  public func setting(_ value: Double, in view: SceneView) -> SceneView {
    var view = view
    let x = value * interfaceScale
    switch self {
    case .azimuth: view.pose.azimuth = x
    case .elevation: view.pose.elevation = x
    case .distance: view.pose.distance = x
    case .fieldOfView: view.fieldOfView = x
    case .lightAzimuth: view.lightAzimuth = x
    case .lightElevation: view.lightElevation = x
    }
    return view
  }

  /// The value in internal units (radians or world units).
  func internalValue(in view: SceneView) -> Double {
    switch self {
    case .azimuth: view.pose.azimuth
    case .elevation: view.pose.elevation
    case .distance: view.pose.distance
    case .fieldOfView: view.fieldOfView
    case .lightAzimuth: view.lightAzimuth
    case .lightElevation: view.lightElevation
    }
  }

  /// Parses a comma-separated list such as `azimuth,elevation,fov`; throws a one-line message
  /// naming the bad entry and the accepted names.
  public static func list(_ text: String) throws(RenderParameterError) -> [RenderParameter] {
    var result: [RenderParameter] = []
    for part in text.split(separator: ",", omittingEmptySubsequences: false) {
      let name = part.trimmingCharacters(in: .whitespaces)
      guard let parameter = RenderParameter(rawValue: name) else {
        throw RenderParameterError(
          message: "unknown render parameter '\(name)'; use one or more of "
            + allCases.map(\.rawValue).joined(separator: ", "))
      }
      guard !result.contains(parameter) else {
        throw RenderParameterError(message: "render parameter '\(name)' is listed twice")
      }
      result.append(parameter)
    }
    return result
  }
}

/// A malformed render-parameter list.
public struct RenderParameterError: Error, CustomStringConvertible {
  /// The one-line message.
  public let message: String
  /// The message.
  public var description: String { message }
}

/// Where tangent images come from (METHODS §1.8).
public enum GradientSource: Sendable, Hashable {
  /// The exact derivative of the forward image (with the edge pass when it is on; of the soft
  /// image in soft mode).
  case analytic
  /// The derivative of the same render with the edge pass (and, for flat shading, its crease
  /// edges) enabled, even when the forward image has no pass: the `nmr` preset's images are
  /// point-sampled, whose exact derivative is zero almost everywhere. In soft mode, the same
  /// as ``analytic`` (the soft image is smooth and has no edge pass).
  case antialiasedSurrogate
  /// Central differences of whole renders, `[I(θ + h) − I(θ − h)] / 2h`, with `h` in degrees
  /// for angles and world units for the distance.
  case centralDifference(Double)

  /// The preset's source: analytic when the forward image has the edge pass or is soft,
  /// otherwise the antialiased surrogate.
  public static func preferred(for settings: RenderSettings) -> GradientSource {
    settings.edgeAntialiasing || settings.soft != nil ? .analytic : .antialiasedSurrogate
  }
}
