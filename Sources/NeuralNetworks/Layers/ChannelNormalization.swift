import Tensors

/// Per-channel input normalisation `y_c = (x_c − mean_c) / std_c` of `[N, C, …]` images.
///
/// semrob keeps every normalisation inside the network (METHODS §6.1), so images, attack
/// budgets and attributions are in [0, 1] pixel units and input gradients are with respect to
/// those pixels: the backward pass divides by `std_c`.
public struct ChannelNormalization: Layer {
  /// The channel means.
  public let mean: [Double]
  /// The channel standard deviations (all > 0).
  public let standardDeviation: [Double]

  /// The ImageNet statistics torchvision models expect (RGB).
  public static let imageNet = ChannelNormalization(
    mean: [0.485, 0.456, 0.406], standardDeviation: [0.229, 0.224, 0.225])

  /// Creates a normalisation.
  ///
  /// - Parameters:
  ///   - mean: One mean per channel.
  ///   - standardDeviation: One positive standard deviation per channel.
  public init(mean: [Double], standardDeviation: [Double]) {
    precondition(
      mean.count == standardDeviation.count && !mean.isEmpty
        && standardDeviation.allSatisfy { $0 > 0 },
      "ChannelNormalization: needs one mean and one positive standard deviation per channel")
    self.mean = mean
    self.standardDeviation = standardDeviation
  }

  /// The kind name used in summaries.
  public var kind: String { "normalize" }

  /// The per-sample output shape.
  ///
  /// - Parameter inputShapes: Per-sample input shapes.
  /// - Returns: The output shape.
  /// - Throws: ``NetworkShapeError`` naming the expected and found shapes.
  public func outputShape(for inputShapes: [[Int]]) throws(NetworkShapeError) -> [Int] {
    guard let channels = inputShapes[0].first, channels == mean.count else {
      throw NetworkShapeError("expected input [\(mean.count), …], found \(inputShapes[0])")
    }
    return inputShapes[0]
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
    let scales = standardDeviation.map { 1 / $0 }
    let shifts = zip(mean, standardDeviation).map { -$0 / $1 }
    return (ChannelAffine.apply(inputs[0], scale: scales, shift: shifts), .empty)
  }

  /// Propagates output cotangents to the input.
  ///
  /// - Parameter request: Gradients, forward values and what is needed.
  /// - Returns: The input gradient.
  public func backward(_ request: BackwardRequest) -> LayerGradients {
    let scales = standardDeviation.map { 1 / $0 }
    return LayerGradients(
      inputs: [
        ChannelAffine.apply(
          request.outputGradient, scale: scales,
          shift: [Double](repeating: 0, count: scales.count))
      ])
  }
}

/// `y[n, c, …] = scale_c · x[n, c, …] + shift_c`.
enum ChannelAffine {
  static func apply(_ x: Tensor, scale: [Double], shift: [Double]) -> Tensor {
    switch x.elementType {
    case .float32: apply(Float.self, x, scale, shift)
    case .float64: apply(Double.self, x, scale, shift)
    }
  }

  private static func apply<S: EngineScalar>(
    _: S.Type, _ x: Tensor, _ scale: [Double], _ shift: [Double]
  ) -> Tensor {
    var values = S.elements(of: x)
    let channels = scale.count
    let plane = x.count / max(1, x.shape[0] * channels)
    values.withMutablePointer { p in
      for n in 0..<x.shape[0] {
        for c in 0..<channels {
          let base = p + (n * channels + c) * plane
          let (a, b) = (S(scale[c]), S(shift[c]))
          for i in 0..<plane { base[i] = base[i] * a + b }
        }
      }
    }
    return S.makeTensor(shape: x.shape, elements: values)
  }
}
