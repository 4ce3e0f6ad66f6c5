import Tensors

/// Builds a ``Network`` node by node, checking shapes as it goes.
///
/// ```swift
/// var builder = NetworkBuilder(inputShape: [3, 64, 64])
/// var x = builder.add(Convolution2D(inputChannels: 3, outputChannels: 16, kernelSize: 3,
///                                   padding: 1), name: "conv1", builder.input)
/// x = builder.add(ReLU(), x)
/// let network = try builder.build(seed: 0)
/// ```
///
/// The first shape problem is remembered and thrown by ``build(seed:)``, so architecture code
/// reads as a straight list of layers.
public struct NetworkBuilder: Sendable {
  /// A handle to a node's output while building.
  public struct Value: Sendable, Hashable {
    let index: Int
    let shape: [Int]
  }

  private var nodes: [Network.Node] = []
  private var names = Set<String>()
  private var failure: NetworkShapeError?
  private let inputShape: [Int]

  /// Starts a network with a per-sample input shape.
  ///
  /// - Parameter inputShape: e.g. `[3, 224, 224]`.
  public init(inputShape: [Int]) {
    self.inputShape = inputShape
  }

  /// The network input.
  public var input: Value { Value(index: Network.inputNode, shape: inputShape) }

  /// The per-sample shape of a value.
  ///
  /// - Parameter value: A value of this builder.
  /// - Returns: Its shape.
  public func shape(of value: Value) -> [Int] { value.shape }

  /// Appends a layer reading one value.
  ///
  /// - Parameters:
  ///   - layer: The operation.
  ///   - name: The node name (the prefix of its parameter paths); generated when `nil`.
  ///   - input: Its input.
  /// - Returns: The node's output.
  @discardableResult
  public mutating func add(_ layer: some Layer, name: String? = nil, _ input: Value) -> Value {
    add(layer, name: name, inputs: [input])
  }

  /// Appends a layer reading several values (add, concat).
  ///
  /// - Parameters:
  ///   - layer: The operation.
  ///   - name: The node name; generated when `nil`.
  ///   - inputs: Its inputs, in order.
  /// - Returns: The node's output.
  @discardableResult
  public mutating func add(_ layer: some Layer, name: String? = nil, inputs: [Value]) -> Value {
    let nodeName = name ?? "\(layer.kind)#\(nodes.count)"
    let shapes = inputs.map(\.shape)
    var outputShape: [Int] = []
    if failure == nil {
      if name == nil && !(layer.parameterSpecs.isEmpty && layer.bufferSpecs.isEmpty) {
        failure = NetworkShapeError("a \(layer.kind) layer has parameters and needs a name")
      } else if !names.insert(nodeName).inserted {
        failure = NetworkShapeError("node name '\(nodeName)' is used twice")
      } else if !layer.inputArity.contains(inputs.count) {
        failure = NetworkShapeError(
          "\(nodeName) (\(layer.kind)): takes \(layer.inputArity) inputs, got \(inputs.count)")
      } else {
        do {
          outputShape = try layer.outputShape(for: shapes)
        } catch {
          failure = NetworkShapeError("\(nodeName) (\(layer.kind)): \(error.description)")
        }
      }
    }
    let prefix = name.map { $0 + "." } ?? ""
    nodes.append(
      Network.Node(
        name: nodeName, layer: layer, inputs: inputs.map(\.index), outputShape: outputShape,
        parameterPaths: layer.parameterSpecs.map { prefix + $0.name },
        bufferPaths: layer.bufferSpecs.map { prefix + $0.name }))
    return Value(index: nodes.count - 1, shape: outputShape)
  }

  /// Finishes the network (the last node added is the output) with fresh parameters.
  ///
  /// Parameters are initialised as PyTorch initialises each layer, from one seeded generator
  /// advanced in node order, so a seed fixes the network.
  ///
  /// - Parameter seed: The initialisation seed.
  /// - Returns: A Float32 network.
  /// - Throws: ``NetworkShapeError`` for the first shape or naming problem.
  public func build(seed: UInt64 = 0) throws(NetworkShapeError) -> Network {
    if let failure { throw failure }
    guard !nodes.isEmpty else { throw NetworkShapeError("the network has no layers") }
    var random = RandomGenerator(seed: seed)
    var parameters: [String: Tensor] = [:]
    var buffers: [String: Tensor] = [:]
    for node in nodes {
      for (path, value) in zip(node.parameterPaths, node.layer.initialParameters(random: &random)) {
        parameters[path] = value
      }
      for (path, value) in zip(node.bufferPaths, node.layer.initialBuffers()) {
        buffers[path] = value
      }
    }
    return Network(
      inputShape: inputShape, nodes: nodes, parameters: parameters, buffers: buffers,
      elementType: .float32)
  }
}
