internal import CAssimp
import Geometry

#if canImport(Glibc)
  import Glibc
#endif

/// The byte stream that carries an imported assimp scene out of the importer (through a pipe
/// from the child process, or through memory in-process).
///
/// Every value is a native-endian 32-bit word (`UInt32`, or a `Float`'s bit pattern); the
/// reader is always the same binary on the same machine. Layout:
///
/// ```
/// magic
/// MATERIAL  index hasColour r g b nameLength nameBytes…(padded to words)   (per material)
/// MESH      material vertexCount triangleCount hasNormals polygons points lines
///           positions[3·vertexCount] normals[3·vertexCount if hasNormals]
///           indices[3·triangleCount]                                         (per mesh)
/// END       sceneFlags meshCount materialCount
/// ```
/// or `magic FAILURE length messageBytes…` when assimp returns no scene. A stream that does
/// not end with END or FAILURE is truncated (the importer died while writing).
enum SceneStream {
  static var magic: UInt32 { 0x534D_5231 }  // "SMR1"
  static var materialTag: UInt32 { 1 }
  static var meshTag: UInt32 { 2 }
  static var endTag: UInt32 { 3 }
  static var failureTag: UInt32 { 4 }
  /// Longest string (material name, error message) carried, in bytes.
  static var maxStringBytes: Int { 1024 }

  /// Static C strings for the material keys (`AI_MATKEY_COLOR_DIFFUSE`, `AI_MATKEY_NAME`):
  /// no String-to-C conversion (and no allocation) is needed in the child.
  static var diffuseKey: StaticString { "$clr.diffuse" }
  static var nameKey: StaticString { "?mat.name" }
}

/// Buffers words and hands them to a pipe (child process) or to an array (in-process).
///
/// The child-process path is written for a freshly forked child of a multithreaded process:
/// it never allocates, calls only `write(2)` and touches no generic standard-library code that
/// is not `@_transparent` (pointer subscripts and integer arithmetic), so it cannot wait on a
/// lock another thread held at the time of the fork.
struct SceneWriter {
  /// Staging buffer, allocated by the parent before `fork()`.
  let buffer: UnsafeMutablePointer<UInt32>
  /// Capacity of `buffer` in words.
  let capacity: Int
  /// Destination pipe, or −1 to append to `collector`.
  let fileDescriptor: Int32
  /// In-process destination (parent only).
  let collector: UnsafeMutablePointer<[UInt8]>?
  var used = 0
  /// Set when `write(2)` failed; the stream is then incomplete.
  var failed = false

  @inline(__always)
  mutating func put(_ word: UInt32) {
    if used == capacity { flush() }
    buffer[used] = word
    used += 1
  }

  @inline(__always)
  mutating func put(_ value: Float) { put(value.bitPattern) }

  /// Writes `length` bytes from `bytes` as `length` followed by the bytes padded to words.
  mutating func putString(_ bytes: UnsafeRawPointer?, length: Int) {
    var n = length
    if n > SceneStream.maxStringBytes { n = SceneStream.maxStringBytes }
    if bytes == nil { n = 0 }
    put(UInt32(truncatingIfNeeded: n))
    let words = (n + 3) / 4
    if words == 0 { return }
    if used + words > capacity { flush() }
    buffer[used + words - 1] = 0  // zero the padding
    if let bytes { memcpy(UnsafeMutableRawPointer(buffer + used), bytes, n) }
    used += words
  }

  /// Sends the buffered words on.
  mutating func flush() {
    let byteCount = used * 4
    used = 0
    if byteCount == 0 || failed { return }
    if fileDescriptor >= 0 {
      var p = UnsafeRawPointer(buffer)
      var left = byteCount
      while left > 0 {
        let n = write(fileDescriptor, p, left)
        if n < 0 {
          if errno == EINTR { continue }
          failed = true
          return
        }
        p += n
        left -= n
      }
    } else if let collector {
      collector.pointee.append(
        contentsOf: UnsafeRawBufferPointer(start: UnsafeRawPointer(buffer), count: byteCount))
    }
  }
}

extension SceneStream {
  /// Writes the FAILURE record with assimp's current error string.
  static func writeFailure(_ writer: inout SceneWriter) {
    writer.put(magic)
    writer.put(failureTag)
    // `if let`, not Optional.map: the child must not instantiate generic metadata (a lock).
    if let message = aiGetErrorString() {
      writer.putString(UnsafeRawPointer(message), length: strlen(message))
    } else {
      writer.putString(nil, length: 0)
    }
  }

