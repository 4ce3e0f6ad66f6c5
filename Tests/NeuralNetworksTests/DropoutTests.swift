import Tensors
import TestSupport
import Testing

@testable import NeuralNetworks

/// Dropout: the mask drawn from the forward context's generator, inference identity,
/// finite-difference gradients in both modes, and batched cotangents.
@Suite struct DropoutTests {
  @Test(
    "dropout backward matches central differences (same seed on both sides)",
    arguments: [NetworkMode.training, .inference], [0.5, 0.2])
  func gradient(mode: NetworkMode, probability: Double) {
    let network = makeNetwork(inputShape: [3, 4, 4]) {
      $0.add(Dropout(probability: probability), $0.input)
    }
    var check = GradientCheck(network: network)
    check.mode = mode
    check.verify()
  }

  @Test(
    "dropout between linear layers passes parameter gradients",
    arguments: [NetworkMode.training, .inference])
  func chain(mode: NetworkMode) {
    let network = makeNetwork(inputShape: [6]) {
      let x = $0.add(Linear(inputSize: 6, outputSize: 8), name: "fc1", $0.input)
      let y = $0.add(Dropout(probability: 0.5), x)
      $0.add(Linear(inputSize: 8, outputSize: 3), name: "fc2", y)
    }
    var check = GradientCheck(network: network, batch: 3)
    check.mode = mode
    check.verify()
  }

  @Test(
    "K = 3 batched cotangents equal three separate backward passes",
    arguments: [NetworkMode.training, .inference])
  func batchedCotangents(mode: NetworkMode) {
    let network = makeNetwork(inputShape: [2, 3, 3]) {
      $0.add(Dropout(probability: 0.4), $0.input)
    }
    for type in ElementType.allCases {
      expectBatchedCotangentsMatch(network, elementType: type, mode: mode, batch: 3)
    }
  }

  @Test(
    "training keeps element i when nextUniform() >= p, in row-major order, scaled by 1/(1-p)",
    arguments: [ElementType.float64, .float32], [0.5, 0.3])
  func mask(elementType: ElementType, probability: Double) {
    let shape = [2, 3, 5]
    let input = Tensor(
      shape: shape, float64Scalars: (0..<30).map { Double($0) - 7.5 }
    ).converted(to: elementType)
    let (output, cache, random) = forward(
      Dropout(probability: probability), input, mode: .training, recording: true, seed: 42)
    var reference = RandomGenerator(seed: 42)
    let scale = 1 / (1 - probability)
    let expectedMask = (0..<30).map { _ in reference.nextUniform() >= probability ? scale : 0 }
    let mask = cache.tensors.first
    #expect(mask?.shape == shape && mask?.elementType == elementType)
    let roundedMask = Tensor(shape: shape, float64Scalars: expectedMask).converted(to: elementType)
    #expect(mask?.doubles == roundedMask.doubles)
    // A product of two Float32 values rounds to Float32 as the layer's multiplication does.
    let products = zip(input.doubles, roundedMask.doubles).map(*)
    #expect(
      output.doubles
        == Tensor(shape: shape, float64Scalars: products).converted(to: elementType).doubles)
    // Exactly one draw per element.
    var advanced = random
    #expect(advanced.next() == reference.next())
    #expect(expectedMask.contains(0) && expectedMask.contains(scale))
  }

  @Test("the kept fraction is close to 1 - p")
  func keptFraction() {
    let count = 20_000
    let input = Tensor(repeating: 1, shape: [4, count / 4], elementType: .float64)
    let output = forward(
      Dropout(probability: 0.3), input, mode: .training, recording: false, seed: 9
    ).output
    let kept = Double(output.doubles.filter { $0 != 0 }.count) / Double(count)
    // Binomial standard deviation √(p(1 − p)/n) ≈ 0.0032; allow 5σ.
    #expect(abs(kept - 0.7) < 0.017, "kept fraction \(kept)")
    // The mean is preserved in expectation: 1/(1 − p) · kept ≈ 1.
    #expect(abs(output.doubles.reduce(0, +) / Double(count) - 1) < 0.025)
  }

  @Test("inference mode is the identity and draws nothing")
  func inference() {
    let input = Tensor(shape: [2, 4], float64Scalars: [1, -2, 3, .nan, 5, 6, -7, 8])
    let (output, cache, random) = forward(
      Dropout(probability: 0.5), input, mode: .inference, recording: true, seed: 3)
    #expect(output.shape == input.shape)
    #expect(zip(output.doubles, input.doubles).allSatisfy { $0 == $1 || ($0.isNaN && $1.isNaN) })
    #expect(cache.tensors.isEmpty)
    var advanced = random
    var fresh = RandomGenerator(seed: 3)
    #expect(advanced.next() == fresh.next())
  }

  @Test("p = 1 zeros everything (no division by zero), p = 0 is the identity in training")
  func extremes() {
    let input = Tensor(shape: [2, 3], float64Scalars: [1, -2, 3, 4, -5, 6])
    let dropped = forward(Dropout(probability: 1), input, mode: .training, recording: true, seed: 1)
    #expect(dropped.output.doubles == [0, 0, 0, 0, 0, 0])
    #expect(dropped.cache.tensors.first?.doubles == [0, 0, 0, 0, 0, 0])
    let kept = forward(Dropout(probability: 0), input, mode: .training, recording: true, seed: 1)
    #expect(kept.output.doubles == input.doubles)
    // Both still draw one deviate per element.
    var reference = RandomGenerator(seed: 1)
    for _ in 0..<6 { _ = reference.nextUniform() }
    var advanced = dropped.random
    #expect(advanced.next() == reference.next())
  }

  @Test("training backward multiplies by the mask; inference backward passes through")
  func backward() {
    let network = makeNetwork(inputShape: [5]) { $0.add(Dropout(probability: 0.5), $0.input) }
      .converted(to: .float64)
    let input = Tensor(shape: [2, 5], float64Scalars: (0..<10).map { Double($0) + 1 })
    let cotangent = Tensor(shape: [2, 5], float64Scalars: (0..<10).map { 0.5 - Double($0) })
    var random = RandomGenerator(seed: 17)
    let tape = network.record(input, mode: .training, random: &random)
    let gradient = network.gradients(of: tape, cotangent: cotangent).input?.doubles ?? []
    // y = x · m, so the mask is y / x.
    let mask = zip(tape.output.doubles, input.doubles).map { $0 / $1 }
    #expect(Set(mask).isSubset(of: [0, 2]))
    #expect(gradient == zip(cotangent.doubles, mask).map(*))
    let inferenceTape = network.record(input)
    #expect(network.gradients(of: inferenceTape, cotangent: cotangent).input == cotangent)
  }

  @Test("kind and shape")
  func kindAndShape() throws {
    let layer = Dropout()
    #expect(layer.kind == "dropout")
    #expect(layer.probability == 0.5)
    #expect(try layer.outputShape(for: [[3, 7, 2]]) == [3, 7, 2])
  }

  /// Runs the layer directly, returning its output, cache and the advanced generator.
  func forward(
    _ layer: Dropout, _ input: Tensor, mode: NetworkMode, recording: Bool, seed: UInt64
  ) -> (output: Tensor, cache: LayerCache, random: RandomGenerator) {
    var buffers: [Tensor] = []
    var context = ForwardContext(
      mode: mode, isRecording: recording, random: RandomGenerator(seed: seed))
    let (output, cache) = layer.forward(
      inputs: [input], parameters: [], buffers: &buffers, context: &context)
    return (output, cache, context.random)
  }
}
