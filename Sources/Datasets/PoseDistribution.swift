import Foundation
import Tensors

/// The distribution of camera poses, lights and backgrounds that training images are drawn
/// from, biased on purpose the way photographs are.
///
/// Azimuth (degrees; 0 looks at the object's front, METHODS §1.2) is a mixture of wrapped
/// normals: front views N(0°, 20°) with weight 0.30, three-quarter views N(±40°, 15°) 0.20
/// each, side views N(±90°, 20°) 0.08 each, rear views N(180°, 40°) 0.06, and uniform 0.08.
/// Elevation is N(18°, 10°) truncated to [−10°, 89°] with weight 0.85 and uniform on
/// [−10°, 89°] with weight 0.15, so below-horizon and top-down views are rare. Distance is
/// uniform on [2.3, 3.2], the field of view on [50°, 70°], the light azimuth on [−90°, 90°]
/// and its elevation on [20°, 90°]; the background is black with probability 0.35, else a
/// uniform random colour; a shape keeps its own colours (each jittered) with probability 0.45,
/// has every part repainted from the shared palettes with probability 0.4, and is plain light
/// grey (the look of a render without material colours) with probability 0.15.
///
/// ``uniform`` draws azimuth and elevation uniformly over the semantic grid's range (METHODS
/// §2: azimuth [0°, 360°), elevation [−10°, 89°]) with the same jitter of everything else.
public struct PoseDistribution: Sendable, Hashable {
  /// A component of the azimuth mixture: a wrapped normal (degrees), or uniform when `spread`
  /// is infinite.
  struct Component: Sendable, Hashable {
    var weight: Double
    var mean: Double
    var spread: Double
  }

  let azimuth: [Component]
  /// Weight of the truncated normal part of the elevation (the rest is uniform).
  let elevationNormalWeight: Double
  let elevationMean: Double
  let elevationSpread: Double
  /// The elevation range, degrees.
  public static let elevationRange = -10.0...89.0

  /// The training distribution (see the type's description).
  public static let training = PoseDistribution(
    azimuth: [
      Component(weight: 0.30, mean: 0, spread: 20), Component(weight: 0.20, mean: 40, spread: 15),
      Component(weight: 0.20, mean: -40, spread: 15),
      Component(weight: 0.08, mean: 90, spread: 20), Component(weight: 0.08, mean: -90, spread: 20),
      Component(weight: 0.06, mean: 180, spread: 40),
      Component(weight: 0.08, mean: 0, spread: .infinity),
    ], elevationNormalWeight: 0.85, elevationMean: 18, elevationSpread: 10)

  /// Uniform azimuth and elevation over the semantic grid's range.
  public static let uniform = PoseDistribution(
    azimuth: [Component(weight: 1, mean: 0, spread: .infinity)], elevationNormalWeight: 0,
    elevationMean: 0, elevationSpread: 1)

  /// One draw: the view and the image's styling.
  public struct Sample: Sendable, Hashable {
    /// Azimuth, degrees in [0, 360).
    public var azimuth: Double
    /// Elevation, degrees in [−10, 89].
    public var elevation: Double
    /// Camera distance (world units).
    public var distance: Double
    /// Full vertical field of view, degrees.
    public var fieldOfView: Double
    /// Light azimuth, degrees.
    public var lightAzimuth: Double
    /// Light elevation, degrees.
    public var lightElevation: Double
    /// Background colour, linear RGB.
    public var background: SIMD3<Double>
    /// How the shape is coloured.
    public var paint: Paint
  }

  /// How a sample colours its shape.
  public enum Paint: Sendable, Hashable {
    /// The shape's own colours, each jittered.
    case own
    /// Every part repainted from the shared palettes.
    case repainted
    /// Every part one light grey in [0.75, 1].
    case plain
  }

  /// Draws a sample from `random`.
  public func sample(_ random: inout RandomGenerator) -> Sample {
    // Azimuth: pick a component by weight, then a wrapped normal (or uniform) within it.
    var u = random.nextUniform()
    var component = azimuth[azimuth.count - 1]
    for c in azimuth {
      if u < c.weight {
        component = c
        break
      }
      u -= c.weight
    }
    var a =
      component.spread.isInfinite
      ? 360 * random.nextUniform() : component.mean + component.spread * random.nextNormal()
    a = a.truncatingRemainder(dividingBy: 360)
    if a < 0 { a += 360 }
    let range = Self.elevationRange
    var e: Double
    if random.nextUniform() < elevationNormalWeight {
      repeat {
        e = elevationMean + elevationSpread * random.nextNormal()
      } while !range.contains(e)
    } else {
      e = range.lowerBound + (range.upperBound - range.lowerBound) * random.nextUniform()
    }
    let distance = 2.3 + 0.9 * random.nextUniform()
    let fieldOfView = 50 + 20 * random.nextUniform()
    let lightAzimuth = -90 + 180 * random.nextUniform()
    let lightElevation = 20 + 70 * random.nextUniform()
    let black = random.nextUniform() < 0.35
    let colour = SIMD3(random.nextUniform(), random.nextUniform(), random.nextUniform())
    let p = random.nextUniform()
    let paint: Paint = p < 0.45 ? .own : (p < 0.85 ? .repainted : .plain)
    return Sample(
      azimuth: a, elevation: e, distance: distance, fieldOfView: fieldOfView,
      lightAzimuth: lightAzimuth, lightElevation: lightElevation,
      background: black ? .zero : colour, paint: paint)
  }

  /// The probability density of (azimuth, elevation) in degrees⁻², azimuth taken modulo 360°:
  /// the ground truth the data semantic maps are checked against.
  public func density(azimuth a: Double, elevation e: Double) -> Double {
    let range = Self.elevationRange
    guard range.contains(e) else { return 0 }
    func normal(_ x: Double, _ mean: Double, _ spread: Double) -> Double {
      let z = (x - mean) / spread
      return exp(-z * z / 2) / (spread * (2 * Double.pi).squareRoot())
    }
    var azimuthDensity = 0.0
    for c in azimuth {
      if c.spread.isInfinite {
        azimuthDensity += c.weight / 360
      } else {
        // Wrapped normal: the spreads are at most 40°, so three wraps are plenty.
        for k in -3...3 {
          azimuthDensity += c.weight * normal(a + 360 * Double(k), c.mean, c.spread)
        }
      }
    }
    // The truncated normal renormalised over the range.
    let mass =
      (erf((range.upperBound - elevationMean) / (elevationSpread * 2.0.squareRoot()))
        - erf((range.lowerBound - elevationMean) / (elevationSpread * 2.0.squareRoot()))) / 2
    let elevationDensity =
      elevationNormalWeight * normal(e, elevationMean, elevationSpread) / mass
      + (1 - elevationNormalWeight) / (range.upperBound - range.lowerBound)
    return azimuthDensity * elevationDensity
  }
}
