import ArgumentParser
import Foundation
import Geometry
import NeuralNetworks
import Rendering
import SemanticAnalysis

/// `A,B` (or `A,B,STEP`) on the command line: a closed range of a semantic parameter.
struct RangeOption: ExpressibleByArgument, CustomStringConvertible, Hashable {
  var range: ClosedRange<Double>
  var step: Double?

  init?(argument: String) {
    let parts = argument.split(separator: ",").map {
      Double($0.trimmingCharacters(in: .whitespaces))
    }
    guard (2...3).contains(parts.count), let a = parts[0], let b = parts[1], a.isFinite,
      b.isFinite, a <= b
    else { return nil }
    range = a...b
    if parts.count == 3 {
      guard let s = parts[2], s > 0, s.isFinite else { return nil }
      step = s
    }
  }

  var description: String {
    "\(range.lowerBound),\(range.upperBound)" + (step.map { ",\($0)" } ?? "")
  }
}

/// The grid and scene options of `semrob map` and `semrob dsm`.
struct MapGridOptions: ParsableArguments {
  @Option(
    help: ArgumentHelp(
      "The map's axes: azimuth,elevation (2-D), azimuth or elevation (1-D); any one or two of azimuth, elevation, distance, fov, light-azimuth, light-elevation.",
      valueName: "list"))
  var dims = "azimuth,elevation"
  @Option(help: "Grid step of the angle axes in degrees (default: 3 for 2-D maps, 2 for 1-D).")
  var step: Double?
  @Option(help: "Elevation in degrees where it is not an axis (default 35).") var elevation: Double?
  @Option(help: "Azimuth in degrees where it is not an axis (default 0).") var azimuth: Double?
  @Option(help: ArgumentHelp("Azimuth range A,B in degrees.", valueName: "A,B"))
  var azimuthRange: RangeOption?
  @Option(help: ArgumentHelp("Elevation range A,B in degrees.", valueName: "A,B"))
  var elevationRange: RangeOption?
  @Option(
    help: ArgumentHelp(
      "Range of another axis: NAME=A,B[,STEP] (e.g. distance=2,4,0.1); repeatable.",
      valueName: "name=A,B"))
  var range: [String] = []
  @Option(help: "Camera distance (world units) where it is not an axis.") var distance = 2.732
  @Option(help: "Full vertical field of view in degrees where it is not an axis.") var fov = 60.0
  @OptionGroup var light: LightOptions
  @Flag(
    inversion: .prefixedNo,
    help: "Colour faces with the mesh's material colours (the zoo was trained on coloured renders)."
  )
  var materialColours = true
  @Option(help: "Render preset: default or nmr.") var preset: PresetName = .default

  func validate() throws {
    let parameters = try axes()
    if let step, !(step > 0 && step <= 90) {
      throw ValidationError("--step must be in (0, 90] degrees (got \(step)).")
    }
    for (value, name) in [(elevation, "--elevation"), (azimuth, "--azimuth")] {
      if let value, !value.isFinite { throw ValidationError("\(name) must be finite.") }
    }
    if elevation != nil && parameters.contains(.elevation) {
      throw ValidationError("--elevation fixes the elevation, which is an axis here; drop it.")
    }
    if azimuth != nil && parameters.contains(.azimuth) {
      throw ValidationError("--azimuth fixes the azimuth, which is an axis here; drop it.")
    }
    guard distance > 0 && distance.isFinite else {
      throw ValidationError("--distance must be positive (got \(distance)).")
    }
    guard fov > 0 && fov < 180 else { throw ValidationError("--fov must be in (0, 180) degrees.") }
    let grid = try self.grid()
    guard grid.count <= 50_000_000 else {
      throw ValidationError(
        "the grid has \(grid.count) points (at most 50,000,000); use a larger --step.")
    }
  }

  /// The axes' parameters, in order.
  func axes() throws -> [RenderParameter] {
    let parameters: [RenderParameter]
    do {
      parameters = try RenderParameter.list(dims)
    } catch {
      throw ValidationError("--dims: \(error.message).")
    }
    guard (1...2).contains(parameters.count) else {
      throw ValidationError("--dims takes one or two parameters (got \(parameters.count)).")
    }
    return parameters
  }

  /// The explicit ranges: the named options and `--range NAME=A,B[,STEP]`.
  func explicitRanges() throws -> [RenderParameter: RangeOption] {
    var ranges: [RenderParameter: RangeOption] = [:]
    if let azimuthRange { ranges[.azimuth] = azimuthRange }
    if let elevationRange { ranges[.elevation] = elevationRange }
    for entry in range {
      let parts = entry.split(separator: "=", maxSplits: 1).map(String.init)
      guard parts.count == 2, let parameter = RenderParameter(rawValue: parts[0]),
        let value = RangeOption(argument: parts[1])
      else {
        throw ValidationError(
          "--range '\(entry)': expected NAME=A,B[,STEP] with NAME one of "
            + RenderParameter.allCases.map(\.rawValue).joined(separator: ", ") + ".")
      }
      guard ranges[parameter] == nil else {
        throw ValidationError("the range of \(parameter.rawValue) is given twice.")
      }
      ranges[parameter] = value
    }
    return ranges
  }

