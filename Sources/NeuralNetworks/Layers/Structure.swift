import Tensors

/// Flattens each sample to one dimension (`[N, C, H, W]` → `[N, C·H·W]`, row-major).
public struct Flatten: Layer {
  /// Creates a flatten layer.
  public init() {}

  /// The kind name used in summaries.
  public var kind: String { "flatten" }

  /// The per-sample output shape.
  ///
  /// - Parameter inputShapes: Per-sample input shapes.
  /// - Returns: The output shape.
  /// - Throws: ``NetworkShapeError`` naming the expected and found shapes.
  public func outputShape(for inputShapes: [[Int]]) throws(NetworkShapeError) -> [Int] {
    [inputShapes[0].reduce(1, *)]
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
    return (x.reshaped(to: [x.shape[0], x.count / max(1, x.shape[0])]), .empty)
  }

  /// Propagates output cotangents to the inputs and parameters.
  ///
  /// - Parameter request: Gradients, forward values and what is needed.
  /// - Returns: The requested gradients.
  public func backward(_ request: BackwardRequest) -> LayerGradients {
    let g = request.outputGradient
    return LayerGradients(
      inputs: [g.reshaped(to: [g.shape[0]] + request.inputs[0].shape.dropFirst())])
  }
}

/// Element-wise sum of two or more inputs of one shape (residual connections).
public struct Add: Layer {
  /// Whether a ReLU is applied to the sum inside the layer (set by
  /// ``Network/foldedForInference()``; the backward pass masks by the output).
  public internal(set) var appliesReLU = false

  /// Creates an addition.
  public init() {}

  /// The kind name used in summaries.
  public var kind: String { appliesReLU ? "add+relu" : "add" }
  /// The accepted number of inputs.
  public var inputArity: ClosedRange<Int> { 2...Int.max }

  /// The per-sample output shape.
  ///
  /// - Parameter inputShapes: Per-sample input shapes.
  /// - Returns: The output shape.
  /// - Throws: ``NetworkShapeError`` naming the expected and found shapes.
  public func outputShape(for inputShapes: [[Int]]) throws(NetworkShapeError) -> [Int] {
    for shape in inputShapes.dropFirst() where shape != inputShapes[0] {
      throw NetworkShapeError("cannot add \(inputShapes[0]) and \(shape)")
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
    case .float32: (Elementwise.sum(Float.self, inputs, rectified: appliesReLU), .empty)
    case .float64: (Elementwise.sum(Double.self, inputs, rectified: appliesReLU), .empty)
    }
  }

  /// Propagates output cotangents to the inputs and parameters.
  ///
  /// - Parameter request: Gradients, forward values and what is needed.
  /// - Returns: The requested gradients.
  public func backward(_ request: BackwardRequest) -> LayerGradients {
    let gradient = appliesReLU ? ReLU.masked(request) : request.outputGradient
    return LayerGradients(inputs: request.inputGradientsNeeded.map { $0 ? gradient : nil })
  }
}

/// Concatenation along the channel dimension (dimension 1 of `[N, C, …]`), as in inception
/// modules.
public struct Concatenate: Layer {
  /// Creates a channel concatenation.
  public init() {}

  /// The kind name used in summaries.
  public var kind: String { "concat" }
  /// The accepted number of inputs.
  public var inputArity: ClosedRange<Int> { 1...Int.max }

  /// The per-sample output shape.
  ///
  /// - Parameter inputShapes: Per-sample input shapes.
  /// - Returns: The output shape.
  /// - Throws: ``NetworkShapeError`` naming the expected and found shapes.
  public func outputShape(for inputShapes: [[Int]]) throws(NetworkShapeError) -> [Int] {
    let first = inputShapes[0]
    guard !first.isEmpty else { throw NetworkShapeError("cannot concatenate scalars") }
    for shape in inputShapes.dropFirst()
    where shape.count != first.count || shape.dropFirst() != first.dropFirst() {
      throw NetworkShapeError("cannot concatenate \(first) and \(shape) along channels")
    }
    return [inputShapes.reduce(0) { $0 + $1[0] }] + first.dropFirst()
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
    case .float32: (Self.concatenate(Float.self, inputs), .empty)
    case .float64: (Self.concatenate(Double.self, inputs), .empty)
    }
  }

  private static func concatenate<S: EngineScalar>(_: S.Type, _ inputs: [Tensor]) -> Tensor {
    let rows = inputs[0].shape[0]
    let sizes = inputs.map { $0.count / max(1, rows) }
    let total = sizes.reduce(0, +)
    var output = ContiguousArray<S>(repeating: 0, count: rows * total)
    output.withMutablePointer { y in
      var offset = 0
      for (input, size) in zip(inputs, sizes) {
        S.elements(of: input).withPointer { x in
          for n in 0..<rows { (y + n * total + offset).update(from: x + n * size, count: size) }
        }
        offset += size
      }
    }
    let shape = [rows, inputs.reduce(0) { $0 + $1.shape[1] }] + inputs[0].shape.dropFirst(2)
    return S.makeTensor(shape: shape, elements: output)
  }

  /// Propagates output cotangents to the inputs and parameters.
  ///
  /// - Parameter request: Gradients, forward values and what is needed.
  /// - Returns: The requested gradients.
  public func backward(_ request: BackwardRequest) -> LayerGradients {
    switch request.output.elementType {
    case .float32: Self.split(Float.self, request)
    case .float64: Self.split(Double.self, request)
    }
  }

  private static func split<S: EngineScalar>(_: S.Type, _ request: BackwardRequest)
    -> LayerGradients
  {
    let rows = request.outputGradient.shape[0]
    let batch = request.batchSize
    let sizes = request.inputs.map { $0.count / max(1, batch) }
    let total = sizes.reduce(0, +)
    let gradient = S.elements(of: request.outputGradient)
    var offset = 0
    var result: [Tensor?] = []
    for (slot, input) in request.inputs.enumerated() {
      let size = sizes[slot]
      defer { offset += size }
      guard request.inputGradientsNeeded[slot] else {
        result.append(nil)
        continue
      }
      var part = ContiguousArray<S>(repeating: 0, count: rows * size)
      part.withMutablePointer { p in
        gradient.withPointer { g in
          for n in 0..<rows { (p + n * size).update(from: g + n * total + offset, count: size) }
        }
      }
      result.append(S.makeTensor(shape: [rows] + input.shape.dropFirst(), elements: part))
    }
    return LayerGradients(inputs: result)
  }
}
