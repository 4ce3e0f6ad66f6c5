import Foundation
import TestSupport
import Testing

@testable import NeuralNetworks
@testable import Tensors

/// Golden tests of every architecture family against PyTorch (`Tools/fixtures/engine.py`).
///
/// Parameters come from the closed-form fill documented in the script, so no weights are
/// stored; logits, input gradients and parameter gradients of `⟨c, logits⟩` are compared.
@Suite struct ArchitectureGoldenTests {
  struct Case: Decodable {
    let inputSize: Int
    let batch: Int
    let classes: Int
    let parameters: [String]
    let stateDict: [String]

    enum CodingKeys: String, CodingKey {
      case inputSize = "input_size"
      case batch, classes, parameters
      case stateDict = "state_dict"
    }
  }

  /// Float32 logits within 1e-4 relative of the float64 reference (issue 3's golden bound).
  ///
  /// Float32 rounding is relative to the magnitude of the terms summed, not of the result, so
  /// the absolute part is 1e-5 of the largest logit of the case: resnet50 with the formula
  /// weights has logits up to 159, and its logit of 0.4987 is off by 1.4e-4 (0.9e-6 of the
  /// largest) after 53 Float32 convolutions.
  static func logitTolerance(_ arch: String) throws -> Tolerance {
    let largest = try reference(arch, "logits").values.map(abs).max() ?? 0
    return Tolerance(relative: 1e-4, absolute: 1e-5 * largest)
  }
  /// Float32 gradients within 1e-3 relative (issue 3's golden bound).
  ///
  /// The absolute part, for entries that cancel to ~0 in sums of thousands of Float32 terms, is 1e-5 of the tensor's
  /// largest entry, as for logits: resnet50's conv1 weight gradient reaches 59, and its entry
  /// of 0.0105 is a sum of terms ~10⁴ times larger. A fixed floor would be that loose for
  /// every tensor, which for alexnet and inception_v3 (gradients below 1e-4) is no test at all.
  static func gradientTolerance(_ arch: String, _ name: String) throws -> Tolerance {
    let largest = try reference(arch, name).values.map(abs).max() ?? 0
    return Tolerance(relative: 1e-3, absolute: 1e-5 * largest)
  }
  /// Float64 runs against PyTorch float64: only summation order differs.
  static let exactTolerance = Tolerance(relative: 1e-9, absolute: 1e-12)

  static func loadCase(_ arch: String) throws -> Case {
    let cases = try Fixture.json([String: Case].self, "engine/cases.json", bundle: .module)
    return try #require(cases[arch])
  }

  /// A float64 fixture array.
  static func reference(_ arch: String, _ name: String) throws -> (shape: [Int], values: [Double]) {
    let array = try Fixture.npy("engine/\(arch)/\(name).npy", bundle: .module)
    guard case .float64(let values) = array.data else {
      throw FixtureError.unreadable(path: name, reason: "expected float64")
    }
    return (array.shape, values)
  }

  /// The closed-form parameters of `Tools/fixtures/engine.py`, in state_dict order.
  static func fill(_ network: inout Network, order: [String]) throws {
    for (t, path) in order.enumerated() {
      let current = try #require(network.parameters[path] ?? network.buffers[path], "\(path)")
      let n = current.count
      let fanScale =
        current.rank >= 2 ? (4 / (Double(n) / Double(current.shape[0]))).squareRoot() : 0
      let values = (0..<n).map { i -> Float in
        let s = sin(1 + 0.37 * Double(t) + 1.3 * Double(i))
        if path.hasSuffix("running_var") { return Float(1 + 0.5 * s * s) }
        if path.hasSuffix("running_mean") { return Float(0.1 * s) }
        if path.hasSuffix("num_batches_tracked") { return 0 }
        if current.rank >= 2 { return Float(fanScale * s) }
        if path.hasSuffix("weight") { return Float(1 + 0.2 * s) }
        return Float(0.1 * s)
      }
      try network.setTensor(path, to: Tensor(shape: current.shape, scalars: values))
    }
  }

