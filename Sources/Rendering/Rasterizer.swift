/// The visibility stage: triangles to the fine-grid G-buffer (METHODS §1.5).
///
/// Algorithm, per triangle in index order:
/// 1. Screen-space edge functions `E(p, q, r) = (q_x − p_x)(r_y − p_y) − (q_y − p_y)(r_x − p_x)`
///    evaluated at integer pixel centres. Each edge is evaluated from a **canonical** endpoint
///    order (lexicographically smaller screen point first) and negated as needed, so two
///    triangles sharing an edge compute exactly opposite values: with the top-left rule a
///    sample on a shared edge is covered exactly once, whatever the rounding.
/// 2. Coverage: every oriented `e_i ≥ 0` (inclusive rule) or `e_i > 0`, with `e_i = 0` allowed
///    on top and left edges (top-left rule); triangles with zero screen area are skipped.
/// 3. Screen barycentrics `λ_i = e_i / |E|`, perspective weights `w_i = λ_i / Z_i`, depth
///    `Z = 1 / Σ w_i`, perspective-correct weights `μ_i = w_i Z`; samples with `Z < near` or
///    `Z > far` are discarded.
/// 4. Depth test with strict `<`: on exact depth ties the lower face index (drawn first) wins.
///
/// Triangles crossing the near plane are clipped in view space (Sutherland–Hodgman) and the
/// pieces rasterised with weights mapped back to the original triangle, or discarded whole.
struct Rasterizer<Scalar: RenderScalar> {
  let fineSize: Int
  let fillRule: FillRule
  let near: Scalar
  let far: Scalar
  /// `fineSize − 1`, the last pixel index (kept, not recomputed per triangle).
  let lastPixel: Int

  init(fineSize: Int, fillRule: FillRule, near: Scalar, far: Scalar) {
    self.fineSize = fineSize
    self.fillRule = fillRule
    self.near = near
    self.far = far
    lastPixel = fineSize - 1
  }

  /// Barycentric coordinates of a clipped sub-triangle's vertices in the original triangle.
  struct ClipMap {
    var b0: SIMD3<Scalar>
    var b1: SIMD3<Scalar>
    var b2: SIMD3<Scalar>
  }

  /// Rasterises one triangle given its fine-grid screen positions and inverse depths.
  @inline(__always)
  func rasterize(
    face: Int32, _ s0: SIMD2<Scalar>, _ s1: SIMD2<Scalar>, _ s2: SIMD2<Scalar>,
    inverseZ w: SIMD3<Scalar>, map: ClipMap?, bounds: (Int, Int, Int, Int),
    into ws: RenderWorkspace<Scalar>
  ) {
    // The pixel centres to test, inside the grid (see ``pixelRange(_:_:_:)``).
    let (x0, x1, y0, y1) = bounds

    // Canonical edges: edge i joins s_{i+1} → s_{i+2} (plain scalars: the setup runs for most
    // triangles, and scalar code keeps it short).
    let e0 = Edge(from: s1.x, s1.y, to: s2.x, s2.y)
    let e1 = Edge(from: s2.x, s2.y, to: s0.x, s0.y)
    let e2 = Edge(from: s0.x, s0.y, to: s1.x, s1.y)
    // Signed doubled area E(s1, s2, s0), from edge 0's own function so signs agree.
    let area = e0.sign * e0.value(s0.x, s0.y)
    guard area != 0, area.isFinite else { return }
    let orient: Scalar = area > 0 ? 1 : -1
    let g0 = e0.sign * orient
    let g1 = e1.sign * orient
    let g2 = e2.sign * orient
    let scale = 1 / abs(area)
    // Weight per unit oriented edge value, with 1/Z_i folded in: w_i = v_i · |E|⁻¹ / Z_i.
    let s0w = scale * w.x
    let s1w = scale * w.y
    let s2w = scale * w.z
    let inclusive = fillRule == .inclusive
    let open0 = !(inclusive || e0.isTopLeft(oriented: g0))
    let open1 = !(inclusive || e1.isTopLeft(oriented: g1))
    let open2 = !(inclusive || e2.isTopLeft(oriented: g2))
    let near = self.near
    let far = self.far
    let n = fineSize

    let ids = ws.ids
    let depth = ws.depth
    let mu0 = ws.mu0
    let mu1 = ws.mu1
    var y = y0
    while y <= y1 {
      let ry = Scalar(y)
      let row0 = e0.dx * (ry - e0.py)
      let row1 = e1.dx * (ry - e1.py)
      let row2 = e2.dx * (ry - e2.py)
      var x = x0
      while x <= x1 {
        defer { x &+= 1 }
        let rx = Scalar(x)
        // Oriented edge values g_i E_i: exact negatives of a neighbour's on a shared edge.
        let v0 = g0 * (row0 - e0.dy * (rx - e0.px))
        let v1 = g1 * (row1 - e1.dy * (rx - e1.px))
        let v2 = g2 * (row2 - e2.dy * (rx - e2.px))
        if v0 < 0 || v1 < 0 || v2 < 0 { continue }
        if (v0 == 0 && open0) || (v1 == 0 && open1) || (v2 == 0 && open2) { continue }
        // w_i = λ_i / Z_i with λ_i = v_i / |E|; Z = 1 / Σ w_i; μ_i = w_i Z.
        let a0 = v0 * s0w
        let a1 = v1 * s1w
        let a2 = v2 * s2w
        let z = 1 / (a0 + a1 + a2)
        let p = y &* n &+ x
        guard z >= near, z <= far, z < depth[p] else { continue }
        ids[p] = face
        depth[p] = z
        if let map {
          let m = (a0 * z) * map.b0 + (a1 * z) * map.b1 + (a2 * z) * map.b2
          mu0[p] = m.x
          mu1[p] = m.y
        } else {
          mu0[p] = a0 * z
          mu1[p] = a1 * z
        }
      }
      y &+= 1
    }
  }

