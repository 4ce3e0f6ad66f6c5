import Foundation
import NeuralNetworks
import TestSupport
import Testing

/// `semrob score` on a random-weight resnet-mini written to a temporary safetensors file.
@Suite struct ScoreCommandTests {
  static func weights(in dir: URL) throws -> String {
    let network = try Architecture.resnetMini.makeNetwork(classes: 10, inputSize: 64, seed: 5)
    let url = dir.appending(path: "resnet-mini.safetensors")
    try network.checkpoint().write(to: url)
    return url.path
  }

  @Test("score prints f and its gradient; JSON carries both with units")
  func score() throws {
    let dir = try temporaryDirectory()
    defer { try? FileManager.default.removeItem(at: dir) }
    let weights = try Self.weights(in: dir)
    let arguments = [
      "score", "--shape", "cube", "--arch", "resnet-mini", "--weights", weights, "--input-size",
      "64", "--class", "class 3", "--azimuth", "30", "--elevation", "20", "--grad",
      "--dimensions", "azimuth,light-elevation", "--threads", "2",
    ]
    let text = try CommandRunner.run(arguments)
    #expect(text.status == 0, "stderr: \(text.stderr)")
    #expect(text.stdout.contains("f = p(class 3) = "))
    #expect(text.stdout.contains("∂f/∂azimuth = ") && text.stdout.contains("per degree"))
    let json = try CommandRunner.run(arguments + ["--json"])
    #expect(json.status == 0, "stderr: \(json.stderr)")
    let object = try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any]
    let value = object?["value"] as? Double
    #expect(value.map { $0 > 0 && $0 < 1 } == true)
    let gradient = object?["gradient"] as? [String: Double]
    #expect(gradient?.keys.sorted() == ["azimuth", "light-elevation"])
    // The printed value is the JSON's.
    #expect(text.stdout.contains(String(format: "%.6f", value ?? -1)))
    // Soft mode scores another image, with finite gradients.
    let soft = try CommandRunner.run(arguments + ["--json", "--soft"])
    #expect(soft.status == 0, "stderr: \(soft.stderr)")
    let softObject =
      try JSONSerialization.jsonObject(with: Data(soft.stdout.utf8)) as? [String: Any]
    let softValue = softObject?["value"] as? Double
    #expect(softValue.map { $0 > 0 && $0 < 1 && $0 != value } == true)
    let softGradient = softObject?["gradient"] as? [String: Double]
    #expect(softGradient?.values.allSatisfy(\.isFinite) == true)
  }

  @Test("score names the problem for an unknown class and a mesh without a class")
  func errors() throws {
    let dir = try temporaryDirectory()
    defer { try? FileManager.default.removeItem(at: dir) }
    let weights = try Self.weights(in: dir)
    let base = [
      "score", "--arch", "resnet-mini", "--weights", weights, "--input-size", "64", "--azimuth",
      "30", "--elevation", "20",
    ]
    let unknown = try CommandRunner.run(base + ["--shape", "cube", "--class", "chair"])
    #expect(unknown.status != 0)
    #expect(unknown.stderr.contains("has no class 'chair'"))
    let noClass = try CommandRunner.run(base + ["--shape", "cube"])
    #expect(noClass.status != 0)
    #expect(noClass.stderr.contains("give --class NAME"))
    let badList = try CommandRunner.run(
      base + ["--shape", "cube", "--class", "class 0", "--grad", "--dimensions", "yaw"])
    #expect(badList.status != 0)
    #expect(badList.stderr.contains("unknown render parameter 'yaw'"))
  }
}
