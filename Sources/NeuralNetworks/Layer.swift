import Tensors

/// Training or inference behaviour of the layers that differ (batch norm, dropout).
public enum NetworkMode: String, Sendable, Hashable {
  /// Batch statistics, running-statistics updates, random dropout.
  case training
  /// Running statistics, dropout off. The mode of every analysis.
  case inference
}

/// One named tensor a layer owns: a trainable parameter or a state buffer.
public struct ParameterSpec: Sendable, Hashable {
  /// The local name (`weight`, `bias`, `running_mean`), appended to the node name with a dot.
  public let name: String
  /// The tensor's shape.
  public let shape: [Int]

  /// Creates a spec.
  ///
  /// - Parameters:
  ///   - name: The local name.
  ///   - shape: The shape.
  public init(_ name: String, _ shape: [Int]) {
    self.name = name
    self.shape = shape
  }
}

/// What a layer keeps from its forward pass for its backward pass.
public struct LayerCache: Sendable {
  /// Saved tensors, whose meaning each layer defines (batch statistics, a dropout mask).
  public var tensors: [Tensor]
  /// Saved integer indices, such as the argmax offsets of max pooling.
  public var indices: ContiguousArray<Int32>

  /// Creates a cache.
  ///
  /// - Parameters:
  ///   - tensors: Saved tensors.
  ///   - indices: Saved indices.
  public init(tensors: [Tensor] = [], indices: ContiguousArray<Int32> = []) {
    self.tensors = tensors
    self.indices = indices
  }

  /// An empty cache.
  public static let empty = LayerCache()
}

/// The per-call state of a forward pass that layers may read or advance.
public struct ForwardContext: Sendable {
  /// Training or inference.
  public let mode: NetworkMode
  /// Whether the pass is recorded for a backward pass (layers then fill their cache).
  public let isRecording: Bool
  /// The generator for dropout masks, advanced in node order (deterministic for a seed).
  public var random: RandomGenerator

  /// Creates a context.
  ///
  /// - Parameters:
  ///   - mode: Training or inference.
  ///   - isRecording: Whether a backward pass follows.
  ///   - random: The dropout generator.
  public init(mode: NetworkMode, isRecording: Bool, random: RandomGenerator) {
    self.mode = mode
    self.isRecording = isRecording
    self.random = random
  }
}

/// Everything a layer's backward pass receives.
///
/// The output gradient may carry `K` cotangents per sample: its leading extent is `K · N`,
/// cotangent `k` of sample `n` at row `k · N + n`, while `inputs` and `output` have `N` rows.
/// Input gradients then have `K · N` rows in the same order, and parameter gradients have shape
/// `[K] + shape` (the sum over the `N` samples, separately for each `k`).
public struct BackwardRequest: Sendable {
  /// `∂L/∂output`, shape `[K · N, …]`.
  public let outputGradient: Tensor
  /// The forward inputs, each `[N, …]`.
  public let inputs: [Tensor]
  /// The forward output, `[N, …]`.
  public let output: Tensor
  /// The layer's parameters, in ``Layer/parameterSpecs`` order.
  public let parameters: [Tensor]
  /// The layer's buffers after the forward pass.
  public let buffers: [Tensor]
  /// The layer's forward cache.
  public let cache: LayerCache
  /// The mode of the forward pass.
  public let mode: NetworkMode
  /// Which inputs need a gradient.
  public let inputGradientsNeeded: [Bool]
  /// Whether parameter gradients are needed.
  public let parameterGradientsNeeded: Bool

  /// `K`, the number of cotangents per sample.
  public var cotangentCount: Int { outputGradient.shape[0] / max(1, output.shape[0]) }
  /// `N`, the forward batch size.
  public var batchSize: Int { output.shape[0] }
}

/// A layer's backward result.
public struct LayerGradients: Sendable {
  /// One entry per input: `∂L/∂input` (`[K · N, …]`), or `nil` where not needed.
  public var inputs: [Tensor?]
  /// One entry per parameter (`[K] + shape`), or empty when not needed.
  public var parameters: [Tensor]

