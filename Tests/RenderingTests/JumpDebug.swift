import Foundation
import Geometry
import Testing

@testable import Rendering

@Suite struct JumpDebug {
  @Test(
    arguments: [RenderParameter.azimuth, .elevation, .distance, .fieldOfView],
    [TangentTestSupport.Shape.box, .sphere2])
  func scan(_ p: RenderParameter, _ shape: TangentTestSupport.Shape) throws {
    guard let mode = ProcessInfo.processInfo.environment["JUMPS"] else { return }
    let nmr = mode == "nmr"
    var settings = nmr ? RenderSettings.nmr : RenderSettings.default
    settings.size = 128
    settings.supersampling = 1
    settings.edgeAntialiasing = true
    settings.light = Light(azimuth: 0.6, elevation: 1.0)
    let renderer = Renderer<Double>(
      scene: SceneMesh(try TangentTestSupport.mesh(shape)), settings: settings)
    let view = SceneView(CameraPose(azimuthDegrees: 35, elevationDegrees: 25), settings: settings)
    let n = 128
    let w = TangentTestSupport.weights(size: n, seed: 7)
    let x = p.value(in: view)
    let span = p == .distance ? 0.01 : 0.5
    let steps = 400
    let delta = 2 * span / Double(steps)
    let source: GradientSource = .analytic
    var previous = renderer.renderWithTangents(
      p.setting(x - span, in: view), parameters: [p], source: source)
    var totalChange = 0.0
    var totalJump = 0.0
    var jumpAbs = 0.0
    var events: [(Double, String)] = []
    var previousIDs = renderer.framebuffer(p.setting(x - span, in: view).pose).triangleIDs
    for s in 1...steps {
      let v = p.setting(x - span + Double(s) * delta, in: view)
      let current = renderer.renderWithTangents(v, parameters: [p], source: source)
      let ids = renderer.framebuffer(v.pose).triangleIDs
      for pixel in 0..<(n * n) {
        var r = 0.0
        var wr = 0.0
        for c in 0..<3 {
          let o = 3 * pixel + c
          let change = current.image.pixels[o] - previous.image.pixels[o]
          let predicted = delta * (current.tangents[0].pixels[o] + previous.tangents[0].pixels[o]) / 2
          totalChange += w[o] * change
          r += change - predicted
          wr += w[o] * (change - predicted)
        }
        totalJump += wr
        if abs(r) > 3e-3 {
          jumpAbs += abs(wr)
          let (i, j) = (pixel / n, pixel % n)
          func around(_ idz: [Int32]) -> [Int32] {
            [(0, 0), (0, 1), (0, -1), (1, 0), (-1, 0)].map { d in
              let (a, b) = (i + d.0, j + d.1)
              return a >= 0 && a < n && b >= 0 && b < n ? idz[a * n + b] : -2
            }
          }
          events.append(
            (
              abs(wr),
              "step \(s) px (\(i),\(j)) r \(String(format: "%.4f", r)) ids \(around(previousIDs)) -> \(around(ids))"
            ))
        }
      }
      previous = current
      previousIDs = ids
    }
    events.sort { $0.0 > $1.0 }
    print(
      "JUMPS \(shape) \(p): change \(String(format: "%.3f", totalChange)) jumps signed \(String(format: "%.4f", totalJump)) (\(String(format: "%.2f%%", 100 * totalJump / totalChange))) |jumps| \(String(format: "%.4f", jumpAbs)) events \(events.count)"
    )
    for e in events.prefix(8) { print("  \(e.1)") }
  }
}

