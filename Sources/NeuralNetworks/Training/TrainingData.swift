import Tensors

/// A labelled data set that a ``Trainer`` draws mini-batches from.
///
/// Conforming types assemble a batch on request, so a data set may live in memory
/// (``InMemoryTrainingData``) or produce its examples on the fly, such as a renderer that
/// draws example `i` from a seeded pose. A batch must depend only on the indices, never on the
/// order or number of earlier requests, so that a resumed run sees the same batches.
public protocol TrainingData: Sendable {
  /// The number of examples; indices run over `0..<count`.
  var count: Int { get }

  /// The examples with the given indices, in that order.
  ///
  /// - Parameter indices: Distinct indices in `0..<count`.
  /// - Returns: The inputs, `[indices.count] + inputShape`, and one class label per example.
  /// - Throws: Whatever error producing the examples raises.
  func batch(indices: [Int]) throws -> (inputs: Tensor, labels: [Int])
}

/// A data set held in one tensor of inputs and an array of labels.
public struct InMemoryTrainingData: TrainingData {
  /// All inputs, `[count] + inputShape`.
  public let inputs: Tensor
  /// One class label per example.
  public let labels: [Int]

  /// Creates the data set.
  ///
  /// - Parameters:
  ///   - inputs: `[N] + inputShape`, Float32 or Float64.
  ///   - labels: `N` non-negative class labels.
  public init(inputs: Tensor, labels: [Int]) {
    precondition(
      inputs.rank >= 1 && inputs.shape[0] == labels.count,
      "InMemoryTrainingData: inputs \(inputs.shape) do not match \(labels.count) labels")
    precondition(
      labels.allSatisfy { $0 >= 0 }, "InMemoryTrainingData: labels must be non-negative")
    self.inputs = inputs
    self.labels = labels
  }

  /// The number of examples.
  public var count: Int { labels.count }

  /// Copies the examples with the given indices into one batch.
  ///
  /// - Parameter indices: Indices in `0..<count`.
  /// - Returns: The inputs, `[indices.count] + inputShape`, and their labels.
  /// - Complexity: O(`indices.count` × example size).
  public func batch(indices: [Int]) -> (inputs: Tensor, labels: [Int]) {
    precondition(
      indices.allSatisfy { $0 >= 0 && $0 < count },
      "InMemoryTrainingData: an index lies outside 0..<\(count)")
    let shape = [indices.count] + inputs.shape.dropFirst()
    let size = inputs.shape.dropFirst().reduce(1, *)
    let batch: Tensor
    switch inputs.elementType {
    case .float32:
      batch = Tensor(shape: shape, scalars: gather(inputs.scalars, indices, size))
    case .float64:
      batch = Tensor(shape: shape, float64Scalars: gather(inputs.float64Scalars, indices, size))
    }
    return (batch, indices.map { labels[$0] })
  }

  private func gather<Element>(
    _ elements: ContiguousArray<Element>, _ indices: [Int], _ size: Int
  ) -> ContiguousArray<Element> {
    var result = ContiguousArray<Element>()
    result.reserveCapacity(indices.count * size)
    for index in indices {
      result.append(contentsOf: elements[(index * size)..<((index + 1) * size)])
    }
    return result
  }
}
