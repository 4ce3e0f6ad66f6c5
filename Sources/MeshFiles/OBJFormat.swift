public import Foundation
public import Geometry

/// Wavefront OBJ (and MTL) reading and writing, without assimp.
///
/// The reader understands the polygonal subset of OBJ:
/// - `v x y z [w] [r g b]` (the optional `w` and per-vertex colour are ignored), `vn`, `vt`;
/// - `f` and `fo` faces in every index form (`v`, `v/vt`, `v//vn`, `v/vt/vn`), with 1-based
///   absolute or negative (relative) indices; polygons with `k > 3` vertices are
///   fan-triangulated as `(v0, vᵢ, vᵢ₊₁)`, i = 1 … k−2 (METHODS §1.1);
/// - `mtllib` and `usemtl`, taking each material's diffuse colour `Kd` from the MTL files;
/// - `g`, `o`, `s` and `mg` (accepted, no effect); `l` and `p` (ignored, counted in the
///   warnings); other records are ignored with a warning;
/// - `#` comments, blank lines, tabs, CRLF line endings, a UTF-8 byte order mark, UTF-16 text
///   with a byte order mark, and lines continued with a trailing backslash.
///
/// Every `v` record becomes a vertex, including vertices no face references (METHODS §1.1 uses
/// them for the `nmr` normalisation). Positive indices may refer to vertices defined later in
/// the file; negative indices count back from the vertices defined so far.
public enum OBJFormat {
  /// Parses an OBJ file into a validated mesh.
  ///
  /// Materials: the material table lists the materials of the MTL files in the order they are
  /// defined there (including ones no face uses), then `usemtl` names the MTL files do not
  /// define (white, with a warning), then — only when some faces precede the first `usemtl` —
  /// a white material with an empty name for those faces. A file without `usemtl` has no face
  /// materials (the mesh is white). A missing or unreadable MTL file is a warning.
  ///
  /// Normals: OBJ normals belong to face corners. When every vertex that a triangle references
  /// has at least one corner normal, ``Geometry/Mesh/normals`` is the average of the unit corner
  /// normals of each vertex (zero for unreferenced vertices); otherwise it is `nil`.
  ///
  /// - Parameters:
  ///   - data: The file's bytes.
  ///   - name: The file's name or path, used in errors.
  ///   - materialLoader: Returns the bytes of the MTL file named in an `mtllib` record (as
  ///     written, relative to the OBJ file), or `nil` when it cannot be read.
  /// - Returns: The validated mesh and the load report.
  /// - Throws: ``MeshFileError/malformed(path:line:reason:)`` for a bad number, a face with
  ///   fewer than three vertices, index 0, an out-of-range index or binary data;
  ///   ``MeshFileError/invalidMesh(path:reason:)`` when validation fails (no faces, non-finite
  ///   coordinates, every face degenerate).
  /// - Complexity: O(bytes); about 1 s per 100 MB of text in a release build.
  public static func parse(
    _ data: Data, name: String, materialLoader: (String) -> Data?
  ) throws -> (Mesh, MeshLoadReport) {
    try parseTyped(data, name: name, materialLoader: materialLoader)
  }

  /// ``parse(_:name:materialLoader:)`` with a typed error.
  static func parseTyped(
    _ data: Data, name: String, materialLoader: (String) -> Data?
  ) throws(MeshFileError) -> (Mesh, MeshLoadReport) {
    var parser = OBJParser(path: name)
    let outcome = utf8Text(data).withUnsafeBytes { raw in
      Result { () throws(MeshFileError) in try parser.parse(raw) }
    }
    try outcome.get()
    var report = MeshLoadReport(format: "obj", importer: "semrob OBJ reader")
    let mesh = try parser.makeMesh(materialLoader: materialLoader, report: &report)
    let validated = try mesh.validatedForLoading(path: name, report: &report)
    return (validated, report)
  }
}

extension OBJFormat {
  /// `data` as UTF-8: UTF-16 text with a byte order mark (some Windows exporters write it) is
  /// transcoded; anything else is returned unchanged.
  static func utf8Text(_ data: Data) -> Data {
    guard data.count >= 2 else { return data }
    let first = data[data.startIndex]
    let second = data[data.startIndex + 1]
    let bigEndian: Bool
    switch (first, second) {
    case (0xFE, 0xFF): bigEndian = true
    case (0xFF, 0xFE): bigEndian = false
    default: return data
    }
    var units: [UInt16] = []
    units.reserveCapacity(data.count / 2 - 1)
    var i = data.startIndex + 2
    while i + 1 < data.endIndex {
      let a = UInt16(data[i])
      let b = UInt16(data[i + 1])
      units.append(bigEndian ? a << 8 | b : b << 8 | a)
      i += 2
    }
    return Data(String(decoding: units, as: UTF16.self).utf8)
  }
}

