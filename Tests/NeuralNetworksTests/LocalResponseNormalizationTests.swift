import Foundation
import Tensors
import TestSupport
import Testing

@testable import NeuralNetworks

/// Local response normalisation: finite-difference gradients, the channel window by hand and
/// PyTorch golden values (`Tools/fixtures/pooling.py`).
@Suite struct LocalResponseNormalizationTests {
  struct LayerCase: CustomTestStringConvertible, Sendable {
    let name: String
    let inputShape: [Int]
    let layer: LocalResponseNormalization
    var testDescription: String { name }
  }

  // α is large so that the cross-channel term of the gradient is not negligible.
  static let cases: [LayerCase] = [
    LayerCase(
      name: "size 5 on 7 channels", inputShape: [7, 3, 2],
      layer: LocalResponseNormalization(size: 5, alpha: 1, beta: 0.75, k: 1)),
    LayerCase(
      name: "even size 2 (asymmetric window)", inputShape: [4, 2, 3],
      layer: LocalResponseNormalization(size: 2, alpha: 0.8, beta: 0.5, k: 2)),
    LayerCase(
      name: "size 1", inputShape: [3, 2, 2],
      layer: LocalResponseNormalization(size: 1, alpha: 0.5, beta: 0.75, k: 1)),
    LayerCase(
      name: "size 8 wider than 3 channels", inputShape: [3, 2, 2],
      layer: LocalResponseNormalization(size: 8, alpha: 2, beta: 1.2, k: 1.5)),
    LayerCase(
      name: "1-D positions [C, L]", inputShape: [5, 4],
      layer: LocalResponseNormalization(size: 3, alpha: 1, beta: 0.75, k: 1)),
    LayerCase(
      name: "3-D positions [C, D, H, W]", inputShape: [4, 2, 2, 2],
      layer: LocalResponseNormalization(size: 4, alpha: 1, beta: 0.75, k: 1)),
    LayerCase(
      name: "alexnet parameters", inputShape: [6, 3, 3],
      layer: LocalResponseNormalization(size: 5, alpha: 1e-4, beta: 0.75, k: 2)),
  ]

  @Test("lrn backward matches central differences", arguments: cases)
  func gradient(_ testCase: LayerCase) {
    let network = makeNetwork(inputShape: testCase.inputShape) {
      $0.add(testCase.layer, $0.input)
    }
    GradientCheck(network: network).verify()
  }

  @Test("lrn after a convolution passes parameter gradients")
  func chain() {
    let network = makeNetwork(inputShape: [2, 4, 4]) {
      let x = $0.add(
        Convolution2D(inputChannels: 2, outputChannels: 5, kernelSize: 3, padding: 1),
        name: "conv", $0.input)
      $0.add(LocalResponseNormalization(size: 3, alpha: 1, beta: 0.75, k: 1), x)
    }
    GradientCheck(network: network).verify()
  }

  @Test("K = 3 batched cotangents equal three separate backward passes", arguments: [0, 1, 3])
  func batchedCotangents(index: Int) {
    let testCase = Self.cases[index]
    let network = makeNetwork(inputShape: testCase.inputShape) {
      $0.add(testCase.layer, $0.input)
    }
    for type in ElementType.allCases {
      expectBatchedCotangentsMatch(network, elementType: type, batch: 3)
    }
  }

  @Test("the channel window reaches floor(n/2) down and floor((n-1)/2) up, divisor n")
  func window() {
    // One position, three channels x = (1, 2, 3).
    let input = Tensor(shape: [1, 3, 1, 1], float64Scalars: [1, 2, 3])
    let x: [Double] = [1, 2, 3]
    // n = 2: window {c − 1, c}; s = 1 + 0.6/2 · Σ x².
    let even = run(LocalResponseNormalization(size: 2, alpha: 0.6, beta: 0.75, k: 1), input)
    let evenScale: [Double] = [1 + 0.3 * 1, 1 + 0.3 * (1 + 4), 1 + 0.3 * (4 + 9)]
    expectClose(
      even.doubles, (0..<3).map { x[$0] / pow(evenScale[$0], 0.75) },
      tolerance: Tolerance(relative: 1e-14, absolute: 0))
    // n = 3: window {c − 1, c, c + 1}, zero outside; the divisor stays 3 at the borders.
    let odd = run(LocalResponseNormalization(size: 3, alpha: 0.6, beta: 0.5, k: 2), input)
    let oddScale: [Double] = [2 + 0.2 * (1 + 4), 2 + 0.2 * (1 + 4 + 9), 2 + 0.2 * (4 + 9)]
    expectClose(
      odd.doubles, (0..<3).map { x[$0] / pow(oddScale[$0], 0.5) },
      tolerance: Tolerance(relative: 1e-14, absolute: 0))
  }

