import Geometry
import Tensors
import Testing

@testable import Rendering

@Suite struct RasterizerTests {
  /// Coverage count per sample of a 16 × 16 grid when each triangle is drawn on its own.
  func coverageCounts(_ triangles: [[SIMD2<Double>]], rule: FillRule) -> [Int] {
    let size = 16
    var counts = [Int](repeating: 0, count: size * size)
    let raster = Rasterizer<Double>(fineSize: size, fillRule: rule, near: 0.1, far: 100)
    let ws = RenderWorkspace<Double>(
      fineSize: size, vertexCount: 0, faceCount: 0, edgeCount: 0, weldedCount: 1)
    for t in triangles {
      ws.clear()
      raster.rasterize(
        face: 0, t[0], t[1], t[2], inverseZ: SIMD3(1, 1, 1), map: nil, into: ws)
      for p in 0..<(size * size) where ws.ids[p] >= 0 { counts[p] += 1 }
    }
    return counts
  }

  /// A 12 × 12 square of triangles whose vertices (and so edges) lie on pixel centres, with
  /// both diagonal directions and both windings.
  var tiledSquare: [[SIMD2<Double>]] {
    var triangles: [[SIMD2<Double>]] = []
    for i in stride(from: 2, to: 14, by: 3) {
      for j in stride(from: 2, to: 14, by: 3) {
        let a = SIMD2(Double(j), Double(i))
        let b = SIMD2(Double(j + 3), Double(i))
        let c = SIMD2(Double(j + 3), Double(i + 3))
        let d = SIMD2(Double(j), Double(i + 3))
        if (i + j) % 2 == 0 {
          triangles += [[a, b, c], [a, d, c]]  // opposite windings
        } else {
          triangles += [[a, b, d], [b, c, d]]
        }
      }
    }
    // A fan around an inner pixel centre, replacing nothing: drawn into a separate square.
    return triangles
  }

  @Test("top-left rule: every sample of a tiled region is covered exactly once")
  func topLeftIsWatertight() {
    let counts = coverageCounts(tiledSquare, rule: .topLeft)
    for row in 0..<16 {
      for col in 0..<16 {
        let inside = (2...13).contains(row) && (2...13).contains(col)
        let boundaryOnly = row == 14 || col == 14
        let c = counts[row * 16 + col]
        if inside {
          #expect(c == 1, "(\(row), \(col)) covered \(c) times")
        } else if !boundaryOnly {
          #expect(c == 0, "(\(row), \(col)) covered \(c) times")
        }
      }
    }
    // Outer edges: top and left are included, bottom (row 14) and right (col 14) are not.
    #expect((2...13).allSatisfy { counts[14 * 16 + $0] == 0 && counts[$0 * 16 + 14] == 0 })
  }

  @Test("inclusive rule: samples on shared edges are covered twice (negative control)")
  func inclusiveDoubleCovers() {
    let counts = coverageCounts(tiledSquare, rule: .inclusive)
    #expect(counts.contains { $0 >= 2 })
    #expect(counts[8 * 16 + 8] >= 1)
  }

  @Test("exactly opposite edge values on a shared edge with non-integer vertices")
  func sharedEdgeIsExact() {
    // Vertices off the grid: rounding differs per triangle unless edges are canonical.
    var rng = SplitMix64(seed: 11)
    for _ in 0..<200 {
      func r() -> Double { Double(rng.next() % 1_000_000) / 1_000_000 * 14 + 1 }
      let a = SIMD2(r(), r())
      let b = SIMD2(r(), r())
      let c = SIMD2(r(), r())
      let d = SIMD2(r(), r())
      // Two triangles sharing edge a–b, one on each side only if c and d are on opposite sides.
      func side(_ p: SIMD2<Double>) -> Double {
        (b.x - a.x) * (p.y - a.y) - (b.y - a.y) * (p.x - a.x)
      }
      guard side(c) * side(d) < 0 else { continue }
      let counts = coverageCounts([[a, b, c], [b, a, d]], rule: .topLeft)
      #expect(counts.allSatisfy { $0 <= 1 }, "overlap for \(a) \(b) \(c) \(d)")
    }
  }

