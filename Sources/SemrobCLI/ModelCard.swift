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
    func evaluation(_ name: String) -> EvaluationResult? {
      try? decoder.decode(
        EvaluationResult.self,
        from: Data(contentsOf: folder.appending(path: "evaluation-\(name).json")))
    }
    let evaluations = ["training", "uniform"].compactMap(evaluation)
    let quick = evaluation("training-quick")
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
      text += "\nBy the pose of the view (elevation band; azimuth sector measured from the front, "
      text += "both sides together; renders in brackets):\n\n"
      text += "| view | " + evaluations.map { "\($0.poses) poses" }.joined(separator: " | ")
      text += " |\n|---|" + evaluations.map { _ in "---|" }.joined() + "\n"
      let bands = [
        (
          EvaluationResult.elevationBands.map(\.name), \EvaluationResult.elevationBands, "elevation"
        ),
        (EvaluationResult.azimuthSectors.map(\.name), \EvaluationResult.azimuthSectors, "azimuth"),
      ]
      for (names, path, label) in bands {
        for (k, name) in names.enumerated() {
          text +=
            "| \(label) \(name) | "
            + evaluations.map { e -> String in
              let t = e[keyPath: path][k]
              return t.accuracy.map { String(format: "%.1f%% (%d)", 100 * $0, t.total) } ?? "–"
            }.joined(separator: " | ") + " |\n"
        }
      }
      text += "\nWhere it fails:\n\n"
      for e in evaluations {
        let weakest = e.weakestShapes(limit: 5).map {
          "\($0.name) \($0.correct)/\($0.total)"
        }
        let mistakes = e.confusions(limit: 5).map { "\($0.truth)→\($0.predicted) \($0.count)" }
        text += "- \(e.poses) poses: weakest shapes "
        text += weakest.isEmpty ? "none" : weakest.joined(separator: ", ")
        text += "; most frequent confusions "
        text += (mistakes.isEmpty ? "none" : mistakes.joined(separator: ", ")) + "\n"
      }
      for e in evaluations {
        text += "\nConfusion, \(e.poses) poses (rows: true class, \(e.views) views per shape, "
        text += "seed \(e.seed)):\n\n```\n\(e.table())\n```\n"
      }
      text += "\n`semrob evaluate --model \(description.name) --poses training|uniform` "
      text += "reproduces these numbers (every view is a fixed draw of its seed).\n"
    }
    if let quick {
      text += "\n## Quick check\n\n"
      text += "`semrob evaluate --model \(description.name) --quick` (\(quick.views) views per "
      text += "shape, \(quick.total) renders, \(quick.poses) poses, seed \(quick.seed)): "
      text += String(format: "**%.1f%%**", 100 * quick.accuracy)
      text += ". The test suite reruns it and requires this accuracy within 1 point, and checks "
      text += "the weights against the SHA-256 above.\n"
    }
    try AtomicFile.write(Data(text.utf8), to: folder.appending(path: "README.md"))
  }
}
