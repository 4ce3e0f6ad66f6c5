import Tensors

/// 2-D convolution (cross-correlation, as in PyTorch) with stride, zero padding, dilation and
/// groups.
///
/// Input `[N, C_in, H, W]`, weight `[C_out, C_in / groups, kH, kW]`, optional bias `[C_out]`,
/// output `[N, C_out, H_out, W_out]` with
/// `H_out = ⌊(H + 2 p_h − d_h (kH − 1) − 1) / s_h⌋ + 1` (likewise W).
///
/// Algorithms. Float32 on CPUs with AVX-512F (unless `semrob bench engine --kernels openblas`
/// switches it off): ungrouped kernels run semrob's direct convolution
/// (8 positions × 16–48 channels per register tile, input broadcast from the planes or from a
/// cached padded band, no im2col; shallow stride-1 layers with wide rows row-wise), 1×1,
/// shallow and grouped kernels its packed GEMM (several images' columns side by side); weights
/// are packed once and cached while unchanged; bias, a fused residual and a fused ReLU are
/// applied as results are stored. Otherwise (Float64, other CPUs): per sample and group,
/// `im2col` builds the `[C_in/g · kH · kW, H_out · W_out]` matrix of receptive fields (skipped
/// for 1×1 convolutions with stride 1 and no padding) and one OpenBLAS GEMM multiplies it by
/// the weights. The backward pass forms `∂W += ∂Y · colsᵀ` (OpenBLAS) and `∂cols = Wᵀ · ∂Y`
/// (the packed GEMM in Float32), scattered back by `col2im`.
public struct Convolution2D: Layer {
  /// `C_in`.
  public let inputChannels: Int
  /// `C_out`.
  public let outputChannels: Int
  /// `(kH, kW)`.
  public let kernelSize: [Int]
  /// `(s_h, s_w)`.
  public let stride: [Int]
  /// Zero padding `(p_h, p_w)` on each side.
  public let padding: [Int]
  /// `(d_h, d_w)`.
  public let dilation: [Int]
  /// Channel groups; `C_in` and `C_out` are multiples of it.
  public let groups: Int
  /// Whether the layer has a bias.
  public let hasBias: Bool
  /// The weight initialisation.
  public let initialization: WeightInitialization
  /// Whether a ReLU is applied to the output inside the layer (set by
  /// ``Network/foldedForInference()``; the backward pass masks by the output).
  public internal(set) var appliesReLU = false
  /// Whether a second input, a residual of the output's shape, is added before the fused ReLU
  /// (set by ``Network/foldedForInference()`` for `relu(conv(x) + r)` in residual blocks).
  public internal(set) var addsResidual = false
  /// The weights packed for the direct Float32 kernel, reused while they are unchanged.
  let packedWeights = PackedWeightsCache()

  /// Creates a convolution.
  ///
  /// - Parameters:
  ///   - inputChannels: `C_in`.
  ///   - outputChannels: `C_out`.
  ///   - kernelSize: Square kernel side, or use `kernelHeight`/`kernelWidth`.
  ///   - stride: Square stride.
  ///   - padding: Symmetric zero padding.
  ///   - dilation: Dilation.
  ///   - groups: Channel groups.
  ///   - bias: Whether to add a bias.
  ///   - initialization: The weight initialisation.
  public init(
    inputChannels: Int, outputChannels: Int, kernelSize: Int, stride: Int = 1, padding: Int = 0,
    dilation: Int = 1, groups: Int = 1, bias: Bool = true,
    initialization: WeightInitialization = .pytorchDefault
  ) {
    self.init(
      inputChannels: inputChannels, outputChannels: outputChannels,
      kernelSize: (kernelSize, kernelSize), stride: (stride, stride), padding: (padding, padding),
      dilation: (dilation, dilation), groups: groups, bias: bias, initialization: initialization)
  }

