internal import CAssimp

/// How ``MeshFiles/load(contentsOf:options:)`` imports files that go through assimp.
///
/// OBJ files are always read by semrob's own reader in this process; these options affect only
/// the other formats.
public struct MeshImportOptions: Sendable {
  /// Where assimp runs.
  public enum Isolation: Sendable, Hashable {
    /// Import in a forked child process whose address space is limited to what it inherits plus
    /// `memoryLimitBytes`, killed after `timeout`. A crash, an `abort()`, an allocation failure
    /// or a hang in assimp then becomes a thrown ``MeshFileError`` instead of taking the process
    /// down. Costs a `fork()` (a few milliseconds) per file.
    case childProcess(memoryLimitBytes: Int, timeout: Duration)
    /// Import in this process. Only for trusted files: a hostile file can make assimp allocate
    /// without bound or `abort()` (Debian builds keep its assertions on).
    case inProcess

    /// The default isolation: a child process with 1 GiB of extra address space and 30 s.
    ///
    /// Every model in Debian's `assimp-testmodels` imports within about 1 s and 150 MB of
    /// resident memory, so these limits leave ample room for legitimate files while stopping
    /// runaway allocations (`invalid/OutOfMemory.off` asks for hundreds of gigabytes) within
    /// milliseconds.
    public static let `default` = Isolation.childProcess(
      memoryLimitBytes: 1 << 30, timeout: .seconds(30))
  }

  /// Where assimp runs; defaults to ``Isolation/default``.
  public var isolation: Isolation
  /// The assimp post-processing steps; defaults to ``AssimpPostProcessing/default``.
  public var postProcessing: AssimpPostProcessing
  /// The largest OBJ file read (in process, whole), in bytes; defaults to 2 GiB.
  ///
  /// OBJ parsing needs several times the file size in memory, so the limit is checked before
  /// anything is allocated.
  public var maximumOBJBytes: Int

  /// Creates import options.
  ///
  /// - Parameters:
  ///   - isolation: Where assimp runs.
  ///   - postProcessing: assimp post-processing steps.
  ///   - maximumOBJBytes: The largest OBJ file read, in bytes.
  public init(
    isolation: Isolation = .default, postProcessing: AssimpPostProcessing = .default,
    maximumOBJBytes: Int = 2 << 30
  ) {
    precondition(maximumOBJBytes > 0, "MeshImportOptions: maximumOBJBytes must be positive")
    self.isolation = isolation
    self.postProcessing = postProcessing
    self.maximumOBJBytes = maximumOBJBytes
  }
}

/// assimp post-processing steps (`aiPostProcessSteps`), as a Swift option set.
///
/// The raw values are assimp's flag bits, so they can be passed to `aiImportFile` unchanged.
public struct AssimpPostProcessing: OptionSet, Sendable, Hashable {
  /// assimp's flag bits.
  public var rawValue: UInt32

  /// Creates a set from assimp's flag bits.
  ///
  /// - Parameter rawValue: A combination of `aiProcess_*` bits.
  public init(rawValue: UInt32) { self.rawValue = rawValue }

  /// `aiProcess_Triangulate`: split polygons into triangles (ear clipping, so concave polygons
  /// come out right).
  public static let triangulate = Self(rawValue: aiProcess_Triangulate.rawValue)
  /// `aiProcess_JoinIdenticalVertices`: weld vertices that are identical in every attribute,
  /// so the mesh is indexed rather than a triangle soup.
  public static let joinIdenticalVertices = Self(
    rawValue: aiProcess_JoinIdenticalVertices.rawValue)
  /// `aiProcess_GenSmoothNormals`: compute smooth vertex normals where the file has none
  /// (existing normals are kept).
  public static let generateSmoothNormals = Self(rawValue: aiProcess_GenSmoothNormals.rawValue)
  /// `aiProcess_GenNormals`: compute flat face normals where the file has none.
  public static let generateNormals = Self(rawValue: aiProcess_GenNormals.rawValue)
  /// `aiProcess_PreTransformVertices`: bake every node's transform into its meshes' vertices
  /// and flatten the scene graph, so the merged mesh is posed as the file shows it.
  public static let preTransformVertices = Self(
    rawValue: aiProcess_PreTransformVertices.rawValue)
  /// `aiProcess_SortByPType`: split meshes with mixed primitive types, so point and line
  /// primitives end up in meshes of their own, which the importer skips (and reports).
  public static let sortByPrimitiveType = Self(rawValue: aiProcess_SortByPType.rawValue)
  /// `aiProcess_ValidateDataStructure`: have assimp check the imported scene (indices in
  /// range, counts consistent) and fail the import instead of handing over a broken scene.
  public static let validateDataStructure = Self(
    rawValue: aiProcess_ValidateDataStructure.rawValue)
  /// `aiProcess_FindDegenerates`: turn degenerate triangles into lines or points.
  public static let findDegenerates = Self(rawValue: aiProcess_FindDegenerates.rawValue)
  /// `aiProcess_FindInvalidData`: remove invalid normals and texture coordinates.
  public static let findInvalidData = Self(rawValue: aiProcess_FindInvalidData.rawValue)
  /// `aiProcess_RemoveRedundantMaterials`: merge identical and drop unused materials.
  public static let removeRedundantMaterials = Self(
    rawValue: aiProcess_RemoveRedundantMaterials.rawValue)
  /// `aiProcess_FixInfacingNormals`: flip normals that point into the object.
  public static let fixInfacingNormals = Self(rawValue: aiProcess_FixInfacingNormals.rawValue)
  /// `aiProcess_OptimizeMeshes`: merge small meshes.
  public static let optimizeMeshes = Self(rawValue: aiProcess_OptimizeMeshes.rawValue)

  /// The default steps: triangulate, join identical vertices, generate smooth normals,
  /// pre-transform vertices and sort by primitive type.
  ///
  /// - `triangulate` + `sortByPrimitiveType` leave only triangles in triangle meshes; point and
  ///   line meshes are skipped by the importer with a warning. (Faces with more than three
  ///   indices that still arrive, e.g. when `triangulate` is removed, are fan-triangulated by
  ///   semrob.)
  /// - `joinIdenticalVertices` gives an indexed mesh, as the renderer and topology expect.
  /// - `generateSmoothNormals` fills ``Geometry/Mesh/normals`` for files without normals.
  /// - `preTransformVertices` bakes node transforms, so multi-node scenes (glTF, FBX, DAE) are
  ///   assembled as posed instead of stacked at their local origins.
  /// - `validateDataStructure` is *not* in the default: over Debian's assimp test models it
  ///   rejects a legitimate file (an STL with an empty `solid` next to a full one) and only
  ///   turns four crashes into messages — crashes that the default child-process isolation
  ///   already turns into errors. semrob range-checks every index itself when it merges meshes.
  ///   Add it when importing `.inProcess`, where a crash would take the process down.
  public static let `default`: AssimpPostProcessing = [
    .triangulate, .joinIdenticalVertices, .generateSmoothNormals, .preTransformVertices,
    .sortByPrimitiveType,
  ]
}