  static func formula(
    _ shape: [Int], type: ElementType, offset: Double, step: Double, scale: Double = 1,
    base: Double = 0
  ) -> Tensor {
    let values = (0..<shape.reduce(1, *)).map {
      Float(base + scale * sin(offset + step * Double($0)))
    }
    return Tensor(shape: shape, scalars: values).converted(to: type)
  }

  static func expectMatches(
    _ actual: Tensor, _ arch: String, _ name: String, tolerance: Tolerance,
    sourceLocation: SourceLocation = #_sourceLocation
  ) throws {
    let (shape, expected) = try reference(arch, name)
    let values = actual.doubles
    let picked: [Double]
    let wanted: [Double]
    if shape.count == 2 && shape[0] == 2 && name != "logits" && name != "train.logits" {
      // A subset: row 0 flat indices, row 1 values.
      let count = shape[1]
      picked = (0..<count).map { values[Int(expected[$0])] }
      wanted = Array(expected[count...])
    } else {
      picked = values
      wanted = expected
    }
    if let failure = closenessFailure(picked, wanted, tolerance: tolerance) {
      Issue.record(
        "\(arch) \(name) (\(actual.elementType)): \(failure)", sourceLocation: sourceLocation)
    }
  }

  static let architectures: [Architecture] = [
    .alexnet, .vgg11BatchNorm, .resnet18, .resnet50, .inceptionV3, .alexnetMini, .vggMini,
    .resnetMini, .inceptionMini,
  ]

  @Test(
    "logits, input and parameter gradients match PyTorch (Float64 exactly, Float32 within tolerance)",
    arguments: architectures)
  func matchesPyTorch(_ architecture: Architecture) throws {
    let arch = architecture.rawValue
    let info = try Self.loadCase(arch)
    var network = try architecture.makeNetwork(
      classes: info.classes, inputSize: info.inputSize, seed: nil)
    #expect(Set(network.parameterPaths + network.bufferPaths) == Set(info.stateDict))
    try Self.fill(&network, order: info.stateDict)
    for type in [ElementType.float64, .float32] {
      let typed = network.converted(to: type)
      let input = Self.formula(
        [info.batch, 3, info.inputSize, info.inputSize], type: type, offset: 3, step: 1.7,
        scale: 0.4, base: 0.5)
      let tape = typed.record(input)
      let exact = type == .float64
      try Self.expectMatches(
        tape.output, arch, "logits",
        tolerance: exact ? Self.exactTolerance : try Self.logitTolerance(arch))
      let cotangent = Self.formula(tape.output.shape, type: type, offset: 5, step: 0.9)
      let gradients = typed.gradients(
        of: tape, cotangent: cotangent, parameters: .paths(Set(info.parameters)))
      func tolerance(_ name: String) throws -> Tolerance {
        exact ? Self.exactTolerance : try Self.gradientTolerance(arch, name)
      }
      try Self.expectMatches(
        try #require(gradients.input), arch, "input.gradient",
        tolerance: try tolerance("input.gradient"))
      for path in info.parameters {
        try Self.expectMatches(
          try #require(gradients.parameters[path], "\(path)"), arch, path + ".gradient",
          tolerance: try tolerance(path + ".gradient"))
      }
      // The folded inference network (batch norm in the convolutions, fused ReLUs) computes
      // the same logits and input gradient.
      let folded = typed.foldedForInference()
      let foldedTape = folded.record(input)
      try Self.expectMatches(
        foldedTape.output, arch, "logits",
        tolerance: exact ? Self.exactTolerance : try Self.logitTolerance(arch))
      let foldedGradient = folded.gradients(of: foldedTape, cotangent: cotangent, parameters: .none)
      try Self.expectMatches(
        try #require(foldedGradient.input), arch, "input.gradient",
        tolerance: try tolerance("input.gradient"))
    }
  }

