import Foundation

/// One piece of a generated shape: a triangle surface in shape units, +Y up, front towards +Z.
///
/// Parts are what the class generators (``ShapeGenerator``) assemble: lathes, sweeps, lofts,
/// extrusions and rounded boxes (``Part/revolve(_:segments:exponent:)`` and its siblings), placed
/// with the transforms below. Every primitive builds a closed surface (each edge shared by
/// exactly two of its triangles) wound counter-clockwise seen from outside, so its signed
/// volume is positive; ``isClosed`` and ``signedVolume`` let tests check both.
public struct Part: Sendable, Hashable {
  /// Vertex positions.
  public var positions: [SIMD3<Double>]
  /// Triangles as indices into `positions`, counter-clockwise seen from outside.
  public var triangles: [SIMD3<Int32>]

  /// Creates a part from its vertices and triangles (no checks).
  ///
  /// - Parameters:
  ///   - positions: Vertex positions.
  ///   - triangles: Triangles as indices into `positions`.
  public init(positions: [SIMD3<Double>], triangles: [SIMD3<Int32>]) {
    self.positions = positions
    self.triangles = triangles
  }

  /// The part moved by `offset`.
  public func translated(_ offset: SIMD3<Double>) -> Part {
    Part(positions: positions.map { $0 + offset }, triangles: triangles)
  }

  /// The part scaled per axis about the origin (a negative factor mirrors it; the winding is
  /// then reversed so the surface still faces outwards).
  public func scaled(_ factors: SIMD3<Double>) -> Part {
    let negatives = [factors.x, factors.y, factors.z].filter { $0 < 0 }.count
    let mirrored = negatives % 2 == 1
    let moved = Part(positions: positions.map { $0 * factors }, triangles: triangles)
    return mirrored ? moved.reversed() : moved
  }

  /// The part rotated by `angle` radians about the axis through the origin along `axis`
  /// (right-handed: counter-clockwise looking down the axis towards the origin).
  public func rotated(by angle: Double, about axis: SIMD3<Double>) -> Part {
    let k = axis / length(axis)
    let (c, s) = (cos(angle), sin(angle))
    // Rodrigues: v cos θ + (k × v) sin θ + k (k · v)(1 − cos θ).
    return Part(
      positions: positions.map { v in v * c + cross(k, v) * s + k * (dot(k, v) * (1 - c)) },
      triangles: triangles)
  }

  /// The part with every triangle's winding reversed.
  public func reversed() -> Part {
    Part(positions: positions, triangles: triangles.map { SIMD3($0.x, $0.z, $0.y) })
  }

  /// The signed volume enclosed (positive for a closed surface facing outwards).
  public var signedVolume: Double {
    triangles.reduce(0) { sum, t in
      let (a, b, c) = (positions[Int(t.x)], positions[Int(t.y)], positions[Int(t.z)])
      return sum + dot(a, cross(b, c)) / 6
    }
  }

  /// Whether every edge is shared by exactly two triangles that traverse it in opposite
  /// directions (a closed, consistently wound surface).
  public var isClosed: Bool {
    var directed: [SIMD2<Int32>: Int] = [:]
    for t in triangles {
      for (a, b) in [(t.x, t.y), (t.y, t.z), (t.z, t.x)] {
        directed[SIMD2(a, b), default: 0] += 1
      }
    }
    return directed.allSatisfy { edge, count in
      count == 1 && directed[SIMD2(edge.y, edge.x)] == 1
    }
  }

  /// The part wound outwards: reversed when its signed volume is negative.
  func facingOutwards() -> Part { signedVolume < 0 ? reversed() : self }
}
