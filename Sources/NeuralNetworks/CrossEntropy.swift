import Tensors

/// Cross-entropy of logits against integer labels, with optional label smoothing.
///
/// Per sample `CE(z, y) = −log softmax(z)_y` (METHODS §0). With label smoothing ε the target
/// is `(1 − ε) · onehot(y) + ε / C` (PyTorch `CrossEntropyLoss(label_smoothing=ε)`), so
/// `loss = (1 − ε) · CE(z, y) + ε · mean_k(−log softmax(z)_k)` and
/// `∂loss/∂z = softmax(z) − target` (divided by `N` for the mean).
///
/// Reference: Szegedy et al., "Rethinking the Inception Architecture", CVPR 2016
/// (arXiv:1512.00567), §7 (label smoothing).
public struct CrossEntropy: Sendable, Hashable {
  /// How per-sample losses combine.
  public enum Reduction: String, Sendable, Hashable {
    /// Mean over the batch (PyTorch default).
    case mean
    /// Sum over the batch.
    case sum
  }

  /// ε in [0, 1).
  public let labelSmoothing: Double
  /// Batch reduction.
  public let reduction: Reduction

  /// Creates the loss.
  ///
  /// - Parameters:
  ///   - labelSmoothing: ε in [0, 1).
  ///   - reduction: Mean (default) or sum over the batch.
  public init(labelSmoothing: Double = 0, reduction: Reduction = .mean) {
    precondition(
      labelSmoothing >= 0 && labelSmoothing < 1,
      "CrossEntropy: labelSmoothing must be in [0, 1), got \(labelSmoothing)")
    self.labelSmoothing = labelSmoothing
    self.reduction = reduction
  }

  /// The loss and its gradient with respect to the logits.
  ///
  /// - Parameters:
  ///   - logits: `[N, C]`.
  ///   - labels: `N` class indices in `0..<C`.
  /// - Returns: The reduced loss (Double) and `∂loss/∂logits` (`[N, C]`, element type of
  ///   `logits`).
  public func callAsFunction(logits: Tensor, labels: [Int]) -> (loss: Double, gradient: Tensor) {
    precondition(
      logits.rank == 2 && logits.shape[0] == labels.count,
      "CrossEntropy: logits \(logits.shape) do not match \(labels.count) labels")
    let classes = logits.shape[1]
    precondition(
      labels.allSatisfy { (0..<classes).contains($0) },
      "CrossEntropy: labels must be in 0..<\(classes)")
    switch logits.elementType {
    case .float32: return evaluate(Float.self, logits, labels)
    case .float64: return evaluate(Double.self, logits, labels)
    }
  }

  private func evaluate<S: EngineScalar>(_: S.Type, _ logits: Tensor, _ labels: [Int]) -> (
    loss: Double, gradient: Tensor
  ) {
    let (batch, classes) = (logits.shape[0], logits.shape[1])
    let logProbabilities = S.elements(
      of: Probabilities.softmax(S.self, logits, logarithmic: true))
    let scale = reduction == .mean ? 1 / Double(max(1, batch)) : 1
    var gradient = ContiguousArray<S>(repeating: 0, count: logits.count)
    var loss = 0.0
    for n in 0..<batch {
      let row = n * classes
      var sample = 0.0
      for k in 0..<classes {
        let logP = Double(logProbabilities[row + k])
        let target =
          (k == labels[n] ? 1 - labelSmoothing : 0) + labelSmoothing / Double(classes)
        sample -= target * logP
        gradient[row + k] = S((logP.isFinite ? Double.exponential(logP) : 0) - target) * S(scale)
      }
      loss += sample
    }
    return (loss * scale, S.makeTensor(shape: logits.shape, elements: gradient))
  }
}
