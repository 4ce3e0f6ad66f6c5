import Foundation
import NeuralNetworks
import ResultFiles
import Tensors
import TestSupport
import Testing

/// `semrob train` and `semrob evaluate` on tiny runs.
@Suite struct TrainEvaluateTests {
  /// A tiny run (resnet-mini, 3 shapes per class, 320 images per epoch, 3 epochs).
  static func train(_ folder: URL, _ extra: [String] = []) throws -> CommandRunner.Result {
    try CommandRunner.run(
      [
        "train", "--arch", "resnet-mini", "--epochs", "3", "--examples", "320", "--batch", "32",
        "--shapes-per-class", "3", "--validation-shapes", "1", "--validation-examples", "64",
        "--threads", "2", "-q", "--output", folder.path,
      ] + extra)
  }

  struct Log: Decodable {
    struct Record: Decodable { var loss: Double }
    var records: [Record]
  }

  @Test("a tiny run drives the loss down; resuming after an epoch equals training straight through")
  func trainAndResume() throws {
    let dir = try temporaryDirectory()
    defer { try? FileManager.default.removeItem(at: dir) }
    let straight = dir.appending(path: "straight")
    let run = try Self.train(straight)
    #expect(run.status == 0, "stderr: \(run.stderr)")
    let log = try JSONDecoder().decode(
      Log.self, from: Data(contentsOf: straight.appending(path: "training.json")))
    #expect(log.records.count == 3)
    // Down, and below chance (ln 10 ≈ 2.303; label smoothing keeps it above 0.5).
    let losses = log.records.map(\.loss)
    #expect(losses[2] < losses[0] && losses[2] < Foundation.log(10.0), "losses \(losses)")
    // Two epochs, stop, resume to three.
    let split = dir.appending(path: "split")
    #expect(try Self.train(split, ["--stop-after", "2"]).status == 0)
    let again = try Self.train(split)
    #expect(again.status != 0 && again.stderr.contains("--resume"), "\(again.stderr)")
    let resumed = try Self.train(split, ["--resume"])
    #expect(resumed.status == 0, "stderr: \(resumed.stderr)")
    let a = try Data(contentsOf: straight.appending(path: "weights.safetensors"))
    let b = try Data(contentsOf: split.appending(path: "weights.safetensors"))
    let same = a == b
    #expect(same, "resumed weights differ from the uninterrupted run's")
    // The folder is a model: its card and description exist and the weights' hash matches.
    let description = try JSONDecoder().decode(
      ModelDescription.self, from: Data(contentsOf: split.appending(path: "model.json")))
    #expect(description.weightsSHA256 == SHA256.hash(b))
    #expect(description.accuracy?["validation"] != nil)
    let card = try String(contentsOf: split.appending(path: "README.md"), encoding: .utf8)
    #expect(card.contains("semrob train --arch resnet-mini") && card.contains("| 3 |"))
  }

  @Test("evaluate counts a constant classifier's answers exactly and records them in the card")
  func evaluateKnownAnswers() throws {
    let dir = try temporaryDirectory()
    defer { try? FileManager.default.removeItem(at: dir) }
    // A model that answers "cup" whatever it sees: every weight zero, the head's bias 1 for cup.
    let classes = [
      "aeroplane", "bathtub", "bench", "bottle", "chair", "cup", "piano", "rifle", "vase", "toilet",
    ]
    let network = try Architecture.alexnetMini.makeNetwork(classes: 10, inputSize: 64, seed: 1)
    let template = network.checkpoint(metadata: [:])
    let head = template.tensors.last { $0.name.hasSuffix(".bias") }!.name
    let tensors = template.tensors.map { name, tensor -> (name: String, tensor: Tensor) in
      var scalars = [Float](repeating: 0, count: tensor.shape.reduce(1, *))
      if name == head { scalars[5] = 1 }
      return (name, Tensor(shape: tensor.shape, scalars: scalars))
    }
    let folder = dir.appending(path: "always-cup")
    try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    try Checkpoint(tensors: tensors).write(to: folder.appending(path: "weights.safetensors"))
    let description = ModelDescription(
      name: "always-cup", architecture: "alexnet-mini", inputSize: 64, normalization: nil,
      classes: classes, weights: "weights.safetensors", weightsSHA256: nil, accuracy: nil)
    try ResultJSON.makeDocumentEncoder().encode(description).write(
      to: folder.appending(path: "model.json"))
    let run = try CommandRunner.run([
      "evaluate", "--model", folder.path, "--views", "2", "--json", "-q", "--record",
    ])
    #expect(run.status == 0, "stderr: \(run.stderr)")
    let object = try JSONSerialization.jsonObject(with: Data(run.stdout.utf8)) as? [String: Any]
    let payload = object?["payload"] as? [String: Any]
    // 100 shapes × 2 views, all called cup: the 20 cup renders are right.
    #expect(payload?["accuracy"] as? Double == 0.1)
    let confusion = payload?["confusion"] as? [[Int]]
    #expect(confusion?.allSatisfy { $0 == (0..<10).map { $0 == 5 ? 20 : 0 } } == true)
    // Per shape: the ten cups right both times, every other shape never.
    let shapes = payload?["shapes"] as? [[String: Any]] ?? []
    #expect(shapes.count == 100)
    for shape in shapes {
      let isCup = (shape["name"] as? String)?.hasPrefix("cup") == true
      #expect(shape["total"] as? Int == 2 && shape["correct"] as? Int == (isCup ? 2 : 0))
    }
    // Every render falls in exactly one elevation band and one azimuth sector.
    for key in ["elevation_bands", "azimuth_sectors"] {
      let bands = payload?[key] as? [[String: Any]] ?? []
      #expect(bands.count == 5)
      #expect(bands.reduce(0) { $0 + ($1["total"] as? Int ?? 0) } == 200, "\(key)")
      #expect(bands.reduce(0) { $0 + ($1["correct"] as? Int ?? 0) } == 20, "\(key)")
    }
    let recorded = try JSONDecoder().decode(
      ModelDescription.self, from: Data(contentsOf: folder.appending(path: "model.json")))
    #expect(recorded.accuracy?["training-poses"] == 0.1)
    let card = try String(contentsOf: folder.appending(path: "README.md"), encoding: .utf8)
    #expect(card.contains("**10.0%** (200 renders)"))
    // Errors name the fix.
    let missing = try CommandRunner.run(["evaluate", "--model", "no-such-model"])
    #expect(missing.status != 0 && missing.stderr.contains("semrob train"))
  }
}
