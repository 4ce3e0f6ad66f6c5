import Tensors

extension Checkpoint {
  /// Returns the tensor with a name, after checking that it has the expected shape.
  ///
  /// Use it to load one parameter; to load a whole model, use ``tensors(matching:)``, which
  /// also reports tensors that the model does not expect.
  ///
  /// - Parameters:
  ///   - name: The key path, such as `layers.2.weight`.
  ///   - shape: The shape the model expects.
  /// - Returns: The tensor.
  /// - Throws: ``CheckpointError/mismatch(path:problems:)`` with one
  ///   ``CheckpointMismatch/missing(name:expectedShape:)`` or
  ///   ``CheckpointMismatch/wrongShape(name:expected:found:)``, whose message reads like
  ///   `layers.2.weight: expected [64, 128], found [128, 64]`.
  /// - Complexity: O(rank).
  public func tensor(named name: String, shape: [Int]) throws -> Tensor {
    guard let tensor = self[name] else {
      throw CheckpointError.mismatch(
        path: sourcePath, problems: [.missing(name: name, expectedShape: shape)])
    }
    guard tensor.shape == shape else {
      throw CheckpointError.mismatch(
        path: sourcePath,
        problems: [.wrongShape(name: name, expected: shape, found: tensor.shape)])
    }
    return tensor
  }

  /// Returns every expected tensor, after checking that the checkpoint holds exactly the
  /// expected names with the expected shapes.
  ///
  /// All problems are collected before throwing: first the missing tensors and wrong shapes in
  /// the order of `expected`, then the unexpected tensors in checkpoint order. The error's
  /// first line is a summary with the counts; each problem follows on its own line.
  ///
  /// - Parameter expected: The model's parameters as key paths and shapes, such as
  ///   `[("layers.0.weight", [64, 128]), ("layers.0.bias", [64])]`; names must be unique.
  /// - Returns: The tensors by name, one for each expected name.
  /// - Throws: ``CheckpointError/mismatch(path:problems:)`` listing every
  ///   ``CheckpointMismatch``.
  /// - Complexity: O(`count` + `expected.count`) dictionary look-ups.
  public func tensors(matching expected: [(name: String, shape: [Int])]) throws
    -> [String: Tensor]
  {
    var result: [String: Tensor] = [:]
    result.reserveCapacity(expected.count)
    var problems: [CheckpointMismatch] = []
    var expectedNames = Set<String>()
    for (name, shape) in expected {
      precondition(
        expectedNames.insert(name).inserted,
        "Checkpoint.tensors(matching:): the name '\(name)' is expected twice")
      if let tensor = self[name] {
        if tensor.shape == shape {
          result[name] = tensor
        } else {
          problems.append(.wrongShape(name: name, expected: shape, found: tensor.shape))
        }
      } else {
        problems.append(.missing(name: name, expectedShape: shape))
      }
    }
    for name in names where !expectedNames.contains(name) {
      problems.append(.unexpected(name: name, shape: self[name]!.shape))
    }
    if !problems.isEmpty { throw CheckpointError.mismatch(path: sourcePath, problems: problems) }
    return result
  }
}
