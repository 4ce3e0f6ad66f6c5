/// The analytic edge-antialiasing pass on the fine grid (METHODS §1.7), after nvdiffrast's
/// `antialias`, re-derived for the CPU, with two changes that keep the image continuous in the
/// camera parameters (so that its derivative, the tangent images, agrees with differences).
///
/// For every pair of 4-neighbours `(p0, p1)` whose triangle ids differ:
/// 1. pairs on two triangles that share an edge which is not a candidate (one smooth surface)
///    are skipped;
/// 2. silhouette edges (boundary and non-manifold edges, edges between faces of opposite σ; see
///    ``Renderer``'s face stage) are binned on the fine grid (``EdgeGrid``); one crosses the
///    pair when its projection crosses the segment `p0 → p1` (horizontal pairs take edges with
///    `|Δrow| ≥ |Δcol|`, vertical pairs edges with `|Δcol| > |Δrow|`) in front of the farther
///    sample (its `1/Z`, affine along the projected edge, exceeds the farther sample's;
///    background is infinitely far), at `t ∈ [0, 1]` from `p0`'s centre;
/// 3. the silhouette crossings `t_1 ≤ … ≤ t_m` cut the segment into intervals that belong
///    alternately to `p0`'s side and `p1`'s, starting with `p0`'s; with point-sampled colours
///    `c0`, `c1`, `out(p0) += |p1's side ∩ [0, ½]| (c1 − c0)` and
///    `out(p1) += |p0's side ∩ [½, 1]| (c0 − c1)`. With one crossing this is METHODS §1.7 step 5
///    exactly: `(½ − t)(c1 − c0)` into `p0` when `t < ½`, else `(t − ½)(c0 − c1)` into `p1`;
/// 4. when no silhouette crosses, METHODS §1.7 as written: the front triangle (the smaller
///    depth at its own sample; background is infinitely far) and the first of its candidate
///    edges (silhouettes and, with flat shading, creases) that crosses, by local edge index,
///    blended as in step 3 with that one crossing. Crease chains on one surface have no
///    inside and outside, so their crossings do not alternate.
///
/// METHODS §1.7 (after nvdiffrast) takes only the front triangle's own edges and the first
/// that crosses, for silhouettes too. But the contour of a smooth closed mesh runs along triangles seen almost
/// edge-on, slivers that rarely cover a sample: the samples beside the contour lie on other
/// triangles, the literal rule blends few of them, and the image jumps whenever a sliver
/// crosses a sample centre (a bumpy sphere's aggregate derivative along the distance came out
/// 35% low). And a tessellated contour zigzags, so one segment can be crossed several times;
/// taking one crossing makes the blend jump when another becomes the first, where the
/// intervals change continuously.
///
/// Contributions are accumulated in a fixed order (horizontal pairs row by row, then vertical
/// pairs row by row), so the result is deterministic.
enum EdgeAntialiasing {
  /// A crossing of a work item's segment: `face`'s local edge `edge` crosses at `t` from `p0`.
  struct Crossing<Scalar: RenderScalar> {
    /// The face whose edge crosses.
    var face: Int
    /// Local edge index (0: v0v1, 1: v1v2, 2: v2v0) of `face`.
    var edge: Int
    /// Crossing position in [0, 1], pixel units from the centre of `p0`.
    var t: Scalar
  }

  /// The crossings of one work item, sorted by `t` (at most ``capacity``; further ones, which
  /// would need an edge every sixth of a sample, are dropped).
  struct Crossings<Scalar: RenderScalar> {
    static var capacity: Int { 6 }
    var items: InlineArray<6, Crossing<Scalar>>
    var count = 0

    init() { items = InlineArray(repeating: Crossing(face: 0, edge: 0, t: 0)) }

    /// Inserts `c` in `t` order (ties by face and edge, for determinism).
    mutating func insert(_ c: Crossing<Scalar>) {
      guard count < Self.capacity else { return }
      var i = count
      while i > 0 {
        let previous = items[i - 1]
        let after =
          previous.t > c.t
          || (previous.t == c.t && (previous.face, previous.edge) > (c.face, c.edge))
        guard after else { break }
        items[i] = previous
        i -= 1
      }
      items[i] = c
      count += 1
    }

    /// The blend weights `(w0, w1)`: `out(p0) += w0 (c1 − c0)`, `out(p1) += w1 (c0 − c1)`
    /// (step 4).
    var weights: (toFirst: Scalar, toSecond: Scalar) {
      var w0: Scalar = 0
      var w1: Scalar = 0
      var start: Scalar = 0
      for i in 0...count {
        let end = i < count ? items[i].t : 1
        if i % 2 == 1 {
          w0 += max(0, min(end, 0.5) - start)
        } else {
          w1 += max(0, end - max(start, 0.5))
        }
        start = end
      }
      return (w0, w1)
    }
  }

  /// Applies the pass: `ws.colour = ws.shaded + contributions`.
  static func apply<Scalar: RenderScalar>(
    renderer: Renderer<Scalar>, workspace ws: RenderWorkspace<Scalar>
  ) {
    _ = ws.colour.update(fromContentsOf: ws.shaded)
    let n = ws.fineSize
    for y in 0..<n {
      for x in 0..<(n - 1) {
        blend(
          ws, renderer, y * n + x, y * n + x + 1, along: Scalar(y), from: Scalar(x),
          horizontal: true)
      }
    }
    for y in 0..<(n - 1) {
      for x in 0..<n {
        blend(
          ws, renderer, y * n + x, (y + 1) * n + x, along: Scalar(x), from: Scalar(y),
          horizontal: false)
      }
    }
  }

