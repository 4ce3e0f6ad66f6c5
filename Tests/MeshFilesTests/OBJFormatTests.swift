import Foundation
import Geometry
import TestSupport
import Testing

@testable import MeshFiles

@Suite struct OBJFormatTests {
  // MARK: The committed fixture

  @Test("fixture: counts, positions, fan order and material colours")
  func fixture() throws {
    let url = try Fixture.url("obj/two_groups.obj", bundle: .module)
    let loaded = try MeshFiles.load(contentsOf: url)
    let mesh = loaded.mesh
    let report = loaded.report

    #expect(report.format == "obj")
    #expect(report.importer == "semrob OBJ reader")
    #expect(report.vertexCount == 10)
    #expect(report.triangleCount == 7)
    #expect(report.polygonsFanTriangulated == 2)
    #expect(report.degenerateTrianglesDropped == 0)
    #expect(report.unreferencedVertices == 1)
    #expect(report.materialCount == 3)
    #expect(report.importerPeakMemoryBytes == nil)

    #expect(
      mesh.positions == [
        SIMD3(0, 0, 0), SIMD3(1, 0, 0), SIMD3(1, 1, 0), SIMD3(0, 1, 0), SIMD3(2, 0, 0),
        SIMD3(3, 0.5, 0), SIMD3(2.5, 1.5, 0), SIMD3(1.5, 1.25, 0), SIMD3(0, 0, -1),
        SIMD3(5, 5, 5),
      ])
    // Quad 1 2 3 4 → (v0 v1 v2) (v0 v2 v3); pentagon 2 5 6 7 8 → (v0 vᵢ vᵢ₊₁);
    // "f -6 -2 -1" after 9 vertices → 4 8 9; the continued face 1 4 9.
    #expect(
      mesh.triangles == [
        SIMD3(0, 1, 2), SIMD3(0, 2, 3),
        SIMD3(1, 4, 5), SIMD3(1, 5, 6), SIMD3(1, 6, 7),
        SIMD3(3, 7, 8), SIMD3(0, 3, 8),
      ])
    // Table in MTL order: blue, red, then the unused green.
    #expect(mesh.materials.map(\.name) == ["blue", "red", "unused_green"])
    #expect(mesh.materials.map(\.diffuse) == [SIMD3(0, 0, 1), SIMD3(1, 0, 0), SIMD3(0, 0.5, 0)])
    #expect(mesh.faceMaterials == [1, 1, 1, 1, 1, 0, 0])
    #expect(mesh.albedo(ofFace: 0) == SIMD3(1, 0, 0))
    #expect(mesh.albedo(ofFace: 6) == SIMD3(0, 0, 1))
    // The quad and pentagon corners have no vn, so there are no vertex normals.
    #expect(mesh.normals == nil)
    #expect(report.warnings.contains { $0.contains("line ('l')") })
    #expect(report.warnings.contains { $0.contains("normals") })
    #expect(report.warnings.count == 2, "\(report.warnings)")
  }

  // MARK: Record forms

  @Test("index forms v, v/vt, v//vn, v/vt/vn and fo")
  func indexForms() throws {
    let text = """
      v 0 0 0
      v 1 0 0
      v 0 1 0
      v 1 1 0
      vt 0 0
      vn 0 0 1
      f 1 2 3
      f 2/1 4/1 3/1
      fo 1//1 2//1 4//1
      f 1/1/1 4/1/1 3/1/1
      """
    let (mesh, report) = try parseOBJ(text)
    #expect(mesh.triangles == [SIMD3(0, 1, 2), SIMD3(1, 3, 2), SIMD3(0, 1, 3), SIMD3(0, 3, 2)])
    #expect(report.polygonsFanTriangulated == 0)
    #expect(mesh.faceMaterials == nil)
    #expect(mesh.materials.isEmpty)
  }

  @Test("negative indices count back from the vertices defined so far")
  func negativeIndices() throws {
    let text = """
      v 0 0 0
      v 1 0 0
      v 0 1 0
      f -3 -2 -1
      v 0 0 1
      f -4 -3 -1
      """
    let (mesh, _) = try parseOBJ(text)
    #expect(mesh.triangles == [SIMD3(0, 1, 2), SIMD3(0, 1, 3)])
  }

  @Test("positive indices may refer to vertices defined later")
  func forwardReferences() throws {
    let (mesh, report) = try parseOBJ("f 1 2 3\nv 0 0 0\nv 1 0 0\nv 0 1 0\n")
    #expect(mesh.triangles == [SIMD3(0, 1, 2)])
    #expect(report.vertexCount == 3)
  }

  @Test("BOM, CR LF, tabs, comments, blank lines and continuations")
  func lexicalDetails() throws {
    let text =
      "\u{FEFF}# comment\r\n\r\n\tv 0 0 0 # trailing comment\r\nv 1 \\\r\n 0 0\r\n"
      + "v 0 1 0\r\n\r\n   \r\nf 1 \\\n2 3\r\n# done"
    let (mesh, _) = try parseOBJ(text)
    #expect(mesh.positions == [SIMD3(0, 0, 0), SIMD3(1, 0, 0), SIMD3(0, 1, 0)])
    #expect(mesh.triangles == [SIMD3(0, 1, 2)])
  }

  @Test("UTF-16 text with a byte order mark is transcoded", arguments: [true, false])
  func utf16(bigEndian: Bool) throws {
    let text = "# ü\nv 0 0 0\nv 1 0 0\nv 0 1 0\nf 1 2 3\n"
    var bytes: [UInt8] = bigEndian ? [0xFE, 0xFF] : [0xFF, 0xFE]
    for unit in text.utf16 {
      bytes +=
        bigEndian
        ? [UInt8(unit >> 8), UInt8(unit & 0xFF)] : [UInt8(unit & 0xFF), UInt8(unit >> 8)]
    }
    let (mesh, _) = try OBJFormat.parse(Data(bytes), name: "utf16.obj") { _ in nil }
    #expect(mesh.triangles == [SIMD3(0, 1, 2)])
  }

  @Test("numbers: signs, exponents, long and extreme values parse exactly")
  func numbers() throws {
    let values = [
      "0.1", "-2.5e-3", "+7", ".5", "5.", "1E10", "123456789012345678901234567890",
      "0.30000000000000004", "4.9e-324", "1.7976931348623157e308", "-0", "3.14159265358979323846",
    ]
    var text = ""
    for (i, v) in values.enumerated() { text += "v \(v) \(i) \(i * i)\n" }
    text += "f 1 2 3\n"
    let (mesh, _) = try parseOBJ(text)
    for (i, v) in values.enumerated() {
      #expect(mesh.positions[i].x == Double(v)!, "\(v)")
    }
    #expect(mesh.positions[10].x.sign == .minus)
  }

  @Test("v with w and with per-vertex colour keeps x y z")
  func vertexExtras() throws {
    let (mesh, _) = try parseOBJ("v 1 2 3 0.5\nv 4 5 6 0.1 0.2 0.3\nv 7 8 10\nf 1 2 3\n")
    #expect(mesh.positions == [SIMD3(1, 2, 3), SIMD3(4, 5, 6), SIMD3(7, 8, 10)])
  }

  @Test("vertex normals: mean of unit corner normals when every used vertex has one")
  func normals() throws {
    let text = """
      v 0 0 0
      v 1 0 0
      v 0 1 0
      v 1 1 0
      v 9 9 9
      vn 0 0 2
      vn 1 0 0
      f 1//1 2//1 3//1
      f 2//2 4//2 3//1
      """
    let (mesh, report) = try parseOBJ(text)
    let normals = try #require(mesh.normals)
    #expect(normals.count == 5)
    #expect(normals[0] == SIMD3(0, 0, 1))
    #expect(normals[1] == SIMD3(0.5, 0, 0.5))  // (0,0,1) and (1,0,0)
    #expect(normals[2] == SIMD3(0, 0, 1))
    #expect(normals[3] == SIMD3(1, 0, 0))
    #expect(normals[4] == .zero)  // unreferenced
    #expect(report.unreferencedVertices == 1)
  }

  @Test("faces before the first usemtl get an unnamed white material")
  func defaultMaterial() throws {
    let text = "mtllib m.mtl\nv 0 0 0\nv 1 0 0\nv 0 1 0\nf 1 2 3\nusemtl red\nf 1 3 2\n"
    let (mesh, report) = try parseOBJ(text, mtl: "newmtl red\nKd 1 0 0\n")
    #expect(mesh.materials == [Material(name: "red", diffuse: SIMD3(1, 0, 0)), Material(name: "")])
    #expect(mesh.faceMaterials == [1, 0])
    #expect(report.warnings.isEmpty, "\(report.warnings)")
  }

  @Test("missing MTL: warning, faces white")
  func missingMaterialLibrary() throws {
    let text = "mtllib gone.mtl\nv 0 0 0\nv 1 0 0\nv 0 1 0\nusemtl red\nf 1 2 3\n"
    let (mesh, report) = try parseOBJ(text, mtl: nil)
    #expect(mesh.materials == [Material(name: "red")])
    #expect(mesh.albedo(ofFace: 0) == SIMD3(1, 1, 1))
    #expect(report.warnings.contains { $0.contains("gone.mtl") })
  }

  @Test("MTL problems are warnings: malformed Kd, single-value Kd, undefined material")
  func materialProblems() throws {
    let text =
      "mtllib m.mtl\nv 0 0 0\nv 1 0 0\nv 0 1 0\nusemtl a\nf 1 2 3\nusemtl b\nf 1 3 2\n"
      + "usemtl c\nf 2 1 3\n"
    let mtl = "newmtl a\nKd spectral x.spd\nnewmtl b\nKd 0.25\n"
    let (mesh, report) = try parseOBJ(text, mtl: mtl)
    #expect(mesh.materials.map(\.name) == ["a", "b", "c"])
    #expect(
      mesh.materials.map(\.diffuse) == [SIMD3(1, 1, 1), SIMD3(0.25, 0.25, 0.25), SIMD3(1, 1, 1)])
    #expect(report.warnings.count == 2, "\(report.warnings)")
  }

  @Test("l, p and unknown records are ignored and reported")
  func ignoredRecords() throws {
    let text = "v 0 0 0\nv 1 0 0\nv 0 1 0\nl 1 2\np 1\np 2\nvp 0.5\ncstype bezier\nf 1 2 3\n"
    let (_, report) = try parseOBJ(text)
    #expect(report.warnings.count == 4, "\(report.warnings)")
    #expect(report.warnings.contains { $0.contains("'vp'") && $0.contains("line 7") })
  }

  @Test("degenerate triangles are dropped and counted")
  func degenerate() throws {
    let (mesh, report) = try parseOBJ(
      "v 0 0 0\nv 1 0 0\nv 0 1 0\nv 2 0 0\nf 1 2 3\nf 1 2 4\nf 1 1 2\n")
    #expect(mesh.triangles == [SIMD3(0, 1, 2)])
    #expect(report.triangleCount == 3)
    #expect(report.degenerateTrianglesDropped == 2)
  }

  // MARK: Errors

  @Test(
    "malformed input throws a one-line error with the line number",
    arguments: [
      ("v 0 0 0\nv 1 0 0\nv 0 1 0\nf 1 0 2\n", "line 4: face index 0 is invalid"),
      (
        "v 0 0 0\nv 1 0 0\nv 0 1 0\nf 1 2 40\n",
        "line 4: face index 40 is out of range (file has 3 vertices)"
      ),
      ("v 0 0 0\nv 1 0 0\nv 0 1 0\nf 1 2\n", "line 4: face has 2 vertices"),
      ("v 0 0 0\nv 1 0 0\nv 0 1 0\nf\n", "line 4: face has 0 vertices"),
      ("v 0 0 0\nv 1 0 0\nv 0 1 0\nf -1 -2 -4\n", "line 4: relative face index -4"),
      ("v 0 0 0\nv 1 x 0\n", "line 2: 'x' is not a number"),
      ("v 0 0\n", "line 1: vertex has 2 coordinates"),
      (
        "v 0 0 0\nv 1 0 0\nv 0 1 0\nvn 0 0 1\nf 1//1 2//2 3//1\n",
        "line 5: normal index 2 is out of range"
      ),
      (
        "v 0 0 0\nv 1 0 0\nv 0 1 0\nf 1/1 2/1 3/1\n",
        "line 4: texture coordinate index 1 is out of range"
      ),
      (
        "v 0 0 0\nv 1 0 0\nv 0 1 0\nf 1/a 2 3\n",
        "line 4: face vertex '1/a' has a malformed texture index"
      ),
      ("v 0 0 0\nv 1 0 0\nv 0 1 0\nf 1/1/1/1 2 3\n", "more than three fields"),
      ("v 0 0 0\n\n# c\nf 1 2 \\\n3\n", "line 4: face index 3 is out of range"),
      ("v 1.0.0 0 0\n", "'1.0.0' is not a number"),
      ("v 1e 0 0\n", "'1e' is not a number"),
    ])
  func malformed(text: String, expected: String) {
    let error = thrownError { try parseOBJ(text, name: "bad.obj") }
    let meshError = expectOneLineError(error, naming: "bad.obj")
    let description = meshError?.description ?? ""
    #expect(description.contains(expected), "\(description)")
  }

  @Test("empty, comment-only, vertex-only and binary input throw")
  func unusable() {
    for (text, expected) in [
      ("", "no vertices"), ("# nothing\n\n", "no vertices"), ("v 0 0 0\n", "no faces"),
      ("v 0 0 0\nv 0 0 0\nv 0 0 0\nf 1 2 3\n", "degenerate"),
      ("v nan 0 0\nv 1 0 0\nv 0 1 0\nf 1 2 3\n", "non-finite"),
    ] {
      let error = thrownError { try parseOBJ(text, name: "x.obj") }
      let description = expectOneLineError(error, naming: "x.obj")?.description ?? ""
      #expect(description.contains(expected), "\(description)")
    }
    var garbage = Data([0x00, 0xFF, 0x13, 0x37, 0x80, 0x0A])
    garbage.append(contentsOf: (0..<200).map { UInt8(truncatingIfNeeded: $0 &* 37) })
    let error = thrownError { try OBJFormat.parse(garbage, name: "noise.obj") { _ in nil } }
    let description = expectOneLineError(error, naming: "noise.obj")?.description ?? ""
    #expect(description.contains("line 1: unexpected binary data"), "\(description)")
  }

  // MARK: Writing

  @Test("writer → reader round trip keeps positions, triangles, materials and colours")
  func roundTrip() throws {
    var mesh = Shapes.box(size: SIMD3(1.5, 0.1, 1e-7))
    mesh.positions[3].x = 0.1 + 0.2  // a value with a long shortest representation
    mesh.positions.append(SIMD3(-1 / 3, 2e-300, 1e300))  // unreferenced
    mesh.materials = [
      Material(name: "first one", diffuse: SIMD3(0.1, 0.2, 0.3)),
      Material(name: "second", diffuse: SIMD3(1, 0.5, 0)),
    ]
    mesh.faceMaterials = (0..<mesh.triangles.count).map { Int32($0 % 3 == 0 ? 1 : 0) }
    let objText = OBJFormat.write(mesh, materialLibrary: "box.mtl")
    let mtlText = OBJFormat.writeMaterialLibrary(mesh)
    #expect(objText.contains("mtllib box.mtl\n"))
    let (read, report) = try OBJFormat.parse(Data(objText.utf8), name: "box.obj") { name in
      name == "box.mtl" ? Data(mtlText.utf8) : nil
    }
    #expect(read.positions == mesh.positions)
    #expect(read.triangles == mesh.triangles)
    #expect(read.materials == mesh.materials)
    #expect(read.faceMaterials == mesh.faceMaterials)
    #expect(read.normals == nil)
    #expect(report.warnings.isEmpty, "\(report.warnings)")
  }

  @Test("writer emits unit-readable normals and no usemtl without materials")
  func roundTripNormals() throws {
    var mesh = Shapes.box()
    mesh.normals = mesh.positions.map { $0 * 3 }
    let text = OBJFormat.write(mesh)
    #expect(!text.contains("usemtl"))
    #expect(!text.contains("mtllib"))
    let (read, _) = try parseOBJ(text)
    let normals = try #require(read.normals)
    for (n, original) in zip(normals, mesh.normals!) {
      #expect(abs(length(n) - 1) < 1e-12)
      #expect(length(n - original / length(original)) < 1e-12)
    }
  }
}
