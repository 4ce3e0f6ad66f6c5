import Foundation
import Geometry
import Testing

@testable import Rendering

/// Tangent images against central differences (METHODS §1.11).
@Suite struct TangentTests {
  typealias Support = TangentTestSupport

  static let parameters = RenderParameter.allCases

  // MARK: Camera math

  @Test(
    "camera, light and screen positions match central differences (1e-6 rad, rel 1e-7)",
    arguments: CameraConvention.allCases, LightFrame.allCases)
  func cameraMath(_ convention: CameraConvention, frame: LightFrame) {
    var settings = RenderSettings.default
    settings.convention = convention
    settings.light = Light(azimuth: 0.4, elevation: 0.9, frame: frame)
    let point = SIMD3<Double>(0.3, -0.4, 0.55)
    for (a, e) in [(30.0, 20.0), (200, -35), (-75, 89.5), (10, 120), (0, 0)] {
      var view = SceneView(
        CameraPose(azimuthDegrees: a, elevationDegrees: e, distance: 2.9), settings: settings)
      view.fieldOfView = 0.9
      let dual = TangentCamera(view: view, settings: settings, lanes: Self.parameters)
      let camera = view.camera(settings)
      // Values: the same closed forms as ``Camera``.
      #expect(dual.eye.value == camera.eye)
      #expect(dual.xAxis.value == camera.xAxis && dual.yAxis.value == camera.yAxis)
      #expect(dual.zAxis.value == camera.zAxis)
      for (k, parameter) in Self.parameters.enumerated() {
        let h = 1e-6 / parameter.interfaceScale  // 1e-6 rad (or world units)
        let x = parameter.value(in: view)
        let plus = parameter.setting(x + h, in: view)
        let minus = parameter.setting(x - h, in: view)
        func difference(_ f: (SceneView) -> SIMD3<Double>) -> SIMD3<Double> {
          (f(plus) - f(minus)) / (2e-6)
        }
        func close(_ analytic: SIMD3<Double>, _ numeric: SIMD3<Double>, _ what: String) {
          let error = Support.largest(analytic - numeric)
          #expect(
            error <= 1e-7 * max(1, Support.largest(numeric)),
            "\(convention) a=\(a) e=\(e) ∂\(what)/∂\(parameter): \(analytic) vs \(numeric)")
        }
        close(dual.eye.tangent(k), difference { $0.camera(settings).eye }, "C")
        close(dual.xAxis.tangent(k), difference { $0.camera(settings).xAxis }, "x_c")
        close(dual.yAxis.tangent(k), difference { $0.camera(settings).yAxis }, "y_c")
        close(dual.zAxis.tangent(k), difference { $0.camera(settings).zAxis }, "z_c")
        close(
          dual.light.tangent(k),
          difference { Renderer<Double>.lightDirection($0.light(settings), $0.camera(settings)) },
          "ℓ")
        close(
          dual.viewCoordinates(of: point).tangent(k),
          difference { $0.camera(settings).viewCoordinates(of: point) }, "(X, Y, Z)")
        let screen = dual.screenPosition(of: point, gridSize: 448)
        let rowCol = difference {
          let rc = $0.camera(settings).pixelCoordinates(of: point, width: 448, height: 448)
          return SIMD3(rc.x, rc.y, 0)
        }
        close(SIMD3(screen.row.tangent[k], screen.col.tangent[k], 0), rowCol, "(row, col)")
      }
    }
  }

  @Test("screen positions of the dual camera equal the renderer's projection")
  func screenValues() {
    let settings = RenderSettings.nmr
    let view = SceneView(CameraPose(azimuthDegrees: 40, elevationDegrees: 25), settings: settings)
    let dual = TangentCamera(view: view, settings: settings, lanes: [.azimuth])
    let point = SIMD3<Double>(-0.2, 0.7, 0.1)
    let s = dual.screenPosition(of: point, gridSize: 448)
    let rc = view.camera(settings).pixelCoordinates(of: point, width: 448, height: 448)
    #expect(abs(s.row.value - rc.x) < 1e-12 && abs(s.col.value - rc.y) < 1e-12)
  }

  @Test("screen tangents reproduce METHODS §8.1 (a = 30°, e = 20°, S = 224)")
  func referenceValues() {
    let point = SIMD3<Double>(0.3, -0.2, 0.5)
    let expected: [(RenderSettings, SIMD2<Double>, SIMD2<Double>)] = [
      (.default, SIMD2(0.00742396, -0.87625288), SIMD2(0.62053498, -0.00253493)),
      (.nmr, SIMD2(0.20825000, 0.40043808), SIMD2(-0.37216809, -0.01673170)),
    ]
    for (settings, perAzimuth, perElevation) in expected {
      let view = SceneView(CameraPose(azimuthDegrees: 30, elevationDegrees: 20), settings: settings)
      let dual = TangentCamera(view: view, settings: settings, lanes: [.azimuth, .elevation])
      let s = dual.screenPosition(of: point, gridSize: 224)
      let rho = Camera.radiansPerDegree
      for (k, reference) in [perAzimuth, perElevation].enumerated() {
        let got = SIMD2(s.row.tangent[k], s.col.tangent[k]) * rho
        #expect(
          abs(got.x - reference.x) < 1e-7 && abs(got.y - reference.y) < 1e-7,
          "\(settings.convention) ∂(row, col)/∂θ_\(k): \(got) vs \(reference) px/deg")
      }
      if settings.convention == .pytorch3d {
        #expect(Support.largest(dual.eye.tangent(0) - SIMD3(2.2232952654, 0, -1.2836201200)) < 1e-9)
        #expect(
          Support.largest(dual.eye.tangent(1) - SIMD3(-0.4671995158, 2.5672402400, -0.8092132986))
            < 1e-9)
      }
    }
  }

  // MARK: Pixels

  @Test(
    "interior pixels match central differences (Float64, rel 1e-6 + abs 1e-5), both presets",
    arguments: ["default", "nmr"])
  func interiorPixels(_ preset: String) throws {
    let (renderer, view) = try Support.pixelRenderer(
      preset, light: Light(azimuth: 0.6, elevation: 1.0))
    let settings = renderer.settings
    let render = renderer.renderWithTangents(
      view, parameters: RenderParameter.allCases, source: .analytic)
    let ids = renderer.framebuffer(view.pose).triangleIDs
    var compared = 0
    for (k, parameter) in RenderParameter.allCases.enumerated() {
      let h = 1e-4 / parameter.interfaceScale  // 1e-4 rad or world units
      let x = parameter.value(in: view)
      let views = [parameter.setting(x - h, in: view), parameter.setting(x + h, in: view)]
      let images = views.map { renderer.render($0) }
      let frames = views.map { renderer.framebuffer($0.pose).triangleIDs }
      for i in 1..<95 {
        for j in 1..<95 {
          // The pixel and its 8 neighbours keep one covering triangle at θ − h, θ, θ + h.
          let id = ids[i * 96 + j]
          guard id >= 0 else { continue }
          let stable = (-1...1).allSatisfy { di in
            (-1...1).allSatisfy { dj in
              let q = (i + di) * 96 + j + dj
              return ids[q] == id && frames[0][q] == id && frames[1][q] == id
            }
          }
          guard stable else { continue }
          for c in 0..<3 {
            let o = (i * 96 + j) * 3 + c
            // Away from the clamp kink n̂·ℓ = 0 (colour = ambient).
            guard
              [render.image, images[0], images[1]].allSatisfy({ abs($0.pixels[o] - 0.5) > 1e-3 })
            else { continue }
            let numeric = (images[1].pixels[o] - images[0].pixels[o]) / (2 * h)
            let analytic = render.tangents[k].pixels[o]
            #expect(
              abs(analytic - numeric) <= 1e-5 + 1e-6 * abs(numeric),
              "\(settings.convention) \(parameter) pixel (\(i), \(j)) channel \(c): \(analytic) vs \(numeric)"
            )
            compared += 1
          }
        }
      }
    }
    #expect(compared > 6 * 3 * 300, "enough interior pixels compared (\(compared))")
  }

  @Test("flat shading has no interior camera tangent, and a light tangent (nmr preset)")
  func flatInterior() throws {
    var settings = RenderSettings.nmr
    settings.size = 48
    settings.supersampling = 1
    settings.light = Light(azimuth: 0.6, elevation: 1.0)
    let renderer = Renderer<Double>(scene: SceneMesh(try Support.mesh(.box)), settings: settings)
    let view = SceneView(CameraPose(azimuthDegrees: 35, elevationDegrees: 25), settings: settings)
    let render = renderer.renderWithTangents(
      view, parameters: [.azimuth, .lightAzimuth], source: .analytic)
    #expect(render.tangents[0].pixels.allSatisfy { $0 == 0 })
    #expect(render.tangents[1].pixels.contains { $0 != 0 })
  }

  @Test(
    "edge pixels match central differences where their work items stay the same (rel 1e-2)",
    arguments: ["default", "nmr"])
  func edgePixels(_ preset: String) throws {
    let (renderer, view) = try Support.pixelRenderer(preset, edgeAntialiasing: true)
    let settings = renderer.settings
    let parameters: [RenderParameter] = [.azimuth, .elevation, .distance, .fieldOfView]
    let render = renderer.renderWithTangents(view, parameters: parameters, source: .analytic)
    var compared = 0
    var excluded = 0
    var failures: [String] = []
    for (k, parameter) in parameters.enumerated() {
      // Edges move by at most ~0.02 px: screen speeds stay below 20 px per degree or unit.
      let h = parameter == .distance ? 1e-3 : 1e-3
      let x = parameter.value(in: view)
      let views = [parameter.setting(x - h, in: view), view, parameter.setting(x + h, in: view)]
      let items = views.map { Support.workItems(renderer, $0) }
      let images = [renderer.render(views[0]), renderer.render(views[2])]
      for (pixel, item) in items[1] {
        guard items[0][pixel] == item, items[2][pixel] == item else {
          excluded += 1
          continue
        }
        for c in 0..<3 {
          let o = pixel * 3 + c
          let numeric = (images[1].pixels[o] - images[0].pixels[o]) / (2 * h)
          let analytic = render.tangents[k].pixels[o]
          if abs(analytic - numeric) > 1e-2 * abs(numeric) + 1e-6 {
            failures.append(
              "\(parameter) pixel (\(pixel / 96), \(pixel % 96)) channel \(c): \(analytic) vs \(numeric)"
            )
          }
          compared += 1
        }
      }
    }
    let fraction = Double(excluded) / Double(excluded + compared / 3)
    print(
      "edge pixels (\(settings.convention)): \(compared / 3) compared, \(excluded) excluded (\(fraction))"
    )
    #expect(failures.isEmpty, "\(failures.count) of \(compared): \(failures.prefix(8))")
    #expect(compared > 4 * 3 * 150, "enough edge pixels compared (\(compared))")
    #expect(fraction < 0.05, "excluded fraction \(fraction)")
  }

  // MARK: Aggregates

  @Test(
    "Σ w·∂I/∂θ matches central differences of Σ w·I within 3% at steps 0.02° and 0.01°",
    arguments: ["default", "nmr"], [TangentTestSupport.Shape.box, .sphere2])
  func aggregates(_ preset: String, _ shape: TangentTestSupport.Shape) throws {
    for parameter in RenderParameter.allCases {
      let result = try Support.aggregate(
        preset: preset == "nmr" ? .nmr : .default, parameter: parameter, shape: shape,
        source: preset == "nmr" ? .antialiasedSurrogate : nil)
      let name = "\(shape) \(preset) \(parameter.rawValue)"
      for (h, numeric) in result.numeric {
        // 3% of the difference, with a floor of 0.05% of the gross Σ|w·J| for sums that
        // nearly cancel (the box's azimuth: 0.023 out of a gross 45.5, where the differences'
        // curvature error alone is 0.011 at 0.01°).
        #expect(
          abs(result.analytic - numeric) <= 0.03 * abs(numeric) + 0.0005 * result.gross,
          "\(name): analytic \(result.analytic) vs difference \(numeric) at h = \(h) (gross \(result.gross))"
        )
      }
    }
  }

  /// The tangents integrate to the change over wide steps.
  ///
  /// Richardson extrapolation (METHODS §1.11) assumes `S` is smooth at the scale of the step;
  /// under camera motion it is only piecewise smooth (every sample crossing an edge bends
  /// `S'`), and measured `S'` varies by ±11% over ±0.5° of azimuth on the bumpy sphere, so
  /// differences at 0.5° legitimately differ from `S'(θ)` by 5%. What must hold at every step is
  /// the fundamental theorem of calculus: the mean of `S'` over the step equals the difference.
  @Test(
    "over wide steps the tangents integrate to the change: differences of Σ w·I at 0.5° and 0.1° match the mean of Σ w·∂I/∂θ over the step within 3%",
    arguments: ["default", "nmr"], [RenderParameter.azimuth, .elevation, .distance, .fieldOfView])
  func integratedAggregates(_ preset: String, _ parameter: RenderParameter) throws {
    for shape in [TangentTestSupport.Shape.box, .sphere2] {
      let results = try Support.integratedAggregate(
        preset: preset == "nmr" ? .nmr : .default, parameter: parameter, shape: shape,
        source: preset == "nmr" ? .antialiasedSurrogate : nil)
      for result in results {
        #expect(
          abs(result.mean - result.numeric) <= 0.03 * abs(result.numeric) + 0.0005 * result.gross,
          "\(shape) \(preset) \(parameter.rawValue): mean tangent \(result.mean) vs difference \(result.numeric) at h = \(result.h) (gross \(result.gross))"
        )
      }
    }
  }

  @Test("negative control: without the edge term the aggregate disagrees with differences")
  func aggregateWithoutEdgeTerm() throws {
    let result = try Support.aggregate(
      preset: .default, parameter: .azimuth, shape: .box, source: nil, omitEdges: true)
    let numeric = result.numeric.last!.1
    #expect(
      abs(result.analytic - numeric) > 0.2 * abs(numeric) + 0.0005 * result.gross,
      "the interior term alone should miss the silhouette's motion")
  }

  @Test("negative control: without the edge term the tangents do not integrate to the change")
  func integratedAggregateWithoutEdgeTerm() throws {
    let results = try Support.integratedAggregate(
      preset: .default, parameter: .elevation, shape: .box, source: nil, omitEdges: true)
    for result in results {
      #expect(
        abs(result.mean - result.numeric) > 0.2 * abs(result.numeric) + 0.0005 * result.gross,
        "h = \(result.h): the interior term alone should miss the silhouette's motion")
    }
  }

  @Test("negative control: flat shading without crease edges disagrees with differences")
  func aggregateWithoutCreases() throws {
    let result = try Support.aggregate(
      preset: .nmr, parameter: .azimuth, shape: .box, source: .antialiasedSurrogate,
      omitCreases: true)
    let numeric = result.numeric.last!.1
    #expect(
      abs(result.analytic - numeric) > 0.2 * abs(numeric) + 0.0005 * result.gross,
      "the box's inner edges move with the camera")
  }

  // MARK: Robustness

  @Test(
    "poses at and near ±90° elevation give finite tangents",
    arguments: [89.99, 90, -90, -89.9, 135])
  func poles(_ elevation: Double) throws {
    var settings = RenderSettings.default
    settings.size = 32
    let renderer = Renderer<Float>(scene: SceneMesh(try Support.mesh(.box)), settings: settings)
    let view = SceneView(
      CameraPose(azimuthDegrees: 20, elevationDegrees: elevation), settings: settings)
    let render = renderer.renderWithTangents(view, parameters: RenderParameter.allCases)
    #expect(render.tangents.allSatisfy { $0.pixels.allSatisfy(\.isFinite) })
    #expect(render.image.pixels.contains { $0 > 0 })
  }

  @Test("Float tangents agree with Float64 ones, and batches with single renders")
  func floatAndBatches() throws {
    var settings = RenderSettings.default
    settings.size = 48
    let scene = SceneMesh(try Support.mesh(.sphere2))
    let views = [(30.0, 20.0), (100, -10), (250, 60)].map {
      SceneView(CameraPose(azimuthDegrees: $0.0, elevationDegrees: $0.1), settings: settings)
    }
    let parameters: [RenderParameter] = [
      .azimuth, .elevation, .distance, .fieldOfView, .lightAzimuth,
    ]
    let single = Renderer<Float>(scene: scene, settings: settings)
    let double = Renderer<Double>(scene: scene, settings: settings)
    let batch = single.renderWithTangents(views, parameters: parameters, threads: 2)
    for (view, fromBatch) in zip(views, batch) {
      let one = single.renderWithTangents(view, parameters: parameters)
      #expect(one.tangents == fromBatch.tangents && one.image == fromBatch.image)
      let reference = double.renderWithTangents(view, parameters: parameters)
      for k in parameters.indices {
        let scale = reference.tangents[k].pixels.map(abs).max()!
        let error = zip(one.tangents[k].pixels, reference.tangents[k].pixels).map {
          abs(Double($0) - $1)
        }.max()!
        #expect(error <= 1e-3 * scale, "\(parameters[k]): Float error \(error) of \(scale)")
      }
    }
  }

  @Test("the central-difference source equals differences of renders")
  func centralDifferenceSource() throws {
    var settings = RenderSettings.default
    settings.size = 32
    let renderer = Renderer<Double>(scene: SceneMesh(try Support.mesh(.box)), settings: settings)
    let view = SceneView(CameraPose(azimuthDegrees: 30, elevationDegrees: 20), settings: settings)
    let render = renderer.renderWithTangents(
      view, parameters: [.elevation], source: .centralDifference(0.5))
    let plus = renderer.render(RenderParameter.elevation.setting(20.5, in: view))
    let minus = renderer.render(RenderParameter.elevation.setting(19.5, in: view))
    let expected = zip(plus.pixels, minus.pixels).map { ($0 - $1) / 1.0 }
    #expect(render.tangents[0].pixels == expected)
    #expect(render.image == renderer.render(view))
  }

  @Test("parameter lists parse, and bad ones name the problem")
  func parameterLists() throws {
    #expect(
      try RenderParameter.list("azimuth,elevation,fov") == [.azimuth, .elevation, .fieldOfView])
    #expect(throws: RenderParameterError.self) { try RenderParameter.list("azimuth,roll") }
    #expect(throws: RenderParameterError.self) { try RenderParameter.list("azimuth,azimuth") }
    do {
      _ = try RenderParameter.list("zoom")
    } catch {
      #expect(error.message.contains("zoom") && error.message.contains("light-elevation"))
    }
  }
}

