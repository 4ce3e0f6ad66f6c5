import Foundation
import Geometry
import Testing

@testable import Rendering

/// Soft mode (METHODS §1.10): its image, and its tangents against central differences at every
/// pixel (METHODS §1.11: rel 1e-5 in Float64, except where a face crosses the cut-off).
@Suite struct SoftRasterizationTests {
  typealias Support = TangentTestSupport

  /// A Float64 soft renderer at 64², one sample per pixel, with an oblique light.
  static func renderer(
    _ preset: RenderSettings, shape: TangentTestSupport.Shape, soft: SoftRasterization = .init()
  ) throws -> Renderer<Double> {
    var settings = preset
    settings.size = 64
    settings.supersampling = 1
    settings.light = Light(azimuth: 0.6, elevation: 1.0)
    settings.soft = soft
    return Renderer<Double>(scene: SceneMesh(try Support.mesh(shape)), settings: settings)
  }

  /// Per sample, an order-independent signature of the faces that pass the cut-off and of the
  /// piecewise branch each is on (nearest boundary segment, clamped barycentrics, light clamp).
  static func contributors(_ renderer: Renderer<Double>, _ view: SceneView) -> [UInt64] {
    let ws = renderer.makeWorkspace()
    renderer.run(view, in: ws)
    var signatures = [UInt64](repeating: 0, count: ws.fineSize * ws.fineSize)
    let camera = view.camera(renderer.settings)
    SoftRasterizer.apply(
      renderer: renderer, workspace: ws,
      light: Renderer<Double>.lightDirection(view.light(renderer.settings), camera),
      tangents: nil
    ) { sample, face, branch in
      let key = UInt64(face) << 10 | UInt64(branch)
      signatures[sample] &+= (key &+ 1) &* 0x9E37_79B9_7F4A_7C15 ^ (key &* 0xBF58_476D_1CE4_E5B9)
    }
    return signatures
  }

  /// Renders at `θ ∓ h`, and which samples qualify for comparison.
  ///
  /// A sample qualifies when its contributor signatures at `θ − h`, `θ` and `θ + h` agree.
  /// Distance steps must be small: the depth softmax changes its weights by e per 0.01 world
  /// units along the view axis (γ = 1e-4 of far − near ≈ 100).
  static func differences(
    _ renderer: Renderer<Double>, _ view: SceneView, _ parameter: RenderParameter
  ) -> (h: Double, minus: RenderedImage<Double>, plus: RenderedImage<Double>, stable: [Bool]) {
    let h = parameter == .distance ? 1e-6 : 1e-5
    let x = parameter.value(in: view)
    let views = [parameter.setting(x - h, in: view), view, parameter.setting(x + h, in: view)]
    let sets = views.map { contributors(renderer, $0) }
    let stable = sets[1].indices.map { sets[0][$0] == sets[1][$0] && sets[2][$0] == sets[1][$0] }
    return (h, renderer.render(views[0]), renderer.render(views[2]), stable)
  }

