/// A closeness criterion `|actual − expected| ≤ absolute + relative · |expected|`.
///
/// This is NumPy's `allclose` rule: asymmetric in `expected`, and not transitive, so it never
/// backs an `Equatable` conformance. The named constants are the project's table (STYLE §4);
/// any looser tolerance carries a comment that names the source of the error.
public struct Tolerance: Sendable, Hashable, CustomStringConvertible {
  /// The relative tolerance `rtol`, a fraction of `|expected|`.
  public var relative: Double
  /// The absolute tolerance `atol`, in the units of the values.
  public var absolute: Double

  /// Creates a tolerance.
  ///
  /// - Parameters:
  ///   - relative: `rtol` ≥ 0.
  ///   - absolute: `atol` ≥ 0.
  public init(relative: Double, absolute: Double) {
    precondition(
      relative >= 0 && absolute >= 0,
      "Tolerance: rtol \(relative) and atol \(absolute) must be non-negative")
    self.relative = relative
    self.absolute = absolute
  }

  /// Float32 elementwise results against a float64 reference: rtol 1e-5, atol 1e-6.
  public static let elementwise = Tolerance(relative: 1e-5, absolute: 1e-6)
  /// Float32 GEMM, convolution and reductions (K ≤ 4096) against float64: rtol 1e-4, atol 1e-5.
  public static let reduction = Tolerance(relative: 1e-4, absolute: 1e-5)
  /// Analytic gradients against central differences computed in Double: rtol 1e-3, atol 1e-5.
  public static let gradient = Tolerance(relative: 1e-3, absolute: 1e-5)
  /// Decoded 8-bit images against golden images, in [0, 1] units: one level, atol 1/255.
  public static let image = Tolerance(relative: 0, absolute: 1.0 / 255.0)
  /// Bit-for-bit equality (equal values, including infinities), for exact reference data.
  public static let exact = Tolerance(relative: 0, absolute: 0)

  /// Whether `actual` is close to `expected`.
  ///
  /// Equal values always pass (so do equal infinities); otherwise a NaN or infinity on either
  /// side fails, and finite values pass when `|a − e| ≤ atol + rtol·|e|`.
  ///
  /// - Parameters:
  ///   - actual: The computed value.
  ///   - expected: The reference value.
  /// - Returns: `true` if the pair passes.
  public func accepts(_ actual: Double, _ expected: Double) -> Bool {
    if actual == expected { return true }
    guard actual.isFinite && expected.isFinite else { return false }
    return abs(actual - expected) <= absolute + relative * abs(expected)
  }

  /// `rtol=…, atol=…`, for failure messages.
  public var description: String { "rtol=\(relative), atol=\(absolute)" }
}
