import Foundation
import Tensors

/// The settings of a training run that do not belong to the network or the optimizer.
public struct TrainingConfiguration: Sendable, Hashable {
  /// The number of epochs ``Trainer/train(on:events:)`` runs to (counting resumed epochs).
  public var epochs: Int
  /// Examples per optimizer step (≥ 1).
  public var batchSize: Int
  /// The seed of every random choice: the per-epoch shuffle and the dropout masks.
  public var seed: UInt64
  /// The learning rate of each epoch.
  public var schedule: LearningRateSchedule
  /// The label smoothing ε in [0, 1) of the cross-entropy loss.
  public var labelSmoothing: Double
  /// Whether each epoch visits the examples in a fresh random order (otherwise `0..<count`).
  public var shuffles: Bool
  /// Whether a final batch smaller than ``batchSize`` is skipped (PyTorch's `drop_last`).
  public var dropsLastBatch: Bool
  /// Where to write a checkpoint after every epoch (replaced atomically), or `nil`.
  public var checkpointURL: URL?

  /// Creates a configuration.
  ///
  /// - Parameters:
  ///   - epochs: Epochs to train (≥ 0).
  ///   - batchSize: Examples per step (≥ 1).
  ///   - seed: The run's seed (default 0).
  ///   - schedule: The learning rate per epoch.
  ///   - labelSmoothing: ε in [0, 1) (default 0).
  ///   - shuffles: Shuffle every epoch (default `true`).
  ///   - dropsLastBatch: Skip a short final batch (default `false`).
  ///   - checkpointURL: A safetensors file rewritten after every epoch, or `nil` (default).
  public init(
    epochs: Int, batchSize: Int, seed: UInt64 = 0, schedule: LearningRateSchedule,
    labelSmoothing: Double = 0, shuffles: Bool = true, dropsLastBatch: Bool = false,
    checkpointURL: URL? = nil
  ) {
    self.epochs = epochs
    self.batchSize = batchSize
    self.seed = seed
    self.schedule = schedule
    self.labelSmoothing = labelSmoothing
    self.shuffles = shuffles
    self.dropsLastBatch = dropsLastBatch
    self.checkpointURL = checkpointURL
    validate()
  }

  /// Traps with a message for a setting out of range.
  func validate() {
    precondition(epochs >= 0, "TrainingConfiguration: epochs must be ≥ 0, got \(epochs)")
    precondition(
      batchSize >= 1, "TrainingConfiguration: batchSize must be ≥ 1, got \(batchSize)")
    precondition(
      labelSmoothing >= 0 && labelSmoothing < 1,
      "TrainingConfiguration: labelSmoothing must lie in [0, 1), got \(labelSmoothing)")
  }
}

/// Mini-batch training of a classifier with cross-entropy, an ``Optimizer`` and a
/// ``LearningRateSchedule``, with exact checkpoint and resume.
///
/// Each epoch `e` sets the optimizer's learning rate to `schedule.learningRate(atEpoch: e)`,
/// visits the examples in an order shuffled by Fisher–Yates with a generator seeded by
/// `(seed, e)`, and for each batch `b`:
///
/// 1. runs ``Network/record(_:mode:random:)`` in training mode, with the dropout generator
///    seeded by `(seed, e, b)`;
/// 2. computes ``CrossEntropy`` (with the configured label smoothing) of the logits;
/// 3. computes the gradients of all parameters;
/// 4. takes over the batch-norm running statistics (``Network/update(buffersFrom:)``);
/// 5. applies one optimizer update.
///
/// Progress is reported through a ``TrainingEvent`` callback; nothing is printed.
///
/// Determinism: for a seed, a data set and a BLAS thread count the run is reproducible bit for
/// bit, and because every random stream is derived from the seed and the epoch and batch
/// indices, training two epochs, saving, and resuming for the third gives exactly the
/// parameters of three uninterrupted epochs (for a Float32 network; a Float64 network is
/// rounded to Float32 by the checkpoint).
///
/// ```swift
/// var trainer = Trainer(
///   network: network, optimizer: SGD(learningRate: 0.1, momentum: 0.9),
///   configuration: TrainingConfiguration(
///     epochs: 10, batchSize: 32, seed: 0, schedule: .cosine(0.1, epochs: 10),
///     checkpointURL: url))
/// try trainer.train(on: data) { event in print(event) }
/// ```
public struct Trainer: Sendable {
  /// The network being trained.
  public private(set) var network: Network
  /// The optimizer, with its state.
  public private(set) var optimizer: any Optimizer
  /// The run's settings.
  public let configuration: TrainingConfiguration
  /// The epochs and steps completed.
  public private(set) var state: TrainingState
  /// Wall-clock seconds and epochs of this session, for the remaining-time estimate.
  private var sessionSeconds = 0.0
  private var sessionEpochs = 0

