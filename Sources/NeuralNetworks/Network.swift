import Tensors

/// A feed-forward network: a directed acyclic graph of layers with named tensors.
///
/// Nodes are stored in topological order; node `i` reads the network input or the outputs of
/// earlier nodes, and the last node is the output (logits for classifiers). Parameters and
/// buffers are keyed by dotted paths `<node name>.<local name>` — for the torchvision-compatible
/// architectures these are exactly the `state_dict` keys, so a safetensors checkpoint exported
/// from PyTorch loads by name.
///
/// The network has one element type (Float32 for use, Float64 for finite-difference checks;
/// ``converted(to:)`` switches). Training and inference behaviour is chosen per call.
public struct Network: Sendable {
  /// One node: a layer, its name and the nodes it reads.
  public struct Node: Sendable {
    /// The unique node name (the prefix of its parameter paths).
    public let name: String
    /// The operation.
    public let layer: any Layer
    /// The nodes whose outputs are the inputs, in order; ``Network/inputNode`` is the network
    /// input.
    public let inputs: [Int]
    /// Per-sample output shape.
    public let outputShape: [Int]
    /// Full paths of the layer's parameters, in spec order.
    public let parameterPaths: [String]
    /// Full paths of the layer's buffers, in spec order.
    public let bufferPaths: [String]
  }

  /// The index that stands for the network input in ``Node/inputs``.
  public static let inputNode = -1

  /// Per-sample input shape, such as `[3, 224, 224]`.
  public let inputShape: [Int]
  /// The nodes in topological order; the last one is the output.
  public let nodes: [Node]
  /// Trainable tensors by path.
  public internal(set) var parameters: [String: Tensor]
  /// State tensors (running statistics, counters) by path.
  public internal(set) var buffers: [String: Tensor]
  /// Parameter paths in definition order (the checkpoint order of PyTorch).
  public let parameterPaths: [String]
  /// Buffer paths in definition order.
  public let bufferPaths: [String]
  /// The element type of every parameter and buffer.
  public private(set) var elementType: ElementType

  init(
    inputShape: [Int], nodes: [Node], parameters: [String: Tensor], buffers: [String: Tensor],
    elementType: ElementType
  ) {
    self.inputShape = inputShape
    self.nodes = nodes
    self.parameters = parameters
    self.buffers = buffers
    self.parameterPaths = nodes.flatMap(\.parameterPaths)
    self.bufferPaths = nodes.flatMap(\.bufferPaths)
    self.elementType = elementType
  }

  /// Per-sample output shape, such as `[classes]`.
  public var outputShape: [Int] { nodes.last?.outputShape ?? inputShape }

  /// Number of trainable scalars.
  public var parameterCount: Int { parameterPaths.reduce(0) { $0 + parameters[$1]!.count } }

  /// Multiply–accumulates of one forward pass of one sample.
  public var multiplyAccumulates: Int {
    nodes.reduce(0) { total, node in
      total + node.layer.multiplyAccumulates(for: node.inputs.map(shape(ofNode:)))
    }
  }

  /// The per-sample shape of a node's output (or of the input for ``inputNode``).
  func shape(ofNode index: Int) -> [Int] {
    index == Self.inputNode ? inputShape : nodes[index].outputShape
  }

  /// The index of the node with a given name.
  ///
  /// - Parameter name: A node name.
  /// - Returns: The index, or `nil`.
  public func nodeIndex(named name: String) -> Int? {
    nodes.firstIndex { $0.name == name }
  }

  /// Returns the network with every parameter and buffer converted to another element type.
  ///
  /// - Parameter type: Float32 or Float64.
  /// - Returns: `self` when the type already matches.
  /// - Complexity: O(parameter count).
  public func converted(to type: ElementType) -> Network {
    var result = self
    result.elementType = type
    result.parameters = parameters.mapValues { $0.converted(to: type) }
    result.buffers = buffers.mapValues { $0.converted(to: type) }
    return result
  }

  /// Replaces one parameter or buffer.
  ///
  /// - Parameters:
  ///   - path: A parameter or buffer path.
  ///   - value: A tensor of the recorded shape (converted to the network's element type).
  /// - Throws: ``CheckpointError/mismatch(path:problems:)`` when the path is unknown or the
  ///   shape differs.
  public mutating func setTensor(_ path: String, to value: Tensor) throws {
    let isParameter = parameters[path] != nil
    guard let old = parameters[path] ?? buffers[path] else {
      throw CheckpointError.mismatch(
        path: nil, problems: [.unexpected(name: path, shape: value.shape)])
    }
    guard old.shape == value.shape else {
      throw CheckpointError.mismatch(
        path: nil, problems: [.wrongShape(name: path, expected: old.shape, found: value.shape)])
    }
    if isParameter {
      parameters[path] = value.converted(to: elementType)
    } else {
      buffers[path] = value.converted(to: elementType)
    }
  }

  /// Loads every parameter and buffer from a checkpoint, strictly by name and shape.
  ///
  /// - Parameter checkpoint: Tensors named by path (torchvision `state_dict` keys).
  /// - Throws: ``CheckpointError/mismatch(path:problems:)`` listing every missing, unexpected
  ///   or wrongly shaped tensor; nothing is changed then.
  public mutating func load(_ checkpoint: Checkpoint) throws {
    let expected = (parameterPaths + bufferPaths).map { path in
      (name: path, shape: (parameters[path] ?? buffers[path])!.shape)
    }
    let values = try checkpoint.tensors(matching: expected)
    for (path, value) in values {
      if parameters[path] != nil {
        parameters[path] = value.converted(to: elementType)
      } else {
        buffers[path] = value.converted(to: elementType)
      }
    }
  }

  /// A checkpoint with every parameter and buffer (Float32 on disk), in definition order.
  ///
  /// - Parameter metadata: String metadata for the safetensors header.
  /// - Returns: The checkpoint.
  public func checkpoint(metadata: [String: String] = [:]) -> Checkpoint {
    Checkpoint(
      tensors: parameterPaths.map { ($0, parameters[$0]!.converted(to: .float32)) }
        + bufferPaths.map { ($0, buffers[$0]!.converted(to: .float32)) },
      metadata: metadata)
  }

  /// A text table of the nodes: name, kind, output shape, parameter count.
  public var summary: String {
    var lines = ["\(pad("node", 34)) \(pad("kind", 17)) \(pad("output", 18)) parameters"]
    for node in nodes {
      let count = node.parameterPaths.reduce(0) { $0 + parameters[$1]!.count }
      lines.append(
        "\(pad(node.name, 34)) \(pad(node.layer.kind, 17)) "
          + "\(pad(node.outputShape.map(String.init).joined(separator: "×"), 18)) \(count)")
    }
    lines.append("total parameters: \(parameterCount), MACs per sample: \(multiplyAccumulates)")
    return lines.joined(separator: "\n")
  }

  private func pad(_ text: String, _ width: Int) -> String {
    text.count >= width ? text : text + String(repeating: " ", count: width - text.count)
  }
}
