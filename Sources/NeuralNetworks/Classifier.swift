import Foundation
import ResultFiles
import Tensors

/// The description of a trained model, stored as `model.json` beside its weights.
///
/// Schema `semrob.model/1`:
/// `{"schema", "name", "architecture", "input_size", "normalization": {"mean", "std"} | null,
///   "classes": [..], "weights": "weights.safetensors", "weights_sha256", "accuracy": {..}}`.
public struct ModelDescription: Codable, Sendable, Hashable {
  /// Per-channel input statistics.
  public struct Statistics: Codable, Sendable, Hashable {
    /// Channel means.
    public var mean: [Double]
    /// Channel standard deviations.
    public var std: [Double]

    /// Creates statistics.
    ///
    /// - Parameters:
    ///   - mean: Channel means.
    ///   - std: Channel standard deviations.
    public init(mean: [Double], std: [Double]) {
      self.mean = mean
      self.std = std
    }
  }

  /// The schema tag, `semrob.model/1`.
  public var schema: String
  /// The model's name (its folder name under `Models/`).
  public var name: String
  /// An ``Architecture`` raw value.
  public var architecture: String
  /// The square input side.
  public var inputSize: Int
  /// The input normalisation applied inside the model, or `nil`.
  public var normalization: Statistics?
  /// Class names in output order.
  public var classes: [String]
  /// The weights file, relative to the model folder.
  public var weights: String
  /// The weights file's SHA-256 (lowercase hex).
  public var weightsSHA256: String?
  /// Named top-1 accuracies in [0, 1], such as `training-poses` and `uniform-poses`.
  public var accuracy: [String: Double]?

  enum CodingKeys: String, CodingKey {
    case schema, name, architecture, normalization, classes, weights, accuracy
    case inputSize = "input_size"
    case weightsSHA256 = "weights_sha256"
  }

  /// The current schema tag.
  public static let currentSchema = "semrob.model/1"

  /// Creates a description.
  ///
  /// - Parameters:
  ///   - schema: The schema tag (``currentSchema``).
  ///   - name: The model's name.
  ///   - architecture: An ``Architecture`` raw value.
  ///   - inputSize: The square input side.
  ///   - normalization: The input normalisation inside the model, or `nil`.
  ///   - classes: Class names in output order.
  ///   - weights: The weights file, relative to the model folder.
  ///   - weightsSHA256: The weights file's SHA-256, or `nil`.
  ///   - accuracy: Named top-1 accuracies, or `nil`.
  public init(
    schema: String = currentSchema, name: String, architecture: String, inputSize: Int,
    normalization: Statistics?, classes: [String], weights: String, weightsSHA256: String?,
    accuracy: [String: Double]?
  ) {
    self.schema = schema
    self.name = name
    self.architecture = architecture
    self.inputSize = inputSize
    self.normalization = normalization
    self.classes = classes
    self.weights = weights
    self.weightsSHA256 = weightsSHA256
    self.accuracy = accuracy
  }
}

/// A classifier ready for analyses: network (with its input normalisation inside), class
/// names and the folded inference copy.
///
/// Inputs are RGB images `[N, 3, S, S]` in [0, 1]; outputs are logits `[N, classes]`.
public struct Classifier: Sendable {
  /// A display name (model name or architecture).
  public let name: String
  /// The architecture.
  public let architecture: Architecture
  /// Class names in output order.
  public let classNames: [String]
  /// The full network (trainable; parameter paths of the weights file).
  public let network: Network
  /// The inference network: batch norm folded, ReLUs fused.
  public let inference: Network

  /// Wraps a network.
  ///
  /// - Parameters:
  ///   - name: A display name.
  ///   - architecture: The architecture of `network`.
  ///   - classNames: One name per output.
  ///   - network: The network, taking [0, 1] images.
  public init(name: String, architecture: Architecture, classNames: [String], network: Network) {
    precondition(
      network.outputShape == [classNames.count],
      "Classifier: \(classNames.count) class names for output \(network.outputShape)")
    self.name = name
    self.architecture = architecture
    self.classNames = classNames
    self.network = network
    self.inference = network.foldedForInference()
  }

  /// The square input side.
  public var inputSize: Int { network.inputShape[1] }

  /// Logits of a batch in inference mode.
  ///
  /// - Parameter images: `[N, 3, S, S]` in [0, 1].
  /// - Returns: `[N, classes]`.
  public func logits(_ images: Tensor) -> Tensor { inference(images) }

