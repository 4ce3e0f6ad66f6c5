import Foundation
import Tensors
import TestSupport
import Testing

@testable import NeuralNetworks

/// Max, average and adaptive average pooling: finite-difference gradients, hand-computed
/// forward values, PyTorch's output sizes and golden values (`Tools/fixtures/pooling.py`).
@Suite struct PoolingTests {
  /// One layer applied to one per-sample input shape.
  struct LayerCase: CustomTestStringConvertible, Sendable {
    let name: String
    let inputShape: [Int]
    let layer: any Layer
    var testDescription: String { name }
  }

  static let maxPoolings: [LayerCase] = [
    LayerCase(
      name: "3x3 stride 2 (alexnet)", inputShape: [2, 7, 7],
      layer: MaxPooling2D(kernelSize: 3, stride: 2)),
    LayerCase(
      name: "3x3 stride 2 ceil mode, 6x6 -> 3x3", inputShape: [2, 6, 6],
      layer: MaxPooling2D(kernelSize: 3, stride: 2, ceilMode: true)),
    LayerCase(
      name: "3x3 stride 2 pad 1 (resnet stem)", inputShape: [2, 8, 7],
      layer: MaxPooling2D(kernelSize: 3, stride: 2, padding: 1)),
    LayerCase(
      name: "2x2 default stride", inputShape: [3, 5, 4], layer: MaxPooling2D(kernelSize: 2)),
    LayerCase(
      name: "2x2 pad 1 dilation 2", inputShape: [2, 5, 5],
      layer: MaxPooling2D(kernelSize: 2, padding: 1, dilation: 2)),
    LayerCase(
      name: "3x3 dilation 2 stride 1", inputShape: [1, 7, 6],
      layer: MaxPooling2D(kernelSize: 3, stride: 1, dilation: 2)),
    LayerCase(
      name: "rectangular (2,3) stride (1,2) pad (1,1) dilation (2,1) ceil", inputShape: [2, 6, 7],
      layer: MaxPooling2D(
        kernelSize: (2, 3), stride: (1, 2), padding: (1, 1), dilation: (2, 1), ceilMode: true)),
    LayerCase(
      name: "2x2 stride 3 pad 1 ceil, last window dropped", inputShape: [2, 4, 4],
      layer: MaxPooling2D(kernelSize: 2, stride: 3, padding: 1, ceilMode: true)),
  ]

  static let averagePoolings: [LayerCase] = [
    LayerCase(
      name: "3x3 stride 1 pad 1 (inception)", inputShape: [2, 5, 5],
      layer: AveragePooling2D(kernelSize: 3, stride: 1, padding: 1)),
    LayerCase(
      name: "3x3 stride 1 pad 1 exclude padding", inputShape: [2, 5, 5],
      layer: AveragePooling2D(kernelSize: 3, stride: 1, padding: 1, countIncludePad: false)),
    LayerCase(
      name: "3x3 stride 2 pad 1 ceil, 6x6 -> 4x4", inputShape: [2, 6, 6],
      layer: AveragePooling2D(kernelSize: 3, stride: 2, padding: 1, ceilMode: true)),
    LayerCase(
      name: "3x3 stride 2 pad 1 ceil exclude padding", inputShape: [2, 6, 6],
      layer: AveragePooling2D(
        kernelSize: 3, stride: 2, padding: 1, ceilMode: true, countIncludePad: false)),
    LayerCase(
      name: "3x3 stride 2 pad 1 floor", inputShape: [2, 6, 6],
      layer: AveragePooling2D(kernelSize: 3, stride: 2, padding: 1)),
    LayerCase(
      name: "2x2 default stride", inputShape: [3, 5, 4], layer: AveragePooling2D(kernelSize: 2)),
    LayerCase(
      name: "2x2 stride 3 pad 1 ceil, last window dropped", inputShape: [2, 4, 4],
      layer: AveragePooling2D(kernelSize: 2, stride: 3, padding: 1, ceilMode: true)),
    LayerCase(
      name: "rectangular (3,2) stride (2,1) pad (1,0) ceil", inputShape: [2, 6, 5],
      layer: AveragePooling2D(
        kernelSize: (3, 2), stride: (2, 1), padding: (1, 0), ceilMode: true,
        countIncludePad: false)),
  ]

