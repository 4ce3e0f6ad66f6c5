import Foundation

/// Simple procedural meshes: test bodies, benchmark meshes and the first shipped shapes.
///
/// Every generator returns triangles wound counter-clockwise seen from outside (outward normals),
/// +Y up, centred at the origin. Generators are deterministic: the same arguments give the same
/// mesh, bit for bit.
public enum Shapes {
  /// An axis-aligned box centred at the origin.
  ///
  /// - Parameter size: Side lengths along x, y and z (each > 0).
  /// - Returns: 8 vertices and 12 triangles (two per face, split along a diagonal).
  public static func box(size: SIMD3<Double> = SIMD3(repeating: 2)) -> Mesh {
    precondition(size.min() > 0, "Shapes.box: every side must be positive (got \(size))")
    let h = size / 2
    var positions: [SIMD3<Double>] = []
    for i in 0..<8 {
      positions.append(
        SIMD3(i & 1 == 0 ? -h.x : h.x, i & 2 == 0 ? -h.y : h.y, i & 4 == 0 ? -h.z : h.z))
    }
    // Quads as (a, b, c, d) counter-clockwise from outside.
    let quads: [(Int32, Int32, Int32, Int32)] = [
      (0, 4, 6, 2),  // −x
      (1, 3, 7, 5),  // +x
      (0, 1, 5, 4),  // −y
      (2, 6, 7, 3),  // +y
      (0, 2, 3, 1),  // −z
      (4, 5, 7, 6),  // +z
    ]
    var triangles: [SIMD3<Int32>] = []
    for (a, b, c, d) in quads {
      triangles.append(SIMD3(a, b, c))
      triangles.append(SIMD3(a, c, d))
    }
    return Mesh(positions: positions, triangles: triangles)
  }

  /// A closed cylinder along +Y, centred at the origin, with flat caps.
  ///
  /// - Parameters:
  ///   - radius: Radius (> 0).
  ///   - height: Height along y (> 0).
  ///   - segments: Number of sides (≥ 3).
  /// - Returns: `2·segments + 2` vertices and `4·segments` triangles.
  public static func cylinder(radius: Double = 1, height: Double = 2, segments: Int = 48)
    -> Mesh
  {
    precondition(radius > 0 && height > 0, "Shapes.cylinder: radius and height must be positive")
    precondition(segments >= 3, "Shapes.cylinder: needs at least 3 segments (got \(segments))")
    var positions: [SIMD3<Double>] = []
    for ring in 0..<2 {
      let y = ring == 0 ? -height / 2 : height / 2
      for s in 0..<segments {
        let angle = 2 * Double.pi * Double(s) / Double(segments)
        positions.append(SIMD3(radius * sin(angle), y, radius * cos(angle)))
      }
    }
    let bottomCentre = Int32(positions.count)
    positions.append(SIMD3(0, -height / 2, 0))
    let topCentre = Int32(positions.count)
    positions.append(SIMD3(0, height / 2, 0))
    let n = Int32(segments)
    var triangles: [SIMD3<Int32>] = []
    for s in 0..<n {
      let t = (s + 1) % n
      // Side quad (bottom s, bottom t, top t, top s); angle grows from +Z towards +X, which is
      // clockwise seen from +Y, so this order is counter-clockwise seen from outside.
      triangles.append(SIMD3(s, t, n + t))
      triangles.append(SIMD3(s, n + t, n + s))
      triangles.append(SIMD3(bottomCentre, t, s))
      triangles.append(SIMD3(topCentre, n + s, n + t))
    }
    return Mesh(positions: positions, triangles: triangles)
  }