/// Helpers of the tangent tests.
enum TangentTestSupport {
  enum Shape { case bumpy, box, sphere2 }

  /// A Float64 renderer of the 320-triangle bumpy sphere at 96², one sample per pixel, in the
  /// `preset` ("default" or "nmr") with `light` (the preset's by default) and the edge pass
  /// forced on when `edgeAntialiasing`, and the view at (35°, 25°).
  static func pixelRenderer(
    _ preset: String, light: Light? = nil, edgeAntialiasing: Bool = false
  ) throws -> (Renderer<Double>, SceneView) {
    var settings = preset == "nmr" ? RenderSettings.nmr : .default
    settings.size = 96
    settings.supersampling = 1
    if let light { settings.light = light }
    if edgeAntialiasing { settings.edgeAntialiasing = true }
    let renderer = Renderer<Double>(scene: SceneMesh(try mesh(.sphere2)), settings: settings)
    return (
      renderer,
      SceneView(CameraPose(azimuthDegrees: 35, elevationDegrees: 25), settings: settings)
    )
  }

  /// The largest magnitude of the components.
  static func largest(_ v: SIMD3<Double>) -> Double { max(abs(v.x), abs(v.y), abs(v.z)) }

  static func mesh(_ shape: Shape) throws -> Mesh {
    switch shape {
    case .bumpy: try Shapes.bumpySphere(subdivisions: 3).validated().mesh.normalized(.shapeNet)
    case .box: try Shapes.box(size: SIMD3(1, 0.7, 1.3)).validated().mesh.normalized(.shapeNet)
    case .sphere2: try Shapes.bumpySphere(subdivisions: 2).validated().mesh.normalized(.shapeNet)
    }
  }

