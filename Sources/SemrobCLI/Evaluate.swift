import ArgumentParser
import Datasets
import Foundation
import Geometry
import MeshFiles
import NeuralNetworks
import ResultFiles
import Tensors

/// `semrob evaluate`: top-1 accuracy and confusion of a model on the evaluation shapes.
struct Evaluate: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "evaluate",
    abstract: "Accuracy and per-class confusion of a model on the held-out evaluation shapes.",
    discussion: """
      Renders every classed shape of the catalogue (Meshes/: aeroplane01 … toilet10, never seen
      in training) --views times, each view a fixed draw (seed --seed) of the training pose
      distribution (--poses training) or of uniform poses over the semantic grid (--poses
      uniform, azimuth 0…360°, elevation −10…89°), with the same jitter of distance, field of
      view, light, background and colours as training, and classifies the renders. Prints
      top-1 accuracy, per-class accuracy and the confusion matrix (rows: true class).
      --record stores the accuracy in the model's model.json and rewrites its card README.md.
      --quick evaluates 4 views per shape (400 renders, about a tenth of the time): the quick
      check recorded on every shipped card (--quick --record), which the test suite reruns.
      """)

  enum Poses: String, ExpressibleByArgument, CaseIterable, Codable {
    case training, uniform
  }

  @Option(help: "A trained model: a folder name under Models/, or a path to a model folder.")
  var model: String
  @Option(help: "The pose distribution: training or uniform.") var poses: Poses = .training
  @Option(help: "Renders per shape (default: 40).") var views: Int?
  @Flag(help: "The quick check: 4 views per shape.") var quick = false
  @Option(help: "Seed of the views.") var seed: UInt64 = 7
  @Option(
    help: ArgumentHelp("Directory of the shipped shapes (default: ./Meshes).", valueName: "dir"))
  var meshes: String?
  @Option(name: .customLong("class"), help: "Only the shapes of this class.") var shapeClass:
    String?
  @Flag(help: "Store the accuracy in model.json and rewrite the model card.") var record = false
  @Option(help: "Threads (default: all cores).") var threads: Int?
  @Flag(name: .shortAndLong, help: "Print no progress on standard error.") var quiet = false
  @Flag(help: "Write the result to standard output as JSON.") var json = false

  /// Views per shape: 40 by default, ``quickViews`` with `--quick`.
  static let defaultViews = 40
  /// Views per shape of the quick check.
  static let quickViews = 4

  var viewCount: Int { views ?? (quick ? Self.quickViews : Self.defaultViews) }

  func validate() throws {
    if let views, !(1...10_000).contains(views) {
      throw ValidationError("--views must be in 1…10000 (got \(views)).")
    }
    if quick && views != nil {
      throw ValidationError("--quick sets 4 views per shape; drop --views or --quick.")
    }
    if let threads, threads < 1 {
      throw ValidationError("--threads must be at least 1 (got \(threads)).")
    }
    if record && shapeClass != nil {
      throw ValidationError("--record needs every class; drop --class.")
    }
  }

  func run() throws {
    let threadCount = Parallelism.useOwnLoops(threads: threads)
    let (folder, classifier, description) = try ModelCatalog.load(model)
    let catalog = try ShapeCatalog.load(explicit: meshes)
    let entries = catalog.index.shapes.filter {
      $0.class != nil && (shapeClass == nil || $0.class == shapeClass)
    }
    guard !entries.isEmpty else {
      throw CLIError(
        "no classed shapes" + (shapeClass.map { " of class '\($0)'" } ?? "")
          + " in '\(catalog.directory.path)'; `semrob shapes` lists them.")
    }
    var shapes: [(mesh: Mesh, label: Int)] = []
    var names: [String] = []
    for entry in entries {
      guard let label = classifier.classNames.firstIndex(of: entry.class!) else {
        throw CLIError(
          "model '\(model)' has no class '\(entry.class!)' (its classes: "
            + classifier.classNames.joined(separator: ", ") + ").")
      }
      let loaded = try MeshFiles.load(contentsOf: catalog.url(of: entry))
      shapes.append((loaded.mesh.normalized(.shapeNet), label))
      names.append(entry.name)
    }
    let views = viewCount
    let data = RenderedDataset(
      shapes: shapes, count: shapes.count * views,
      distribution: poses == .training ? .training : .uniform, seed: seed,
      size: classifier.inputSize, threads: threadCount)
    Diagnostics.note(
      "evaluating \(description.name) on \(shapes.count) shapes × \(views) views "
        + "(\(poses.rawValue) poses)", quiet: quiet)
    let classes = classifier.classNames.count
    var confusion = [[Int]](repeating: [Int](repeating: 0, count: classes), count: classes)
    var perShape = names.map { EvaluationResult.Tally(name: $0) }
    var elevationBands = EvaluationResult.elevationBands.map {
      EvaluationResult.Tally(name: $0.name)
    }
    var azimuthSectors = EvaluationResult.azimuthSectors.map {
      EvaluationResult.Tally(name: $0.name)
    }
    let batch = 128
    for start in stride(from: 0, to: data.count, by: batch) {
      let indices = Array(start..<min(start + batch, data.count))
      let (inputs, labels) = data.batch(indices: indices)
      let logits = classifier.logits(inputs).scalars
      for (n, label) in labels.enumerated() {
        let row = logits[(n * classes)..<((n + 1) * classes)]
        let predicted = row.indices.max { row[$0] < row[$1] || (row[$0] == row[$1] && $0 > $1) }!
        confusion[label][predicted - n * classes] += 1
        let right = predicted - n * classes == label
        let (shape, sample, _) = data.draw(indices[n])
        perShape[shape].add(right)
        elevationBands[EvaluationResult.elevationBand(sample.elevation)].add(right)
        azimuthSectors[EvaluationResult.azimuthSector(sample.azimuth)].add(right)
      }
    }
    let result = EvaluationResult(
      model: description.name, poses: poses.rawValue, views: views, seed: seed,
      classes: classifier.classNames, confusion: confusion, shapes: perShape,
      elevationBands: elevationBands, azimuthSectors: azimuthSectors)
    if record {
      try Self.record(result, quick: quick, folder: folder, description: description)
      Diagnostics.note("recorded in \(folder.path)/model.json and README.md", quiet: quiet)
    }
    if json {
      let document = try OutputFiles.resultDocument(
        schema: "semrob.evaluate/1", payload: result,
        inputs: [
          folder.appending(path: "model.json"), folder.appending(path: description.weights),
        ],
        settings: ["poses": poses.rawValue, "views": "\(views)"], seed: seed, threads: threadCount
      )
      print(String(decoding: try document.encoded(), as: UTF8.self))
      return
    }
    print(
      String(
        format: "%@: top-1 %.1f%% on %d renders of %d held-out shapes (%@ poses)",
        description.name, 100 * result.accuracy, result.total, shapes.count, poses.rawValue))
    print(result.table())
    print(result.breakdown())
  }

  /// Stores the result as `evaluation-<poses>.json` and its accuracy in `model.json`
  /// (`training-poses` or `uniform-poses`), or a quick check as `evaluation-<poses>-quick.json`
  /// only, and rewrites the card.
  static func record(
    _ result: EvaluationResult, quick: Bool, folder: URL, description: ModelDescription
  ) throws {
    let encoder = ResultJSON.makeDocumentEncoder()
    if !quick {
      var updated = description
      var accuracy = updated.accuracy ?? [:]
      accuracy["\(result.poses)-poses"] = result.accuracy
      updated.accuracy = accuracy
      try AtomicFile.write(try encoder.encode(updated), to: folder.appending(path: "model.json"))
    }
    let resultURL = folder.appending(
      path: "evaluation-\(result.poses)\(quick ? "-quick" : "").json")
    try AtomicFile.write(try encoder.encode(result), to: resultURL)
    try ModelCard.write(folder: folder)
  }
}

