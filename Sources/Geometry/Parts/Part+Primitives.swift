import Foundation

extension Part {
  /// A ring of a stacked surface: a closed loop of points, or a single point where the surface
  /// closes (a pole).
  enum Ring {
    case loop([SIMD3<Double>])
    case pole(SIMD3<Double>)
  }

  /// The surface through `rings` in order, wound outwards.
  ///
  /// Each consecutive pair is joined by a band of triangles (a loop to a loop by quads split
  /// along a diagonal, a loop to a pole by a fan); loops have equal point counts and run the
  /// same way round. A stack whose first and last rings are poles is closed.
  static func stack(_ rings: [Ring]) -> Part {
    var positions: [SIMD3<Double>] = []
    // The vertex indices of every ring (one index for a pole).
    var indices: [[Int32]] = []
    for ring in rings {
      switch ring {
      case .pole(let p):
        indices.append([Int32(positions.count)])
        positions.append(p)
      case .loop(let points):
        indices.append((0..<points.count).map { Int32(positions.count + $0) })
        positions += points
      }
    }
    var triangles: [SIMD3<Int32>] = []
    for (lower, upper) in zip(indices, indices.dropFirst()) {
      switch (lower.count, upper.count) {
      case (1, 1): continue
      case (1, let n):
        for j in 0..<n { triangles.append(SIMD3(lower[0], upper[(j + 1) % n], upper[j])) }
      case (let n, 1):
        for j in 0..<n { triangles.append(SIMD3(lower[j], lower[(j + 1) % n], upper[0])) }
      case (let n, _):
        for j in 0..<n {
          let k = (j + 1) % n
          triangles.append(SIMD3(lower[j], lower[k], upper[k]))
          triangles.append(SIMD3(lower[j], upper[k], upper[j]))
        }
      }
    }
    return Part(positions: positions, triangles: triangles).facingOutwards()
  }

  /// A point of a revolved profile: the ring's half-widths along x and z at height `y`
  /// (both 0 for a point on the axis).
  public struct ProfilePoint: Sendable, Hashable {
    /// Half-width along x.
    public var x: Double
    /// Half-width along z.
    public var z: Double
    /// Height.
    public var y: Double

    /// A ring of half-widths `x` and `z` at height `y`.
    public init(x: Double, z: Double, y: Double) {
      self.x = x
      self.z = z
      self.y = y
    }

    /// A round ring of radius `r` at height `y`.
    public init(r: Double, y: Double) { self.init(x: r, z: r, y: y) }
  }

  /// The unit superellipse `|x|^p + |z|^p = 1` sampled at `segments` angles, counter-clockwise
  /// seen from +Y; `exponent` 2 is the circle, larger values tend to a square.
  public static func superellipse(segments: Int, exponent: Double = 2) -> [SIMD2<Double>] {
    (0..<segments).map { j in
      let phi = 2 * Double.pi * Double(j) / Double(segments)
      let (c, s) = (cos(phi), sin(phi))
      func power(_ v: Double) -> Double {
        let m = pow(abs(v), 2 / exponent)
        return v < 0 ? -m : m
      }
      return SIMD2(power(c), -power(s))
    }
  }

  /// A solid of revolution about +Y through `profile` (bottom to top), with superelliptic
  /// rings: round for `exponent` 2, rounded-rectangular for larger values.
  ///
  /// A profile point with zero half-widths is a pole; an end that is not a pole is capped flat.
  /// A profile may go up the outside and back down the inside (a cup's wall) as long as the
  /// surface does not cross itself.
  ///
  /// - Parameters:
  ///   - profile: At least two points; consecutive points differ.
  ///   - segments: Points per ring (≥ 3).
  ///   - exponent: The rings' superellipse exponent (≥ 1).
  /// - Returns: The closed solid, wound outwards.
  public static func revolve(
    _ profile: [ProfilePoint], segments: Int, exponent: Double = 2
  ) -> Part {
    precondition(profile.count >= 2 && segments >= 3, "revolve: too few points")
    let unit = superellipse(segments: segments, exponent: exponent)
    func ring(_ p: ProfilePoint) -> Ring {
      p.x == 0 && p.z == 0
        ? .pole(SIMD3(0, p.y, 0)) : .loop(unit.map { SIMD3($0.x * p.x, p.y, $0.y * p.z) })
    }
    var rings = profile.map(ring)
    if case .loop = rings.first! { rings.insert(.pole(SIMD3(0, profile.first!.y, 0)), at: 0) }
    if case .loop = rings.last! { rings.append(.pole(SIMD3(0, profile.last!.y, 0))) }
    return stack(rings)
  }

