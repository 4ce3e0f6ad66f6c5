import ArgumentParser
import Foundation
import ImageFiles
import NeuralNetworks
import Tensors

/// `semrob classify`: top-K classes of images or an input array.
struct Classify: ParsableCommand {
  static let configuration = CommandConfiguration(
    abstract: "Classify PNG images or an N×3×H×W array with a model.",
    discussion: """
      Images are RGB in [0, 1] (gray is replicated, alpha dropped) and must have the model's
      input size; the model's normalisation is applied inside it. Prints the top classes per
      input, or a result document with --json.
      """)

  @OptionGroup var source: ModelOptions
  @Option(parsing: .upToNextOption, help: "PNG images of the model's input size.")
  var image: [String] = []
  @Option(help: "A float32 .npy array N×3×H×W with values in [0, 1].") var input: String?
  @Option(help: "How many classes to report per input.") var top = 5
  @Option(help: "Write the logits (float32 N×C) to this .npy file.") var logitsOutput: String?
  @Option(help: "Write the probabilities (float32 N×C) to this .npy file.") var probsOutput: String?
  @Option(help: "Threads for BLAS (default: all cores).") var threads: Int?
  @Flag(help: "Print the result as JSON on standard output.") var json = false

  func validate() throws {
    if image.isEmpty == (input == nil) {
      throw ValidationError("Give either --image PNG... or --input X.npy.")
    }
    if top < 1 { throw ValidationError("--top must be at least 1 (got \(top)).") }
    if let threads, threads < 1 { throw ValidationError("--threads must be at least 1.") }
    for path in [logitsOutput, probsOutput].compactMap({ $0 }) {
      try OutputFiles.checkWritableDirectory(of: path, option: "output")
    }
  }

  func run() throws {
    Parallelism.useOwnLoops(threads: threads)
    let (classifier, modelFiles) = try source.load()
    let size = classifier.inputSize
    let batch: Tensor
    let names: [String]
    if let input {
      let array = try Tensor(npyContentsOf: URL(fileURLWithPath: input))
      guard array.rank == 4, array.shape[1] == 3, array.shape[2] == size, array.shape[3] == size
      else {
        throw ValidationError(
          "\(input): expected an N×3×\(size)×\(size) array for \(classifier.name), found "
            + "\(array.shape.map(String.init).joined(separator: "×"))")
      }
      batch = array
      names = (0..<array.shape[0]).map { "\(input)[\($0)]" }
    } else {
      let images = try image.map { path -> Tensor in
        let picture = try PNGImage(contentsOf: URL(fileURLWithPath: path), channels: 3)
        guard picture.width == size, picture.height == size else {
          throw ValidationError(
            "\(path) is \(picture.width)×\(picture.height) but \(classifier.name) takes "
              + "\(size)×\(size) images; resize it first")
        }
        return Tensor(picture).channelsFirst()
      }
      batch = Tensor.stacked(images)
      names = image
    }
    let logits = classifier.logits(batch)
    let probabilities = Softmax.probabilities(logits)
    if let logitsOutput { try OutputFiles.writeNPY(logits, to: logitsOutput) }
    if let probsOutput { try OutputFiles.writeNPY(probabilities, to: probsOutput) }
    let classes = classifier.classNames.count
    var results: [ClassifyResult] = []
    for (n, name) in names.enumerated() {
      let row = Array(probabilities.scalars[(n * classes)..<((n + 1) * classes)])
      let ranked = row.indices.sorted { row[$0] > row[$1] || (row[$0] == row[$1] && $0 < $1) }
      results.append(
        ClassifyResult(
          input: name,
          top: ranked.prefix(top).map { k in
            ClassifyResult.Entry(
              index: k, name: classifier.classNames[k], probability: Double(row[k]),
              logit: Double(logits.scalars[n * classes + k]))
          }))
    }
    if json {
      let inputs =
        (input.map { [URL(fileURLWithPath: $0)] } ?? image.map { URL(fileURLWithPath: $0) })
      let document = try OutputFiles.resultDocument(
        schema: "semrob.classify/1",
        payload: ClassifyPayload(model: classifier.name, results: results),
        inputs: modelFiles + inputs, settings: ["top": top], seed: 0,
        threads: threads ?? Parallelism.coreCount)
      print(String(decoding: try document.encoded(), as: UTF8.self))
      return
    }
    for result in results {
      print(result.input)
      for (rank, entry) in result.top.enumerated() {
        let name = entry.name + String(repeating: " ", count: max(0, 24 - entry.name.count))
        print(
          String(format: "  %2d  ", rank + 1) + name
            + String(format: " p %.4f  logit %8.3f", entry.probability, entry.logit))
      }
    }
  }
}

/// The `semrob classify --json` payload.
struct ClassifyPayload: Codable {
  var model: String
  var results: [ClassifyResult]
}

/// The top classes of one input.
struct ClassifyResult: Codable {
  /// One ranked class.
  struct Entry: Codable {
    var index: Int
    var name: String
    var probability: Double
    var logit: Double
  }

  var input: String
  var top: [Entry]
}