  /// Creates a convolution with rectangular kernel, stride, padding and dilation.
  ///
  /// - Parameters:
  ///   - inputChannels: `C_in`.
  ///   - outputChannels: `C_out`.
  ///   - kernelSize: `(kH, kW)`.
  ///   - stride: `(s_h, s_w)`.
  ///   - padding: `(p_h, p_w)`.
  ///   - dilation: `(d_h, d_w)`.
  ///   - groups: Channel groups.
  ///   - bias: Whether to add a bias.
  ///   - initialization: The weight initialisation.
  public init(
    inputChannels: Int, outputChannels: Int, kernelSize: (Int, Int), stride: (Int, Int) = (1, 1),
    padding: (Int, Int) = (0, 0), dilation: (Int, Int) = (1, 1), groups: Int = 1,
    bias: Bool = true, initialization: WeightInitialization = .pytorchDefault
  ) {
    precondition(
      inputChannels > 0 && outputChannels > 0 && groups > 0
        && inputChannels % groups == 0 && outputChannels % groups == 0,
      "Convolution2D: channels \(inputChannels)→\(outputChannels) must be positive multiples "
        + "of groups \(groups)")
    precondition(
      kernelSize.0 > 0 && kernelSize.1 > 0 && stride.0 > 0 && stride.1 > 0 && padding.0 >= 0
        && padding.1 >= 0 && dilation.0 > 0 && dilation.1 > 0,
      "Convolution2D: kernel, stride and dilation must be positive and padding ≥ 0")
    self.inputChannels = inputChannels
    self.outputChannels = outputChannels
    self.kernelSize = [kernelSize.0, kernelSize.1]
    self.stride = [stride.0, stride.1]
    self.padding = [padding.0, padding.1]
    self.dilation = [dilation.0, dilation.1]
    self.groups = groups
    self.hasBias = bias
    self.initialization = initialization
  }

  /// The kind name used in summaries.
  public var kind: String {
    "conv2d" + (addsResidual ? "+add" : "") + (appliesReLU ? "+relu" : "")
  }

  /// One input, or two with a fused residual.
  public var inputArity: ClosedRange<Int> { addsResidual ? 2...2 : 1...1 }

  /// The trainable tensors, in checkpoint order (see the type's documentation).
  public var parameterSpecs: [ParameterSpec] {
    let weight = ParameterSpec(
      "weight", [outputChannels, inputChannels / groups, kernelSize[0], kernelSize[1]])
    return hasBias ? [weight, ParameterSpec("bias", [outputChannels])] : [weight]
  }

  /// The per-sample output shape.
  ///
  /// - Parameter inputShapes: Per-sample input shapes.
  /// - Returns: The output shape.
  /// - Throws: ``NetworkShapeError`` naming the expected and found shapes.
  public func outputShape(for inputShapes: [[Int]]) throws(NetworkShapeError) -> [Int] {
    let shape = inputShapes[0]
    guard shape.count == 3, shape[0] == inputChannels else {
      throw NetworkShapeError("expected input [\(inputChannels), H, W], found \(shape)")
    }
    let geometry = ConvolutionGeometry(layer: self, height: shape[1], width: shape[2])
    guard geometry.outputHeight > 0, geometry.outputWidth > 0 else {
      throw NetworkShapeError(
        "input \(shape) is too small for kernel \(kernelSize), stride \(stride), "
          + "padding \(padding), dilation \(dilation)")
    }
    let output = [outputChannels, geometry.outputHeight, geometry.outputWidth]
    if addsResidual, inputShapes.count > 1, inputShapes[1] != output {
      throw NetworkShapeError("expected residual \(output), found \(inputShapes[1])")
    }
    return output
  }

  /// Multiply–accumulates per sample.
  ///
  /// - Parameter inputShapes: Per-sample input shapes.
  /// - Returns: The count.
  public func multiplyAccumulates(for inputShapes: [[Int]]) -> Int {
    guard let output = try? outputShape(for: inputShapes) else { return 0 }
    return output.reduce(1, *) * (inputChannels / groups) * kernelSize[0] * kernelSize[1]
  }

  /// Fresh parameters, initialised as PyTorch does.
  ///
  /// - Parameter random: The generator, advanced in spec order.
  /// - Returns: The parameters in spec order.
  public func initialParameters(random: inout RandomGenerator) -> [Tensor] {
    let spec = parameterSpecs[0]
    let fanIn = (inputChannels / groups) * kernelSize[0] * kernelSize[1]
    let fanOut = outputChannels * kernelSize[0] * kernelSize[1]
    let bound = 1 / Double(fanIn).squareRoot()
    var result: [Tensor]
    switch initialization {
    case .pytorchDefault:
      result = [Elementwise.uniform(spec.shape, bound: bound, random: &random)]
    case .kaimingNormalFanOut:
      result = [
        Elementwise.normal(
          spec.shape, standardDeviation: (2 / Double(fanOut)).squareRoot(), random: &random)
      ]
    case .normal(let standardDeviation):
      result = [
        Elementwise.normal(spec.shape, standardDeviation: standardDeviation, random: &random)
      ]
    }
    if hasBias {
      result.append(
        initialization == .pytorchDefault
          ? Elementwise.uniform([outputChannels], bound: bound, random: &random)
          : Tensor(zeros: [outputChannels]))
    }
    return result
  }

