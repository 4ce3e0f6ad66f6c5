import Tensors
import Testing

@testable import Geometry

@Suite struct MeshTopologyTests {
  /// V − E + F for a closed, manifold, genus-0 surface is 2.
  func expectClosedSphere(_ mesh: Mesh, sourceLocation: SourceLocation = #_sourceLocation) {
    let topology = MeshTopology(mesh)
    #expect(topology.edges.allSatisfy { $0.faceCount == 2 }, sourceLocation: sourceLocation)
    #expect(
      topology.weldedCount - topology.edges.count + mesh.triangleCount == 2,
      sourceLocation: sourceLocation)
    #expect(topology.componentCount == 1, sourceLocation: sourceLocation)
  }

  @Test("generated shapes are closed, manifold and wound outwards")
  func shapesAreClosed() {
    for mesh in [
      Shapes.box(), Shapes.cylinder(segments: 7), Shapes.icosphere(subdivisions: 2),
      Shapes.bumpySphere(subdivisions: 2),
    ] {
      expectClosedSphere(mesh)
      let topology = MeshTopology(mesh)
      #expect(topology.windingSigns.allSatisfy { $0 == 1 }, "file winding is already consistent")
      // Outward: every face normal points away from the centroid of the (convex or star) body.
      for (f, t) in mesh.triangles.enumerated() {
        let centre =
          (mesh.positions[Int(t.x)] + mesh.positions[Int(t.y)]
            + mesh.positions[Int(t.z)]) / 3
        #expect(dot(topology.fileFaceNormals[f], centre) > 0, "face \(f) points inwards")
      }
    }
  }

  @Test("welding joins duplicated vertices; edges and normals use the welded mesh")
  func weldingAndEdges() {
    // Two triangles of a unit square, with the shared edge's vertices duplicated.
    let mesh = Mesh(
      positions: [
        SIMD3(0, 0, 0), SIMD3(1, 0, 0), SIMD3(1, 1, 0),
        SIMD3(0, 0, 0), SIMD3(1, 1, 0), SIMD3(0, 1, 0),
      ],
      triangles: [SIMD3(0, 1, 2), SIMD3(3, 4, 5)])
    let topology = MeshTopology(mesh)
    #expect(topology.weldedCount == 4)
    #expect(topology.edges.count == 5)
    #expect(topology.edges.filter { $0.faceCount == 2 }.count == 1)
    #expect(topology.edges.filter { $0.faceCount == 1 }.count == 4)
    // Area-weighted normals: each triangle contributes (0, 0, 1) (twice its area 0.5).
    #expect(topology.vertexNormals[0] == SIMD3(0, 0, 2), "shared vertex sums both faces")
    #expect(topology.vertexNormals[3] == SIMD3(0, 0, 2), "its duplicate gets the same normal")
    #expect(topology.vertexNormals[1] == SIMD3(0, 0, 1))
  }

  @Test("inconsistent windings are made consistent per component from the lowest face")
  func consistentWinding() {
    var mesh = Shapes.icosphere(subdivisions: 1)
    var rng = SplitMix64(seed: 7)
    var flipped: [Bool] = []
    for f in mesh.triangles.indices {
      let flip = f > 0 && rng.next() & 1 == 1
      flipped.append(flip)
      if flip {
        mesh.triangles[f] = SIMD3(
          mesh.triangles[f].x, mesh.triangles[f].z,
          mesh.triangles[f].y)
      }
    }
    let topology = MeshTopology(mesh)
    for f in mesh.triangles.indices {
      #expect(topology.windingSigns[f] == (flipped[f] ? -1 : 1), "face \(f)")
    }
    let reference = MeshTopology(Shapes.icosphere(subdivisions: 1))
    for v in mesh.positions.indices {
      let d = topology.vertexNormals[v] - reference.vertexNormals[v]
      #expect(
        max(abs(d.x), abs(d.y), abs(d.z)) < 1e-12, "vertex normal \(v) differs after flipping faces"
      )
    }
  }

  @Test("non-manifold edges do not propagate orientation; boundary edges have one face")
  func nonManifold() {
    // Three triangles sharing the edge (0, 1).
    let mesh = Mesh(
      positions: [
        SIMD3(0, 0, 0), SIMD3(1, 0, 0), SIMD3(0, 1, 0), SIMD3(0, -1, 0),
        SIMD3(0, 0, 1),
      ],
      triangles: [SIMD3(0, 1, 2), SIMD3(0, 1, 3), SIMD3(1, 0, 4)])
    let topology = MeshTopology(mesh)
    let shared = topology.edges[Int(topology.faceEdges[0][0])]
    #expect(shared.faceCount == 3 && !shared.isManifold)
    #expect(topology.componentCount == 3, "orientation does not cross the non-manifold edge")
  }
}
