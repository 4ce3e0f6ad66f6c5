/// The analytic edge-antialiasing pass on the fine grid (METHODS §1.7), after nvdiffrast's
/// `antialias`, re-derived for the CPU.
///
/// For every pair of 4-neighbours `(p0, p1)` whose triangle ids differ:
/// 1. the front triangle is the one with the smaller depth at its own sample (background is
///    infinitely far; on a tie, `p0`'s);
/// 2. its candidate edges are its silhouette edges (see ``Renderer``'s face stage);
/// 3. a candidate qualifies when its projection crosses the segment `p0 → p1`, horizontal pairs
///    taking edges with `|Δrow| ≥ |Δcol|`, vertical pairs edges with `|Δcol| > |Δrow|`; the
///    lowest local edge index wins; `t ∈ [0, 1]` is the crossing position from `p0`'s centre;
/// 4. with point-sampled colours `c0`, `c1`: if `t < 0.5`, `out(p0) += (0.5 − t)(c1 − c0)`,
///    else `out(p1) += (t − 0.5)(c0 − c1)`.
///
/// Contributions are accumulated in a fixed order (horizontal pairs row by row, then vertical
/// pairs row by row), so the result is deterministic.
enum EdgeAntialiasing {
  /// A qualifying crossing: the edge crosses the pair's segment at `t` from `p0`.
  struct Crossing<Scalar: RenderScalar> {
    /// Local edge index (0: v0v1, 1: v1v2, 2: v2v0) of the front triangle.
    var edge: Int
    /// Crossing position in [0, 1], pixel units from the centre of `p0`.
    var t: Scalar
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
    let id0 = ws.ids[p0]
    let id1 = ws.ids[p1]
    if id0 == id1 { return }
    let front: Int32
    if id0 < 0 {
      front = id1
    } else if id1 < 0 {
      front = id0
    } else {
      front = ws.depth[p0] <= ws.depth[p1] ? id0 : id1
    }
    guard ws.edgeMask[Int(front)] != 0,
      let crossing = crossing(
        ws, renderer, face: Int(front), along: along, from: from,
        horizontal: horizontal)
    else { return }
    let c0 = SIMD3(ws.shaded[3 * p0], ws.shaded[3 * p0 + 1], ws.shaded[3 * p0 + 2])
    let c1 = SIMD3(ws.shaded[3 * p1], ws.shaded[3 * p1 + 1], ws.shaded[3 * p1 + 2])
    let t = crossing.t
    if t < 0.5 {
      let delta = (0.5 - t) * (c1 - c0)
      ws.colour[3 * p0] += delta.x
      ws.colour[3 * p0 + 1] += delta.y
      ws.colour[3 * p0 + 2] += delta.z
    } else {
      let delta = (t - 0.5) * (c0 - c1)
      ws.colour[3 * p1] += delta.x
      ws.colour[3 * p1 + 1] += delta.y
      ws.colour[3 * p1 + 2] += delta.z
    }
  }

  /// The first candidate edge of `face` whose projection crosses the pair's segment.
  @inline(__always)
  static func crossing<Scalar: RenderScalar>(
    _ ws: RenderWorkspace<Scalar>, _ renderer: Renderer<Scalar>, face: Int, along: Scalar,
    from: Scalar, horizontal: Bool
  ) -> Crossing<Scalar>? {
    let mask = ws.edgeMask[face]
    let t = renderer.scene.triangles[face]
    let near = renderer.settings.near
    for k in 0..<3 where mask & (1 << UInt8(k)) != 0 {
      let a = Int(t[k])
      let b = Int(t[(k + 1) % 3])
      guard ws.viewZ[a] >= near, ws.viewZ[b] >= near else { continue }
      // Coordinates (axial, across): horizontal pairs run along columns at a fixed row.
      let sa = ws.projected[a]
      let sb = ws.projected[b]
      let (axialA, acrossA, axialB, acrossB) =
        horizontal ? (sa.x, sa.y, sb.x, sb.y) : (sa.y, sa.x, sb.y, sb.x)
      let dAcross = acrossB - acrossA
      let dAxial = axialB - axialA
      // Horizontal pairs take edges with |Δrow| ≥ |Δcol|, vertical pairs |Δcol| > |Δrow|.
      let steep = horizontal ? abs(dAcross) >= abs(dAxial) : abs(dAcross) > abs(dAxial)
      guard steep, dAcross != 0 else { continue }
      guard along >= min(acrossA, acrossB), along <= max(acrossA, acrossB) else { continue }
      let position = axialA + (along - acrossA) * dAxial / dAcross - from
      if position >= 0 && position <= 1 { return Crossing(edge: k, t: position) }
    }
    return nil
  }
}
