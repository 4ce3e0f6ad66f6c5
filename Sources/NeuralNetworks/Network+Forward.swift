import Tensors

/// The record of a forward pass that a backward pass needs: every node's output and cache.
public struct Tape: Sendable {
  /// The network input, `[N] + inputShape`.
  public let input: Tensor
  /// Every node's output, in node order.
  public let outputs: [Tensor]
  /// Every node's cache, in node order.
  let caches: [LayerCache]
  /// The buffers after the pass (the running statistics a training pass updated).
  let buffers: [String: Tensor]
  /// The mode of the pass.
  public let mode: NetworkMode

  /// The network output (the last node's).
  public var output: Tensor { outputs[outputs.count - 1] }
}

extension Network {
  /// Runs the network in inference mode.
  ///
  /// Intermediate outputs are released as soon as their last reader has run, so memory stays
  /// near two activations of the largest layer.
  ///
  /// - Parameter input: A batch `[N] + inputShape` of the network's element type.
  /// - Returns: The output, `[N] + outputShape` (logits for classifiers).
  public func callAsFunction(_ input: Tensor) -> Tensor {
    if let stages = inferenceStages(input), stages.contains(where: { $0.images < input.shape[0] }) {
      return runInStages(input, stages: stages)
    }
    var random = RandomGenerator(seed: 0)
    return run(input, mode: .inference, recording: false, random: &random).outputs.last!
  }

  /// Runs the network and records what a backward pass needs.
  ///
  /// In training mode batch norm uses batch statistics and updates its running statistics in
  /// the returned tape (apply them with ``update(buffersFrom:)``), and dropout draws its masks
  /// from `random`.
  ///
  /// - Parameters:
  ///   - input: A batch `[N] + inputShape`.
  ///   - mode: Training or inference.
  ///   - random: The dropout generator (advanced only in training mode).
  /// - Returns: The tape; its ``Tape/output`` is the network output.
  public func record(
    _ input: Tensor, mode: NetworkMode = .inference, random: inout RandomGenerator
  ) -> Tape {
    run(input, mode: mode, recording: true, random: &random)
  }

  /// Runs the network in inference mode and records the pass.
  ///
  /// - Parameter input: A batch `[N] + inputShape`.
  /// - Returns: The tape.
  public func record(_ input: Tensor) -> Tape {
    var random = RandomGenerator(seed: 0)
    return run(input, mode: .inference, recording: true, random: &random)
  }

  /// Takes over the running statistics a training-mode pass computed.
  ///
  /// - Parameter tape: A tape of this network.
  public mutating func update(buffersFrom tape: Tape) {
    buffers = tape.buffers
  }

  /// The outputs of chosen nodes in inference mode (activations for analyses).
  ///
  /// - Parameters:
  ///   - input: A batch `[N] + inputShape`.
  ///   - names: Node names.
  /// - Returns: Each named node's output, `[N] + node shape`.
  public func activations(_ input: Tensor, at names: [String]) -> [String: Tensor] {
    let tape = record(input)
    var result: [String: Tensor] = [:]
    for name in names {
      guard let index = nodeIndex(named: name) else {
        preconditionFailure("activations(_:at:): no node named '\(name)'")
      }
      result[name] = tape.outputs[index]
    }
    return result
  }

  func checkInput(_ input: Tensor) {
    precondition(
      input.rank == inputShape.count + 1 && Array(input.shape.dropFirst()) == inputShape,
      "Network: input shape \(input.shape) does not match [N] + \(inputShape)")
    precondition(
      input.elementType == elementType,
      "Network: input is \(input.elementType) but the network is \(elementType)")
  }

  /// The forward pass; `timing(node, seconds)`, when given, receives each node's forward time.
  ///
  /// With `range` (inference without recording only), runs just those nodes: `input` then
  /// stands for the output of node `range.lowerBound − 1` (the network input for 0), which
  /// must be the only earlier output they read (see ``inferenceStages(_:)``), and the tape's
  /// output is that of node `range.upperBound − 1`.
  func run(
    _ input: Tensor, nodes range: Range<Int>? = nil, mode: NetworkMode, recording: Bool,
    random: inout RandomGenerator, timing: ((Int, Double) -> Void)? = nil
  ) -> Tape {
    let range = range ?? 0..<nodes.count
    precondition(
      range == 0..<nodes.count || (!recording && mode == .inference),
      "Network.run: node ranges are for inference without recording")
    if range.lowerBound == 0 { checkInput(input) }
    let boundary = range.lowerBound - 1
    var readers = [Int](repeating: 0, count: nodes.count)
    for node in nodes[range] { for i in node.inputs where i != boundary { readers[i] += 1 } }
    var outputs = [Tensor?](repeating: nil, count: nodes.count)
    var caches = [LayerCache](repeating: .empty, count: recording ? nodes.count : 0)
    var buffers = self.buffers
    var context = ForwardContext(mode: mode, isRecording: recording, random: random)
    for index in range {
      let node = nodes[index]
      let inputs = node.inputs.map { $0 == boundary ? input : outputs[$0]! }
      var nodeBuffers = node.bufferPaths.map { buffers[$0]! }
      let nodeParameters = node.parameterPaths.map { parameters[$0]! }
      let start = timing == nil ? nil : ContinuousClock.now
      let (output, cache) = node.layer.forward(
        inputs: inputs, parameters: nodeParameters, buffers: &nodeBuffers, context: &context)
      if let timing, let start { timing(index, (ContinuousClock.now - start).inSeconds) }
      if mode == .training {
        for (path, value) in zip(node.bufferPaths, nodeBuffers) { buffers[path] = value }
      }
      outputs[index] = output
      if recording {
        caches[index] = cache
      } else {
        for i in node.inputs where i != boundary {
          readers[i] -= 1
          if readers[i] == 0 && i != range.upperBound - 1 { outputs[i] = nil }
        }
      }
    }
    random = context.random
    if !recording {
      return Tape(
        input: input, outputs: [outputs[range.upperBound - 1]!], caches: [], buffers: buffers,
        mode: mode)
    }
    return Tape(
      input: input, outputs: outputs.map { $0! }, caches: caches, buffers: buffers, mode: mode)
  }
}

extension Network {
  /// One inference-mode forward pass with each node's wall-clock time, in node order.
  ///
  /// For profiling (`semrob bench engine --layers`): every node is timed around its layer's
  /// forward call, so the times add up to the pass minus the executor's bookkeeping.
  ///
  /// - Parameter input: A batch `[N] + inputShape` of the network's element type.
  /// - Returns: Seconds per node, aligned with ``nodes``.
  package func layerSeconds(_ input: Tensor) -> [Double] {
    var seconds = [Double](repeating: 0, count: nodes.count)
    var random = RandomGenerator(seed: 0)
    _ = run(
      input, mode: .inference, recording: false, random: &random, timing: { seconds[$0] = $1 })
    return seconds
  }
}
