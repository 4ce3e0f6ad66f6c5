import Tensors

/// What an optimizer remembers about each parameter, keyed by the parameter's path.
///
/// PyTorch keeps the same information in `optimizer.state[p]`: a step count and named state
/// tensors (`momentum_buffer` for SGD, `exp_avg` and `exp_avg_sq` for Adam). A parameter that
/// has never been updated has no entry. State tensors have the parameter's shape and the
/// network's element type.
///
/// In a checkpoint the tensors are named `optimizer.<path>.<name>` (for example
/// `optimizer.0.weight.exp_avg`) and the step counts are the metadata entries
/// `optimizer.<path>.step`; see ``Optimizer/checkpointTensors()`` and
/// ``Optimizer/checkpointMetadata()``.
public struct OptimizerState: Sendable, Hashable {
  /// The number of updates applied to each parameter (PyTorch's `state[p]["step"]`).
  public var steps: [String: Int]
  /// The state tensors of each parameter, by path and then by state name.
  public var tensors: [String: [String: Tensor]]

  /// Creates a state; the default is the empty state of a fresh optimizer.
  ///
  /// - Parameters:
  ///   - steps: Update counts by parameter path.
  ///   - tensors: State tensors by parameter path and state name.
  public init(steps: [String: Int] = [:], tensors: [String: [String: Tensor]] = [:]) {
    self.steps = steps
    self.tensors = tensors
  }

  /// Whether no parameter has been updated yet.
  public var isEmpty: Bool { steps.isEmpty && tensors.isEmpty }
}

/// A first-order optimizer that updates ``Network/parameters`` from ``Gradients/parameters``.
///
/// As in mlx-swift's `OptimizerBase`, a conforming type writes only the update of one tensor,
/// ``applySingle(parameter:gradient:state:step:)``, over that tensor's keyed state. The shared
/// ``update(_:along:)`` walks the parameters, keeps the state keyed by path, and checks shapes;
/// ``checkpointTensors()``, ``checkpointMetadata()`` and ``restoreState(from:for:)`` move the
/// state to and from a safetensors checkpoint.
///
/// Numerics: every update is computed in Double from the stored values, and the new parameter
/// and state tensors are then rounded to the network's element type, which is where they are
/// stored (PyTorch likewise keeps optimizer state in the parameter's dtype). For a Float32
/// network the state therefore survives a Float32 checkpoint bit for bit, so a resumed run
/// continues exactly; the results agree with PyTorch's float32 optimizers to rounding (about
/// 1e-7 relative per step).
public protocol Optimizer: Sendable {
  /// A short name recorded in checkpoints: `sgd`, `adam` or `adamw`.
  var kind: String { get }
  /// The step size η. A ``LearningRateSchedule`` sets it before each epoch.
  var learningRate: Double { get set }
  /// The hyper-parameters other than the learning rate, by snake_case name, as text that reads
  /// back to the same value (checkpoint metadata `optimizer.<name>`).
  var hyperParameters: [String: String] { get }
  /// The names of the state tensors each updated parameter has, such as `["exp_avg",
  /// "exp_avg_sq"]`; empty for plain SGD.
  var stateNames: [String] { get }
  /// The per-parameter state, keyed by parameter path.
  var state: OptimizerState { get set }

  /// Updates one parameter tensor in place, given its gradient and its state.
  ///
  /// - Parameters:
  ///   - parameter: The parameter's elements in row-major order, widened to Double.
  ///   - gradient: `∂L/∂θ`, the same count, in Double.
  ///   - state: The parameter's state tensors by name, in Double; empty before the first
  ///     update. On return it must hold exactly ``stateNames``, each with the parameter's count.
  ///   - step: The number of this update for this parameter, starting at 1.
  func applySingle(
    parameter: inout [Double], gradient: [Double], state: inout [String: [Double]], step: Int)
}

extension Optimizer {
  /// The prefix of every optimizer entry in a checkpoint.
  static var checkpointPrefix: String { "optimizer." }

  /// Applies one update to every parameter that has a gradient.
  ///
  /// Parameters without a gradient (for example outside a ``ParameterSelection``) are left
  /// alone and their state does not advance, as in PyTorch when `p.grad is None`.
  ///
  /// - Parameters:
  ///   - network: The network whose parameters change.
  ///   - gradients: A backward pass of `network`; each parameter gradient must have the
  ///     parameter's shape.
  /// - Complexity: O(parameter count).
  public mutating func update(_ network: inout Network, along gradients: Gradients) {
    precondition(
      learningRate.isFinite && learningRate >= 0,
      "\(kind): learningRate must be finite and non-negative, got \(learningRate)")
    for path in gradients.parameters.keys where network.parameters[path] == nil {
      preconditionFailure("\(kind).update: the network has no parameter '\(path)'")
    }
    let type = network.elementType
    let names = stateNames.sorted()
    for path in network.parameterPaths {
      guard let gradient = gradients.parameters[path] else { continue }
      let parameter = network.parameters[path]!
      precondition(
        gradient.shape == parameter.shape,
        "\(kind).update: \(path): gradient shape \(gradient.shape) differs from parameter shape "
          + "\(parameter.shape)")
      var values = parameter.doubles
      var slots = state.tensors[path]?.mapValues(\.doubles) ?? [:]
      let step = (state.steps[path] ?? 0) + 1
      applySingle(parameter: &values, gradient: gradient.doubles, state: &slots, step: step)
      precondition(
        values.count == parameter.count && slots.keys.sorted() == names
          && slots.values.allSatisfy { $0.count == parameter.count },
        "\(kind).applySingle: \(path): the update changed the element count or left state "
          + "\(slots.keys.sorted()) instead of \(names)")
      network.parameters[path] = Self.makeTensor(values, shape: parameter.shape, type: type)
      state.steps[path] = step
      state.tensors[path] =
        names.isEmpty
        ? nil : slots.mapValues { Self.makeTensor($0, shape: parameter.shape, type: type) }
    }
  }

