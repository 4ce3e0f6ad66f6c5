import Tensors

/// Which parameter gradients a backward pass computes.
public enum ParameterSelection: Sendable, Hashable {
  /// None (input gradients only).
  case none
  /// Every trainable parameter.
  case all
  /// The parameters with these paths.
  case paths(Set<String>)
  /// The parameters of one layer or block: paths that start with `prefix + "."`
  /// (e.g. `layer4.1.conv2` or `layer4`).
  case prefix(String)

  func contains(_ path: String) -> Bool {
    switch self {
    case .none: false
    case .all: true
    case .paths(let paths): paths.contains(path)
    case .prefix(let prefix): path.hasPrefix(prefix + ".")
    }
  }
}

/// The result of a backward pass.
public struct Gradients: Sendable {
  /// `∂L/∂input`, shape of the input (`[K, N, …]` for batched cotangents), or `nil` when not
  /// requested.
  public var input: Tensor?
  /// `∂L/∂θ` by parameter path, shape of the parameter (`[K] + shape` for batched cotangents).
  public var parameters: [String: Tensor]
}

extension Network {
  /// Reverse-mode gradients of `⟨cotangent, output⟩` with respect to the input and parameters.
  ///
  /// With `cotangent = ∂L/∂logits` this is the gradient of the loss `L`; with a one-hot row it is
  /// the gradient of one logit. Parameter gradients are summed over the batch.
  ///
  /// - Parameters:
  ///   - tape: A recorded forward pass of this network.
  ///   - cotangent: `[N] + outputShape`, of the network's element type.
  ///   - input: Whether to compute the input gradient.
  ///   - selection: Which parameter gradients to compute; only the layers between the output
  ///     and the earliest requested tensor are traversed.
  /// - Returns: The gradients.
  /// - Complexity: About twice the forward pass for the input and all parameters.
  public func gradients(
    of tape: Tape, cotangent: Tensor, input: Bool = true,
    parameters selection: ParameterSelection = .all
  ) -> Gradients {
    precondition(
      cotangent.shape == tape.output.shape,
      "gradients: cotangent shape \(cotangent.shape) differs from output shape "
        + "\(tape.output.shape)")
    var result = backward(
      tape, cotangents: cotangent, count: 1, input: input, selection: selection)
    for (path, value) in result.parameters {
      result.parameters[path] = value.reshaped(to: Array(value.shape.dropFirst()))
    }
    return result
  }

  /// Vector–Jacobian products for `K` cotangents per sample in one backward pass.
  ///
  /// For one image and the `C` one-hot rows this returns the whole Jacobian of the logits with
  /// respect to the input (and each class's parameter gradient) at the cost of one batched
  /// backward pass instead of `C` separate ones.
  ///
  /// - Parameters:
  ///   - tape: A recorded forward pass with `N` samples.
  ///   - cotangents: `[K, N] + outputShape`.
  ///   - input: Whether to compute input gradients (`[K, N] + inputShape`).
  ///   - selection: Which parameter gradients to compute (`[K] + shape`, summed over `N`).
  /// - Returns: The gradients.
  public func batchedGradients(
    of tape: Tape, cotangents: Tensor, input: Bool = true,
    parameters selection: ParameterSelection = .all
  ) -> Gradients {
    let outputShape = tape.output.shape
    precondition(
      cotangents.rank == outputShape.count + 1
        && Array(cotangents.shape.dropFirst()) == outputShape,
      "batchedGradients: cotangents shape \(cotangents.shape) is not [K] + \(outputShape)")
    let count = cotangents.shape[0]
    let flat = cotangents.reshaped(to: [count * outputShape[0]] + outputShape.dropFirst())
    var result = backward(tape, cotangents: flat, count: count, input: input, selection: selection)
    if let gradient = result.input {
      result.input = gradient.reshaped(to: [count] + tape.input.shape)
    }
    return result
  }

  /// The input gradient of `⟨cotangent, output⟩` with each node's backward wall-clock time.
  ///
  /// For profiling (`semrob bench engine --mode input-gradient --layers`): nodes that carry no
  /// gradient get 0.
  ///
  /// - Returns: Seconds per node, aligned with ``nodes``.
  package func inputGradientSeconds(of tape: Tape, cotangent: Tensor) -> [Double] {
    var seconds = [Double](repeating: 0, count: nodes.count)
    _ = backward(
      tape, cotangents: cotangent, count: 1, input: true, selection: .none,
      timing: { seconds[$0] = $1 })
    return seconds
  }

  private func backward(
    _ tape: Tape, cotangents: Tensor, count: Int, input wantsInput: Bool,
    selection: ParameterSelection, timing: ((Int, Double) -> Void)? = nil
  ) -> Gradients {
    precondition(
      tape.outputs.count == nodes.count && tape.caches.count == nodes.count,
      "gradients: the tape was not recorded by this network")
    precondition(
      cotangents.elementType == elementType,
      "gradients: cotangent is \(cotangents.elementType) but the network is \(elementType)")
    // carries[i]: some requested gradient lies upstream of node i's output.
    var wantsParameters = [Bool](repeating: false, count: nodes.count)
    var carries = [Bool](repeating: false, count: nodes.count)
    for (i, node) in nodes.enumerated() {
      wantsParameters[i] = node.parameterPaths.contains { selection.contains($0) }
      carries[i] =
        wantsParameters[i]
        || node.inputs.contains { $0 == Self.inputNode ? wantsInput : carries[$0] }
    }
    var outputGradients = [Tensor?](repeating: nil, count: nodes.count)
    outputGradients[nodes.count - 1] = cotangents
    var inputGradient: Tensor?
    var parameterGradients: [String: Tensor] = [:]
    for index in stride(from: nodes.count - 1, through: 0, by: -1) where carries[index] {
      guard let gradient = outputGradients[index] else { continue }
      outputGradients[index] = nil
      let node = nodes[index]
      let needed = node.inputs.map { $0 == Self.inputNode ? wantsInput : carries[$0] }
      let start = timing == nil ? nil : ContinuousClock.now
      let result = node.layer.backward(
        BackwardRequest(
          outputGradient: gradient,
          inputs: node.inputs.map { $0 == Self.inputNode ? tape.input : tape.outputs[$0] },
          output: tape.outputs[index], parameters: node.parameterPaths.map { parameters[$0]! },
          buffers: node.bufferPaths.map { tape.buffers[$0]! }, cache: tape.caches[index],
          mode: tape.mode, inputGradientsNeeded: needed,
          parameterGradientsNeeded: wantsParameters[index]))
      if let timing, let start { timing(index, (ContinuousClock.now - start).inSeconds) }
      if wantsParameters[index] {
        for (path, value) in zip(node.parameterPaths, result.parameters)
        where selection.contains(path) {
          parameterGradients[path] = value
        }
      }
      for (slot, source) in node.inputs.enumerated() where needed[slot] {
        guard let value = result.inputs[slot] else { continue }
        if source == Self.inputNode {
          inputGradient = inputGradient.map { Elementwise.sum($0, value) } ?? value
        } else {
          outputGradients[source] =
            outputGradients[source].map { Elementwise.sum($0, value) } ?? value
        }
      }
    }
    return Gradients(input: inputGradient, parameters: parameterGradients)
  }
}
