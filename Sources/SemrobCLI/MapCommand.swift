import ArgumentParser
import Foundation
import Geometry
import NeuralNetworks
import Rendering
import ResultFiles
import SemanticAnalysis
import Tensors

/// `semrob map`: network semantic maps of one shape.
struct MapCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "map",
    abstract: "Network semantic maps of a shape: the class score over poses, as PNG, NPY and JSON.",
    discussion: """
      Renders the shape at every point of a grid over semantic parameters, classifies the
      renders and maps f = p(class | render) (METHODS §2). Default: the study's 2-D grid,
      azimuth 0…357° × elevation −10…89° in 3° steps (34 × 120 = 4,080 poses), distance 2.732,
      field of view 60°, light from above, the shape's own colours on black, the zoo's most
      accurate model. --dims azimuth gives the 1-D map at elevation 35° (step 2°).

      Per model it writes <shape>_<model>_nsm.png (the figure), .npy (float32 scores, rows =
      the second axis, e.g. elevation) and .json (axes, statistics, semantic traps,
      provenance); with several models a 1-D map also gets <shape>_nsm.png with one line per
      model. <shape>_renders.png shows the shape at a few grid poses with each model's score.
      Statistics: mean, maximum and minimum with their poses, the share of the grid above
      --level, and semantic traps: connected regions below --level enclosed by poses above it.
      """)

  @OptionGroup var mesh: MeshSourceOptions
  @Option(
    name: .customLong("class"), help: "The class (default: the shape's class in the catalogue).")
  var className: String?
  @OptionGroup var choice: ModelChoiceOptions
  @OptionGroup var grid: MapGridOptions
  @OptionGroup var out: MapOutputOptions
  @Option(
    help: ArgumentHelp(
      "Values at the colormap's ends: unit (0…1; default), zero-max (0…max, the study's), min-max (the map's own range) or A,B.",
      valueName: "scale"))
  var colourScale: ColourScale = .unit
  @Flag(help: "Print the results (one document per model) as JSON on standard output.")
  var json = false

  func validate() throws {
    if mesh.mesh != nil && className == nil {
      throw ValidationError("--mesh needs --class NAME (one of the model's classes).")
    }
  }

  func run() throws {
    let threadCount = Parallelism.useOwnLoops(threads: out.threads)
    let names = try choice.names()
    let semanticGrid = try grid.grid()
    let resolved = try mesh.load(defaultNormalization: grid.preset.normalization)
    let shapeClass = try className ?? mesh.catalogueClass()
    // File names: the shape's name, or the mesh file's name without its extension.
    let name =
      mesh.shape ?? URL(fileURLWithPath: resolved.label).deletingPathExtension().lastPathComponent
    let directory = URL(fileURLWithPath: out.output)
    try OutputFiles.prepareDirectory(directory, option: "--output")
    var results: [MapResult] = []
    var maps: [SemanticMap] = []
    var lastJob: MapJob?
    for modelName in names {
      let (folder, classifier, description) = try ModelCatalog.load(modelName)
      let job = try MapJob(
        mesh: resolved.mesh, className: shapeClass, classifier: classifier, grid: grid,
        threads: threadCount)
      let started = ContinuousClock.now
      let map = try job.map(semanticGrid) { done, total in
        guard !out.quiet else { return }
        let rate = Double(done) / max((ContinuousClock.now - started).inSeconds, 1e-9)
        FileHandle.standardError.write(
          Data(
            String(
              format: "\rmapping %@ with %@: %d/%d poses (%.0f /s)   ", resolved.label,
              description.name, done, total, rate
            ).utf8))
      }
      let seconds = (ContinuousClock.now - started).inSeconds
      if !out.quiet { FileHandle.standardError.write(Data("\n".utf8)) }
      let statistics = MapStatistics(map, level: out.level)
      let stem = "\(name)_\(description.name)_nsm"
      let files = MapResult.Files(
        figure: "\(stem).png", scores: "\(stem).npy", record: "\(stem).json")
      let result = MapResult(
        shape: resolved.label, className: shapeClass, model: description.name,
        grid: semanticGrid, statistics: statistics, seconds: seconds, files: files)
      try MapFiles.writeScores(map, to: directory.appending(path: files.scores))
      try OutputFiles.writePNG(
        MapFigures.figure(map, result: result, colormap: out.colormap, scale: colourScale).tensor,
        to: directory.appending(path: files.figure).path)
      let document = try OutputFiles.resultDocument(
        schema: "semrob.map/1", payload: result,
        inputs: [
          resolved.file, folder.appending(path: "model.json"),
          folder.appending(path: description.weights),
        ],
        settings: job.settingsRecord, seed: 0, threads: threadCount)
      try document.write(to: directory.appending(path: files.record))
      results.append(result)
      if json {
        print(String(decoding: try document.encoded(), as: UTF8.self))
      } else {
        print(result.summary(directory: out.output))
      }
      maps.append(map)
      lastJob = job
    }
    if semanticGrid.axes.count == 1 && results.count > 1 {
      try OutputFiles.writePNG(
        MapFigures.profiles(maps, results: results).tensor,
        to: directory.appending(path: "\(name)_nsm.png").path)
    }
    if let lastJob {
      let sheet = try MapFigures.renderSheet(maps, results: results, job: lastJob)
      try OutputFiles.writePNG(
        sheet.tensor, to: directory.appending(path: "\(name)_renders.png").path)
    }
  }

}