  static let adaptivePoolings: [LayerCase] = [
    LayerCase(
      name: "5x5 -> 3x3 (overlapping windows)", inputShape: [2, 5, 5],
      layer: AdaptiveAveragePooling2D(outputSize: 3)),
    LayerCase(
      name: "7x7 -> 2x2", inputShape: [2, 7, 7], layer: AdaptiveAveragePooling2D(outputSize: 2)),
    LayerCase(
      name: "2x2 -> 3x3 (upsampling)", inputShape: [2, 2, 2],
      layer: AdaptiveAveragePooling2D(outputSize: 3)),
    LayerCase(
      name: "7x5 -> 3x2", inputShape: [2, 7, 5],
      layer: AdaptiveAveragePooling2D(outputSize: (3, 2))),
    LayerCase(
      name: "4x6 -> 1x1 (global)", inputShape: [3, 4, 6],
      layer: AdaptiveAveragePooling2D(outputSize: 1)),
  ]

  // MARK: Gradients

  @Test("max pooling backward matches central differences", arguments: maxPoolings)
  func maxPoolingGradient(_ testCase: LayerCase) {
    // Standard-normal inputs have no two window values within the step 1e-6.
    GradientCheck(network: singleLayer(testCase)).verify()
  }

  @Test("average pooling backward matches central differences", arguments: averagePoolings)
  func averagePoolingGradient(_ testCase: LayerCase) {
    GradientCheck(network: singleLayer(testCase)).verify()
  }

  @Test(
    "adaptive average pooling backward matches central differences", arguments: adaptivePoolings)
  func adaptivePoolingGradient(_ testCase: LayerCase) {
    GradientCheck(network: singleLayer(testCase)).verify()
  }

  @Test("pooling after a convolution passes parameter gradients")
  func poolingChain() {
    let network = makeNetwork(inputShape: [2, 7, 7]) {
      let x = $0.add(
        Convolution2D(inputChannels: 2, outputChannels: 3, kernelSize: 3, padding: 1),
        name: "conv", $0.input)
      let y = $0.add(MaxPooling2D(kernelSize: 3, stride: 2, padding: 1, ceilMode: true), x)
      let z = $0.add(AveragePooling2D(kernelSize: 2, stride: 1, countIncludePad: false), y)
      $0.add(AdaptiveAveragePooling2D(outputSize: (2, 1)), z)
    }
    GradientCheck(network: network).verify()
  }

  @Test(
    "K = 3 batched cotangents equal three separate backward passes",
    arguments: [maxPoolings[2], maxPoolings[6], averagePoolings[3], adaptivePoolings[0]])
  func batchedCotangents(_ testCase: LayerCase) {
    for type in ElementType.allCases {
      expectBatchedCotangentsMatch(singleLayer(testCase), elementType: type)
    }
  }

  // MARK: Output sizes

  struct SizeCase: CustomTestStringConvertible, Sendable {
    let name: String
    let layer: any Layer
    let inputShape: [Int]
    /// The output shape of the PyTorch module (checked with torch 2.13).
    let expected: [Int]
    var testDescription: String { "\(name) on \(inputShape)" }
  }

