import Foundation
import ImageFiles
import Tensors
import TestSupport
import Testing

@Suite struct RenderCommandTests {
  @Test("semrob --version prints the version the README states")
  func version() throws {
    let result = try CommandRunner.run(["--version"])
    #expect(result.status == 0)
    let version = result.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
    let readme = try String(
      contentsOf: CommandRunner.packageRoot.appending(path: "README.md"), encoding: .utf8)
    #expect(readme.contains("Version \(version)."), "README does not state version \(version)")
  }

  @Test(
    "render writes a PNG, an NPY and a sidecar, in both presets",
    arguments: ["default", "nmr"])
  func renderOnePose(preset: String) throws {
    let dir = try temporaryDirectory()
    defer { try? FileManager.default.removeItem(at: dir) }
    let png = dir.appending(path: "cube.png").path
    let npy = dir.appending(path: "cube.npy").path
    let result = try CommandRunner.run([
      "render", "--shape", "cube", "--azimuth", "30", "--elevation", "20", "--size", "32",
      "--preset", preset, "--output", png, "--npy", npy, "--quiet",
    ])
    #expect(result.status == 0, "stderr: \(result.stderr)")
    #expect(result.stderr.isEmpty)
    let image = try PNGImage(contentsOf: URL(fileURLWithPath: png))
    #expect(image.width == 32 && image.height == 32 && image.channels == 3)
    let tensor = try Tensor(npyContentsOf: URL(fileURLWithPath: npy))
    #expect(tensor.shape == [32, 32, 3])
    for (byte, value) in zip(image.pixels, tensor.scalars) {
      #expect(abs(Float(byte) / 255 - value) <= 0.5 / 255 + 1e-6)
    }
    #expect(tensor.scalars.contains { $0 > 0.4 }, "the cube is visible")
    #expect(tensor.scalars.contains { $0 == 0 }, "the background is black")
    let sidecar =
      try JSONSerialization.jsonObject(
        with: Data(contentsOf: dir.appending(path: "cube.json"))) as? [String: Any]
    #expect(sidecar?["schema"] as? String == "semrob.render/1")
    let provenance = sidecar?["provenance"] as? [String: Any]
    let inputs = provenance?["inputFiles"] as? [String: String]
    #expect(inputs?.values.first?.count == 64, "SHA-256 of the mesh file")
  }

  @Test("pose lists render numbered files, elevation-major")
  func poseLists() throws {
    let dir = try temporaryDirectory()
    defer { try? FileManager.default.removeItem(at: dir) }
    let result = try CommandRunner.run([
      "render", "--shape", "cube", "--azimuth", "0,90,180", "--elevation", "10:40:30",
      "--size", "16", "--output", dir.appending(path: "turn.png").path, "--quiet",
    ])
    #expect(result.status == 0, "stderr: \(result.stderr)")
    for k in 0..<6 {
      let name = String(format: "turn_%03d.png", k)
      #expect(FileManager.default.fileExists(atPath: dir.appending(path: name).path), "\(name)")
    }
    let sidecar =
      try JSONSerialization.jsonObject(
        with: Data(contentsOf: dir.appending(path: "turn.json"))) as? [String: Any]
    let images = (sidecar?["payload"] as? [String: Any])?["images"] as? [[String: Any]]
    #expect(images?.count == 6)
    #expect(images?[3]["elevationDegrees"] as? Double == 40)
    #expect(images?[3]["azimuthDegrees"] as? Double == 0)
  }

  @Test("same arguments give byte-identical images whatever --threads")
  func deterministicOutputs() throws {
    let dir = try temporaryDirectory()
    defer { try? FileManager.default.removeItem(at: dir) }
    var files: [[Data]] = []
    for threads in ["1", "2"] {
      let out = dir.appending(path: "t\(threads).png").path
      let result = try CommandRunner.run([
        "render", "--shape", "cube", "--azimuth", "0:300:60", "--elevation", "25", "--size",
        "24", "--threads", threads, "--output", out, "--npy",
        dir.appending(path: "t\(threads).npy").path, "--quiet",
      ])
      #expect(result.status == 0, "stderr: \(result.stderr)")
      files.append(
        try (0..<6).flatMap { k in
          [
            try Data(contentsOf: dir.appending(path: String(format: "t\(threads)_%03d.png", k))),
            try Data(contentsOf: dir.appending(path: String(format: "t\(threads)_%03d.npy", k))),
          ]
        })
    }
    #expect(files[0] == files[1])
  }