/// The state of one OBJ parse.
struct OBJParser {
  let path: String
  var positions: [SIMD3<Double>] = []
  var normals: [SIMD3<Double>] = []
  var textureCoordinateCount = 0
  var triangles: [SIMD3<Int32>] = []
  /// Per triangle: index into `materialNames`, or −1 before the first `usemtl`.
  var triangleMaterials: [Int32] = []
  /// `(vertex, normal)` per face corner that names a normal (0-based).
  var cornerNormals: [SIMD2<Int32>] = []
  var materialNames: [String] = []
  var materialLookup: [String: Int32] = [:]
  var currentMaterial: Int32 = -1
  /// `mtllib` records: the whole argument text and its blank-separated tokens.
  var libraries: [(whole: String, tokens: [String])] = []
  var polygons = 0
  var lineRecords = 0
  var pointRecords = 0
  var unknownRecords: [String: (count: Int, firstLine: Int)] = [:]
  /// Largest positive index seen per kind, and the line of its first appearance.
  var largestVertexIndex = (value: 0, line: 0)
  var largestNormalIndex = (value: 0, line: 0)
  var largestTextureIndex = (value: 0, line: 0)

  init(path: String) { self.path = path }

  func error(_ line: Int, _ reason: String) -> MeshFileError {
    .malformed(path: path, line: line, reason: reason)
  }

  mutating func parse(_ raw: UnsafeRawBufferPointer) throws(MeshFileError) {
    var s = TextScanner(raw)
    // A rough size guess: typical OBJ lines are 20–40 bytes, about half of them vertices.
    positions.reserveCapacity(raw.count / 60)
    triangles.reserveCapacity(raw.count / 50)
    while !s.isAtEnd {
      guard let keyword = s.nextToken() else {
        s.finishLine()
        continue
      }
      let line = s.line
      let length = keyword.count
      let k0 = s.bytes[keyword.lowerBound]
      let k1: UInt8 = length > 1 ? s.bytes[keyword.lowerBound + 1] : 0
      switch (length, k0, k1) {
      case (1, UInt8(ascii: "v"), _):
        positions.append(try vector(&s, line: line, what: "vertex"))
        while let extra = s.nextToken() {  // optional w, or r g b: ignored but must be numbers
          guard s.double(extra) != nil else {
            throw error(line, "\(s.quoted(extra)) is not a number")
          }
        }
      case (2, UInt8(ascii: "v"), UInt8(ascii: "n")):
        normals.append(try vector(&s, line: line, what: "normal"))
        s.skipTokens()
      case (2, UInt8(ascii: "v"), UInt8(ascii: "t")):
        var n = 0
        while let t = s.nextToken() {
          guard s.double(t) != nil else { throw error(line, "\(s.quoted(t)) is not a number") }
          n += 1
        }
        if n == 0 { throw error(line, "texture coordinate has no values") }
        textureCoordinateCount += 1
      case (1, UInt8(ascii: "f"), _):
        try face(&s, line: line)
      case (2, UInt8(ascii: "f"), UInt8(ascii: "o")):
        try face(&s, line: line)
      case (1, UInt8(ascii: "g"), _), (1, UInt8(ascii: "o"), _), (1, UInt8(ascii: "s"), _),
        (2, UInt8(ascii: "m"), UInt8(ascii: "g")):
        s.skipTokens()
      case (1, UInt8(ascii: "l"), _):
        lineRecords += 1
        s.skipTokens()
      case (1, UInt8(ascii: "p"), _):
        pointRecords += 1
        s.skipTokens()
      default:
        if s.token(keyword, is: "usemtl") {
          let name = s.restOfLine().map { s.string($0) } ?? ""
          if let index = materialLookup[name] {
            currentMaterial = index
          } else {
            currentMaterial = Int32(materialNames.count)
            materialLookup[name] = currentMaterial
            materialNames.append(name)
          }
        } else if s.token(keyword, is: "mtllib") {
          var tokens: [String] = []
          while let t = s.nextToken() { tokens.append(s.string(t)) }
          if !tokens.isEmpty { libraries.append((tokens.joined(separator: " "), tokens)) }
        } else if let byte = s.binaryByte(in: keyword) {
          throw error(
            line,
            "unexpected binary data (byte 0x\(String(byte, radix: 16, uppercase: true))); "
              + "this is not a text OBJ file")
        } else {
          let word = s.string(keyword.lowerBound..<min(keyword.upperBound, keyword.lowerBound + 24))
          if let seen = unknownRecords[word] {
            unknownRecords[word] = (seen.count + 1, seen.firstLine)
          } else {
            unknownRecords[word] = (1, line)
          }
          s.skipTokens()
        }
      }
      s.finishLine()
    }
  }