  /// Starts a run from a network and a fresh or restored optimizer.
  ///
  /// - Parameters:
  ///   - network: The network; its output must be `[classes]` logits.
  ///   - optimizer: The optimizer; its learning rate is replaced by the schedule's each epoch.
  ///   - configuration: The run's settings.
  ///   - state: The progress so far (default: nothing done).
  public init(
    network: Network, optimizer: any Optimizer, configuration: TrainingConfiguration,
    state: TrainingState = TrainingState()
  ) {
    configuration.validate()
    precondition(
      network.outputShape.count == 1,
      "Trainer: the network's output \(network.outputShape) is not a vector of logits")
    self.network = network
    self.optimizer = optimizer
    self.configuration = configuration
    self.state = state
  }

  /// Whether the configured number of epochs has been reached.
  public var isFinished: Bool { state.epochsCompleted >= configuration.epochs }

  /// Trains until ``TrainingConfiguration/epochs`` epochs are complete (none if already so).
  ///
  /// - Parameters:
  ///   - data: The training set.
  ///   - events: Receives progress; it runs on the calling thread.
  /// - Throws: Whatever `data.batch(indices:)` throws, or
  ///   ``CheckpointError/unwritable(path:reason:)`` when a checkpoint cannot be written.
  /// - Complexity: One forward and backward pass per example per epoch.
  public mutating func train(
    on data: some TrainingData, events: (TrainingEvent) -> Void = { _ in }
  ) throws {
    while !isFinished {
      try trainEpoch(on: data, events: events)
    }
  }