  @Test("depth ties go to the lower face index; nearer faces win")
  func depthTest() {
    let size = 16
    let raster = Rasterizer<Double>(fineSize: size, fillRule: .topLeft, near: 0.1, far: 100)
    let ws = RenderWorkspace<Double>(
      fineSize: size, vertexCount: 0, faceCount: 0, edgeCount: 0, weldedCount: 1)
    let t: [SIMD2<Double>] = [SIMD2(0, 0), SIMD2(15, 0), SIMD2(0, 15)]
    raster.rasterize(
      face: 0, t[0], t[1], t[2], inverseZ: SIMD3(1, 1, 1), map: nil, into: ws)
    raster.rasterize(
      face: 1, t[0], t[1], t[2], inverseZ: SIMD3(1, 1, 1), map: nil, into: ws)
    #expect(ws.ids[3 * size + 3] == 0, "tie: the lower index drawn first stays")
    raster.rasterize(
      face: 2, t[0], t[1], t[2], inverseZ: SIMD3(2, 2, 2), map: nil, into: ws)
    #expect(ws.ids[3 * size + 3] == 2, "depth 0.5 beats depth 1")
    #expect(abs(ws.depth[3 * size + 3] - 0.5) < 1e-15)
    raster.rasterize(
      face: 3, t[0], t[1], t[2], inverseZ: SIMD3(20, 20, 20), map: nil, into: ws)
    #expect(ws.ids[3 * size + 3] == 2, "depth 0.05 is in front of the near plane: discarded")
  }
}

@Suite struct EdgeAntialiasingTests {
  /// A camera-facing quad whose right edge projects to column `edge` (one sample per pixel).
  func render(edge: Double, antialiasing: Bool) -> RenderedImage<Double> {
    let size = 16
    var settings = RenderSettings.nmr
    settings.convention = .pytorch3d
    settings.size = size
    settings.supersampling = 1
    settings.edgeAntialiasing = antialiasing
    let pose = CameraPose(azimuth: 0, elevation: 0, distance: 3)
    let camera = settings.camera(at: pose)
    // At a = e = 0 the eye is on +Z: col = (x/(d t) + 1) W/2 − 1/2 for points at z = 0.
    let x = (2 * (edge + 0.5) / Double(size) - 1) * 3 * camera.tanHalfFieldOfView
    let quad = Mesh(
      positions: [SIMD3(-9, -9, 0), SIMD3(x, -9, 0), SIMD3(x, 9, 0), SIMD3(-9, 9, 0)],
      triangles: [SIMD3(0, 1, 2), SIMD3(0, 2, 3)])
    return Renderer<Double>(scene: SceneMesh(quad), settings: settings).render(pose)
  }

  @Test("a vertical silhouette blends by METHODS §1.7 step 5", arguments: [7.3, 7.8, 7.5])
  func verticalEdge(_ edge: Double) {
    let image = render(edge: edge, antialiasing: true)
    let plain = render(edge: edge, antialiasing: false)
    let t = edge - 7
    for row in 0..<16 {
      #expect(plain[row, 7].x == 0.5 && plain[row, 8].x == 0)
      // Left pixel p0 = (row, 7) has c0 = 0.5; right pixel p1 = (row, 8) is background.
      let expectedLeft = t < 0.5 ? 0.5 + (0.5 - t) * (0 - 0.5) : 0.5
      let expectedRight = t < 0.5 ? 0 : (t - 0.5) * (0.5 - 0)
      #expect(abs(image[row, 7].x - expectedLeft) < 1e-12, "row \(row): \(image[row, 7].x)")
      #expect(abs(image[row, 8].x - expectedRight) < 1e-12, "row \(row): \(image[row, 8].x)")
      for col in 0..<16 where col != 7 && col != 8 {
        #expect(image[row, col] == plain[row, col], "only the pair across the edge changes")
      }
    }
  }

  @Test("the internal diagonal of the quad is not a silhouette: no blend there")
  func internalEdgesAreIgnored() {
    let image = render(edge: 7.3, antialiasing: true)
    for row in 0..<16 {
      for col in 0..<7 { #expect(image[row, col].x == 0.5) }
    }
  }
}
