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
    inverseZ w: SIMD3<Scalar>, map: ClipMap?, into ws: RenderWorkspace<Scalar>
  ) {
    // Bounding box of pixel centres (integers) inside the grid.
    let limit = Scalar(fineSize - 1)
    let minX = min(s0.x, s1.x, s2.x)
    let maxX = max(s0.x, s1.x, s2.x)
    let minY = min(s0.y, s1.y, s2.y)
    let maxY = max(s0.y, s1.y, s2.y)
    guard maxX >= 0, maxY >= 0, minX <= limit, minY <= limit else { return }
    // The clamped bounds are in [0, limit], so truncation is floor; ceil adds one when the
    // value is not an integer (baseline x86-64 has no rounding instruction: no libm calls).
    let x0 = Self.ceilNonNegative(max(minX, 0))
    let x1 = min(maxX, limit).intValue
    let y0 = Self.ceilNonNegative(max(minY, 0))
    let y1 = min(maxY, limit).intValue
    guard x0 <= x1, y0 <= y1 else { return }

    // Canonical edges: edge i joins s_{i+1} → s_{i+2}.
    let (p0, d0, f0) = Self.canonical(s1, s2)
    let (p1, d1, f1) = Self.canonical(s2, s0)
    let (p2, d2, f2) = Self.canonical(s0, s1)
    // Signed doubled area E(s1, s2, s0), from edge 0's own function so signs agree.
    let area = f0 * (d0.x * (s0.y - p0.y) - d0.y * (s0.x - p0.x))
    guard area != 0, area.isFinite else { return }
    let orient: Scalar = area > 0 ? 1 : -1
    let g0 = f0 * orient
    let g1 = f1 * orient
    let g2 = f2 * orient
    let inverseArea = 1 / abs(area)
    let inclusive = fillRule == .inclusive
    let open0 = !(inclusive || Self.isTopLeft(g0, d0))
    let open1 = !(inclusive || Self.isTopLeft(g1, d1))
    let open2 = !(inclusive || Self.isTopLeft(g2, d2))
    let near = self.near
    let far = self.far
    let n = fineSize

    let ids = ws.ids
    let depth = ws.depth
    let mu0 = ws.mu0
    let mu1 = ws.mu1
    for y in y0...y1 {
      let ry = Scalar(y)
      let row0 = d0.x * (ry - p0.y)
      let row1 = d1.x * (ry - p1.y)
      let row2 = d2.x * (ry - p2.y)
      for x in x0...x1 {
        let rx = Scalar(x)
        let e0 = g0 * (row0 - d0.y * (rx - p0.x))
        let e1 = g1 * (row1 - d1.y * (rx - p1.x))
        let e2 = g2 * (row2 - d2.y * (rx - p2.x))
        if e0 < 0 || e1 < 0 || e2 < 0 { continue }
        if (e0 == 0 && open0) || (e1 == 0 && open1) || (e2 == 0 && open2) { continue }
        let a0 = e0 * inverseArea * w.x
        let a1 = e1 * inverseArea * w.y
        let a2 = e2 * inverseArea * w.z
        let z = 1 / (a0 + a1 + a2)
        let p = y * n + x
        guard z >= near, z <= far, z < depth[p] else { continue }
        ids[p] = face
        depth[p] = z
        if let map {
          let mu = (a0 * z) * map.b0 + (a1 * z) * map.b1 + (a2 * z) * map.b2
          mu0[p] = mu.x
          mu1[p] = mu.y
        } else {
          mu0[p] = a0 * z
          mu1[p] = a1 * z
        }
      }
    }
  }

  /// `ceil(value)` for a finite `value ≥ 0`.
  @inline(__always)
  static func ceilNonNegative(_ value: Scalar) -> Int {
    let floor = value.intValue
    return Scalar(floor) < value ? floor + 1 : floor
  }

  /// The canonical form of edge a→b: anchor `p`, direction `d = q − p` with `p` the
  /// lexicographically smaller endpoint, and the sign `f` with `E(a, b, r) = f · E(p, q, r)`.
  @inline(__always)
  static func canonical(_ a: SIMD2<Scalar>, _ b: SIMD2<Scalar>)
    -> (SIMD2<Scalar>, SIMD2<Scalar>, Scalar)
  {
    if a.x < b.x || (a.x == b.x && a.y <= b.y) { return (a, b - a, 1) }
    return (b, a - b, -1)
  }

  /// Top-left test for an oriented edge with inside where `e ≥ 0`: the gradient of
  /// `e = g (d.x (r_y − p_y) − d.y (r_x − p_x))` is `(−g d.y, g d.x)`; a left edge has its
  /// inside to the right (∂e/∂x > 0), a top edge is horizontal with its inside below (∂e/∂y > 0,
  /// rows grow downwards).
  @inline(__always)
  static func isTopLeft(_ g: Scalar, _ d: SIMD2<Scalar>) -> Bool {
    let ax = -g * d.y
    let ay = g * d.x
    return ax > 0 || (ax == 0 && ay > 0)
  }
}
