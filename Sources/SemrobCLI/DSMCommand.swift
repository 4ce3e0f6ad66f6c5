import ArgumentParser
import Datasets
import Foundation
import NeuralNetworks
import ResultFiles
import SemanticAnalysis
import Tensors

/// `semrob dsm`: data semantic maps of a class.
struct DSMCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "dsm",
    abstract: "Data semantic maps: a class's mean score over models and shapes (METHODS §2.4).",
    discussion: """
      With --class NAME, maps every catalogue shape of the class with every chosen model
      (default: the whole zoo) on the grid of --dims (the study's 2-D grid by default), writes
      each model's class-average map <class>_<model>_nsm_mean.{png,npy,json} and the data
      semantic map <class>_dsm.{png,npy,json}: the mean over models of the class averages
      (the plain mean of all maps when every model maps every shape). Per-shape maps go to
      <output>/maps/ and are reused by a later run with the same settings, so an interrupted
      run resumes. On the azimuth × elevation grid the record also compares the DSM with the
      zoo's training pose density (Datasets.PoseDistribution.training): Spearman's rank
      correlation across the grid and the mean DSM over the rarest and the commonest quarter of
      poses.

      With --from-maps FILE.npy ..., averages stored maps instead: maps written by `semrob map`
      (their grid is read from the .json beside them) or arrays whose last two axes are the
      study's 34 × 120 grid (all leading axes are averaged). --reference hamdi2020 reads the
      original study's released maps.npy (4 networks × 10 classes × 10 shapes × 34 × 120) and
      takes the --class slice, as in its figures ("Average confidence score of <CLASS> class").
      """)

  enum Reference: String, ExpressibleByArgument, CaseIterable {
    case hamdi2020
  }

  @Option(name: .customLong("class"), help: "The class.") var className: String?
  @Option(help: ArgumentHelp("Models: all, or a comma-separated list.", valueName: "list"))
  var models = "all"
  @OptionGroup var grid: MapGridOptions
  @Option(
    parsing: .upToNextOption,
    help: ArgumentHelp("Average stored maps (.npy) instead of computing them.", valueName: "file"))
  var fromMaps: [String] = []
  @Option(help: "The layout of --from-maps: hamdi2020 (the original study's released maps.npy).")
  var reference: Reference?
  @Option(
    help: ArgumentHelp("Directory of the shipped shapes (default: ./Meshes).", valueName: "dir"))
  var meshes: String?
  @OptionGroup var out: MapOutputOptions
  @Option(
    help: ArgumentHelp(
      "Values at the colormap's ends: zero-max (0…max, the study's; default), unit (0…1), min-max (the map's own range) or A,B.",
      valueName: "scale"))
  var colourScale: ColourScale = .zeroToMaximum
  @Flag(help: "Print the DSM's record as JSON on standard output.") var json = false

  func validate() throws {
    if fromMaps.isEmpty {
      guard className != nil else {
        throw ValidationError("Give --class NAME (or --from-maps FILE.npy ...).")
      }
      if reference != nil { throw ValidationError("--reference needs --from-maps FILE.npy.") }
    }
    if reference != nil {
      guard fromMaps.count == 1 else {
        throw ValidationError("--reference reads one file: --from-maps PATH/maps.npy.")
      }
      guard let className, Hamdi2020.classes.contains(className) else {
        throw ValidationError(
          "--reference hamdi2020 needs --class, one of " + Hamdi2020.classes.joined(separator: ", ")
            + ".")
      }
    }
  }

  func run() throws {
    let directory = URL(fileURLWithPath: out.output)
    try OutputFiles.prepareDirectory(directory, option: "--output")
    let threadCount = Parallelism.useOwnLoops(threads: out.threads)
    if fromMaps.isEmpty {
      try computeDSM(directory: directory, threads: threadCount)
    } else {
      try averageStoredMaps(directory: directory, threads: threadCount)
    }
  }

  /// Maps every shape of the class with every model, then averages.
  func computeDSM(directory: URL, threads: Int) throws {
    let className = className!
    let names = try ModelChoiceOptions.parse(["--models", models]).names()
    let catalog = try ShapeCatalog.load(explicit: meshes)
    let entries = catalog.index.shapes.filter { $0.class == className }
    guard !entries.isEmpty else {
      throw ValidationError(
        "no shapes of class '\(className)' in \(catalog.directory.path); `semrob shapes` lists the classes."
      )
    }
    let semanticGrid = try grid.grid()
    let store = directory.appending(path: "maps")
    try OutputFiles.prepareDirectory(store, option: "--output")
    var classAverages: [SemanticMap] = []
    var inputs: [URL] = []
    var averageResults: [MapResult] = []
    var settingsRecord: MapSettingsRecord?
    for name in names {
      let (folder, classifier, description) = try ModelCatalog.load(name)
      inputs += [folder.appending(path: "model.json"), folder.appending(path: description.weights)]
      var maps: [SemanticMap] = []
      for entry in entries {
        let mesh = try MeshSourceOptions.parse(
          ["--shape", entry.name] + (meshes.map { ["--meshes", $0] } ?? [])
        ).load(defaultNormalization: grid.preset.normalization)
        let job = try MapJob(
          mesh: mesh.mesh, className: className, classifier: classifier, grid: grid,
          threads: threads)
        settingsRecord = job.settingsRecord
        let stem = "\(entry.name)_\(description.name)_nsm"
        if let stored = MapStore.load(
          store.appending(path: stem), grid: semanticGrid, settings: job.settingsRecord,
          weights: description.weightsSHA256)
        {
          maps.append(stored)
          continue
        }
        let started = ContinuousClock.now
        let map = try job.map(semanticGrid) { done, total in
          guard !out.quiet else { return }
          FileHandle.standardError.write(
            Data(
              String(
                format: "\rdsm %@: %@ with %@: %d/%d poses   ", className, entry.name,
                description.name, done, total
              ).utf8))
        }
        try MapStore.save(
          map, at: store.appending(path: stem), shape: entry.name, model: description.name,
          settings: job.settingsRecord, weights: description.weightsSHA256,
          seconds: (ContinuousClock.now - started).inSeconds)
        maps.append(map)
      }
      let average = try SemanticMap.mean(maps)
      classAverages.append(average)
      let stem = "\(className)_\(description.name)_nsm_mean"
      let result = MapResult(
        shape: "\(entries.count) \(className) shapes", className: className,
        model: description.name, grid: semanticGrid,
        statistics: MapStatistics(average, level: out.level), seconds: 0,
        files: .init(figure: "\(stem).png", scores: "\(stem).npy", record: "\(stem).json"))
      _ = try write(
        average, files: result.files, traps: result.statistics.traps, schema: "semrob.map/1",
        payload: result, title: "Class-average map of \(className) · \(description.name)",
        subtitle: "mean over \(entries.count) shapes", directory: directory, inputs: inputs,
        settings: recordObject(settingsRecord), threads: threads)
      averageResults.append(result)
    }
    if !out.quiet { FileHandle.standardError.write(Data("\n".utf8)) }
    let dsm = try SemanticMap.mean(classAverages)
    let stem = "\(className)_dsm"
    let result = DSMResult(
      className: className, models: averageResults.map(\.model),
      shapes: entries.map(\.name), grid: semanticGrid,
      statistics: MapStatistics(dsm, level: out.level),
      trainingPoses: TrainingPoseComparison(dsm),
      files: .init(figure: "\(stem).png", scores: "\(stem).npy", record: "\(stem).json"))
    try writeDSM(
      dsm, result: result,
      title: "Data semantic map of \(className)",
      subtitle:
        "mean over \(names.count) model\(names.count == 1 ? "" : "s") × \(entries.count) shapes",
      directory: directory, inputs: inputs, settings: recordObject(settingsRecord), threads: threads
    )
  }

  /// The settings record, or an empty one.
  private func recordObject(_ record: MapSettingsRecord?) -> [String: JSONValue] {
    (try? OutputFiles.jsonObject(record)) ?? [:]
  }

  /// Averages maps read from files.
  func averageStoredMaps(directory: URL, threads: Int) throws {
    var maps: [SemanticMap] = []
    var inputs: [URL] = []
    var label = "stored maps"
    var title = "Data semantic map" + (className.map { " of \($0)" } ?? "")
    for path in fromMaps {
      let url = URL(fileURLWithPath: path)
      inputs.append(url)
      let array: NPYArray
      do {
        array = try NPYArray(contentsOf: url)
      } catch {
        throw CLIError("cannot read --from-maps '\(path)': \(error)")
      }
      let values: [Float]
      switch array.data {
      case .float32(let v): values = v
      case .float64(let v): values = v.map(Float.init)
      default:
        throw CLIError(
          "--from-maps '\(path)' holds \(array.data.descr), not float32 or float64 scores; "
            + "give maps written by semrob map or the study's maps.npy.")
      }
      if reference == .hamdi2020 {
        maps += try Hamdi2020.maps(values, shape: array.shape, className: className!, path: path)
        label = "hamdi2020"
        title = "Average confidence score of \(className!.uppercased()) class in ImageNet"
        continue
      }
      maps += try MapStore.maps(values, shape: array.shape, file: url)
    }
    let dsm = try SemanticMap.mean(maps)
    let stem = reference == nil ? "\(className ?? "maps")_dsm" : "hamdi2020_\(className!)_dsm"
    let result = DSMResult(
      className: className ?? "", models: [], shapes: [], grid: dsm.grid,
      statistics: MapStatistics(dsm, level: out.level), trainingPoses: nil,
      files: .init(figure: "\(stem).png", scores: "\(stem).npy", record: "\(stem).json"))
    try writeDSM(
      dsm, result: result, title: title,
      subtitle: "mean of \(maps.count) map\(maps.count == 1 ? "" : "s") (\(label))",
      directory: directory,
      inputs: inputs, settings: [:], threads: threads)
  }

  /// Writes a map's figure, scores and record (`schema`, with `payload`) and returns the
  /// record.
  func write<Payload: Codable>(
    _ map: SemanticMap, files: MapResult.Files, traps: [SemanticTrap], schema: String,
    payload: Payload, title: String, subtitle: String, directory: URL, inputs: [URL],
    settings: [String: JSONValue], threads: Int
  ) throws -> ResultDocument<Payload> {
    try MapFiles.writeScores(map, to: directory.appending(path: files.scores))
    try OutputFiles.writePNG(
      MapFigures.heatMap(
        map, title: title, subtitle: subtitle, colormap: out.colormap, traps: traps,
        scale: colourScale
      ).tensor,
      to: directory.appending(path: files.figure).path)
    let document = try OutputFiles.resultDocument(
      schema: schema, payload: payload, inputs: inputs, settings: settings, seed: 0,
      threads: threads)
    try document.write(to: directory.appending(path: files.record))
    return document
  }

  /// Writes the DSM's files and prints its summary (or, with `--json`, its record).
  func writeDSM(
    _ map: SemanticMap, result: DSMResult, title: String, subtitle: String, directory: URL,
    inputs: [URL], settings: [String: JSONValue], threads: Int
  ) throws {
    let document = try write(
      map, files: result.files, traps: result.statistics.traps, schema: "semrob.dsm/1",
      payload: result, title: title, subtitle: subtitle, directory: directory, inputs: inputs,
      settings: settings, threads: threads)
    if json {
      print(String(decoding: try document.encoded(), as: UTF8.self))
    } else {
      print(result.summary(directory: out.output))
    }
  }
}

