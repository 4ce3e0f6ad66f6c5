import ArgumentParser
import Foundation
import Geometry
import NeuralNetworks
import Rendering
import ResultFiles
import SemanticAnalysis
import Tensors

/// One shape and one classifier, ready to be mapped: the renderer, the function of interest
/// and the settings to record.
struct MapJob {
  let function: FunctionOfInterest
  let threads: Int
  /// The settings recorded in the result's provenance.
  let settingsRecord: MapSettingsRecord

  /// Prepares the function of interest of `mesh` for `className` under `classifier` on the
  /// parameters of `grid`.
  init(
    mesh: Mesh, className: String, classifier: Classifier, grid: MapGridOptions, threads: Int
  ) throws {
    guard let classIndex = classifier.classNames.firstIndex(of: className) else {
      throw ValidationError(
        "\(classifier.name) has no class '\(className)'; its classes are "
          + classifier.classNames.prefix(12).joined(separator: ", ")
          + (classifier.classNames.count > 12 ? ", …" : "") + ".")
    }
    let settings = grid.settings(size: classifier.inputSize)
    let semanticGrid = try grid.grid()
    do {
      var function = try FunctionOfInterest(
        renderer: Renderer<Float>(scene: SceneMesh(mesh), settings: settings),
        classifier: classifier, classIndex: classIndex, dimensions: semanticGrid.parameters,
        base: grid.baseView(settings: settings))
      function.batchSize = 128
      self.function = function
    } catch {
      throw ValidationError(error.description)
    }
    self.threads = threads
    settingsRecord = MapSettingsRecord(
      preset: grid.preset.rawValue, size: settings.size, supersampling: settings.supersampling,
      distance: grid.distance, fieldOfView: grid.fov, lightAzimuth: grid.light.lightAzimuth,
      lightElevation: grid.light.lightElevation, materialColours: grid.materialColours,
      className: className)
  }

  /// The map over `grid`, with progress.
  func map(_ grid: SemanticGrid, progress: (Int, Int) -> Void) throws -> SemanticMap {
    do {
      return try SemanticMapper(function: function, threads: threads).map(grid, progress: progress)
    } catch {
      throw CLIError(error.description)
    }
  }

  /// Renders of grid points `indices` (the classifier's input images).
  func renders(_ grid: SemanticGrid, at indices: [Int]) -> [RenderedImage<Float>] {
    function.renderer.render(
      indices.map { function.view(at: grid.point(at: $0)) }, threads: threads)
  }
}

/// The render settings a map was made with (recorded in its JSON).
struct MapSettingsRecord: Codable {
  var preset: String
  var size: Int
  var supersampling: Int
  var distance: Double
  var fieldOfView: Double
  var lightAzimuth: Double
  var lightElevation: Double
  var materialColours: Bool
  var className: String

  enum CodingKeys: String, CodingKey {
    case preset, size, supersampling, distance
    case fieldOfView = "field_of_view"
    case lightAzimuth = "light_azimuth"
    case lightElevation = "light_elevation"
    case materialColours = "material_colours"
    case className = "class"
  }
}

/// The payload of a map's JSON record (`semrob.map/1`).
struct MapResult: Codable {
  /// The files written beside the record, relative to it.
  struct Files: Codable {
    var figure: String
    var scores: String
    var record: String
  }

  var shape: String
  var className: String
  var model: String
  var grid: SemanticGrid
  var statistics: MapStatistics
  var seconds: Double
  var files: Files

  enum CodingKeys: String, CodingKey {
    case shape, model, grid, statistics, seconds, files
    case className = "class"
  }

  /// `directory/<record without .json>`: the stem of the files written beside each other.
  static func stem(_ files: Files, directory: String) -> String {
    (directory.hasSuffix("/") ? directory : directory + "/")
      + String(files.record.dropLast(".json".count))
  }

  /// A grid point as `azimuth 180°, elevation 83°`.
  static func describe(_ point: [Double], on grid: SemanticGrid) -> String {
    zip(grid.axes, point).map { axis, value in
      SemanticSpace.parameter(axis.parameter).name + " " + format(value, axis.parameter)
    }.joined(separator: ", ")
  }

  /// One line: where the files are, the mean score and the worst pose.
  func summary(directory: String) -> String {
    let stem = Self.stem(files, directory: directory)
    let worst = statistics.minimum
    let pose = Self.describe(worst.point, on: grid)
    return String(
      format:
        "%@ · %@: mean P(%@) %.3f, %.1f%% of poses above %.2g, worst %.3f at %@, %d trap%@; %@.{png,npy,json}",
      shape, model, className, statistics.mean, 100 * statistics.fractionAbove, statistics.level,
      worst.value, pose, statistics.traps.count, statistics.traps.count == 1 ? "" : "s",
      stem)
  }

  /// `123°` for angles, `2.75` for the distance.
  static func format(_ value: Double, _ parameter: RenderParameter) -> String {
    parameter.isAngle
      ? (value == value.rounded() ? String(format: "%.0f°", value) : String(format: "%.1f°", value))
      : String(format: "%.3g", value)
  }
}

/// Reading and writing map scores as `.npy`.
enum MapFiles {
  /// Writes the scores as float32 `.npy` of the grid's shape (`[rows, columns]` or `[n]`),
  /// atomically.
  static func writeScores(_ map: SemanticMap, to url: URL) throws {
    try AtomicFile.write(
      NPYArray(shape: map.grid.shape, data: .float32(map.values)).encoded(), to: url)
  }
}