  /// Forgets every step count and state tensor, as for a fresh optimizer.
  public mutating func resetState() {
    state = OptimizerState()
  }

  /// The state tensors, named `optimizer.<path>.<state name>`, sorted by name.
  ///
  /// - Returns: Name–tensor pairs for ``Checkpoint/init(tensors:metadata:)``.
  public func checkpointTensors() -> [(name: String, tensor: Tensor)] {
    var result: [(name: String, tensor: Tensor)] = []
    for (path, slots) in state.tensors {
      for (name, tensor) in slots {
        result.append((Self.checkpointPrefix + path + "." + name, tensor))
      }
    }
    return result.sorted { $0.name.utf8.lexicographicallyPrecedes($1.name.utf8) }
  }

  /// The metadata that describes the optimizer: `optimizer.kind`, `optimizer.learning_rate`,
  /// every hyper-parameter as `optimizer.<name>`, and each step count as
  /// `optimizer.<path>.step`.
  ///
  /// - Returns: String metadata for a checkpoint header.
  public func checkpointMetadata() -> [String: String] {
    var metadata = ["optimizer.kind": kind, "optimizer.learning_rate": "\(learningRate)"]
    for (name, value) in hyperParameters { metadata[Self.checkpointPrefix + name] = value }
    for (path, step) in state.steps { metadata[Self.checkpointPrefix + path + ".step"] = "\(step)" }
    return metadata
  }

  /// Restores the state saved by ``checkpointTensors()`` and ``checkpointMetadata()``.
  ///
  /// The checkpoint must come from an optimizer of the same kind and hyper-parameters (the
  /// learning rate may differ; a schedule sets it). Only the entries that start with
  /// `optimizer.` are read; nothing changes unless every check passes. State tensors are
  /// converted to the network's element type.
  ///
  /// - Parameters:
  ///   - checkpoint: A checkpoint with optimizer entries.
  ///   - network: The network the state belongs to (its paths and shapes).
  /// - Throws: ``TrainingError/settingMismatch(path:key:checkpoint:current:)`` for another
  ///   kind or hyper-parameter, ``TrainingError/missingMetadata(path:key:)`` or
  ///   ``TrainingError/invalidMetadata(path:key:value:expected:)`` for a missing or unreadable
  ///   entry, and ``CheckpointError/mismatch(path:problems:)`` for missing, unexpected or
  ///   wrongly shaped state tensors.
  public mutating func restoreState(from checkpoint: Checkpoint, for network: Network) throws {
    let expected = try expectedStateTensors(in: checkpoint, for: network)
    let values = try checkpoint.tensors(
      matching: expected.tensors.map { ($0.name, $0.shape) }, inNamespace: Self.checkpointPrefix)
    var restored = OptimizerState(steps: expected.steps)
    for entry in expected.tensors {
      restored.tensors[entry.path, default: [:]][entry.state] =
        values[entry.name]!.converted(to: network.elementType)
    }
    state = restored
  }

  /// Checks the optimizer's kind and hyper-parameters against a checkpoint and lists the
  /// state tensors its step counts imply.
  func expectedStateTensors(in checkpoint: Checkpoint, for network: Network) throws -> (
    steps: [String: Int], tensors: [(name: String, path: String, state: String, shape: [Int])]
  ) {
    let source = checkpoint.sourcePath
    let found = try TrainingError.metadata("optimizer.kind", in: checkpoint)
    guard found == kind else {
      throw TrainingError.settingMismatch(
        path: source, key: "optimizer.kind", checkpoint: found, current: kind)
    }
    for (name, value) in hyperParameters.sorted(by: { $0.key < $1.key }) {
      let key = Self.checkpointPrefix + name
      let recorded = try TrainingError.metadata(key, in: checkpoint)
      guard recorded == value else {
        throw TrainingError.settingMismatch(
          path: source, key: key, checkpoint: recorded, current: value)
      }
    }
    var steps: [String: Int] = [:]
    var tensors: [(name: String, path: String, state: String, shape: [Int])] = []
    for path in network.parameterPaths {
      let key = Self.checkpointPrefix + path + ".step"
      guard let text = checkpoint.metadata[key] else { continue }
      guard let step = Int(text), step > 0 else {
        throw TrainingError.invalidMetadata(
          path: source, key: key, value: text, expected: "a positive integer")
      }
      steps[path] = step
      for name in stateNames.sorted() {
        tensors.append(
          (
            Self.checkpointPrefix + path + "." + name, path, name,
            network.parameters[path]!.shape
          ))
      }
    }
    return (steps, tensors)
  }

  /// A tensor of the network's element type from Double values.
  static func makeTensor(_ values: [Double], shape: [Int], type: ElementType) -> Tensor {
    switch type {
    // An array, not a lazy map: the tensor initialiser is generic across modules, and a lazy
    // sequence would be read element by element through unspecialised generic code.
    case .float32: Tensor(shape: shape, scalars: ContiguousArray(values.map { Float($0) }))
    case .float64: Tensor(shape: shape, float64Scalars: values)
    }
  }
}

extension Checkpoint {
  /// ``tensors(matching:)`` restricted to the names that start with `prefix`: every expected
  /// name must be present with its shape, and no other name with the prefix may be.
  func tensors(matching expected: [(name: String, shape: [Int])], inNamespace prefix: String)
    throws -> [String: Tensor]
  {
    var subset = Checkpoint(
      tensors: tensors.filter { $0.name.hasPrefix(prefix) }, metadata: metadata)
    subset.sourcePath = sourcePath
    return try subset.tensors(matching: expected)
  }
}
