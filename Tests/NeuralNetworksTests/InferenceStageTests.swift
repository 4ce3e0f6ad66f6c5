import Testing

@testable import NeuralNetworks
@testable import Tensors

/// How micro-batched inference cuts a network into stages (``Network/inferenceStages(_:)``).
@Suite struct InferenceStageTests {
  /// The stages of a mini architecture for a 64×64 batch.
  static func stages(_ architecture: Architecture) throws -> (Network, [Network.InferenceStage]) {
    let network = try architecture.makeNetwork(classes: 5, seed: 3)
    let stages = try #require(network.inferenceStages(Tensor(zeros: [2, 3, 64, 64])))
    return (network, stages)
  }

  @Test(
    "stages cover the nodes in order and are cut only where one tensor is live",
    arguments: [Architecture.vggMini, .resnetMini, .inceptionMini, .alexnetMini])
  func cutsAtSingleTensors(architecture: Architecture) throws {
    let (network, stages) = try Self.stages(architecture)
    #expect(stages.first?.nodes.lowerBound == 0)
    #expect(stages.last?.nodes.upperBound == network.headStart(after: network.stageCuts()))
    for (stage, next) in zip(stages, stages.dropFirst()) {
      #expect(stage.nodes.upperBound == next.nodes.lowerBound)
      #expect(stage.images != next.images, "adjacent stages of one size are merged")
    }
    for stage in stages {
      #expect(stage.images >= 1 && stage.images <= Network.stageImageLimit)
      #expect(stage.images & (stage.images - 1) == 0, "\(stage.images) is not a power of two")
      #expect(network.stageCuts().contains(stage.nodes.upperBound - 1))
    }
    // Nodes after a cut read only each other and the node at the cut.
    for cut in network.stageCuts() {
      for node in network.nodes[(cut + 1)...] {
        for input in node.inputs {
          #expect(input >= cut, "node \(node.name) reads \(input) across the cut after \(cut)")
        }
      }
    }
  }

  @Test("activations set each stage's images per pass")
  func sizes() throws {
    // vgg-mini is a chain: 16 channels at 64×64 (256 KiB per image) take one image per pass;
    // each pooling quarters the plane and the widths double, so 2, then 4 images (the limit).
    let (_, vgg) = try Self.stages(.vggMini)
    #expect(vgg.map(\.images) == [1, 2, 4])
  }

  @Test("residual blocks are cut only after their sum")
  func residualCuts() throws {
    // Inside a block before its `add`, the block's input is still live for the shortcut; the
    // cuts fall between blocks or between `add` and `relu`.
    let resnet = try Architecture.resnetMini.makeNetwork(classes: 5, seed: 3)
    let cuts = resnet.stageCuts()
    func block(_ node: Int) -> String? {
      let parts = resnet.nodes[node].name.split(separator: ".")
      return parts.first?.hasPrefix("layer") == true ? parts.prefix(2).joined(separator: ".") : nil
    }
    #expect(cuts.count > 8)
    #expect(cuts.last == resnet.nodes.count - 1)
    for cut in cuts.dropLast() {
      let (node, next) = (resnet.nodes[cut].name, resnet.nodes[cut + 1].name)
      #expect(
        block(cut) == nil || block(cut) != block(cut + 1) || node.hasSuffix(".add"),
        "cut between \(node) and \(next)")
    }
  }

  @Test("the head after the last large activation runs over the whole batch")
  func heads() throws {
    // vgg-mini: the last pooling leaves 128 × 4 × 4 = 2,048 floats per image, its input
    // 8,192. resnet-mini: its last stage works on 128 × 4 × 4, but the first block's input
    // (64 × 8 × 8) is live until the block's sum, so the head starts after it.
    for (architecture, first) in [
      (Architecture.vggMini, "avgpool"), (.resnetMini, "layer4.0.relu"),
    ] {
      let network = try architecture.makeNetwork(classes: 5, seed: 3)
      let head = network.headStart(after: network.stageCuts())
      #expect(
        head < network.nodes.count && network.nodes[head].name == first,
        "\(network.nodes[head].name)")
      #expect(network.stageCuts().contains(head - 1))
    }
  }

  @Test("image groups cover the batch in order, whole groups first, the tail down to one image")
  func imageGroups() {
    #expect(
      Network.imageGroups(batch: 64, group: 4).map(\.count)
        == Array(repeating: 4, count: 14) + [2, 2, 1, 1, 1, 1])
    #expect(Network.imageGroups(batch: 11, group: 4).map(\.count) == [4, 2, 1, 1, 1, 1, 1])
    #expect(Network.imageGroups(batch: 1, group: 4) == [0..<1])
    #expect(Network.imageGroups(batch: 0, group: 4).isEmpty)
    for batch in 1...40 {
      for group in [1, 2, 4] {
        let groups = Network.imageGroups(batch: batch, group: group)
        #expect(groups.first?.lowerBound == 0 && groups.last?.upperBound == batch)
        #expect(zip(groups, groups.dropFirst()).allSatisfy { $0.upperBound == $1.lowerBound })
        #expect(groups.allSatisfy { $0.count >= 1 && $0.count <= group })
        #expect(groups.last?.count == 1)
        // Sizes never grow along the batch.
        #expect(zip(groups, groups.dropFirst()).allSatisfy { $0.count >= $1.count })
      }
    }
  }

  @Test("Float64 inputs run layer by layer")
  func float64() throws {
    let network = try Architecture.vggMini.makeNetwork(classes: 5, seed: 3)
    #expect(network.inferenceStages(Tensor(zeros: [2, 3, 64, 64], elementType: .float64)) == nil)
  }
}