  @Test(
    "parameter paths equal torchvision state_dict keys and shapes",
    arguments: [
      Architecture.alexnet, .vgg11BatchNorm, .vgg16, .resnet18, .resnet50, .inceptionV3,
    ])
  func torchvisionKeys(_ architecture: Architecture) throws {
    let keys = try Fixture.json(
      [String: [[JSONKeyEntry]]].self, "engine/state_dict.json", bundle: .module)
    let expected = try #require(keys[architecture.rawValue]).map { entry in
      (entry[0].name ?? "", entry[1].shape ?? [])
    }
    let actual = try architecture.tensorShapes().map { ($0.path, $0.shape) }
    // Same names in the same (state_dict) order.
    #expect(actual.map(\.0) == expected.map(\.0))
    let shapes = Dictionary(uniqueKeysWithValues: actual)
    for (name, shape) in expected where shapes[name] != shape {
      Issue.record("\(name): expected \(shape), found \(shapes[name] ?? [])")
    }
  }

  @Test("resnet-mini in training mode: batch statistics and three SGD steps match PyTorch")
  func trainingSteps() throws {
    let info = try Self.loadCase("resnet-mini")
    var network = try Architecture.resnetMini.makeNetwork(classes: info.classes, seed: nil)
    try Self.fill(&network, order: info.stateDict)
    // Float64 only: three SGD steps with learning rate 0.1 amplify Float32 rounding beyond any
    // fixed tolerance, while Float64 isolates the semantics (batch statistics, running-average
    // updates, gradients).
    network = network.converted(to: .float64)
    let input = Self.formula(
      [4, 3, 64, 64], type: .float64, offset: 3, step: 1.7, scale: 0.4, base: 0.5)
    let labels = [3, 1, 4, 1]
    var momentum: [String: Tensor] = [:]
    var losses: [Double] = []
    for step in 0..<3 {
      var random = RandomGenerator(seed: 0)
      let tape = network.record(input, mode: .training, random: &random)
      if step == 0 {
        try Self.expectMatches(
          tape.output, "resnet-mini", "train.logits", tolerance: Self.exactTolerance)
      }
      let (loss, gradient) = CrossEntropy()(logits: tape.output, labels: labels)
      losses.append(loss)
      let gradients = network.gradients(of: tape, cotangent: gradient, input: false)
      network.update(buffersFrom: tape)
      // torch.optim.SGD(lr=0.1, momentum=0.9): buf = g at step 1, then 0.9 buf + g; θ -= 0.1 buf.
      for path in network.parameterPaths {
        let g = try #require(gradients.parameters[path]).float64Scalars
        var buffer = momentum[path]?.float64Scalars ?? g
        if momentum[path] != nil { for i in buffer.indices { buffer[i] = 0.9 * buffer[i] + g[i] } }
        let shape = try #require(network.parameters[path]).shape
        momentum[path] = Tensor(shape: shape, float64Scalars: buffer)
        var theta = try #require(network.parameters[path])
        for i in theta.float64Scalars.indices { theta.float64Scalars[i] -= 0.1 * buffer[i] }
        try network.setTensor(path, to: theta)
      }
    }
    let expectedLosses = try Self.reference("resnet-mini", "train.losses").values
    if let failure = closenessFailure(losses, expectedLosses, tolerance: Self.exactTolerance) {
      Issue.record("losses: \(failure)")
    }
    for name in [
      "conv1.weight", "layer2.0.conv1.weight", "fc.weight", "fc.bias", "bn1.running_mean",
      "layer4.1.bn2.running_var",
    ] {
      let value = try #require(network.parameters[name] ?? network.buffers[name])
      try Self.expectMatches(value, "resnet-mini", "train." + name, tolerance: Self.exactTolerance)
    }
  }
}

/// One element of a `[name, shape]` pair in `state_dict.json`.
struct JSONKeyEntry: Decodable {
  let name: String?
  let shape: [Int]?

  init(from decoder: any Decoder) throws {
    let container = try decoder.singleValueContainer()
    name = try? container.decode(String.self)
    shape = try? container.decode([Int].self)
  }
}