  /// Writes every material and mesh of `scene`, then END.
  ///
  /// Child-safe (see ``SceneWriter``): plain loops, pointer subscripts, C calls.
  /// `mMeshes` and `mMaterials` are arrays of pointers (`mMeshes[i]?.pointee`); `mVertices`,
  /// `mNormals`, `mFaces` are arrays of structs. Vertices are copied component by component
  /// (`aiVector3D` is 12 bytes). Faces with more than three indices are fan-triangulated
  /// `(i₀, iₖ, iₖ₊₁)`; faces with one or two indices (points, lines) are counted and skipped.
  static func writeScene(_ scene: UnsafePointer<aiScene>, into writer: inout SceneWriter) {
    writer.put(magic)
    let materialCount = Int(scene.pointee.mNumMaterials)
    let materials = scene.pointee.mMaterials
    var m = 0
    while m < materialCount {
      writer.put(materialTag)
      writer.put(UInt32(truncatingIfNeeded: m))
      var colour = aiColor4D()
      var hasColour = false
      var name = aiString()
      var hasName = false
      if let materials, let material = materials[m] {
        hasColour =
          aiGetMaterialColor(material, cString(diffuseKey), 0, 0, &colour) == aiReturn_SUCCESS
        hasName =
          aiGetMaterialString(material, cString(nameKey), 0, 0, &name) == aiReturn_SUCCESS
      }
      writer.put(hasColour ? UInt32(1) : UInt32(0))
      writer.put(colour.r)
      writer.put(colour.g)
      writer.put(colour.b)
      var length = hasName ? Int(name.length) : 0
      if length > maxStringBytes { length = maxStringBytes }
      writer.putString(&name.data, length: length)
      m += 1
    }

    let meshCount = Int(scene.pointee.mNumMeshes)
    let meshes = scene.pointee.mMeshes
    var i = 0
    while i < meshCount {
      if let meshes, let meshPointer = meshes[i] {
        writeMesh(meshPointer, into: &writer)
      }
      i += 1
    }
    writer.put(endTag)
    writer.put(scene.pointee.mFlags)
    writer.put(UInt32(truncatingIfNeeded: meshCount))
    writer.put(UInt32(truncatingIfNeeded: materialCount))
  }

  private static func writeMesh(
    _ meshPointer: UnsafePointer<aiMesh>, into writer: inout SceneWriter
  ) {
    let vertexCount = Int(meshPointer.pointee.mNumVertices)
    let faceCount = Int(meshPointer.pointee.mNumFaces)
    let vertices = meshPointer.pointee.mVertices
    let normals = meshPointer.pointee.mNormals
    let faces = meshPointer.pointee.mFaces

    // Pass 1: count what the faces hold.
    var triangles = 0
    var polygons = 0
    var points = 0
    var lines = 0
    if let faces {
      var f = 0
      while f < faceCount {
        let n = Int(faces[f].mNumIndices)
        if faces[f].mIndices == nil || n == 0 {
          // An empty face: nothing to draw.
        } else if n == 1 {
          points += 1
        } else if n == 2 {
          lines += 1
        } else {
          triangles += n - 2
          if n > 3 { polygons += 1 }
        }
        f += 1
      }
    }
    let usable = vertices != nil && triangles > 0
    writer.put(meshTag)
    writer.put(meshPointer.pointee.mMaterialIndex)
    writer.put(UInt32(truncatingIfNeeded: usable ? vertexCount : 0))
    writer.put(UInt32(truncatingIfNeeded: usable ? triangles : 0))
    let hasNormals = usable && normals != nil
    writer.put(hasNormals ? UInt32(1) : UInt32(0))
    writer.put(UInt32(truncatingIfNeeded: usable ? polygons : 0))
    writer.put(UInt32(truncatingIfNeeded: points))
    writer.put(UInt32(truncatingIfNeeded: lines))
    guard usable, let vertices, let faces else { return }

    var v = 0
    while v < vertexCount {
      let p = vertices[v]
      writer.put(p.x)
      writer.put(p.y)
      writer.put(p.z)
      v += 1
    }
    if hasNormals, let normals {
      v = 0
      while v < vertexCount {
        let n = normals[v]
        writer.put(n.x)
        writer.put(n.y)
        writer.put(n.z)
        v += 1
      }
    }
    // Pass 2: the triangles, in the same order as counted.
    var f = 0
    while f < faceCount {
      let n = Int(faces[f].mNumIndices)
      if n >= 3, let indices = faces[f].mIndices {
        var k = 1
        while k + 1 < n {
          writer.put(indices[0])
          writer.put(indices[k])
          writer.put(indices[k + 1])
          k += 1
        }
      }
      f += 1
    }
  }