  /// Smooth random weights over an `n × n × 3` image: 1 plus a few low-frequency cosines (a
  /// positive bias, so the aggregate of a symmetric change does not cancel to nothing).
  static func weights(size n: Int, seed: UInt64) -> [Double] {
    var state = seed
    func next() -> Double {
      state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
      return Double(state >> 11) / Double(1 << 53)
    }
    let terms = (0..<4).map { _ in (next() * 3, next() * 3, next() * 6, next() - 0.5) }
    var w = [Double](repeating: 0, count: n * n * 3)
    for i in 0..<n {
      for j in 0..<n {
        let (y, x) = (Double(i) / Double(n), Double(j) / Double(n))
        for c in 0..<3 {
          var value = 1.0
          for (fy, fx, phase, amplitude) in terms {
            value += amplitude * cos(fy * y * 6 + fx * x * 6 + phase + Double(c))
          }
          w[(i * n + j) * 3 + c] = value
        }
      }
    }
    return w
  }

  /// Per output pixel (supersampling 1), the edge-pass work items that change it: for every
  /// pair with crossings, its orientation and its crossings' faces, edges and sides of the
  /// pair's midpoint, with the ids of the pixel and its 4-neighbours.
  static func workItems(_ renderer: Renderer<Double>, _ view: SceneView) -> [Int: [Int]] {
    let ws = renderer.makeWorkspace()
    renderer.run(view, in: ws, edgeCandidates: true)
    let n = ws.fineSize
    var items: [Int: [Int]] = [:]
    EdgeAntialiasing.forEachWorkItem(ws) { item in
      guard let c = EdgeAntialiasing.transitions(ws, renderer, item) else { return }
      func code(_ face: Int32) -> Int { Int(face) }
      let signature =
        [item.horizontal ? 1 : 0, item.p0, c.count]
        + (0..<c.count).flatMap {
          let t = c.items[$0]
          return [
            Int(ws.crossings[t.crossing].edge) * 2 + (t.t < 0.5 ? 0 : 1), code(t.before),
            code(t.after),
            EdgeAntialiasing.branch(of: c, index: $0, item, ws, renderer),
          ]
        }
      for p in [item.p0, item.p1] where p >= 0 { items[p, default: []] += signature }
    }
    for pixel in items.keys {
      let (i, j) = (pixel / n, pixel % n)
      let around = [(0, 0), (0, 1), (0, -1), (1, 0), (-1, 0)].map { d in
        let (a, b) = (i + d.0, j + d.1)
        return a >= 0 && a < n && b >= 0 && b < n ? Int(ws.ids[a * n + b]) : -2
      }
      items[pixel]! += around
    }
    return items
  }

