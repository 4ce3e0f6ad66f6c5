import Foundation
import TestSupport
import Testing

@testable import NeuralNetworks
@testable import Tensors

@Suite struct TrainerTests {
  /// Two Gaussian blobs in 6 dimensions, centred at ±0.8 in every coordinate, standard
  /// deviation 1, `count / 2` examples each, interleaved.
  static func blobs(count: Int = 64, seed: UInt64 = 7) -> InMemoryTrainingData {
    var random = RandomGenerator(seed: seed)
    var values: [Float] = []
    var labels: [Int] = []
    for i in 0..<count {
      let label = i % 2
      let centre = label == 0 ? -0.8 : 0.8
      for _ in 0..<6 { values.append(Float(centre + random.nextNormal())) }
      labels.append(label)
    }
    // The fixture model has three classes; class 2 stays unused.
    return InMemoryTrainingData(inputs: Tensor(shape: [count, 6], scalars: values), labels: labels)
  }

  static func configuration(
    epochs: Int, seed: UInt64 = 1, schedule: LearningRateSchedule = .constant(0.05),
    labelSmoothing: Double = 0, checkpointURL: URL? = nil
  ) -> TrainingConfiguration {
    TrainingConfiguration(
      epochs: epochs, batchSize: 10, seed: seed, schedule: schedule,
      labelSmoothing: labelSmoothing, checkpointURL: checkpointURL)
  }

  /// A run with every source of state: dropout, momentum-free Adam moments, a warm-up cosine
  /// schedule, label smoothing and a short last batch (64 = 6 × 10 + 4).
  static func richTrainer(
    epochs: Int, networkSeed: UInt64 = 0, runSeed: UInt64 = 1, checkpointURL: URL? = nil
  ) throws -> Trainer {
    Trainer(
      network: try makeFixtureModel(dropout: 0.3, seed: networkSeed),
      optimizer: Adam(learningRate: 0.01, weightDecay: 1e-3),
      configuration: configuration(
        epochs: epochs, seed: runSeed,
        schedule: .cosine(0.02, epochs: 4, minimum: 1e-3).withLinearWarmup(
          epochs: 1, startFactor: 0.5),
        labelSmoothing: 0.1, checkpointURL: checkpointURL))
  }

  @Test(
    "training on two Gaussian blobs halves the loss", arguments: [ElementType.float32, .float64])
  func lossDecreases(type: ElementType) throws {
    let data = Self.blobs()
    var trainer = Trainer(
      network: try makeFixtureModel().converted(to: type),
      optimizer: SGD(learningRate: 0.05, momentum: 0.9),
      configuration: Self.configuration(epochs: 6))
    var losses: [Double] = []
    try trainer.train(on: data) { event in
      if case .epochFinished(let report) = event { losses.append(report.meanLoss) }
    }
    #expect(losses.count == 6)
    let first = try #require(losses.first)
    let last = try #require(losses.last)
    #expect(last < first / 2, "epoch losses \(losses)")
    let evaluation = try trainer.evaluate(on: data)
    #expect(evaluation.examples == 64)
    #expect(evaluation.accuracy > 0.9, "accuracy \(evaluation.accuracy)")
    #expect(trainer.network.elementType == type)
    #expect(trainer.state == TrainingState(epochsCompleted: 6, stepsCompleted: 42))
  }

  @Test("events arrive in order with consistent counts")
  func eventOrder() throws {
    try withTemporaryDirectory { directory in
      let url = directory.appending(path: "last.safetensors")
      var trainer = try Self.richTrainer(epochs: 2, checkpointURL: url)
      var kinds: [String] = []
      var batchExamples = 0
      var reports: [EpochReport] = []
      try trainer.train(on: Self.blobs()) { event in
        switch event {
        case .epochStarted(let start):
          kinds.append("start \(start.epoch)")
          #expect(start.batches == 7 && start.epochs == 2)
        case .batchFinished(let report):
          kinds.append("batch")
          batchExamples += report.examples
          #expect((0...1).contains(report.accuracy) && report.loss.isFinite)
          #expect(report.imagesPerSecond >= 0)
        case .epochFinished(let report):
          kinds.append("end \(report.epoch)")
          reports.append(report)
        case .checkpointSaved(let epoch, let saved):
          kinds.append("saved \(epoch)")
          #expect(saved == url)
        }
      }
      let epoch = { (e: Int) in
        ["start \(e)"] + Array(repeating: "batch", count: 7) + ["end \(e)", "saved \(e)"]
      }
      #expect(kinds == epoch(0) + epoch(1))
      #expect(batchExamples == 128)
      #expect(reports.map(\.examples) == [64, 64])
      expectClose(reports.map(\.learningRate), [0.01, 0.02], tolerance: .elementwise)
      #expect(reports.last?.estimatedSecondsRemaining == 0)
      #expect(FileManager.default.fileExists(atPath: url.path))
    }
  }