/// The payload of `semrob evaluate`.
struct EvaluationResult: Codable {
  /// Renders counted under a name (a shape, an elevation band, an azimuth sector).
  struct Tally: Codable, Equatable {
    var name: String
    var total = 0
    var correct = 0

    var accuracy: Double? { total == 0 ? nil : Double(correct) / Double(total) }

    mutating func add(_ right: Bool) {
      total += 1
      if right { correct += 1 }
    }
  }

  var model: String
  var poses: String
  var views: Int
  var seed: UInt64
  var classes: [String]
  /// Counts: `confusion[true][predicted]`.
  var confusion: [[Int]]
  /// Per shape, in catalogue order.
  var shapes: [Tally]
  /// Per elevation band of the views (``elevationBands``).
  var elevationBands: [Tally]
  /// Per azimuth sector of the views (``azimuthSectors``).
  var azimuthSectors: [Tally]

  /// Elevation bands, degrees: [lower, upper), the last closed.
  static let elevationBands: [(name: String, lower: Double)] = [
    ("below horizon −10…0°", -10), ("low 0…20°", 0), ("typical 20…40°", 20),
    ("high 40…65°", 40), ("top-down 65…89°", 65),
  ]
  /// Azimuth sectors by angular distance from the front (0°), degrees, both sides together.
  static let azimuthSectors: [(name: String, lower: Double)] = [
    ("front 0…22.5°", 0), ("three-quarter 22.5…67.5°", 22.5), ("side 67.5…112.5°", 67.5),
    ("rear three-quarter 112.5…157.5°", 112.5), ("rear 157.5…180°", 157.5),
  ]