  /// Creates a result.
  ///
  /// - Parameters:
  ///   - inputs: Input gradients.
  ///   - parameters: Parameter gradients.
  public init(inputs: [Tensor?], parameters: [Tensor] = []) {
    self.inputs = inputs
    self.parameters = parameters
  }
}

/// A shape problem found while building a network.
public struct NetworkShapeError: Error, Sendable, CustomStringConvertible {
  /// A one-line description naming the layer and the shapes.
  public let description: String

  /// Creates an error.
  ///
  /// - Parameter description: The one-line message.
  public init(_ description: String) { self.description = description }
}

/// One operation of a network graph, with its forward and hand-written backward pass.
///
/// A layer holds only hyper-parameters; its tensors live in the ``Network`` under dotted paths
/// (`<node name>.<spec name>`, the torchvision `state_dict` keys). Shapes are per sample: the
/// batch dimension is left out of ``outputShape(for:)`` and present in every tensor passed to
/// ``forward(inputs:parameters:buffers:context:)``. Every layer computes in the element type of
/// its input (Float32 in production, Float64 for finite-difference checks).
public protocol Layer: Sendable {
  /// A short type name for summaries (`conv2d`, `relu`).
  var kind: String { get }
  /// The trainable tensors, in checkpoint order.
  var parameterSpecs: [ParameterSpec] { get }
  /// The non-trainable state tensors (running statistics), in checkpoint order.
  var bufferSpecs: [ParameterSpec] { get }
  /// How many inputs the layer takes.
  var inputArity: ClosedRange<Int> { get }

  /// The per-sample output shape.
  ///
  /// - Parameter inputShapes: Per-sample input shapes (no batch dimension).
  /// - Returns: The output shape.
  /// - Throws: ``NetworkShapeError`` naming the expected and the found shape.
  func outputShape(for inputShapes: [[Int]]) throws(NetworkShapeError) -> [Int]

  /// Multiply–accumulate operations per sample of the forward pass.
  ///
  /// - Parameter inputShapes: Per-sample input shapes.
  /// - Returns: The count.
  func multiplyAccumulates(for inputShapes: [[Int]]) -> Int

  /// Fresh parameters (Float32) in ``parameterSpecs`` order, as PyTorch initialises the layer.
  ///
  /// - Parameter random: The generator, advanced in spec order.
  /// - Returns: The parameters.
  func initialParameters(random: inout RandomGenerator) -> [Tensor]

  /// Fresh buffers (Float32) in ``bufferSpecs`` order.
  ///
  /// - Returns: The buffers.
  func initialBuffers() -> [Tensor]

  /// Runs the layer on a batch.
  ///
  /// - Parameters:
  ///   - inputs: Batched inputs, all of one element type.
  ///   - parameters: The parameters in spec order (same element type).
  ///   - buffers: The buffers; training-mode layers may update them.
  ///   - context: Mode, recording flag and dropout generator.
  /// - Returns: The output and what the backward pass needs (empty unless recording).
  func forward(
    inputs: [Tensor], parameters: [Tensor], buffers: inout [Tensor], context: inout ForwardContext
  ) -> (output: Tensor, cache: LayerCache)

  /// Propagates output cotangents to the inputs and parameters.
  ///
  /// - Parameter request: Gradients, forward values and what is needed.
  /// - Returns: The requested gradients.
  func backward(_ request: BackwardRequest) -> LayerGradients
}

extension Layer {
  /// No trainable tensors.
  public var parameterSpecs: [ParameterSpec] { [] }
  /// No buffers.
  public var bufferSpecs: [ParameterSpec] { [] }
  /// One input.
  public var inputArity: ClosedRange<Int> { 1...1 }
  /// No multiply–accumulates.
  public func multiplyAccumulates(for inputShapes: [[Int]]) -> Int { 0 }
  /// No parameters.
  public func initialParameters(random: inout RandomGenerator) -> [Tensor] { [] }
  /// No buffers.
  public func initialBuffers() -> [Tensor] { [] }
}
