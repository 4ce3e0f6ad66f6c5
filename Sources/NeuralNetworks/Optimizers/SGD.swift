/// Stochastic gradient descent with optional momentum, dampening, Nesterov momentum and L2
/// weight decay, exactly as PyTorch's `torch.optim.SGD`.
///
/// For each parameter θ with gradient g, step t:
///
/// ```
/// g ← g + weightDecay · θ                           (if weightDecay ≠ 0)
/// b ← g                                              (t = 1)
/// b ← momentum · b + (1 − dampening) · g             (t > 1)     (if momentum ≠ 0)
/// g ← g + momentum · b   (nesterov)   or   g ← b     (otherwise)  (if momentum ≠ 0)
/// θ ← θ − learningRate · g
/// ```
///
/// The momentum buffer `b` is the state tensor `momentum_buffer`.
///
/// Reference: Sutskever, Martens, Dahl & Hinton, "On the importance of initialization and
/// momentum in deep learning", ICML 2013 (Nesterov momentum, in the form PyTorch implements).
///
/// - Note: Like PyTorch, and unlike Sutskever et al., the learning rate multiplies the whole
///   step rather than the gradient inside the buffer, so changing the learning rate does not
///   rescale the momentum already accumulated; Nesterov momentum is the "look-ahead" form that
///   evaluates the gradient at the current parameters.
public struct SGD: Optimizer {
  /// The step size η (≥ 0).
  public var learningRate: Double
  /// The momentum factor μ (≥ 0); 0 turns momentum off.
  public let momentum: Double
  /// The dampening τ in [0, 1] applied to new gradients in the momentum buffer.
  public let dampening: Double
  /// Whether to use Nesterov momentum (needs `momentum > 0` and `dampening == 0`).
  public let nesterov: Bool
  /// The L2 penalty λ (≥ 0) added to the gradient as `λ · θ`.
  public let weightDecay: Double
  /// The momentum buffers and step counts, keyed by parameter path.
  public var state = OptimizerState()

  /// Creates the optimizer; the defaults are PyTorch's except the learning rate, which has none.
  ///
  /// - Parameters:
  ///   - learningRate: η ≥ 0.
  ///   - momentum: μ ≥ 0 (default 0, no momentum).
  ///   - dampening: τ in [0, 1] (default 0).
  ///   - nesterov: Use Nesterov momentum (default `false`).
  ///   - weightDecay: λ ≥ 0 (default 0).
  public init(
    learningRate: Double, momentum: Double = 0, dampening: Double = 0, nesterov: Bool = false,
    weightDecay: Double = 0
  ) {
    precondition(
      learningRate.isFinite && learningRate >= 0,
      "SGD: learningRate must be finite and non-negative, got \(learningRate)")
    precondition(
      momentum.isFinite && momentum >= 0,
      "SGD: momentum must be finite and non-negative, got \(momentum)")
    precondition(
      dampening >= 0 && dampening <= 1, "SGD: dampening must lie in [0, 1], got \(dampening)")
    precondition(
      weightDecay.isFinite && weightDecay >= 0,
      "SGD: weightDecay must be finite and non-negative, got \(weightDecay)")
    precondition(
      !nesterov || (momentum > 0 && dampening == 0),
      "SGD: Nesterov momentum requires momentum > 0 and dampening 0, got momentum "
        + "\(momentum) and dampening \(dampening)")
    self.learningRate = learningRate
    self.momentum = momentum
    self.dampening = dampening
    self.nesterov = nesterov
    self.weightDecay = weightDecay
  }

  /// `sgd`.
  public var kind: String { "sgd" }

  /// `momentum`, `dampening`, `nesterov` and `weight_decay`.
  public var hyperParameters: [String: String] {
    [
      "momentum": "\(momentum)", "dampening": "\(dampening)", "nesterov": "\(nesterov)",
      "weight_decay": "\(weightDecay)",
    ]
  }

  /// `momentum_buffer` when momentum is on, otherwise none.
  public var stateNames: [String] { momentum == 0 ? [] : ["momentum_buffer"] }

  /// Updates one parameter tensor (see the type's documentation for the rule).
  ///
  /// - Parameters:
  ///   - parameter: θ, updated in place.
  ///   - gradient: g.
  ///   - state: `momentum_buffer`, absent before the first step.
  ///   - step: The update number (unused: the buffer's absence marks the first step).
  public func applySingle(
    parameter: inout [Double], gradient: [Double], state: inout [String: [Double]], step: Int
  ) {
    var direction = gradient
    if weightDecay != 0 {
      for i in direction.indices { direction[i] += weightDecay * parameter[i] }
    }
    if momentum != 0 {
      var buffer: [Double]
      if let previous = state["momentum_buffer"] {
        buffer = previous
        for i in buffer.indices {
          buffer[i] = momentum * buffer[i] + (1 - dampening) * direction[i]
        }
      } else {
        // PyTorch: buf = clone(g) at the first step, without dampening.
        buffer = direction
      }
      if nesterov {
        for i in direction.indices { direction[i] += momentum * buffer[i] }
      } else {
        direction = buffer
      }
      state["momentum_buffer"] = buffer
    }
    for i in parameter.indices { parameter[i] -= learningRate * direction[i] }
  }
}
