/// The scalar types the rasteriser runs in: `Float` in production, `Double` for tests and
/// finite-difference checks (METHODS §0: camera math is always Float64).
public protocol RenderScalar: BinaryFloatingPoint, SIMDScalar, Sendable, Codable
where SIMD2Storage: Sendable, SIMD4Storage: Sendable, SIMD8Storage: Sendable {
  /// The value as an `Int`, truncated towards zero (the value must be finite and in range).
  ///
  /// A concrete requirement: the generic `Int(_: some BinaryFloatingPoint)` is slow.
  var intValue: Int { get }
  /// The value converted to `Double`.
  var doubleValue: Double { get }
  /// Converts a `SIMD3<Double>` (the generic SIMD conversion is slow).
  static func vector(_ value: SIMD3<Double>) -> SIMD3<Self>
}

extension Float: RenderScalar {
  /// `Int(self)`.
  public var intValue: Int { Int(self) }
  /// `Double(self)`.
  public var doubleValue: Double { Double(self) }
  /// Component-wise `Float(_:)`.
  public static func vector(_ value: SIMD3<Double>) -> SIMD3<Float> {
    SIMD3(Float(value.x), Float(value.y), Float(value.z))
  }
}

extension Double: RenderScalar {
  /// `Int(self)`.
  public var intValue: Int { Int(self) }
  /// `self`.
  public var doubleValue: Double { self }
  /// `value` itself.
  public static func vector(_ value: SIMD3<Double>) -> SIMD3<Double> { value }
}

/// A rendered image: `size × size` RGB, row-major `[H, W, 3]`, row 0 at the top, linear values
/// in [0, 1].
public struct RenderedImage<Scalar: RenderScalar>: Sendable, Hashable {
  /// Side length in pixels.
  public let size: Int
  /// `size · size · 3` values, pixel `(i, j)` channel `c` at `(i · size + j) · 3 + c`.
  public var pixels: [Scalar]

  /// Creates an image from its pixels.
  ///
  /// - Parameters:
  ///   - size: Side length.
  ///   - pixels: `size² · 3` values, row-major HWC.
  public init(size: Int, pixels: [Scalar]) {
    precondition(
      pixels.count == size * size * 3,
      "RenderedImage: \(size)×\(size)×3 needs \(size * size * 3) values, got \(pixels.count)")
    self.size = size
    self.pixels = pixels
  }

  /// The colour of pixel `(row, column)`.
  ///
  /// - Parameters:
  ///   - row: Row index, 0 at the top.
  ///   - column: Column index, 0 at the left.
  /// - Returns: RGB.
  public subscript(row: Int, column: Int) -> SIMD3<Scalar> {
    let o = (row * size + column) * 3
    return SIMD3(pixels[o], pixels[o + 1], pixels[o + 2])
  }
}

/// The fine-grid buffers of one render (before the box filter), for inspection, tests and the
/// gradient passes.
///
/// All arrays are row-major over the `fineSize × fineSize` grid (`size · supersampling`).
public struct Framebuffer<Scalar: RenderScalar>: Sendable {
  /// Side of the fine grid.
  public let fineSize: Int
  /// Covering triangle per sample, −1 for background.
  public var triangleIDs: [Int32]
  /// View depth `Z` per sample (`+∞` for background).
  public var depth: [Scalar]
  /// Perspective-correct barycentric weight `μ0` per sample, with respect to the covering
  /// triangle's vertices in file order (`μ2 = 1 − μ0 − μ1`).
  public var weight0: [Scalar]
  /// Perspective-correct barycentric weight `μ1` per sample.
  public var weight1: [Scalar]
  /// Point-sampled colour (before the edge pass), `fineSize² · 3`.
  public var pointSampled: [Scalar]
  /// Colour after the edge pass (equal to `pointSampled` when the pass is off), `fineSize² · 3`.
  public var colour: [Scalar]
}
