import Tensors

/// Inverted dropout, as PyTorch `nn.Dropout`, on inputs of any shape `[N, …]`.
///
/// Training mode draws one keep decision per element, in row-major order over the whole batch,
/// from the forward context's generator: element `i` is kept when `U_i ≥ p` with
/// `U_i = random.nextUniform()`, so it is kept with probability `1 − p`. The output is
/// `y = x · m` with the mask `m_i = 1/(1 − p)` for kept and `0` for dropped elements, which
/// keeps the expectation `E[y] = x`. With `p = 1` every element is dropped and the output is
/// zero (no division by zero). A draw is made for every element for every `p`, so a seed fixes
/// the masks of all later layers too. Inference mode is the identity and draws nothing.
///
/// The backward pass multiplies the output gradient by the mask cached by a recorded forward
/// pass (`[N, …]`, the input's element type, holding `0` or `1/(1 − p)`; the `K` cotangents of
/// a sample share its mask), or passes it through in inference mode.
///
/// Reference: Srivastava, Hinton, Krizhevsky, Sutskever & Salakhutdinov, "Dropout: A Simple Way
/// to Prevent Neural Networks from Overfitting", JMLR 2014; PyTorch `torch.nn.Dropout`.
public struct Dropout: Layer {
  /// `p`, the probability of dropping an element.
  public let probability: Double

  /// Creates a dropout layer.
  ///
  /// - Parameter probability: `p` in `[0, 1]` (PyTorch default 0.5).
  public init(probability: Double = 0.5) {
    precondition(
      probability >= 0 && probability <= 1,
      "Dropout: probability \(probability) must lie in [0, 1]")
    self.probability = probability
  }

  /// The kind name used in summaries.
  public var kind: String { "dropout" }

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
  /// - Returns: The output and the backward cache (the mask when training and recording).
  public func forward(
    inputs: [Tensor], parameters: [Tensor], buffers: inout [Tensor], context: inout ForwardContext
  ) -> (output: Tensor, cache: LayerCache) {
    let x = inputs[0]
    guard context.mode == .training else { return (x, .empty) }
    let (output, mask): (Tensor, Tensor)
    switch x.elementType {
    case .float32: (output, mask) = forward(Float.self, x, random: &context.random)
    case .float64: (output, mask) = forward(Double.self, x, random: &context.random)
    }
    return (output, context.isRecording ? LayerCache(tensors: [mask]) : .empty)
  }

  private func forward<S: EngineScalar>(
    _: S.Type, _ x: Tensor, random: inout RandomGenerator
  ) -> (Tensor, Tensor) {
    let scale = probability < 1 ? S(1 / (1 - probability)) : 0
    var mask = ContiguousArray<S>(repeating: 0, count: x.count)
    var output = S.elements(of: x)
    mask.withMutablePointer { mp in
      output.withMutablePointer { yp in
        for i in 0..<x.count {
          let value: S = random.nextUniform() >= probability ? scale : 0
          mp[i] = value
          yp[i] *= value
        }
      }
    }
    return (
      S.makeTensor(shape: x.shape, elements: output), S.makeTensor(shape: x.shape, elements: mask)
    )
  }

  /// Propagates output cotangents to the inputs and parameters.
  ///
  /// - Parameter request: Gradients, forward values and what is needed.
  /// - Returns: The requested gradients.
  public func backward(_ request: BackwardRequest) -> LayerGradients {
    guard request.inputGradientsNeeded[0] else { return LayerGradients(inputs: [nil]) }
    guard request.mode == .training else { return LayerGradients(inputs: [request.outputGradient]) }
    guard let mask = request.cache.tensors.first, mask.count == request.output.count else {
      preconditionFailure(
        "Dropout: a training-mode backward pass needs the mask of a recorded forward pass")
    }
    switch mask.elementType {
    case .float32: return LayerGradients(inputs: [Self.backward(Float.self, request, mask)])
    case .float64: return LayerGradients(inputs: [Self.backward(Double.self, request, mask)])
    }
  }

  private static func backward<S: EngineScalar>(
    _: S.Type, _ request: BackwardRequest, _ mask: Tensor
  ) -> Tensor {
    var gradient = S.elements(of: request.outputGradient)
    let values = S.elements(of: mask)
    let batchSize = values.count
    let total = gradient.count
    gradient.withMutablePointer { g in
      values.withPointer { m in
        // Rows k·N ..< (k + 1)·N hold cotangent k of the whole batch: one mask per block.
        for offset in stride(from: 0, to: total, by: max(1, batchSize)) {
          for i in 0..<batchSize { g[offset + i] *= m[i] }
        }
      }
    }
    return S.makeTensor(shape: request.outputGradient.shape, elements: gradient)
  }
}
