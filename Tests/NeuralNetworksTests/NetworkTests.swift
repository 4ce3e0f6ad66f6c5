import TestSupport
import Testing

@testable import NeuralNetworks
@testable import Tensors

@Suite struct NetworkTests {
  static func randomInput(_ shape: [Int], seed: UInt64, type: ElementType = .float64) -> Tensor {
    var random = RandomGenerator(seed: seed)
    return Tensor(
      shape: shape, float64Scalars: (0..<shape.reduce(1, *)).map { _ in random.nextUniform() }
    ).converted(to: type)
  }

  @Test("batched one-hot cotangents give the Jacobian of a separate pass per class")
  func batchedCotangents() throws {
    let network = try Architecture.resnetMini.makeNetwork(classes: 4, inputSize: 32, seed: 5)
      .converted(to: .float64)
    let input = Self.randomInput([2, 3, 32, 32], seed: 1)
    let tape = network.record(input)
    let classes = 4
    var rows: [Double] = []
    for k in 0..<classes {
      for _ in 0..<2 { rows += (0..<classes).map { $0 == k ? 1 : 0 } }
    }
    let cotangents = Tensor(shape: [classes, 2, classes], float64Scalars: rows)
    let selection = ParameterSelection.prefix("layer4.1")
    let batched = network.batchedGradients(
      of: tape, cotangents: cotangents, parameters: selection)
    let jacobian = try #require(batched.input)
    #expect(jacobian.shape == [classes, 2, 3, 32, 32])
    for k in 0..<classes {
      let single = Tensor(
        shape: [2, classes],
        float64Scalars: Array(rows[(k * 2 * classes)..<((k + 1) * 2 * classes)]))
      let separate = network.gradients(of: tape, cotangent: single, parameters: selection)
      let perClass = Array(jacobian.float64Scalars[(k * input.count)..<((k + 1) * input.count)])
      expectClose(
        Tensor(shape: input.shape, float64Scalars: perClass), try #require(separate.input),
        tolerance: Tolerance(relative: 1e-12, absolute: 1e-14))
      #expect(Set(separate.parameters.keys) == Set(batched.parameters.keys))
      #expect(separate.parameters.keys.allSatisfy { $0.hasPrefix("layer4.1.") })
      for (path, value) in separate.parameters {
        let all = try #require(batched.parameters[path])
        #expect(all.shape == [classes] + value.shape)
        let part = Array(all.float64Scalars[(k * value.count)..<((k + 1) * value.count)])
        expectClose(
          Tensor(shape: value.shape, float64Scalars: part), value,
          tolerance: Tolerance(relative: 1e-12, absolute: 1e-14))
      }
    }
  }

  @Test("a parameter subset stops the backward pass at the earliest requested layer")
  func subsetGradients() throws {
    let network = try Architecture.vggMini.makeNetwork(classes: 3, seed: 2).converted(to: .float64)
    let tape = network.record(Self.randomInput([1, 3, 64, 64], seed: 3))
    let cotangent = Tensor(shape: [1, 3], float64Scalars: [1, -2, 0.5])
    let all = network.gradients(of: tape, cotangent: cotangent)
    let subset = network.gradients(
      of: tape, cotangent: cotangent, input: false, parameters: .paths(["classifier.3.weight"]))
    #expect(subset.input == nil)
    #expect(Array(subset.parameters.keys) == ["classifier.3.weight"])
    #expect(subset.parameters["classifier.3.weight"] == all.parameters["classifier.3.weight"])
    #expect(Set(all.parameters.keys) == Set(network.parameterPaths))
  }

  @Test(
    "folding merges batch norm and ReLU into the convolutions",
    arguments: Architecture.allCases.filter(\.isMini))
  func folding(_ architecture: Architecture) throws {
    let network = try architecture.makeNetwork(seed: 9)
    let folded = network.foldedForInference()
    let kinds = folded.nodes.map(\.layer.kind)
    #expect(!kinds.contains("batchnorm"))
    #expect(kinds.contains("conv2d+relu"))
    if architecture == .resnetMini {
      // Every residual addition (and its ReLU) moved into the block's last convolution.
      #expect(!kinds.contains("add") && !kinds.contains("add+relu"))
      #expect(kinds.filter { $0 == "conv2d+add+relu" }.count == 8)
    }
    let input = Self.randomInput([2, 3, 64, 64], seed: 4, type: .float32)
    expectClose(folded(input), network(input), tolerance: .reduction)
  }