  /// Reads three coordinates.
  func vector(_ s: inout TextScanner, line: Int, what: String) throws(MeshFileError)
    -> SIMD3<Double>
  {
    var v = SIMD3<Double>()
    for k in 0..<3 {
      guard let t = s.nextToken() else {
        throw error(line, "\(what) has \(k) coordinates; it needs 3")
      }
      guard let x = s.double(t) else {
        throw error(line, "\(s.quoted(t)) is not a number")
      }
      v[k] = x
    }
    return v
  }

  /// Reads one `f`/`fo` record and fan-triangulates it.
  mutating func face(_ s: inout TextScanner, line: Int) throws(MeshFileError) {
    var first: Int32 = 0
    var previous: Int32 = 0
    var corners = 0
    while let token = s.nextToken() {
      let end = token.upperBound
      let (vertexField, afterVertex) = s.indexField(from: token.lowerBound, to: end)
      guard case .value(let rawVertex) = vertexField else {
        throw error(
          line, "face vertex \(s.quoted(token)) is not of the form v, v/vt, v//vn or v/vt/vn")
      }
      let vertex = try resolve(
        rawVertex, count: positions.count, line: line, kind: "face index", plural: "vertices",
        largest: &largestVertexIndex)
      var p = afterVertex
      if p < end {  // at '/'
        p += 1
        let (textureField, afterTexture) = s.indexField(from: p, to: end)
        switch textureField {
        case .malformed:
          throw error(line, "face vertex \(s.quoted(token)) has a malformed texture index")
        case .value(let raw):
          _ = try resolve(
            raw, count: textureCoordinateCount, line: line, kind: "texture coordinate index",
            plural: "texture coordinates", largest: &largestTextureIndex)
        case .absent:
          break
        }
        p = afterTexture
        if p < end {  // at the second '/'
          p += 1
          let (normalField, afterNormal) = s.indexField(from: p, to: end)
          guard afterNormal == end else {
            throw error(line, "face vertex \(s.quoted(token)) has more than three fields")
          }
          switch normalField {
          case .malformed:
            throw error(line, "face vertex \(s.quoted(token)) has a malformed normal index")
          case .value(let raw):
            let normal = try resolve(
              raw, count: normals.count, line: line, kind: "normal index", plural: "normals",
              largest: &largestNormalIndex)
            cornerNormals.append(SIMD2(vertex, normal))
          case .absent:
            break
          }
        }
      }
      switch corners {
      case 0: first = vertex
      case 1: previous = vertex
      default:
        triangles.append(SIMD3(first, previous, vertex))
        triangleMaterials.append(currentMaterial)
        previous = vertex
      }
      corners += 1
    }
    if corners < 3 {
      throw error(
        line, "face has \(corners) \(corners == 1 ? "vertex" : "vertices"); a face needs at least 3"
      )
    }
    if corners > 3 { polygons += 1 }
  }

  /// Turns a 1-based or negative OBJ index into a 0-based one.
  ///
  /// Positive indices are checked against the final count after the whole file is read (the
  /// largest one is remembered); negative ones are resolved against `count`, the number of
  /// elements defined so far.
  func resolve(
    _ raw: Int, count: Int, line: Int, kind: String, plural: String,
    largest: inout (value: Int, line: Int)
  ) throws(MeshFileError) -> Int32 {
    if raw > 0 {
      if raw > largest.value { largest = (raw, line) }
      return Int32(truncatingIfNeeded: raw - 1)
    }
    if raw == 0 {
      throw error(
        line,
        "\(kind) 0 is invalid (OBJ indices start at 1; negative indices count back from the "
          + "last one defined)")
    }
    let index = count + raw
    if index < 0 {
      throw error(
        line,
        "relative \(kind) \(raw) points before the first of the \(count) \(plural) defined so far")
    }
    return Int32(truncatingIfNeeded: index)
  }

