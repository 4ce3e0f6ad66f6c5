/// Scratch buffers of the tangent passes for up to four parameters at a time (one
/// ``TangentChunk``): each tangent quantity is a `SIMD4<Scalar>` whose lane `i` is its
/// derivative with respect to the chunk's `i`-th parameter.
///
/// Owned by one thread alongside its ``RenderWorkspace``.
final class TangentWorkspace<Scalar: RenderScalar> {
  let fineSize: Int
  // Fine grid, RGB interleaved: tangents of the point-sampled colour and of the colour after
  // the edge pass.
  let shaded: UnsafeMutableBufferPointer<SIMD4<Scalar>>
  let colour: UnsafeMutableBufferPointer<SIMD4<Scalar>>
  // Per vertex: tangents of the fine-grid screen position (col, row).
  let column: UnsafeMutableBufferPointer<SIMD4<Scalar>>
  let row: UnsafeMutableBufferPointer<SIMD4<Scalar>>
  // Per vertex: tangent of the inverse view depth `1/Z` (soft mode).
  let inverseDepth: UnsafeMutableBufferPointer<SIMD4<Scalar>>
  // Per welded vertex: tangent of the mean candidate-edge direction `cos 2φ` (edge pass).
  let vertexDirection: UnsafeMutableBufferPointer<SIMD4<Scalar>>
  // Per face: `h = N·(V0 − C)` (the ray parameter's numerator; value) and its tangent
  // `−N·Ċ`, and the tangent of the flat colour (RGB).
  let planeOffset: UnsafeMutableBufferPointer<Scalar>
  let planeOffsetTangent: UnsafeMutableBufferPointer<SIMD4<Scalar>>
  let flatColour: UnsafeMutableBufferPointer<SIMD4<Scalar>>

  init(fineSize: Int, vertexCount: Int, faceCount: Int, weldedCount: Int) {
    func make<T>(_ count: Int, _ value: T) -> UnsafeMutableBufferPointer<T> {
      let buffer = UnsafeMutableBufferPointer<T>.allocate(capacity: max(count, 1))
      buffer.initialize(repeating: value)
      return buffer
    }
    self.fineSize = fineSize
    let n = fineSize * fineSize
    shaded = make(3 * n, .zero)
    colour = make(3 * n, .zero)
    column = make(vertexCount, .zero)
    row = make(vertexCount, .zero)
    inverseDepth = make(vertexCount, .zero)
    vertexDirection = make(weldedCount, .zero)
    planeOffset = make(faceCount, 0)
    planeOffsetTangent = make(faceCount, .zero)
    flatColour = make(3 * faceCount, .zero)
  }

  deinit {
    shaded.deallocate()
    colour.deallocate()
    column.deallocate()
    row.deallocate()
    inverseDepth.deallocate()
    vertexDirection.deallocate()
    planeOffset.deallocate()
    planeOffsetTangent.deallocate()
    flatColour.deallocate()
  }
}

/// Up to four consecutive requested parameters whose tangents one pass computes together.
struct TangentChunk: Sendable {
  /// Indices into the requested parameter list (at most 4).
  let lanes: Range<Int>

  /// Lane `i` of the result is `dual`'s tangent along `lanes.lowerBound + i`; unused lanes 0.
  @inline(__always)
  func tangent<Scalar: RenderScalar>(_ dual: Dual) -> SIMD4<Scalar> {
    var result = SIMD4<Scalar>.zero
    for (i, k) in lanes.enumerated() { result[i] = Scalar(dual.tangent[k]) }
    return result
  }

  /// The tangents of the three components of `v`.
  @inline(__always)
  func tangent<Scalar: RenderScalar>(_ v: DualVector) -> TangentVector<Scalar> {
    TangentVector(x: tangent(v.x), y: tangent(v.y), z: tangent(v.z))
  }
}

/// The tangents of a 3-vector along up to four parameters: component-wise `SIMD4` lanes.
struct TangentVector<Scalar: RenderScalar> {
  var x: SIMD4<Scalar>
  var y: SIMD4<Scalar>
  var z: SIMD4<Scalar>

  static var zero: TangentVector { TangentVector(x: .zero, y: .zero, z: .zero) }

  /// `a · ḃ` for a constant vector `a`: one lane per parameter.
  @inline(__always)
  func dot(_ a: SIMD3<Scalar>) -> SIMD4<Scalar> { a.x * x + a.y * y + a.z * z }
}
