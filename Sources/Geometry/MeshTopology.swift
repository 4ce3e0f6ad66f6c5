/// Connectivity derived from a mesh: welded vertices, consistent face orientation, vertex
/// normals and edge adjacency (METHODS §1.6–§1.7).
///
/// - Welding: vertices with bitwise-equal Float64 positions share one welded id.
/// - Orientation: faces are made consistently wound per connected component by breadth-first
///   propagation across manifold edges (exactly two incident faces), starting from the
///   lowest-index face of each component with its file winding. Non-manifold edges do not
///   propagate. The result is a sign per face, ``windingSigns``; the file's vertex order is
///   never changed, so local edge indices keep referring to the file's order.
/// - Vertex normals: `n_v = Σ_{f ∋ v} s_f N_f`, summed over the welded vertex, with
///   `N_f = (v1 − v0) × (v2 − v0)` in file winding and `s_f` the winding sign (area-weighted).
/// - Edges: one per unordered pair of welded vertices, with its incident faces.
public struct MeshTopology: Sendable {
  /// Welded id of every vertex (same count as the mesh's positions).
  public let weldedIndex: [Int32]
  /// Number of distinct welded vertices.
  public let weldedCount: Int
  /// `+1` or `−1` per face: the factor that turns the file winding into the consistent one.
  public let windingSigns: [Int8]
  /// Face normals in **file** winding, `N_f = (v1 − v0) × (v2 − v0)` (length = twice the area).
  public let fileFaceNormals: [SIMD3<Double>]
  /// Consistently oriented, area-weighted vertex normals (not normalised), one per vertex.
  public let vertexNormals: [SIMD3<Double>]
  /// Edges as pairs of welded ids, `a < b`.
  public let edges: [Edge]
  /// For each face, the edge ids of its local edges 0: v0v1, 1: v1v2, 2: v2v0.
  public let faceEdges: [SIMD3<Int32>]
  /// Number of connected components (through shared welded edges).
  public let componentCount: Int

  /// One undirected edge between two welded vertices.
  public struct Edge: Sendable, Hashable {
    /// Smaller welded vertex id.
    public var a: Int32
    /// Larger welded vertex id.
    public var b: Int32
    /// The first incident face (always present).
    public var face0: Int32
    /// The second incident face, or −1 for a boundary edge.
    public var face1: Int32
    /// Number of incident faces (1 boundary, 2 manifold, > 2 non-manifold).
    public var faceCount: Int32

    /// Whether the edge has exactly two incident faces.
    public var isManifold: Bool { faceCount == 2 }
  }

  /// Computes the topology of a (validated) mesh.
  ///
  /// - Parameter mesh: A mesh whose indices are in range (see ``Mesh/validated()``).
  /// - Complexity: O(V log V + F) expected.
  public init(_ mesh: Mesh) {
    let positions = mesh.positions
    let triangles = mesh.triangles

    // Weld by exact position equality (bit patterns; -0.0 and 0.0 are equal as Doubles and are
    // mapped to the same key by adding 0.0, which turns -0.0 into +0.0).
    var ids = [Int32](repeating: 0, count: positions.count)
    var table: [SIMD3<UInt64>: Int32] = [:]
    table.reserveCapacity(positions.count)
    for (i, p) in positions.enumerated() {
      let key = SIMD3((p.x + 0).bitPattern, (p.y + 0).bitPattern, (p.z + 0).bitPattern)
      if let id = table[key] {
        ids[i] = id
      } else {
        let id = Int32(table.count)
        table[key] = id
        ids[i] = id
      }
    }
    weldedIndex = ids
    weldedCount = table.count

    // Edges keyed by welded pair.
    var edgeList: [Edge] = []
    var edgeIDs: [UInt64: Int32] = [:]
    edgeIDs.reserveCapacity(triangles.count * 3 / 2 + 1)
    var faceEdges = [SIMD3<Int32>](repeating: .zero, count: triangles.count)
    for (f, t) in triangles.enumerated() {
      for k in 0..<3 {
        let wa = ids[Int(t[k])]
        let wb = ids[Int(t[(k + 1) % 3])]
        let (a, b) = wa < wb ? (wa, wb) : (wb, wa)
        let key = UInt64(UInt32(bitPattern: a)) << 32 | UInt64(UInt32(bitPattern: b))
        if let e = edgeIDs[key] {
          faceEdges[f][k] = e
          if edgeList[Int(e)].faceCount == 1 { edgeList[Int(e)].face1 = Int32(f) }
          edgeList[Int(e)].faceCount += 1
        } else {
          let e = Int32(edgeList.count)
          edgeIDs[key] = e
          edgeList.append(Edge(a: a, b: b, face0: Int32(f), face1: -1, faceCount: 1))
          faceEdges[f][k] = e
        }
      }
    }
    edges = edgeList
    self.faceEdges = faceEdges

    // Consistent orientation by breadth-first propagation across manifold edges.
    var signs = [Int8](repeating: 0, count: triangles.count)
    var components = 0
    var queue: [Int] = []
    queue.reserveCapacity(triangles.count)
    for start in triangles.indices where signs[start] == 0 {
      components += 1
      signs[start] = 1
      queue.removeAll(keepingCapacity: true)
      queue.append(start)
      var head = 0
      while head < queue.count {
        let f = queue[head]
        head += 1
        for k in 0..<3 {
          let edge = edgeList[Int(faceEdges[f][k])]
          guard edge.isManifold else { continue }
          let g = Int(edge.face0) == f ? Int(edge.face1) : Int(edge.face0)
          guard g != f, signs[g] == 0 else { continue }
          // f traverses the edge from wa to wb in file order; a consistently oriented neighbour
          // traverses it the other way. If g traverses it the same way, its winding is flipped.
          let wa = ids[Int(triangles[f][k])]
          let sameDirection = Mesh.traverses(triangles[g], ids, from: wa, edge: edge)
          signs[g] = sameDirection ? -signs[f] : signs[f]
          queue.append(g)
        }
      }
    }
    windingSigns = signs
    componentCount = components

    // Face and vertex normals.
    var faceNormals = [SIMD3<Double>](repeating: .zero, count: triangles.count)
    var weldedNormals = [SIMD3<Double>](repeating: .zero, count: weldedCount)
    for (f, t) in triangles.enumerated() {
      let p0 = positions[Int(t.x)]
      let n = cross(positions[Int(t.y)] - p0, positions[Int(t.z)] - p0)
      faceNormals[f] = n
      let oriented = Double(signs[f]) * n
      for k in 0..<3 { weldedNormals[Int(ids[Int(t[k])])] += oriented }
    }
    fileFaceNormals = faceNormals
    vertexNormals = ids.map { weldedNormals[Int($0)] }
  }
}

extension Mesh {
  /// Whether triangle `t` traverses `edge` starting at welded vertex `start` (in file order).
  fileprivate static func traverses(
    _ t: SIMD3<Int32>, _ ids: [Int32], from start: Int32, edge: MeshTopology.Edge
  ) -> Bool {
    let other = start == edge.a ? edge.b : edge.a
    for k in 0..<3 where ids[Int(t[k])] == start && ids[Int(t[(k + 1) % 3])] == other {
      return true
    }
    return false
  }
}