  /// Trains one epoch, the one with index ``TrainingState/epochsCompleted``, and writes the
  /// configured checkpoint.
  ///
  /// - Parameters:
  ///   - data: The training set (at least one batch).
  ///   - events: Receives progress; it runs on the calling thread.
  /// - Returns: The epoch's summary, also sent as ``TrainingEvent/epochFinished(_:)``.
  /// - Throws: Whatever `data.batch(indices:)` throws (the trainer is then left as it was
  ///   before the epoch), or ``CheckpointError`` when the checkpoint cannot be written (the
  ///   epoch itself is complete).
  @discardableResult
  public mutating func trainEpoch(
    on data: some TrainingData, events: (TrainingEvent) -> Void = { _ in }
  ) throws -> EpochReport {
    let count = data.count
    let batchSize = configuration.batchSize
    let batches =
      configuration.dropsLastBatch ? count / batchSize : (count + batchSize - 1) / batchSize
    precondition(
      batches > 0,
      "Trainer: \(count) examples make no batch of \(batchSize)"
        + (configuration.dropsLastBatch ? " when the last short batch is dropped" : ""))
    let epoch = state.epochsCompleted
    let learningRate = configuration.schedule.learningRate(atEpoch: epoch)
    optimizer.learningRate = learningRate
    let order =
      configuration.shuffles
      ? Self.shuffledIndices(count: count, seed: configuration.seed, epoch: epoch)
      : Array(0..<count)
    events(
      .epochStarted(
        EpochStart(
          epoch: epoch, epochs: configuration.epochs, batches: batches,
          learningRate: learningRate)))

    let loss = CrossEntropy(labelSmoothing: configuration.labelSmoothing)
    let clock = ContinuousClock()
    let epochStart = clock.now
    var lossSum = 0.0
    var correct = 0
    var seen = 0
    // A failed batch request rolls the epoch back, so the state always matches an epoch count.
    let (savedNetwork, savedOptimizer, savedState) = (network, optimizer, state)
    var finished = false
    defer {
      if !finished { (network, optimizer, state) = (savedNetwork, savedOptimizer, savedState) }
    }
    for batch in 0..<batches {
      let batchStart = clock.now
      let indices = Array(order[(batch * batchSize)..<min(count, (batch + 1) * batchSize)])
      let (inputs, labels) = try data.batch(indices: indices)
      precondition(
        labels.count == indices.count && inputs.shape.first == indices.count,
        "Trainer: the data set returned inputs \(inputs.shape) and \(labels.count) labels for "
          + "\(indices.count) indices")
      var random = Self.dropoutGenerator(seed: configuration.seed, epoch: epoch, batch: batch)
      let tape = network.record(
        inputs.converted(to: network.elementType), mode: .training, random: &random)
      let (batchLoss, cotangent) = loss(logits: tape.output, labels: labels)
      let gradients = network.gradients(of: tape, cotangent: cotangent, input: false)
      network.update(buffersFrom: tape)
      optimizer.update(&network, along: gradients)
      state.stepsCompleted += 1

      let batchCorrect = Self.correctCount(logits: tape.output, labels: labels)
      lossSum += batchLoss * Double(labels.count)
      correct += batchCorrect
      seen += labels.count
      let seconds = (clock.now - batchStart).inSeconds
      events(
        .batchFinished(
          BatchReport(
            epoch: epoch, batch: batch, batches: batches, examples: labels.count,
            loss: batchLoss, accuracy: Double(batchCorrect) / Double(labels.count),
            imagesPerSecond: seconds > 0 ? Double(labels.count) / seconds : 0)))
    }
    state.epochsCompleted += 1
    finished = true
    let elapsed = (clock.now - epochStart).inSeconds
    sessionSeconds += elapsed
    sessionEpochs += 1
    let remaining = max(0, configuration.epochs - state.epochsCompleted)
    let report = EpochReport(
      epoch: epoch, epochs: configuration.epochs, examples: seen, learningRate: learningRate,
      meanLoss: lossSum / Double(seen), accuracy: Double(correct) / Double(seen),
      elapsedSeconds: elapsed,
      estimatedSecondsRemaining: sessionSeconds / Double(sessionEpochs) * Double(remaining))
    events(.epochFinished(report))
    if let url = configuration.checkpointURL {
      try saveCheckpoint(to: url)
      events(.checkpointSaved(epoch: epoch, url: url))
    }
    return report
  }

  /// Evaluates the current network in inference mode.
  ///
  /// - Parameters:
  ///   - data: Labelled examples.
  ///   - batchSize: Examples per forward pass; the training batch size when `nil`.
  /// - Returns: The accuracy and mean loss.
  /// - Throws: Whatever `data.batch(indices:)` throws.
  public func evaluate(on data: some TrainingData, batchSize: Int? = nil) throws -> Evaluation {
    try network.evaluate(on: data, batchSize: batchSize ?? configuration.batchSize)
  }
}

// MARK: - Checkpoints

extension Trainer {
  /// The metadata keys of the settings that must match for an exact resume.
  static let settingKeys = [
    "trainer.seed", "trainer.batch_size", "trainer.label_smoothing", "trainer.shuffles",
    "trainer.drops_last_batch", "trainer.schedule",
  ]

  /// The current settings under ``settingKeys``.
  var settings: [String: String] {
    [
      "trainer.seed": "\(configuration.seed)", "trainer.batch_size": "\(configuration.batchSize)",
      "trainer.label_smoothing": "\(configuration.labelSmoothing)",
      "trainer.shuffles": "\(configuration.shuffles)",
      "trainer.drops_last_batch": "\(configuration.dropsLastBatch)",
      "trainer.schedule": configuration.schedule.description,
    ]
  }

