import ArgumentParser
import Foundation
import Geometry
import MeshFiles
import ResultFiles

/// `semrob mesh-info`: loads a mesh and reports what was read.
struct MeshInfo: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "mesh-info",
    abstract: "Load a mesh and report its counts, bounds and what validation dropped.",
    discussion: """
      Files other than OBJ are imported by assimp in a memory-limited child process, so a
      hostile file ends in a one-line error, never a crash. Bounds are given before and after
      the chosen normalisation.
      """)

  @OptionGroup var source: MeshSourceOptions
  @Flag(help: "Print the report as JSON.") var json = false

  func run() throws {
    let resolved = try source.load(defaultNormalization: .shapeNet)
    let raw = resolved.raw
    let info = MeshInfoResult(
      file: resolved.file.path, report: resolved.report,
      boundsBefore: BoundsPayload(raw.referencedBounds()),
      boundsAfter: BoundsPayload(resolved.mesh.referencedBounds()),
      normalization: (source.normalization ?? .shapeNet).rawValue,
      components: MeshTopology(resolved.mesh).componentCount)
    if json {
      let data = try ResultJSON.makeDocumentEncoder().encode(info)
      print(String(decoding: data, as: UTF8.self))
      return
    }
    let r = info.report
    print("\(resolved.label): \(r.format) via \(r.importer)")
    print(
      "  vertices \(r.vertexCount), triangles \(r.triangleCount), materials \(r.materialCount), "
        + "components \(info.components)")
    print(
      "  polygons fan-triangulated \(r.polygonsFanTriangulated), degenerate triangles dropped "
        + "\(r.degenerateTrianglesDropped), unreferenced vertices \(r.unreferencedVertices)")
    if let b = info.boundsBefore { print("  bounds as read:   \(b)") }
    if let b = info.boundsAfter { print("  bounds (\(info.normalization)): \(b)") }
    for warning in r.warnings { print("  warning: \(warning)") }
  }
}

/// An axis-aligned box for reports.
struct BoundsPayload: Codable, CustomStringConvertible {
  var min: [Double]
  var max: [Double]

  init?(_ bounds: Bounds?) {
    guard let bounds else { return nil }
    min = [bounds.min.x, bounds.min.y, bounds.min.z]
    max = [bounds.max.x, bounds.max.y, bounds.max.z]
  }

  var description: String {
    func f(_ v: [Double]) -> String { v.map { String(format: "%.4g", $0) }.joined(separator: ", ") }
    return "min (\(f(min))), max (\(f(max)))"
  }
}

/// The `--json` output of `mesh-info`.
struct MeshInfoResult: Codable {
  var file: String
  var report: MeshLoadReport
  var boundsBefore: BoundsPayload?
  var boundsAfter: BoundsPayload?
  var normalization: String
  var components: Int
}
