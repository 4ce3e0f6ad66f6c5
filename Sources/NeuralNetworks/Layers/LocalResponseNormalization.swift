import Tensors

/// Local response normalisation across channels, exactly as PyTorch `nn.LocalResponseNorm`.
///
/// Input and output `[N, C, …]` (at least one dimension after the channels; AlexNet uses
/// `[N, C, H, W]`). With `n = size`, every position is divided by a power of the mean square
/// over a window of `n` neighbouring channels:
///
/// `s_c = k + α/n · Σ_{c' = c − ⌊n/2⌋}^{c + ⌊(n−1)/2⌋} a_{c'}²`,  `b_c = a_c · s_c^(−β)`,
///
/// where channels outside `0..<C` count as zero and the divisor is always `n`, also at the
/// borders (PyTorch zero-pads and average-pools the squares). For even `n` the window reaches
/// one channel further down than up.
///
/// The backward pass is hand-written: with `t_c = ∂b_c · a_c · s_c^(−β−1) = ∂b_c · b_c / s_c`,
///
/// `∂a_j = ∂b_j · s_j^(−β) − (2αβ/n) · a_j · Σ_{c: j ∈ window(c)} t_c`,
///
/// and `j ∈ window(c)` exactly when `j − ⌊(n−1)/2⌋ ≤ c ≤ j + ⌊n/2⌋`. A recorded forward pass
/// caches `s` (`[N, C, …]`, the input's element type).
///
/// Reference: Krizhevsky, Sutskever & Hinton, "ImageNet Classification with Deep
/// Convolutional Neural Networks", NeurIPS 2012 (section 3.3); PyTorch
/// `torch.nn.functional.local_response_norm`.
public struct LocalResponseNormalization: Layer {
  /// `n`, the number of channels in each window.
  public let size: Int
  /// `α`, the scale of the mean square.
  public let alpha: Double
  /// `β`, the exponent.
  public let beta: Double
  /// `k`, the additive constant.
  public let k: Double

  /// Creates a local response normalisation layer (PyTorch defaults).
  ///
  /// - Parameters:
  ///   - size: `n` ≥ 1, the channels in each window (AlexNet: 5).
  ///   - alpha: `α` (PyTorch default 1e-4).
  ///   - beta: `β` (PyTorch default 0.75).
  ///   - k: `k` (PyTorch default 1; AlexNet uses 2).
  public init(size: Int, alpha: Double = 1e-4, beta: Double = 0.75, k: Double = 1) {
    precondition(size >= 1, "LocalResponseNormalization: size \(size) must be at least 1")
    self.size = size
    self.alpha = alpha
    self.beta = beta
    self.k = k
  }

  /// The kind name used in summaries.
  public var kind: String { "lrn" }

  /// The per-sample output shape.
  ///
  /// - Parameter inputShapes: Per-sample input shapes.
  /// - Returns: The output shape.
  /// - Throws: ``NetworkShapeError`` naming the expected and found shapes.
  public func outputShape(for inputShapes: [[Int]]) throws(NetworkShapeError) -> [Int] {
    let shape = inputShapes[0]
    guard shape.count >= 2, shape[0] > 0 else {
      throw NetworkShapeError("expected input [C, …] with at least 2 dimensions, found \(shape)")
    }
    return shape
  }

  /// Multiply–accumulates per sample.
  ///
  /// - Parameter inputShapes: Per-sample input shapes.
  /// - Returns: The count (one per element and window channel).
  public func multiplyAccumulates(for inputShapes: [[Int]]) -> Int {
    inputShapes[0].reduce(1, *) * size
  }

  /// Runs the layer on a batch (see ``Layer/forward(inputs:parameters:buffers:context:)``).
  ///
  /// - Parameters:
  ///   - inputs: Batched inputs.
  ///   - parameters: Parameters in spec order.
  ///   - buffers: Buffers in spec order.
  ///   - context: Mode, recording flag and dropout generator.
  /// - Returns: The output and the backward cache (`s` when recording).
  public func forward(
    inputs: [Tensor], parameters: [Tensor], buffers: inout [Tensor], context: inout ForwardContext
  ) -> (output: Tensor, cache: LayerCache) {
    let x = inputs[0]
    let (output, scale): (Tensor, Tensor)
    switch x.elementType {
    case .float32: (output, scale) = forward(Float.self, x)
    case .float64: (output, scale) = forward(Double.self, x)
    }
    return (output, context.isRecording ? LayerCache(tensors: [scale]) : .empty)
  }

  /// `s` for every element of `x` (`[N, C, P]` flattened), written to `scale`.
  private func computeScale<S: EngineScalar>(
    _ x: UnsafePointer<S>, batch: Int, channels: Int, spatial: Int,
    into scale: UnsafeMutablePointer<S>
  ) {
    let (below, above) = (size / 2, (size - 1) / 2)
    let (coefficient, offset) = (S(alpha), S(k))
    let divisor = S(size)
    var squares = ContiguousArray<S>(repeating: 0, count: channels * spatial)
    squares.withMutablePointer { q in
      for n in 0..<batch {
        let sample = x + n * channels * spatial
        for i in 0..<(channels * spatial) { q[i] = sample[i] * sample[i] }
        for c in 0..<channels {
          let target = scale + (n * channels + c) * spatial
          target.update(repeating: 0, count: spatial)
          for neighbour in max(0, c - below)...min(channels - 1, c + above) {
            let plane = q + neighbour * spatial
            for p in 0..<spatial { target[p] += plane[p] }
          }
          // PyTorch's order: average, times α, plus k.
          for p in 0..<spatial { target[p] = target[p] / divisor * coefficient + offset }
        }
      }
    }
  }