  /// One triangle edge in canonical form: anchor `(px, py)` at the lexicographically smaller
  /// endpoint, direction `(dx, dy)` to the other, and `sign` with
  /// `E(a, b, r) = sign · E(p, q, r)` for the edge as the triangle traverses it.
  struct Edge {
    var px: Scalar
    var py: Scalar
    var dx: Scalar
    var dy: Scalar
    var sign: Scalar

    @inline(__always)
    init(from ax: Scalar, _ ay: Scalar, to bx: Scalar, _ by: Scalar) {
      if ax < bx || (ax == bx && ay <= by) {
        (px, py, dx, dy, sign) = (ax, ay, bx - ax, by - ay, 1)
      } else {
        (px, py, dx, dy, sign) = (bx, by, ax - bx, ay - by, -1)
      }
    }

    /// `E(p, q, r) = dx (r_y − p_y) − dy (r_x − p_x)`, in the same operation order as the
    /// per-sample loop.
    @inline(__always)
    func value(_ rx: Scalar, _ ry: Scalar) -> Scalar { dx * (ry - py) - dy * (rx - px) }

    /// Top-left test for the edge oriented by `g` (inside where `g E ≥ 0`): the gradient of
    /// `g E` is `(−g dy, g dx)`; a left edge has its inside to the right (∂/∂x > 0), a top edge
    /// is horizontal with its inside below (∂/∂y > 0, rows grow downwards).
    @inline(__always)
    func isTopLeft(oriented g: Scalar) -> Bool {
      let ax = -g * dy
      let ay = g * dx
      return ax > 0 || (ax == 0 && ay > 0)
    }
  }

  /// The integer pixel bounds `(ceil col, floor col, ceil row, floor row)` of a screen position.
  ///
  /// The position is clamped to [−1, limit] first; NaN (a vertex in the eye plane) maps to an
  /// empty range. Computed once per vertex, so a triangle's pixel range is integer min/max
  /// (baseline x86-64 has no rounding instruction, and per-triangle float rounding showed in
  /// profiles).
  @inline(__always)
  static func integerBounds(_ col: Scalar, _ row: Scalar, limit: Int) -> SIMD4<Int32> {
    let upper = Scalar(limit)
    func clamped(_ v: Scalar) -> Scalar { v.isNaN ? -1 : min(max(v, -1), upper) }
    // Truncation of a value in [−1, limit] is floor except on (−1, 0), where floor is −1.
    func floor(_ v: Scalar) -> Int32 {
      let t = Int32(v.intValue)
      return Scalar(t) > v ? t - 1 : t
    }
    let c = clamped(col)
    let r = clamped(row)
    let fc = floor(c)
    let fr = floor(r)
    return SIMD4(Scalar(fc) < c ? fc + 1 : fc, fc, Scalar(fr) < r ? fr + 1 : fr, fr)
  }

  /// The pixel centres a triangle can cover: from the smallest ceil to the largest floor of its
  /// vertices' ``integerBounds(_:_:limit:)``, per axis, inside the grid, as
  /// `(x0, x1, y0, y1)`; empty when `x0 > x1` or `y0 > y1`.
  @inline(__always)
  func pixelRange(_ b0: SIMD4<Int32>, _ b1: SIMD4<Int32>, _ b2: SIMD4<Int32>)
    -> (Int, Int, Int, Int)
  {
    let low = pointwiseMin(pointwiseMin(b0, b1), b2)
    let high = pointwiseMax(pointwiseMax(b0, b1), b2)
    return (
      max(Int(low.x), 0), min(Int(high.y), lastPixel), max(Int(low.z), 0),
      min(Int(high.w), lastPixel)
    )
  }

  /// ``rasterize(face:_:_:_:inverseZ:map:bounds:into:)`` with the pixel range computed from the
  /// screen positions (clipped pieces, tests).
  func rasterize(
    face: Int32, _ s0: SIMD2<Scalar>, _ s1: SIMD2<Scalar>, _ s2: SIMD2<Scalar>,
    inverseZ w: SIMD3<Scalar>, map: ClipMap?, into ws: RenderWorkspace<Scalar>
  ) {
    let bounds = pixelRange(
      Self.integerBounds(s0.x, s0.y, limit: fineSize),
      Self.integerBounds(s1.x, s1.y, limit: fineSize),
      Self.integerBounds(s2.x, s2.y, limit: fineSize))
    guard bounds.0 <= bounds.1, bounds.2 <= bounds.3 else { return }
    rasterize(face: face, s0, s1, s2, inverseZ: w, map: map, bounds: bounds, into: ws)
  }
}
