import Foundation
import ResultFiles
import SemanticAnalysis
import Tensors

/// Stored maps: per-shape maps cached by `semrob dsm`, and maps read back for `--from-maps`.
enum MapStore {
  /// What a cached map records beside its scores (`<stem>.json`).
  struct Entry: Codable {
    var shape: String
    var model: String
    var grid: SemanticGrid
    var settings: MapSettingsRecord
    var weightsSHA256: String?
    var seconds: Double

    enum CodingKeys: String, CodingKey {
      case shape, model, grid, settings, seconds
      case weightsSHA256 = "weights_sha256"
    }
  }

  /// Saves `map` as `<stem>.npy` and `<stem>.json` (each atomically; the JSON last, so a map
  /// counts as stored only when both are complete).
  static func save(
    _ map: SemanticMap, at stem: URL, shape: String, model: String, settings: MapSettingsRecord,
    weights: String?, seconds: Double
  ) throws {
    try MapFiles.writeScores(map, to: stem.appendingPathExtension("npy"))
    let entry = Entry(
      shape: shape, model: model, grid: map.grid, settings: settings, weightsSHA256: weights,
      seconds: seconds)
    try AtomicFile.write(
      try ResultJSON.makeDocumentEncoder().encode(entry), to: stem.appendingPathExtension("json"))
  }

  /// The map stored at `stem` when it was made on `grid` with `settings` and the same weights;
  /// `nil` when it is missing, unreadable or made otherwise.
  static func load(
    _ stem: URL, grid: SemanticGrid, settings: MapSettingsRecord, weights: String?
  ) -> SemanticMap? {
    guard let data = try? Data(contentsOf: stem.appendingPathExtension("json")),
      let entry = try? JSONDecoder().decode(Entry.self, from: data),
      entry.grid == grid, entry.weightsSHA256 == weights,
      (try? JSONEncoder().encode(entry.settings)) == (try? JSONEncoder().encode(settings)),
      let array = try? NPYArray(contentsOf: stem.appendingPathExtension("npy")),
      array.shape == grid.shape, case .float32(let values) = array.data
    else { return nil }
    return SemanticMap(grid: grid, values: values)
  }

  /// The maps in an array read from `file`: its grid comes from the JSON record beside it
  /// (`semrob map` and `semrob dsm` outputs; `<stem>.json`), else the study's grids are assumed
  /// from the trailing axes (34 × 120, or 180 for a 1-D map); leading axes are a stack of maps.
  ///
  /// - Throws: `CLIError` naming the file when its shape fits no known grid.
  static func maps(_ values: [Float], shape: [Int], file: URL) throws -> [SemanticMap] {
    let grid: SemanticGrid
    if let recorded = recordedGrid(besides: file) {
      grid = recorded
    } else if shape.suffix(2) == [34, 120] {
      grid = .study2D()
    } else if shape.last == 180 {
      grid = .study1D()
    } else {
      throw CLIError(
        "--from-maps '\(file.path)' has shape \(shape) and no .json record beside it; give maps "
          + "written by semrob map (with their .json) or arrays ending in the study's 34 × 120 grid."
      )
    }
    guard shape.suffix(grid.shape.count) == ArraySlice(grid.shape) else {
      throw CLIError(
        "--from-maps '\(file.path)' has shape \(shape) but its record describes a "
          + "\(grid.shape) grid; the files do not belong together.")
    }
    let size = grid.count
    return stride(from: 0, to: values.count, by: size).map {
      SemanticMap(grid: grid, values: Array(values[$0..<($0 + size)]))
    }
  }

  /// The grid in the JSON record beside `file` (`semrob.map/1`, `semrob.dsm/1` documents or a
  /// cached map's entry), if there is one.
  static func recordedGrid(besides file: URL) -> SemanticGrid? {
    struct Payload: Decodable { var grid: SemanticGrid }
    struct Document: Decodable { var payload: Payload }
    guard
      let data = try? Data(contentsOf: file.deletingPathExtension().appendingPathExtension("json"))
    else { return nil }
    if let document = try? JSONDecoder().decode(Document.self, from: data) {
      return document.payload.grid
    }
    return (try? JSONDecoder().decode(Payload.self, from: data))?.grid
  }
}

/// The original study's released maps (`shared/reference/hamdi2020/maps.npy`).
enum Hamdi2020 {
  /// The classes in `class_nb` order (METHODS §2.1).
  static let classes = [
    "aeroplane", "bathtub", "bench", "bottle", "chair", "cup", "piano", "rifle", "vase", "toilet",
  ]
  /// The networks in index order.
  static let networks = ["AlexNet", "VGG", "ResNet50", "InceptionV3"]

  /// The 40 maps (4 networks × 10 shapes) of `className` in the released array of shape
  /// (4, 10, 10, 34, 120).
  static func maps(
    _ values: [Float], shape: [Int], className: String, path: String
  ) throws -> [SemanticMap] {
    guard shape == [4, 10, 10, 34, 120] else {
      throw CLIError(
        "--reference hamdi2020: '\(path)' has shape \(shape), not (4, 10, 10, 34, 120); give "
          + "the study's released maps.npy.")
    }
    let z = classes.firstIndex(of: className)!
    let grid = SemanticGrid.study2D()
    let size = grid.count
    var maps: [SemanticMap] = []
    for network in 0..<4 {
      for object in 0..<10 {
        let first = ((network * 10 + z) * 10 + object) * size
        maps.append(SemanticMap(grid: grid, values: Array(values[first..<(first + size)])))
      }
    }
    return maps
  }
}