  /// Everything needed to resume: the network's parameters and buffers (by path), the
  /// optimizer's state (`optimizer.<path>.<name>`), and metadata with the optimizer's kind,
  /// hyper-parameters and step counts and the trainer's progress and settings (`trainer.*`).
  ///
  /// - Returns: The checkpoint (Float32 on disk).
  public func checkpoint() -> Checkpoint {
    var metadata = optimizer.checkpointMetadata().merging(settings) { $1 }
    metadata["trainer.epochs_completed"] = "\(state.epochsCompleted)"
    metadata["trainer.steps_completed"] = "\(state.stepsCompleted)"
    metadata["trainer.next_learning_rate"] =
      "\(configuration.schedule.learningRate(atEpoch: state.epochsCompleted))"
    metadata["trainer.element_type"] = network.elementType.rawValue
    metadata["trainer.random_streams"] =
      "xoshiro256**; shuffle seeded by (seed, epoch), dropout by (seed, epoch, batch)"
    var checkpoint = network.checkpoint(metadata: metadata)
    for (name, tensor) in optimizer.checkpointTensors() {
      checkpoint[name] = tensor.converted(to: .float32)
    }
    return checkpoint
  }

  /// Writes ``checkpoint()`` to a safetensors file atomically.
  ///
  /// - Parameter url: The destination; its directory must exist.
  /// - Throws: ``CheckpointError/unwritable(path:reason:)``.
  public func saveCheckpoint(to url: URL) throws {
    try checkpoint().write(to: url)
  }

  /// Continues a run from a checkpoint written by ``checkpoint()``.
  ///
  /// Restores the network's parameters and buffers, the optimizer's state and the progress.
  /// The trainer's network must have the same architecture, its optimizer the same kind and
  /// hyper-parameters, and its configuration the same seed, batch size, label smoothing,
  /// shuffling and schedule (``TrainingConfiguration/epochs`` and the checkpoint URL may
  /// differ). Nothing changes unless every check passes.
  ///
  /// - Parameter checkpoint: A training checkpoint.
  /// - Throws: ``TrainingError`` for missing, unreadable or different settings, and
  ///   ``CheckpointError/mismatch(path:problems:)`` for missing, unexpected or wrongly shaped
  ///   tensors.
  public mutating func resume(from checkpoint: Checkpoint) throws {
    let source = checkpoint.sourcePath
    let epochs = try Self.count("trainer.epochs_completed", in: checkpoint)
    let steps = try Self.count("trainer.steps_completed", in: checkpoint)
    let current = settings
    for key in Self.settingKeys {
      let recorded = try TrainingError.metadata(key, in: checkpoint)
      guard recorded == current[key] else {
        throw TrainingError.settingMismatch(
          path: source, key: key, checkpoint: recorded, current: current[key] ?? "")
      }
    }
    var restoredOptimizer = optimizer
    try restoredOptimizer.restoreState(from: checkpoint, for: network)
    let prefix = "optimizer."
    var networkPart = Checkpoint(
      tensors: checkpoint.tensors.filter { !$0.name.hasPrefix(prefix) },
      metadata: checkpoint.metadata)
    networkPart.sourcePath = source
    var restoredNetwork = network
    try restoredNetwork.load(networkPart)

    network = restoredNetwork
    optimizer = restoredOptimizer
    state = TrainingState(epochsCompleted: epochs, stepsCompleted: steps)
  }

  /// Continues a run from a checkpoint file written by ``saveCheckpoint(to:)``.
  ///
  /// - Parameter url: A training checkpoint file.
  /// - Throws: ``CheckpointError`` when the file cannot be read or its tensors do not match,
  ///   and ``TrainingError`` as for resuming from a ``Checkpoint``.
  public mutating func resume(from url: URL) throws {
    try resume(from: Checkpoint(contentsOf: url))
  }

  /// A non-negative integer metadata entry.
  private static func count(_ key: String, in checkpoint: Checkpoint) throws -> Int {
    let text = try TrainingError.metadata(key, in: checkpoint)
    guard let value = Int(text), value >= 0 else {
      throw TrainingError.invalidMetadata(
        path: checkpoint.sourcePath, key: key, value: text, expected: "a non-negative integer")
    }
    return value
  }
}