  /// Checks the index ranges and assembles the (unvalidated) mesh.
  mutating func makeMesh(
    materialLoader: (String) -> Data?, report: inout MeshLoadReport
  ) throws(MeshFileError) -> Mesh {
    let vertexCount = positions.count
    guard vertexCount < Int(Int32.max) else {
      throw .malformed(
        path: path, line: nil,
        reason: "the file has \(MeshFileError.grouped(vertexCount)) vertices; at most "
          + "\(MeshFileError.grouped(Int32.max - 1)) are supported")
    }
    if largestVertexIndex.value > vertexCount {
      throw error(
        largestVertexIndex.line,
        "face index \(largestVertexIndex.value) is out of range (file has \(vertexCount) "
          + "vertices)")
    }
    if largestNormalIndex.value > normals.count {
      throw error(
        largestNormalIndex.line,
        "normal index \(largestNormalIndex.value) is out of range (file has \(normals.count) "
          + "normals)")
    }
    if largestTextureIndex.value > textureCoordinateCount {
      throw error(
        largestTextureIndex.line,
        "texture coordinate index \(largestTextureIndex.value) is out of range (file has "
          + "\(textureCoordinateCount) texture coordinates)")
    }

    report.vertexCount = vertexCount
    report.triangleCount = triangles.count
    report.polygonsFanTriangulated = polygons
    var warnings: [String] = []
    if lineRecords > 0 {
      warnings.append("ignored \(lineRecords) line ('l') record\(lineRecords == 1 ? "" : "s")")
    }
    if pointRecords > 0 {
      warnings.append(
        "ignored \(pointRecords) point ('p') record\(pointRecords == 1 ? "" : "s")")
    }
    for (word, seen) in unknownRecords.sorted(by: { $0.value.firstLine < $1.value.firstLine }) {
      warnings.append(
        "ignored \(seen.count) unsupported '\(MeshFileError.oneLine(word, limit: 24))' "
          + "record\(seen.count == 1 ? "" : "s") (first at line \(seen.firstLine))")
    }

    let vertexNormals = averagedNormals(warnings: &warnings)
    let (faceMaterials, materials) = resolveMaterials(loader: materialLoader, warnings: &warnings)
    report.warnings = warnings
    return Mesh(
      positions: positions, triangles: triangles, normals: vertexNormals,
      faceMaterials: faceMaterials, materials: materials)
  }

  /// Per-vertex normals: the mean of each vertex's unit corner normals, when every referenced
  /// vertex has one (zero-length or non-finite normals do not count).
  func averagedNormals(warnings: inout [String]) -> [SIMD3<Double>]? {
    guard !cornerNormals.isEmpty else { return nil }
    var sums = [SIMD3<Double>](repeating: .zero, count: positions.count)
    var counts = [Int32](repeating: 0, count: positions.count)
    for corner in cornerNormals {
      let n = normals[Int(corner.y)]
      let size = length(n)
      guard size.isFinite, size > 0 else { continue }
      sums[Int(corner.x)] += n / size
      counts[Int(corner.x)] += 1
    }
    var missing = 0
    var checked = [Bool](repeating: false, count: positions.count)
    for t in triangles {
      for k in 0..<3 where !checked[Int(t[k])] {
        checked[Int(t[k])] = true
        if counts[Int(t[k])] == 0 { missing += 1 }
      }
    }
    if missing > 0 {
      warnings.append(
        "ignored the vertex normals: \(missing) vertices used by faces have no usable normal")
      return nil
    }
    return positions.indices.map { counts[$0] > 0 ? sums[$0] / Double(counts[$0]) : .zero }
  }

