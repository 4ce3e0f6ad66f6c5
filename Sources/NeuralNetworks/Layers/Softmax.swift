import Tensors

/// Softmax or log-softmax over the class dimension of `[N, C]` logits.
///
/// `softmax(z)_k = exp(z_k − max z) / Σ_j exp(z_j − max z)` (METHODS §0);
/// `logSoftmax(z)_k = z_k − max z − log Σ_j exp(z_j − max z)`.
public struct Softmax: Layer {
  /// Whether the layer returns log-probabilities.
  public let isLogarithmic: Bool

  /// Creates a softmax layer.
  ///
  /// - Parameter logarithmic: Return `log softmax` instead of `softmax`.
  public init(logarithmic: Bool = false) { isLogarithmic = logarithmic }

  /// The kind name used in summaries.
  public var kind: String { isLogarithmic ? "log_softmax" : "softmax" }

  /// The per-sample output shape.
  ///
  /// - Parameter inputShapes: Per-sample input shapes.
  /// - Returns: The output shape.
  /// - Throws: ``NetworkShapeError`` naming the expected and found shapes.
  public func outputShape(for inputShapes: [[Int]]) throws(NetworkShapeError) -> [Int] {
    guard inputShapes[0].count == 1 else {
      throw NetworkShapeError("expected input [C], found \(inputShapes[0])")
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
    switch inputs[0].elementType {
    case .float32:
      (Probabilities.softmax(Float.self, inputs[0], logarithmic: isLogarithmic), .empty)
    case .float64:
      (Probabilities.softmax(Double.self, inputs[0], logarithmic: isLogarithmic), .empty)
    }
  }

  /// Propagates output cotangents to the inputs and parameters.
  ///
  /// - Parameter request: Gradients, forward values and what is needed.
  /// - Returns: The requested gradients.
  public func backward(_ request: BackwardRequest) -> LayerGradients {
    switch request.output.elementType {
    case .float32: LayerGradients(inputs: [backward(Float.self, request)])
    case .float64: LayerGradients(inputs: [backward(Double.self, request)])
    }
  }

  private func backward<S: EngineScalar>(_: S.Type, _ request: BackwardRequest) -> Tensor {
    let (batch, classes) = (request.batchSize, request.output.shape[1])
    var gradient = S.elements(of: request.outputGradient)
    let output = S.elements(of: request.output)
    let rows = gradient.count / max(1, classes)
    gradient.withMutablePointer { g in
      output.withPointer { y in
        for row in 0..<rows {
          let gRow = g + row * classes
          let yRow = y + (row % batch) * classes
          if isLogarithmic {
            // ∂z_k = g_k − softmax_k · Σ_j g_j, with softmax = exp(log softmax).
            var total: S = 0
            for k in 0..<classes { total += gRow[k] }
            for k in 0..<classes { gRow[k] -= S.exponential(yRow[k]) * total }
          } else {
            // ∂z_k = p_k (g_k − Σ_j g_j p_j).
            var dot: S = 0
            for k in 0..<classes { dot += gRow[k] * yRow[k] }
            for k in 0..<classes { gRow[k] = yRow[k] * (gRow[k] - dot) }
          }
        }
      }
    }
    return S.makeTensor(shape: request.outputGradient.shape, elements: gradient)
  }
}

extension Softmax {
  /// Softmax (or log-softmax) of `[N, C]` logits, row by row.
  ///
  /// - Parameters:
  ///   - logits: `[N, C]`, Float32 or Float64.
  ///   - logarithmic: Return log-probabilities.
  /// - Returns: `[N, C]` of the same element type.
  public static func probabilities(_ logits: Tensor, logarithmic: Bool = false) -> Tensor {
    precondition(logits.rank == 2, "Softmax.probabilities: expected [N, C], got \(logits.shape)")
    switch logits.elementType {
    case .float32: return Probabilities.softmax(Float.self, logits, logarithmic: logarithmic)
    case .float64: return Probabilities.softmax(Double.self, logits, logarithmic: logarithmic)
    }
  }
}

/// Numerically stable softmax of `[N, C]` rows.
enum Probabilities {
  static func softmax<S: EngineScalar>(_: S.Type, _ logits: Tensor, logarithmic: Bool) -> Tensor {
    let classes = logits.shape[1]
    var values = S.elements(of: logits)
    values.withMutablePointer { p in
      for row in 0..<(logits.count / max(1, classes)) {
        let z = p + row * classes
        var largest = -S.infinity
        for k in 0..<classes { largest = max(largest, z[k]) }
        var total: S = 0
        for k in 0..<classes { total += S.exponential(z[k] - largest) }
        if logarithmic {
          let shift = largest + S.logarithm(total)
          for k in 0..<classes { z[k] -= shift }
        } else {
          for k in 0..<classes { z[k] = S.exponential(z[k] - largest) / total }
        }
      }
    }
    return S.makeTensor(shape: logits.shape, elements: values)
  }
}
