/// A problem that makes a mesh unusable.
public enum MeshError: Error, CustomStringConvertible, Equatable {
  /// The mesh has no vertices or no (non-degenerate) triangles.
  case empty(reason: String)
  /// A vertex coordinate is NaN or infinite.
  case nonFiniteCoordinate(vertex: Int)
  /// A normal is NaN or infinite.
  case nonFiniteNormal(vertex: Int)
  /// A triangle references a vertex that does not exist.
  case indexOutOfRange(triangle: Int, index: Int, vertexCount: Int)
  /// A per-vertex or per-face array has the wrong length.
  case countMismatch(what: String, expected: Int, found: Int)
  /// A triangle references a material that does not exist.
  case materialOutOfRange(triangle: Int, material: Int, materialCount: Int)

  /// A one-line description naming the problem.
  public var description: String {
    switch self {
    case .empty(let reason): "the mesh is empty: \(reason)"
    case .nonFiniteCoordinate(let v): "vertex \(v) has a non-finite coordinate (NaN or infinity)"
    case .nonFiniteNormal(let v): "normal \(v) has a non-finite component (NaN or infinity)"
    case .indexOutOfRange(let t, let i, let n):
      "triangle \(t) references vertex \(i), but the mesh has \(n) vertices (valid: 0..<\(n))"
    case .countMismatch(let what, let e, let f): "\(what): expected \(e) entries, found \(f)"
    case .materialOutOfRange(let t, let m, let n):
      "triangle \(t) references material \(m), but the mesh has \(n) materials"
    }
  }
}

/// What ``Mesh/validated()`` found and changed.
public struct MeshValidationReport: Sendable, Hashable, Codable {
  /// Triangles dropped because two of their indices are equal or their area is zero.
  public var degenerateTrianglesDropped: Int
  /// Vertices that no remaining triangle references (kept, see ``Mesh``).
  public var unreferencedVertices: Int

  /// Creates a report.
  ///
  /// - Parameters:
  ///   - degenerateTrianglesDropped: Number of triangles dropped.
  ///   - unreferencedVertices: Number of vertices no triangle references.
  public init(degenerateTrianglesDropped: Int = 0, unreferencedVertices: Int = 0) {
    self.degenerateTrianglesDropped = degenerateTrianglesDropped
    self.unreferencedVertices = unreferencedVertices
  }
}

extension Mesh {
  /// Checks the mesh and drops degenerate triangles.
  ///
  /// Checks, in order: per-vertex/per-face array lengths, finite coordinates and normals,
  /// triangle indices in range, material indices in range. Then drops triangles with a repeated
  /// index or an exactly zero cross product `(v1 − v0) × (v2 − v0)` (computed in Float64), and
  /// rejects a mesh with no vertices or no remaining triangles.
  ///
  /// - Returns: The cleaned mesh and a report of what was dropped.
  /// - Throws: ``MeshError`` naming the first problem found.
  /// - Complexity: O(vertices + triangles).
  public func validated() throws(MeshError) -> (mesh: Mesh, report: MeshValidationReport) {
    if positions.isEmpty { throw .empty(reason: "it has no vertices") }
    if triangles.isEmpty { throw .empty(reason: "it has no faces") }
    if let normals, normals.count != positions.count {
      throw .countMismatch(
        what: "vertex normals", expected: positions.count, found: normals.count)
    }
    if let faceMaterials, faceMaterials.count != triangles.count {
      throw .countMismatch(
        what: "face materials", expected: triangles.count, found: faceMaterials.count)
    }
    for (i, p) in positions.enumerated()
    where !(p.x.isFinite && p.y.isFinite && p.z.isFinite) {
      throw .nonFiniteCoordinate(vertex: i)
    }
    if let normals {
      for (i, n) in normals.enumerated() where !(n.x.isFinite && n.y.isFinite && n.z.isFinite) {
        throw .nonFiniteNormal(vertex: i)
      }
    }
    let n = positions.count
    for (t, tri) in triangles.enumerated() {
      for k in 0..<3 where tri[k] < 0 || Int(tri[k]) >= n {
        throw .indexOutOfRange(triangle: t, index: Int(tri[k]), vertexCount: n)
      }
    }
    if let faceMaterials {
      for (t, m) in faceMaterials.enumerated() where m < 0 || Int(m) >= materials.count {
        throw .materialOutOfRange(triangle: t, material: Int(m), materialCount: materials.count)
      }
    }

    var kept: [SIMD3<Int32>] = []
    kept.reserveCapacity(triangles.count)
    var keptMaterials: [Int32]? = faceMaterials.map { _ in [] }
    var referenced = [Bool](repeating: false, count: n)
    for (t, tri) in triangles.enumerated() {
      if Mesh.isDegenerate(tri, positions) { continue }
      kept.append(tri)
      keptMaterials?.append(faceMaterials![t])
      referenced[Int(tri.x)] = true
      referenced[Int(tri.y)] = true
      referenced[Int(tri.z)] = true
    }
    if kept.isEmpty {
      throw .empty(reason: "all \(triangles.count) faces are degenerate (zero area)")
    }
    var result = self
    result.triangles = kept
    result.faceMaterials = keptMaterials
    let report = MeshValidationReport(
      degenerateTrianglesDropped: triangles.count - kept.count,
      unreferencedVertices: referenced.lazy.filter { !$0 }.count)
    return (result, report)
  }

  /// Whether a triangle has a repeated index or zero area (exact test in Float64).
  static func isDegenerate(_ tri: SIMD3<Int32>, _ positions: [SIMD3<Double>]) -> Bool {
    if tri.x == tri.y || tri.y == tri.z || tri.x == tri.z { return true }
    let p0 = positions[Int(tri.x)]
    let n = cross(positions[Int(tri.y)] - p0, positions[Int(tri.z)] - p0)
    return n == .zero
  }
}
