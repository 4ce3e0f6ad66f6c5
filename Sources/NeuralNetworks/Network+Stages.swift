import Tensors

/// Inference in micro-batches, stage by stage.
///
/// Small Float32 inputs (64×64 classifiers) are memory-bound layer by layer: each layer writes
/// megabytes of activations that the next reads back from memory. Instead a few images at a
/// time go through the network, so a layer's input and output stay in cache. Early layers have
/// large activations and small weights, late layers the reverse, so the network is cut into
/// stages (runs of nodes that read nothing from before them but the tensor at the cut), and
/// each stage takes as many images per pass as its activations allow: late layers stream
/// their weights once per several images. The head (the last nodes, whose activations are a
/// few thousand floats per image, such as a classifier's fully connected layers) runs once over
/// the whole batch at the end, so its weights are read once per batch, not once per group.
extension Network {
  /// Consecutive nodes run `images` images at a time.
  struct InferenceStage: Equatable {
    /// The nodes (indices into ``Network/nodes``).
    let nodes: Range<Int>
    /// Images per pass: a power of two.
    let images: Int
  }

  /// Bytes of activations one pass of a stage may keep live (about half a core's L2 cache).
  static var stageBudget: Int { 1 << 19 }

  /// The most images a stage takes per pass (a power of two).
  ///
  /// The largest stage sets the group a worker takes at a time, and the last group finishes
  /// alone: with 8 (3.6 ms of resnet-mini) the other worker idled long enough to cost more
  /// than late layers gained from streaming their weights for 8 images instead of 4.
  static var stageImageLimit: Int { 4 }

  /// The most floats per image any node of the head (and the tensor before it) outputs
  /// (vgg-mini's last 128 × 4 × 4 pooling output; resnet-mini's last stage).
  static var headActivationLimit: Int { 2048 }

  /// The first node of the head, which micro-batched inference runs over the whole batch at
  /// once; `nodes.count` if there is none.
  ///
  /// The head is the longest run of final nodes after one of `cuts` (``stageCuts()``) whose
  /// outputs, and the tensor at the cut, hold at most ``headActivationLimit`` floats per image:
  /// for the mini classifiers, the pooling, flattening and fully connected layers after the
  /// last convolutions (resnet-mini's last residual stage too). It never starts at the first
  /// node.
  func headStart(after cuts: [Int]) -> Int {
    let small = { (node: Int) in
      self.nodes[node].outputShape.reduce(1, *) <= Self.headActivationLimit
    }
    var start = nodes.count
    for cut in cuts.reversed() where cut < nodes.count - 1 {
      guard (cut..<start).allSatisfy(small) else { break }
      start = cut + 1
    }
    return start
  }

  /// The nodes after which micro-batched inference may cut the network, in order (the last
  /// node always ends the list): where no later node reads an output before it or the network
  /// input, so its output is the one tensor live across the cut.
  func stageCuts() -> [Int] {
    // reach: the last node reading any output before the current one (or the input).
    var lastReader = [Int](repeating: -1, count: nodes.count + 1)
    for (k, node) in nodes.enumerated() { for j in node.inputs { lastReader[j + 1] = k } }
    var cuts: [Int] = []
    var reach = -1
    for i in nodes.indices {
      reach = max(reach, lastReader[i])
      if reach <= i || i == nodes.count - 1 { cuts.append(i) }
    }
    return cuts
  }

  /// The stages of a micro-batched inference pass over `input`, or `nil` to run the batch
  /// layer by layer (inputs of another element type or shape, or a network whose first stage
  /// would not fit one image in ``stageBudget``).
  ///
  /// Stages end at ``stageCuts()`` and cover the nodes before ``headStart(after:)``. Each
  /// stage's images per pass is the largest power of two up to ``stageImageLimit`` for which
  /// twice its largest activation (its input or any node's output) fits ``stageBudget``;
  /// adjacent stages of the same size are merged. The stages
  /// depend only on the network, never on the batch or worker count, so neither changes the
  /// result.
  func inferenceStages(_ input: Tensor) -> [InferenceStage]? {
    guard input.elementType == .float32, input.rank == inputShape.count + 1, !nodes.isEmpty
    else { return nil }
    var stages: [InferenceStage] = []
    var start = 0
    let cuts = stageCuts()
    let head = headStart(after: cuts)
    for cut in cuts where cut < head {
      let largest = nodes[start...cut].reduce(
        start == 0 ? inputShape.reduce(1, *) : nodes[start - 1].outputShape.reduce(1, *)
      ) { max($0, $1.outputShape.reduce(1, *)) }
      let fitting = Self.stageBudget / (2 * MemoryLayout<Float>.size * max(1, largest))
      guard fitting >= 1 else { return nil }
      var images = 1
      while images * 2 <= min(fitting, Self.stageImageLimit) { images *= 2 }
      if let last = stages.last, last.images == images {
        stages[stages.count - 1] = InferenceStage(
          nodes: last.nodes.lowerBound..<(cut + 1), images: images)
      } else {
        stages.append(InferenceStage(nodes: start..<(cut + 1), images: images))
      }
      start = cut + 1
    }
    return stages
  }

