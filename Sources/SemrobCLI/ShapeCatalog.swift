import ArgumentParser
import Foundation
import ResultFiles

/// The shipped shapes: `Meshes/index.json` and the mesh files beside it.
///
/// The directory is found from, in order: `--meshes DIR`, the `SEMROB_MESHES` environment
/// variable, `./Meshes`, and a `Meshes/` directory next to (or above) the executable, so
/// `swift run semrob` and `.build/release/semrob` both work from anywhere inside a checkout.
struct ShapeCatalog {
  /// One shape of the index.
  struct Entry: Codable, Equatable {
    /// Shape name, such as `chair01`.
    var name: String
    /// Class label, or nil for shapes that belong to no class (test bodies).
    var `class`: String?
    /// Mesh file name, relative to the catalogue directory.
    var file: String
    /// Generator that made the shape.
    var generator: String
    /// Generator parameters.
    var parameters: [String: Double]
    /// Generator seed.
    var seed: UInt64
    /// Vertex count of the file.
    var vertices: Int
    /// Triangle count of the file.
    var triangles: Int
    /// SHA-256 of the mesh file, lowercase hex.
    var sha256: String
  }

  /// The index file's content.
  struct Index: Codable {
    var schema: String
    var shapes: [Entry]
  }

  static let schema = "semrob.meshes/1"

  let directory: URL
  let index: Index

  /// Locates the catalogue directory.
  static func locate(explicit: String?) -> URL? {
    if let explicit { return URL(fileURLWithPath: explicit) }
    if let env = ProcessInfo.processInfo.environment["SEMROB_MESHES"], !env.isEmpty {
      return URL(fileURLWithPath: env)
    }
    let fm = FileManager.default
    let local = URL(fileURLWithPath: fm.currentDirectoryPath).appending(path: "Meshes")
    if fm.fileExists(atPath: local.appending(path: "index.json").path) { return local }
    var dir = URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath()
      .deletingLastPathComponent()
    for _ in 0..<6 {
      let candidate = dir.appending(path: "Meshes")
      if fm.fileExists(atPath: candidate.appending(path: "index.json").path) { return candidate }
      dir = dir.deletingLastPathComponent()
    }
    return nil
  }

  /// Loads the catalogue.
  ///
  /// - Throws: `CLIError` naming the directory and what to do.
  static func load(explicit: String?) throws -> ShapeCatalog {
    guard let directory = locate(explicit: explicit) else {
      throw CLIError(
        "no shape catalogue found (looked for Meshes/index.json via --meshes, SEMROB_MESHES, "
          + "./Meshes and next to the executable). Run from the semrob checkout or pass "
          + "--meshes DIR.")
    }
    let url = directory.appending(path: "index.json")
    let data: Data
    do {
      data = try FileProblem.read(url)
    } catch {
      throw CLIError(
        "cannot read the shape index '\(url.path)': \(error.reason). "
          + "Check --meshes, or regenerate it with Tools/generate-meshes.sh.")
    }
    do {
      let index = try JSONDecoder().decode(Index.self, from: data)
      guard index.schema == schema else {
        throw CLIError(
          "shape index '\(url.path)' has schema '\(index.schema)', expected '\(schema)'. "
            + "Regenerate it with Tools/generate-meshes.sh.")
      }
      return ShapeCatalog(directory: directory, index: index)
    } catch let error as CLIError {
      throw error
    } catch {
      throw CLIError(
        "shape index '\(url.path)' is malformed (\(error)). Regenerate it with "
          + "Tools/generate-meshes.sh.")
    }
  }

  /// The entry called `name`.
  func entry(named name: String) throws -> Entry {
    guard let entry = index.shapes.first(where: { $0.name == name }) else {
      let names = index.shapes.map(\.name)
      let shown = names.prefix(8).joined(separator: ", ") + (names.count > 8 ? ", …" : "")
      throw CLIError(
        "unknown shape '\(name)' (available: \(shown)). `semrob shapes` lists every shape; "
          + "use --mesh PATH for a mesh file of your own.")
    }
    return entry
  }

  /// The mesh file of an entry.
  func url(of entry: Entry) -> URL { directory.appending(path: entry.file) }
}

/// A runtime error of the command-line layer, printed as one line (exit code 1).
struct CLIError: Error, CustomStringConvertible {
  var description: String
  init(_ description: String) { self.description = description }
}
