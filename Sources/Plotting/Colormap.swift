/// A map from a number t in [0, 1] to a colour, for heat maps and colour bars.
///
/// A colormap holds sRGB colours at evenly spaced t (its anchors) and interpolates linearly
/// between neighbours, channel by channel in sRGB-encoded values, as matplotlib's
/// `LinearSegmentedColormap` does. The shipped maps come from matplotlib's tables through
/// `Tools/colormaps/make_colormaps.py`:
///
/// - ``redBlue``: matplotlib's diverging `RdBu` (ColorBrewer's 11-class RdBu): dark red at 0,
///   near-white at 0.5, dark blue at 1. The original study's heat maps use it with vmin = 0,
///   so low classifier scores are red and high scores blue.
/// - ``viridis``: matplotlib's perceptually uniform sequential map, from dark purple to yellow
///   with luminance rising throughout; within 1/255 of matplotlib's 256-entry table.
public struct Colormap: Sendable, Hashable {
  /// The map's name, as ``named(_:)`` accepts it: `red-blue`, `viridis`, or either with
  /// `-reversed`.
  public let name: String
  /// The anchors' colours, sRGB in [0, 1], at t = i / (count − 1).
  public let anchors: [SIMD3<Float>]

  /// The colour for NaN: mid grey (0.5, 0.5, 0.5).
  public static let notANumberColour = SIMD3<Float>(repeating: 0.5)

  /// Creates a colormap that interpolates linearly between `anchors`.
  ///
  /// - Parameters:
  ///   - name: The map's name.
  ///   - anchors: At least two sRGB colours in [0, 1]; the first is t = 0, the last t = 1, the
  ///     others evenly spaced between.
  public init(name: String, anchors: [SIMD3<Float>]) {
    precondition(anchors.count >= 2, "Colormap '\(name)': needs at least two anchors")
    self.name = name
    self.anchors = anchors
  }

  /// Creates a colormap from flat (r, g, b) triples.
  init(name: String, triples: [Float]) {
    precondition(triples.count % 3 == 0, "Colormap '\(name)': triples must come in threes")
    self.init(
      name: name,
      anchors: stride(from: 0, to: triples.count, by: 3).map {
        SIMD3(triples[$0], triples[$0 + 1], triples[$0 + 2])
      })
  }

  /// The colour at `t`.
  ///
  /// - Parameter t: The position in the map; values below 0 give the first colour, above 1 the
  ///   last, and NaN gives ``notANumberColour``.
  /// - Returns: sRGB colour in [0, 1].
  public func colour(_ t: Double) -> SIMD3<Float> {
    guard !t.isNaN else { return Self.notANumberColour }
    let position = max(0, min(1, t)) * Double(anchors.count - 1)
    let index = min(Int(position), anchors.count - 2)
    let fraction = Float(position - Double(index))
    return anchors[index] + (anchors[index + 1] - anchors[index]) * fraction
  }

  /// The map run backwards: its colour at t is this map's colour at 1 − t.
  ///
  /// The name gains `-reversed`, or loses it when reversing a reversed map.
  public func reversed() -> Colormap {
    let suffix = "-reversed"
    let name = name.hasSuffix(suffix) ? String(name.dropLast(suffix.count)) : name + suffix
    return Colormap(name: name, anchors: anchors.reversed())
  }

  /// matplotlib's `RdBu`: ColorBrewer's 11-class RdBu from dark red (103, 0, 31)/255 at t = 0
  /// through near-white (247, 247, 247)/255 at 0.5 to dark blue (5, 48, 97)/255 at 1.
  public static let redBlue = Colormap(name: "red-blue", triples: redBlueAnchors)

  /// matplotlib's `viridis`, from (68, 1, 84)/255 at t = 0 to (253, 231, 37)/255 at 1, from 52
  /// anchors of its 256-entry table (error below 1/255).
  public static let viridis = Colormap(name: "viridis", triples: viridisAnchors)

  /// Every shipped map, in the order a CLI lists them.
  public static let all: [Colormap] = [redBlue, viridis]

  /// The shipped map called `name`, or `nil`.
  ///
  /// Accepts `red-blue` (also `rdbu`, matplotlib's name) and `viridis`, in any letter case, each
  /// optionally followed by `-reversed` (or matplotlib's `_r`) for ``reversed()``.
  ///
  /// - Parameter name: The name to look up.
  /// - Returns: The map, or `nil` for an unknown name.
  public static func named(_ name: String) -> Colormap? {
    var key = name.lowercased()
    var reverse = false
    for suffix in ["-reversed", "_r"] where key.hasSuffix(suffix) {
      key.removeLast(suffix.count)
      reverse = true
      break
    }
    let map: Colormap? =
      switch key {
      case "red-blue", "rdbu", "redblue": redBlue
      case "viridis": viridis
      default: nil
      }
    return reverse ? map?.reversed() : map
  }
}
