import ArgumentParser
import Foundation
import Geometry
import MeshFiles
import ResultFiles

/// `semrob make-mesh`: writes a procedural mesh as OBJ, optionally into a shape catalogue.
struct MakeMesh: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "make-mesh",
    abstract: "Write a procedural mesh (box, cylinder, icosphere, bumpy sphere) as OBJ.",
    discussion: """
      The mesh is normalised ShapeNet-style (centred, longest side spanning [-1, 1]) unless
      --normalization none is given. With --catalog DIR the file is written into DIR and its
      entry (class, generator, parameters, counts, SHA-256) added to or replaced in
      DIR/index.json; Tools/generate-meshes.sh builds the shipped catalogue this way.
      """)

  enum Kind: String, ExpressibleByArgument, CaseIterable {
    case box, cylinder, icosphere
    case bumpySphere = "bumpy-sphere"
  }

  @Option(help: "Generator: box, cylinder, icosphere or bumpy-sphere.") var kind: Kind
  @Option(help: "Subdivisions (icosphere, bumpy-sphere; 0…7).") var subdivisions = 4
  @Option(help: "Segments around the axis (cylinder, ≥ 3).") var segments = 48
  @Option(help: "Mesh normalisation: none, shapeNet or nmr.") var normalization: Normalization =
    .shapeNet
  @Option(name: .shortAndLong, help: ArgumentHelp("Output OBJ file.", valueName: "file.obj"))
  var output: String
  @Option(help: ArgumentHelp("Shape catalogue to add the mesh to.", valueName: "dir"))
  var catalog: String?
  @Option(help: "Shape name in the catalogue (default: the file name).") var name: String?
  @Option(help: "Class label in the catalogue (default: none).") var `class`: String?

  func validate() throws {
    guard output.lowercased().hasSuffix(".obj") else {
      throw ValidationError("--output must name a .obj file (got '\(output)').")
    }
    if !(0...7).contains(subdivisions) {
      throw ValidationError("--subdivisions must be in 0...7 (got \(subdivisions)).")
    }
    if segments < 3 { throw ValidationError("--segments must be at least 3 (got \(segments)).") }
    if catalog != nil && output.contains("/") {
      throw ValidationError("with --catalog, --output is a file name inside the catalogue.")
    }
    if catalog == nil { try OutputFiles.checkWritableDirectory(of: output, option: "--output") }
  }

  func run() throws {
    let directory = URL(fileURLWithPath: catalog ?? ".")
    let indexURL = directory.appending(path: "index.json")
    // An existing index must load before anything is written (a malformed one is reported,
    // never silently replaced).
    var index: ShapeCatalog.Index? = nil
    if catalog != nil {
      index =
        FileManager.default.fileExists(atPath: indexURL.path)
        ? try ShapeCatalog.load(explicit: directory.path).index
        : ShapeCatalog.Index(schema: ShapeCatalog.schema, shapes: [])
    }
    let (mesh, parameters) = generate()
    let normalized = mesh.normalized(normalization)
    let text = Data(OBJFormat.write(normalized).utf8)
    let url = catalog == nil ? URL(fileURLWithPath: output) : directory.appending(path: output)
    try AtomicFile.write(text, to: url)
    Diagnostics.note(
      "wrote \(url.path) (\(normalized.vertexCount) vertices, \(normalized.triangleCount) "
        + "triangles)")
    guard var index else { return }
    let entry = ShapeCatalog.Entry(
      name: name ?? url.deletingPathExtension().lastPathComponent, class: `class`, file: output,
      generator: kind.rawValue, parameters: parameters, seed: 0,
      vertices: normalized.vertexCount, triangles: normalized.triangleCount,
      sha256: SHA256.hash(text))
    index.shapes.removeAll { $0.name == entry.name }
    index.shapes.append(entry)
    index.shapes.sort { $0.name < $1.name }
    try AtomicFile.write(try ResultJSON.makeDocumentEncoder().encode(index), to: indexURL)
    Diagnostics.note("updated \(indexURL.path)")
  }

  /// The raw mesh and its generator parameters.
  func generate() -> (Mesh, [String: Double]) {
    switch kind {
    case .box:
      return (Shapes.box(), ["sizeX": 2, "sizeY": 2, "sizeZ": 2])
    case .cylinder:
      return (
        Shapes.cylinder(segments: segments),
        ["radius": 1, "height": 2, "segments": Double(segments)]
      )
    case .icosphere:
      return (
        Shapes.icosphere(subdivisions: subdivisions),
        ["subdivisions": Double(subdivisions)]
      )
    case .bumpySphere:
      return (
        Shapes.bumpySphere(subdivisions: subdivisions),
        ["subdivisions": Double(subdivisions), "amplitude": 0.15, "frequency": 5]
      )
    }
  }
}
