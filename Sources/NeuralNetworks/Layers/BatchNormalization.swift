import Tensors

/// Batch normalisation over the channel dimension of `[N, C, …]` (PyTorch `BatchNorm1d/2d`).
///
/// Training mode normalises with the batch mean and biased variance over `N` and the spatial
/// positions and updates the running statistics,
/// `running ← (1 − momentum) · running + momentum · batch` (variance unbiased, `M/(M−1)`), and
/// `num_batches_tracked += 1`. Inference mode uses the running statistics. Parameters `weight`
/// (γ) and `bias` (β), `[C]`; buffers `running_mean`, `running_var` (`[C]`) and
/// `num_batches_tracked` (`[]`).
///
/// Reference: Ioffe & Szegedy, "Batch Normalization", ICML 2015 (arXiv:1502.03167).
public struct BatchNormalization: Layer {
  /// `C`.
  public let channels: Int
  /// ε added to the variance.
  public let epsilon: Double
  /// The running-average factor.
  public let momentum: Double

  /// Creates a batch-norm layer.
  ///
  /// - Parameters:
  ///   - channels: `C`.
  ///   - epsilon: ε (PyTorch default 1e-5; torchvision Inception uses 1e-3).
  ///   - momentum: Running-average factor (PyTorch default 0.1).
  public init(channels: Int, epsilon: Double = 1e-5, momentum: Double = 0.1) {
    precondition(channels > 0 && epsilon >= 0, "BatchNormalization: channels > 0, epsilon ≥ 0")
    self.channels = channels
    self.epsilon = epsilon
    self.momentum = momentum
  }

  /// The kind name used in summaries.
  public var kind: String { "batchnorm" }

  /// The trainable tensors, in checkpoint order (see the type's documentation).
  public var parameterSpecs: [ParameterSpec] {
    [ParameterSpec("weight", [channels]), ParameterSpec("bias", [channels])]
  }

  /// The state tensors, in checkpoint order (see the type's documentation).
  public var bufferSpecs: [ParameterSpec] {
    [
      ParameterSpec("running_mean", [channels]), ParameterSpec("running_var", [channels]),
      ParameterSpec("num_batches_tracked", []),
    ]
  }

  /// The per-sample output shape.
  ///
  /// - Parameter inputShapes: Per-sample input shapes.
  /// - Returns: The output shape.
  /// - Throws: ``NetworkShapeError`` naming the expected and found shapes.
  public func outputShape(for inputShapes: [[Int]]) throws(NetworkShapeError) -> [Int] {
    guard inputShapes[0].count >= 1, inputShapes[0][0] == channels else {
      throw NetworkShapeError("expected input [\(channels), …], found \(inputShapes[0])")
    }
    return inputShapes[0]
  }

  /// Multiply–accumulates per sample.
  ///
  /// - Parameter inputShapes: Per-sample input shapes.
  /// - Returns: The count.
  public func multiplyAccumulates(for inputShapes: [[Int]]) -> Int {
    inputShapes[0].reduce(1, *)
  }

  /// Fresh parameters, initialised as PyTorch does.
  ///
  /// - Parameter random: The generator, advanced in spec order.
  /// - Returns: The parameters in spec order.
  public func initialParameters(random: inout RandomGenerator) -> [Tensor] {
    [Tensor(repeating: 1, shape: [channels]), Tensor(zeros: [channels])]
  }

  /// Fresh buffers.
  ///
  /// - Returns: The buffers in spec order.
  public func initialBuffers() -> [Tensor] {
    [Tensor(zeros: [channels]), Tensor(repeating: 1, shape: [channels]), Tensor(zeros: [])]
  }