  /// Handles one work item: the pair of fine samples `p0`, `p1` (flat indices), with `along`
  /// the pair's fixed coordinate (row for horizontal pairs, column for vertical ones) and
  /// `from` the coordinate of `p0` along the pair axis.
  @inline(__always)
  static func blend<Scalar: RenderScalar>(
    _ ws: RenderWorkspace<Scalar>, _ renderer: Renderer<Scalar>, _ p0: Int, _ p1: Int,
    along: Scalar, from: Scalar, horizontal: Bool
  ) {
    guard
      let crossings = crossings(
        ws, renderer, p0, p1, along: along, from: from, horizontal: horizontal)
    else { return }
    let (w0, w1) = crossings.weights
    for c in 0..<3 {
      let difference = ws.shaded[3 * p1 + c] - ws.shaded[3 * p0 + c]
      ws.colour[3 * p0 + c] += w0 * difference
      ws.colour[3 * p1 + c] -= w1 * difference
    }
  }

  /// The crossings of the work item `(p0, p1)` (steps 1–3), or `nil` when the ids agree, the
  /// pair lies on one smooth surface or no candidate crosses.
  @inline(__always)
  static func crossings<Scalar: RenderScalar>(
    _ ws: RenderWorkspace<Scalar>, _ renderer: Renderer<Scalar>, _ p0: Int, _ p1: Int,
    along: Scalar, from: Scalar, horizontal: Bool
  ) -> Crossings<Scalar>? {
    let id0 = ws.ids[p0]
    let id1 = ws.ids[p1]
    if id0 == id1 { return nil }
    unowned(unsafe) let grid = ws.edgeGrid
    // p0's row and column are the pair's integer `along` and `from` (or the reverse).
    let (row, col) = horizontal ? (Int(along), Int(from)) : (Int(from), Int(along))
    let cell = grid.cell(row: row, col: col)
    let first = Int(grid.start[cell])
    let end = Int(grid.start[cell + 1])
    // Most pairs lie inside the surface, far from any silhouette and (smooth shading) crease.
    if first == end && !ws.hasCreases { return nil }
    if id0 >= 0 && id1 >= 0 {
      let across = renderer.scene.faceNeighbours[Int(id0)]
      let mask = ws.edgeMask[Int(id0)] & 7
      for k in 0..<3 where across[k] == id1 && mask & (1 << UInt8(k)) == 0 { return nil }
    }
    var found = Crossings<Scalar>()
    if first < end {
      // 1/Z of the farther sample (0 for background).
      let far = max(ws.depth[p0], ws.depth[p1])
      let farInverse: Scalar = far.isFinite ? 1 / far : 0
      for i in first..<end {
        let entry = grid.entries[i]
        let sa = ws.projected[Int(grid.vertexA[i])]
        let sb = ws.projected[Int(grid.vertexB[i])]
        guard
          let (t, s) = crossing(sa, sb, along: along, from: from, horizontal: horizontal),
          sa.z + s * (sb.z - sa.z) > farInverse
        else { continue }
        found.insert(Crossing(face: Int(entry >> 2), edge: Int(entry & 3), t: t))
      }
      if found.count > 0 { return found }
    }
    guard ws.hasCreases else { return nil }
    // Step 4: the front triangle's own crease edges.
    let front: Int32
    if id0 < 0 {
      front = id1
    } else if id1 < 0 {
      front = id0
    } else {
      front = ws.depth[p0] <= ws.depth[p1] ? id0 : id1
    }
    let mask = ws.edgeMask[Int(front)]
    let creases = mask & 7 & ~(mask >> 4)
    guard creases != 0 else { return nil }
    let triangle = renderer.scene.triangles[Int(front)]
    for k in 0..<3 where creases & (1 << UInt8(k)) != 0 {
      let a = Int(triangle[k])
      let b = Int(triangle[(k + 1) % 3])
      guard ws.viewZ[a] >= renderer.settings.near, ws.viewZ[b] >= renderer.settings.near else {
        continue
      }
      if let (t, _) = crossing(
        ws.projected[a], ws.projected[b], along: along, from: from, horizontal: horizontal)
      {
        found.insert(Crossing(face: Int(front), edge: k, t: t))
        return found
      }
    }
    return nil
  }

  /// Where the edge from `sa` to `sb` (fine-grid `(col, row, 1/Z, Z)`) crosses a pair's
  /// segment: `t` from `p0`'s centre and `s`, the fraction of the way from `sa` to `sb`; `nil`
  /// when it does not cross or has the wrong slope for the pair (horizontal pairs take edges
  /// with `|Δrow| ≥ |Δcol|`, vertical pairs `|Δcol| > |Δrow|`).
  @inline(__always)
  static func crossing<Scalar: RenderScalar>(
    _ sa: SIMD4<Scalar>, _ sb: SIMD4<Scalar>, along: Scalar, from: Scalar, horizontal: Bool
  ) -> (t: Scalar, s: Scalar)? {
    let (axialA, acrossA, axialB, acrossB) =
      horizontal ? (sa.x, sa.y, sb.x, sb.y) : (sa.y, sa.x, sb.y, sb.x)
    let dAcross = acrossB - acrossA
    let dAxial = axialB - axialA
    let steep = horizontal ? abs(dAcross) >= abs(dAxial) : abs(dAcross) > abs(dAxial)
    guard steep, dAcross != 0 else { return nil }
    guard along >= min(acrossA, acrossB), along <= max(acrossA, acrossB) else { return nil }
    let s = (along - acrossA) / dAcross
    let t = axialA + s * dAxial - from
    guard t >= 0 && t <= 1 else { return nil }
    return (t, s)
  }

}