  /// A `StaticString`'s bytes as a C string (static strings are NUL-terminated).
  @inline(__always)
  private static func cString(_ s: StaticString) -> UnsafePointer<CChar> {
    UnsafeRawPointer(s.utf8Start).assumingMemoryBound(to: CChar.self)
  }
}

// MARK: - Reading the stream (parent side)

/// An imported scene, decoded from a ``SceneStream`` and merged into one mesh.
struct DecodedScene {
  var mesh: Mesh
  var vertexCount: Int
  var triangleCount: Int
  var polygonsFanTriangulated: Int
  var warnings: [String]
}

/// Why a stream could not be decoded.
enum SceneStreamProblem: Error {
  /// The stream ended early or is inconsistent.
  case truncated(String)
  /// assimp returned no scene; its message.
  case importFailed(String)
  /// The scene is marked incomplete, or its content is unusable.
  case invalid(String)
}

extension SceneStream {
  /// Decodes a stream into one mesh: all triangle meshes concatenated (vertex indices offset),
  /// each triangle tagged with its mesh's material index, the scene's materials (diffuse
  /// colour, white when absent) as the material table.
  static func decode(_ bytes: [UInt8]) throws(SceneStreamProblem) -> DecodedScene {
    let result = bytes.withUnsafeBytes { raw in
      Result { () throws(SceneStreamProblem) in try decode(raw) }
    }
    return try result.get()
  }

  private static func decode(_ bytes: UnsafeRawBufferPointer) throws(SceneStreamProblem)
    -> DecodedScene
  {
    var reader = WordReader(bytes: bytes)
    guard reader.remaining >= 2, reader.next() == magic else {
      throw .truncated("the importer produced no output")
    }
    var materials: [Material] = []
    var positions: [SIMD3<Double>] = []
    var normals: [SIMD3<Double>] = []
    var allHaveNormals = true
    var triangles: [SIMD3<Int32>] = []
    var faceMaterials: [Int32] = []
    var polygons = 0
    var points = 0
    var lines = 0
    var emptyMeshes = 0
    var warnings: [String] = []
    var nonFiniteNormals = false
    var ended = false
    while !ended {
      guard let tag = reader.next() else {
        throw .truncated("the importer's output ends early (\(bytes.count) bytes)")
      }
      switch tag {
      case failureTag:
        let message = try reader.string()
        throw .importFailed(message.isEmpty ? "unknown error" : message)
      case materialTag:
        guard reader.remaining >= 5 else { throw .truncated("material record cut short") }
        _ = reader.next()
        let hasColour = reader.next() == 1
        let r = Double(reader.float())
        let g = Double(reader.float())
        let b = Double(reader.float())
        let name = try reader.string()
        var material = Material(name: name)
        if hasColour {
          let colour = SIMD3(r, g, b)
          if colour.x.isFinite && colour.y.isFinite && colour.z.isFinite {
            material.diffuse = colour
          } else {
            warnings.append(
              "material '\(MeshFileError.oneLine(name, limit: 100))' has a "
                + "non-finite diffuse colour; it is white")
          }
        }
        materials.append(material)
      case meshTag:
        guard reader.remaining >= 7 else { throw .truncated("mesh record cut short") }
        let material = reader.next()!
        let vertexCount = Int(reader.next()!)
        let triangleCount = Int(reader.next()!)
        let hasNormals = reader.next()! == 1
        polygons += Int(reader.next()!)
        points += Int(reader.next()!)
        lines += Int(reader.next()!)
        if triangleCount == 0 {
          emptyMeshes += 1
          continue
        }
        let words = vertexCount * (hasNormals ? 6 : 3) + triangleCount * 3
        guard reader.remaining >= words else {
          throw .truncated("mesh data cut short (\(reader.remaining) of \(words) words)")
        }
        guard positions.count + vertexCount < Int(Int32.max) else {
          throw .invalid("the scene has more than \(Int32.max - 1) vertices")
        }
        let offset = Int32(positions.count)
        positions += reader.vectors(vertexCount)
        if hasNormals {
          let meshNormals = reader.vectors(vertexCount)
          if !meshNormals.allSatisfy({ $0.x.isFinite && $0.y.isFinite && $0.z.isFinite }) {
            nonFiniteNormals = true
          }
          normals += meshNormals
        } else {
          allHaveNormals = false
        }
        guard
          let meshTriangles = reader.triangles(
            triangleCount, vertexCount: vertexCount, offset: offset)
        else {
          throw .invalid("a face references a vertex beyond the \(vertexCount) of its mesh")
        }
        triangles += meshTriangles
        faceMaterials += repeatElement(Int32(truncatingIfNeeded: material), count: triangleCount)
      case endTag:
        guard reader.remaining >= 3 else { throw .truncated("end record cut short") }
        let flags = reader.next()!
        if flags & UInt32(AI_SCENE_FLAGS_INCOMPLETE) != 0 {
          throw .invalid(
            "the scene is incomplete (no meshes or missing data; assimp set "
              + "AI_SCENE_FLAGS_INCOMPLETE)")
        }
        ended = true
      default:
        throw .truncated("unexpected record \(tag) in the importer's output")
      }
    }
    if points > 0 || lines > 0 {
      warnings.append(
        "skipped \(points) point and \(lines) line primitives (only triangles are used)")
    }
    if emptyMeshes > 0 && !triangles.isEmpty {
      warnings.append("skipped \(emptyMeshes) meshes without triangles")
    }
    var meshNormals: [SIMD3<Double>]? = nil
    if !positions.isEmpty && allHaveNormals {
      if nonFiniteNormals {
        warnings.append("ignored the vertex normals: some are NaN or infinite")
      } else {
        meshNormals = normals
      }
    } else if !normals.isEmpty {
      warnings.append("ignored the vertex normals: only some meshes have them")
    }
    let mesh = Mesh(
      positions: positions, triangles: triangles, normals: meshNormals,
      faceMaterials: materials.isEmpty ? nil : faceMaterials, materials: materials)
    return DecodedScene(
      mesh: mesh, vertexCount: positions.count, triangleCount: triangles.count,
      polygonsFanTriangulated: polygons, warnings: warnings)
  }
}

