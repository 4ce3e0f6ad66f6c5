import Foundation
import Testing

@testable import Geometry

/// The part primitives: closed, wound outwards, no degenerate triangles, the right size.
@Suite struct PartTests {
  /// Whether every triangle has a non-zero area.
  static func nonDegenerate(_ part: Part) -> Bool {
    part.triangles.allSatisfy { t in
      let (a, b, c) = (part.positions[Int(t.x)], part.positions[Int(t.y)], part.positions[Int(t.z)])
      return length(cross(b - a, c - a)) > 1e-12
    }
  }

  static let primitives: [(String, Part)] = [
    (
      "revolve cup wall",
      Part.revolve(
        LatheProfile.vessel(
          outer: [SIMD2(0.8, 0), SIMD2(1, 0.1), SIMD2(1.1, 2)], wall: 0.1, floor: 0.2),
        segments: 16)
    ),
    (
      "revolve square",
      Part.revolve([.init(r: 1, y: 0), .init(r: 0.5, y: 1)], segments: 12, exponent: 4)
    ),
    ("ellipsoid", Part.ellipsoid(radii: SIMD3(1, 2, 3), segments: 12)),
    (
      "bent tube",
      Part.tube(
        [SIMD3(0, 0, 0), SIMD3(0, 1, 0), SIMD3(0.5, 1.5, 0), SIMD3(1.5, 1.5, 0)],
        radii: [0.1, 0.1, 0.1, 0.05])
    ),
    ("cone tube", Part.tube([SIMD3(0, 0, 0), SIMD3(0, 0, 1)], radii: [0.3, 0])),
    (
      "loft",
      Part.loft(
        [0.0, 1, 2].map { z in
          Part.superellipse(segments: 8).map { SIMD3($0.x * (1 + z), $0.y * 0.2, z) }
        })
    ),
    (
      "extrusion of an L",
      Part.extrusion(
        [SIMD2(0, 0), SIMD2(2, 0), SIMD2(2, 1), SIMD2(1, 1), SIMD2(1, 3), SIMD2(0, 3)], depth: 0.5)
    ),
    ("rounded box", Part.roundedBox(size: SIMD3(2, 1, 0.5), radius: 0.1, segments: 3)),
    ("rounded box, round = half", Part.roundedBox(size: SIMD3(1, 1, 1), radius: 0.5, segments: 2)),
  ]

  @Test("every primitive is closed, wound outwards and free of degenerate triangles")
  func primitivesAreClosed() {
    for (name, part) in Self.primitives {
      #expect(part.isClosed, "\(name) is not closed")
      #expect(part.signedVolume > 0, "\(name) has volume \(part.signedVolume)")
      #expect(Self.nonDegenerate(part), "\(name) has a degenerate triangle")
    }
  }

  @Test("volumes and extents match the solids they approximate")
  func sizes() {
    let box = Part.roundedBox(size: SIMD3(2, 1, 0.5), radius: 0.1, segments: 4)
    let lower = box.positions.reduce(SIMD3(repeating: Double.infinity)) { pointwiseMin($0, $1) }
    let upper = box.positions.reduce(SIMD3(repeating: -Double.infinity)) { pointwiseMax($0, $1) }
    #expect(lower == SIMD3(-1, -0.5, -0.25) && upper == SIMD3(1, 0.5, 0.25))
    // A box with rounded edges: 2·1·0.5 minus (4 − π) r² per unit of edge length, roughly.
    let rounded = 1 - (4 - Double.pi) * 0.01 * (2 + 1 + 0.5)
    #expect(abs(box.signedVolume - rounded) < 0.01, "\(box.signedVolume) vs \(rounded)")
    let sphere = Part.ellipsoid(radii: SIMD3(1, 1, 1), segments: 48)
    #expect(abs(sphere.signedVolume - 4 / 3 * Double.pi) < 0.03)
    let rod = Part.rod(from: SIMD3(0, 0, 0), to: SIMD3(0, 0, 2), radius: 0.5, segments: 64)
    #expect(abs(rod.signedVolume - Double.pi * 0.25 * 2) < 0.01)
    let prism = Part.extrusion([SIMD2(0, 0), SIMD2(1, 0), SIMD2(0, 1)], depth: 2)
    #expect(abs(prism.signedVolume - 1) < 1e-12)
  }

  @Test("mirroring keeps the surface facing outwards; rotation keeps the volume")
  func transforms() {
    let part = Part.ellipsoid(radii: SIMD3(1, 2, 3), segments: 10).translated(SIMD3(5, 0, 0))
    let mirrored = part.scaled(SIMD3(-1, 1, 1))
    #expect(mirrored.signedVolume > 0 && mirrored.isClosed)
    let turned = part.rotated(by: 0.7, about: SIMD3(1, 1, 0))
    #expect(abs(turned.signedVolume - part.signedVolume) < 1e-9)
    // A quarter turn about +y takes +z to +x.
    let p = Part(positions: [SIMD3(0, 0, 1)], triangles: []).rotated(
      by: Double.pi / 2, about: SIMD3(0, 1, 0))
    #expect(length(p.positions[0] - SIMD3(1, 0, 0)) < 1e-12)
  }

  @Test("a broken surface is not closed")
  func openSurface() {
    var part = Part.ellipsoid(radii: SIMD3(1, 1, 1), segments: 8)
    part.triangles.removeLast()
    #expect(!part.isClosed)
    #expect(!part.reversed().triangles.isEmpty && part.reversed().signedVolume < 0)
  }
}