  /// The groups of images micro-batched inference hands to the workers, in order.
  ///
  /// `group` images (the largest stage's size) at a time, and the last few smaller, each a
  /// power of two at most a third of what remains, down to single images: the worker that
  /// finishes first then waits for the other for at most one image, not a whole group (vgg-mini
  /// at batch 64: the time its caller spent waiting fell from 1.9% to 0.4% of all samples). The
  /// groups depend only on the batch, never on the worker count.
  static func imageGroups(batch: Int, group: Int) -> [Range<Int>] {
    var groups: [Range<Int>] = []
    var start = 0
    while start < batch {
      let remaining = batch - start
      var size = group
      if remaining <= 2 * group {
        size = 1
        while size * 2 <= min(group, remaining / 3) { size *= 2 }
      }
      groups.append(start..<(start + min(size, remaining)))
      start += size
    }
    return groups
  }

  /// Inference over groups of images (``imageGroups(batch:group:)``), each worker taking the
  /// next group as it finishes one and running it with one worker through every stage, in
  /// passes of that stage's size (or the group, if smaller); then the head over the whole
  /// batch with every worker; the outputs in input order.
  ///
  /// Every stage size divides the whole groups' size, so a stage's passes start at the same
  /// images whatever the worker count.
  func runInStages(_ input: Tensor, stages: [InferenceStage]) -> Tensor {
    checkInput(input)
    let batch = input.shape[0]
    let groups = Self.imageGroups(batch: batch, group: stages.map(\.images).max()!)
    let head = stages.last!.nodes.upperBound..<nodes.count
    let shape = head.isEmpty ? outputShape : nodes[head.lowerBound - 1].outputShape
    let outputCount = shape.reduce(1, *)
    let output = ContiguousArray<Float>(unsafeUninitializedCapacity: batch * outputCount) {
      buffer, initialized in
      nonisolated(unsafe) let target = buffer.baseAddress!
      Workers.each(groups.count, workers: Workers.count) { g in
        Workers.serially {
          let images = groups[g]
          // The first stage reads its passes straight from the input.
          var (x, range) = (input, images)
          for stage in stages { (x, range) = (run(stage, on: x, images: range), 0..<images.count) }
          x.scalars.withUnsafeBufferPointer {
            (target + images.lowerBound * outputCount).update(
              from: $0.baseAddress!, count: $0.count)
          }
        }
      }
      initialized = batch * outputCount
    }
    let body = Tensor(shape: [batch] + shape, scalars: output)
    if head.isEmpty { return body }
    var random = RandomGenerator(seed: 0)
    return run(body, nodes: head, mode: .inference, recording: false, random: &random).output
  }

  /// One stage over images `images` of `x` (the output of the node before the stage, or the
  /// network input), in passes of `stage.images` images; the outputs `[images.count, ...]`.
  private func run(_ stage: InferenceStage, on x: Tensor, images: Range<Int>) -> Tensor {
    func pass(_ part: Range<Int>) -> Tensor {
      var random = RandomGenerator(seed: 0)
      let slice = part.count == x.shape[0] ? x : x.images(part)
      return run(slice, nodes: stage.nodes, mode: .inference, recording: false, random: &random)
        .output
    }
    if images.count <= stage.images { return pass(images) }
    let shape = nodes[stage.nodes.upperBound - 1].outputShape
    let perImage = shape.reduce(1, *)
    let scalars = ContiguousArray<Float>(unsafeUninitializedCapacity: images.count * perImage) {
      buffer, initialized in
      for first in stride(from: 0, to: images.count, by: stage.images) {
        let start = images.lowerBound + first
        pass(start..<min(images.upperBound, start + stage.images)).scalars.withUnsafeBufferPointer {
          (buffer.baseAddress! + first * perImage).update(from: $0.baseAddress!, count: $0.count)
        }
      }
      initialized = images.count * perImage
    }
    return Tensor(shape: [images.count] + shape, scalars: scalars)
  }
}

extension Tensor {
  /// Images `range` of a Float32 batch `[N, ...]`, as a new tensor `[range.count, ...]`.
  fileprivate func images(_ range: Range<Int>) -> Tensor {
    let size = count / shape[0]
    return Tensor(
      shape: [range.count] + shape.dropFirst(),
      scalars: scalars[(range.lowerBound * size)..<(range.upperBound * size)])
  }
}