// MARK: - Random streams and helpers

extension Trainer {
  private static let shuffleStream: UInt64 = 0x5348_5546  // "SHUF"
  private static let dropoutStream: UInt64 = 0x4452_4F50  // "DROP"

  /// The order in which an epoch visits the examples: a Fisher–Yates shuffle of `0..<count`
  /// driven by a ``RandomGenerator`` seeded from `(seed, epoch)`.
  ///
  /// For `i` from `count − 1` down to 1, element `i` is swapped with element `j`, uniform in
  /// `0...i` (Lemire's unbiased multiply-and-reject method).
  ///
  /// Reference: Durstenfeld, "Algorithm 235: Random permutation", CACM 1964; Lemire, "Fast
  /// Random Integer Generation in an Interval", ACM TOMACS 2019 (arXiv:1805.10941).
  ///
  /// - Parameters:
  ///   - count: The number of examples.
  ///   - seed: The run's seed.
  ///   - epoch: The epoch index.
  /// - Returns: A permutation of `0..<count`.
  /// - Complexity: O(`count`).
  public static func shuffledIndices(count: Int, seed: UInt64, epoch: Int) -> [Int] {
    precondition(count >= 0 && epoch >= 0, "shuffledIndices: negative count or epoch")
    var order = Array(0..<count)
    var random = RandomGenerator(
      seed: derivedSeed(seed, [shuffleStream, UInt64(epoch)]))
    for i in stride(from: count - 1, to: 0, by: -1) {
      order.swapAt(i, uniformIndex(below: i + 1, using: &random))
    }
    return order
  }

  /// The dropout generator of one batch, seeded from `(seed, epoch, batch)`.
  ///
  /// - Parameters:
  ///   - seed: The run's seed.
  ///   - epoch: The epoch index.
  ///   - batch: The batch index within the epoch.
  /// - Returns: A fresh generator.
  public static func dropoutGenerator(seed: UInt64, epoch: Int, batch: Int) -> RandomGenerator {
    precondition(epoch >= 0 && batch >= 0, "dropoutGenerator: negative epoch or batch")
    return RandomGenerator(
      seed: derivedSeed(seed, [dropoutStream, UInt64(epoch), UInt64(batch)]))
  }

  /// A seed for one random stream: SplitMix64 applied to the seed, then once more after
  /// mixing in each part.
  static func derivedSeed(_ seed: UInt64, _ parts: [UInt64]) -> UInt64 {
    var mixer = SplitMix64(seed: seed)
    var value = mixer.next()
    for part in parts {
      var next = SplitMix64(seed: value ^ part)
      value = next.next()
    }
    return value
  }

  /// A uniform integer in `0..<bound` (Lemire 2019), independent of the standard library's
  /// implementation of `Int.random(in:using:)`, which may change between releases.
  static func uniformIndex(below bound: Int, using random: inout RandomGenerator) -> Int {
    precondition(bound > 0, "uniformIndex: bound must be positive")
    let range = UInt64(bound)
    var product = random.next().multipliedFullWidth(by: range)
    if product.low < range {
      let threshold = (0 &- range) % range
      while product.low < threshold {
        product = random.next().multipliedFullWidth(by: range)
      }
    }
    return Int(product.high)
  }

  /// The number of rows of `[N, C]` logits whose first arg-max is the label.
  static func correctCount(logits: Tensor, labels: [Int]) -> Int {
    precondition(
      logits.rank == 2 && logits.shape[0] == labels.count,
      "correctCount: logits \(logits.shape) do not match \(labels.count) labels")
    let classes = logits.shape[1]
    let values = logits.doubles
    var correct = 0
    for (row, label) in labels.enumerated() {
      var best = 0
      for k in 1..<max(1, classes) where values[row * classes + k] > values[row * classes + best] {
        best = k
      }
      if best == label { correct += 1 }
    }
    return correct
  }
}
