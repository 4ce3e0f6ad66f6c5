import ArgumentParser
import Foundation
import Geometry
import MeshFiles
import ResultFiles
import Tensors

/// `semrob shapes generate`: writes generated shapes as OBJ + MTL, optionally into a catalogue.
struct GenerateShape: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "generate",
    abstract: "Generate a shape of a class from a seed, or the whole evaluation set.",
    discussion: """
      Writes FILE.obj and its colours FILE.mtl beside it, normalised ShapeNet-style (+Y up,
      front towards +Z, centred, longest side spanning [-1, 1]). The same class and seed give
      the same bytes. Evaluation shapes use seeds 1-10 (chair01 ... chair10); seeds from 1000 on
      are for training shapes.

      With --catalog DIR the files go into DIR and their entry (class, generator parameters,
      seed, counts, SHA-256) is added to or replaced in DIR/index.json. --evaluation-set
      --catalog DIR writes all ten shapes of every class (Tools/generate-meshes.sh does this
      for Meshes/).
      """)

  @Option(name: .customLong("class"), help: "The class (aeroplane, bathtub, bench, ...).")
  var shapeClass: String?
  @Option(help: "The generator seed (≥ 0).") var seed: UInt64?
  @Option(
    name: .shortAndLong,
    help: ArgumentHelp("Output OBJ file (a file name inside --catalog).", valueName: "file.obj"))
  var output: String?
  @Option(help: ArgumentHelp("Shape catalogue to add the shape to.", valueName: "dir"))
  var catalog: String?
  @Flag(help: "Generate every class's evaluation shapes into --catalog.") var evaluationSet = false

  func validate() throws {
    if evaluationSet {
      guard catalog != nil else { throw ValidationError("--evaluation-set needs --catalog DIR.") }
      guard shapeClass == nil, seed == nil, output == nil else {
        throw ValidationError("--evaluation-set takes no --class, --seed or --output.")
      }
      return
    }
    guard let shapeClass, let seed, let output else {
      throw ValidationError("give --class, --seed and --output (or --evaluation-set).")
    }
    _ = try Self.parseClass(shapeClass)
    _ = seed
    guard output.lowercased().hasSuffix(".obj") else {
      throw ValidationError("--output must name a .obj file (got '\(output)').")
    }
    if catalog != nil && output.contains("/") {
      throw ValidationError("with --catalog, --output is a file name inside the catalogue.")
    }
    if catalog == nil { try OutputFiles.checkWritableDirectory(of: output, option: "--output") }
  }

  static func parseClass(_ name: String) throws -> ShapeClass {
    guard let value = ShapeClass(rawValue: name) else {
      throw ValidationError(
        "unknown class '\(name)' (classes: "
          + ShapeClass.allCases.map(\.rawValue).joined(separator: ", ") + ").")
    }
    return value
  }

  func run() throws {
    // An existing index must load before anything is written (a malformed one is reported,
    // never silently replaced); it is rewritten once, after every shape is written.
    let indexURL = catalog.map { URL(fileURLWithPath: $0).appending(path: "index.json") }
    var index: ShapeCatalog.Index? = nil
    if let catalog, let indexURL {
      index =
        FileManager.default.fileExists(atPath: indexURL.path)
        ? try ShapeCatalog.load(explicit: catalog).index
        : ShapeCatalog.Index(schema: ShapeCatalog.schema, shapes: [])
    }
    var entries: [ShapeCatalog.Entry] = []
    if evaluationSet {
      for shapeClass in ShapeClass.allCases {
        for seed in ShapeClass.evaluationSeeds {
          let name = shapeClass.evaluationName(seed: seed)
          entries.append(try write(shapeClass, seed: seed, file: name + ".obj", name: name))
        }
      }
      Diagnostics.note("wrote \(entries.count) shapes into \(catalog!)")
    } else {
      let file = output!
      entries.append(
        try write(
          try Self.parseClass(shapeClass!), seed: seed!, file: file,
          name: URL(fileURLWithPath: file).deletingPathExtension().lastPathComponent))
    }
    guard var index, let indexURL else { return }
    let names = Set(entries.map(\.name))
    index.shapes.removeAll { names.contains($0.name) }
    index.shapes += entries
    index.shapes.sort { $0.name < $1.name }
    try AtomicFile.write(try ResultJSON.makeDocumentEncoder().encode(index), to: indexURL)
  }

  /// Generates one shape, writes its OBJ and MTL, and returns its catalogue entry.
  func write(
    _ shapeClass: ShapeClass, seed: UInt64, file: String, name: String
  ) throws -> ShapeCatalog.Entry {
    let generated = shapeClass.generate(seed: seed, random: RandomGenerator(seed: seed))
    let mesh = generated.mesh
    let url =
      catalog.map { URL(fileURLWithPath: $0).appending(path: file) } ?? URL(fileURLWithPath: file)
    let library = url.deletingPathExtension().appendingPathExtension("mtl")
    let text = Data(OBJFormat.write(mesh, materialLibrary: library.lastPathComponent).utf8)
    try AtomicFile.write(Data(OBJFormat.writeMaterialLibrary(mesh).utf8), to: library)
    try AtomicFile.write(text, to: url)
    Diagnostics.note(
      "wrote \(url.path) (\(shapeClass.rawValue), seed \(seed): \(mesh.vertexCount) vertices, "
        + "\(mesh.triangleCount) triangles)")
    return ShapeCatalog.Entry(
      name: name, class: shapeClass.rawValue, file: file, generator: shapeClass.rawValue,
      parameters: generated.parameters, seed: seed, vertices: mesh.vertexCount,
      triangles: mesh.triangleCount, sha256: SHA256.hash(text))
  }
}
