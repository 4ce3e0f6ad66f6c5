import Foundation

/// The learning rate of each epoch: constant, step decay or cosine annealing, optionally after
/// a linear warm-up.
///
/// Epochs count from 0, like PyTorch's `last_epoch`; the value for epoch `e` is the rate used
/// throughout epoch `e`. With base rate η₀ and decay epoch `d`:
///
/// ```
/// constant         η(d) = η₀
/// step(s, γ)       η(d) = η₀ · γ^⌊d / s⌋                              (StepLR)
/// cosine(T, ηmin)  η(d) = ηmin + (η₀ − ηmin) · (1 + cos(π · d / T)) / 2  (CosineAnnealingLR)
/// ```
///
/// These are PyTorch's closed forms (`_get_closed_form_lr`). A linear warm-up of `W` epochs
/// from factor `f` uses `η₀ · (f + (1 − f) · e / W)` for `e < W` (LinearLR) and then the decay
/// with `d = e − W`, as `SequentialLR([LinearLR(f, total_iters=W), decay], milestones=[W])`.
/// Without warm-up, `d = e`.
///
/// Reference: Loshchilov & Hutter, "SGDR: Stochastic Gradient Descent with Warm Restarts",
/// ICLR 2017 (arXiv:1608.03983) (cosine annealing); Goyal et al., "Accurate, Large Minibatch
/// SGD: Training ImageNet in 1 Hour", 2017 (arXiv:1706.02677) (linear warm-up).
///
/// - Note: After `T` epochs the cosine closed form rises again (period `2T`), as PyTorch's
///   `CosineAnnealingLR` does without restarts; choose `T` as the number of decay epochs.
public struct LearningRateSchedule: Sendable, Hashable, CustomStringConvertible {
  /// How the learning rate decays after the warm-up.
  public enum Decay: Sendable, Hashable {
    /// The base rate throughout.
    case constant
    /// Multiply by `factor` (γ) every `stepSize` epochs.
    case step(stepSize: Int, factor: Double)
    /// Cosine annealing from the base rate to `minimum` over `epochs` (T) epochs.
    case cosine(epochs: Int, minimum: Double)
  }

  /// A linear warm-up from `startFactor · η₀` towards η₀ over `epochs` epochs.
  public struct Warmup: Sendable, Hashable {
    /// W ≥ 1, the number of warm-up epochs.
    public let epochs: Int
    /// f in (0, 1], the factor of the first epoch.
    public let startFactor: Double

    /// Creates a warm-up.
    ///
    /// - Parameters:
    ///   - epochs: W ≥ 1.
    ///   - startFactor: f in (0, 1] (PyTorch LinearLR's default is 1/3).
    public init(epochs: Int, startFactor: Double = 1.0 / 3.0) {
      precondition(epochs >= 1, "LearningRateSchedule: warm-up epochs must be ≥ 1, got \(epochs)")
      precondition(
        startFactor > 0 && startFactor <= 1,
        "LearningRateSchedule: warm-up startFactor must lie in (0, 1], got \(startFactor)")
      self.epochs = epochs
      self.startFactor = startFactor
    }
  }

  /// η₀, the base learning rate (≥ 0).
  public let baseLearningRate: Double
  /// The decay after the warm-up.
  public let decay: Decay
  /// The warm-up, or `nil`.
  public let warmup: Warmup?

  /// Creates a schedule.
  ///
  /// - Parameters:
  ///   - baseLearningRate: η₀ ≥ 0.
  ///   - decay: The decay (default constant).
  ///   - warmup: An optional linear warm-up.
  public init(baseLearningRate: Double, decay: Decay = .constant, warmup: Warmup? = nil) {
    precondition(
      baseLearningRate.isFinite && baseLearningRate >= 0,
      "LearningRateSchedule: baseLearningRate must be finite and non-negative, got "
        + "\(baseLearningRate)")
    switch decay {
    case .constant:
      break
    case .step(let stepSize, let factor):
      precondition(stepSize >= 1, "LearningRateSchedule: stepSize must be ≥ 1, got \(stepSize)")
      precondition(
        factor.isFinite && factor > 0,
        "LearningRateSchedule: step factor must be finite and positive, got \(factor)")
    case .cosine(let epochs, let minimum):
      precondition(epochs >= 1, "LearningRateSchedule: cosine epochs must be ≥ 1, got \(epochs)")
      precondition(
        minimum.isFinite && minimum >= 0,
        "LearningRateSchedule: cosine minimum must be finite and non-negative, got \(minimum)")
    }
    self.baseLearningRate = baseLearningRate
    self.decay = decay
    self.warmup = warmup
  }