  @Test("two runs with one seed give identical parameters; another seed differs")
  func deterministic() throws {
    let data = Self.blobs()
    var first = try Self.richTrainer(epochs: 2)
    var second = try Self.richTrainer(epochs: 2)
    try first.train(on: data)
    try second.train(on: data)
    #expect(first.network.parameters == second.network.parameters)
    #expect(first.optimizer.state == second.optimizer.state)

    var other = try Self.richTrainer(epochs: 2, runSeed: 2)
    try other.train(on: data)
    #expect(other.network.parameters != first.network.parameters)
  }

  @Test("resuming after two epochs gives the parameters of three uninterrupted epochs")
  func exactResume() throws {
    let data = Self.blobs()
    var uninterrupted = try Self.richTrainer(epochs: 3)
    try uninterrupted.train(on: data)

    try withTemporaryDirectory { directory in
      let url = directory.appending(path: "run.safetensors")
      var interrupted = try Self.richTrainer(epochs: 2, checkpointURL: url)
      try interrupted.train(on: data)

      // A fresh process: another initialisation and an empty optimizer, configured for 3 epochs.
      var resumed = try Self.richTrainer(epochs: 3, networkSeed: 99)
      #expect(resumed.network.parameters != interrupted.network.parameters)
      try resumed.resume(from: url)
      #expect(resumed.state == TrainingState(epochsCompleted: 2, stepsCompleted: 14))
      #expect(resumed.network.parameters == interrupted.network.parameters)
      #expect(resumed.optimizer.state == interrupted.optimizer.state)
      try resumed.train(on: data)
      #expect(resumed.state == uninterrupted.state)
      #expect(resumed.network.parameters == uninterrupted.network.parameters)
      #expect(resumed.optimizer.state == uninterrupted.optimizer.state)
    }
  }

  @Test("the checkpoint records progress, settings and optimizer state")
  func checkpointContents() throws {
    var trainer = try Self.richTrainer(epochs: 1)
    try trainer.train(on: Self.blobs())
    let checkpoint = trainer.checkpoint()
    #expect(checkpoint.metadata["trainer.epochs_completed"] == "1")
    #expect(checkpoint.metadata["trainer.steps_completed"] == "7")
    #expect(checkpoint.metadata["trainer.seed"] == "1")
    #expect(checkpoint.metadata["trainer.batch_size"] == "10")
    let next = try #require(checkpoint.metadata["trainer.next_learning_rate"].flatMap(Double.init))
    expectClose(next, 0.02, tolerance: .elementwise)
    #expect(checkpoint.metadata["optimizer.kind"] == "adam")
    #expect(checkpoint.metadata["optimizer.2.weight.step"] == "7")
    #expect(checkpoint["0.weight"] == trainer.network.parameters["0.weight"])
    #expect(checkpoint["optimizer.0.weight.exp_avg_sq"]?.shape == [5, 6])
    #expect(checkpoint.count == 4 + 8)
  }

  @Test("resume refuses checkpoints without trainer metadata or with other settings")
  func resumeErrors() throws {
    var trained = try Self.richTrainer(epochs: 1)
    try trained.train(on: Self.blobs())
    let checkpoint = trained.checkpoint()

    var plain = try Self.richTrainer(epochs: 2)
    let before = plain.network.parameters
    #expect(
      throws: TrainingError.missingMetadata(path: nil, key: "trainer.epochs_completed")
    ) {
      try plain.resume(from: plain.network.checkpoint())
    }

