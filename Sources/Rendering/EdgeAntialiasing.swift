/// The analytic edge-antialiasing pass on the fine grid (METHODS §1.7), after nvdiffrast's
/// `antialias`, re-derived for the CPU, with two changes that keep the image continuous in the
/// camera parameters (so that its derivative, the tangent images, agrees with differences).
///
/// For every pair of 4-neighbours `(p0, p1)` whose triangle ids differ:
/// 1. pairs on two triangles that share an edge which is not a candidate (one smooth surface)
///    are skipped;
/// 2. a silhouette edge (boundary and non-manifold edges, edges between faces of opposite σ;
///    see ``Renderer``'s face stage) crosses the pair when its projection crosses the segment
///    `p0 → p1` (horizontal pairs take edges with `|Δrow| ≥ |Δcol|`, vertical pairs edges with
///    `|Δcol| > |Δrow|`) in front of the farther sample (its `1/Z`, affine along the projected
///    edge, exceeds the farther sample's; background is infinitely far), at `t ∈ [0, 1]` from
///    `p0`'s centre (listed per render by walking each edge, ``SilhouetteCrossing``);
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
    var face: Int32
    /// Local edge index (0: v0v1, 1: v1v2, 2: v2v0) of `face`.
    var edge: Int32
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
    forEachWorkItem(ws) { item in
      guard let crossings = crossings(ws, renderer, item) else { return }
      let (w0, w1) = crossings.weights
      let (p0, p1) = (item.p0, item.p1)
      for c in 0..<3 {
        let difference = ws.shaded[3 * p1 + c] - ws.shaded[3 * p0 + c]
        ws.colour[3 * p0 + c] += w0 * difference
        ws.colour[3 * p1 + c] -= w1 * difference
      }
    }
  }

  /// A pair of neighbouring fine samples that may blend.
  struct WorkItem<Scalar: RenderScalar> {
    /// The first and second sample (flat indices; `p1` is right of or below `p0`).
    var p0: Int
    var p1: Int
    /// The pair's fixed coordinate (row for horizontal pairs, column for vertical ones) and
    /// `p0`'s coordinate along the pair axis.
    var along: Scalar
    var from: Scalar
    var horizontal: Bool
    /// The pair's silhouette crossings in ``RenderWorkspace/silhouetteCrossings``.
    var silhouettes: Range<Int>
  }

  /// Calls `body` for every pair of 4-neighbours with different ids that a silhouette crosses
  /// (and, when flat shading's creases are candidates, every pair with different ids), in the
  /// pass's fixed order: horizontal pairs row by row, then vertical pairs.
  @inline(__always)
  static func forEachWorkItem<Scalar: RenderScalar>(
    _ ws: RenderWorkspace<Scalar>, _ body: (WorkItem<Scalar>) -> Void
  ) {
    let n = ws.fineSize
    let ids = ws.ids
    func item(_ pair: Int, _ silhouettes: Range<Int>) -> WorkItem<Scalar>? {
      let horizontal = pair < n * n
      let p0 = horizontal ? pair : pair - n * n
      let p1 = horizontal ? p0 + 1 : p0 + n
      guard ids[p0] != ids[p1] else { return nil }
      let (row, col) = (p0 / n, p0 % n)
      return WorkItem(
        p0: p0, p1: p1, along: Scalar(horizontal ? row : col), from: Scalar(horizontal ? col : row),
        horizontal: horizontal, silhouettes: silhouettes)
    }
    ws.silhouetteCrossings.withUnsafeBufferPointer { list in
      var i = 0
      // The group of crossings of `pair` starting at `i` (empty when the next is another's).
      func group(_ pair: Int) -> Range<Int> {
        var j = i
        while j < list.count && Int(list[j].pair) == pair { j += 1 }
        defer { i = j }
        return i..<j
      }
      if !ws.hasCreases {
        while i < list.count {
          let pair = Int(list[i].pair)
          if let work = item(pair, group(pair)) { body(work) }
        }
        return
      }
      for pair in 0..<(2 * n * n) {
        let horizontal = pair < n * n
        let p0 = horizontal ? pair : pair - n * n
        guard horizontal ? p0 % n < n - 1 : p0 < n * (n - 1) else { continue }
        let silhouettes = group(pair)
        if let work = item(pair, silhouettes) { body(work) }
      }
    }
  }

  /// The crossings of a work item, or `nil` when the pair lies on one smooth surface (two
  /// triangles sharing a non-candidate edge) or nothing crosses: its silhouette crossings in
  /// front of the farther sample, else (flat shading) the front triangle's first crease edge
  /// that crosses.
  @inline(__always)
  static func crossings<Scalar: RenderScalar>(
    _ ws: RenderWorkspace<Scalar>, _ renderer: Renderer<Scalar>, _ item: WorkItem<Scalar>
  ) -> Crossings<Scalar>? {
    let (p0, p1) = (item.p0, item.p1)
    let id0 = ws.ids[p0]
    let id1 = ws.ids[p1]
    if id0 >= 0 && id1 >= 0 {
      let across = renderer.scene.faceNeighbours[Int(id0)]
      let mask = ws.edgeMask[Int(id0)] & 7
      for k in 0..<3 where across[k] == id1 && mask & (1 << UInt8(k)) == 0 { return nil }
    }
    var found = Crossings<Scalar>()
    if !item.silhouettes.isEmpty {
      // 1/Z of the farther sample (0 for background).
      let far = max(ws.depth[p0], ws.depth[p1])
      let farInverse: Scalar = far.isFinite ? 1 / far : 0
      ws.silhouetteCrossings.withUnsafeBufferPointer { list in
        for i in item.silhouettes where list[i].inverseDepth > farInverse {
          found.insert(Crossing(face: list[i].edge >> 2, edge: list[i].edge & 3, t: list[i].t))
        }
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
        ws.projected[a], ws.projected[b], along: item.along, from: item.from,
        horizontal: item.horizontal)
      {
        found.insert(Crossing(face: front, edge: Int32(k), t: t))
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