extension JumpDebug {
  @Test func detail() throws {
    guard let spec = ProcessInfo.processInfo.environment["DETAIL"] else { return }
    let f = spec.split(separator: ",").map(String.init)
    let shape: TangentTestSupport.Shape = f[0] == "box" ? .box : .sphere2
    let p = RenderParameter(rawValue: f[1])!
    let step = Int(f[2])!
    let (row, col) = (Int(f[3])!, Int(f[4])!)
    var settings = RenderSettings.default
    settings.size = 128
    settings.supersampling = 1
    settings.edgeAntialiasing = true
    settings.light = Light(azimuth: 0.6, elevation: 1.0)
    let scene = SceneMesh(try TangentTestSupport.mesh(shape))
    let renderer = Renderer<Double>(scene: scene, settings: settings)
    let view = SceneView(CameraPose(azimuthDegrees: 35, elevationDegrees: 25), settings: settings)
    let n = 128
    let x = p.value(in: view)
    let span = p == .distance ? 0.01 : 0.5
    let delta = 2 * span / 400
    for s in [step - 1, step] {
      let v = p.setting(x - span + Double(s) * delta, in: view)
      let ws = renderer.makeWorkspace()
      renderer.run(v, in: ws, edgeCandidates: true)
      let pixel = row * n + col
      print("== step \(s): pixel id \(ws.ids[pixel]) shaded \(ws.shaded[3*pixel]) out \(ws.colour[3*pixel]) depth \(ws.depth[pixel])")
      EdgeAntialiasing.forEachWorkItem(ws) { item in
        guard item.p0 == pixel || item.p1 == pixel else { return }
        var desc = "  \(item.horizontal ? "H" : "V") origin \(item.origin) ids \(item.p0 >= 0 ? ws.ids[item.p0] : -9),\(item.p1 >= 0 ? ws.ids[item.p1] : -9):"
        for i in item.crossings {
          let c = ws.crossings[i]
          let e = scene.topology.edges[Int(c.edge)]
          desc += " [e\(c.edge) f\(e.face0)/\(e.faceCount > 1 ? e.face1 : -1) t=\(String(format: "%.4f", c.t)) s=\(String(format: "%.3f", c.s)) invZ=\(String(format: "%.4f", c.inverseDepth)) ω=\(String(format: "%.3f", EdgeAntialiasing.weight(c, horizontal: item.horizontal, ws, scene)))]"
        }
        print(desc)
        if let tr = EdgeAntialiasing.transitions(ws, renderer, item) {
          for k in 0..<tr.count {
            let t = tr.items[k]
            print("     transition e\(ws.crossings[t.crossing].edge) t=\(String(format: "%.4f", t.t)) ω=\(String(format: "%.3f", t.weight)) \(t.before) -> \(t.after)")
          }
        } else {
          print("     no transitions")
        }
      }
    }
  }
}

extension JumpDebug {
  @Test func aggregateSteps() throws {
    guard ProcessInfo.processInfo.environment["AGG"] != nil else { return }
    for (preset, name) in [(RenderSettings.default, "default"), (RenderSettings.nmr, "nmr")] {
      for shape in [TangentTestSupport.Shape.box, .sphere2, .bumpy] {
        for p in RenderParameter.allCases {
          var settings = preset
          settings.size = 64
          settings.light = Light(azimuth: 0.6, elevation: 1.0)
          let scene = SceneMesh(try TangentTestSupport.mesh(shape))
          let renderer = Renderer<Double>(scene: scene, settings: settings)
          var reference = settings
          reference.edgeAntialiasing = true
          let referenceRenderer = Renderer<Double>(scene: scene, settings: reference)
          let view = SceneView(CameraPose(azimuthDegrees: 35, elevationDegrees: 25), settings: settings)
          let w = TangentTestSupport.weights(size: 64, seed: 7)
          func total(_ image: RenderedImage<Double>) -> Double { zip(w, image.pixels).reduce(0) { $0 + $1.0 * $1.1 } }
          let analytic = total(renderer.renderWithTangents(view, parameters: [p], source: name == "nmr" ? .antialiasedSurrogate : nil).tangents[0])
          let x = p.value(in: view)
          let steps = p == .distance ? [0.02, 0.01, 0.005, 0.002, 0.001] : [0.5, 0.2, 0.1, 0.05, 0.02, 0.01]
          let fds = steps.map { h in
            (total(referenceRenderer.render(p.setting(x + h, in: view))) - total(referenceRenderer.render(p.setting(x - h, in: view)))) / (2 * h)
          }
          print("AGG \(name) \(shape) \(p): analytic \(String(format: "%.5g", analytic)) rel " + fds.map { String(format: "%+.4f", ($0 - analytic) / abs(analytic)) }.joined(separator: " "))
        }
      }
    }
  }
}

extension JumpDebug {
  @Test func counts() throws {
    guard ProcessInfo.processInfo.environment["COUNTS"] != nil else { return }
    var settings = RenderSettings.default
    settings.size = 64
    settings.supersampling = 1
    let mesh = try Shapes.bumpySphere().validated().mesh.normalized(.shapeNet)
    let renderer = Renderer<Float>(scene: SceneMesh(mesh), settings: settings)
    let ws = renderer.makeWorkspace()
    renderer.run(SceneView(CameraPose(azimuthDegrees: 30, elevationDegrees: 20), settings: settings), in: ws)
    var pairs = 0, single = 0, multi = 0, crossings = 0, visible = 0, equalIDs = 0
    var histogram = [Int](repeating: 0, count: 8)
    EdgeAntialiasing.forEachWorkItem(ws) { item in
      pairs += 1
      crossings += item.crossings.count
      histogram[min(item.crossings.count, 7)] += 1
      if item.crossings.count == 1 { single += 1 } else { multi += 1 }
      if item.p0 >= 0 && item.p1 >= 0 && ws.ids[item.p0] == ws.ids[item.p1] { equalIDs += 1 }
      if let t = EdgeAntialiasing.transitions(ws, renderer, item) { visible += t.count }
    }
    print("COUNTS candidates \(ws.candidateEdges.count) pairs \(pairs) single \(single) multi \(multi) equalIDs \(equalIDs) crossings \(crossings) visible transitions \(visible) histogram \(histogram)")
  }
}