  /// For h = 0.5° and 0.1° (0.05 and 0.01 for the distance): `[S(θ + h) − S(θ − h)]/2h` of
  /// the render the tangent differentiates and the mean of `S' = Σ w·∂I/∂θ` over `[θ − h,
  /// θ + h]` by the trapezoid rule (21 and 41 evaluations), with the gross `Σ |w·J|` at θ.
  static func integratedAggregate(
    preset: RenderSettings, parameter: RenderParameter, shape: Shape, source: GradientSource?,
    omitEdges: Bool = false
  ) throws -> [(h: Double, numeric: Double, mean: Double, gross: Double)] {
    let (renderer, referenceRenderer, view, w) = try rig(
      preset: preset, shape: shape, source: source, omitEdges: omitEdges)
    func total(_ image: RenderedImage<Double>) -> Double {
      zip(w, image.pixels).reduce(0) { $0 + $1.0 * $1.1 }
    }
    let x = parameter.value(in: view)
    let scale = parameter == .distance ? 0.1 : 1
    var slopes: [Double: (slope: Double, gross: Double)] = [:]
    func slope(_ offset: Double) -> (slope: Double, gross: Double) {
      if let known = slopes[offset] { return known }
      let render = renderer.renderWithTangents(
        parameter.setting(x + offset, in: view), parameters: [parameter], source: source)
      let tangent = render.tangents[0].pixels
      let value = (
        zip(w, tangent).reduce(0) { $0 + $1.0 * $1.1 },
        zip(w, tangent).reduce(0) { $0 + abs($1.0 * $1.1) }
      )
      slopes[offset] = value
      return value
    }
    return [(0.5, 20), (0.1, 40)].map { step, intervals in
      let h = step * scale
      // Offsets as exact multiples of h/intervals, so shared points are shared.
      var sum = 0.0
      for k in 0...intervals {
        let offset = h * Double(2 * k - intervals) / Double(intervals)
        sum += slope(offset).slope * (k == 0 || k == intervals ? 0.5 : 1)
      }
      let plus = total(referenceRenderer.render(parameter.setting(x + h, in: view)))
      let minus = total(referenceRenderer.render(parameter.setting(x - h, in: view)))
      return (h, (plus - minus) / (2 * h), sum / Double(intervals), slope(0).gross)
    }
  }