/// Reads native-endian words from the stream's bytes.
private struct WordReader {
  let bytes: UnsafeRawBufferPointer
  var offset = 0

  var remaining: Int { (bytes.count - offset) / 4 }

  mutating func next() -> UInt32? {
    guard offset + 4 <= bytes.count else { return nil }
    let word = bytes.loadUnaligned(fromByteOffset: offset, as: UInt32.self)
    offset += 4
    return word
  }

  mutating func float() -> Float { Float(bitPattern: next() ?? 0) }

  /// `count` Float32 triples as Float64 vectors; the caller has checked `remaining`.
  mutating func vectors(_ count: Int) -> [SIMD3<Double>] {
    precondition(remaining >= 3 * count)
    let base = bytes.baseAddress! + offset
    offset += 12 * count
    return [SIMD3<Double>](unsafeUninitializedCapacity: count) { buffer, initialized in
      for i in 0..<count {
        let x = base.loadUnaligned(fromByteOffset: 12 * i, as: Float.self)
        let y = base.loadUnaligned(fromByteOffset: 12 * i + 4, as: Float.self)
        let z = base.loadUnaligned(fromByteOffset: 12 * i + 8, as: Float.self)
        buffer[i] = SIMD3(Double(x), Double(y), Double(z))
      }
      initialized = count
    }
  }

  /// `count` index triples offset by `offset`, or nil when one is not below `vertexCount`.
  mutating func triangles(_ count: Int, vertexCount: Int, offset vertexOffset: Int32)
    -> [SIMD3<Int32>]?
  {
    precondition(remaining >= 3 * count)
    let base = bytes.baseAddress! + offset
    offset += 12 * count
    let limit = UInt32(truncatingIfNeeded: vertexCount)
    var valid = true
    let result = [SIMD3<Int32>](unsafeUninitializedCapacity: count) { buffer, initialized in
      for i in 0..<count {
        let a = base.loadUnaligned(fromByteOffset: 12 * i, as: UInt32.self)
        let b = base.loadUnaligned(fromByteOffset: 12 * i + 4, as: UInt32.self)
        let c = base.loadUnaligned(fromByteOffset: 12 * i + 8, as: UInt32.self)
        if a >= limit || b >= limit || c >= limit { valid = false }
        buffer[i] = SIMD3(
          vertexOffset &+ Int32(truncatingIfNeeded: a),
          vertexOffset &+ Int32(truncatingIfNeeded: b),
          vertexOffset &+ Int32(truncatingIfNeeded: c))
      }
      initialized = count
    }
    return valid ? result : nil
  }

  mutating func string() throws(SceneStreamProblem) -> String {
    guard let length = next().map(Int.init), length <= SceneStream.maxStringBytes else {
      throw .truncated("string record cut short")
    }
    let words = (length + 3) / 4
    guard remaining >= words else { throw .truncated("string record cut short") }
    let text = String(
      decoding: UnsafeRawBufferPointer(rebasing: bytes[offset..<offset + length]), as: UTF8.self)
    offset += words * 4
    return text
  }
}
