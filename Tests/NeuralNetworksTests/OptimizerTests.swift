import Foundation
import TestSupport
import Testing

@testable import NeuralNetworks
@testable import Tensors

/// `Fixtures/optimizers/cases.json`, written by `Tools/fixtures/optimizers.py`.
struct OptimizerCase: Decodable {
  struct HyperParameters: Decodable {
    var lr: Double
    var momentum: Double?
    var dampening: Double?
    var nesterov: Bool?
    var weightDecay: Double?
    var betas: [Double]?
    var eps: Double?

    enum CodingKeys: String, CodingKey {
      case lr, momentum, dampening, nesterov, betas, eps
      case weightDecay = "weight_decay"
    }
  }

  var optimizer: String
  var hyperparameters: HyperParameters
  var labelSmoothing: Double

  enum CodingKeys: String, CodingKey {
    case optimizer, hyperparameters
    case labelSmoothing = "label_smoothing"
  }

  /// The semrob optimizer with the case's hyper-parameters (PyTorch defaults elsewhere).
  func makeOptimizer() -> any Optimizer {
    let h = hyperparameters
    switch optimizer {
    case "sgd":
      return SGD(
        learningRate: h.lr, momentum: h.momentum ?? 0, dampening: h.dampening ?? 0,
        nesterov: h.nesterov ?? false, weightDecay: h.weightDecay ?? 0)
    case "adam":
      return Adam(
        learningRate: h.lr, beta1: h.betas?[0] ?? 0.9, beta2: h.betas?[1] ?? 0.999,
        epsilon: h.eps ?? 1e-8, weightDecay: h.weightDecay ?? 0)
    default:
      return AdamW(
        learningRate: h.lr, beta1: h.betas?[0] ?? 0.9, beta2: h.betas?[1] ?? 0.999,
        epsilon: h.eps ?? 1e-8, weightDecay: h.weightDecay ?? 1e-2)
    }
  }
}

/// `Fixtures/optimizers/schedules.json`.
struct ScheduleFixtures: Decodable {
  struct Entry: Decodable {
    var parameters: [String: Double]
    var values: [Double]
  }

  var baseLearningRate: Double
  var schedules: [String: Entry]

  enum CodingKeys: String, CodingKey {
    case schedules
    case baseLearningRate = "base_learning_rate"
  }
}

/// The fixture model: `Linear(6, 5) → ReLU → Linear(5, 3)` with PyTorch's `Sequential` paths.
func makeFixtureModel(dropout: Double? = nil, seed: UInt64 = 0) throws -> Network {
  var builder = NetworkBuilder(inputShape: [6])
  var x = builder.add(Linear(inputSize: 6, outputSize: 5), name: "0", builder.input)
  x = builder.add(ReLU(), x)
  if let dropout { x = builder.add(Dropout(probability: dropout), x) }
  builder.add(Linear(inputSize: 5, outputSize: 3), name: "2", x)
  return try builder.build(seed: seed)
}

@Suite struct OptimizerTests {
  static let caseNames = [
    "sgd", "sgd_momentum_weight_decay", "sgd_nesterov", "sgd_dampening", "adam",
    "adam_weight_decay", "adamw", "sgd_momentum_label_smoothing",
  ]

  struct Golden {
    var fixture: Checkpoint
    var cases: [String: OptimizerCase]
    var network: Network
    var inputs: Tensor
    var labels: [Int]
  }