  @Test(
    "every pixel's tangent matches central differences (rel 1e-5), both presets, two meshes",
    arguments: ["default", "nmr"], [TangentTestSupport.Shape.sphere2, .box])
  func pixels(_ preset: String, _ shape: TangentTestSupport.Shape) throws {
    let renderer = try Self.renderer(preset == "nmr" ? .nmr : .default, shape: shape)
    let view = SceneView(
      CameraPose(azimuthDegrees: 35, elevationDegrees: 25), settings: renderer.settings)
    let parameters = RenderParameter.allCases
    let render = renderer.renderWithTangents(view, parameters: parameters)
    var compared = 0
    var excluded = 0
    var largest = 0.0
    var failures: [String] = []
    for (k, parameter) in parameters.enumerated() {
      let (h, minus, plus, stable) = Self.differences(renderer, view, parameter)
      for pixel in 0..<(64 * 64) {
        // Left out: samples where a face crosses the cut-off or a kink within the step.
        guard stable[pixel] else {
          excluded += 1
          continue
        }
        for c in 0..<3 {
          let o = 3 * pixel + c
          let numeric = (plus.pixels[o] - minus.pixels[o]) / (2 * h)
          let analytic = render.tangents[k].pixels[o]
          largest = max(largest, abs(analytic))
          // Absolute floor: the differences' round-off, ε/γ/h ≈ 1e-16 · 1e4 / 2e-6 ≈ 5e-7.
          if abs(analytic - numeric) > 1e-5 * abs(numeric) + 2e-7 {
            failures.append("\(parameter) pixel \(pixel) channel \(c): \(analytic) vs \(numeric)")
          }
          compared += 1
        }
      }
    }
    #expect(failures.isEmpty, "\(failures.count) of \(compared): \(failures.prefix(6))")
    #expect(
      Double(excluded) < 0.005 * Double(compared / 3),
      "\(excluded) pixels cross the cut-off or a kink")
    #expect(largest > 0.01, "the tangents are not all zero")
  }

  @Test("inside the silhouette the soft image equals the hard one; outside it grows and fades")
  func image() throws {
    let soft = try Self.renderer(.default, shape: .sphere2)
    var hardSettings = soft.settings
    hardSettings.soft = nil
    hardSettings.edgeAntialiasing = false
    let hard = Renderer<Double>(scene: soft.scene, settings: hardSettings)
    let pose = CameraPose(azimuthDegrees: 35, elevationDegrees: 25)
    let softImage = soft.render(pose)
    let hardImage = hard.render(pose)
    let ids = hard.framebuffer(pose).triangleIDs
    let n = 64
    // Samples whose 5×5 neighbourhood is covered: soft and hard agree closely.
    var interior: [Double] = []
    var grown = 0
    var background = 0
    for i in 0..<n {
      for j in 0..<n {
        let around = (-2...2).flatMap { di in
          (-2...2).map { dj in
            let (a, b) = (i + di, j + dj)
            return a >= 0 && a < n && b >= 0 && b < n ? ids[a * n + b] : -1
          }
        }
        let s = softImage[i, j]
        let h = hardImage[i, j]
        if around.allSatisfy({ $0 >= 0 }) {
          interior.append(Support.largest(s - h))
        } else if ids[i * n + j] < 0 {
          if s.max() > 0.05 { grown += 1 } else { background += 1 }
        }
      }
    }
    interior.sort()
    #expect(interior[interior.count / 2] < 1e-3, "median interior difference")
    #expect(interior[interior.count * 95 / 100] < 3e-2, "95th percentile interior difference")
    // The cut-off radius at 64² is ~1 sample: the silhouette grows by about one ring.
    #expect(grown > 100, "soft mode widens the silhouette (\(grown) samples)")
    #expect(background > 1000, "far from the mesh the background stays (\(background))")
  }

  @Test("the cut-off radius and the settings' validation")
  func settings() throws {
    let soft = SoftRasterization()
    #expect(abs(soft.cutoffRadius(gridSize: 224) - 3.399) < 1e-3)
    #expect(soft.problem == nil)
    #expect(SoftRasterization(sigma: 0).problem?.contains("σ") == true)
    #expect(SoftRasterization(gamma: -1).problem?.contains("γ") == true)
    #expect(SoftRasterization(backgroundEpsilon: 2).problem?.contains("ε_bg") == true)
    var settings = RenderSettings.default
    settings.soft = SoftRasterization(sigma: 3)
    #expect(settings.problem?.contains("σ") == true)
    // Settings round-trip through JSON with and without soft mode.
    for soft in [nil, SoftRasterization(sigma: 2e-4, gamma: 3e-4, backgroundEpsilon: 0)] {
      var s = RenderSettings.nmr
      s.soft = soft
      let decoded = try JSONDecoder().decode(RenderSettings.self, from: JSONEncoder().encode(s))
      #expect(decoded == s)
    }
  }

  @Test("a wider σ and a larger γ give a softer image whose tangents still match differences")
  func widerKernel() throws {
    let renderer = try Self.renderer(
      .default, shape: .box, soft: SoftRasterization(sigma: 1e-3, gamma: 1e-2))
    let view = SceneView(
      CameraPose(azimuthDegrees: 20, elevationDegrees: 10), settings: renderer.settings)
    let render = renderer.renderWithTangents(view, parameters: [.azimuth, .distance])
    for (k, parameter) in [RenderParameter.azimuth, .distance].enumerated() {
      let (h, minus, plus, stable) = Self.differences(renderer, view, parameter)
      var worst = 0.0
      for pixel in 0..<(64 * 64) where stable[pixel] {
        for c in 0..<3 {
          let o = 3 * pixel + c
          let numeric = (plus.pixels[o] - minus.pixels[o]) / (2 * h)
          worst = max(worst, abs(render.tangents[k].pixels[o] - numeric) / (abs(numeric) + 1e-3))
        }
      }
      #expect(worst < 1e-5, "\(parameter): worst relative error \(worst)")
    }
  }
}
