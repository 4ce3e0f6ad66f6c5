import Tensors

/// Fully connected layer `y = x Wᵀ + b`.
///
/// Input `[N, in]`, weight `[out, in]`, bias `[out]`, output `[N, out]` (PyTorch `nn.Linear`).
/// With one sample the product is a matrix–vector product (sgemv).
public struct Linear: Layer {
  /// Input features.
  public let inputSize: Int
  /// Output features.
  public let outputSize: Int
  /// Whether the layer has a bias.
  public let hasBias: Bool
  /// The weight initialisation.
  public let initialization: WeightInitialization

  /// Creates a fully connected layer.
  ///
  /// - Parameters:
  ///   - inputSize: Input features.
  ///   - outputSize: Output features.
  ///   - bias: Whether to add a bias.
  ///   - initialization: The weight initialisation.
  public init(
    inputSize: Int, outputSize: Int, bias: Bool = true,
    initialization: WeightInitialization = .pytorchDefault
  ) {
    precondition(inputSize > 0 && outputSize > 0, "Linear: sizes must be positive")
    self.inputSize = inputSize
    self.outputSize = outputSize
    self.hasBias = bias
    self.initialization = initialization
  }

  /// The kind name used in summaries.
  public var kind: String { "linear" }

  /// The trainable tensors, in checkpoint order (see the type's documentation).
  public var parameterSpecs: [ParameterSpec] {
    let weight = ParameterSpec("weight", [outputSize, inputSize])
    return hasBias ? [weight, ParameterSpec("bias", [outputSize])] : [weight]
  }

  /// The per-sample output shape.
  ///
  /// - Parameter inputShapes: Per-sample input shapes.
  /// - Returns: The output shape.
  /// - Throws: ``NetworkShapeError`` naming the expected and found shapes.
  public func outputShape(for inputShapes: [[Int]]) throws(NetworkShapeError) -> [Int] {
    guard inputShapes[0] == [inputSize] else {
      throw NetworkShapeError("expected input [\(inputSize)], found \(inputShapes[0])")
    }
    return [outputSize]
  }

  /// Multiply–accumulates per sample.
  ///
  /// - Parameter inputShapes: Per-sample input shapes.
  /// - Returns: The count.
  public func multiplyAccumulates(for inputShapes: [[Int]]) -> Int { inputSize * outputSize }

  /// Fresh parameters, initialised as PyTorch does.
  ///
  /// - Parameter random: The generator, advanced in spec order.
  /// - Returns: The parameters in spec order.
  public func initialParameters(random: inout RandomGenerator) -> [Tensor] {
    let bound = 1 / Double(inputSize).squareRoot()
    var result: [Tensor]
    switch initialization {
    case .pytorchDefault:
      result = [Elementwise.uniform([outputSize, inputSize], bound: bound, random: &random)]
    case .kaimingNormalFanOut:
      result = [
        Elementwise.normal(
          [outputSize, inputSize], standardDeviation: (2 / Double(outputSize)).squareRoot(),
          random: &random)
      ]
    case .normal(let standardDeviation):
      result = [
        Elementwise.normal(
          [outputSize, inputSize], standardDeviation: standardDeviation, random: &random)
      ]
    }
    if hasBias {
      result.append(
        initialization == .pytorchDefault
          ? Elementwise.uniform([outputSize], bound: bound, random: &random)
          : Tensor(zeros: [outputSize]))
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
    switch inputs[0].elementType {
    case .float32: (forward(Float.self, inputs[0], parameters), .empty)
    case .float64: (forward(Double.self, inputs[0], parameters), .empty)
    }
  }

  private func forward<S: EngineScalar>(_: S.Type, _ x: Tensor, _ parameters: [Tensor]) -> Tensor {
    let batch = x.shape[0]
    var output = ContiguousArray<S>(repeating: 0, count: batch * outputSize)
    if hasBias {
      let bias = S.elements(of: parameters[1])
      output.withMutablePointer { y in
        for n in 0..<batch { (y + n * outputSize).update(from: Array(bias), count: outputSize) }
      }
    }
    S.elements(of: x).withPointer { xp in
      S.elements(of: parameters[0]).withPointer { wp in
        output.withMutablePointer { yp in
          // Output features split over the engine's workers (at batch 1 each streams its share
          // of the weights through sgemv).
          Workers.gemm(
            transposeA: false, transposeB: true, m: batch, n: outputSize, k: inputSize, alpha: 1,
            a: xp, lda: inputSize, b: wp, ldb: inputSize, beta: hasBias ? 1 : 0, c: yp,
            ldc: outputSize, workers: Workers.count)
        }
      }
    }
    return S.makeTensor(shape: [batch, outputSize], elements: output)
  }

  /// Propagates output cotangents to the inputs and parameters.
  ///
  /// - Parameter request: Gradients, forward values and what is needed.
  /// - Returns: The requested gradients.
  public func backward(_ request: BackwardRequest) -> LayerGradients {
    switch request.output.elementType {
    case .float32: backward(Float.self, request)
    case .float64: backward(Double.self, request)
    }
  }

  private func backward<S: EngineScalar>(_: S.Type, _ request: BackwardRequest) -> LayerGradients {
    let (batch, count) = (request.batchSize, request.cotangentCount)
    let dy = S.elements(of: request.outputGradient)
    var result = LayerGradients(inputs: [nil])
    if request.inputGradientsNeeded[0] {
      // ∂X = ∂Y · W, all K·N rows at once.
      var dx = ContiguousArray<S>(repeating: 0, count: count * batch * inputSize)
      dy.withPointer { gp in
        S.elements(of: request.parameters[0]).withPointer { wp in
          dx.withMutablePointer { dxp in
            S.gemm(
              transposeA: false, transposeB: false, m: count * batch, n: inputSize, k: outputSize,
              alpha: 1, a: gp, lda: outputSize, b: wp, ldb: inputSize, beta: 0, c: dxp,
              ldc: inputSize)
          }
        }
      }
      result.inputs[0] = S.makeTensor(shape: [count * batch, inputSize], elements: dx)
    }
    if request.parameterGradientsNeeded {
      // ∂W[k] = ∂Y_kᵀ · X (sum over the N samples of cotangent k); ∂b[k] = Σ_n ∂Y_k,n.
      var dw = ContiguousArray<S>(repeating: 0, count: count * outputSize * inputSize)
      var db = ContiguousArray<S>(repeating: 0, count: hasBias ? count * outputSize : 0)
      dy.withPointer { gp in
        S.elements(of: request.inputs[0]).withPointer { xp in
          dw.withMutablePointer { dwp in
            for k in 0..<count {
              S.gemm(
                transposeA: true, transposeB: false, m: outputSize, n: inputSize, k: batch,
                alpha: 1, a: gp + k * batch * outputSize, lda: outputSize, b: xp, ldb: inputSize,
                beta: 0, c: dwp + k * outputSize * inputSize, ldc: inputSize)
            }
          }
        }
        if hasBias {
          for row in 0..<(count * batch) {
            let k = row / batch
            for o in 0..<outputSize { db[k * outputSize + o] += gp[row * outputSize + o] }
          }
        }
      }
      result.parameters = [S.makeTensor(shape: [count, outputSize, inputSize], elements: dw)]
      if hasBias {
        result.parameters.append(S.makeTensor(shape: [count, outputSize], elements: db))
      }
    }
    return result
  }
}
