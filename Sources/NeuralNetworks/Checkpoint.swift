import Tensors

/// An ordered list of named Float32 tensors plus string metadata: the contents of a
/// safetensors checkpoint.
///
/// Names are dotted key paths such as `layers.0.weight`, as in mlx-swift and PyTorch, and are
/// unique. Tensors keep the order in which they were added (or, for a checkpoint read from a
/// file, the order of the file's header); ``encoded()`` writes them sorted by name.
///
/// Read a file with ``init(contentsOf:)`` and check it against a model's parameters with
/// ``tensors(matching:)`` or ``tensor(named:shape:)``; write one with ``write(to:)``:
///
/// ```swift
/// var checkpoint = Checkpoint(metadata: ["seed": "0"])
/// checkpoint["layers.0.weight"] = weight
/// try checkpoint.write(to: url)
/// let loaded = try Checkpoint(contentsOf: url)
///   .tensors(matching: [("layers.0.weight", [64, 128])])
/// ```
///
/// Equality compares the names (in order), the tensors and the metadata, but not
/// ``sourcePath``. Tensors with NaN elements are never equal, as for `Tensor`.
public struct Checkpoint: Sendable {
  /// The tensor names, in order.
  public private(set) var names: [String]
  private var storage: [String: Tensor]
  /// Free-form string metadata, stored in the `__metadata__` entry of the file header.
  ///
  /// ``encoded()`` adds `"format": NeuralNetworksInfo.checkpointFormat`, replacing any
  /// `format` entry here; a checkpoint read from a file holds the file's metadata as written.
  public var metadata: [String: String]
  /// The path of the file this checkpoint was read from, which errors name; `nil` for a
  /// checkpoint built in memory or decoded from `Data`.
  public internal(set) var sourcePath: String?

  /// The name reserved for the header's metadata entry, which no tensor may have.
  public static let metadataKey = "__metadata__"

  /// Creates a checkpoint from named tensors and metadata.
  ///
  /// - Parameters:
  ///   - tensors: Name–tensor pairs, kept in this order; names must be unique and must not
  ///     be ``metadataKey``.
  ///   - metadata: String metadata for the file header.
  public init(tensors: [(name: String, tensor: Tensor)] = [], metadata: [String: String] = [:]) {
    self.names = []
    self.storage = [:]
    self.metadata = metadata
    for (name, tensor) in tensors {
      precondition(storage[name] == nil, "Checkpoint: the name '\(name)' appears twice")
      self[name] = tensor
    }
  }

  /// Number of tensors.
  public var count: Int { names.count }

  /// Whether the checkpoint holds no tensors.
  public var isEmpty: Bool { names.isEmpty }

  /// The tensors with their names, in order.
  ///
  /// - Complexity: O(`count`).
  public var tensors: [(name: String, tensor: Tensor)] {
    names.map { ($0, storage[$0]!) }
  }

  /// The tensor with a name, or `nil`; setting a new name appends it, setting an existing one
  /// replaces the tensor in place, and setting `nil` removes it.
  ///
  /// - Parameter name: A tensor name other than ``metadataKey``.
  /// - Complexity: Get O(1); set O(1) for a new or replaced name, O(`count`) for a removal.
  public subscript(name: String) -> Tensor? {
    get { storage[name] }
    set {
      precondition(
        name != Self.metadataKey, "Checkpoint: '\(Self.metadataKey)' is reserved for metadata")
      switch (storage[name], newValue) {
      case (nil, let tensor?):
        names.append(name)
        storage[name] = tensor
      case (_?, let tensor?):
        storage[name] = tensor
      case (_?, nil):
        names.removeAll { $0 == name }
        storage[name] = nil
      case (nil, nil):
        break
      }
    }
  }
}

extension Checkpoint: Hashable {
  /// Whether two checkpoints have the same names in the same order, equal tensors and equal
  /// metadata; ``sourcePath`` is ignored.
  ///
  /// - Parameters:
  ///   - lhs: A checkpoint.
  ///   - rhs: Another checkpoint.
  /// - Returns: `true` when the contents are equal.
  public static func == (lhs: Checkpoint, rhs: Checkpoint) -> Bool {
    lhs.names == rhs.names && lhs.storage == rhs.storage && lhs.metadata == rhs.metadata
  }

  /// Hashes the names, tensors and metadata (not ``sourcePath``).
  ///
  /// - Parameter hasher: The hasher to feed.
  public func hash(into hasher: inout Hasher) {
    hasher.combine(names)
    hasher.combine(storage)
    hasher.combine(metadata)
  }
}
