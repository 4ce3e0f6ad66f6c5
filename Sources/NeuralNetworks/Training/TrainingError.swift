/// A training checkpoint that cannot be resumed from.
///
/// ``description`` is one line: what failed, the file, the metadata key, what was expected and
/// found, and what to do. Problems with the tensors themselves are
/// ``CheckpointError/mismatch(path:problems:)``.
public enum TrainingError: Error, CustomStringConvertible, Hashable, Sendable {
  /// The checkpoint lacks a metadata entry that a resume needs; it was not written by
  /// ``Trainer`` (or not for this optimizer).
  case missingMetadata(path: String?, key: String)
  /// A metadata entry does not parse as the expected kind of value.
  case invalidMetadata(path: String?, key: String, value: String, expected: String)
  /// The checkpoint was saved with another setting than the current configuration has.
  case settingMismatch(path: String?, key: String, checkpoint: String, current: String)

  /// The one-line message.
  public var description: String {
    switch self {
    case .missingMetadata(let path, let key):
      return "\(Self.subject(path)): the metadata entry '\(CheckpointError.escaped(key))' is "
        + "missing; resume only from a checkpoint that Trainer saved with the same optimizer"
    case .invalidMetadata(let path, let key, let value, let expected):
      return "\(Self.subject(path)): the metadata entry '\(CheckpointError.escaped(key))' is "
        + "\(CheckpointError.quoted(value)), expected \(expected); the checkpoint is corrupt: "
        + "resume from an earlier one"
    case .settingMismatch(let path, let key, let checkpoint, let current):
      return "\(Self.subject(path)): it was saved with \(CheckpointError.escaped(key)) = "
        + "\(CheckpointError.quoted(checkpoint)), but this run has "
        + "\(CheckpointError.quoted(current)); resume with the checkpoint's setting, or start a "
        + "new run"
    }
  }

  private static func subject(_ path: String?) -> String {
    if let path { return "cannot resume from checkpoint '\(CheckpointError.escaped(path))'" }
    return "cannot resume from the checkpoint"
  }

  /// The metadata entry `key`, or ``missingMetadata(path:key:)``.
  static func metadata(_ key: String, in checkpoint: Checkpoint) throws -> String {
    guard let value = checkpoint.metadata[key] else {
      throw TrainingError.missingMetadata(path: checkpoint.sourcePath, key: key)
    }
    return value
  }
}
