import Foundation

/// Adam with bias correction and optional L2 weight decay, exactly as PyTorch's
/// `torch.optim.Adam` (without `amsgrad`).
///
/// For each parameter θ with gradient g, step t = 1, 2, …:
///
/// ```
/// g ← g + weightDecay · θ                     (if weightDecay ≠ 0; L2 penalty)
/// m ← β1 · m + (1 − β1) · g                   (m, v start at 0)
/// v ← β2 · v + (1 − β2) · g²
/// θ ← θ − learningRate / (1 − β1^t) · m / (√v / √(1 − β2^t) + ε)
/// ```
///
/// `m` and `v` are the state tensors `exp_avg` and `exp_avg_sq`.
///
/// Reference: Kingma & Ba, "Adam: A Method for Stochastic Optimization", ICLR 2015
/// (arXiv:1412.6980), Algorithm 1.
///
/// - Note: ε is added to the bias-corrected `√v̂`, as in Algorithm 1 and PyTorch, not to the
///   uncorrected `√v` of the paper's "efficient" variant. Weight decay here is an L2 penalty on
///   the gradient, which Adam rescales; use ``AdamW`` for decoupled weight decay.
public struct Adam: Optimizer {
  /// The step size η (≥ 0).
  public var learningRate: Double
  /// β1 in [0, 1), the decay of the first-moment average.
  public let beta1: Double
  /// β2 in [0, 1), the decay of the second-moment average.
  public let beta2: Double
  /// ε (≥ 0), added to the denominator for numerical stability.
  public let epsilon: Double
  /// The L2 penalty λ (≥ 0) added to the gradient as `λ · θ`.
  public let weightDecay: Double
  /// The moment estimates and step counts, keyed by parameter path.
  public var state = OptimizerState()

  /// Creates the optimizer with PyTorch's defaults.
  ///
  /// - Parameters:
  ///   - learningRate: η ≥ 0 (default 1e-3).
  ///   - beta1: β1 in [0, 1) (default 0.9).
  ///   - beta2: β2 in [0, 1) (default 0.999).
  ///   - epsilon: ε ≥ 0 (default 1e-8).
  ///   - weightDecay: λ ≥ 0 (default 0).
  public init(
    learningRate: Double = 1e-3, beta1: Double = 0.9, beta2: Double = 0.999,
    epsilon: Double = 1e-8, weightDecay: Double = 0
  ) {
    AdamRule.check(
      "Adam", learningRate: learningRate, beta1: beta1, beta2: beta2, epsilon: epsilon,
      weightDecay: weightDecay)
    self.learningRate = learningRate
    self.beta1 = beta1
    self.beta2 = beta2
    self.epsilon = epsilon
    self.weightDecay = weightDecay
  }

  /// `adam`.
  public var kind: String { "adam" }

  /// `beta1`, `beta2`, `epsilon` and `weight_decay`.
  public var hyperParameters: [String: String] {
    AdamRule.hyperParameters(beta1, beta2, epsilon, weightDecay)
  }

  /// `exp_avg` and `exp_avg_sq`.
  public var stateNames: [String] { AdamRule.stateNames }

  /// Updates one parameter tensor (see the type's documentation for the rule).
  ///
  /// - Parameters:
  ///   - parameter: θ, updated in place.
  ///   - gradient: g.
  ///   - state: `exp_avg` and `exp_avg_sq`, absent (zero) before the first step.
  ///   - step: t, starting at 1.
  public func applySingle(
    parameter: inout [Double], gradient: [Double], state: inout [String: [Double]], step: Int
  ) {
    var direction = gradient
    if weightDecay != 0 {
      for i in direction.indices { direction[i] += weightDecay * parameter[i] }
    }
    AdamRule(
      learningRate: learningRate, beta1: beta1, beta2: beta2, epsilon: epsilon, step: step
    ).apply(parameter: &parameter, gradient: direction, state: &state)
  }
}

/// Adam with decoupled weight decay, exactly as PyTorch's `torch.optim.AdamW` (without
/// `amsgrad`).
///
/// Each step first shrinks the parameter, `θ ← θ · (1 − learningRate · weightDecay)`, and then
/// applies the ``Adam`` update to the unmodified gradient:
///
/// ```
/// θ ← θ · (1 − learningRate · weightDecay)
/// m ← β1 · m + (1 − β1) · g,   v ← β2 · v + (1 − β2) · g²
/// θ ← θ − learningRate / (1 − β1^t) · m / (√v / √(1 − β2^t) + ε)
/// ```
///
/// Reference: Loshchilov & Hutter, "Decoupled Weight Decay Regularization", ICLR 2019
/// (arXiv:1711.05101), Algorithm 2; Kingma & Ba, "Adam: A Method for Stochastic
/// Optimization", ICLR 2015 (arXiv:1412.6980).
///
/// - Note: As in PyTorch, the decay is scaled by the current learning rate (`η · λ`), whereas
///   the paper scales λ by the schedule multiplier alone; with a schedule the two differ by the
///   constant factor of the base learning rate.
public struct AdamW: Optimizer {
  /// The step size η (≥ 0).
  public var learningRate: Double
  /// β1 in [0, 1), the decay of the first-moment average.
  public let beta1: Double
  /// β2 in [0, 1), the decay of the second-moment average.
  public let beta2: Double
  /// ε (≥ 0), added to the denominator for numerical stability.
  public let epsilon: Double
  /// The decoupled weight decay λ (≥ 0).
  public let weightDecay: Double
  /// The moment estimates and step counts, keyed by parameter path.
  public var state = OptimizerState()

