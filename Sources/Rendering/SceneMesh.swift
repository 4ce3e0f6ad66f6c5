import Geometry

/// A mesh prepared for rendering: its pose-independent data computed once and shared by every
/// render (topology, consistent normals, face albedo).
///
/// Build it from a validated, normalised ``Mesh``; it is immutable and `Sendable`, so one scene
/// serves all threads of a batch.
public struct SceneMesh: Sendable {
  /// The mesh as given.
  public let mesh: Mesh
  /// Its topology (welding, consistent winding, vertex normals, edges).
  public let topology: MeshTopology
  /// Vertex positions, Float64 (the mesh's; stored, so hot loops hold no computed copy).
  let positions: [SIMD3<Double>]
  /// Triangles in file winding (the mesh's).
  let triangles: [SIMD3<Int32>]
  /// `|N_f|` of every face in file winding (twice the area).
  let fileNormalLengths: [Double]
  /// Whether any vertex of the face has a zero vertex normal (METHODS §1.6: `N_T` replaces it).
  let faceHasZeroVertexNormal: [Bool]
  /// Face albedo from materials (white when the mesh has none), linear RGB.
  let materialAlbedo: [SIMD3<Double>]
  /// The material index of every face (−1 without materials).
  let faceMaterials: [Int32]
  /// First vertex of every face (the face stage's plane point), file order.
  let faceOrigins: [SIMD3<Double>]
  /// The two faces of every manifold edge; `(−1, −1)` for boundary and non-manifold edges,
  /// which are silhouette candidates at every pose.
  let edgeFaces: [SIMD2<Int32>]
  /// The face across each local edge `k` (`v_k v_{k+1}`) of every face; −1 across boundary and
  /// non-manifold edges.
  let faceNeighbours: [SIMD3<Int32>]
  /// The two (file) vertices of every topology edge, as its first face lists them.
  let edgeVertices: [SIMD2<Int32>]
  /// The (file) vertex opposite every topology edge in its first and second face (−1 when it
  /// has one face).
  let edgeOpposites: [SIMD2<Int32>]
  /// For every face, the sign `σ` (of the consistently oriented normal towards the eye) its
  /// closed surface shows from outside, or 0 when its component is not closed.
  ///
  /// A component whose edges all have exactly two faces encloses a volume, and from outside
  /// only faces whose oriented normal points outward can be seen: 1 when the consistent
  /// orientation points outward (by the sign of the enclosed volume), −1 when inward.
  let visibleSide: [Int8]
  /// The component (by manifold adjacency) of every face.
  let faceComponent: [Int32]
  /// Per component: its bounding box (min, max).
  let componentBoxes: [(SIMD3<Double>, SIMD3<Double>)]

  /// Prepares a mesh for rendering.
  ///
  /// - Parameter mesh: A validated mesh (see ``Mesh/validated()``), normally normalised.
  /// - Complexity: O(V log V + F).
  public init(_ mesh: Mesh) {
    self.mesh = mesh
    positions = mesh.positions
    triangles = mesh.triangles
    let topology = MeshTopology(mesh)
    self.topology = topology
    fileNormalLengths = topology.fileFaceNormals.map { length($0) }
    faceHasZeroVertexNormal = mesh.triangles.map { t in
      (0..<3).contains { topology.vertexNormals[Int(t[$0])] == .zero }
    }
    faceOrigins = mesh.triangles.map { mesh.positions[Int($0.x)] }
    let edgeFaces = topology.edges.map {
      $0.isManifold ? SIMD2($0.face0, $0.face1) : SIMD2(-1, -1)
    }
    self.edgeFaces = edgeFaces
    faceNeighbours = topology.faceEdges.indices.map { f in
      var across = SIMD3<Int32>(repeating: -1)
      for k in 0..<3 {
        let faces = edgeFaces[Int(topology.faceEdges[f][k])]
        if faces.x >= 0 { across[k] = Int(faces.x) == f ? faces.y : faces.x }
      }
      return across
    }
    edgeVertices = topology.edges.indices.map { e in
      let f = Int(topology.edges[e].face0)
      let local = topology.faceEdges[f]
      let k = local.x == Int32(e) ? 0 : (local.y == Int32(e) ? 1 : 2)
      let t = mesh.triangles[f]
      return SIMD2(t[k], t[(k + 1) % 3])
    }
    edgeOpposites = topology.edges.map { edge in
      func opposite(_ f: Int32) -> Int32 {
        let t = mesh.triangles[Int(f)]
        for k in 0..<3 {
          let w = topology.weldedIndex[Int(t[k])]
          if w != edge.a && w != edge.b { return t[k] }
        }
        return t.x
      }
      return SIMD2(opposite(edge.face0), edge.faceCount > 1 ? opposite(edge.face1) : -1)
    }
    // Components by manifold adjacency; closed when every edge of theirs has two faces.
    var component = [Int32](repeating: -1, count: mesh.triangleCount)
    var closed: [Bool] = []
    var volumes: [Double] = []
    var boxes: [(SIMD3<Double>, SIMD3<Double>)] = []
    var stack: [Int] = []
    for start in 0..<mesh.triangleCount where component[start] < 0 {
      let id = Int32(closed.count)
      var isClosed = true
      var volume = 0.0
      var low = SIMD3<Double>(repeating: .infinity)
      var high = SIMD3<Double>(repeating: -.infinity)
      component[start] = id
      stack.append(start)
      while let f = stack.popLast() {
        let t = mesh.triangles[f]
        for k in 0..<3 {
          let p = mesh.positions[Int(t[k])]
          low = pointwiseMin(low, p)
          high = pointwiseMax(high, p)
          let edge = topology.edges[Int(topology.faceEdges[f][k])]
          if !edge.isManifold { isClosed = false }
          let g = faceNeighbours[f][k]
          if g >= 0 && component[Int(g)] < 0 {
            component[Int(g)] = id
            stack.append(Int(g))
          }
        }
        // Signed volume of the tetrahedron (origin, face) with the consistent orientation.
        let oriented = Double(topology.windingSigns[f]) * topology.fileFaceNormals[f]
        volume += dot(mesh.positions[Int(t.x)], oriented) / 6
      }
      closed.append(isClosed)
      volumes.append(volume)
      boxes.append((low, high))
    }
    visibleSide = component.map { c in
      let c = Int(c)
      guard closed[c], volumes[c] != 0 else { return 0 }
      return volumes[c] > 0 ? 1 : -1
    }
    faceComponent = component
    componentBoxes = boxes
    faceMaterials = mesh.faceMaterials ?? Array(repeating: -1, count: mesh.triangleCount)
    materialAlbedo = (0..<mesh.triangleCount).map { f in
      let c = mesh.albedo(ofFace: f)
      return SIMD3(
        min(max(c.x, 0), 1), min(max(c.y, 0), 1), min(max(c.z, 0), 1))
    }
  }

  /// Number of triangles.
  public var triangleCount: Int { triangles.count }
  /// Number of vertices.
  public var vertexCount: Int { positions.count }
}