/// The payload of a DSM record (`semrob.dsm/1`).
struct DSMResult: Codable {
  var className: String
  var models: [String]
  var shapes: [String]
  var grid: SemanticGrid
  var statistics: MapStatistics
  /// The comparison with the zoo's training pose density (azimuth × elevation grids only).
  var trainingPoses: TrainingPoseComparison?
  var files: MapResult.Files

  enum CodingKeys: String, CodingKey {
    case models, shapes, grid, statistics, files
    case className = "class"
    case trainingPoses = "training_poses"
  }

  /// One line: the file stem, mean and maximum with its pose, and the density comparison.
  func summary(directory: String) -> String {
    let stem = MapResult.stem(files, directory: directory)
    let best = statistics.maximum
    let pose = MapResult.describe(best.point, on: grid)
    var line = String(
      format: "DSM %@: mean %.3f, max %.3f at %@", className.isEmpty ? "(maps)" : className,
      statistics.mean, best.value, pose)
    if let t = trainingPoses {
      line += String(
        format:
          "; vs training pose density: Spearman %.3f, mean %.3f on the rarest quarter of poses, %.3f on the commonest",
        t.spearman, t.rarestQuarterMean, t.commonestQuarterMean)
    }
    return line + "; \(stem).{png,npy,json}"
  }
}