  /// A unit icosphere: an icosahedron subdivided `subdivisions` times and projected to the
  /// sphere of radius 1.
  ///
  /// - Parameter subdivisions: Number of 1-to-4 subdivisions (0…7).
  /// - Returns: `20 · 4^subdivisions` triangles.
  public static func icosphere(subdivisions: Int) -> Mesh {
    precondition(
      (0...7).contains(subdivisions), "Shapes.icosphere: subdivisions must be in 0...7")
    let phi = (1 + 5.0.squareRoot()) / 2
    var positions: [SIMD3<Double>] = [
      SIMD3(-1, phi, 0), SIMD3(1, phi, 0), SIMD3(-1, -phi, 0), SIMD3(1, -phi, 0),
      SIMD3(0, -1, phi), SIMD3(0, 1, phi), SIMD3(0, -1, -phi), SIMD3(0, 1, -phi),
      SIMD3(phi, 0, -1), SIMD3(phi, 0, 1), SIMD3(-phi, 0, -1), SIMD3(-phi, 0, 1),
    ].map { $0 / length($0) }
    var triangles: [SIMD3<Int32>] = [
      SIMD3(0, 11, 5), SIMD3(0, 5, 1), SIMD3(0, 1, 7), SIMD3(0, 7, 10), SIMD3(0, 10, 11),
      SIMD3(1, 5, 9), SIMD3(5, 11, 4), SIMD3(11, 10, 2), SIMD3(10, 7, 6), SIMD3(7, 1, 8),
      SIMD3(3, 9, 4), SIMD3(3, 4, 2), SIMD3(3, 2, 6), SIMD3(3, 6, 8), SIMD3(3, 8, 9),
      SIMD3(4, 9, 5), SIMD3(2, 4, 11), SIMD3(6, 2, 10), SIMD3(8, 6, 7), SIMD3(9, 8, 1),
    ]
    for _ in 0..<subdivisions {
      var midpoints: [UInt64: Int32] = [:]
      func midpoint(_ a: Int32, _ b: Int32) -> Int32 {
        let key = UInt64(UInt32(min(a, b))) << 32 | UInt64(UInt32(max(a, b)))
        if let m = midpoints[key] { return m }
        let p = (positions[Int(a)] + positions[Int(b)]) / 2
        positions.append(p / length(p))
        let m = Int32(positions.count - 1)
        midpoints[key] = m
        return m
      }
      var refined: [SIMD3<Int32>] = []
      refined.reserveCapacity(triangles.count * 4)
      for t in triangles {
        let a = midpoint(t.x, t.y)
        let b = midpoint(t.y, t.z)
        let c = midpoint(t.z, t.x)
        refined += [SIMD3(t.x, a, c), SIMD3(t.y, b, a), SIMD3(t.z, c, b), SIMD3(a, b, c)]
      }
      triangles = refined
    }
    return Mesh(positions: positions, triangles: triangles)
  }

  /// An icosphere whose radius is modulated by smooth bumps: the benchmark mesh.
  ///
  /// The radius at unit direction `d` is `1 + amplitude · Π_k sin(frequency · d_k + phase_k)`
  /// with phases (0.3, 1.1, 2.3): a smooth, closed, star-shaped surface with many silhouette
  /// changes, so rasterisation, shading and the edge pass all do real work.
  ///
  /// - Parameters:
  ///   - subdivisions: Icosphere subdivisions (4 gives 5,120 triangles).
  ///   - amplitude: Relative bump height (0 gives a sphere).
  ///   - frequency: Angular frequency of the bumps.
  /// - Returns: The bumpy sphere (not normalised).
  public static func bumpySphere(
    subdivisions: Int = 4, amplitude: Double = 0.15,
    frequency: Double = 5
  ) -> Mesh {
    var mesh = icosphere(subdivisions: subdivisions)
    let phase = SIMD3<Double>(0.3, 1.1, 2.3)
    mesh.positions = mesh.positions.map { d in
      let bump =
        sin(frequency * d.x + phase.x) * sin(frequency * d.y + phase.y)
        * sin(frequency * d.z + phase.z)
      return d * (1 + amplitude * bump)
    }
    return mesh
  }
}
