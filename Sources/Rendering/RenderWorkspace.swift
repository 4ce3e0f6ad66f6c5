/// Scratch buffers for one render at a time: the fine-grid G-buffer, per-vertex and per-face
/// pose data.
///
/// One workspace is owned by one thread; a batch gives each worker its own, so no render
/// allocates in its inner loops and buffers are reused from pose to pose. The buffers are
/// allocated once and freed in `deinit`; every stage indexes them directly (bounds are asserted
/// in debug builds), which keeps dynamic exclusivity checks out of the per-sample loops.
final class RenderWorkspace<Scalar: RenderScalar> {
  let fineSize: Int
  // Fine-grid G-buffer: covering face, view depth, perspective-correct weights μ0, μ1.
  let ids: UnsafeMutableBufferPointer<Int32>
  let depth: UnsafeMutableBufferPointer<Scalar>
  let mu0: UnsafeMutableBufferPointer<Scalar>
  let mu1: UnsafeMutableBufferPointer<Scalar>
  // Fine-grid colour before (`shaded`) and after (`colour`) the edge pass, RGB interleaved.
  let shaded: UnsafeMutableBufferPointer<Scalar>
  let colour: UnsafeMutableBufferPointer<Scalar>
  // Per vertex: fine-grid screen position (col, row), 1/Z and Z packed in one record for the
  // rasteriser (one 16-byte load per vertex in Float), and the view depth Z in Float64 for the
  // near-plane decisions.
  let projected: UnsafeMutableBufferPointer<SIMD4<Scalar>>
  let viewZ: UnsafeMutableBufferPointer<Double>
  // Per vertex: `(ceil col, floor col, ceil row, floor row)` of the screen position clamped to
  // [−1, fineSize], so a triangle's range of covered pixel centres is integer min/max.
  let pixelBounds: UnsafeMutableBufferPointer<SIMD4<Int32>>
  // Per face: sign of the consistently oriented normal towards the eye and flat colour.
  let facing: UnsafeMutableBufferPointer<Int8>
  let flatColour: UnsafeMutableBufferPointer<SIMD3<Scalar>>
  // Per edge: its ``EdgeKind`` at this pose.
  let edgeCandidate: UnsafeMutableBufferPointer<UInt8>
  // Per welded vertex: the mean `cos 2φ` of the directions of the candidate edges at it (the
  // edge pass's orientation weights), and how many there are.
  let vertexDirection: UnsafeMutableBufferPointer<Scalar>
  let vertexEdgeCount: UnsafeMutableBufferPointer<Int32>
  // The candidate edges in front of the near plane at this pose (topology edge indices), and
  // where they cross neighbouring samples' segments (the edge pass's work list, sorted by pair).
  var candidateEdges: [Int32] = []
  var crossings: [EdgeCrossing<Scalar>] = []
  /// Scratch for building ``crossings`` (the unsorted list and its sort keys), kept for their
  /// capacity.
  var unsortedCrossings: [EdgeCrossing<Scalar>] = []
  var crossingKeys: [UInt64] = []
  // The smallest vertex view depth of the current view (vertex stage).
  var nearestDepth = Double.infinity
  // The light of the current view and its unit direction (world).
  var light = Light()
  var lightDirection = SIMD3<Double>(0, 1, 0)

  init(fineSize: Int, vertexCount: Int, faceCount: Int, edgeCount: Int, weldedCount: Int) {
    func make<T>(_ count: Int, _ value: T) -> UnsafeMutableBufferPointer<T> {
      let buffer = UnsafeMutableBufferPointer<T>.allocate(capacity: count)
      buffer.initialize(repeating: value)
      return buffer
    }
    self.fineSize = fineSize
    let n = fineSize * fineSize
    ids = make(n, -1)
    depth = make(n, .infinity)
    mu0 = make(n, 0)
    mu1 = make(n, 0)
    shaded = make(n * 3, 0)
    colour = make(n * 3, 0)
    projected = make(vertexCount, .zero)
    viewZ = make(vertexCount, 0)
    pixelBounds = make(vertexCount, .zero)
    facing = make(faceCount, 0)
    flatColour = make(faceCount, .zero)
    edgeCandidate = make(edgeCount, EdgeKind.none)
    vertexDirection = make(max(weldedCount, 1), 0)
    vertexEdgeCount = make(max(weldedCount, 1), 0)
  }

  deinit {
    ids.deallocate()
    depth.deallocate()
    mu0.deallocate()
    mu1.deallocate()
    shaded.deallocate()
    colour.deallocate()
    projected.deallocate()
    viewZ.deallocate()
    pixelBounds.deallocate()
    facing.deallocate()
    flatColour.deallocate()
    edgeCandidate.deallocate()
    vertexDirection.deallocate()
    vertexEdgeCount.deallocate()
  }

  /// Fine-grid screen position `(col, row)` of vertex `i`.
  @inline(__always)
  func screen(_ i: Int) -> SIMD2<Scalar> { SIMD2(projected[i].x, projected[i].y) }

  /// Resets the G-buffer to background.
  func clear() {
    ids.update(repeating: -1)
    depth.update(repeating: .infinity)
  }
}

/// What an edge is to the edge pass at one pose.
enum EdgeKind {
  /// Not a candidate.
  static let none: UInt8 = 0
  /// A silhouette: boundary or non-manifold, or between faces of opposite σ.
  static let silhouette: UInt8 = 1
  /// A crease of flat shading: between faces of different flat colours.
  static let crease: UInt8 = 2
}