  static func loadGolden(_ type: ElementType = .float32) throws -> Golden {
    let fixture = try Checkpoint(
      contentsOf: Fixture.url("optimizers/optimizers.safetensors", bundle: .module))
    let cases = try Fixture.json(
      [String: OptimizerCase].self, "optimizers/cases.json", bundle: .module)
    var network = try makeFixtureModel()
    for path in network.parameterPaths {
      try network.setTensor(path, to: try #require(fixture["initial." + path], "\(path)"))
    }
    let labels = try #require(fixture["labels"]).scalars.map { Int($0) }
    return Golden(
      fixture: fixture, cases: cases, network: network.converted(to: type),
      inputs: try #require(fixture["inputs"]).converted(to: type), labels: labels)
  }

  /// Runs `steps` full-batch steps and returns the losses before each step.
  static func run(
    _ network: inout Network, _ optimizer: inout any Optimizer, inputs: Tensor, labels: [Int],
    labelSmoothing: Double, steps: Int
  ) -> [Double] {
    var losses: [Double] = []
    for _ in 0..<steps {
      var random = RandomGenerator(seed: 0)
      let tape = network.record(inputs, mode: .training, random: &random)
      let (loss, cotangent) = CrossEntropy(labelSmoothing: labelSmoothing)(
        logits: tape.output, labels: labels)
      losses.append(loss)
      let gradients = network.gradients(of: tape, cotangent: cotangent, input: false)
      network.update(buffersFrom: tape)
      optimizer.update(&network, along: gradients)
    }
    return losses
  }

  @Test(
    "three steps match PyTorch's optimizers",
    arguments: caseNames, [ElementType.float32, .float64])
  func matchesPyTorch(caseName: String, type: ElementType) throws {
    let golden = try Self.loadGolden(type)
    let info = try #require(golden.cases[caseName])
    var network = golden.network
    var optimizer = info.makeOptimizer()
    let losses = Self.run(
      &network, &optimizer, inputs: golden.inputs, labels: golden.labels,
      labelSmoothing: info.labelSmoothing, steps: 3)
    let expectedLosses = try #require(golden.fixture["\(caseName).losses"]).doubles
    // Losses are reductions over 4 × 3 logits, compared with float32 PyTorch values.
    expectClose(losses, expectedLosses, tolerance: .elementwise, "\(caseName) losses")
    for path in network.parameterPaths {
      let expected = try #require(golden.fixture["\(caseName).\(path)"])
      expectClose(
        network.parameters[path]!.converted(to: .float32), expected, tolerance: .elementwise,
        "\(caseName) \(path) (\(type))")
    }
  }

  @Test("negative control: another optimizer's result does not pass the golden comparison")
  func goldenComparisonCanFail() throws {
    let golden = try Self.loadGolden()
    for (actualCase, expectedCase) in [
      ("sgd", "sgd_dampening"), ("adam", "adamw"), ("sgd_momentum_weight_decay", "sgd"),
    ] {
      var network = golden.network
      var optimizer = try #require(golden.cases[actualCase]).makeOptimizer()
      _ = Self.run(
        &network, &optimizer, inputs: golden.inputs, labels: golden.labels, labelSmoothing: 0,
        steps: 3)
      let expected = try #require(golden.fixture["\(expectedCase).0.weight"])
      #expect(
        closenessFailure(network.parameters["0.weight"]!, expected, tolerance: .elementwise)
          != nil, "\(actualCase) should differ from \(expectedCase)")
    }
  }

  @Test("learning-rate schedules match PyTorch's schedulers")
  func schedulesMatchPyTorch() throws {
    let fixtures = try Fixture.json(
      ScheduleFixtures.self, "optimizers/schedules.json", bundle: .module)
    let base = fixtures.baseLearningRate
    let schedules: [String: LearningRateSchedule] = [
      "constant": .constant(base),
      "step": .step(base, stepSize: 3, factor: 0.5),
      "cosine": .cosine(base, epochs: 5, minimum: 1e-3),
      "warmup_cosine": .cosine(base, epochs: 7).withLinearWarmup(epochs: 3, startFactor: 0.1),
      "warmup_step": .step(base, stepSize: 2, factor: 0.1).withLinearWarmup(
        epochs: 2, startFactor: 0.25),
    ]
    #expect(Set(schedules.keys) == Set(fixtures.schedules.keys))
    for (name, schedule) in schedules {
      let expected = try #require(fixtures.schedules[name]).values
      let actual = expected.indices.map { schedule.learningRate(atEpoch: $0) }
      // PyTorch's recursive updates and the closed forms differ only by Double rounding.
      expectClose(
        actual, expected, tolerance: Tolerance(relative: 1e-12, absolute: 1e-15),
        Comment(rawValue: name))
    }
    // Negative control: a schedule with another factor fails the same comparison.
    let other = LearningRateSchedule.step(base, stepSize: 3, factor: 0.4)
    let stepValues = try #require(fixtures.schedules["step"]).values
    #expect(
      closenessFailure(
        stepValues.indices.map { other.learningRate(atEpoch: $0) }, stepValues,
        tolerance: Tolerance(relative: 1e-12, absolute: 1e-15)) != nil)
  }

