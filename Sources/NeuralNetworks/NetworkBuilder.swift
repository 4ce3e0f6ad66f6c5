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

  /// The output of the most recently added node, or the input before any node is added
  /// (architectures start here, after an optional input normalisation).
  public var last: Value {
    nodes.isEmpty
      ? input : Value(index: nodes.count - 1, shape: nodes[nodes.count - 1].outputShape)
  }

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

  /// The path and shape of every parameter and buffer, in definition order, without
  /// allocating them.
  ///
  /// - Returns: Paths and shapes (parameters and buffers of each node, node by node).
  /// - Throws: ``NetworkShapeError`` for the first shape or naming problem.
  public func tensorShapes() throws(NetworkShapeError) -> [(path: String, shape: [Int])] {
    if let failure { throw failure }
    return nodes.flatMap { node in
      zip(node.parameterPaths, node.layer.parameterSpecs.map(\.shape)).map { ($0, $1) }
        + zip(node.bufferPaths, node.layer.bufferSpecs.map(\.shape)).map { ($0, $1) }
    }
  }

  /// Multiply–accumulates of one forward pass of one sample.
  ///
  /// - Returns: The sum over the nodes added so far.
  /// - Throws: ``NetworkShapeError`` for the first shape or naming problem.
  public func multiplyAccumulates() throws(NetworkShapeError) -> Int {
    if let failure { throw failure }
    return nodes.reduce(0) { total, node in
      total
        + node.layer.multiplyAccumulates(
          for: node.inputs.map { $0 == Network.inputNode ? inputShape : nodes[$0].outputShape })
    }
  }

  /// Finishes the network (the last node added is the output) with fresh parameters.
  ///
  /// Parameters are initialised as PyTorch initialises each layer, from one seeded generator
  /// advanced in node order, so a seed fixes the network. Without a seed the parameters are
  /// zero (for networks whose weights are loaded next); buffers always start at their
  /// defaults.
  ///
  /// - Parameter seed: The initialisation seed, or `nil` for zero parameters.
  /// - Returns: A Float32 network.
  /// - Throws: ``NetworkShapeError`` for the first shape or naming problem.
  public func build(seed: UInt64? = 0) throws(NetworkShapeError) -> Network {
    if let failure { throw failure }
    guard !nodes.isEmpty else { throw NetworkShapeError("the network has no layers") }
    var random = RandomGenerator(seed: seed ?? 0)
    var parameters: [String: Tensor] = [:]
    var buffers: [String: Tensor] = [:]
    for node in nodes {
      let values =
        seed == nil
        ? node.layer.parameterSpecs.map { Tensor(zeros: $0.shape) }
        : node.layer.initialParameters(random: &random)
      for (path, value) in zip(node.parameterPaths, values) {
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