    var otherSeed = try Self.richTrainer(epochs: 2, runSeed: 5)
    let error = #expect(throws: TrainingError.self) {
      try otherSeed.resume(from: checkpoint)
    }
    #expect(
      error == .settingMismatch(path: nil, key: "trainer.seed", checkpoint: "1", current: "5"))
    let message = error.map(String.init(describing:)) ?? ""
    #expect(message.contains("trainer.seed") && !message.contains("\n"))

    var sgd = Trainer(
      network: try makeFixtureModel(dropout: 0.3), optimizer: SGD(learningRate: 0.1),
      configuration: trained.configuration)
    #expect(throws: TrainingError.self) { try sgd.resume(from: checkpoint) }

    var corrupt = checkpoint
    corrupt.metadata["trainer.epochs_completed"] = "-1"
    #expect(throws: TrainingError.self) { try plain.resume(from: corrupt) }

    var missingTensor = checkpoint
    missingTensor["2.bias"] = nil
    #expect(throws: CheckpointError.self) { try plain.resume(from: missingTensor) }
    #expect(plain.network.parameters == before)
    #expect(plain.state == TrainingState())

    try withTemporaryDirectory { directory in
      let url = directory.appending(path: "missing.safetensors")
      #expect(throws: CheckpointError.self) { try plain.resume(from: url) }
    }
  }

  /// A data set whose batches fail when they contain the last example.
  struct FailingData: TrainingData {
    struct Failure: Error {}
    var base: InMemoryTrainingData
    var count: Int { base.count }
    func batch(indices: [Int]) throws -> (inputs: Tensor, labels: [Int]) {
      if indices.contains(base.count - 1) { throw Failure() }
      return base.batch(indices: indices)
    }
  }

  @Test("an epoch whose data fails is rolled back")
  func failedEpochRollsBack() throws {
    var configuration = Self.configuration(epochs: 1)
    configuration.shuffles = false
    var trainer = Trainer(
      network: try makeFixtureModel(), optimizer: SGD(learningRate: 0.1, momentum: 0.9),
      configuration: configuration)
    let before = trainer.network.parameters
    var batches = 0
    #expect(throws: FailingData.Failure.self) {
      try trainer.train(on: FailingData(base: Self.blobs())) { event in
        if case .batchFinished = event { batches += 1 }
      }
    }
    #expect(batches == 6)
    #expect(trainer.network.parameters == before)
    #expect(trainer.optimizer.state.isEmpty)
    #expect(trainer.state == TrainingState())
  }

  @Test("the epoch shuffle is a seeded permutation that changes with the epoch")
  func shuffle() {
    let order = Trainer.shuffledIndices(count: 50, seed: 3, epoch: 0)
    #expect(order.sorted() == Array(0..<50))
    #expect(order != Array(0..<50))
    #expect(order == Trainer.shuffledIndices(count: 50, seed: 3, epoch: 0))
    #expect(order != Trainer.shuffledIndices(count: 50, seed: 3, epoch: 1))
    #expect(order != Trainer.shuffledIndices(count: 50, seed: 4, epoch: 0))
    #expect(Trainer.shuffledIndices(count: 0, seed: 3, epoch: 0).isEmpty)
    var random = RandomGenerator(seed: 11)
    var histogram = [Int](repeating: 0, count: 3)
    for _ in 0..<3000 { histogram[Trainer.uniformIndex(below: 3, using: &random)] += 1 }
    #expect(histogram.allSatisfy { (850...1150).contains($0) }, "\(histogram)")
  }

  @Test("evaluation counts arg-max hits in inference mode")
  func evaluation() throws {
    let data = Self.blobs(count: 12)
    let network = try makeFixtureModel(dropout: 0.9)
    let evaluation = try network.evaluate(on: data, batchSize: 5)
    let logits = network(data.inputs)
    #expect(evaluation.correct == Trainer.correctCount(logits: logits, labels: data.labels))
    let loss = CrossEntropy()(logits: logits, labels: data.labels).loss
    expectClose(evaluation.meanLoss, loss, tolerance: .elementwise)
    #expect(evaluation.accuracy == Double(evaluation.correct) / 12)
  }

  @Test func zeroBatchSizeTraps() async {
    await #expect(processExitsWith: .failure) {
      _ = TrainingConfiguration(epochs: 1, batchSize: 0, schedule: .constant(0.1))
    }
  }

  @Test func labelSmoothingOfOneTraps() async {
    await #expect(processExitsWith: .failure) {
      _ = TrainingConfiguration(
        epochs: 1, batchSize: 4, schedule: .constant(0.1), labelSmoothing: 1)
    }
  }

  @Test func noCompleteBatchTraps() async {
    await #expect(processExitsWith: .failure) {
      var trainer = Trainer(
        network: try makeFixtureModel(), optimizer: SGD(learningRate: 0.1),
        configuration: TrainingConfiguration(
          epochs: 1, batchSize: 100, schedule: .constant(0.1), dropsLastBatch: true))
      try trainer.train(on: TrainerTests.blobs())
    }
  }
}
