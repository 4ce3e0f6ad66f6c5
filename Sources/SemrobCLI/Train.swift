import ArgumentParser
import Datasets
import Foundation
import Geometry
import NeuralNetworks
import ResultFiles
import Tensors

/// `semrob train`: trains a classifier of the zoo on renders of the training shapes.
struct Train: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "train",
    abstract: "Train a classifier on renders of the training shapes (checkpoint every epoch).",
    discussion: """
      The training set renders the training shapes (seeds 1000 on, never an evaluation seed; the
      last --validation-shapes of each class held out) under the biased training pose
      distribution (Datasets.PoseDistribution.training) at the architecture's input size,
      every example a fixed draw, so a run is deterministic for its seed. The optimizer is SGD
      with Nesterov momentum 0.9, weight decay 5e-4 and a cosine learning-rate schedule; the
      input normalisation (ImageNet statistics) is a layer inside the model.

      After every epoch OUTPUT/checkpoint.safetensors is replaced (network, optimizer and
      progress) and OUTPUT/model.json, OUTPUT/weights.safetensors, OUTPUT/training.json
      (settings, per-epoch loss, accuracy and validation accuracy) and the model card
      OUTPUT/README.md are written, so an interrupted run loses at most one epoch: rerun the
      same command with --resume (the result equals an uninterrupted run bit for bit).
      --stop-after K stops after K epochs of this invocation, for training in several sittings.
      """)

  @Option(help: "Architecture: alexnet-mini, vgg-mini, resnet-mini or inception-mini.")
  var arch: String
  @Option(help: "Epochs to train to (counting resumed ones).") var epochs = 30
  @Option(help: "Images per optimizer step.") var batch = 64
  @Option(help: "Seed of every random choice.") var seed: UInt64 = 0
  @Option(help: "Peak learning rate of the cosine schedule.") var learningRate = 0.05
  @Option(help: "Training images per epoch.") var examples = 24_000
  @Option(help: "Training shapes per class (seeds 1000…).") var shapesPerClass = 48
  @Option(help: "Of those, shapes per class held out for validation.") var validationShapes = 8
  @Option(help: "Validation images.") var validationExamples = 2_000
  @Flag(help: "Continue from OUTPUT/checkpoint.safetensors.") var resume = false
  @Option(
    help: "Stop after this many epochs of this invocation (continue later with --resume).")
  var stopAfter: Int?
  @Option(help: "Threads (default: all cores).") var threads: Int?
  @Flag(name: .shortAndLong, help: "Print no progress on standard error.") var quiet = false
  @Option(
    name: .shortAndLong,
    help: ArgumentHelp("Model folder to write (e.g. Models/resnet-mini/).", valueName: "dir"))
  var output: String

  static let miniArchitectures: [Architecture] = [
    .alexnetMini, .vggMini, .resnetMini, .inceptionMini,
  ]

  func validate() throws {
    guard let architecture = Architecture(rawValue: arch) else {
      throw ValidationError(
        "unknown architecture '\(arch)'; choose one of "
          + Self.miniArchitectures.map(\.rawValue).joined(separator: ", ") + ".")
    }
    guard Self.miniArchitectures.contains(architecture) else {
      throw ValidationError(
        "train the 64×64 zoo architectures ("
          + Self.miniArchitectures.map(\.rawValue).joined(separator: ", ") + "), not '\(arch)'.")
    }
    guard epochs >= 1, batch >= 1, examples >= batch, validationExamples >= 1 else {
      throw ValidationError(
        "--epochs and --batch must be ≥ 1 and --examples ≥ --batch (got \(epochs), \(batch), "
          + "\(examples)).")
    }
    guard learningRate > 0, learningRate.isFinite else {
      throw ValidationError("--learning-rate must be positive (got \(learningRate)).")
    }
    guard shapesPerClass >= 2, (1..<shapesPerClass).contains(validationShapes) else {
      throw ValidationError(
        "--shapes-per-class must be ≥ 2 and --validation-shapes in 1…\(shapesPerClass - 1).")
    }
    if let threads, threads < 1 {
      throw ValidationError("--threads must be at least 1 (got \(threads)).")
    }
    if let stopAfter, stopAfter < 1 {
      throw ValidationError("--stop-after must be at least 1 (got \(stopAfter)).")
    }
  }

  func run() throws {
    let threadCount = Parallelism.useOwnLoops(threads: threads)
    let architecture = Architecture(rawValue: arch)!
    let folder = URL(fileURLWithPath: output)
    try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    let checkpointURL = folder.appending(path: "checkpoint.safetensors")
    if !resume && FileManager.default.fileExists(atPath: checkpointURL.path) {
      throw CLIError(
        "'\(checkpointURL.path)' exists: add --resume to continue that run, or choose another "
          + "--output.")
    }
    let size = 64
    let (trainingShapes, heldOut) = TrainingShapes.split(
      perClass: shapesPerClass, validation: validationShapes)
    Diagnostics.note(
      "generating \(trainingShapes.count) training and \(heldOut.count) validation "
        + "shapes", quiet: quiet)
    func meshes(_ entries: [TrainingShapes.Entry]) -> [(mesh: Mesh, label: Int)] {
      entries.map { (TrainingShapes.mesh($0), $0.label) }
    }
    let training = RenderedDataset(
      shapes: meshes(trainingShapes), count: examples, distribution: .training, seed: seed,
      size: size, threads: threadCount)
    let validation = RenderedDataset(
      shapes: meshes(heldOut), count: validationExamples, distribution: .training,
      seed: seed &+ 1, size: size, threads: threadCount)
    let network = try architecture.makeNetwork(
      classes: ShapeClass.allCases.count, inputSize: size, seed: seed, normalization: .imageNet)
    let configuration = TrainingConfiguration(
      epochs: epochs, batchSize: batch, seed: seed,
      schedule: .cosine(learningRate, epochs: epochs), labelSmoothing: 0.1,
      checkpointURL: checkpointURL)
    var trainer = Trainer(
      network: network,
      optimizer: SGD(learningRate: learningRate, momentum: 0.9, nesterov: true, weightDecay: 5e-4),
      configuration: configuration)
    var log = TrainingLog(
      architecture: arch, epochs: epochs, batch: batch, seed: seed, learningRate: learningRate,
      examples: examples, shapesPerClass: shapesPerClass, validationShapes: validationShapes,
      validationExamples: validationExamples, imageSize: size, records: [])
    let logURL = folder.appending(path: "training.json")
    if resume {
      guard FileManager.default.fileExists(atPath: checkpointURL.path) else {
        throw CLIError(
          "--resume: no checkpoint at '\(checkpointURL.path)'; start without --resume.")
      }
      try trainer.resume(from: try Checkpoint(contentsOf: checkpointURL))
      if let data = try? Data(contentsOf: logURL),
        let previous = try? JSONDecoder().decode(TrainingLog.self, from: data)
      {
        log.records = Array(previous.records.prefix(trainer.state.epochsCompleted))
      }
      Diagnostics.note(
        "resuming after epoch \(trainer.state.epochsCompleted) of \(epochs)", quiet: quiet)
    }
    var trained = 0
    while !trainer.isFinished && trained < (stopAfter ?? Int.max) {
      trained += 1
      let started = ContinuousClock.now
      var seen = 0
      let report = try trainer.trainEpoch(on: training) { event in
        guard case .batchFinished(let b) = event else { return }
        seen += b.examples
        guard !quiet, b.batch % 25 == 0 else { return }
        // The epoch's mean rate so far; the ETA counts the training images still to go.
        let rate = Double(seen) / max((ContinuousClock.now - started).inSeconds, 1e-9)
        let remaining = (examples - seen) + (epochs - b.epoch - 1) * examples
        FileHandle.standardError.write(
          Data(
            String(
              format: "\repoch %d/%d  batch %d/%d  loss %.3f  acc %.3f  %.0f img/s  ETA %@   ",
              b.epoch + 1, epochs, b.batch + 1, b.batches, b.loss, b.accuracy, rate,
              Self.duration(Double(remaining) / rate)
            ).utf8))
      }
      let validated = try trainer.evaluate(on: validation, batchSize: 128)
      log.records.append(
        TrainingLog.Record(
          epoch: report.epoch + 1, learningRate: report.learningRate, loss: report.meanLoss,
          accuracy: report.accuracy, validationAccuracy: validated.accuracy,
          validationLoss: validated.meanLoss, seconds: report.elapsedSeconds))
      Diagnostics.note(
        String(
          format:
            "\repoch %d/%d  loss %.3f  acc %.3f  val acc %.3f  %.0f img/s  ETA %@",
          report.epoch + 1, epochs, report.meanLoss, report.accuracy, validated.accuracy,
          Double(report.examples) / report.elapsedSeconds,
          Self.duration(report.estimatedSecondsRemaining)), quiet: quiet)
      try write(trainer.network, log: log, validationAccuracy: validated.accuracy, to: folder)
    }
    Diagnostics.note(
      trainer.isFinished
        ? "trained \(arch) for \(epochs) epochs: \(folder.path)"
        : "stopped after epoch \(trainer.state.epochsCompleted) of \(epochs); continue with --resume",
      quiet: quiet)
  }

  /// Writes the inference weights, `model.json`, `training.json` and the card (each
  /// atomically), keeping accuracies already recorded by `semrob evaluate`.
  func write(
    _ network: Network, log: TrainingLog, validationAccuracy: Double, to folder: URL
  ) throws {
    let weights = folder.appending(path: "weights.safetensors")
    // The bytes depend only on the training (not on the folder), so runs compare byte for byte.
    try network.checkpoint(metadata: ["semrob.architecture": arch]).write(to: weights)
    let description = ModelDescription(
      schema: ModelDescription.currentSchema, name: folder.lastPathComponent,
      architecture: arch, inputSize: 64,
      normalization: ModelDescription.Statistics(
        mean: ChannelNormalization.imageNet.mean,
        std: ChannelNormalization.imageNet.standardDeviation),
      classes: ShapeClass.allCases.map(\.rawValue), weights: "weights.safetensors",
      weightsSHA256: try SHA256.hash(contentsOf: weights),
      accuracy: (previousAccuracy(folder) ?? [:]).merging(["validation": validationAccuracy]) { $1 }
    )
    let encoder = ResultJSON.makeDocumentEncoder()
    try AtomicFile.write(try encoder.encode(description), to: folder.appending(path: "model.json"))
    try AtomicFile.write(try encoder.encode(log), to: folder.appending(path: "training.json"))
    try ModelCard.write(folder: folder)
  }

  /// The accuracies in an existing `model.json`, if any.
  func previousAccuracy(_ folder: URL) -> [String: Double]? {
    guard let data = try? Data(contentsOf: folder.appending(path: "model.json")) else { return nil }
    return (try? JSONDecoder().decode(ModelDescription.self, from: data))?.accuracy
  }

  /// `1h 02m` or `3m 05s`.
  static func duration(_ seconds: Double) -> String {
    let s = Int(seconds.rounded())
    return s >= 3600
      ? String(format: "%dh %02dm", s / 3600, (s % 3600) / 60)
      : String(format: "%dm %02ds", s / 60, s % 60)
  }
}

/// `training.json`: a run's settings and its per-epoch record.
struct TrainingLog: Codable {
  /// One finished epoch.
  struct Record: Codable {
    var epoch: Int
    var learningRate: Double
    var loss: Double
    var accuracy: Double
    var validationAccuracy: Double
    var validationLoss: Double
    var seconds: Double
  }

  var architecture: String
  var epochs: Int
  var batch: Int
  var seed: UInt64
  var learningRate: Double
  var examples: Int
  var shapesPerClass: Int
  var validationShapes: Int
  var validationExamples: Int
  var imageSize: Int
  var records: [Record]
}