  /// A closed ellipsoid with semi-axes `radii`, centred at the origin.
  public static func ellipsoid(radii: SIMD3<Double>, segments: Int = 16) -> Part {
    let rows = max(2, segments / 2)
    let profile = (0...rows).map { i in
      let theta = Double.pi * Double(i) / Double(rows)
      let s = i == 0 || i == rows ? 0 : sin(theta)
      return ProfilePoint(x: radii.x * s, z: radii.z * s, y: -radii.y * cos(theta))
    }
    return revolve(profile, segments: segments)
  }

  /// A tube swept along `path` with cross-section `section` (a unit loop, a circle by
  /// default) scaled by `radii` (one per path point; 0 closes the tube to a point there).
  ///
  /// Frames follow the path by projecting the previous frame's normal (no twist for gentle
  /// bends); open ends are capped flat.
  ///
  /// - Parameters:
  ///   - path: At least two distinct consecutive points.
  ///   - radii: One radius (or scale of `section`) per path point.
  ///   - section: The cross-section loop in the frame's (normal, binormal) plane.
  /// - Returns: The closed tube, wound outwards.
  public static func sweep(
    _ path: [SIMD3<Double>], radii: [Double], section: [SIMD2<Double>]
  ) -> Part {
    precondition(path.count >= 2 && radii.count == path.count, "sweep: path and radii differ")
    let tangents = path.indices.map { i in
      let d = path[min(i + 1, path.count - 1)] - path[max(i - 1, 0)]
      return d / length(d)
    }
    // A first normal perpendicular to the first tangent, then carried along.
    let t0 = tangents[0]
    var normal = abs(t0.y) < 0.9 ? cross(t0, SIMD3(0, 1, 0)) : cross(t0, SIMD3(1, 0, 0))
    normal /= length(normal)
    var rings: [Ring] = []
    for (i, p) in path.enumerated() {
      let t = tangents[i]
      normal -= t * dot(normal, t)
      normal /= length(normal)
      let binormal = cross(t, normal)
      rings.append(
        radii[i] == 0
          ? .pole(p) : .loop(section.map { p + radii[i] * ($0.x * normal + $0.y * binormal) }))
    }
    if case .loop = rings.first! { rings.insert(.pole(path.first!), at: 0) }
    if case .loop = rings.last! { rings.append(.pole(path.last!)) }
    return stack(rings)
  }

  /// A round tube along `path` with `segments` points per ring.
  public static func tube(
    _ path: [SIMD3<Double>], radii: [Double], segments: Int = 12
  ) -> Part {
    sweep(path, radii: radii, section: superellipse(segments: segments))
  }

  /// A straight round rod from `a` to `b` of radius `radius`.
  public static func rod(
    from a: SIMD3<Double>, to b: SIMD3<Double>, radius: Double, segments: Int = 12
  ) -> Part {
    tube([a, b], radii: [radius, radius], segments: segments)
  }

  /// The surface through closed `sections` (equal point counts, running the same way round),
  /// each end capped by a fan to its centroid.
  public static func loft(_ sections: [[SIMD3<Double>]]) -> Part {
    precondition(sections.count >= 2, "loft: needs two sections")
    func centroid(_ s: [SIMD3<Double>]) -> SIMD3<Double> {
      s.reduce(.zero, +) / Double(s.count)
    }
    return stack(
      [.pole(centroid(sections.first!))] + sections.map { .loop($0) }
        + [.pole(centroid(sections.last!))])
  }

  /// A prism: the simple polygon `outline` in the xy-plane (either winding) extruded from
  /// z = −depth/2 to z = depth/2, its two faces triangulated by ear clipping.
  public static func extrusion(_ outline: [SIMD2<Double>], depth: Double) -> Part {
    precondition(outline.count >= 3 && depth > 0, "extrusion: bad outline or depth")
    let area = zip(outline, outline.dropFirst() + [outline[0]]).reduce(0) {
      $0 + $1.0.x * $1.1.y - $1.1.x * $1.0.y
    }
    let loop = area < 0 ? Array(outline.reversed()) : outline
    let n = loop.count
    let back = loop.map { SIMD3($0.x, $0.y, -depth / 2) }
    let front = loop.map { SIMD3($0.x, $0.y, depth / 2) }
    var triangles: [SIMD3<Int32>] = []
    for ear in earClipping(loop) {
      // Front face counter-clockwise seen from +z; the back one reversed.
      triangles.append(SIMD3(Int32(n) + ear.x, Int32(n) + ear.y, Int32(n) + ear.z))
      triangles.append(SIMD3(ear.x, ear.z, ear.y))
    }
    for j in 0..<n {
      let k = (j + 1) % n
      let (b0, b1, f0, f1) = (Int32(j), Int32(k), Int32(n + j), Int32(n + k))
      triangles.append(SIMD3(b0, b1, f1))
      triangles.append(SIMD3(b0, f1, f0))
    }
    return Part(positions: back + front, triangles: triangles).facingOutwards()
  }

