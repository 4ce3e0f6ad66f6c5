import Foundation
import NeuralNetworks
import ResultFiles

/// A model folder's card, `README.md`, written from its `model.json`, `training.json` and
/// `evaluation-*.json`: what the model is, how it was trained and how well it does.
enum ModelCard {
  /// Rewrites `folder/README.md` (atomically).
  static func write(folder: URL) throws {
    let decoder = JSONDecoder()
    let description = try decoder.decode(
      ModelDescription.self, from: Data(contentsOf: folder.appending(path: "model.json")))
    let log = try? decoder.decode(
      TrainingLog.self, from: Data(contentsOf: folder.appending(path: "training.json")))
    let evaluations = ["training", "uniform"].compactMap { poses in
      try? decoder.decode(
        EvaluationResult.self,
        from: Data(contentsOf: folder.appending(path: "evaluation-\(poses).json")))
    }
    var text = "# \(description.name)\n\n"
    text += "A `\(description.architecture)` classifier of the ten semrob shape classes, "
    text += "trained by semrob on renders of its procedurally generated training shapes.\n\n"
    text += "| | |\n|---|---|\n"
    text += "| architecture | `\(description.architecture)` |\n"
    text += "| input | \(description.inputSize)×\(description.inputSize) RGB in [0, 1]"
    if let n = description.normalization {
      text += ", normalised inside the model (mean \(n.mean), std \(n.std))"
    }
    text += " |\n"
    text += "| classes (output order) | \(description.classes.joined(separator: ", ")) |\n"
    text +=
      "| weights | `\(description.weights)`, SHA-256 `\(description.weightsSHA256 ?? "?")` |\n"
    if let log {
      let seconds = log.records.reduce(0) { $0 + $1.seconds }
      text += "| training | \(log.records.count) of \(log.epochs) epochs, \(log.examples) images "
      text += "per epoch, batch \(log.batch), seed \(log.seed), "
      text += String(format: "%.0f min on 2 cores", seconds / 60) + " |\n"
      text += "\n## Training\n\n"
      text += "```sh\nsemrob train --arch \(log.architecture) --epochs \(log.epochs) "
      text += "--examples \(log.examples) --batch \(log.batch) --seed \(log.seed) "
      text += "--learning-rate \(log.learningRate) --shapes-per-class \(log.shapesPerClass) "
      text +=
        "--validation-shapes \(log.validationShapes) --output Models/\(description.name)\n```\n\n"
      text += "Data: \(log.shapesPerClass - log.validationShapes) training shapes per class "
      text += "(generator seeds 1000 on; never an evaluation shape), \(log.validationShapes) "
      text += "more per class held out for validation, rendered at \(log.imageSize)×"
      text += "\(log.imageSize) under the biased training pose distribution "
      text += "(`Datasets.PoseDistribution.training`: front and three-quarter views common, rear, "
      text += "top-down and below-horizon views rare; distance, field of view, light, "
      text += "background and colours jittered). SGD with Nesterov momentum 0.9, weight decay "
      text += "5e-4, label smoothing 0.1, cosine learning rate from \(log.learningRate).\n\n"
      text += "| epoch | loss | train acc | val acc | min |\n|---|---|---|---|---|\n"
      for r in log.records {
        text += String(
          format: "| %d | %.3f | %.1f%% | %.1f%% | %.1f |\n", r.epoch, r.loss, 100 * r.accuracy,
          100 * r.validationAccuracy, r.seconds / 60)
      }
    }
    if !evaluations.isEmpty {
      text += "\n## Accuracy on the held-out evaluation shapes\n\n"
      text += "`semrob evaluate --model \(description.name) --poses training|uniform --record`: "
      text += "the 100 shapes of `Meshes/`, never seen in training.\n\n"
      text += "| class | " + evaluations.map { "\($0.poses) poses" }.joined(separator: " | ")
      text += " |\n|---|" + evaluations.map { _ in "---|" }.joined() + "\n"
      text +=
        "| **all** | "
        + evaluations.map {
          String(format: "**%.1f%%** (%d renders)", 100 * $0.accuracy, $0.total)
        }.joined(separator: " | ") + " |\n"
      for (k, name) in description.classes.enumerated() {
        text +=
          "| \(name) | "
          + evaluations.map {
            $0.perClass[k].map { String(format: "%.1f%%", 100 * $0) } ?? "–"
          }.joined(separator: " | ") + " |\n"
      }
      for e in evaluations {
        text += "\nConfusion, \(e.poses) poses (rows: true class, \(e.views) views per shape, "
        text += "seed \(e.seed)):\n\n```\n\(e.table())\n```\n"
      }
    }
    try AtomicFile.write(Data(text.utf8), to: folder.appending(path: "README.md"))
  }
}