  private func forward<S: EngineScalar>(_: S.Type, _ x: Tensor) -> (Tensor, Tensor) {
    let (batch, channels) = (x.shape[0], x.shape[1])
    let spatial = x.count / max(1, batch * channels)
    let input = S.elements(of: x)
    var scale = ContiguousArray<S>(repeating: 0, count: x.count)
    var output = ContiguousArray<S>(repeating: 0, count: x.count)
    let exponent = S(beta)
    let sampleSize = channels * spatial
    input.withPointer { xp in
      scale.withMutablePointer { sp in
        output.withMutablePointer { yp in
          nonisolated(unsafe) let (scales, outputs) = (sp, yp)
          // Samples are independent: split them over the engine's workers.
          Workers.split(batch, workers: Workers.count) { _, samples in
            let first = samples.lowerBound * sampleSize
            let (s, y, x) = (scales + first, outputs + first, xp + first)
            computeScale(x, batch: samples.count, channels: channels, spatial: spatial, into: s)
            let count = samples.count * sampleSize
            if beta == 0.75 {
              // s^0.75 = √s · √√s: two square roots (vectorised, correctly rounded) instead
              // of a libm power per element (AlexNet's β).
              for i in 0..<count {
                let root = s[i].squareRoot()
                y[i] = x[i] / (root * root.squareRoot())
              }
            } else {
              for i in 0..<count { y[i] = x[i] / S.power(s[i], exponent) }
            }
          }
        }
      }
    }
    return (
      S.makeTensor(shape: x.shape, elements: output), S.makeTensor(shape: x.shape, elements: scale)
    )
  }

  /// Propagates output cotangents to the inputs and parameters.
  ///
  /// - Parameter request: Gradients, forward values and what is needed.
  /// - Returns: The requested gradients.
  public func backward(_ request: BackwardRequest) -> LayerGradients {
    guard request.inputGradientsNeeded[0] else { return LayerGradients(inputs: [nil]) }
    switch request.inputs[0].elementType {
    case .float32: return LayerGradients(inputs: [backward(Float.self, request)])
    case .float64: return LayerGradients(inputs: [backward(Double.self, request)])
    }
  }

  private func backward<S: EngineScalar>(_: S.Type, _ request: BackwardRequest) -> Tensor {
    let x = request.inputs[0]
    let (batch, count) = (request.batchSize, request.cotangentCount)
    let channels = x.shape[1]
    let spatial = x.count / max(1, batch * channels)
    let sampleSize = channels * spatial
    let (below, above) = (size / 2, (size - 1) / 2)
    let input = S.elements(of: x)
    let output = S.elements(of: request.output)
    let dy = S.elements(of: request.outputGradient)
    var scale: ContiguousArray<S>
    if let cached = request.cache.tensors.first, cached.count == x.count {
      scale = S.elements(of: cached)
    } else {
      scale = ContiguousArray(repeating: 0, count: x.count)
      input.withPointer { xp in
        scale.withMutablePointer { sp in
          computeScale(xp, batch: batch, channels: channels, spatial: spatial, into: sp)
        }
      }
    }
    let exponent = S(beta)
    let factor = S(2 * alpha * beta / Double(size))
    var dx = ContiguousArray<S>(repeating: 0, count: dy.count)
    // Per sample: s^(−β) (shared by the K cotangents) and the scratch t = ∂b · b / s.
    var inversePower = ContiguousArray<S>(repeating: 0, count: sampleSize)
    var terms = ContiguousArray<S>(repeating: 0, count: sampleSize)
    input.withPointer { xp in
      output.withPointer { yp in
        scale.withPointer { sp in
          dy.withPointer { gp in
            dx.withMutablePointer { dxp in
              inversePower.withMutablePointer { ip in
                terms.withMutablePointer { tp in
                  for n in 0..<batch {
                    let (xs, ys, ss) = (
                      xp + n * sampleSize, yp + n * sampleSize, sp + n * sampleSize
                    )
                    if beta == 0.75 {
                      for i in 0..<sampleSize {
                        let root = ss[i].squareRoot()
                        ip[i] = 1 / (root * root.squareRoot())
                      }
                    } else {
                      for i in 0..<sampleSize { ip[i] = 1 / S.power(ss[i], exponent) }
                    }
                    for cotangent in 0..<count {
                      let b = cotangent * batch + n
                      let (g, target) = (gp + b * sampleSize, dxp + b * sampleSize)
                      for i in 0..<sampleSize { tp[i] = g[i] * ys[i] / ss[i] }
                      for j in 0..<channels {
                        let row = target + j * spatial
                        let (xRow, gRow, iRow) = (
                          xs + j * spatial, g + j * spatial, ip + j * spatial
                        )
                        // Σ t_c over the channels c whose window contains j.
                        for p in 0..<spatial { row[p] = 0 }
                        for c in max(0, j - above)...min(channels - 1, j + below) {
                          let termRow = tp + c * spatial
                          for p in 0..<spatial { row[p] += termRow[p] }
                        }
                        for p in 0..<spatial {
                          row[p] = gRow[p] * iRow[p] - factor * xRow[p] * row[p]
                        }
                      }
                    }
                  }
                }
              }
            }
          }
        }
      }
    }
    return S.makeTensor(shape: request.outputGradient.shape, elements: dx)
  }
}
