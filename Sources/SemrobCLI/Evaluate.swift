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
      """)

  enum Poses: String, ExpressibleByArgument, CaseIterable, Codable {
    case training, uniform
  }

  @Option(help: "A trained model: a folder name under Models/, or a path to a model folder.")
  var model: String
  @Option(help: "The pose distribution: training or uniform.") var poses: Poses = .training
  @Option(help: "Renders per shape.") var views = 40
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

  func validate() throws {
    guard (1...10_000).contains(views) else {
      throw ValidationError("--views must be in 1…10000 (got \(views)).")
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
    for entry in entries {
      guard let label = classifier.classNames.firstIndex(of: entry.class!) else {
        throw CLIError(
          "model '\(model)' has no class '\(entry.class!)' (its classes: "
            + classifier.classNames.joined(separator: ", ") + ").")
      }
      let loaded = try MeshFiles.load(contentsOf: catalog.url(of: entry))
      shapes.append((loaded.mesh.normalized(.shapeNet), label))
    }
    let data = RenderedDataset(
      shapes: shapes, count: shapes.count * views,
      distribution: poses == .training ? .training : .uniform, seed: seed,
      size: classifier.inputSize, threads: threadCount)
    Diagnostics.note(
      "evaluating \(description.name) on \(shapes.count) shapes × \(views) views "
        + "(\(poses.rawValue) poses)", quiet: quiet)
    let classes = classifier.classNames.count
    var confusion = [[Int]](repeating: [Int](repeating: 0, count: classes), count: classes)
    let batch = 128
    for start in stride(from: 0, to: data.count, by: batch) {
      let indices = Array(start..<min(start + batch, data.count))
      let (inputs, labels) = data.batch(indices: indices)
      let logits = classifier.logits(inputs).scalars
      for (n, label) in labels.enumerated() {
        let row = logits[(n * classes)..<((n + 1) * classes)]
        let predicted = row.indices.max { row[$0] < row[$1] || (row[$0] == row[$1] && $0 > $1) }!
        confusion[label][predicted - n * classes] += 1
      }
    }
    let result = EvaluationResult(
      model: description.name, poses: poses.rawValue, views: views, seed: seed,
      classes: classifier.classNames, confusion: confusion)
    if record {
      try Self.record(result, folder: folder, description: description)
      Diagnostics.note("recorded in \(folder.path)/model.json and README.md", quiet: quiet)
    }
    if json {
      let document = try OutputFiles.resultDocument(
        schema: "semrob.evaluate/1", payload: result,
        inputs: [
          folder.appending(path: "model.json"), folder.appending(path: description.weights),
        ],
        settings: ["poses": poses.rawValue, "views": "\(views)"], seed: seed, threads: threadCount)
      print(String(decoding: try document.encoded(), as: UTF8.self))
      return
    }
    print(
      String(
        format: "%@: top-1 %.1f%% on %d renders of %d held-out shapes (%@ poses)",
        description.name, 100 * result.accuracy, result.total, shapes.count, poses.rawValue))
    print(result.table())
  }

  /// Stores the accuracy in `model.json` (`training-poses` or `uniform-poses`) and rewrites the
  /// card.
  static func record(
    _ result: EvaluationResult, folder: URL, description: ModelDescription
  ) throws {
    var updated = description
    var accuracy = updated.accuracy ?? [:]
    accuracy["\(result.poses)-poses"] = result.accuracy
    updated.accuracy = accuracy
    let encoder = ResultJSON.makeDocumentEncoder()
    try AtomicFile.write(try encoder.encode(updated), to: folder.appending(path: "model.json"))
    let resultURL = folder.appending(path: "evaluation-\(result.poses).json")
    try AtomicFile.write(try encoder.encode(result), to: resultURL)
    try ModelCard.write(folder: folder)
  }
}

/// The payload of `semrob evaluate`.
struct EvaluationResult: Codable {
  var model: String
  var poses: String
  var views: Int
  var seed: UInt64
  var classes: [String]
  /// Counts: `confusion[true][predicted]`.
  var confusion: [[Int]]

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

  enum CodingKeys: String, CodingKey {
    case model, poses, views, seed, classes, confusion, accuracy
    case perClass = "per_class"
  }

  init(
    model: String, poses: String, views: Int, seed: UInt64, classes: [String], confusion: [[Int]]
  ) {
    self.model = model
    self.poses = poses
    self.views = views
    self.seed = seed
    self.classes = classes
    self.confusion = confusion
  }

  init(from decoder: any Decoder) throws {
    let c = try decoder.container(keyedBy: CodingKeys.self)
    model = try c.decode(String.self, forKey: .model)
    poses = try c.decode(String.self, forKey: .poses)
    views = try c.decode(Int.self, forKey: .views)
    seed = try c.decode(UInt64.self, forKey: .seed)
    classes = try c.decode([String].self, forKey: .classes)
    confusion = try c.decode([[Int]].self, forKey: .confusion)
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
}