  @Test("the cache holds the scale s only when recording")
  func cache() {
    let layer = LocalResponseNormalization(size: 3, alpha: 0.6, beta: 0.5, k: 2)
    let input = Tensor(shape: [1, 3, 1, 1], float64Scalars: [1, 2, 3])
    var buffers: [Tensor] = []
    var context = ForwardContext(
      mode: .inference, isRecording: true, random: RandomGenerator(seed: 0))
    let recorded = layer.forward(
      inputs: [input], parameters: [], buffers: &buffers, context: &context)
    expectClose(
      recorded.cache.tensors.first?.doubles ?? [], [3, 4.8, 4.6],
      tolerance: Tolerance(relative: 1e-14, absolute: 0))
    context = ForwardContext(mode: .inference, isRecording: false, random: RandomGenerator(seed: 0))
    let plain = layer.forward(inputs: [input], parameters: [], buffers: &buffers, context: &context)
    #expect(plain.cache.tensors.isEmpty)
    #expect(plain.output == recorded.output)
  }

  @Test("backward without a recorded cache recomputes the scale")
  func backwardWithoutCache() {
    let layer = LocalResponseNormalization(size: 4, alpha: 1, beta: 0.75, k: 1)
    var random = RandomGenerator(seed: 4)
    let input = Tensor(
      shape: [2, 5, 2, 3], float64Scalars: (0..<60).map { _ in random.nextNormal() })
    var buffers: [Tensor] = []
    var context = ForwardContext(
      mode: .inference, isRecording: true, random: RandomGenerator(seed: 0))
    let (output, cache) = layer.forward(
      inputs: [input], parameters: [], buffers: &buffers, context: &context)
    let cotangent = Tensor(
      shape: [4, 5, 2, 3], float64Scalars: (0..<120).map { _ in random.nextNormal() })
    func request(_ cache: LayerCache) -> BackwardRequest {
      BackwardRequest(
        outputGradient: cotangent, inputs: [input], output: output, parameters: [], buffers: [],
        cache: cache, mode: .inference, inputGradientsNeeded: [true],
        parameterGradientsNeeded: false)
    }
    let cached = layer.backward(request(cache)).inputs[0]
    #expect(cached?.shape == [4, 5, 2, 3])
    #expect(cached == layer.backward(request(.empty)).inputs[0])
  }

  @Test("matches PyTorch LocalResponseNorm(5, alpha=1e-3, beta=0.75, k=2) on 7 channels")
  func pytorchFixture() throws {
    try expectMatchesPyTorch(
      LocalResponseNormalization(size: 5, alpha: 1e-3, beta: 0.75, k: 2), fixture: "pooling/lrn_5")
  }

  @Test("shape errors name the expected and found shapes")
  func shapeErrors() {
    let layer = LocalResponseNormalization(size: 5)
    #expect(layer.kind == "lrn")
    #expect((try? layer.outputShape(for: [[7, 3, 3]])) == [7, 3, 3])
    do throws(NetworkShapeError) {
      _ = try layer.outputShape(for: [[7]])
      Issue.record("lrn accepted a rank-1 input")
    } catch {
      #expect(error.description.contains("[C, …]") && error.description.contains("[7]"))
    }
  }

  func run(_ layer: LocalResponseNormalization, _ input: Tensor) -> Tensor {
    makeNetwork(inputShape: Array(input.shape.dropFirst())) { $0.add(layer, $0.input) }
      .converted(to: .float64)(input)
  }
}
