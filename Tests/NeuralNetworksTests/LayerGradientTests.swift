import TestSupport
import Testing

@testable import NeuralNetworks
@testable import Tensors

@Suite struct LayerGradientTests {
  struct ConvolutionCase: CustomTestStringConvertible, Sendable {
    let name: String
    let inputShape: [Int]
    let layer: Convolution2D
    var testDescription: String { name }
  }

  static let convolutions: [ConvolutionCase] = [
    ConvolutionCase(
      name: "3x3 pad 1", inputShape: [3, 6, 5],
      layer: Convolution2D(inputChannels: 3, outputChannels: 4, kernelSize: 3, padding: 1)),
    ConvolutionCase(
      name: "stride 2, dilation 2, no bias", inputShape: [2, 9, 8],
      layer: Convolution2D(
        inputChannels: 2, outputChannels: 3, kernelSize: 3, stride: 2, padding: 2, dilation: 2,
        bias: false)),
    ConvolutionCase(
      name: "groups 2, rectangular", inputShape: [4, 7, 6],
      layer: Convolution2D(
        inputChannels: 4, outputChannels: 6, kernelSize: (1, 3), stride: (2, 1),
        padding: (0, 1), groups: 2)),
    ConvolutionCase(
      name: "1x1 pointwise", inputShape: [5, 3, 4],
      layer: Convolution2D(inputChannels: 5, outputChannels: 2, kernelSize: 1)),
    ConvolutionCase(
      name: "11x11 stride 4 (alexnet stem)", inputShape: [3, 19, 19],
      layer: Convolution2D(
        inputChannels: 3, outputChannels: 2, kernelSize: 11, stride: 4, padding: 2)),
  ]

  @Test("conv2d backward matches central differences", arguments: convolutions)
  func convolution(_ testCase: ConvolutionCase) {
    let network = makeNetwork(inputShape: testCase.inputShape) {
      $0.add(testCase.layer, name: "conv", $0.input)
    }
    GradientCheck(network: network).verify()
  }

  @Test("linear backward matches central differences")
  func linear() {
    let network = makeNetwork(inputShape: [7]) {
      $0.add(Linear(inputSize: 7, outputSize: 4), name: "fc", $0.input)
    }
    GradientCheck(network: network, batch: 3).verify()
  }

  @Test("relu backward matches central differences")
  func relu() {
    let network = makeNetwork(inputShape: [3, 4, 4]) {
      let x = $0.add(
        Convolution2D(inputChannels: 3, outputChannels: 2, kernelSize: 1), name: "c", $0.input)
      $0.add(ReLU(), x)
    }
    GradientCheck(network: network).verify()
  }

  @Test(
    "batch norm backward matches central differences",
    arguments: [NetworkMode.training, .inference])
  func batchNorm(mode: NetworkMode) throws {
    var network = makeNetwork(inputShape: [3, 4, 3]) {
      $0.add(BatchNormalization(channels: 3), name: "bn", $0.input)
    }
    // Non-trivial affine parameters and running statistics.
    try network.setTensor("bn.weight", to: Tensor(shape: [3], scalars: [0.5, -1.2, 2]))
    try network.setTensor("bn.bias", to: Tensor(shape: [3], scalars: [0.1, 0.3, -0.4]))
    try network.setTensor("bn.running_mean", to: Tensor(shape: [3], scalars: [0.2, -0.1, 0]))
    try network.setTensor("bn.running_var", to: Tensor(shape: [3], scalars: [1.5, 0.7, 2]))
    var check = GradientCheck(network: network, batch: 3)
    check.mode = mode
    check.verify()
  }

  @Test("batch norm on [N, C] features (BatchNorm1d)")
  func batchNormFeatures() {
    let network = makeNetwork(inputShape: [5]) {
      $0.add(BatchNormalization(channels: 5), name: "bn", $0.input)
    }
    var check = GradientCheck(network: network, batch: 4)
    check.mode = .training
    check.verify()
  }

  @Test("softmax and log-softmax backward", arguments: [false, true])
  func softmax(logarithmic: Bool) {
    let network = makeNetwork(inputShape: [6]) {
      let x = $0.add(Linear(inputSize: 6, outputSize: 5), name: "fc", $0.input)
      $0.add(Softmax(logarithmic: logarithmic), x)
    }
    GradientCheck(network: network, batch: 3).verify()
  }

  @Test("residual add, channel concat and flatten backward")
  func structure() {
    let network = makeNetwork(inputShape: [2, 4, 4]) {
      let a = $0.add(
        Convolution2D(inputChannels: 2, outputChannels: 3, kernelSize: 3, padding: 1), name: "a",
        $0.input)
      let b = $0.add(
        Convolution2D(inputChannels: 2, outputChannels: 3, kernelSize: 1), name: "b", $0.input)
      let sum = $0.add(Add(), inputs: [a, b])
      let r = $0.add(ReLU(), sum)
      let cat = $0.add(Concatenate(), inputs: [r, $0.input, a])
      let flat = $0.add(Flatten(), cat)
      $0.add(Linear(inputSize: 8 * 16, outputSize: 3), name: "fc", flat)
    }
    GradientCheck(network: network).verify()
  }
}