  /// The grid: the axes over their ranges, the other angles fixed.
  func grid() throws -> SemanticGrid {
    let parameters = try axes()
    let ranges = try explicitRanges()
    for parameter in ranges.keys where !parameters.contains(parameter) {
      throw ValidationError(
        "a range is given for \(parameter.rawValue), which is not an axis (--dims \(dims)).")
    }
    let angleStep = step ?? (parameters.count == 2 ? 3 : 2)
    let axes = parameters.map { parameter in
      let space = SemanticSpace.parameter(parameter)
      let given = ranges[parameter]
      let step = given?.step ?? (parameter.isAngle ? angleStep : space.step)
      return space.axis(range: given?.range, step: step)
    }
    // A 1-D azimuth map sits at a fixed elevation (35° by default, METHODS §2.3), and a 1-D
    // elevation map at a fixed azimuth; both are part of every point.
    var fixed: [RenderParameter: Double] = [:]
    if !parameters.contains(.azimuth) {
      fixed[.azimuth] = azimuth ?? SemanticSpace.parameter(.azimuth).defaultValue
    }
    if !parameters.contains(.elevation) {
      fixed[.elevation] = elevation ?? SemanticSpace.parameter(.elevation).defaultValue
    }
    return SemanticGrid(axes: axes, fixed: fixed)
  }

  /// The render settings for a classifier with input side `size`.
  func settings(size: Int) -> RenderSettings {
    var settings = light.applied(to: preset.settings)
    settings.size = size
    settings.fieldOfView = fov * Camera.radiansPerDegree
    settings.materialColours = materialColours
    return settings
  }

  /// The view every grid point modifies.
  func baseView(settings: RenderSettings) -> SceneView {
    SceneView(
      CameraPose(azimuthDegrees: 0, elevationDegrees: 35, distance: distance), settings: settings)
  }
}

/// Which zoo models a command uses: `--model NAME` or `--models all|a,b`.
struct ModelChoiceOptions: ParsableArguments {
  @Option(
    help:
      "A trained model: a folder name under Models/ or a path (default: the zoo's most accurate).")
  var model: String?
  @Option(help: ArgumentHelp("Several models: all, or a comma-separated list.", valueName: "list"))
  var models: String?

  func validate() throws {
    if model != nil && models != nil {
      throw ValidationError("Give either --model or --models, not both.")
    }
  }

  /// The chosen model names (or paths), in order.
  func names() throws -> [String] {
    if let model { return [model] }
    let zoo = ModelCatalog.descriptions()
    if let models {
      if models == "all" {
        guard !zoo.isEmpty else {
          throw ValidationError(
            "--models all: no models in \(ModelCatalog.root.path); `semrob train` makes one.")
        }
        return zoo.map(\.description.name)
      }
      let list = models.split(separator: ",").map {
        $0.trimmingCharacters(in: .whitespaces)
      }
      guard !list.isEmpty, Set(list).count == list.count else {
        throw ValidationError("--models: give 'all' or distinct names separated by commas.")
      }
      return list
    }
    // The most accurate zoo model under training poses (then by validation accuracy).
    func score(_ d: ModelDescription) -> (Double, Double) {
      (d.accuracy?["training-poses"] ?? -1, d.accuracy?["validation"] ?? -1)
    }
    guard let best = zoo.max(by: { score($0.description) < score($1.description) }) else {
      throw ValidationError(
        "no models in \(ModelCatalog.root.path); give --model PATH or `semrob train` one.")
    }
    return [best.description.name]
  }
}

/// The figure and output options shared by `semrob map` and `semrob dsm`.
struct MapOutputOptions: ParsableArguments {
  @Option(help: "Colormap of the figures: rdbu (the study's red–blue) or viridis.")
  var colormap = "rdbu"
  @Option(help: "Level of the above-fraction and of semantic traps.") var level = 0.5
  @Option(name: .shortAndLong, help: ArgumentHelp("Output directory.", valueName: "dir"))
  var output = "semrob-output"
  @Option(help: "Worker threads (default: all cores).") var threads: Int?
  @Flag(name: .shortAndLong, help: "Print no progress on standard error.") var quiet = false

  func validate() throws {
    guard MapFigures.colormap(colormap) != nil else {
      throw ValidationError("--colormap must be rdbu or viridis (got '\(colormap)').")
    }
    guard level.isFinite else { throw ValidationError("--level must be finite.") }
    if let threads, threads < 1 { throw ValidationError("--threads must be at least 1.") }
  }
}