  /// Triangles of the counter-clockwise simple polygon `loop` (indices into it).
  static func earClipping(_ loop: [SIMD2<Double>]) -> [SIMD3<Int32>] {
    var remaining = Array(loop.indices)
    var result: [SIMD3<Int32>] = []
    func cross2(_ o: SIMD2<Double>, _ a: SIMD2<Double>, _ b: SIMD2<Double>) -> Double {
      (a.x - o.x) * (b.y - o.y) - (a.y - o.y) * (b.x - o.x)
    }
    while remaining.count > 3 {
      let m = remaining.count
      var clipped = false
      for i in 0..<m {
        let (ia, ib, ic) = (remaining[(i + m - 1) % m], remaining[i], remaining[(i + 1) % m])
        let (a, b, c) = (loop[ia], loop[ib], loop[ic])
        guard cross2(a, b, c) > 0 else { continue }
        let blocked = remaining.contains { j in
          guard j != ia && j != ib && j != ic else { return false }
          let p = loop[j]
          return cross2(a, b, p) >= 0 && cross2(b, c, p) >= 0 && cross2(c, a, p) >= 0
        }
        guard !blocked else { continue }
        result.append(SIMD3(Int32(ia), Int32(ib), Int32(ic)))
        remaining.remove(at: i)
        clipped = true
        break
      }
      precondition(clipped, "earClipping: the outline is not a simple polygon")
    }
    result.append(SIMD3(Int32(remaining[0]), Int32(remaining[1]), Int32(remaining[2])))
    return result
  }

  /// A box of side lengths `size` centred at the origin with its edges and corners rounded to
  /// `radius` (at most half the shortest side), `segments` steps per quarter round.
  ///
  /// Built as a subdivided cube whose points are pushed onto the rounded surface: the flat
  /// faces stay one quad each, the rounds get `segments` rows.
  public static func roundedBox(size: SIMD3<Double>, radius: Double, segments: Int = 3) -> Part {
    let half = size / 2
    let r = min(radius, half.min() * 0.999)
    precondition(r > 0 && segments >= 1, "roundedBox: radius and segments must be positive")
    // Per axis, the grid coordinates: the round at the low end, the flat middle, the round at
    // the high end (grid units: index 0…2·segments + 1).
    func coordinates(_ h: Double) -> [Double] {
      let inner = h - r
      let low = (0...segments).map { k in
        -inner - r * cos(Double.pi / 2 * Double(k) / Double(segments))
      }
      return low + low.reversed().map { -$0 }
    }
    let axes = [coordinates(half.x), coordinates(half.y), coordinates(half.z)]
    let last = 2 * segments + 1
    var index: [SIMD3<Int32>: Int32] = [:]
    var positions: [SIMD3<Double>] = []
    func vertex(_ g: SIMD3<Int32>) -> Int32 {
      if let known = index[g] { return known }
      let p = SIMD3(axes[0][Int(g.x)], axes[1][Int(g.y)], axes[2][Int(g.z)])
      let core = pointwiseMin(pointwiseMax(p, -(half - r)), half - r)
      let offset = p - core
      let distance = length(offset)
      let point = distance > 0 ? core + offset * (r / distance) : p
      let id = Int32(positions.count)
      positions.append(point)
      index[g] = id
      return id
    }
    var triangles: [SIMD3<Int32>] = []
    // Each cube face: fix one axis at 0 or `last`, walk the other two.
    for axis in 0..<3 {
      let (u, v) = ((axis + 1) % 3, (axis + 2) % 3)
      for side in [0, last] {
        for i in 0..<last {
          for j in 0..<last {
            func grid(_ a: Int, _ b: Int) -> SIMD3<Int32> {
              var g = SIMD3<Int32>.zero
              g[axis] = Int32(side)
              g[u] = Int32(a)
              g[v] = Int32(b)
              return g
            }
            let (p00, p10, p11, p01) = (
              vertex(grid(i, j)), vertex(grid(i + 1, j)), vertex(grid(i + 1, j + 1)),
              vertex(grid(i, j + 1))
            )
            // (u, v, axis) is right-handed: counter-clockwise in (u, v) faces +axis.
            if side == last {
              triangles += [SIMD3(p00, p10, p11), SIMD3(p00, p11, p01)]
            } else {
              triangles += [SIMD3(p00, p11, p10), SIMD3(p00, p01, p11)]
            }
          }
        }
      }
    }
    return Part(positions: positions, triangles: triangles).facingOutwards()
  }
}
