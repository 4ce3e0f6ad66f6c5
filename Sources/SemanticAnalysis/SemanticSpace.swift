import Rendering

/// A named semantic parameter: what it sets, its unit, its domain and the map step semrob uses
/// by default.
///
/// Values are in interface units: degrees for the angles, world units for the distance.
public struct SemanticParameter: Sendable, Hashable, Codable {
  /// The render parameter it sets.
  public var parameter: RenderParameter
  /// The domain of maps and regions.
  public var range: ClosedRange<Double>
  /// The default grid step.
  public var step: Double
  /// The value when the parameter is held fixed (METHODS §2.1).
  public var defaultValue: Double
  /// Whether values wrap around every 360° (azimuths).
  public var isPeriodic: Bool

  /// The unit symbol: `°` for angles, `world units` for the distance.
  public var unit: String { parameter.isAngle ? "°" : "world units" }

  /// A human name such as `light azimuth`.
  public var name: String {
    switch parameter {
    case .azimuth: "azimuth"
    case .elevation: "elevation"
    case .distance: "distance"
    case .fieldOfView: "field of view"
    case .lightAzimuth: "light azimuth"
    case .lightElevation: "light elevation"
    }
  }

  /// An axis label with the unit, such as `azimuth (°)`.
  public var axisLabel: String { "\(name) (\(unit))" }

  /// The grid axis over `range` (default: the whole domain; a periodic domain stops one step
  /// before a full turn) with `step` (default: ``step``).
  ///
  /// - Parameters:
  ///   - range: The values to cover, or `nil` for the domain.
  ///   - step: The spacing, or `nil` for the default.
  /// - Returns: The axis.
  public func axis(range: ClosedRange<Double>? = nil, step: Double? = nil) -> SemanticGrid.Axis {
    let step = step ?? self.step
    if range == nil && isPeriodic {
      return SemanticGrid.Axis(
        parameter: parameter, start: self.range.lowerBound, step: step,
        count: SemanticGrid.fullTurn(step))
    }
    return SemanticGrid.Axis(parameter: parameter, range: range ?? self.range, step: step)
  }
}

/// The semantic space: semrob's six semantic parameters with their domains (METHODS §2).
///
/// | parameter | domain | default step | fixed value |
/// |---|---|---|---|
/// | azimuth | [0°, 360°), periodic | 3° | 0° |
/// | elevation | [−10°, 89°] | 3° | 35° |
/// | distance | [2, 4] world units | 0.05 | 2.732 |
/// | field of view | [30°, 90°] | 2° | 60° |
/// | light azimuth | [0°, 360°), periodic | 10° | 0° |
/// | light elevation | [0°, 90°] | 5° | 90° |
///
/// Azimuth and elevation are the study's grid (§2.2); the fixed values are the study's
/// distance and field of view and semrob's default light (from straight above).
public enum SemanticSpace {
  /// The parameter's description.
  public static func parameter(_ parameter: RenderParameter) -> SemanticParameter {
    switch parameter {
    case .azimuth:
      SemanticParameter(
        parameter: .azimuth, range: 0...360, step: 3, defaultValue: 0, isPeriodic: true)
    case .elevation:
      SemanticParameter(
        parameter: .elevation, range: -10...89, step: 3, defaultValue: 35, isPeriodic: false)
    case .distance:
      SemanticParameter(
        parameter: .distance, range: 2...4, step: 0.05, defaultValue: 2.732, isPeriodic: false)
    case .fieldOfView:
      SemanticParameter(
        parameter: .fieldOfView, range: 30...90, step: 2, defaultValue: 60, isPeriodic: false)
    case .lightAzimuth:
      SemanticParameter(
        parameter: .lightAzimuth, range: 0...360, step: 10, defaultValue: 0, isPeriodic: true)
    case .lightElevation:
      SemanticParameter(
        parameter: .lightElevation, range: 0...90, step: 5, defaultValue: 90, isPeriodic: false)
    }
  }

  /// Every parameter, in ``RenderParameter`` order.
  public static var all: [SemanticParameter] { RenderParameter.allCases.map(parameter) }
}