  static let sizes: [SizeCase] = [
    SizeCase(
      name: "MaxPool2d(3, 2, ceil_mode=True)",
      layer: MaxPooling2D(kernelSize: 3, stride: 2, ceilMode: true), inputShape: [1, 6, 6],
      expected: [1, 3, 3]),
    SizeCase(
      name: "MaxPool2d(3, 2)", layer: MaxPooling2D(kernelSize: 3, stride: 2),
      inputShape: [1, 6, 6], expected: [1, 2, 2]),
    SizeCase(
      name: "MaxPool2d(3, 2, ceil_mode=True)",
      layer: MaxPooling2D(kernelSize: 3, stride: 2, ceilMode: true), inputShape: [1, 7, 7],
      expected: [1, 3, 3]),
    SizeCase(
      name: "MaxPool2d(3, 2, ceil_mode=True)",
      layer: MaxPooling2D(kernelSize: 3, stride: 2, ceilMode: true), inputShape: [4, 5, 5],
      expected: [4, 2, 2]),
    SizeCase(
      name: "AvgPool2d(3, 2, padding=1, ceil_mode=True)",
      layer: AveragePooling2D(kernelSize: 3, stride: 2, padding: 1, ceilMode: true),
      inputShape: [1, 6, 6], expected: [1, 4, 4]),
    SizeCase(
      name: "AvgPool2d(3, 2, padding=1)",
      layer: AveragePooling2D(kernelSize: 3, stride: 2, padding: 1), inputShape: [1, 6, 6],
      expected: [1, 3, 3]),
    SizeCase(
      name: "AvgPool2d(3, 2, padding=1, ceil_mode=True)",
      layer: AveragePooling2D(kernelSize: 3, stride: 2, padding: 1, ceilMode: true),
      inputShape: [1, 5, 5], expected: [1, 3, 3]),
    SizeCase(
      name: "MaxPool2d(2, ceil_mode=True)", layer: MaxPooling2D(kernelSize: 2, ceilMode: true),
      inputShape: [1, 5, 4], expected: [1, 3, 2]),
    SizeCase(
      name: "MaxPool2d(2, 3, padding=1, ceil_mode=True)",
      layer: MaxPooling2D(kernelSize: 2, stride: 3, padding: 1, ceilMode: true),
      inputShape: [1, 4, 6], expected: [1, 2, 3]),
    SizeCase(
      name: "AvgPool2d(2, 3, padding=1, ceil_mode=True)",
      layer: AveragePooling2D(kernelSize: 2, stride: 3, padding: 1, ceilMode: true),
      inputShape: [1, 4, 6], expected: [1, 2, 3]),
    SizeCase(
      name: "MaxPool2d((2, 3), (1, 2), (1, 1), (2, 1), ceil_mode=True)",
      layer: MaxPooling2D(
        kernelSize: (2, 3), stride: (1, 2), padding: (1, 1), dilation: (2, 1), ceilMode: true),
      inputShape: [1, 6, 7], expected: [1, 6, 4]),
    SizeCase(
      name: "MaxPool2d(3, 2, padding=1) (resnet stem)",
      layer: MaxPooling2D(kernelSize: 3, stride: 2, padding: 1), inputShape: [64, 112, 112],
      expected: [64, 56, 56]),
    SizeCase(
      name: "MaxPool2d(3, 2) (alexnet)", layer: MaxPooling2D(kernelSize: 3, stride: 2),
      inputShape: [64, 55, 55], expected: [64, 27, 27]),
    SizeCase(
      name: "AdaptiveAvgPool2d((3, 2))", layer: AdaptiveAveragePooling2D(outputSize: (3, 2)),
      inputShape: [5, 2, 9], expected: [5, 3, 2]),
  ]

  @Test("output shapes equal PyTorch's", arguments: sizes)
  func outputShape(_ testCase: SizeCase) throws {
    #expect(try testCase.layer.outputShape(for: [testCase.inputShape]) == testCase.expected)
    // The forward pass produces the announced shape.
    let network = makeNetwork(inputShape: testCase.inputShape) { $0.add(testCase.layer, $0.input) }
    let input = Tensor(zeros: [2] + testCase.inputShape, elementType: .float64)
    #expect(network.converted(to: .float64)(input).shape == [2] + testCase.expected)
  }

  @Test("shape errors name the expected and found shapes")
  func shapeErrors() {
    let layers: [any Layer] = [
      MaxPooling2D(kernelSize: 3), AveragePooling2D(kernelSize: 3),
      AdaptiveAveragePooling2D(outputSize: 2),
    ]
    for layer in layers {
      #expect(throws: NetworkShapeError.self) { try layer.outputShape(for: [[4, 4]]) }
      #expect(throws: NetworkShapeError.self) { try layer.outputShape(for: [[3, 0, 4]]) }
      do throws(NetworkShapeError) {
        _ = try layer.outputShape(for: [[2, 5]])
        Issue.record("\(layer.kind) accepted a rank-2 input")
      } catch {
        #expect(error.description.contains("[C, H, W]") && error.description.contains("[2, 5]"))
        #expect(!error.description.contains("\n"))
      }
    }
    for layer: any Layer in [MaxPooling2D(kernelSize: 3), AveragePooling2D(kernelSize: 3)] {
      do throws(NetworkShapeError) {
        _ = try layer.outputShape(for: [[1, 2, 5]])
        Issue.record("\(layer.kind) accepted an input smaller than its kernel")
      } catch {
        #expect(error.description.contains("[1, 2, 5]") && error.description.contains("0×1"))
      }
    }
    #expect(MaxPooling2D(kernelSize: 2).kind == "maxpool")
    #expect(AveragePooling2D(kernelSize: 2).kind == "avgpool")
    #expect(AdaptiveAveragePooling2D(outputSize: 1).kind == "adaptive_avgpool")
  }

