import Tensors

/// Rectified linear unit `y = max(x, 0)`, element-wise on any shape.
///
/// The derivative at 0 is taken as 0 (PyTorch's convention).
public struct ReLU: Layer {
  /// Creates a ReLU.
  public init() {}

  /// The kind name used in summaries.
  public var kind: String { "relu" }

  /// The per-sample output shape.
  ///
  /// - Parameter inputShapes: Per-sample input shapes.
  /// - Returns: The output shape.
  /// - Throws: ``NetworkShapeError`` naming the expected and found shapes.
  public func outputShape(for inputShapes: [[Int]]) throws(NetworkShapeError) -> [Int] {
    inputShapes[0]
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
    switch inputs[0].elementType {
    case .float32: (Self.forward(Float.self, inputs[0]), .empty)
    case .float64: (Self.forward(Double.self, inputs[0]), .empty)
    }
  }

  private static func forward<S: EngineScalar>(_: S.Type, _ x: Tensor) -> Tensor {
    Elementwise.sum(S.self, [x], rectified: true)
  }

  /// The output gradient masked by `output > 0` (for layers with a fused ReLU).
  static func masked(_ request: BackwardRequest) -> Tensor {
    switch request.output.elementType {
    case .float32: backward(Float.self, request)
    case .float64: backward(Double.self, request)
    }
  }

  /// Propagates output cotangents to the inputs and parameters.
  ///
  /// - Parameter request: Gradients, forward values and what is needed.
  /// - Returns: The requested gradients.
  public func backward(_ request: BackwardRequest) -> LayerGradients {
    switch request.output.elementType {
    case .float32: LayerGradients(inputs: [Self.backward(Float.self, request)])
    case .float64: LayerGradients(inputs: [Self.backward(Double.self, request)])
    }
  }

  private static func backward<S: EngineScalar>(_: S.Type, _ request: BackwardRequest) -> Tensor {
    let gradient = Elementwise.reluMasked(
      S.elements(of: request.outputGradient), by: S.elements(of: request.output))
    return S.makeTensor(shape: request.outputGradient.shape, elements: gradient)
  }
}
