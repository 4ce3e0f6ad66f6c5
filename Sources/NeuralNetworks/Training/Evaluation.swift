import Tensors

/// Accuracy and mean loss of a network on a labelled data set.
public struct Evaluation: Sendable, Hashable {
  /// The number of examples evaluated.
  public let examples: Int
  /// The number whose arg-max logit (the first, on ties) is the label.
  public let correct: Int
  /// The mean cross-entropy (no label smoothing) over the examples.
  public let meanLoss: Double

  /// `correct / examples`, in [0, 1]; 0 for an empty data set.
  public var accuracy: Double { examples == 0 ? 0 : Double(correct) / Double(examples) }
}

extension Network {
  /// Evaluates the network in inference mode (running statistics, no dropout).
  ///
  /// - Parameters:
  ///   - data: Labelled examples; inputs are converted to the network's element type.
  ///   - batchSize: Examples per forward pass (≥ 1).
  /// - Returns: The accuracy and mean loss.
  /// - Throws: Whatever `data.batch(indices:)` throws.
  /// - Complexity: One forward pass per example.
  public func evaluate(on data: some TrainingData, batchSize: Int = 64) throws -> Evaluation {
    precondition(batchSize >= 1, "evaluate(on:batchSize:): batchSize must be ≥ 1, got \(batchSize)")
    var correct = 0
    var lossSum = 0.0
    let loss = CrossEntropy(reduction: .sum)
    for start in stride(from: 0, to: data.count, by: batchSize) {
      let indices = Array(start..<min(data.count, start + batchSize))
      let (inputs, labels) = try data.batch(indices: indices)
      precondition(
        labels.count == indices.count,
        "evaluate(on:batchSize:): the data set returned \(labels.count) labels for "
          + "\(indices.count) indices")
      let logits = self(inputs.converted(to: elementType))
      lossSum += loss(logits: logits, labels: labels).loss
      correct += Trainer.correctCount(logits: logits, labels: labels)
    }
    return Evaluation(
      examples: data.count, correct: correct,
      meanLoss: data.count == 0 ? 0 : lossSum / Double(data.count))
  }
}