  /// Runs the layer on a batch (see ``Layer/forward(inputs:parameters:buffers:context:)``).
  ///
  /// - Parameters:
  ///   - inputs: Batched inputs.
  ///   - parameters: Parameters in spec order.
  ///   - buffers: Buffers in spec order.
  ///   - context: Mode, recording flag and dropout generator.
  /// - Returns: The output and the backward cache.
  public func forward(
    inputs: [Tensor], parameters: [Tensor], buffers: inout [Tensor], context: inout ForwardContext
  ) -> (output: Tensor, cache: LayerCache) {
    let x = inputs[0]
    let geometry = ConvolutionGeometry(layer: self, height: x.shape[2], width: x.shape[3])
    let output: Tensor
    switch x.elementType {
    case .float32:
      output = geometry.forward(
        Float.self, x, weight: parameters[0], bias: hasBias ? parameters[1] : nil,
        residual: addsResidual ? inputs[1] : nil)
    case .float64:
      output = geometry.forward(
        Double.self, x, weight: parameters[0], bias: hasBias ? parameters[1] : nil,
        residual: addsResidual ? inputs[1] : nil)
    }
    return (output, .empty)
  }

  /// Propagates output cotangents to the inputs and parameters.
  ///
  /// - Parameter request: Gradients, forward values and what is needed.
  /// - Returns: The requested gradients.
  public func backward(_ request: BackwardRequest) -> LayerGradients {
    let x = request.inputs[0]
    let geometry = ConvolutionGeometry(layer: self, height: x.shape[2], width: x.shape[3])
    switch x.elementType {
    case .float32: return geometry.backward(Float.self, request)
    case .float64: return geometry.backward(Double.self, request)
    }
  }
}

/// The index arithmetic of one convolution applied to one input size.
struct ConvolutionGeometry {
  let layer: Convolution2D
  let height: Int
  let width: Int
  let outputHeight: Int
  let outputWidth: Int

  init(layer: Convolution2D, height: Int, width: Int) {
    self.layer = layer
    self.height = height
    self.width = width
    outputHeight =
      (height + 2 * layer.padding[0] - layer.dilation[0] * (layer.kernelSize[0] - 1) - 1)
      / layer.stride[0] + 1
    outputWidth =
      (width + 2 * layer.padding[1] - layer.dilation[1] * (layer.kernelSize[1] - 1) - 1)
      / layer.stride[1] + 1
  }

  var groupInputChannels: Int { layer.inputChannels / layer.groups }
  var groupOutputChannels: Int { layer.outputChannels / layer.groups }
  /// Rows of the column matrix: `C_in/g · kH · kW`.
  var columnRows: Int { groupInputChannels * layer.kernelSize[0] * layer.kernelSize[1] }
  /// Columns of the column matrix: `H_out · W_out`.
  var positions: Int { outputHeight * outputWidth }
  /// A 1×1, stride-1, unpadded convolution reads the input directly as its column matrix.
  var isPointwise: Bool {
    layer.kernelSize == [1, 1] && layer.stride == [1, 1] && layer.padding == [0, 0]
  }

  /// The range of output columns `ow` whose input column `ow·s − p + j·d` lies in `0..<size`.
  @inline(__always)
  static func validRange(
    offset: Int, stride: Int, size: Int, outputs: Int
  ) -> Range<Int> {
    // ow·s + offset ≥ 0  ⇔  ow ≥ ⌈−offset / s⌉;  ow·s + offset ≤ size − 1.
    let low = offset >= 0 ? 0 : (-offset + stride - 1) / stride
    let highValue = size - 1 - offset
    let high = highValue < 0 ? 0 : min(outputs, highValue / stride + 1)
    return low < high ? low..<high : 0..<0
  }
}