  /// The index of the elevation band holding `elevation` (degrees).
  static func elevationBand(_ elevation: Double) -> Int {
    elevationBands.lastIndex { elevation >= $0.lower } ?? 0
  }

  /// The index of the azimuth sector holding `azimuth` (degrees, any turn).
  static func azimuthSector(_ azimuth: Double) -> Int {
    var a = azimuth.truncatingRemainder(dividingBy: 360)
    if a < 0 { a += 360 }
    let fromFront = min(a, 360 - a)
    return azimuthSectors.lastIndex { fromFront >= $0.lower } ?? 0
  }

  var total: Int { confusion.joined().reduce(0, +) }
  var correct: Int { confusion.indices.reduce(0) { $0 + confusion[$1][$1] } }
  var accuracy: Double { Double(correct) / Double(max(total, 1)) }

  /// Per-class accuracy (nil for a class with no renders).
  var perClass: [Double?] {
    confusion.indices.map { k in
      let n = confusion[k].reduce(0, +)
      return n == 0 ? nil : Double(confusion[k][k]) / Double(n)
    }
  }

  /// The most frequent mistakes: (true class, predicted class, count), largest first.
  func confusions(limit: Int) -> [(truth: String, predicted: String, count: Int)] {
    var all: [(truth: String, predicted: String, count: Int)] = []
    for (t, row) in confusion.enumerated() {
      for (p, count) in row.enumerated() where p != t && count > 0 {
        all.append((classes[t], classes[p], count))
      }
    }
    return Array(
      all.sorted { $0.count > $1.count || ($0.count == $1.count && $0.truth < $1.truth) }
        .prefix(limit))
  }

  enum CodingKeys: String, CodingKey {
    case model, poses, views, seed, classes, confusion, accuracy, shapes
    case perClass = "per_class"
    case elevationBands = "elevation_bands"
    case azimuthSectors = "azimuth_sectors"
  }

  init(
    model: String, poses: String, views: Int, seed: UInt64, classes: [String], confusion: [[Int]],
    shapes: [Tally], elevationBands: [Tally], azimuthSectors: [Tally]
  ) {
    self.model = model
    self.poses = poses
    self.views = views
    self.seed = seed
    self.classes = classes
    self.confusion = confusion
    self.shapes = shapes
    self.elevationBands = elevationBands
    self.azimuthSectors = azimuthSectors
  }

