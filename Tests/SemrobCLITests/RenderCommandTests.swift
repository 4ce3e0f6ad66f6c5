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

  @Test(
    "render --grad writes K×H×W×3 tangent images that match differences of renders on a cube's faces",
    arguments: ["default", "nmr"])
  func renderGradients(preset: String) throws {
    let dir = try temporaryDirectory()
    defer { try? FileManager.default.removeItem(at: dir) }
    func render(_ azimuth: String, _ extra: [String]) throws -> CommandRunner.Result {
      try CommandRunner.run(
        [
          "render", "--shape", "cube", "--azimuth", azimuth, "--elevation", "20", "--size", "32",
          "--preset", preset, "--light-azimuth", "40", "--light-elevation", "60", "--quiet",
        ] + extra)
    }
    let grad = dir.appending(path: "grad.npy").path
    let result = try render(
      "30",
      [
        "--output", dir.appending(path: "cube.png").path, "--grad",
        "light-azimuth,azimuth", "--grad-output", grad,
      ])
    #expect(result.status == 0, "stderr: \(result.stderr)")
    let tangents = try Tensor(npyContentsOf: URL(fileURLWithPath: grad))
    #expect(tangents.shape == [2, 32, 32, 3])
    // The light tangent is smooth: central differences of two renders (±1°) agree on every
    // pixel away from the silhouette, per degree.
    var images: [Tensor] = []
    for azimuth in ["39", "41"] {
      let npy = dir.appending(path: "light\(azimuth).npy").path
      let run = try CommandRunner.run([
        "render", "--shape", "cube", "--azimuth", "30", "--elevation", "20", "--size", "32",
        "--preset", preset, "--light-azimuth", azimuth, "--light-elevation", "60", "--quiet",
        "--output", dir.appending(path: "light\(azimuth).png").path, "--npy", npy,
      ])
      #expect(run.status == 0, "stderr: \(run.stderr)")
      images.append(try Tensor(npyContentsOf: URL(fileURLWithPath: npy)))
    }
    var compared = 0
    for i in 0..<(32 * 32 * 3) where images[0].scalars[i] > 0 && images[1].scalars[i] > 0 {
      let numeric = (images[1].scalars[i] - images[0].scalars[i]) / 2
      let analytic = tangents.scalars[i]
      if abs(analytic - numeric) <= 2e-4 + 0.02 * abs(numeric) { compared += 1 }
    }
    let lit = images[0].scalars.filter { $0 > 0 }.count
    #expect(Double(compared) > 0.9 * Double(lit), "\(compared) of \(lit) lit values agree")
    #expect(tangents.scalars[(32 * 32 * 3)...].contains { $0 != 0 }, "the azimuth moves edges")
    let sidecar =
      try JSONSerialization.jsonObject(
        with: Data(contentsOf: dir.appending(path: "cube.json"))) as? [String: Any]
    let gradients = (sidecar?["payload"] as? [String: Any])?["gradients"] as? [String: Any]
    #expect(gradients?["parameters"] as? [String] == ["light-azimuth", "azimuth"])
    #expect(gradients?["units"] as? [String] == ["per degree", "per degree"])
  }

  @Test("render --grad-source central:H writes central differences of renders ±H")
  func centralDifferenceSource() throws {
    let dir = try temporaryDirectory()
    defer { try? FileManager.default.removeItem(at: dir) }
    func run(_ azimuth: String, _ extra: [String]) throws -> Tensor {
      let npy = dir.appending(path: "a\(azimuth).npy").path
      let result = try CommandRunner.run(
        [
          "render", "--shape", "cube", "--azimuth", azimuth, "--elevation", "20", "--size", "32",
          "--output", dir.appending(path: "a\(azimuth).png").path, "--npy", npy, "--quiet",
        ] + extra)
      #expect(result.status == 0, "stderr: \(result.stderr)")
      return try Tensor(npyContentsOf: URL(fileURLWithPath: extra.isEmpty ? npy : extra[3]))
    }
    let tangent = try run(
      "30",
      [
        "--grad", "azimuth", "--grad-output", dir.appending(path: "g.npy").path, "--grad-source",
        "central:0.5",
      ])
    let plus = try run("30.5", [])
    let minus = try run("29.5", [])
    #expect(tangent.shape == [1, 32, 32, 3])
    for i in 0..<(32 * 32 * 3) {
      #expect(abs(tangent.scalars[i] - (plus.scalars[i] - minus.scalars[i])) <= 1e-5)
    }
  }

  @Test("render --soft --grad: soft-mode tangents match differences of soft renders")
  func softGradients() throws {
    let dir = try temporaryDirectory()
    defer { try? FileManager.default.removeItem(at: dir) }
    func run(_ azimuth: String, _ extra: [String]) throws -> Tensor {
      let npy = dir.appending(path: "s\(azimuth).npy").path
      let result = try CommandRunner.run(
        [
          "render", "--shape", "bumpy-sphere", "--azimuth", azimuth, "--elevation", "20",
          "--size", "32", "--soft", "--soft-sigma", "4e-4", "--output",
          dir.appending(path: "s\(azimuth).png").path, "--npy", npy, "--quiet",
        ] + extra)
      #expect(result.status == 0, "stderr: \(result.stderr)")
      return try Tensor(npyContentsOf: URL(fileURLWithPath: extra.isEmpty ? npy : extra[3]))
    }
    let tangent = try run(
      "30", ["--grad", "azimuth", "--grad-output", dir.appending(path: "g.npy").path])
    let plus = try run("30.02", [])
    let minus = try run("29.98", [])
    var agree = 0
    var moving = 0
    for i in 0..<(32 * 32 * 3) where tangent.scalars[i] != 0 {
      moving += 1
      let numeric = (plus.scalars[i] - minus.scalars[i]) / 0.04
      if abs(tangent.scalars[i] - numeric) <= 2e-3 + 0.05 * abs(numeric) { agree += 1 }
    }
    #expect(moving > 500, "\(moving) values move")
    #expect(Double(agree) > 0.95 * Double(moving), "\(agree) of \(moving) agree")
    let sidecar =
      try JSONSerialization.jsonObject(
        with: Data(contentsOf: dir.appending(path: "s30.json"))) as? [String: Any]
    let settings = (sidecar?["provenance"] as? [String: Any])?["settings"] as? [String: Any]
    let soft = settings?["soft"] as? [String: Any]
    #expect(soft?["sigma"] as? Double == 4e-4, "the sidecar records soft mode: \(settings ?? [:])")
    #expect(settings?["supersampling"] as? Int == 1)
  }

  @Test("render --grad rejects a bad list and a missing output with one-line errors")
  func renderGradientErrors() throws {
    let dir = try temporaryDirectory()
    defer { try? FileManager.default.removeItem(at: dir) }
    let png = dir.appending(path: "cube.png").path
    let base = ["render", "--shape", "cube", "--azimuth", "30", "--elevation", "20", "-o", png]
    let bad = try CommandRunner.run(
      base + ["--grad", "azimuth,roll", "--grad-output", dir.appending(path: "g.npy").path])
    #expect(bad.status != 0)
    #expect(bad.stderr.contains("unknown render parameter 'roll'"))
    let missing = try CommandRunner.run(base + ["--grad", "azimuth"])
    #expect(missing.status != 0)
    #expect(missing.stderr.contains("--grad needs --grad-output"))
    #expect(!FileManager.default.fileExists(atPath: png), "nothing written on bad input")
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
      [
        "render", "--shape", "cube", "--azimuth", "30", "--elevation", "20", "--soft",
        "--soft-sigma", "0", "--output", "x.png",
      ],
      [
        "render", "--shape", "cube", "--azimuth", "30", "--elevation", "20", "--soft-gamma",
        "1e-3", "--output", "x.png",
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
