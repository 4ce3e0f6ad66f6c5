import Foundation
import ImageFiles
import Tensors
import TestSupport
import Testing

/// `semrob map` and `semrob dsm` end to end.
@Suite struct MapCommandTests {
  static func json(_ text: String) throws -> [String: Any] {
    try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])
  }

  /// Decodes a PNG and checks it is `width × height` and not blank (many distinct colours).
  static func expectFigure(_ url: URL, width: Int, height: Int) throws {
    let image = try PNGImage(contentsOf: url)
    #expect(image.width == width && image.height == height, "\(url.lastPathComponent)")
    var colours = Set<[UInt8]>()
    for p in stride(from: 0, to: image.width * image.height, by: 7) {
      colours.insert(Array(image.pixels[(p * image.channels)..<(p * image.channels + 3)]))
    }
    #expect(colours.count > 30, "\(url.lastPathComponent) has \(colours.count) colours")
  }

  @Test("a 1-D map: files, layout, statistics, and each value equals `semrob score` there")
  func oneDimensional() throws {
    let dir = try temporaryDirectory()
    defer { try? FileManager.default.removeItem(at: dir) }
    let run = try CommandRunner.run([
      "map", "--shape", "chair01", "--model", "resnet-mini", "--dims", "azimuth", "--step", "30",
      "--threads", "1", "-q", "--json", "--output", dir.path,
    ])
    #expect(run.status == 0, "stderr: \(run.stderr)")
    let document = try Self.json(run.stdout)
    let payload = try #require(document["payload"] as? [String: Any])
    #expect(document["schema"] as? String == "semrob.map/1")
    #expect(payload["class"] as? String == "chair" && payload["model"] as? String == "resnet-mini")
    let scores = try NPYArray(contentsOf: dir.appending(path: "chair01_resnet-mini_nsm.npy"))
    #expect(scores.shape == [12])
    guard case .float32(let values) = scores.data else {
      Issue.record("scores are not float32")
      return
    }
    let statistics = try #require(payload["statistics"] as? [String: Any])
    let mean = values.reduce(0.0) { $0 + Double($1) } / 12
    #expect(abs((statistics["mean"] as? Double ?? -1) - mean) < 1e-9)
    try Self.expectFigure(
      dir.appending(path: "chair01_resnet-mini_nsm.png"), width: 960, height: 440)
    #expect(FileManager.default.fileExists(atPath: dir.appending(path: "chair01_renders.png").path))
    // The map's value at azimuth 60° (index 2), elevation 35° is f there.
    for (index, azimuth) in [(2, "60"), (7, "210")] {
      let score = try CommandRunner.run([
        "score", "--shape", "chair01", "--model", "resnet-mini", "--azimuth", azimuth,
        "--elevation", "35", "--material-colours", "--threads", "1", "--json",
      ])
      #expect(score.status == 0, "stderr: \(score.stderr)")
      let value = try #require(try Self.json(score.stdout)["value"] as? Double)
      #expect(
        abs(value - Double(values[index])) < 1e-5,
        "azimuth \(azimuth): \(value) vs \(values[index])")
    }
  }

  @Test("a 2-D map: rows = elevation, figure and render sheet decode, summary on stdout")
  func twoDimensional() throws {
    let dir = try temporaryDirectory()
    defer { try? FileManager.default.removeItem(at: dir) }
    let run = try CommandRunner.run([
      "map", "--shape", "cup01", "--model", "resnet-mini", "--step", "30", "--threads", "2",
      "-q", "--output", dir.path,
    ])
    #expect(run.status == 0, "stderr: \(run.stderr)")
    #expect(run.stdout.hasPrefix("cup01 · resnet-mini: mean P(cup) "), "\(run.stdout)")
    #expect(run.stdout.contains("_nsm.{png,npy,json}"))
    let scores = try NPYArray(contentsOf: dir.appending(path: "cup01_resnet-mini_nsm.npy"))
    #expect(scores.shape == [4, 12], "elevation −10, 20, 50, 80 × azimuth 0…330")
    try Self.expectFigure(dir.appending(path: "cup01_resnet-mini_nsm.png"), width: 960, height: 440)
    let sheet = try PNGImage(contentsOf: dir.appending(path: "cup01_renders.png"))
    #expect(sheet.width > 5 * 128 && sheet.height > 2 * 128)
    // The DSM of this one map (read back through its record) is the map itself.
    let dsm = try CommandRunner.run([
      "dsm", "--from-maps", dir.appending(path: "cup01_resnet-mini_nsm.npy").path, "--class",
      "cup", "-q", "--output", dir.path,
    ])
    #expect(dsm.status == 0, "stderr: \(dsm.stderr)")
    let mean = try NPYArray(contentsOf: dir.appending(path: "cup_dsm.npy"))
    #expect(mean == scores)
  }

  /// METHODS §8.3 / the reference README: DSM mean, maximum and its (azimuth, elevation).
  static let released: [(String, Double, Double, [Double])] = [
    ("aeroplane", 0.080, 0.278, [15, 11]), ("bathtub", 0.073, 0.254, [204, 32]),
    ("bench", 0.047, 0.184, [9, 14]), ("bottle", 0.086, 0.183, [105, 32]),
    ("chair", 0.158, 0.419, [276, 17]), ("cup", 0.150, 0.414, [321, 41]),
    ("piano", 0.122, 0.532, [45, 17]), ("rifle", 0.038, 0.185, [258, 32]),
    ("vase", 0.229, 0.513, [126, 26]), ("toilet", 0.239, 0.707, [315, 23]),
  ]

  @Test("the DSM of the study's released maps reproduces its class means and maxima")
  func releasedDSM() throws {
    let dir = try temporaryDirectory()
    defer { try? FileManager.default.removeItem(at: dir) }
    let maps = CommandRunner.packageRoot.appending(path: "Tools/reference/hamdi2020/maps.npy")
    for (name, mean, maximum, location) in Self.released {
      let run = try CommandRunner.run([
        "dsm", "--from-maps", maps.path, "--reference", "hamdi2020", "--class", name, "--json",
        "-q", "--output", dir.path,
      ])
      #expect(run.status == 0, "stderr: \(run.stderr)")
      let payload = try #require(try Self.json(run.stdout)["payload"] as? [String: Any])
      let statistics = try #require(payload["statistics"] as? [String: Any])
      let best = try #require(statistics["maximum"] as? [String: Any])
      #expect(abs((statistics["mean"] as? Double ?? -1) - mean) < 5e-4, "\(name) mean")
      #expect(abs((best["value"] as? Double ?? -1) - maximum) < 5e-4, "\(name) max")
      #expect(best["point"] as? [Double] == location, "\(name) argmax")
    }
    try Self.expectFigure(dir.appending(path: "hamdi2020_toilet_dsm.png"), width: 960, height: 440)
  }

  @Test("the zoo's DSM is low where training rarely looked; an interrupted DSM run resumes")
  func dsmFollowsTrainingPoses() throws {
    let dir = try temporaryDirectory()
    defer { try? FileManager.default.removeItem(at: dir) }
    let arguments = [
      "dsm", "--class", "chair", "--models", "resnet-mini", "--step", "18", "--threads", "2",
      "--json", "-q", "--output", dir.path,
    ]
    let run = try CommandRunner.run(arguments)
    #expect(run.status == 0, "stderr: \(run.stderr)")
    let payload = try #require(try Self.json(run.stdout)["payload"] as? [String: Any])
    let comparison = try #require(payload["training_poses"] as? [String: Double])
    // Measured 0.388 (rarest quarter 0.739, commonest 0.909) on this 20 × 6 grid.
    #expect(comparison["spearman"]! > 0.25, "\(comparison)")
    #expect(comparison["rarest_quarter_mean"]! < comparison["commonest_quarter_mean"]! - 0.1)
    let first = try NPYArray(contentsOf: dir.appending(path: "chair_dsm.npy"))
    // Damage two cached per-shape maps; the rerun recomputes them and reuses the other eight.
    let maps = dir.appending(path: "maps")
    try Data([0x93]).write(to: maps.appending(path: "chair03_resnet-mini_nsm.npy"))
    try FileManager.default.removeItem(at: maps.appending(path: "chair07_resnet-mini_nsm.json"))
    let again = try CommandRunner.run(arguments)
    #expect(again.status == 0, "stderr: \(again.stderr)")
    #expect(try NPYArray(contentsOf: dir.appending(path: "chair_dsm.npy")) == first)
    let repaired = try NPYArray(contentsOf: maps.appending(path: "chair03_resnet-mini_nsm.npy"))
    #expect(repaired.shape == [6, 20])
    try Self.expectFigure(dir.appending(path: "chair_dsm.png"), width: 960, height: 440)
    try Self.expectFigure(
      dir.appending(path: "chair_resnet-mini_nsm_mean.png"), width: 960, height: 440)
  }

  @Test("bad input: one-line errors naming the fix, non-zero exit")
  func errors() throws {
    let dir = try temporaryDirectory()
    defer { try? FileManager.default.removeItem(at: dir) }
    let file = dir.appending(path: "file")
    try Data().write(to: file)
    let cases: [([String], String)] = [
      (["map", "--shape", "nosuch01"], "semrob shapes"),
      (["map", "--mesh", file.path], "--class"),
      (["map", "--shape", "chair01", "--step", "0"], "--step"),
      (["map", "--shape", "chair01", "--output", file.path], "is a file"),
      (["map", "--shape", "chair01", "--dims", "azimuth,height"], "unknown render parameter"),
      (
        ["map", "--shape", "chair01", "--model", "resnet-mini", "--class", "spoon"],
        "no class 'spoon'"
      ),
      (["dsm", "--from-maps", file.path, "--reference", "hamdi2020"], "--class"),
      (["dsm", "--from-maps", file.path, "--output", dir.path], "cannot read"),
    ]
    for (arguments, expected) in cases {
      let run = try CommandRunner.run(arguments + ["-q"])
      #expect(run.status != 0, "\(arguments)")
      // One error line (usage errors add ArgumentParser's usage and help hint below it).
      let first = run.stderr.split(separator: "\n").first.map(String.init) ?? ""
      #expect(first.hasPrefix("Error: ") && first.contains(expected), "\(arguments): \(run.stderr)")
    }
  }
}
