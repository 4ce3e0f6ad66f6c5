import ArgumentParser
import Foundation
import Geometry
import MeshFiles

/// `--shape NAME | --mesh PATH`: which mesh a command works on.
struct MeshSourceOptions: ParsableArguments {
  @Option(help: "A shipped shape by name (see `semrob shapes`).") var shape: String?
  @Option(
    help: "A mesh file of your own (obj, ply, stl, off, glb/gltf, fbx, dae, 3ds, x, ...).",
    completion: .file(extensions: ["obj", "ply", "stl", "off", "glb", "gltf", "fbx", "dae"]))
  var mesh: String?
  @Option(
    help: ArgumentHelp(
      "Directory of the shipped shapes (default: ./Meshes).",
      valueName: "dir"))
  var meshes: String?
  @Option(help: "Mesh normalisation: none, shapeNet or nmr (default: the preset's).")
  var normalization: Normalization?

  func validate() throws {
    switch (shape, mesh) {
    case (nil, nil): throw ValidationError("Give a mesh: --shape NAME or --mesh PATH.")
    case (.some, .some): throw ValidationError("Give either --shape or --mesh, not both.")
    case (nil, .some(let path)):
      var isDirectory: ObjCBool = false
      guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
        throw ValidationError("--mesh '\(path)' does not exist. Check the path.")
      }
      if isDirectory.boolValue {
        throw ValidationError("--mesh '\(path)' is a directory; give a mesh file.")
      }
    case (.some, nil): break
    }
  }

  /// A mesh ready to render, with where it came from.
  struct Resolved {
    /// The validated, normalised mesh.
    var mesh: Mesh
    /// The validated mesh as read, before normalisation.
    var raw: Mesh
    /// Shape name or file name, for messages and provenance.
    var label: String
    /// The file the mesh was read from.
    var file: URL
    /// What the loader reported.
    var report: MeshLoadReport
  }

  /// Loads, validates and normalises the mesh.
  ///
  /// - Parameter defaultNormalization: The preset's rule, used unless `--normalization` is set.
  /// - Returns: The mesh, its label, its file and the loader's report.
  /// - Throws: `CLIError` for an unknown shape or catalogue, `MeshFileError` for a bad file.
  func load(defaultNormalization: Normalization) throws -> Resolved {
    let label: String
    let url: URL
    if let shape {
      let catalog = try ShapeCatalog.load(explicit: meshes)
      let entry = try catalog.entry(named: shape)
      label = entry.name
      url = catalog.url(of: entry)
    } else {
      url = URL(fileURLWithPath: mesh!)
      label = url.lastPathComponent
    }
    let loaded = try MeshFiles.load(contentsOf: url)
    return Resolved(
      mesh: loaded.mesh.normalized(normalization ?? defaultNormalization), raw: loaded.mesh,
      label: label,
      file: url, report: loaded.report)
  }

  /// The class of `--shape` in the catalogue; a usage error naming the fix for `--mesh` or a
  /// shape without a class.
  func catalogueClass() throws -> String {
    guard let shape else {
      throw ValidationError("--mesh needs --class NAME (one of the model's classes).")
    }
    let entry = try ShapeCatalog.load(explicit: meshes).entry(named: shape)
    guard let name = entry.class else {
      throw ValidationError("shape '\(shape)' has no class; give --class NAME.")
    }
    return name
  }
}
