import Tensors

/// A repeatable random number generator for tests: semrob's ``RandomGenerator``.
///
/// Test targets that do not depend on `Tensors` get the project generator through
/// TestSupport (xoshiro256** seeded through SplitMix64), so every test draws the same stream
/// the library would for the same seed. Pair it with ``withEvery(_:in:sourceLocation:_:)``:
///
/// ```swift
/// withEvery("seed", in: 0..<20 as Range<UInt64>) { seed in
///   var rng = SeededGenerator(seed: seed)
///   let n = Int(rng.next() % 100)
/// }
/// ```
public struct SeededGenerator: RandomNumberGenerator, Sendable {
  private var base: RandomGenerator

  /// Creates a generator from a seed.
  ///
  /// - Parameter seed: Any 64-bit value.
  public init(seed: UInt64) { base = RandomGenerator(seed: seed) }

  /// The next 64 random bits.
  ///
  /// - Returns: A uniformly distributed `UInt64`.
  public mutating func next() -> UInt64 { base.next() }

  /// A uniform deviate in [0, 1) with 53 random bits.
  ///
  /// - Returns: A `Double` in [0, 1).
  public mutating func nextUniform() -> Double { base.nextUniform() }
}
