/// Where the view's silhouette edges cross the segments between neighbouring fine samples:
/// the edge pass's work list, built once per render by the face stage and sorted in the pass's
/// order (horizontal pairs row by row, then vertical pairs), so the pass visits only pairs a
/// silhouette crosses instead of testing every pair.
///
/// A silhouette edge is walked along the rows it spans (edges with `|Δrow| ≥ |Δcol|`, for
/// horizontal pairs) or the columns (the others, for vertical pairs); at each it crosses the
/// segment between two neighbouring samples at `t` from the first. An edge through a sample
/// centre crosses the pairs on both sides (at `t = 1` and `t = 0`).
struct SilhouetteCrossing<Scalar: RenderScalar>: Sendable {
  /// The pair: `row · n + col` of its first sample for horizontal pairs, `n² + row · n + col`
  /// for vertical ones.
  var pair: Int32
  /// The edge, `face · 4 + local edge`.
  var edge: Int32
  /// Crossing position in [0, 1] from the first sample.
  var t: Scalar
  /// `1/Z` of the edge at the crossing (affine along the projected edge).
  var inverseDepth: Scalar

  /// The sort key: pair, then edge (unique, since an edge crosses a pair at most once).
  var order: UInt64 { UInt64(UInt32(bitPattern: pair)) << 32 | UInt64(UInt32(bitPattern: edge)) }

  /// The crossings of the edge from `a` to `b` (fine-grid records `(col, row, 1/Z, Z)`) on an
  /// `n × n` grid, appended to `list`.
  static func walk(
    edge: Int32, _ a: SIMD4<Scalar>, _ b: SIMD4<Scalar>, gridSize n: Int,
    into list: inout [SilhouetteCrossing]
  ) {
    let horizontal = abs(b.y - a.y) >= abs(b.x - a.x)
    // (axial, across): horizontal pairs run along columns at a fixed row.
    let (axialA, acrossA, axialB, acrossB) =
      horizontal ? (a.x, a.y, b.x, b.y) : (a.y, a.x, b.y, b.x)
    let dAcross = acrossB - acrossA
    guard dAcross != 0, dAcross.isFinite, axialA.isFinite, axialB.isFinite else { return }
    let dAxial = axialB - axialA
    let low = max(0, min(acrossA, acrossB).rounded(.up))
    let high = min(Scalar(n - 1), max(acrossA, acrossB).rounded(.down))
    guard low <= high else { return }
    let base: Int32 = horizontal ? 0 : Int32(n * n)
    for lineIndex in low.intValue...high.intValue {
      let along = Scalar(lineIndex)
      let s = (along - acrossA) / dAcross
      let position = axialA + s * dAxial
      let first = position.rounded(.down)
      let inverseDepth = a.z + s * (b.z - a.z)
      // The pair starting at `first` (t = position − first), and the one before when the
      // edge passes through a sample centre (t = 1).
      for from in [first, first - 1] {
        let t = position - from
        guard t >= 0 && t <= 1, from >= 0, from <= Scalar(n - 2) else { continue }
        let (row, col) = horizontal ? (lineIndex, from.intValue) : (from.intValue, lineIndex)
        list.append(
          SilhouetteCrossing(
            pair: base + Int32(row * n + col), edge: edge, t: t, inverseDepth: inverseDepth))
        if t != 0 { break }
      }
    }
  }
}
