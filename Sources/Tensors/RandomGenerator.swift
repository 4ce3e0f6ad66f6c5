/// SplitMix64, used only to expand a 64-bit seed into generator state.
///
/// Reference: Steele, Lea & Flood, "Fast splittable pseudorandom number generators",
/// OOPSLA 2014.
public struct SplitMix64: RandomNumberGenerator, Sendable {
  /// The generator state.
  public private(set) var state: UInt64

  /// Creates a generator from a seed.
  ///
  /// - Parameter seed: Any 64-bit value.
  public init(seed: UInt64) { state = seed }

  /// The next 64 random bits.
  public mutating func next() -> UInt64 {
    state &+= 0x9E37_79B9_7F4A_7C15
    var z = state
    z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
    z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
    return z ^ (z >> 31)
  }
}

/// xoshiro256**, semrob's generator for every random choice (METHODS §0).
///
/// Seeded through ``SplitMix64``: the four state words are its first four outputs. Uniform
/// deviates are `U[0,1) = (next() >> 11) · 2^−53`; normal deviates use Box–Muller with
/// `u1 = 1 − U`, `u2 = U` drawn in that order, and are returned in the order z0, z1.
///
/// Reference: Blackman & Vigna, "Scrambled linear pseudorandom number generators",
/// ACM TOMS 2021 (arXiv:1805.01407).
public struct RandomGenerator: RandomNumberGenerator, Sendable {
  private var s: (UInt64, UInt64, UInt64, UInt64)
  private var spareNormal: Double?

  /// Creates a generator from a seed (the `--seed` value).
  ///
  /// - Parameter seed: Any 64-bit value; 0 is a fine seed.
  public init(seed: UInt64) {
    var mixer = SplitMix64(seed: seed)
    s = (mixer.next(), mixer.next(), mixer.next(), mixer.next())
  }

  /// The next 64 random bits.
  public mutating func next() -> UInt64 {
    let result = rotl(s.1 &* 5, 7) &* 9
    let t = s.1 << 17
    s.2 ^= s.0
    s.3 ^= s.1
    s.1 ^= s.2
    s.0 ^= s.3
    s.2 ^= t
    s.3 = rotl(s.3, 45)
    return result
  }

  /// A uniform deviate in [0, 1) with 53 random bits.
  public mutating func nextUniform() -> Double {
    Double(next() >> 11) * 0x1.0p-53
  }

  /// A standard normal deviate (Box–Muller, METHODS §0).
  public mutating func nextNormal() -> Double {
    if let z1 = spareNormal {
      spareNormal = nil
      return z1
    }
    let u1 = 1 - nextUniform()
    let u2 = nextUniform()
    let radius = (-2 * log(u1)).squareRoot()
    let angle = 2 * Double.pi * u2
    spareNormal = radius * sin(angle)
    return radius * cos(angle)
  }

  private func rotl(_ x: UInt64, _ k: UInt64) -> UInt64 { (x << k) | (x >> (64 - k)) }
}

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif
