/// One difference between a checkpoint's tensors and the names and shapes a model expects.
///
/// ``description`` follows STYLE §5: the key path, then both shapes, such as
/// `layers.2.weight: expected [64, 128], found [128, 64]`.
public enum CheckpointMismatch: CustomStringConvertible, Hashable, Sendable {
  /// The model expects a tensor that the checkpoint lacks.
  case missing(name: String, expectedShape: [Int])
  /// The checkpoint holds a tensor that the model does not expect.
  case unexpected(name: String, shape: [Int])
  /// The tensor exists with another shape.
  case wrongShape(name: String, expected: [Int], found: [Int])

  /// The tensor name this problem is about.
  public var name: String {
    switch self {
    case .missing(let name, _), .unexpected(let name, _), .wrongShape(let name, _, _): name
    }
  }

  /// `name: expected [..], found [..]`, on one line.
  public var description: String {
    let key = CheckpointError.escaped(name)
    switch self {
    case .missing(_, let expected):
      return "\(key): expected \(expected), found no tensor of that name"
    case .unexpected(_, let shape):
      return "\(key): expected no tensor of that name, found \(shape)"
    case .wrongShape(_, let expected, let found):
      return "\(key): expected \(expected), found \(found)"
    }
  }
}
