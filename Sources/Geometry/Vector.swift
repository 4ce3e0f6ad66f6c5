/// Small vector helpers on the standard library's SIMD types (the `simd` module does not exist
/// on Linux).

/// The dot product `a · b`.
///
/// - Parameters:
///   - a: First vector.
///   - b: Second vector.
/// - Returns: `a.x b.x + a.y b.y + a.z b.z`, evaluated left to right.
@inlinable
public func dot<T: BinaryFloatingPoint & SIMDScalar>(_ a: SIMD3<T>, _ b: SIMD3<T>) -> T {
  a.x * b.x + a.y * b.y + a.z * b.z
}

/// The cross product `a × b` (right-handed).
///
/// - Parameters:
///   - a: First vector.
///   - b: Second vector.
/// - Returns: `(a.y b.z − a.z b.y, a.z b.x − a.x b.z, a.x b.y − a.y b.x)`.
@inlinable
public func cross<T: BinaryFloatingPoint & SIMDScalar>(_ a: SIMD3<T>, _ b: SIMD3<T>) -> SIMD3<T> {
  SIMD3(a.y * b.z - a.z * b.y, a.z * b.x - a.x * b.z, a.x * b.y - a.y * b.x)
}

/// The Euclidean length `|v|`.
///
/// - Parameter v: A vector.
/// - Returns: `sqrt(v · v)`.
@inlinable
public func length<T: BinaryFloatingPoint & SIMDScalar>(_ v: SIMD3<T>) -> T {
  dot(v, v).squareRoot()
}
