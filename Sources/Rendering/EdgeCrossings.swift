/// Where the view's candidate edges (silhouettes and, with flat shading, creases) cross the
/// segments between neighbouring fine samples: the edge pass's work list, built once per render
/// by the face stage and sorted in the pass's order (horizontal pairs row by row, then vertical
/// pairs), so the pass visits only pairs an edge crosses.
///
/// Every edge is walked along the rows it spans (crossing horizontal pairs) and along the
/// columns (crossing vertical pairs), whatever its slope: its orientation weight
/// (``EdgeAntialiasing``) decides how much each pair takes. At each row (column) it crosses
/// the segment between two neighbouring samples at `t` from the first; an edge through a
/// sample centre crosses the pairs on both sides (at `t = 1` and `t = 0`). Pairs reach one
/// sample beyond the grid's border, so border samples blend with what lies just outside.
struct EdgeCrossing<Scalar: RenderScalar>: Sendable {
  /// The pair, numbered so that pairs sort in the pass's order, including the pairs between a
  /// border sample and the virtual one beyond it: horizontal pairs `row · (n + 1) + col + 1`
  /// with `col ∈ [−1, n − 1]` the first sample's column, then vertical pairs
  /// `n (n + 1) + (row + 1) · n + col` with `row ∈ [−1, n − 1]`.
  var pair: Int32
  /// The edge (an index into the topology's edges).
  var edge: Int32
  /// Crossing position in [0, 1] from the first sample.
  var t: Scalar
  /// Where along the edge it crosses: the fraction of the way from the edge's first vertex
  /// (``SceneMesh/edgeVertices``) to its second.
  var s: Scalar
  /// `1/Z` of the edge at the crossing (affine along the projected edge).
  var inverseDepth: Scalar

  /// The crossings of the edge from `a` to `b` (fine-grid records `(col, row, 1/Z, Z)`) with
  /// the pairs of one orientation on an `n × n` grid, appended to `list`.
  static func walk(
    edge: Int32, _ a: SIMD4<Scalar>, _ b: SIMD4<Scalar>, horizontal: Bool, gridSize n: Int,
    into list: inout [EdgeCrossing]
  ) {
    // (axial, across): horizontal pairs run along columns at a fixed row.
    let (axialA, acrossA, axialB, acrossB) =
      horizontal ? (a.x, a.y, b.x, b.y) : (a.y, a.x, b.y, b.x)
    let dAcross = acrossB - acrossA
    guard dAcross != 0, dAcross.isFinite, axialA.isFinite, axialB.isFinite else { return }
    let dAxial = axialB - axialA
    let low = max(0, min(acrossA, acrossB).rounded(.up))
    let high = min(Scalar(n - 1), max(acrossA, acrossB).rounded(.down))
    guard low <= high else { return }
    let base = horizontal ? 0 : n * (n + 1)
    for lineIndex in low.intValue...high.intValue {
      let along = Scalar(lineIndex)
      let s = (along - acrossA) / dAcross
      let position = axialA + s * dAxial
      let first = position.rounded(.down)
      let inverseDepth = a.z + s * (b.z - a.z)
      // The pair starting at `first` (t = position − first), and the one before when the
      // edge passes through a sample centre (t = 1).
      for back in 0..<2 {
        let from = first - Scalar(back)
        let t = position - from
        guard t >= 0 && t <= 1, from >= -1, from <= Scalar(n - 1) else { continue }
        let index =
          horizontal
          ? lineIndex * (n + 1) + from.intValue + 1 : (from.intValue + 1) * n + lineIndex
        list.append(
          EdgeCrossing(
            pair: Int32(base + index), edge: edge, t: t, s: s, inverseDepth: inverseDepth))
        if t != 0 { break }
      }
    }
  }
}