  // MARK: Forward values

  @Test("max pooling of a 4x4 ramp")
  func maxPoolingRamp() {
    let input = ramp([1, 1, 4, 4])
    #expect(run(MaxPooling2D(kernelSize: 2), input).doubles == [5, 7, 13, 15])
    #expect(run(MaxPooling2D(kernelSize: 3, stride: 1), input).doubles == [10, 11, 14, 15])
    // Dilation 2: taps (0, 2) and (1, 3) of each axis.
    #expect(
      run(MaxPooling2D(kernelSize: 2, stride: 1, dilation: 2), input).doubles == [10, 11, 14, 15])
  }

  @Test("max pooling in ceil mode on a 6x6 ramp")
  func maxPoolingCeilMode() {
    let output = run(MaxPooling2D(kernelSize: 3, stride: 2, ceilMode: true), ramp([1, 1, 6, 6]))
    #expect(output.shape == [1, 1, 3, 3])
    // Windows cover rows 0...2, 2...4 and 4...5 (clipped); the maximum is the last element.
    #expect(output.doubles == [14, 16, 17, 26, 28, 29, 32, 34, 35])
  }

  @Test("max pooling padding is -infinity, never selected")
  func maxPoolingPadding() {
    // All inputs negative: zero padding would win, −∞ padding never does.
    let input = Tensor(shape: [1, 1, 3, 3], float64Scalars: (0..<9).map { -1 - Double($0) })
    let output = run(MaxPooling2D(kernelSize: 3, stride: 2, padding: 1), input)
    #expect(output.doubles == [-1, -2, -4, -5])
  }

  @Test("max pooling ties choose the first maximum in row-major window order")
  func maxPoolingTies() {
    let input = Tensor(shape: [1, 1, 2, 3], float64Scalars: [1, 4, 4, 4, 0, 4])
    let gradient = inputGradient(
      MaxPooling2D(kernelSize: 2, stride: 1), input, cotangent: [10, 20])
    // Window 0 holds 1, 4 / 4, 0: the first 4 is at offset 1. Window 1 holds 4, 4 / 0, 4.
    #expect(gradient == [0, 30, 0, 0, 0, 0])
  }

  @Test("max pooling propagates NaN like PyTorch (the last NaN of the window)")
  func maxPoolingNaN() {
    let input = Tensor(shape: [1, 1, 1, 4], float64Scalars: [1, .nan, 3, .nan])
    let layer = MaxPooling2D(kernelSize: (1, 4))
    #expect(run(layer, input).doubles[0].isNaN)
    // torch.nn.functional.max_pool2d(..., return_indices=True) returns index 3.
    #expect(inputGradient(layer, input, cotangent: [1]) == [0, 0, 0, 1])
  }

  @Test("a max-pooling window of padding only gives -infinity and no gradient")
  func maxPoolingEmptyWindow() {
    // Taps at −1 and 2 of a 2-wide axis: PyTorch also returns −∞.
    let layer = MaxPooling2D(kernelSize: 2, stride: 1, padding: 1, dilation: 3)
    let input = ramp([1, 1, 2, 2])
    #expect(run(layer, input).doubles == [-.infinity])
    #expect(inputGradient(layer, input, cotangent: [1]) == [0, 0, 0, 0])
  }

  @Test("average pooling of a 4x4 ramp")
  func averagePoolingRamp() {
    let input = ramp([1, 1, 4, 4])
    #expect(run(AveragePooling2D(kernelSize: 2), input).doubles == [2.5, 4.5, 10.5, 12.5])
    // Padding 1, stride 3: windows rows (columns) −1...0 and 2...3; the first holds padding.
    let padded = run(AveragePooling2D(kernelSize: 2, stride: 3, padding: 1), input)
    let paddedSums: [Double] = [0, 5, 20, 50]
    #expect(padded.doubles == paddedSums.map { $0 / 4 })
    let excluded = run(
      AveragePooling2D(kernelSize: 2, stride: 3, padding: 1, countIncludePad: false), input)
    #expect(excluded.doubles == [0, 2.5, 10, 12.5])
  }

  @Test(
    "average pooling divisor in ceil mode counts the padded, not the clipped window",
    arguments: [true, false])
  func averagePoolingCeilDivisor(countIncludePad: Bool) {
    let layer = AveragePooling2D(
      kernelSize: 3, stride: 2, padding: 1, ceilMode: true, countIncludePad: countIncludePad)
    let output = run(layer, ramp([1, 1, 6, 6]))
    #expect(output.shape == [1, 1, 4, 4])
    // Torch 2.13 values: window sums over divisors. The last row and column start at 5 and
    // end at min(5 + 3, 6 + 1) = 7, so they count two rows (columns) with padding, one without.
    let sums: [Double] = [14, 30, 42, 16, 75, 126, 144, 51, 147, 234, 252, 87, 61, 96, 102, 35]
    let divisors: [Double] =
      countIncludePad
      ? [9, 9, 9, 6, 9, 9, 9, 6, 9, 9, 9, 6, 6, 6, 6, 4]
      : [4, 6, 6, 2, 6, 9, 9, 3, 6, 9, 9, 3, 2, 3, 3, 1]
    expectClose(output.doubles, zip(sums, divisors).map(/), tolerance: .exact)
  }

  @Test("adaptive average pooling windows: floor start, ceiling end")
  func adaptivePoolingWindows() {
    // 5 -> 3: columns 0..<2, 1..<4, 3..<5.
    let five = run(AdaptiveAveragePooling2D(outputSize: (1, 3)), ramp([1, 1, 1, 5]))
    #expect(five.doubles == [0.5, 2, 3.5])
    // 2 -> 3 (upsampling): columns 0..<1, 0..<2, 1..<2.
    let two = Tensor(shape: [1, 1, 1, 2], float64Scalars: [2, 6])
    #expect(run(AdaptiveAveragePooling2D(outputSize: (1, 3)), two).doubles == [2, 4, 6])
    // 7 -> 2: rows 0..<4 and 3..<7.
    let seven = run(AdaptiveAveragePooling2D(outputSize: (2, 1)), ramp([1, 1, 7, 1]))
    #expect(seven.doubles == [1.5, 4.5])
    #expect(
      run(AdaptiveAveragePooling2D(outputSize: 1), ramp([1, 2, 4, 4])).doubles == [7.5, 23.5])
  }

  @Test("max pooling caches argmax offsets only when recording")
  func maxPoolingCache() {
    let layer = MaxPooling2D(kernelSize: 2)
    let input = ramp([2, 1, 4, 4])
    var buffers: [Tensor] = []
    var context = ForwardContext(
      mode: .inference, isRecording: true, random: RandomGenerator(seed: 0))
    let recorded = layer.forward(
      inputs: [input], parameters: [], buffers: &buffers, context: &context)
    #expect(recorded.cache.indices == [5, 7, 13, 15, 5, 7, 13, 15])
    context = ForwardContext(mode: .inference, isRecording: false, random: RandomGenerator(seed: 0))
    let plain = layer.forward(inputs: [input], parameters: [], buffers: &buffers, context: &context)
    #expect(plain.cache.indices.isEmpty)
    #expect(plain.output == recorded.output)
  }

  @Test("max pooling backward without a recorded cache recomputes the argmax")
  func maxPoolingBackwardWithoutCache() {
    let layer = MaxPooling2D(kernelSize: 3, stride: 2, padding: 1)
    var random = RandomGenerator(seed: 4)
    let input = Tensor(
      shape: [2, 3, 5, 6], float64Scalars: (0..<180).map { _ in random.nextNormal() })
    var buffers: [Tensor] = []
    var context = ForwardContext(
      mode: .inference, isRecording: true, random: RandomGenerator(seed: 0))
    let (output, cache) = layer.forward(
      inputs: [input], parameters: [], buffers: &buffers, context: &context)
    let cotangent = Tensor(
      shape: [2 * output.shape[0]] + output.shape.dropFirst(),
      float64Scalars: (0..<(2 * output.count)).map { _ in random.nextNormal() })
    func request(_ cache: LayerCache) -> BackwardRequest {
      BackwardRequest(
        outputGradient: cotangent, inputs: [input], output: output, parameters: [], buffers: [],
        cache: cache, mode: .inference, inputGradientsNeeded: [true],
        parameterGradientsNeeded: false)
    }
    let cached = layer.backward(request(cache)).inputs[0]
    let recomputed = layer.backward(request(.empty)).inputs[0]
    #expect(cached?.shape == [4, 3, 5, 6])
    #expect(cached == recomputed)
  }

  // MARK: PyTorch golden values

  struct FixtureCase: CustomTestStringConvertible, Sendable {
    let directory: String
    let layer: any Layer
    var testDescription: String { directory }
  }

  static let fixtures: [FixtureCase] = [
    FixtureCase(
      directory: "maxpool_k3_s2_ceil", layer: MaxPooling2D(kernelSize: 3, stride: 2, ceilMode: true)
    ),
    FixtureCase(
      directory: "maxpool_k2_p1_d2", layer: MaxPooling2D(kernelSize: 2, padding: 1, dilation: 2)),
    FixtureCase(
      directory: "avgpool_k3_s2_p1_ceil_exclude",
      layer: AveragePooling2D(
        kernelSize: 3, stride: 2, padding: 1, ceilMode: true, countIncludePad: false)),
    FixtureCase(
      directory: "avgpool_k3_s1_p1", layer: AveragePooling2D(kernelSize: 3, stride: 1, padding: 1)),
    FixtureCase(
      directory: "adaptive_avgpool_3x2", layer: AdaptiveAveragePooling2D(outputSize: (3, 2))),
  ]

  @Test("matches PyTorch's output and input gradient", arguments: fixtures)
  func pytorchFixture(_ testCase: FixtureCase) throws {
    try expectMatchesPyTorch(testCase.layer, fixture: "pooling/\(testCase.directory)")
  }

  // MARK: Helpers

  func singleLayer(_ testCase: LayerCase) -> Network {
    makeNetwork(inputShape: testCase.inputShape) { $0.add(testCase.layer, $0.input) }
  }

  @Test(
    "Float32 max pooling (vectorised path) equals the exact path: padding, ceil mode, NaN, ties and argmax offsets",
    arguments: [
      (2, 2, 0, false, [2, 3, 8, 10]), (3, 2, 0, false, [1, 4, 11, 9]),
      (3, 1, 0, false, [2, 2, 5, 7]), (3, 2, 1, false, [1, 3, 40, 37]),
      (3, 2, 1, true, [2, 2, 20, 21]), (2, 2, 0, true, [1, 2, 9, 35]),
      (5, 1, 2, false, [1, 2, 6, 19]),
      // 2×2 at stride 2 over even planes: half-widths 1, 2, 4 and 8 as one flat sequence of
      // row pairs (with a tail of fewer than 16 outputs), 16 and 32 row by row.
      (2, 2, 0, false, [1, 3, 2, 2]), (2, 2, 0, false, [3, 5, 4, 4]),
      (2, 2, 0, false, [2, 3, 6, 8]), (2, 2, 0, false, [1, 2, 16, 16]),
      (2, 2, 0, false, [1, 2, 4, 32]), (2, 2, 0, false, [1, 3, 6, 64]),
    ])
  func vectorisedMaxPooling(kernel: Int, stride: Int, padding: Int, ceil: Bool, shape: [Int]) {
    let layer = MaxPooling2D(kernelSize: kernel, stride: stride, padding: padding, ceilMode: ceil)
    var random = RandomGenerator(seed: UInt64(kernel * 10 + stride))
    let values = (0..<shape.reduce(1, *)).map { _ in Float(random.nextUniform() * 2 - 1) }
    let network = makeNetwork(inputShape: Array(shape.dropFirst())) { $0.add(layer, $0.input) }
    /// The argmax offsets recorded by a forward pass of the layer.
    func recordedIndices(_ input: Tensor) -> ContiguousArray<Int32> {
      var buffers: [Tensor] = []
      var context = ForwardContext(
        mode: .inference, isRecording: true, random: RandomGenerator(seed: 0))
      return layer.forward(inputs: [input], parameters: [], buffers: &buffers, context: &context)
        .cache.indices
    }
    // Real-valued inputs, then small integers with −∞ entries (ties and all-−∞ windows,
    // whose argmax is the first tap inside the plane), then a NaN.
    var tied = values.map { ($0 * 3).rounded(.down) }
    for i in Swift.stride(from: 0, to: tied.count, by: 7) { tied[i] = -.infinity }
    var withNaN = values
    withNaN[values.count / 3] = .nan
    for (caseIndex, scalars) in [values, tied, withNaN].enumerated() {
      let input = Tensor(shape: shape, scalars: scalars)
      let label =
        "kernel \(kernel) stride \(stride) padding \(padding) ceil \(ceil) case \(caseIndex)"
      let single = network(input)
      let exact = run(layer, input.converted(to: .float64))
      #expect(single.shape == exact.shape)
      for (a, b) in zip(single.scalars, exact.doubles) {
        #expect(a.isNaN ? b.isNaN : Double(a) == b, "\(label)")
      }
      #expect(single.scalars.contains { $0.isNaN } == (caseIndex == 2))
      let indices = recordedIndices(input)
      #expect(indices.count == single.count)
      #expect(indices == recordedIndices(input.converted(to: .float64)), "\(label)")
    }
  }

  @Test(
    "Float32 average pooling (vectorised path) equals the exact path within rounding: padding, strides, divisors, wide rows",
    arguments: [
      (3, 1, 1, true, [2, 3, 9, 37]), (3, 1, 1, false, [1, 2, 17, 40]),
      (3, 2, 1, true, [1, 3, 21, 35]), (2, 2, 0, true, [2, 2, 8, 66]),
      (5, 1, 2, false, [1, 2, 6, 19]), (3, 3, 1, true, [1, 2, 10, 23]),
      (2, 2, 0, true, [3, 3, 2, 2]), (2, 2, 0, true, [2, 3, 4, 4]),
      (2, 2, 0, false, [1, 5, 8, 8]), (2, 2, 0, true, [1, 2, 2, 64]),
      // One window per plane (global average pooling): whole vectors, a tail, or both.
      (4, 4, 0, false, [1, 5, 4, 4]), (5, 5, 0, true, [3, 2, 5, 5]), (7, 7, 0, true, [2, 3, 7, 7]),
    ])
  func vectorisedAveragePooling(
    kernel: Int, stride: Int, padding: Int, countIncludePad: Bool, shape: [Int]
  ) {
    let layer = AveragePooling2D(
      kernelSize: kernel, stride: stride, padding: padding, countIncludePad: countIncludePad)
    var random = RandomGenerator(seed: UInt64(kernel * 10 + stride))
    let values = (0..<shape.reduce(1, *)).map { _ in Float(random.nextUniform() * 2 - 1) }
    let network = makeNetwork(inputShape: Array(shape.dropFirst())) { $0.add(layer, $0.input) }
    let input = Tensor(shape: shape, scalars: values)
    let single = network(input)
    let exact = run(layer, input.converted(to: .float64))
    #expect(single.shape == exact.shape)
    // A window sum of at most 25 Float32 terms in [−1, 1], divided once: a few ulps of 25.
    let label = "kernel \(kernel) stride \(stride) padding \(padding) include \(countIncludePad)"
    for (a, b) in zip(single.scalars, exact.doubles) {
      #expect(abs(Double(a) - b) <= 1e-5, "\(label): \(a) vs \(b)")
    }
  }

  /// `0, 1, 2, …` in Float64 with `shape`.
  func ramp(_ shape: [Int]) -> Tensor {
    Tensor(shape: shape, float64Scalars: (0..<shape.reduce(1, *)).map(Double.init))
  }

  /// The layer's Float64 output for a batched input.
  func run(_ layer: some Layer, _ input: Tensor) -> Tensor {
    makeNetwork(inputShape: Array(input.shape.dropFirst())) { $0.add(layer, $0.input) }
      .converted(to: .float64)(input)
  }

  /// The layer's Float64 input gradient for a cotangent given as a flat list.
  func inputGradient(_ layer: some Layer, _ input: Tensor, cotangent: [Double]) -> [Double] {
    let network = makeNetwork(inputShape: Array(input.shape.dropFirst())) {
      $0.add(layer, $0.input)
    }.converted(to: .float64)
    let tape = network.record(input)
    let gradients = network.gradients(
      of: tape, cotangent: Tensor(shape: tape.output.shape, float64Scalars: cotangent),
      parameters: .none)
    return gradients.input?.doubles ?? []
  }
}

