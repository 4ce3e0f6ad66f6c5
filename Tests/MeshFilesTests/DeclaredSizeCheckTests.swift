import Foundation
import Testing

@testable import MeshFiles

@Suite struct DeclaredSizeCheckTests {
  func problem(_ ext: String, _ text: String, size: Int? = nil) -> String? {
    let bytes = Array(text.utf8)
    do {
      try DeclaredSizeCheck.check(
        path: "x.\(ext)", extension: ext, fileSize: size ?? bytes.count, prefix: bytes)
      return nil
    } catch {
      return error.description
    }
  }

  @Test("OFF: implausible counts are rejected, plausible ones pass")
  func off() {
    let cube =
      "OFF\n8 6 12\n" + String(repeating: "0 0 0\n", count: 8)
      + String(repeating: "4 0 1 2 3\n", count: 6)
    #expect(problem("off", cube) == nil)
    let huge = "OFF\n# comment\n353535235358 6 0\n0 0 0\n"
    let message = problem("off", huge)
    #expect(
      message?.contains("declares 353,535,235,358 vertices and 6 faces") == true,
      "\(message ?? "nil")")
    #expect(problem("off", "OFF 100 0 0\n0 0 0\n")?.contains("100 vertices") == true)
    #expect(problem("off", "not an off file at all\n") == nil)  // left to assimp
  }

  @Test("PLY: ASCII and binary element counts are checked against the size")
  func ply() {
    let header =
      "ply\nformat binary_little_endian 1.0\nelement vertex 3\nproperty float x\nproperty float y\nproperty float z\nelement face 1\nproperty list uchar int vertex_indices\nend_header\n"
    // 3 vertices × 12 bytes + 1 face × (1 + 12) bytes = 49 bytes of body.
    let fits = header.utf8.count + 49
    #expect(problem("ply", header, size: fits) == nil)
    let message = problem(
      "ply", header.replacingOccurrences(of: "vertex 3", with: "vertex 3000000000"), size: fits)
    #expect(message?.contains("3,000,000,000 vertex") == true, "\(message ?? "nil")")
    let ascii = "ply\nformat ascii 1.0\nelement vertex 1000\nproperty float x\nend_header\n0\n"
    #expect(problem("ply", ascii)?.contains("1,000 vertex elements (ASCII)") == true)
  }

  @Test("binary STL: the triangle count must fit the file; ASCII STL is left alone")
  func stl() {
    var bytes = [UInt8](repeating: 0x41, count: 80) + [10, 0, 0, 0]
    bytes += [UInt8](repeating: 0, count: 50 * 10)
    #expect(
      (try? DeclaredSizeCheck.check(
        path: "a.stl", extension: "stl", fileSize: bytes.count, prefix: bytes)) != nil)
    bytes[83] = 0x10  // 268 million triangles
    #expect(throws: MeshFileError.self) {
      try DeclaredSizeCheck.check(
        path: "a.stl", extension: "stl", fileSize: bytes.count, prefix: bytes)
    }
    #expect(problem("stl", "solid cube\nendsolid\n") == nil)
    #expect(problem("stl", "tiny")?.contains("too short for a binary STL header") == true)
  }

  @Test("empty files are rejected for every format")
  func empty() {
    #expect(problem("3ds", "")?.contains("the file is empty") == true)
  }
}