  @Test(
    "usage errors exit 64 with a one-line message",
    arguments: [
      ["render", "--shape", "cube", "--azimuth", "30", "--elevation", "20"],
      [
        "render", "--shape", "cube", "--azimuth", "30", "--elevation", "20", "--size", "8",
        "--output", "x.png",
      ],
      [
        "render", "--shape", "cube", "--mesh", "a.obj", "--azimuth", "30", "--elevation", "20",
        "--output", "x.png",
      ],
      ["render", "--shape", "cube", "--azimuth", "abc", "--elevation", "20", "--output", "x.png"],
      [
        "render", "--shape", "cube", "--azimuth", "30", "--elevation", "20",
        "--output", "/nonexistent-dir/x.png",
      ],
      [
        "render", "--mesh", "/nonexistent.obj", "--azimuth", "30", "--elevation", "20",
        "--output", "x.png",
      ],
      ["render", "--shape", "cube", "--azimuth", "30", "--elevation", "20", "--output", "x.jpg"],
      [
        "render", "--shape", "cube", "--azimuth", "30", "--elevation", "20", "--ssaa", "9",
        "--output", "x.png",
      ],
      [
        "render", "--shape", "cube", "--azimuth", "30", "--elevation", "20", "--threads", "0",
        "--output", "x.png",
      ],
    ])
  func usageErrors(arguments: [String]) throws {
    let result = try CommandRunner.run(arguments)
    #expect(result.status == 64, "stderr: \(result.stderr)")
    let firstLine = result.stderr.split(separator: "\n").first ?? ""
    #expect(firstLine.hasPrefix("Error: "), "stderr: \(result.stderr)")
  }

  @Test("runtime errors exit 1 with one line naming the problem")
  func runtimeErrors() throws {
    let dir = try temporaryDirectory()
    defer { try? FileManager.default.removeItem(at: dir) }
    let broken = dir.appending(path: "broken.obj")
    try Data("v 0 0 0\nv 1 0 0\nf 1 2 7\n".utf8).write(to: broken)
    let unknown = try CommandRunner.run([
      "render", "--shape", "no-such-shape", "--azimuth", "30", "--elevation", "20",
      "--output", dir.appending(path: "x.png").path,
    ])
    #expect(unknown.status == 1)
    #expect(unknown.stderr.contains("no-such-shape"))
    let bad = try CommandRunner.run([
      "render", "--mesh", broken.path, "--azimuth", "30", "--elevation", "20",
      "--output", dir.appending(path: "y.png").path,
    ])
    #expect(bad.status == 1)
    #expect(bad.stderr.contains("broken.obj"))
    #expect(
      bad.stderr.trimmingCharacters(in: .whitespacesAndNewlines).split(separator: "\n")
        .count == 1, "stderr: \(bad.stderr)")
    #expect(!FileManager.default.fileExists(atPath: dir.appending(path: "y.png").path))
  }

  @Test("shapes lists the shipped catalogue")
  func shapes() throws {
    let result = try CommandRunner.run(["shapes", "--names"])
    #expect(result.status == 0)
    let names = result.stdout.split(separator: "\n").map(String.init)
    #expect(names.contains("cube") && names.contains("cylinder"))
  }

  @Test("printf patterns number the files; a stray % is taken literally")
  func outputPatterns() throws {
    let dir = try temporaryDirectory()
    defer { try? FileManager.default.removeItem(at: dir) }
    for (name, expected) in [
      ("img%03d.png", ["img000.png", "img001.png", "render.json"]),
      ("100%s.png", ["100%s_000.png", "100%s_001.png", "100%s.json"]),
    ] {
      let result = try CommandRunner.run([
        "render", "--shape", "cube", "--azimuth", "0,90", "--elevation", "10", "--size", "16",
        "--output", dir.appending(path: name).path, "--quiet",
      ])
      #expect(result.status == 0, "stderr: \(result.stderr)")
      for file in expected {
        #expect(FileManager.default.fileExists(atPath: dir.appending(path: file).path), "\(file)")
      }
    }
  }
}
