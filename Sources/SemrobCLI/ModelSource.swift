import ArgumentParser
import Foundation
import NeuralNetworks

/// Where a command gets its classifier: a shipped model (`--model NAME`) or an architecture with
/// a weights file (`--arch NAME --weights FILE`).
struct ModelOptions: ParsableArguments {
  @Option(help: "A trained model: a folder name under Models/, or a path to a model folder.")
  var model: String?
  @Option(help: "An architecture (see `semrob models`), used with --weights.")
  var arch: String?
  @Option(help: "Weights (.safetensors, torchvision state_dict keys) for --arch.")
  var weights: String?
  @Option(help: "Input normalisation inside the model with --arch: imagenet or none.")
  var normalize: NormalizationName = .imagenet
  @Option(help: "Input side in pixels with --arch (default: the architecture's design size).")
  var inputSize: Int?
  @Option(help: "A text file with one class name per line, in output order (with --arch).")
  var classNames: String?

  func validate() throws {
    switch (model, arch, weights) {
    case (.some, nil, nil), (nil, .some, .some): break
    case (nil, .some, nil): throw ValidationError("--arch needs --weights FILE.safetensors.")
    case (nil, nil, .some): throw ValidationError("--weights needs --arch NAME.")
    case (nil, nil, nil):
      throw ValidationError("Choose a classifier: --model NAME, or --arch NAME --weights FILE.")
    default: throw ValidationError("Use either --model or --arch/--weights, not both.")
    }
    if let arch, Architecture(rawValue: arch) == nil {
      throw ValidationError(
        "Unknown architecture '\(arch)'; choose one of "
          + Architecture.allCases.map(\.rawValue).joined(separator: ", ") + ".")
    }
    if let inputSize, inputSize < 1 || inputSize > 4096 {
      throw ValidationError("--input-size must be in 1…4096 (got \(inputSize)).")
    }
  }

  /// Loads the classifier and the files it came from.
  func load() throws -> (classifier: Classifier, files: [URL]) {
    if let model {
      let (folder, classifier, description) = try ModelCatalog.load(model)
      return (
        classifier,
        [folder.appending(path: "model.json"), folder.appending(path: description.weights)]
      )
    }
    let architecture = Architecture(rawValue: arch!)!
    let url = URL(fileURLWithPath: weights!)
    var names: [String]?
    if let classNames {
      let text = try String(contentsOfFile: classNames, encoding: .utf8)
      names = text.split(whereSeparator: \.isNewline).map(String.init)
    }
    let classifier = try Classifier.load(
      architecture: architecture, weights: url, inputSize: inputSize,
      normalization: normalize.layer, classNames: names)
    return (classifier, [url] + (classNames.map { [URL(fileURLWithPath: $0)] } ?? []))
  }
}

/// `--normalize imagenet|none`.
enum NormalizationName: String, ExpressibleByArgument, CaseIterable, Codable {
  case imagenet
  case none

  /// The normalisation layer, or `nil`.
  var layer: ChannelNormalization? { self == .imagenet ? .imageNet : nil }
}

/// The shipped models under `Models/`.
enum ModelCatalog {
  /// The `Models/` folder: `$SEMROB_MODELS`, else `Models/` in the working directory, else
  /// next to the package the executable was built from.
  static var root: URL {
    if let path = ProcessInfo.processInfo.environment["SEMROB_MODELS"] {
      return URL(fileURLWithPath: path)
    }
    let local = URL(fileURLWithPath: "Models")
    if FileManager.default.fileExists(atPath: local.path) { return local }
    return URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
      .deletingLastPathComponent().appending(path: "Models")
  }

  /// A model folder from a name (under ``root``) or a path.
  static func folder(for name: String) -> URL {
    name.contains("/") ? URL(fileURLWithPath: name) : root.appending(path: name)
  }

  /// Loads the model `name` (a folder under ``root`` or a path), with a usage error naming the
  /// fix when there is no `model.json`.
  static func load(_ name: String) throws -> (
    folder: URL, classifier: Classifier, description: ModelDescription
  ) {
    let folder = folder(for: name)
    guard FileManager.default.fileExists(atPath: folder.appending(path: "model.json").path) else {
      throw ValidationError(
        "No model '\(name)' (looked for \(folder.path)/model.json); `semrob models` lists the "
          + "shipped models, `semrob train` makes one.")
    }
    let (classifier, description) = try Classifier.load(folder: folder)
    return (folder, classifier, description)
  }

  /// The descriptions of every model folder under ``root`` (unreadable ones skipped).
  static func descriptions() -> [(folder: URL, description: ModelDescription)] {
    guard
      let names = try? FileManager.default.contentsOfDirectory(atPath: root.path).sorted()
    else { return [] }
    return names.compactMap { name in
      let folder = root.appending(path: name)
      guard let data = try? Data(contentsOf: folder.appending(path: "model.json")),
        let description = try? JSONDecoder().decode(ModelDescription.self, from: data)
      else { return nil }
      return (folder, description)
    }
  }
}
