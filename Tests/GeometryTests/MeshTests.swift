import Testing

@testable import Geometry

@Suite struct MeshTests {
  @Test("validation drops degenerate faces and counts unreferenced vertices")
  func validationDropsDegenerates() throws {
    let mesh = Mesh(
      positions: [SIMD3(0, 0, 0), SIMD3(1, 0, 0), SIMD3(0, 1, 0), SIMD3(2, 0, 0), SIMD3(9, 9, 9)],
      triangles: [SIMD3(0, 1, 2), SIMD3(0, 0, 1), SIMD3(0, 1, 3)],
      faceMaterials: [1, 0, 0], materials: [Material(name: "a"), Material(name: "b")])
    let (clean, report) = try mesh.validated()
    #expect(clean.triangles == [SIMD3(0, 1, 2)])
    #expect(clean.faceMaterials == [1])
    #expect(report.degenerateTrianglesDropped == 2)
    #expect(report.unreferencedVertices == 2)
    #expect(clean.positions.count == 5, "vertices are kept (the nmr rule uses all of them)")
  }

  @Test("validation rejects broken meshes with a precise error")
  func validationRejects() {
    let p: [SIMD3<Double>] = [SIMD3(0, 0, 0), SIMD3(1, 0, 0), SIMD3(0, 1, 0)]
    #expect(throws: MeshError.empty(reason: "it has no vertices")) {
      try Mesh(positions: [], triangles: []).validated()
    }
    #expect(throws: MeshError.empty(reason: "it has no faces")) {
      try Mesh(positions: p, triangles: []).validated()
    }
    #expect(throws: MeshError.indexOutOfRange(triangle: 0, index: 3, vertexCount: 3)) {
      try Mesh(positions: p, triangles: [SIMD3(0, 1, 3)]).validated()
    }
    #expect(throws: MeshError.indexOutOfRange(triangle: 0, index: -1, vertexCount: 3)) {
      try Mesh(positions: p, triangles: [SIMD3(0, 1, -1)]).validated()
    }
    #expect(throws: MeshError.nonFiniteCoordinate(vertex: 1)) {
      try Mesh(positions: [p[0], SIMD3(.nan, 0, 0), p[2]], triangles: [SIMD3(0, 1, 2)])
        .validated()
    }
    #expect(throws: MeshError.self) {
      try Mesh(positions: p, triangles: [SIMD3(0, 1, 2)], normals: [SIMD3(0, 0, 1)]).validated()
    }
    #expect(throws: MeshError.materialOutOfRange(triangle: 0, material: 2, materialCount: 1)) {
      try Mesh(
        positions: p, triangles: [SIMD3(0, 1, 2)], faceMaterials: [2],
        materials: [Material(name: "m")]
      ).validated()
    }
    let collinear: [SIMD3<Double>] = [SIMD3(0, 0, 0), SIMD3(1, 0, 0), SIMD3(2, 0, 0)]
    #expect(throws: MeshError.self) {
      try Mesh(positions: collinear, triangles: [SIMD3(0, 1, 2)]).validated()
    }
    for error in [
      MeshError.empty(reason: "x"), .nonFiniteCoordinate(vertex: 3),
      .indexOutOfRange(triangle: 1, index: 9, vertexCount: 3),
    ] {
      #expect(!error.description.contains("\n"))
    }
  }

  @Test("shapeNet normalisation centres the referenced box and scales the longest side to 2")
  func shapeNetNormalization() {
    let mesh = Mesh(
      positions: [
        SIMD3(1, 2, 3), SIMD3(5, 2, 3), SIMD3(1, 4, 3), SIMD3(1, 2, 4),
        SIMD3(100, 100, 100),
      ],
      triangles: [SIMD3(0, 1, 2), SIMD3(0, 2, 3)])
    let n = mesh.normalized(.shapeNet)
    let box = n.referencedBounds()!
    #expect(box.min == SIMD3(-1, -0.5, -0.25))
    #expect(box.max == SIMD3(1, 0.5, 0.25))
  }

  @Test("nmr normalisation follows METHODS §1.1 over every vertex, unreferenced included")
  func nmrNormalization() {
    let mesh = Mesh(
      positions: [SIMD3(1, 2, 3), SIMD3(5, 2, 3), SIMD3(1, 4, 3), SIMD3(1, 2, 11)],
      triangles: [SIMD3(0, 1, 2)])
    let n = mesh.normalized(.nmr)
    // v − min = (0,0,0),(4,0,0),(0,2,0),(0,0,8); / 8; × 2 → max (1, 0.5, 2); − max/2.
    #expect(n.positions[0] == SIMD3(-0.5, -0.25, -1))
    #expect(n.positions[1] == SIMD3(0.5, -0.25, -1))
    #expect(n.positions[2] == SIMD3(-0.5, 0.25, -1))
    #expect(n.positions[3] == SIMD3(-0.5, -0.25, 1))
    // The shapeNet rule ignores the unreferenced vertex 3: a different result (negative control).
    #expect(mesh.normalized(.shapeNet).positions[0] != n.positions[0])
  }

  @Test("albedo comes from materials, white without them")
  func albedo() {
    let p: [SIMD3<Double>] = [SIMD3(0, 0, 0), SIMD3(1, 0, 0), SIMD3(0, 1, 0)]
    let plain = Mesh(positions: p, triangles: [SIMD3(0, 1, 2)])
    #expect(plain.albedo(ofFace: 0) == SIMD3(1, 1, 1))
    let red = Mesh(
      positions: p, triangles: [SIMD3(0, 1, 2)], faceMaterials: [0],
      materials: [Material(name: "red", diffuse: SIMD3(1, 0, 0))])
    #expect(red.albedo(ofFace: 0) == SIMD3(1, 0, 0))
  }
}
