/// A triangle mesh: the geometry semrob renders.
///
/// Positions are in the file's (or generator's) units and axes until normalised
/// (``Mesh/normalized(_:)``); after ShapeNet-style normalisation the world frame is right-handed,
/// +Y up, front facing +Z, centred at the origin with the longest bounding-box side spanning
/// [-1, 1].
///
/// Invariants of a mesh built with ``init(positions:triangles:normals:faceMaterials:materials:)``
/// are checked by ``validated()``, not by the initialiser, so readers can build a mesh first and
/// report every problem at once. `positions` may contain vertices no triangle references (they
/// take part in the `nmr` normalisation rule, which uses every `v` record of an OBJ file).
public struct Mesh: Sendable, Hashable {
  /// Vertex positions, Float64, one per vertex.
  public var positions: [SIMD3<Double>]
  /// Triangles as 0-based indices into `positions`, in the file's winding order.
  public var triangles: [SIMD3<Int32>]
  /// Optional vertex normals, one per vertex (same count as `positions`), not necessarily unit.
  public var normals: [SIMD3<Double>]?
  /// Optional material index per triangle (same count as `triangles`), indexing `materials`.
  public var faceMaterials: [Int32]?
  /// Materials referenced by `faceMaterials`.
  public var materials: [Material]

  /// Creates a mesh from its parts without checking them; call ``validated()`` before use.
  ///
  /// - Parameters:
  ///   - positions: Vertex positions.
  ///   - triangles: 0-based vertex indices per triangle.
  ///   - normals: Optional per-vertex normals (count must equal `positions.count`).
  ///   - faceMaterials: Optional per-triangle material indices (count must equal
  ///     `triangles.count`).
  ///   - materials: The material table `faceMaterials` indexes.
  public init(
    positions: [SIMD3<Double>], triangles: [SIMD3<Int32>], normals: [SIMD3<Double>]? = nil,
    faceMaterials: [Int32]? = nil, materials: [Material] = []
  ) {
    self.positions = positions
    self.triangles = triangles
    self.normals = normals
    self.faceMaterials = faceMaterials
    self.materials = materials
  }

  /// Number of vertices.
  public var vertexCount: Int { positions.count }
  /// Number of triangles.
  public var triangleCount: Int { triangles.count }

  /// The diffuse colour (linear RGB in [0, 1]) of triangle `face`: its material's colour, or
  /// white when the mesh has no materials.
  ///
  /// - Parameter face: A triangle index in `0..<triangleCount`.
  /// - Returns: The albedo of the face.
  public func albedo(ofFace face: Int) -> SIMD3<Double> {
    guard let faceMaterials else { return SIMD3(repeating: 1) }
    let m = Int(faceMaterials[face])
    return materials.indices.contains(m) ? materials[m].diffuse : SIMD3(repeating: 1)
  }
}

/// A surface material: a name and a diffuse colour.
public struct Material: Sendable, Hashable {
  /// The material's name as written in the source file (`usemtl` name for OBJ).
  public var name: String
  /// Diffuse colour, linear RGB, each component in [0, 1].
  public var diffuse: SIMD3<Double>

  /// Creates a material.
  ///
  /// - Parameters:
  ///   - name: The material's name.
  ///   - diffuse: Diffuse colour, linear RGB in [0, 1] (clamped by the renderer).
  public init(name: String, diffuse: SIMD3<Double> = SIMD3(repeating: 1)) {
    self.name = name
    self.diffuse = diffuse
  }
}