  @Test("a fused residual convolution's gradients match the unfused pair in Float64")
  func residualFusionGradients() throws {
    // conv(x) + skip(x), then ReLU: the addition folds into the later convolution.
    var builder = NetworkBuilder(inputShape: [3, 6, 6])
    let skip = builder.add(
      Convolution2D(inputChannels: 3, outputChannels: 4, kernelSize: 1), name: "skip",
      builder.input)
    let main = builder.add(
      Convolution2D(inputChannels: 3, outputChannels: 4, kernelSize: 3, padding: 1),
      name: "main", builder.input)
    let sum = builder.add(Add(), name: "add", inputs: [skip, main])
    builder.add(ReLU(), name: "relu", sum)
    let network = try builder.build(seed: 3).converted(to: .float64)
    let folded = network.foldedForInference()
    #expect(folded.nodes.map(\.layer.kind) == ["conv2d", "conv2d+add+relu"])
    let input = Self.randomInput([2, 3, 6, 6], seed: 5, type: .float64)
    expectClose(folded(input), network(input), tolerance: .elementwise)
    let cotangent = Self.randomInput([2, 4, 6, 6], seed: 6, type: .float64)
    let expected = network.gradients(of: network.record(input), cotangent: cotangent)
    let actual = folded.gradients(of: folded.record(input), cotangent: cotangent)
    expectClose(actual.input!, expected.input!, tolerance: .elementwise)
    for path in ["skip.weight", "skip.bias", "main.weight", "main.bias"] {
      expectClose(actual.parameters[path]!, expected.parameters[path]!, tolerance: .elementwise)
    }
  }

  @Test("training mode updates running statistics only through update(buffersFrom:)")
  func trainingBuffers() throws {
    var network = try Architecture.resnetMini.makeNetwork(classes: 2, inputSize: 32, seed: 1)
    let input = Self.randomInput([4, 3, 32, 32], seed: 8, type: .float32)
    var random = RandomGenerator(seed: 0)
    let tape = network.record(input, mode: .training, random: &random)
    #expect(network.buffers["bn1.num_batches_tracked"]?.doubles == [0])
    network.update(buffersFrom: tape)
    #expect(network.buffers["bn1.num_batches_tracked"]?.doubles == [1])
    #expect(network.buffers["bn1.running_mean"] != Tensor(zeros: [16]))
  }

  @Test("shape errors name the layer and both shapes")
  func shapeErrors() {
    #expect(throws: NetworkShapeError.self) {
      try Architecture.alexnet.makeNetwork(inputSize: 32)
    }
    do {
      _ = try Architecture.alexnet.makeNetwork(inputSize: 32)
    } catch {
      #expect(error.description.contains("alexnet cannot take a 32×32 input"))
    }
    var builder = NetworkBuilder(inputShape: [3, 8, 8])
    builder.add(Linear(inputSize: 10, outputSize: 2), name: "fc", builder.input)
    do {
      _ = try builder.build()
      Issue.record("expected a shape error")
    } catch {
      #expect(error.description == "fc (linear): expected input [10], found [3, 8, 8]")
    }
  }

  @Test("checkpoints round-trip and mismatches name the tensor and both shapes")
  func checkpoints() throws {
    let network = try Architecture.resnetMini.makeNetwork(classes: 3, seed: 4)
    let checkpoint = network.checkpoint()
    var other = try Architecture.resnetMini.makeNetwork(classes: 3, seed: nil)
    try other.load(try Checkpoint(data: checkpoint.encoded()))
    #expect(other.parameters == network.parameters)
    #expect(other.buffers == network.buffers)
    var wrong = try Architecture.resnetMini.makeNetwork(classes: 5, seed: nil)
    do {
      try wrong.load(checkpoint)
      Issue.record("expected a mismatch")
    } catch {
      #expect("\(error)".contains("fc.weight: expected [5, 128], found [3, 128]"))
    }
  }
}