/// A float64 `.npy` fixture as a Float64 tensor (`Fixture.tensor` would round to Float32).
func float64Fixture(_ path: String) throws -> Tensor {
  let array = try Fixture.npy(path, bundle: .module)
  guard case .float64(let values) = array.data else {
    throw FixtureError.unreadable(path: path, reason: "expected float64, found \(array.data.descr)")
  }
  return Tensor(shape: array.shape, float64Scalars: values)
}

/// Checks a layer against `<fixture>/{input,output,cotangent,input_gradient}.npy` written by
/// PyTorch: in Float64 to 1e-10 relative, and in Float32 under ``Tolerance/elementwise``.
func expectMatchesPyTorch(
  _ layer: some Layer, fixture: String, sourceLocation: SourceLocation = #_sourceLocation
) throws {
  let input = try float64Fixture("\(fixture)/input.npy")
  let output = try float64Fixture("\(fixture)/output.npy")
  let cotangent = try float64Fixture("\(fixture)/cotangent.npy")
  let expectedGradient = try float64Fixture("\(fixture)/input_gradient.npy")
  let network = makeNetwork(inputShape: Array(input.shape.dropFirst())) { $0.add(layer, $0.input) }
  // Float64 differs from PyTorch only in summation order and pow rounding.
  let float64 = Tolerance(relative: 1e-10, absolute: 1e-12)
  for type in ElementType.allCases {
    let tolerance = type == .float64 ? float64 : .elementwise
    let converted = network.converted(to: type)
    let tape = converted.record(input.converted(to: type))
    expectClose(
      tape.output, output, tolerance: tolerance, "\(type) output", sourceLocation: sourceLocation)
    let gradient = converted.gradients(
      of: tape, cotangent: cotangent.converted(to: type), parameters: .none
    ).input
    guard let gradient else {
      Issue.record("no input gradient", sourceLocation: sourceLocation)
      continue
    }
    expectClose(
      gradient, expectedGradient, tolerance: tolerance, "\(type) input gradient",
      sourceLocation: sourceLocation)
  }
}

