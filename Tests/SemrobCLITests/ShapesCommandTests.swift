import Foundation
import ImageFiles
import ResultFiles
import TestSupport
import Testing

/// `semrob shapes` and the shipped evaluation set in `Meshes/`.
@Suite struct ShapesCommandTests {
  static let meshes = CommandRunner.packageRoot.appending(path: "Meshes")

  /// The index of a catalogue directory.
  static func index(_ directory: URL) throws -> [String: [String: Any]] {
    let data = try Data(contentsOf: directory.appending(path: "index.json"))
    let object = try JSONSerialization.jsonObject(with: data) as? [String: Any]
    let shapes = object?["shapes"] as? [[String: Any]] ?? []
    return Dictionary(uniqueKeysWithValues: shapes.map { ($0["name"] as! String, $0) })
  }

  @Test("Meshes/ holds ten shapes per class, equal byte for byte to a fresh generation")
  func committedSetIsFresh() throws {
    let dir = try temporaryDirectory()
    defer { try? FileManager.default.removeItem(at: dir) }
    let run = try CommandRunner.run([
      "shapes", "generate", "--evaluation-set", "--catalog", dir.path,
    ])
    #expect(run.status == 0, "stderr: \(run.stderr)")
    let fresh = try Self.index(dir)
    let committed = try Self.index(Self.meshes)
    let classed = committed.filter { $0.value["class"] != nil }
    #expect(classed.count == 100)
    #expect(Set(fresh.keys) == Set(classed.keys), "the committed set's names")
    for (name, entry) in fresh {
      guard let shipped = committed[name] else { continue }
      #expect(NSDictionary(dictionary: entry).isEqual(to: shipped), "\(name): index entry differs")
      for ext in ["obj", "mtl"] {
        let file = "\(name).\(ext)"
        let a = try Data(contentsOf: dir.appending(path: file))
        let b = try Data(contentsOf: Self.meshes.appending(path: file))
        #expect(a == b, "\(file) differs from a fresh generation: run Tools/generate-meshes.sh")
      }
      let obj = try Data(contentsOf: Self.meshes.appending(path: "\(name).obj"))
      #expect(SHA256.hash(obj) == shipped["sha256"] as? String, "\(name): index hash")
    }
    // Every class has shapes 01 … 10.
    for shapeClass in Set(classed.compactMap { $0.value["class"] as? String }) {
      let names = classed.filter { $0.value["class"] as? String == shapeClass }.keys.sorted()
      #expect(names == (1...10).map { shapeClass + String(format: "%02d", $0) })
    }
  }

  @Test("shapes generate writes one shape (OBJ + MTL); the same seed gives the same bytes")
  func generateOne() throws {
    let dir = try temporaryDirectory()
    defer { try? FileManager.default.removeItem(at: dir) }
    let run = try CommandRunner.run(
      ["shapes", "generate", "--class", "cup", "--seed", "4", "--output", "cup04.obj"], in: dir)
    #expect(run.status == 0, "stderr: \(run.stderr)")
    for file in ["cup04.obj", "cup04.mtl"] {
      let a = try Data(contentsOf: dir.appending(path: file))
      #expect(a == (try Data(contentsOf: Self.meshes.appending(path: file))), "\(file)")
    }
  }

  @Test("shapes lists a class; bad options fail with one line naming the fix")
  func listAndErrors() throws {
    let list = try CommandRunner.run(["shapes", "--class", "vase"])
    #expect(list.status == 0)
    #expect(list.stdout.split(separator: "\n").count == 10 && list.stdout.contains("vase07"))
    let cases: [([String], String)] = [
      (["shapes", "--class", "sofa"], "no shapes of class 'sofa'"),
      (
        ["shapes", "generate", "--class", "sofa", "--seed", "1", "--output", "x.obj"],
        "unknown class"
      ),
      (["shapes", "generate", "--class", "cup", "--output", "x.obj"], "give --class, --seed"),
      (["shapes", "generate", "--evaluation-set"], "--evaluation-set needs --catalog"),
      (["shapes", "generate", "--class", "cup", "--seed", "1", "--output", "x.ply"], ".obj"),
      (["shapes", "sheet", "--output", "x.png", "--tile", "4"], "--tile must be in"),
    ]
    for (arguments, message) in cases {
      let run = try CommandRunner.run(arguments)
      #expect(run.status != 0, "\(arguments)")
      #expect(run.stderr.contains(message), "\(arguments): \(run.stderr)")
    }
  }

  @Test("shapes sheet draws one row per class and one column per shape")
  func sheet() throws {
    let dir = try temporaryDirectory()
    defer { try? FileManager.default.removeItem(at: dir) }
    let output = dir.appending(path: "sheet.png").path
    let run = try CommandRunner.run(["shapes", "sheet", "--tile", "32", "--output", output])
    #expect(run.status == 0, "stderr: \(run.stderr)")
    let image = try PNGImage(contentsOf: URL(fileURLWithPath: output))
    // 32-pixel tiles with 1-pixel gaps (10 · 33 + 1 each way), a column of class names on the
    // left and a row of shape numbers (11-pixel font: 11 + 3 + 1 rows) on top.
    #expect(image.height == 15 + 331)
    #expect(image.width > 331 + 40 && image.width < 331 + 120)
    let one = try CommandRunner.run([
      "shapes", "sheet", "--class", "bench", "--tile", "32", "--output", output,
    ])
    #expect(one.status == 0)
    #expect(try PNGImage(contentsOf: URL(fileURLWithPath: output)).height == 15 + 34)
  }
}