  /// The per-channel scale `γ/√(var + ε)` and shift `β − mean · scale` of inference mode.
  ///
  /// - Parameters:
  ///   - parameters: `[weight, bias]`.
  ///   - buffers: `[running_mean, running_var, num_batches_tracked]`.
  /// - Returns: Scale and shift, Double, `[C]` each.
  public func inferenceAffine(parameters: [Tensor], buffers: [Tensor]) -> (
    scale: [Double], shift: [Double]
  ) {
    let (gamma, beta) = (parameters[0].doubles, parameters[1].doubles)
    let (mean, variance) = (buffers[0].doubles, buffers[1].doubles)
    let scale = (0..<channels).map { gamma[$0] / (variance[$0] + epsilon).squareRoot() }
    let shift = (0..<channels).map { beta[$0] - mean[$0] * scale[$0] }
    return (scale, shift)
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
    case .float32: forward(Float.self, inputs[0], parameters, &buffers, context)
    case .float64: forward(Double.self, inputs[0], parameters, &buffers, context)
    }
  }

  private func forward<S: EngineScalar>(
    _: S.Type, _ x: Tensor, _ parameters: [Tensor], _ buffers: inout [Tensor],
    _ context: ForwardContext
  ) -> (output: Tensor, cache: LayerCache) {
    let batch = x.shape[0]
    let spatial = x.count / max(1, batch * channels)
    let values = S.elements(of: x)
    var mean = [Double](repeating: 0, count: channels)
    var inverseDeviation = [Double](repeating: 0, count: channels)
    var cache = LayerCache.empty
    if context.mode == .training {
      let samples = batch * spatial
      precondition(
        samples > 1,
        "BatchNormalization: training mode needs more than one value per channel "
          + "(input \(x.shape))")
      var runningMean = buffers[0].doubles
      var runningVariance = buffers[1].doubles
      values.withPointer { p in
        for c in 0..<channels {
          var total = 0.0
          for n in 0..<batch {
            let plane = p + (n * channels + c) * spatial
            for i in 0..<spatial { total += Double(plane[i]) }
          }
          let m = total / Double(samples)
          var squares = 0.0
          for n in 0..<batch {
            let plane = p + (n * channels + c) * spatial
            for i in 0..<spatial {
              let d = Double(plane[i]) - m
              squares += d * d
            }
          }
          let variance = squares / Double(samples)
          mean[c] = m
          inverseDeviation[c] = 1 / (variance + epsilon).squareRoot()
          runningMean[c] = (1 - momentum) * runningMean[c] + momentum * m
          runningVariance[c] =
            (1 - momentum) * runningVariance[c]
            + momentum * variance * Double(samples) / Double(samples - 1)
        }
      }
      let type = x.elementType
      buffers[0] = Tensor(shape: [channels], float64Scalars: runningMean).converted(to: type)
      buffers[1] = Tensor(shape: [channels], float64Scalars: runningVariance).converted(to: type)
      buffers[2] = Tensor(
        shape: [], float64Scalars: [buffers[2].doubles[0] + 1]
      ).converted(to: type)
      cache.tensors = [
        Tensor(shape: [channels], float64Scalars: mean),
        Tensor(shape: [channels], float64Scalars: inverseDeviation),
      ]
    } else {
      mean = buffers[0].doubles
      inverseDeviation = buffers[1].doubles.map { 1 / ($0 + epsilon).squareRoot() }
    }
    let (gamma, beta) = (parameters[0].doubles, parameters[1].doubles)
    var output = values
    output.withMutablePointer { p in
      for c in 0..<channels {
        let scale = S(gamma[c] * inverseDeviation[c])
        let shift = S(beta[c] - mean[c] * gamma[c] * inverseDeviation[c])
        for n in 0..<batch {
          let plane = p + (n * channels + c) * spatial
          for i in 0..<spatial { plane[i] = plane[i] * scale + shift }
        }
      }
    }
    return (S.makeTensor(shape: x.shape, elements: output), cache)
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
    let x = request.inputs[0]
    let (batch, count) = (request.batchSize, request.cotangentCount)
    let spatial = x.count / max(1, batch * channels)
    let samples = Double(batch * spatial)
    let isTraining = request.mode == .training
    let mean: [Double]
    let inverseDeviation: [Double]
    if isTraining {
      mean = request.cache.tensors[0].doubles
      inverseDeviation = request.cache.tensors[1].doubles
    } else {
      mean = request.buffers[0].doubles
      inverseDeviation = request.buffers[1].doubles.map { 1 / ($0 + epsilon).squareRoot() }
    }
    let gamma = request.parameters[0].doubles
    let values = S.elements(of: x)
    let dy = S.elements(of: request.outputGradient)
    var dx = ContiguousArray<S>(
      repeating: 0, count: request.inputGradientsNeeded[0] ? dy.count : 0)
    var dGamma = [Double](repeating: 0, count: count * channels)
    var dBeta = [Double](repeating: 0, count: count * channels)
    values.withPointer { xp in
      dy.withPointer { gp in
        dx.withMutablePointer { dxp in
          for k in 0..<count {
            for c in 0..<channels {
              // Σ ∂y and Σ ∂y · x̂ over the N samples of cotangent k.
              var sumGradient = 0.0
              var sumProduct = 0.0
              for n in 0..<batch {
                let plane = xp + (n * channels + c) * spatial
                let gradient = gp + ((k * batch + n) * channels + c) * spatial
                for i in 0..<spatial {
                  let g = Double(gradient[i])
                  sumGradient += g
                  sumProduct += g * (Double(plane[i]) - mean[c]) * inverseDeviation[c]
                }
              }
              dGamma[k * channels + c] = sumProduct
              dBeta[k * channels + c] = sumGradient
              guard request.inputGradientsNeeded[0] else { continue }
              let scale = gamma[c] * inverseDeviation[c]
              for n in 0..<batch {
                let plane = xp + (n * channels + c) * spatial
                let offset = ((k * batch + n) * channels + c) * spatial
                for i in 0..<spatial {
                  if isTraining {
                    // ∂x = γ σ⁻¹ / M · (M ∂y − Σ∂y − x̂ Σ(∂y x̂)).
                    let normalized = (Double(plane[i]) - mean[c]) * inverseDeviation[c]
                    dxp[offset + i] = S(
                      scale
                        * (Double(gp[offset + i]) - sumGradient / samples - normalized
                          * sumProduct / samples))
                  } else {
                    dxp[offset + i] = S(scale) * gp[offset + i]
                  }
                }
              }
            }
          }
        }
      }
    }
    var result = LayerGradients(
      inputs: [
        request.inputGradientsNeeded[0]
          ? S.makeTensor(shape: request.outputGradient.shape, elements: dx) : nil
      ])
    if request.parameterGradientsNeeded {
      result.parameters = [
        Tensor(shape: [count, channels], float64Scalars: dGamma).converted(to: S.elementType),
        Tensor(shape: [count, channels], float64Scalars: dBeta).converted(to: S.elementType),
      ]
    }
    return result
  }
}
