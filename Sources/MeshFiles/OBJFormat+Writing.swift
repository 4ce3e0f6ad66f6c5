public import Geometry

extension OBJFormat {
  /// Writes a mesh as OBJ text: `v` records, `vn` records when the mesh has normals, one `f`
  /// record per triangle (1-based indices, `v//vn` when there are normals) and a `usemtl`
  /// record wherever the face material changes.
  ///
  /// Coordinates are written in Swift's shortest round-trip form, so
  /// ``parse(_:name:materialLoader:)`` reads back the same positions bit for bit, the same
  /// triangles in the same order and the same material table (when the MTL text from
  /// ``writeMaterialLibrary(_:)`` is supplied and material names are unique and have no
  /// leading or trailing blanks). Normals read back as unit vectors (the reader averages unit
  /// corner normals), and unreferenced vertices read back with zero normals.
  ///
  /// - Parameters:
  ///   - mesh: The mesh to write.
  ///   - materialLibrary: File name for an `mtllib` record; written only when the mesh has
  ///     face materials. Pass the name under which the ``writeMaterialLibrary(_:)`` text is
  ///     saved next to the OBJ file.
  /// - Returns: The OBJ text, with `\n` line endings.
  /// - Complexity: O(vertices + triangles).
  public static func write(_ mesh: Mesh, materialLibrary: String? = nil) -> String {
    var out = ""
    out.reserveCapacity(mesh.positions.count * 40 + mesh.triangles.count * 24 + 64)
    out += "# semrob OBJ: \(mesh.positions.count) vertices, \(mesh.triangles.count) triangles\n"
    let faceMaterials = mesh.faceMaterials
    if let materialLibrary, faceMaterials != nil {
      out += "mtllib \(singleLine(materialLibrary))\n"
    }
    for p in mesh.positions {
      out += "v \(p.x) \(p.y) \(p.z)\n"
    }
    let hasNormals = mesh.normals?.count == mesh.positions.count
    if hasNormals, let normals = mesh.normals {
      for n in normals { out += "vn \(n.x) \(n.y) \(n.z)\n" }
    }
    var current: Int32? = nil
    for (f, t) in mesh.triangles.enumerated() {
      if let faceMaterials, f < faceMaterials.count, faceMaterials[f] != current {
        current = faceMaterials[f]
        let m = Int(faceMaterials[f])
        let name = mesh.materials.indices.contains(m) ? mesh.materials[m].name : "material\(m)"
        out += "usemtl \(singleLine(name))\n"
      }
      let a = Int(t.x) + 1
      let b = Int(t.y) + 1
      let c = Int(t.z) + 1
      out += hasNormals ? "f \(a)//\(a) \(b)//\(b) \(c)//\(c)\n" : "f \(a) \(b) \(c)\n"
    }
    return out
  }

  /// Writes the MTL text for a mesh's materials: one `newmtl` record per material, in table
  /// order, each with its diffuse colour as `Kd r g b`.
  ///
  /// - Parameter mesh: The mesh whose ``Geometry/Mesh/materials`` to write.
  /// - Returns: The MTL text (`\n` line endings); empty when the mesh has no materials.
  public static func writeMaterialLibrary(_ mesh: Mesh) -> String {
    var out = ""
    for material in mesh.materials {
      let d = material.diffuse
      out += "newmtl \(singleLine(material.name))\nKd \(d.x) \(d.y) \(d.z)\n"
    }
    return out
  }

  /// `text` with line breaks (and a trailing backslash, which would continue the line)
  /// replaced by `_`, so a name stays on its record's line.
  private static func singleLine(_ text: String) -> String {
    var line = String(text.map { $0.isNewline ? "_" : $0 })
    if line.hasSuffix("\\") {
      line.removeLast()
      line += "_"
    }
    return line
  }
}