  /// Creates the optimizer with PyTorch's defaults.
  ///
  /// - Parameters:
  ///   - learningRate: η ≥ 0 (default 1e-3).
  ///   - beta1: β1 in [0, 1) (default 0.9).
  ///   - beta2: β2 in [0, 1) (default 0.999).
  ///   - epsilon: ε ≥ 0 (default 1e-8).
  ///   - weightDecay: λ ≥ 0 (default 1e-2).
  public init(
    learningRate: Double = 1e-3, beta1: Double = 0.9, beta2: Double = 0.999,
    epsilon: Double = 1e-8, weightDecay: Double = 1e-2
  ) {
    AdamRule.check(
      "AdamW", learningRate: learningRate, beta1: beta1, beta2: beta2, epsilon: epsilon,
      weightDecay: weightDecay)
    self.learningRate = learningRate
    self.beta1 = beta1
    self.beta2 = beta2
    self.epsilon = epsilon
    self.weightDecay = weightDecay
  }

  /// `adamw`.
  public var kind: String { "adamw" }

  /// `beta1`, `beta2`, `epsilon` and `weight_decay`.
  public var hyperParameters: [String: String] {
    AdamRule.hyperParameters(beta1, beta2, epsilon, weightDecay)
  }

  /// `exp_avg` and `exp_avg_sq`.
  public var stateNames: [String] { AdamRule.stateNames }

  /// Updates one parameter tensor (see the type's documentation for the rule).
  ///
  /// - Parameters:
  ///   - parameter: θ, updated in place.
  ///   - gradient: g.
  ///   - state: `exp_avg` and `exp_avg_sq`, absent (zero) before the first step.
  ///   - step: t, starting at 1.
  public func applySingle(
    parameter: inout [Double], gradient: [Double], state: inout [String: [Double]], step: Int
  ) {
    if weightDecay != 0 {
      let shrink = 1 - learningRate * weightDecay
      for i in parameter.indices { parameter[i] *= shrink }
    }
    AdamRule(
      learningRate: learningRate, beta1: beta1, beta2: beta2, epsilon: epsilon, step: step
    ).apply(parameter: &parameter, gradient: gradient, state: &state)
  }
}

/// The moment update and bias-corrected step shared by ``Adam`` and ``AdamW``.
struct AdamRule {
  let learningRate: Double
  let beta1: Double
  let beta2: Double
  let epsilon: Double
  let step: Int

  static let stateNames = ["exp_avg", "exp_avg_sq"]

  static func hyperParameters(
    _ beta1: Double, _ beta2: Double, _ epsilon: Double, _ weightDecay: Double
  ) -> [String: String] {
    [
      "beta1": "\(beta1)", "beta2": "\(beta2)", "epsilon": "\(epsilon)",
      "weight_decay": "\(weightDecay)",
    ]
  }

  /// The hyper-parameter preconditions of PyTorch's Adam and AdamW.
  static func check(
    _ name: String, learningRate: Double, beta1: Double, beta2: Double, epsilon: Double,
    weightDecay: Double
  ) {
    precondition(
      learningRate.isFinite && learningRate >= 0,
      "\(name): learningRate must be finite and non-negative, got \(learningRate)")
    precondition(beta1 >= 0 && beta1 < 1, "\(name): beta1 must lie in [0, 1), got \(beta1)")
    precondition(beta2 >= 0 && beta2 < 1, "\(name): beta2 must lie in [0, 1), got \(beta2)")
    precondition(
      epsilon.isFinite && epsilon >= 0,
      "\(name): epsilon must be finite and non-negative, got \(epsilon)")
    precondition(
      weightDecay.isFinite && weightDecay >= 0,
      "\(name): weightDecay must be finite and non-negative, got \(weightDecay)")
  }

  /// Updates the moments and the parameter, as `torch.optim.adam._single_tensor_adam`.
  func apply(parameter: inout [Double], gradient: [Double], state: inout [String: [Double]]) {
    var mean = state["exp_avg"] ?? [Double](repeating: 0, count: parameter.count)
    var meanSquare = state["exp_avg_sq"] ?? [Double](repeating: 0, count: parameter.count)
    // Bias corrections of step t, computed in Double as PyTorch does (Python floats).
    let t = Double(step)
    let stepSize = learningRate / (1 - pow(beta1, t))
    let correctionRoot = (1 - pow(beta2, t)).squareRoot()
    for i in parameter.indices {
      let g = gradient[i]
      mean[i] = beta1 * mean[i] + (1 - beta1) * g
      meanSquare[i] = beta2 * meanSquare[i] + (1 - beta2) * g * g
      let denominator = meanSquare[i].squareRoot() / correctionRoot + epsilon
      parameter[i] -= stepSize * mean[i] / denominator
    }
    state["exp_avg"] = mean
    state["exp_avg_sq"] = meanSquare
  }
}
