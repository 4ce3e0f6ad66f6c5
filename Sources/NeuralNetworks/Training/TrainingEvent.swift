import Foundation

/// Progress reported by a ``Trainer`` through its callback; the library never prints.
///
/// Epoch and batch numbers count from 0; a command line shows `epoch + 1`.
public enum TrainingEvent: Sendable {
  /// An epoch is about to start.
  case epochStarted(EpochStart)
  /// One optimizer step has finished.
  case batchFinished(BatchReport)
  /// An epoch has finished (before its checkpoint, if any, is written).
  case epochFinished(EpochReport)
  /// A checkpoint was written after the epoch with this index.
  case checkpointSaved(epoch: Int, url: URL)
}

/// The facts of an epoch that is about to start.
public struct EpochStart: Sendable, Hashable {
  /// The epoch index, from 0.
  public let epoch: Int
  /// The configured number of epochs.
  public let epochs: Int
  /// The number of batches in the epoch.
  public let batches: Int
  /// The learning rate for the whole epoch.
  public let learningRate: Double
}

/// The result of one optimizer step.
public struct BatchReport: Sendable, Hashable {
  /// The epoch index, from 0.
  public let epoch: Int
  /// The batch index within the epoch, from 0.
  public let batch: Int
  /// The number of batches in the epoch.
  public let batches: Int
  /// The number of examples in the batch.
  public let examples: Int
  /// The mean cross-entropy of the batch (with label smoothing, if configured), before the step.
  public let loss: Double
  /// The fraction of the batch whose training-mode logits had the label as arg-max, in [0, 1].
  public let accuracy: Double
  /// Examples per second of wall-clock time for this step (data, forward, backward, update).
  public let imagesPerSecond: Double
}

/// The result of a finished epoch.
public struct EpochReport: Sendable, Hashable {
  /// The epoch index, from 0.
  public let epoch: Int
  /// The configured number of epochs.
  public let epochs: Int
  /// The number of examples seen.
  public let examples: Int
  /// The learning rate of the epoch.
  public let learningRate: Double
  /// The mean training loss over the epoch's examples.
  public let meanLoss: Double
  /// The fraction of the epoch's examples classified correctly in training mode, in [0, 1].
  public let accuracy: Double
  /// The wall-clock duration of the epoch, in seconds.
  public let elapsedSeconds: Double
  /// The estimated seconds until the configured number of epochs is reached: the mean epoch
  /// duration of this session times the epochs left.
  public let estimatedSecondsRemaining: Double
}