  /// Builds the material table (MTL definition order, then undefined names, then the unnamed
  /// default) and maps every triangle into it.
  func resolveMaterials(loader: (String) -> Data?, warnings: inout [String])
    -> ([Int32]?, [Material])
  {
    guard !materialNames.isEmpty else { return (nil, []) }
    var materials: [Material] = []
    var tableIndex: [String: Int32] = [:]
    var loaded = Set<String>()
    var anyLibraryRead = false
    // At most 32 distinct library files per OBJ: each may be up to 64 MB, and a hostile file
    // could name thousands.
    let maximumLibraries = 32
    for library in libraries {
      if loaded.count >= maximumLibraries {
        warnings.append(
          "more than \(maximumLibraries) material libraries; the rest are ignored (white)")
        break
      }
      // A single file name with blanks is tried whole first; otherwise each token is a file.
      var candidates = [library.whole]
      if library.tokens.count > 1 && loader(library.whole) == nil {
        candidates = library.tokens
      }
      for file in candidates where !loaded.contains(file) {
        loaded.insert(file)
        guard let data = loader(file) else {
          warnings.append(
            "material library '\(MeshFileError.oneLine(file, limit: 200))' was not found or "
              + "could not be read; its materials are white")
          continue
        }
        anyLibraryRead = true
        for definition in MTLParser.parse(data, name: file, warnings: &warnings) {
          if let existing = tableIndex[definition.name] {
            materials[Int(existing)].diffuse = definition.diffuse
          } else {
            tableIndex[definition.name] = Int32(materials.count)
            materials.append(definition)
          }
        }
      }
    }
    if libraries.isEmpty {
      warnings.append(
        "the file uses materials but names no material library (mtllib); "
          + "its faces are white")
    }
    var nameToTable = [Int32](repeating: 0, count: materialNames.count)
    for (i, name) in materialNames.enumerated() {
      if let index = tableIndex[name] {
        nameToTable[i] = index
      } else {
        if anyLibraryRead {  // a missing library was reported above
          warnings.append(
            "material '\(MeshFileError.oneLine(name, limit: 100))' is not defined in the "
              + "material libraries; its faces are white")
        }
        tableIndex[name] = Int32(materials.count)
        nameToTable[i] = Int32(materials.count)
        materials.append(Material(name: name))
      }
    }
    var defaultIndex: Int32 = -1
    var faceMaterials = [Int32](repeating: 0, count: triangleMaterials.count)
    for (t, m) in triangleMaterials.enumerated() {
      if m >= 0 {
        faceMaterials[t] = nameToTable[Int(m)]
      } else {
        if defaultIndex < 0 {
          if let existing = tableIndex[""] {
            defaultIndex = existing
          } else {
            defaultIndex = Int32(materials.count)
            materials.append(Material(name: ""))
          }
        }
        faceMaterials[t] = defaultIndex
      }
    }
    return (faceMaterials, materials)
  }
}

/// Reads the materials of an MTL file: `newmtl` names and their `Kd` diffuse colours.
///
/// Other statements are ignored. Problems (a malformed `Kd`, a spectral or CIE XYZ colour) are
/// warnings: the geometry does not depend on them.
enum MTLParser {
  /// Parses `data`; a material without `Kd` is white.
  static func parse(_ data: Data, name: String, warnings: inout [String]) -> [Material] {
    var materials: [Material] = []
    let label = MeshFileError.oneLine(name, limit: 200)
    OBJFormat.utf8Text(data).withUnsafeBytes { raw in
      var s = TextScanner(raw)
      while !s.isAtEnd {
        guard let keyword = s.nextToken() else {
          s.finishLine()
          continue
        }
        let line = s.line
        if s.token(keyword, is: "newmtl") {
          let materialName = s.restOfLine().map { s.string($0) } ?? ""
          materials.append(Material(name: materialName))
        } else if s.token(keyword, is: "Kd") {
          var values: [Double] = []
          var bad: String?
          while let t = s.nextToken() {
            if let x = s.double(t) { values.append(x) } else if bad == nil { bad = s.quoted(t) }
          }
          if materials.isEmpty {
            warnings.append("material library '\(label)' line \(line): Kd before any newmtl")
          } else if let bad {
            warnings.append(
              "material library '\(label)' line \(line): Kd \(bad) is not an RGB colour "
                + "(spectral and xyz colours are not supported); material "
                + "'\(MeshFileError.oneLine(materials[materials.count - 1].name, limit: 100))' "
                + "is white")
          } else if values.count == 1 || values.count == 3, values.allSatisfy(\.isFinite) {
            materials[materials.count - 1].diffuse =
              values.count == 1
              ? SIMD3(repeating: values[0]) : SIMD3(values[0], values[1], values[2])
          } else {
            warnings.append(
              "material library '\(label)' line \(line): Kd needs 1 or 3 finite numbers, "
                + "found \(values.count)")
          }
        }
        s.finishLine()
      }
    }
    return materials
  }
}