  init(from decoder: any Decoder) throws {
    let c = try decoder.container(keyedBy: CodingKeys.self)
    model = try c.decode(String.self, forKey: .model)
    poses = try c.decode(String.self, forKey: .poses)
    views = try c.decode(Int.self, forKey: .views)
    seed = try c.decode(UInt64.self, forKey: .seed)
    classes = try c.decode([String].self, forKey: .classes)
    confusion = try c.decode([[Int]].self, forKey: .confusion)
    shapes = try c.decode([Tally].self, forKey: .shapes)
    elevationBands = try c.decode([Tally].self, forKey: .elevationBands)
    azimuthSectors = try c.decode([Tally].self, forKey: .azimuthSectors)
  }

  func encode(to encoder: any Encoder) throws {
    var c = encoder.container(keyedBy: CodingKeys.self)
    try c.encode(model, forKey: .model)
    try c.encode(poses, forKey: .poses)
    try c.encode(views, forKey: .views)
    try c.encode(seed, forKey: .seed)
    try c.encode(classes, forKey: .classes)
    try c.encode(accuracy, forKey: .accuracy)
    try c.encode(perClass, forKey: .perClass)
    try c.encode(confusion, forKey: .confusion)
    try c.encode(elevationBands, forKey: .elevationBands)
    try c.encode(azimuthSectors, forKey: .azimuthSectors)
    try c.encode(shapes, forKey: .shapes)
  }

  /// Per-class accuracy and the confusion matrix as aligned text.
  func table() -> String {
    let width = max(9, (classes.map(\.count).max() ?? 0) + 1)
    func pad(_ s: String) -> String { s + String(repeating: " ", count: max(0, width - s.count)) }
    var lines = [
      pad("true\\pred") + " acc  "
        + classes.map { String($0.prefix(5)).padding(toLength: 6, withPad: " ", startingAt: 0) }
        .joined()
    ]
    for (k, name) in classes.enumerated() {
      let acc = perClass[k].map { String(format: "%3.0f%% ", 100 * $0) } ?? "   - "
      lines.append(
        pad(name) + acc + " " + confusion[k].map { String(format: "%5d ", $0) }.joined())
    }
    return lines.joined(separator: "\n")
  }

  /// The shapes with the lowest accuracy (ties in catalogue order), at most `limit`, only
  /// those below 100%.
  func weakestShapes(limit: Int) -> [Tally] {
    Array(
      shapes.enumerated().filter { $0.element.correct < $0.element.total }
        .sorted {
          ($0.element.accuracy ?? 1, $0.offset) < ($1.element.accuracy ?? 1, $1.offset)
        }
        .map(\.element).prefix(limit))
  }

  /// Accuracy per elevation band and azimuth sector, the weakest shapes and the most frequent
  /// confusions, as aligned text.
  func breakdown() -> String {
    func line(_ label: String, _ t: Tally) -> String {
      let acc = t.accuracy.map { String(format: "%5.1f%%", 100 * $0) } ?? "    –"
      return label.padding(toLength: 42, withPad: " ", startingAt: 0) + acc
        + "  (\(t.total) renders)"
    }
    var lines = elevationBands.map { line("elevation " + $0.name, $0) }
    lines += azimuthSectors.map { line("azimuth " + $0.name, $0) }
    let weakest = weakestShapes(limit: 5).map {
      "\($0.name) \($0.correct)/\($0.total)"
    }
    lines.append("weakest shapes: " + (weakest.isEmpty ? "none" : weakest.joined(separator: ", ")))
    let mistakes = confusions(limit: 5).map { "\($0.truth)→\($0.predicted) \($0.count)" }
    lines.append(
      "most frequent confusions: " + (mistakes.isEmpty ? "none" : mistakes.joined(separator: ", ")))
    return lines.joined(separator: "\n")
  }
}