/// Checks that one backward pass with `K = 3` cotangents per sample gives the input gradients
/// of three separate backward passes (bit for bit: the same arithmetic in the same order).
func expectBatchedCotangentsMatch(
  _ network: Network, elementType: ElementType, mode: NetworkMode = .inference, batch: Int = 2,
  sourceLocation: SourceLocation = #_sourceLocation
) {
  let count = 3
  let network = network.converted(to: elementType)
  var random = RandomGenerator(seed: 11)
  let shape = [batch] + network.inputShape
  let input = Tensor(
    shape: shape, float64Scalars: (0..<shape.reduce(1, *)).map { _ in random.nextNormal() }
  ).converted(to: elementType)
  var dropoutRandom = RandomGenerator(seed: 5)
  let tape = network.record(input, mode: mode, random: &dropoutRandom)
  let outputCount = tape.output.count
  let cotangents = Tensor(
    shape: [count] + tape.output.shape,
    float64Scalars: (0..<(count * outputCount)).map { _ in random.nextNormal() }
  ).converted(to: elementType)
  let batched = network.batchedGradients(of: tape, cotangents: cotangents, parameters: .none)
  guard let all = batched.input else {
    Issue.record("no batched input gradient", sourceLocation: sourceLocation)
    return
  }
  #expect(all.shape == [count] + input.shape, sourceLocation: sourceLocation)
  let values = all.doubles
  let cotangentValues = cotangents.doubles
  for k in 0..<count {
    let single = Tensor(
      shape: tape.output.shape,
      float64Scalars: cotangentValues[(k * outputCount)..<((k + 1) * outputCount)]
    ).converted(to: elementType)
    let separate = network.gradients(of: tape, cotangent: single, parameters: .none).input
    expectClose(
      Array(values[(k * input.count)..<((k + 1) * input.count)]), separate?.doubles ?? [],
      tolerance: .exact, "\(elementType) cotangent \(k)", sourceLocation: sourceLocation)
  }
}