/// How a DSM lines up with the training pose density on an azimuth × elevation grid.
struct TrainingPoseComparison: Codable {
  /// Spearman's ρ between the DSM and the density across the grid.
  var spearman: Double
  /// The DSM's mean over the quarter of grid points with the lowest density.
  var rarestQuarterMean: Double
  /// The DSM's mean over the quarter of grid points with the highest density.
  var commonestQuarterMean: Double

  enum CodingKeys: String, CodingKey {
    case spearman
    case rarestQuarterMean = "rarest_quarter_mean"
    case commonestQuarterMean = "commonest_quarter_mean"
  }

  /// The comparison, or `nil` unless the grid's axes are azimuth then elevation.
  init?(_ map: SemanticMap) {
    guard map.grid.axes.map(\.parameter) == [.azimuth, .elevation] else { return nil }
    let density = (0..<map.grid.count).map { i -> Double in
      let u = map.grid.point(at: i)
      return PoseDistribution.training.density(azimuth: u[0], elevation: u[1])
    }
    let values = map.values.map(Double.init)
    spearman = RankCorrelation.spearman(values, density)
    let order = density.indices.sorted { density[$0] < density[$1] }
    let quarter = max(1, order.count / 4)
    func mean(_ indices: ArraySlice<Int>) -> Double {
      indices.reduce(0) { $0 + values[$1] } / Double(indices.count)
    }
    rarestQuarterMean = mean(order.prefix(quarter))
    commonestQuarterMean = mean(order.suffix(quarter))
  }
}