  @Test("schedule descriptions name every setting")
  func scheduleDescriptions() {
    #expect(LearningRateSchedule.constant(0.5).description == "constant(base=0.5)")
    #expect(
      LearningRateSchedule.cosine(0.1, epochs: 30, minimum: 0.001)
        .withLinearWarmup(epochs: 5, startFactor: 0.1).description
        == "cosine(base=0.1, epochs=30, minimum=0.001), warmup(epochs=5, start_factor=0.1)")
    #expect(
      LearningRateSchedule.step(0.1, stepSize: 10).description
        == "step(base=0.1, step_size=10, factor=0.1)")
  }

  @Test(
    "state saved to a checkpoint and restored continues exactly",
    arguments: ["sgd_nesterov", "adam", "adamw", "sgd"])
  func stateRoundTrip(caseName: String) throws {
    let golden = try Self.loadGolden()
    let info = try #require(golden.cases[caseName])
    var uninterrupted = golden.network
    var optimizer = info.makeOptimizer()
    _ = Self.run(
      &uninterrupted, &optimizer, inputs: golden.inputs, labels: golden.labels,
      labelSmoothing: 0, steps: 3)

    var network = golden.network
    var first = info.makeOptimizer()
    _ = Self.run(
      &network, &first, inputs: golden.inputs, labels: golden.labels, labelSmoothing: 0,
      steps: 2)
    let saved = Checkpoint(
      tensors: first.checkpointTensors(), metadata: first.checkpointMetadata())
    let decoded = try Checkpoint(data: saved.encoded())
    var resumed = info.makeOptimizer()
    try resumed.restoreState(from: decoded, for: network)
    #expect(resumed.state == first.state)
    _ = Self.run(
      &network, &resumed, inputs: golden.inputs, labels: golden.labels, labelSmoothing: 0,
      steps: 1)
    #expect(network.parameters == uninterrupted.parameters)
    #expect(resumed.state == optimizer.state)
  }

  @Test("state is keyed by path with PyTorch's names and per-parameter step counts")
  func stateLayout() throws {
    let golden = try Self.loadGolden()
    var network = golden.network
    var optimizer: any Optimizer = Adam(learningRate: 1e-2)
    _ = Self.run(
      &network, &optimizer, inputs: golden.inputs, labels: golden.labels, labelSmoothing: 0,
      steps: 2)
    let names = optimizer.checkpointTensors().map(\.name)
    #expect(
      names == [
        "optimizer.0.bias.exp_avg", "optimizer.0.bias.exp_avg_sq", "optimizer.0.weight.exp_avg",
        "optimizer.0.weight.exp_avg_sq", "optimizer.2.bias.exp_avg",
        "optimizer.2.bias.exp_avg_sq", "optimizer.2.weight.exp_avg",
        "optimizer.2.weight.exp_avg_sq",
      ])
    let metadata = optimizer.checkpointMetadata()
    #expect(metadata["optimizer.kind"] == "adam")
    #expect(metadata["optimizer.0.weight.step"] == "2")
    #expect(metadata["optimizer.beta2"] == "0.999")
    #expect(optimizer.state.tensors["2.weight"]?["exp_avg"]?.shape == [3, 5])
    #expect(optimizer.state.tensors["2.weight"]?["exp_avg"]?.elementType == .float32)

    var plain: any Optimizer = SGD(learningRate: 0.1)
    _ = Self.run(
      &network, &plain, inputs: golden.inputs, labels: golden.labels, labelSmoothing: 0,
      steps: 1)
    #expect(plain.checkpointTensors().isEmpty)
    #expect(plain.state.steps["0.bias"] == 1)
    plain.resetState()
    #expect(plain.state.isEmpty)
  }

  @Test("parameters without a gradient keep their values and state")
  func selectedParametersOnly() throws {
    let golden = try Self.loadGolden()
    var network = golden.network
    var random = RandomGenerator(seed: 0)
    let tape = network.record(golden.inputs, mode: .training, random: &random)
    let (_, cotangent) = CrossEntropy()(logits: tape.output, labels: golden.labels)
    let gradients = network.gradients(
      of: tape, cotangent: cotangent, input: false, parameters: .paths(["2.weight"]))
    var optimizer = SGD(learningRate: 0.1, momentum: 0.9)
    let before = network.parameters
    optimizer.update(&network, along: gradients)
    #expect(network.parameters["0.weight"] == before["0.weight"])
    #expect(network.parameters["2.bias"] == before["2.bias"])
    #expect(network.parameters["2.weight"] != before["2.weight"])
    #expect(Set(optimizer.state.steps.keys) == ["2.weight"])
  }

  @Test("restoring refuses another optimizer, other hyper-parameters and missing state")
  func restoreErrors() throws {
    let golden = try Self.loadGolden()
    var network = golden.network
    var adam: any Optimizer = Adam(learningRate: 1e-2)
    _ = Self.run(
      &network, &adam, inputs: golden.inputs, labels: golden.labels, labelSmoothing: 0,
      steps: 1)
    let saved = Checkpoint(tensors: adam.checkpointTensors(), metadata: adam.checkpointMetadata())

    var sgd = SGD(learningRate: 0.1, momentum: 0.9)
    #expect(
      throws: TrainingError.settingMismatch(
        path: nil, key: "optimizer.kind", checkpoint: "adam", current: "sgd")
    ) {
      try sgd.restoreState(from: saved, for: network)
    }
    var otherBeta = Adam(learningRate: 1e-2, beta1: 0.8)
    #expect(
      throws: TrainingError.settingMismatch(
        path: nil, key: "optimizer.beta1", checkpoint: "0.9", current: "0.8")
    ) {
      try otherBeta.restoreState(from: saved, for: network)
    }
    // A different learning rate is fine: the schedule sets it.
    var otherRate = Adam(learningRate: 0.5)
    try otherRate.restoreState(from: saved, for: network)
    #expect(otherRate.state == adam.state)

    var missing = saved
    missing["optimizer.0.weight.exp_avg"] = nil
    var fresh = Adam(learningRate: 1e-2)
    #expect(
      throws: CheckpointError.mismatch(
        path: nil, problems: [.missing(name: "optimizer.0.weight.exp_avg", expectedShape: [5, 6])])
    ) {
      try fresh.restoreState(from: missing, for: network)
    }
    #expect(fresh.state.isEmpty)

    var badStep = saved
    badStep.metadata["optimizer.2.bias.step"] = "zero"
    let error = #expect(throws: TrainingError.self) {
      try fresh.restoreState(from: badStep, for: network)
    }
    let message = error.map(String.init(describing:)) ?? ""
    #expect(message.contains("optimizer.2.bias.step") && !message.contains("\n"))

    var extra = saved
    extra["optimizer.9.weight.exp_avg"] = Tensor(zeros: [2])
    #expect(throws: CheckpointError.self) {
      try fresh.restoreState(from: extra, for: network)
    }
  }

  @Test func negativeLearningRateTraps() async {
    await #expect(processExitsWith: .failure) { _ = SGD(learningRate: -0.1) }
  }

  @Test func nesterovWithoutMomentumTraps() async {
    await #expect(processExitsWith: .failure) { _ = SGD(learningRate: 0.1, nesterov: true) }
  }

  @Test func nesterovWithDampeningTraps() async {
    await #expect(processExitsWith: .failure) {
      _ = SGD(learningRate: 0.1, momentum: 0.9, dampening: 0.1, nesterov: true)
    }
  }

  @Test func negativeWeightDecayTraps() async {
    await #expect(processExitsWith: .failure) { _ = AdamW(weightDecay: -1) }
  }

  @Test func betaOfOneTraps() async {
    await #expect(processExitsWith: .failure) { _ = Adam(beta1: 1) }
  }

  @Test func negativeEpsilonTraps() async {
    await #expect(processExitsWith: .failure) { _ = Adam(epsilon: -1e-8) }
  }

  @Test func negativeLearningRateAtUpdateTraps() async {
    await #expect(processExitsWith: .failure) {
      var network = try makeFixtureModel()
      var optimizer = SGD(learningRate: 0.1)
      optimizer.learningRate = -1
      optimizer.update(&network, along: Gradients(input: nil, parameters: [:]))
    }
  }

  @Test func gradientShapeMismatchTraps() async {
    await #expect(processExitsWith: .failure) {
      var network = try makeFixtureModel()
      var optimizer = SGD(learningRate: 0.1)
      optimizer.update(
        &network, along: Gradients(input: nil, parameters: ["0.bias": Tensor(zeros: [3])]))
    }
  }

  @Test func zeroStepSizeTraps() async {
    await #expect(processExitsWith: .failure) {
      _ = LearningRateSchedule.step(0.1, stepSize: 0)
    }
  }

  @Test func zeroCosineEpochsTraps() async {
    await #expect(processExitsWith: .failure) {
      _ = LearningRateSchedule.cosine(0.1, epochs: 0)
    }
  }
}
