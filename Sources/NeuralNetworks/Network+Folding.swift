import Tensors

extension Network {
  /// An inference-only copy with batch norm folded into the preceding convolutions, and
  /// residual additions and ReLUs fused into them.
  ///
  /// For a convolution `y = W ∗ x + b` read only by a batch norm with inference scale
  /// `s_c = γ_c / √(σ²_c + ε)` and shift `t_c = β_c − μ_c s_c`, the pair becomes one
  /// convolution with `W'_c = s_c W_c` and `b'_c = s_c b_c + t_c` (exact up to rounding). A
  /// two-operand addition whose newer operand is a convolution read only by it becomes that
  /// convolution with a residual input, and a ReLU that reads only a convolution or a residual
  /// addition is then applied inside it. The result
  /// computes the same function as the original in inference mode, with fewer passes over
  /// memory; its input gradients are exact, and its parameters (under the convolution's
  /// path, with a `bias` added where folding created one) are for inference only — train
  /// and save the original network.
  ///
  /// - Returns: The folded network (same input and output shapes).
  /// - Complexity: O(parameter count).
  public func foldedForInference() -> Network {
    var readers = [Int](repeating: 0, count: nodes.count)
    for node in nodes { for i in node.inputs where i != Self.inputNode { readers[i] += 1 } }
    // replacement[i]: the new index that now produces node i's output.
    var replacement = [Int](repeating: 0, count: nodes.count)
    var newNodes: [Node] = []
    var newParameters: [String: Tensor] = [:]
    var newBuffers: [String: Tensor] = [:]
    for (index, node) in nodes.enumerated() {
      let inputs = node.inputs.map { $0 == Self.inputNode ? $0 : replacement[$0] }
      let source = node.inputs.first ?? Self.inputNode
      let last = newNodes.last
      if let norm = node.layer as? BatchNormalization, source != Self.inputNode,
        readers[source] == 1, let lastNode = last, inputs[0] == newNodes.count - 1,
        var conv = lastNode.layer as? Convolution2D, !conv.appliesReLU, !conv.addsResidual
      {
        let (scale, shift) = norm.inferenceAffine(
          parameters: node.parameterPaths.map { parameters[$0]! },
          buffers: node.bufferPaths.map { buffers[$0]! })
        let weightPath = lastNode.parameterPaths[0]
        let weight = newParameters[weightPath]!.converted(to: .float64)
        let perChannel = weight.count / conv.outputChannels
        var folded = weight.float64Scalars
        for c in 0..<conv.outputChannels {
          for k in 0..<perChannel { folded[c * perChannel + k] *= scale[c] }
        }
        let oldBias =
          conv.hasBias
          ? newParameters[lastNode.parameterPaths[1]]!.doubles
          : [Double](repeating: 0, count: conv.outputChannels)
        let bias = (0..<conv.outputChannels).map { oldBias[$0] * scale[$0] + shift[$0] }
        let prefix = String(weightPath.dropLast("weight".count))
        conv = Convolution2D(rebuilding: conv, bias: true)
        newParameters[weightPath] =
          Tensor(shape: weight.shape, float64Scalars: folded).converted(to: elementType)
        newParameters[prefix + "bias"] =
          Tensor(shape: [conv.outputChannels], float64Scalars: bias).converted(to: elementType)
        newNodes[newNodes.count - 1] = lastNode.replacing(
          layer: conv, parameterPaths: [weightPath, prefix + "bias"])
        replacement[index] = newNodes.count - 1
        continue
      }
      // A ReLU that reads only a convolution or a residual addition: applied inside it.
      if node.layer is ReLU, source != Self.inputNode, readers[source] == 1,
        let lastNode = last, inputs[0] == newNodes.count - 1,
        let rectified = Self.withReLU(lastNode.layer)
      {
        newNodes[newNodes.count - 1] = lastNode.replacing(layer: rectified)
        replacement[index] = newNodes.count - 1
        continue
      }
      // A residual addition whose newest operand is a convolution read only by it: the
      // convolution adds the other operand itself (before any ReLU fused later).
      if let add = node.layer as? Add, !add.appliesReLU, inputs.count == 2,
        let lastNode = last, var conv = lastNode.layer as? Convolution2D,
        !conv.appliesReLU, !conv.addsResidual,
        let position = inputs.firstIndex(of: newNodes.count - 1),
        readers[node.inputs[position]] == 1
      {
        let other = inputs[1 - position]
        if other != newNodes.count - 1 {
          conv.addsResidual = true
          newNodes[newNodes.count - 1] = lastNode.replacing(
            layer: conv, inputs: lastNode.inputs + [other])
          replacement[index] = newNodes.count - 1
          continue
        }
      }
      newNodes.append(
        Node(
          name: node.name, layer: node.layer, inputs: inputs, outputShape: node.outputShape,
          parameterPaths: node.parameterPaths, bufferPaths: node.bufferPaths))
      for path in node.parameterPaths { newParameters[path] = parameters[path] }
      for path in node.bufferPaths { newBuffers[path] = buffers[path] }
      replacement[index] = newNodes.count - 1
    }
    return Network(
      inputShape: inputShape, nodes: newNodes, parameters: newParameters, buffers: newBuffers,
      elementType: elementType)
  }
}

extension Network {
  /// `layer` with a ReLU fused in, if it is a convolution or a residual addition without one.
  fileprivate static func withReLU(_ layer: any Layer) -> (any Layer)? {
    if var conv = layer as? Convolution2D, !conv.appliesReLU {
      conv.appliesReLU = true
      return conv
    }
    if var add = layer as? Add, !add.appliesReLU {
      add.appliesReLU = true
      return add
    }
    return nil
  }
}

extension Network.Node {
  /// The same node with a new layer and, where given, new inputs or parameter paths.
  fileprivate func replacing(
    layer: any Layer, inputs: [Int]? = nil, parameterPaths: [String]? = nil
  ) -> Network.Node {
    Network.Node(
      name: name, layer: layer, inputs: inputs ?? self.inputs, outputShape: outputShape,
      parameterPaths: parameterPaths ?? self.parameterPaths, bufferPaths: bufferPaths)
  }
}

extension Convolution2D {
  /// The same convolution with or without a bias (folding adds one).
  init(rebuilding layer: Convolution2D, bias: Bool) {
    self.init(
      inputChannels: layer.inputChannels, outputChannels: layer.outputChannels,
      kernelSize: (layer.kernelSize[0], layer.kernelSize[1]),
      stride: (layer.stride[0], layer.stride[1]), padding: (layer.padding[0], layer.padding[1]),
      dilation: (layer.dilation[0], layer.dilation[1]), groups: layer.groups, bias: bias,
      initialization: layer.initialization)
    appliesReLU = layer.appliesReLU
  }
}