  /// The aggregate tests' set-up: a Float64 renderer of `shape` at 64² in `preset` (the edge
  /// term or crease edges left out on request), the reference renderer whose renders the
  /// tangents differentiate (the antialiased render for the surrogate), the view at (35°, 25°)
  /// and the weights.
  static func rig(
    preset: RenderSettings, shape: Shape, source: GradientSource?, omitEdges: Bool = false,
    omitCreases: Bool = false
  ) throws -> (Renderer<Double>, Renderer<Double>, SceneView, [Double]) {
    var settings = preset
    settings.size = 64
    settings.light = Light(azimuth: 0.6, elevation: 1.0)
    let scene = SceneMesh(try mesh(shape))
    var renderer = Renderer<Double>(scene: scene, settings: settings)
    renderer.omitsEdgeTangents = omitEdges
    renderer.omitsCreaseEdges = omitCreases
    var reference = settings
    if source == .antialiasedSurrogate { reference.edgeAntialiasing = true }
    var referenceRenderer = Renderer<Double>(scene: scene, settings: reference)
    referenceRenderer.omitsCreaseEdges = false
    let view = SceneView(
      CameraPose(azimuthDegrees: 35, elevationDegrees: 25, distance: 2.732), settings: settings)
    return (renderer, referenceRenderer, view, weights(size: 64, seed: 7))
  }

