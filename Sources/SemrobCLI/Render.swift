import ArgumentParser
import Foundation
import Geometry
import MeshFiles
import Rendering
import Tensors

/// `semrob render`: renders a mesh from one or many poses to PNG (and NPY).
struct Render: ParsableCommand {
  static let configuration = CommandConfiguration(
    abstract: "Render a mesh from one or more camera poses to PNG (and NPY).",
    discussion: """
      Angles are in degrees. --azimuth and --elevation take one value, a list (0,30,60) or a
      range start:stop:step (stop included). With several poses the images go to
      FILE_000.png, FILE_001.png, ... (or to the printf pattern in FILE, e.g. out/%03d.png),
      elevation-major: every azimuth at the first elevation, then the next elevation.
      A JSON sidecar next to the output records the poses, settings, input hash and files.

      Presets: default = PyTorch3D camera, smooth shading, edge antialiasing;
      nmr = the original study's Neural Mesh Renderer camera (mirrored image x-axis), flat
      shading, no edge pass. Both: 224×224, 2× supersampling, 60° field of view, distance 2.732,
      ambient 0.5 + directional 0.5 light from +Y, white mesh on black.

      --grad azimuth,elevation[,distance,fov,light-azimuth,light-elevation] also writes the
      tangent images ∂I/∂θ of every pose to --grad-output as float32 K×H×W×3 NPY (in the
      order given; per degree for angles, per world unit for the distance): the exact
      derivative of the image in the default preset, the derivative of the same render with the
      edge-antialiasing pass on in the nmr preset (its point-sampled images have none).
      """)

  @OptionGroup var source: MeshSourceOptions
  @Option(help: "Camera azimuth(s) in degrees.") var azimuth: DegreeList
  @Option(help: "Camera elevation(s) in degrees.") var elevation: DegreeList
  @Option(help: "Camera distance from the object centre (world units).") var distance = 2.732
  @Option(help: "Full vertical field of view in degrees.") var fov = 60.0
  @OptionGroup var light: LightOptions
  @OptionGroup var soft: SoftOptions
  @Option(help: "Image side in pixels (16…1024).") var size = 224
  @Option(help: "Render preset: default or nmr.") var preset: PresetName = .default
  @Option(help: "Shading: smooth or flat (default: the preset's).") var shading: Shading?
  @Option(help: "Supersampling factor 1…8 (default: the preset's, 2).") var ssaa: Int?
  @Option(help: "Background colour R,G,B in [0,1] (default 0,0,0).") var background: RGBColour?
  @Flag(help: "Colour faces with the mesh's material colours (default: white).")
  var materialColours = false
  @Option(name: .shortAndLong, help: ArgumentHelp("Output PNG file.", valueName: "file.png"))
  var output: String
  @Option(help: ArgumentHelp("Also write the image as float32 H×W×3 NPY.", valueName: "file.npy"))
  var npy: String?
  @Option(
    help: ArgumentHelp(
      "Parameters to differentiate, comma-separated: azimuth, elevation, distance, fov, light-azimuth, light-elevation.",
      valueName: "list"))
  var grad: String?
  @Option(
    help: ArgumentHelp(
      "Write the tangent images as float32 K×H×W×3 NPY (with --grad).", valueName: "file.npy"))
  var gradOutput: String?
  @Option(
    help: ArgumentHelp(
      "Where tangent images come from: analytic, surrogate or central:H (default: the preset's).",
      valueName: "source"))
  var gradSource: GradientSourceOption?
  @OptionGroup var common: CommonOptions

  func validate() throws {
    if let problem = settings.problem {
      throw ValidationError("\(problem); check --size, --ssaa, --fov and --background.")
    }
    if !(distance > 0 && distance.isFinite) {
      throw ValidationError("--distance must be positive (got \(distance)).")
    }
    if azimuth.values.count * elevation.values.count > 100_000 {
      throw ValidationError("too many poses (at most 100,000 per run).")
    }
    guard output.lowercased().hasSuffix(".png") else {
      throw ValidationError("--output must name a .png file (got '\(output)').")
    }
    if let npy, !npy.lowercased().hasSuffix(".npy") {
      throw ValidationError("--npy must name a .npy file (got '\(npy)').")
    }
    switch (grad, gradOutput) {
    case (nil, nil): break
    case (.some, nil): throw ValidationError("--grad needs --grad-output FILE.npy.")
    case (nil, .some): throw ValidationError("--grad-output needs --grad (a parameter list).")
    case (.some(let list), .some(let file)):
      do {
        _ = try RenderParameter.list(list)
      } catch {
        throw ValidationError("--grad: \(error.message).")
      }
      guard file.lowercased().hasSuffix(".npy") else {
        throw ValidationError("--grad-output must name a .npy file (got '\(file)').")
      }
      try OutputFiles.checkWritableDirectory(of: file, option: "--grad-output")
    }
    try OutputFiles.checkWritableDirectory(of: output, option: "--output")
    if let npy { try OutputFiles.checkWritableDirectory(of: npy, option: "--npy") }
  }

  /// The tangent images' source: --grad-source, else the preset's.
  var gradientSource: GradientSource { gradSource?.value ?? .preferred(for: settings) }

  /// The parameters of --grad (empty without it; validated).
  var gradParameters: [RenderParameter] { grad.flatMap { try? RenderParameter.list($0) } ?? [] }

