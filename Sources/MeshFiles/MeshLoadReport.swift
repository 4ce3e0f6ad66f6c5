public import Geometry

/// What a reader found in a mesh file and what it changed on the way to a ``Geometry/Mesh``.
public struct MeshLoadReport: Sendable, Hashable, Codable {
  /// The file's format: its lower-case extension without the dot (`"obj"`, `"ply"`).
  public var format: String
  /// The reader that produced the mesh: `"semrob OBJ reader"` or `"assimp: <importer name>"`.
  public var importer: String
  /// Vertices as read, before validation (every OBJ `v` record; for assimp, the vertices of
  /// all triangle meshes after post-processing).
  public var vertexCount: Int
  /// Triangles as read, after triangulation and before degenerate triangles are dropped.
  public var triangleCount: Int
  /// Faces with more than three vertices that semrob fan-triangulated as `(v0, vᵢ, vᵢ₊₁)`.
  ///
  /// When assimp's `triangulate` step is on (the default), assimp splits polygons itself
  /// before semrob sees them, so this stays 0 for assimp imports.
  public var polygonsFanTriangulated: Int
  /// Triangles dropped by ``Geometry/Mesh/validated()`` (repeated index or zero area).
  public var degenerateTrianglesDropped: Int
  /// Vertices no remaining triangle references (they are kept).
  public var unreferencedVertices: Int
  /// Number of entries in the mesh's material table.
  public var materialCount: Int
  /// Things that were ignored or substituted, one line each (missing MTL file, skipped line or
  /// point primitives, unknown records).
  public var warnings: [String]
  /// Peak resident memory of the isolated importer process in bytes (`ru_maxrss`, which
  /// includes the pages the child shares with the parent), or `nil` when the file was read in
  /// this process.
  public var importerPeakMemoryBytes: Int?

  /// Creates a report.
  ///
  /// - Parameters:
  ///   - format: Lower-case extension without the dot.
  ///   - importer: Name of the reader.
  ///   - vertexCount: Vertices as read.
  ///   - triangleCount: Triangles as read, before validation.
  ///   - polygonsFanTriangulated: Polygons semrob fan-triangulated.
  ///   - degenerateTrianglesDropped: Triangles dropped by validation.
  ///   - unreferencedVertices: Vertices no triangle references.
  ///   - materialCount: Size of the material table.
  ///   - warnings: One-line warnings.
  ///   - importerPeakMemoryBytes: Peak RSS of the importer process, if isolated.
  public init(
    format: String, importer: String, vertexCount: Int = 0, triangleCount: Int = 0,
    polygonsFanTriangulated: Int = 0, degenerateTrianglesDropped: Int = 0,
    unreferencedVertices: Int = 0, materialCount: Int = 0, warnings: [String] = [],
    importerPeakMemoryBytes: Int? = nil
  ) {
    self.format = format
    self.importer = importer
    self.vertexCount = vertexCount
    self.triangleCount = triangleCount
    self.polygonsFanTriangulated = polygonsFanTriangulated
    self.degenerateTrianglesDropped = degenerateTrianglesDropped
    self.unreferencedVertices = unreferencedVertices
    self.materialCount = materialCount
    self.warnings = warnings
    self.importerPeakMemoryBytes = importerPeakMemoryBytes
  }
}

/// A validated mesh together with the report of how it was read.
public struct LoadedMesh: Sendable {
  /// The mesh, already passed through ``Geometry/Mesh/validated()``.
  public var mesh: Mesh
  /// What the reader found and changed.
  public var report: MeshLoadReport

  /// Pairs a validated mesh with its report.
  ///
  /// - Parameters:
  ///   - mesh: A mesh that has passed ``Geometry/Mesh/validated()``.
  ///   - report: The load report.
  public init(mesh: Mesh, report: MeshLoadReport) {
    self.mesh = mesh
    self.report = report
  }
}

extension Mesh {
  /// Validates the mesh and folds the validation result into `report`.
  ///
  /// - Throws: ``MeshFileError/invalidMesh(path:reason:)`` naming `path`.
  func validatedForLoading(path: String, report: inout MeshLoadReport) throws(MeshFileError)
    -> Mesh
  {
    do {
      let (mesh, validation) = try validated()
      report.degenerateTrianglesDropped = validation.degenerateTrianglesDropped
      report.unreferencedVertices = validation.unreferencedVertices
      report.materialCount = mesh.materials.count
      return mesh
    } catch {
      throw .invalidMesh(path: path, reason: error.description)
    }
  }
}