  /// A constant learning rate.
  ///
  /// - Parameter learningRate: η₀ ≥ 0.
  /// - Returns: The schedule.
  public static func constant(_ learningRate: Double) -> LearningRateSchedule {
    LearningRateSchedule(baseLearningRate: learningRate)
  }

  /// Step decay: multiply by `factor` every `stepSize` epochs (PyTorch `StepLR`).
  ///
  /// - Parameters:
  ///   - learningRate: η₀ ≥ 0.
  ///   - stepSize: s ≥ 1 epochs.
  ///   - factor: γ > 0 (PyTorch's default 0.1).
  /// - Returns: The schedule.
  public static func step(_ learningRate: Double, stepSize: Int, factor: Double = 0.1)
    -> LearningRateSchedule
  {
    LearningRateSchedule(
      baseLearningRate: learningRate, decay: .step(stepSize: stepSize, factor: factor))
  }

  /// Cosine annealing to `minimum` over `epochs` epochs (PyTorch `CosineAnnealingLR`).
  ///
  /// - Parameters:
  ///   - learningRate: η₀ ≥ 0.
  ///   - epochs: T ≥ 1.
  ///   - minimum: ηmin ≥ 0 (default 0).
  /// - Returns: The schedule.
  public static func cosine(_ learningRate: Double, epochs: Int, minimum: Double = 0)
    -> LearningRateSchedule
  {
    LearningRateSchedule(
      baseLearningRate: learningRate, decay: .cosine(epochs: epochs, minimum: minimum))
  }

  /// The same schedule preceded by a linear warm-up.
  ///
  /// - Parameters:
  ///   - epochs: W ≥ 1 warm-up epochs.
  ///   - startFactor: f in (0, 1].
  /// - Returns: The schedule with the warm-up.
  public func withLinearWarmup(epochs: Int, startFactor: Double = 1.0 / 3.0)
    -> LearningRateSchedule
  {
    LearningRateSchedule(
      baseLearningRate: baseLearningRate, decay: decay,
      warmup: Warmup(epochs: epochs, startFactor: startFactor))
  }

  /// The learning rate of an epoch.
  ///
  /// - Parameter epoch: The epoch index, from 0.
  /// - Returns: η for that epoch.
  public func learningRate(atEpoch epoch: Int) -> Double {
    precondition(epoch >= 0, "LearningRateSchedule: epoch must be ≥ 0, got \(epoch)")
    var decayEpoch = epoch
    if let warmup {
      if epoch < warmup.epochs {
        // LinearLR closed form with end factor 1.
        let fraction = Double(epoch) / Double(warmup.epochs)
        return baseLearningRate * (warmup.startFactor + (1 - warmup.startFactor) * fraction)
      }
      decayEpoch = epoch - warmup.epochs
    }
    switch decay {
    case .constant:
      return baseLearningRate
    case .step(let stepSize, let factor):
      return baseLearningRate * pow(factor, Double(decayEpoch / stepSize))
    case .cosine(let epochs, let minimum):
      let phase = Double.pi * Double(decayEpoch) / Double(epochs)
      return minimum + (baseLearningRate - minimum) * (1 + cos(phase)) / 2
    }
  }

  /// A one-line description that determines the schedule, such as
  /// `cosine(base=0.1, epochs=30, minimum=0.0), warmup(epochs=5, start_factor=0.1)`; it is
  /// recorded in training checkpoints.
  public var description: String {
    var text: String
    switch decay {
    case .constant:
      text = "constant(base=\(baseLearningRate))"
    case .step(let stepSize, let factor):
      text = "step(base=\(baseLearningRate), step_size=\(stepSize), factor=\(factor))"
    case .cosine(let epochs, let minimum):
      text = "cosine(base=\(baseLearningRate), epochs=\(epochs), minimum=\(minimum))"
    }
    if let warmup {
      text += ", warmup(epochs=\(warmup.epochs), start_factor=\(warmup.startFactor))"
    }
    return text
  }
}