  /// Loads a classifier from an architecture and a safetensors file (torchvision keys).
  ///
  /// - Parameters:
  ///   - architecture: The architecture.
  ///   - weights: The weights file.
  ///   - inputSize: Square input side (the architecture's design size when `nil`).
  ///   - normalization: Input normalisation inside the model, or `nil`.
  ///   - classNames: Names for the outputs; `class 0 …` when `nil`. The class count is read
  ///     from the weights (the last layer's bias or weight).
  /// - Returns: The classifier.
  /// - Throws: ``CheckpointError`` for unreadable or mismatched weights, ``NetworkShapeError``
  ///   for an impossible input size.
  public static func load(
    architecture: Architecture, weights: URL, inputSize: Int? = nil,
    normalization: ChannelNormalization? = nil, classNames: [String]? = nil
  ) throws -> Classifier {
    let checkpoint = try Checkpoint(contentsOf: weights)
    let template = try architecture.tensorShapes(inputSize: inputSize)
    let head = template.last { $0.path.hasSuffix(".weight") && $0.shape.count == 2 }
    let classes =
      head.flatMap { checkpoint[$0.path]?.shape.first } ?? architecture.defaultClassCount
    var network = try architecture.makeNetwork(
      classes: classes, inputSize: inputSize, seed: nil, normalization: normalization)
    try network.load(checkpoint)
    let names = classNames ?? (0..<classes).map { "class \($0)" }
    guard names.count == classes else {
      throw CheckpointError.invalidHeader(
        path: weights.path,
        reason: "the weights have \(classes) classes but \(names.count) class names were given")
    }
    return Classifier(
      name: architecture.rawValue, architecture: architecture, classNames: names,
      network: network)
  }

  /// Loads a model folder (`model.json` + weights), checking the weights' SHA-256.
  ///
  /// - Parameter folder: The model folder, e.g. `Models/resnet-mini`.
  /// - Returns: The classifier and its description.
  /// - Throws: ``ClassifierError`` for a missing or malformed description or a hash mismatch;
  ///   ``CheckpointError`` for bad weights.
  public static func load(folder: URL) throws -> (Classifier, ModelDescription) {
    let descriptionURL = folder.appending(path: "model.json")
    let data: Data
    switch FileReader.read(path: descriptionURL.path, limit: 16 << 20) {
    case .success(let contents): data = contents.bytes
    case .failure(let failure):
      throw ClassifierError.unreadableDescription(
        path: descriptionURL.path, reason: failure.reason)
    }
    let description: ModelDescription
    do {
      description = try JSONDecoder().decode(ModelDescription.self, from: data)
    } catch {
      throw ClassifierError.unreadableDescription(
        path: descriptionURL.path, reason: OneLine.make("\(error)"))
    }
    guard description.schema == ModelDescription.currentSchema else {
      throw ClassifierError.unreadableDescription(
        path: descriptionURL.path,
        reason: "schema \(description.schema), expected \(ModelDescription.currentSchema)")
    }
    guard let architecture = Architecture(rawValue: description.architecture) else {
      throw ClassifierError.unreadableDescription(
        path: descriptionURL.path, reason: "unknown architecture '\(description.architecture)'")
    }
    let weights = folder.appending(path: description.weights)
    if let expected = description.weightsSHA256 {
      let found = try SHA256.hash(contentsOf: weights)
      guard found == expected.lowercased() else {
        throw ClassifierError.hashMismatch(path: weights.path, expected: expected, found: found)
      }
    }
    let normalization = description.normalization.map {
      ChannelNormalization(mean: $0.mean, standardDeviation: $0.std)
    }
    let loaded = try load(
      architecture: architecture, weights: weights, inputSize: description.inputSize,
      normalization: normalization, classNames: description.classes)
    let classifier = Classifier(
      name: description.name, architecture: architecture, classNames: description.classes,
      network: loaded.network)
    return (classifier, description)
  }
}

/// A problem with a model folder.
public enum ClassifierError: Error, CustomStringConvertible, Sendable {
  /// `model.json` is missing or malformed.
  case unreadableDescription(path: String, reason: String)
  /// The weights file does not have the recorded hash.
  case hashMismatch(path: String, expected: String, found: String)

  /// A one-line message naming the problem and the fix.
  public var description: String {
    switch self {
    case .unreadableDescription(let path, let reason):
      "cannot use model description \(path): \(reason); restore the model folder or retrain it"
    case .hashMismatch(let path, let expected, let found):
      "weights \(path) have SHA-256 \(found) but model.json records \(expected); the file is "
        + "corrupt or replaced: restore it (git checkout) or retrain the model"
    }
  }
}
