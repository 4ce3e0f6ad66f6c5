import Foundation

/// Assembles a generated shape: draws its parameters from a seeded stream (recording each by
/// name), gives its parts colours from randomised palettes, and merges the parts into one mesh
/// with a material per colour.
public struct ShapeBuilder {
  /// A caller's generator behind one concrete type (an existential cannot be passed `inout`
  /// to generic code).
  struct Stream: RandomNumberGenerator {
    var base: any RandomNumberGenerator
    mutating func next() -> UInt64 { base.next() }
  }

  /// The random stream every draw comes from.
  private var random: Stream
  /// Every parameter drawn so far, by name (choices as the index of the option taken, flags
  /// as 0 or 1).
  public private(set) var parameters: [String: Double] = [:]
  private var parts: [(part: Part, material: Int32)] = []
  private var materials: [Material] = []

  /// A builder drawing from `random`: semrob's generator seeded with the shape's seed
  /// (`RandomGenerator(seed:)` in Tensors, METHODS §0), so a seed always gives the same shape.
  public init(random: some RandomNumberGenerator) { self.random = Stream(base: random) }

  /// A number uniform in [0, 1): `(next() >> 11) · 2^−53` (METHODS §0).
  mutating func unit() -> Double { Double(random.next() >> 11) * 0x1p-53 }

  /// An integer uniform in `range`.
  mutating func draw(_ range: ClosedRange<Int>) -> Int {
    range.lowerBound + Int(random.next() % UInt64(range.count))
  }

  /// A number uniform in `range`, recorded as `name`.
  public mutating func uniform(_ name: String, _ range: ClosedRange<Double>) -> Double {
    let value = range.lowerBound + unit() * (range.upperBound - range.lowerBound)
    parameters[name] = value
    return value
  }

  /// An integer uniform in `range`, recorded as `name`.
  public mutating func integer(_ name: String, _ range: ClosedRange<Int>) -> Int {
    let value = draw(range)
    parameters[name] = Double(value)
    return value
  }

  /// True with probability `probability`, recorded as `name` (1 or 0).
  public mutating func flag(_ name: String, probability: Double) -> Bool {
    let value = unit() < probability
    parameters[name] = value ? 1 : 0
    return value
  }

  /// One of `options` (equally likely), recorded as `name` (the option's index).
  public mutating func choice<T>(_ name: String, _ options: [T]) -> T {
    let index = draw(0...(options.count - 1))
    parameters[name] = Double(index)
    return options[index]
  }

  /// A new material for the parts of one role (`frame`, `seat`, ...), its colour drawn from a
  /// palette family picked at random (wood, metal, painted, dark, light, plastic), so colour
  /// alone never tells the class.
  public mutating func material(_ role: String) -> Int32 {
    let colour = Palette.colour(using: &random)
    materials.append(Material(name: role, diffuse: colour))
    return Int32(materials.count - 1)
  }

  /// Adds `part` with `material` (from ``material(_:)``).
  public mutating func add(_ part: Part, material: Int32) {
    parts.append((part, material))
  }

  /// The parts merged into one mesh (each part's vertices its own, triangles tagged with their
  /// material), normalised ShapeNet-style.
  public func mesh() -> Mesh {
    var positions: [SIMD3<Double>] = []
    var triangles: [SIMD3<Int32>] = []
    var faceMaterials: [Int32] = []
    for (part, material) in parts {
      let offset = Int32(positions.count)
      positions += part.positions
      triangles += part.triangles.map { $0 &+ offset }
      faceMaterials += Array(repeating: material, count: part.triangles.count)
    }
    return Mesh(
      positions: positions, triangles: triangles, faceMaterials: faceMaterials,
      materials: materials
    ).normalized(.shapeNet)
  }

  /// The parts as built (for tests of closedness and orientation).
  public var builtParts: [Part] { parts.map(\.part) }
}

/// The colour families generated parts are painted from: wood, metal, painted, dark, light and
/// plastic, each with randomised hue, saturation and value; shared by every class, so colour
/// alone never tells a class.
public enum Palette {
  /// A colour (linear RGB in [0, 1]) from a randomly chosen family, drawn from `random`.
  public static func colour(using random: inout some RandomNumberGenerator) -> SIMD3<Double> {
    // Hue in [0, 1), saturation and value, converted to RGB.
    func hsv(_ h: Double, _ s: Double, _ v: Double) -> SIMD3<Double> {
      let i = Int(h * 6) % 6
      let f = h * 6 - Double(Int(h * 6))
      let (p, q, t) = (v * (1 - s), v * (1 - f * s), v * (1 - (1 - f) * s))
      switch i {
      case 0: return SIMD3(v, t, p)
      case 1: return SIMD3(q, v, p)
      case 2: return SIMD3(p, v, t)
      case 3: return SIMD3(p, q, v)
      case 4: return SIMD3(t, p, v)
      default: return SIMD3(v, p, q)
      }
    }
    // U[0, 1) = (next() >> 11) · 2^−53 (METHODS §0).
    func uniform(_ range: ClosedRange<Double>) -> Double {
      range.lowerBound + Double(random.next() >> 11) * 0x1p-53
        * (range.upperBound - range.lowerBound)
    }
    switch random.next() % 6 {
    case 0:  // wood: orange-brown hues
      return hsv(uniform(0.05...0.11), uniform(0.45...0.75), uniform(0.35...0.8))
    case 1:  // metal: near-grey, slightly blue or warm
      return hsv(uniform(0...1), uniform(0...0.08), uniform(0.55...0.85))
    case 2:  // painted: any hue, moderate saturation
      return hsv(uniform(0...1), uniform(0.35...0.65), uniform(0.5...0.85))
    case 3:  // dark
      return hsv(uniform(0...1), uniform(0...0.4), uniform(0.12...0.3))
    case 4:  // light: white to cream
      return hsv(uniform(0.05...0.2), uniform(0...0.15), uniform(0.85...0.97))
    default:  // plastic: saturated
      return hsv(uniform(0...1), uniform(0.7...0.95), uniform(0.6...0.95))
    }
  }
}
