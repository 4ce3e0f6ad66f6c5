import ArgumentParser
import Foundation
import NeuralNetworks
import ResultFiles

/// `semrob models`: the architectures and the trained models in `Models/`.
struct Models: ParsableCommand {
  static let configuration = CommandConfiguration(
    abstract: "List the network architectures and the trained models.",
    discussion: """
      Without options, prints one line per architecture (family, input size, parameters,
      multiply–accumulates per image at the design size and class count) and one line per
      trained model under Models/ with its accuracy. --arch NAME prints that architecture's
      layer table.
      """)

  @Option(help: "Print the layer table of one architecture.") var arch: String?
  @Option(help: "Classes for --arch (default: 1000 for full-size, 10 for minis).") var classes: Int?
  @Option(help: "Input side for --arch (default: the design size).") var inputSize: Int?
  @Flag(help: "Print JSON on standard output.") var json = false

  func validate() throws {
    if let arch, Architecture(rawValue: arch) == nil {
      throw ValidationError(
        "Unknown architecture '\(arch)'; choose one of "
          + Architecture.allCases.map(\.rawValue).joined(separator: ", ") + ".")
    }
    if let classes, classes < 1 { throw ValidationError("--classes must be at least 1.") }
    if let inputSize, inputSize < 1 || inputSize > 4096 {
      throw ValidationError("--input-size must be in 1…4096.")
    }
  }

  func run() throws {
    if let arch {
      let network = try Architecture(rawValue: arch)!.makeNetwork(
        classes: classes, inputSize: inputSize, seed: nil)
      print(network.summary)
      return
    }
    var entries: [ArchitectureEntry] = []
    for architecture in Architecture.allCases {
      let shapes = try architecture.tensorShapes()
      let macs = try architecture.multiplyAccumulates()
      entries.append(
        ArchitectureEntry(
          name: architecture.rawValue, family: architecture.family,
          inputSize: architecture.defaultInputSize, classes: architecture.defaultClassCount,
          parameters: shapes.filter {
            !$0.path.hasSuffix("running_mean") && !$0.path.hasSuffix("running_var")
              && !$0.path.hasSuffix("num_batches_tracked")
          }
          .reduce(0) { $0 + $1.shape.reduce(1, *) },
          multiplyAccumulates: macs))
    }
    let models = ModelCatalog.descriptions().map { folder, description in
      ModelEntry(
        name: description.name, architecture: description.architecture,
        classes: description.classes.count, accuracy: description.accuracy ?? [:],
        folder: folder.path)
    }
    if json {
      let encoder = ResultJSON.makeDocumentEncoder()
      print(
        String(
          decoding: try encoder.encode(ModelsPayload(architectures: entries, models: models)),
          as: UTF8.self))
      return
    }
    print("architecture     family     input  classes   parameters        MACs/image")
    for entry in entries {
      print(
        pad(entry.name, 16) + " " + pad(entry.family, 10) + " "
          + pad(String(entry.inputSize), 5, right: true) + "  "
          + pad(String(entry.classes), 7, right: true) + "  "
          + pad(grouped(entry.parameters), 11, right: true) + "  "
          + pad(grouped(entry.multiplyAccumulates), 16, right: true))
    }
    print("")
    if models.isEmpty {
      print("trained models: none in \(ModelCatalog.root.path)")
    } else {
      print("trained models (\(ModelCatalog.root.path)):")
      for model in models {
        let accuracy = model.accuracy.sorted { $0.key < $1.key }
          .map { String(format: "%@ %.1f%%", $0.key as NSString, 100 * $0.value) }
          .joined(separator: ", ")
        print("  \(model.name)  \(model.architecture), \(model.classes) classes  \(accuracy)")
      }
    }
  }

  private func pad(_ text: String, _ width: Int, right: Bool = false) -> String {
    let fill = String(repeating: " ", count: max(0, width - text.count))
    return right ? fill + text : text + fill
  }

  private func grouped(_ value: Int) -> String {
    let digits = Array(String(value))
    var result = ""
    for (i, digit) in digits.enumerated() {
      if i > 0 && (digits.count - i) % 3 == 0 { result += "," }
      result.append(digit)
    }
    return result
  }
}

/// `semrob models --json`.
struct ModelsPayload: Codable {
  var architectures: [ArchitectureEntry]
  var models: [ModelEntry]
}

/// One architecture line.
struct ArchitectureEntry: Codable {
  var name: String
  var family: String
  var inputSize: Int
  var classes: Int
  var parameters: Int
  var multiplyAccumulates: Int
}

/// One trained model line.
struct ModelEntry: Codable {
  var name: String
  var architecture: String
  var classes: Int
  var accuracy: [String: Double]
  var folder: String
}
