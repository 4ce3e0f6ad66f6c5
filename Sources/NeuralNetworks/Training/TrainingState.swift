/// How far a ``Trainer`` has got; saved in its checkpoints and restored on resume.
///
/// Nothing random needs saving: the shuffle of epoch `e` is drawn from a generator seeded by
/// `(seed, e)` and the dropout masks of batch `b` from one seeded by `(seed, e, b)`, so the
/// seed and the epoch count fix every later random choice.
public struct TrainingState: Sendable, Hashable {
  /// The number of finished epochs, which is also the index of the next epoch and the
  /// position in the learning-rate schedule.
  public internal(set) var epochsCompleted: Int
  /// The number of optimizer steps taken over all epochs.
  public internal(set) var stepsCompleted: Int

  /// Creates a state.
  ///
  /// - Parameters:
  ///   - epochsCompleted: Finished epochs (default 0).
  ///   - stepsCompleted: Optimizer steps taken (default 0).
  public init(epochsCompleted: Int = 0, stepsCompleted: Int = 0) {
    precondition(
      epochsCompleted >= 0 && stepsCompleted >= 0,
      "TrainingState: counts must be non-negative, got \(epochsCompleted) epochs and "
        + "\(stepsCompleted) steps")
    self.epochsCompleted = epochsCompleted
    self.stepsCompleted = stepsCompleted
  }
}