  /// The render settings the options describe.
  var settings: RenderSettings {
    var s = soft.applied(to: preset.settings)
    s.size = size
    if let ssaa { s.supersampling = ssaa }
    if let shading { s.shading = shading }
    if let background { s.background = background.value }
    s.fieldOfView = fov * Camera.radiansPerDegree
    s.materialColours = materialColours
    return light.applied(to: s)
  }

  /// The poses, elevation-major.
  var poses: [CameraPose] {
    elevation.values.flatMap { e in
      azimuth.values.map { a in
        CameraPose(azimuthDegrees: a, elevationDegrees: e, distance: distance)
      }
    }
  }

  func run() throws {
    let threads = Parallelism.useOwnLoops(threads: common.threads)
    let settings = self.settings
    let resolved = try source.load(defaultNormalization: preset.normalization)
    let scene = SceneMesh(resolved.mesh)
    let renderer = Renderer<Float>(scene: scene, settings: settings)
    let poses = self.poses
    Diagnostics.note(
      "rendering \(resolved.label) (\(scene.vertexCount) vertices, \(scene.triangleCount) "
        + "triangles) from \(poses.count) pose\(poses.count == 1 ? "" : "s") at \(size)×\(size), "
        + "\(preset.rawValue) preset, \(threads) thread\(threads == 1 ? "" : "s")",
      quiet: common.quiet)
    let pngNames = OutputFiles.numbered(output, count: poses.count)
    let npyNames = npy.map { OutputFiles.numbered($0, count: poses.count) }
    let gradNames = gradOutput.map { OutputFiles.numbered($0, count: poses.count) }
    let parameters = gradParameters
    var records: [RenderRecord] = []
    // Render and write in batches, so memory stays bounded however many poses there are.
    let batchSize = max(64, 16 * threads)
    for start in stride(from: 0, to: poses.count, by: batchSize) {
      let range = start..<min(start + batchSize, poses.count)
      let images: [RenderedImage<Float>]
      var tangents: [[RenderedImage<Float>]] = []
      if parameters.isEmpty {
        images = renderer.render(Array(poses[range]), threads: threads)
      } else {
        let views = poses[range].map { SceneView($0, settings: settings) }
        let renders = renderer.renderWithTangents(
          views, parameters: parameters, source: gradientSource, threads: threads)
        images = renders.map(\.image)
        tangents = renders.map(\.tangents)
      }
      for (k, (i, image)) in zip(range, images).enumerated() {
        let tensor = image.tensor
        try OutputFiles.writePNG(tensor, to: pngNames[i])
        if let npyNames { try OutputFiles.writeNPY(tensor, to: npyNames[i]) }
        if let gradNames {
          try OutputFiles.writeNPY(Tensor.stacked(tangents[k].map(\.tensor)), to: gradNames[i])
        }
        records.append(
          RenderRecord(
            azimuthDegrees: azimuth.values[i % azimuth.values.count],
            elevationDegrees: elevation.values[i / azimuth.values.count], distance: distance,
            png: pngNames[i], npy: npyNames?[i], gradients: gradNames?[i]))
      }
      if poses.count > batchSize {
        Diagnostics.note("rendered \(range.upperBound)/\(poses.count) poses", quiet: common.quiet)
      }
    }
    let payload = RenderResult(
      mesh: resolved.label, meshFile: resolved.file.path, preset: preset.rawValue,
      meshReport: resolved.report, images: records,
      gradients: parameters.isEmpty
        ? nil
        : GradientRecord(
          parameters: parameters.map(\.rawValue),
          units: parameters.map(\.unitName),
          source: GradientSourceOption.name(of: gradientSource), layout: "K×H×W×3 float32"))
    let sidecar = OutputFiles.sidecar(for: output)
    try OutputFiles.writeResult(
      schema: "semrob.render/1", payload: payload, inputs: [resolved.file], settings: settings,
      seed: common.seed, threads: threads, to: sidecar, alsoToStandardOutput: common.json)
    for name in pngNames.prefix(3) { Diagnostics.note("wrote \(name)", quiet: common.quiet) }
    if pngNames.count > 3 {
      Diagnostics.note("wrote \(pngNames.count - 3) more images", quiet: common.quiet)
    }
    Diagnostics.note("wrote \(sidecar)", quiet: common.quiet)
  }
}

/// One rendered pose in the render sidecar.
struct RenderRecord: Codable {
  var azimuthDegrees: Double
  var elevationDegrees: Double
  var distance: Double
  var png: String
  var npy: String?
  /// The tangent-image NPY (with --grad).
  var gradients: String?
}

/// What the tangent images of a render run hold.
struct GradientRecord: Codable {
  /// The parameters, in the order of the NPY's first axis.
  var parameters: [String]
  /// Per parameter: "per degree" or "per world unit".
  var units: [String]
  /// "analytic" (the forward image's derivative) or "antialiased-surrogate".
  var source: String
  /// The array layout.
  var layout: String
}

/// The payload of the render sidecar (`semrob.render/1`); the resolved render settings are in
/// the provenance.
struct RenderResult: Codable {
  var mesh: String
  var meshFile: String
  var preset: String
  var meshReport: MeshLoadReport
  var images: [RenderRecord]
  /// The tangent images' description (with --grad).
  var gradients: GradientRecord?
}