  /// `Σ w·J` and the gross `Σ |w·J|` from the tangent image, and `[S(θ + h) − S(θ − h)]/2h`
  /// for h = 0.02° and 0.01° (0.002 and 0.001 for the distance), with `S = Σ w·I` of the render
  /// the tangent differentiates (the antialiased render for the surrogate).
  static func aggregate(
    preset: RenderSettings, parameter: RenderParameter, shape: Shape, source: GradientSource?,
    omitEdges: Bool = false, omitCreases: Bool = false
  ) throws -> (analytic: Double, gross: Double, numeric: [(Double, Double)]) {
    let (renderer, referenceRenderer, view, w) = try rig(
      preset: preset, shape: shape, source: source, omitEdges: omitEdges,
      omitCreases: omitCreases)
    func total(_ image: RenderedImage<Double>) -> Double {
      zip(w, image.pixels).reduce(0) { $0 + $1.0 * $1.1 }
    }
    let render = renderer.renderWithTangents(view, parameters: [parameter], source: source)
    let analytic = total(render.tangents[0])
    let gross = zip(w, render.tangents[0].pixels).reduce(0) { $0 + abs($1.0 * $1.1) }
    let steps = parameter == .distance ? [0.002, 0.001] : [0.02, 0.01]
    let x = parameter.value(in: view)
    let numeric = steps.map { h in
      let plus = total(referenceRenderer.render(parameter.setting(x + h, in: view)))
      let minus = total(referenceRenderer.render(parameter.setting(x - h, in: view)))
      return (h, (plus - minus) / (2 * h))
    }
    return (analytic, gross, numeric)
  }
}
