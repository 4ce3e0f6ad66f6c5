import Foundation
import Geometry
import Testing

@testable import Rendering

@Suite struct RendererTests {
  typealias Support = RenderTestSupport

  static let poses: [(Double, Double)] = [
    (30, 20), (0, 0), (45, 60), (200, -30), (123, 89), (-75, 10),
  ]

  @Test(
    "a unit cube's and a box's coverage equal the convex hull of their projected corners",
    arguments: CameraConvention.allCases, [SIMD3<Double>(1, 1, 1), SIMD3(1, 0.8, 1.2)])
  func boxSilhouette(_ convention: CameraConvention, size: SIMD3<Double>) throws {
    let mesh = try Shapes.box(size: size).validated().mesh
    var settings = Support.plain(.default, size: 48)
    settings.convention = convention
    let renderer = Renderer<Double>(scene: SceneMesh(mesh), settings: settings)
    var decided = 0
    for (a, e) in Self.poses {
      let pose = CameraPose(azimuthDegrees: a, elevationDegrees: e)
      let camera = settings.camera(at: pose)
      let hull = Support.convexHull(mesh.positions.map { Support.screen(camera, $0, size: 48) })
      let fb = renderer.framebuffer(pose)
      for row in 0..<48 {
        for col in 0..<48 {
          let d = Support.insideDistance(SIMD2(Double(col), Double(row)), hull)
          let covered = fb.triangleIDs[row * 48 + col] >= 0
          if d > 1e-9 {
            #expect(covered, "a=\(a) e=\(e): (\(row), \(col)) inside by \(d) px but background")
            decided += 1
          } else if d < -1e-9 {
            #expect(!covered, "a=\(a) e=\(e): (\(row), \(col)) outside by \(-d) px but covered")
            decided += 1
          }
        }
      }
    }
    #expect(decided > 6 * 48 * 48 - 20, "almost every sample is away from the boundary")
  }

  @Test("negative control: a hull shifted by one pixel disagrees with the render")
  func boxSilhouetteNegativeControl() throws {
    let mesh = try Shapes.box(size: SIMD3(1, 0.8, 1.2)).validated().mesh
    let settings = Support.plain(.default, size: 48)
    let pose = CameraPose(azimuthDegrees: 30, elevationDegrees: 20)
    let camera = settings.camera(at: pose)
    let hull = Support.convexHull(
      mesh.positions.map {
        Support.screen(camera, $0, size: 48) + SIMD2(1, 0)
      })
    let fb = Renderer<Double>(scene: SceneMesh(mesh), settings: settings).framebuffer(pose)
    var disagreements = 0
    for row in 0..<48 {
      for col in 0..<48 {
        let inside = Support.insideDistance(SIMD2(Double(col), Double(row)), hull) > 0
        if inside != (fb.triangleIDs[row * 48 + col] >= 0) { disagreements += 1 }
      }
    }
    #expect(disagreements > 10)
  }

  @Test("flat shading: visible faces and exact colours (top 1.0, sides 0.5)")
  func flatShadingColours() throws {
    // Unit box (not normalised): at e = 20° the eye (y = 0.93) sees the top face (y = 0.5).
    let mesh = try Shapes.box(size: SIMD3(1, 1, 1)).validated().mesh
    let settings = Support.plain(.nmr, size: 64)
    let renderer = Renderer<Float>(scene: SceneMesh(mesh), settings: settings)
    for convention in CameraConvention.allCases {
      var s = settings
      s.convention = convention
      let r = Renderer<Float>(scene: SceneMesh(mesh), settings: s)
      let pose = CameraPose(azimuthDegrees: 30, elevationDegrees: 20)
      let camera = s.camera(at: pose)
      let fb = r.framebuffer(pose)
      // Face centres of the three faces turned towards the eye, and their expected colours.
      let eye = camera.eye
      let faces: [(SIMD3<Double>, Float)] = [
        (SIMD3(0, 0.5, 0), 1.0),
        (SIMD3(eye.x > 0 ? 0.5 : -0.5, 0, 0), 0.5),
        (SIMD3(0, 0, eye.z > 0 ? 0.5 : -0.5), 0.5),
      ]
      for (centre, colour) in faces {
        let p = Support.screen(camera, centre, size: 64)
        let (row, col) = (Int(p.y.rounded()), Int(p.x.rounded()))
        let o = (row * 64 + col) * 3
        #expect(
          fb.colour[o] == colour && fb.colour[o + 1] == colour && fb.colour[o + 2] == colour,
          "\(convention): face at \(centre) has colour \(fb.colour[o]), expected \(colour)")
      }
    }
    _ = renderer
  }

  @Test("mirror identity: I_nmr(a, e) = I_default(180° − a, e) with columns reversed")
  func mirrorIdentity() throws {
    for mesh in [Shapes.bumpySphere(subdivisions: 3), Shapes.box(size: SIMD3(1, 0.6, 1.4))] {
      let scene = SceneMesh(try mesh.validated().mesh.normalized(.nmr))
      let nmr = Renderer<Double>(scene: scene, settings: Support.plain(.nmr, size: 40))
      var mirroredSettings = Support.plain(.nmr, size: 40)
      mirroredSettings.convention = .pytorch3d
      let def = Renderer<Double>(scene: scene, settings: mirroredSettings)
      for (a, e) in Self.poses {
        let left = nmr.render(CameraPose(azimuthDegrees: a, elevationDegrees: e))
        let right = def.render(CameraPose(azimuthDegrees: 180 - a, elevationDegrees: e))
        var differing = 0
        for row in 0..<40 {
          for col in 0..<40 where abs(left[row, col].x - right[row, 39 - col].x) > 1e-9 {
            differing += 1
          }
        }
        // Samples exactly on an edge may fall either way after mirroring (rounding).
        #expect(differing <= 2, "a=\(a) e=\(e): \(differing) pixels differ")
      }
    }
  }

  @Test("negative control: without the column reversal the presets disagree")
  func mirrorIdentityNegativeControl() throws {
    let scene = SceneMesh(try Shapes.box(size: SIMD3(1, 0.6, 1.4)).validated().mesh)
    let nmr = Renderer<Double>(scene: scene, settings: Support.plain(.nmr, size: 40))
    var s = Support.plain(.nmr, size: 40)
    s.convention = .pytorch3d
    let left = nmr.render(CameraPose(azimuthDegrees: 30, elevationDegrees: 20))
    let right = Renderer<Double>(scene: scene, settings: s)
      .render(CameraPose(azimuthDegrees: 150, elevationDegrees: 20))
    #expect(left.pixels != right.pixels)
  }

  @Test(
    "batch output is identical whatever the thread count",
    arguments: [
      RenderSettings.default, RenderSettings.nmr,
    ])
  func determinismAcrossThreads(_ base: RenderSettings) throws {
    var settings = base
    settings.size = 24
    let scene = SceneMesh(
      try Shapes.bumpySphere(subdivisions: 2).validated().mesh
        .normalized(.shapeNet))
    let renderer = Renderer<Float>(scene: scene, settings: settings)
    let poses = (0..<11).map { CameraPose(azimuthDegrees: Double($0) * 33, elevationDegrees: 15) }
    let reference = poses.map { renderer.render($0).pixels }
    for threads in [1, 2, 3, 7] {
      let images = renderer.render(poses, threads: threads)
      #expect(images.map(\.pixels) == reference, "threads = \(threads)")
    }
  }

  @Test("perspective-correct weights and near-plane clipping reproduce ray casting")
  func floorRayCasting() throws {
    // A 20 × 20 floor at y = −0.3 that extends behind the camera, so triangles cross the near
    // plane; the camera sits low, looking slightly down.
    let floor = Mesh(
      positions: [
        SIMD3(-10, -0.3, -10), SIMD3(10, -0.3, -10), SIMD3(10, -0.3, 10),
        SIMD3(-10, -0.3, 10),
      ],
      triangles: [SIMD3(0, 1, 2), SIMD3(0, 2, 3)])
    let size = 40
    let settings = Support.plain(.default, size: size)
    let renderer = Renderer<Double>(scene: SceneMesh(floor), settings: settings)
    let pose = CameraPose(azimuthDegrees: 20, elevationDegrees: 10, distance: 1.5)
    let camera = settings.camera(at: pose)
    let fb = renderer.framebuffer(pose)
    let t = camera.tanHalfFieldOfView
    var covered = 0
    for row in 0..<size {
      for col in 0..<size {
        // The ray through the pixel centre, in world space, with view depth 1.
        let u = (2 * Double(col) + 1) / Double(size) - 1
        let v = 1 - (2 * Double(row) + 1) / Double(size)
        let direction =
          camera.imageXSign * u * t * camera.xAxis + v * t * camera.yAxis
          + camera.zAxis
        let s = (-0.3 - camera.eye.y) / direction.y
        let hit = camera.eye + s * direction
        let expectHit = s >= camera.near && abs(hit.x) <= 10 && abs(hit.z) <= 10
        let id = Int(fb.triangleIDs[row * size + col])
        if abs(direction.y) < 1e-3 { continue }  // grazing rays near the horizon
        #expect((id >= 0) == expectHit, "(\(row), \(col)): id \(id), ray hit \(expectHit)")
        guard id >= 0, expectHit else { continue }
        covered += 1
        #expect(abs(fb.depth[row * size + col] - s) < 1e-9 * max(1, s), "depth at (\(row), \(col))")
        let tri = floor.triangles[id]
        let m0 = fb.weight0[row * size + col]
        let m1 = fb.weight1[row * size + col]
        let p =
          m0 * floor.positions[Int(tri.x)] + m1 * floor.positions[Int(tri.y)]
          + (1 - m0 - m1) * floor.positions[Int(tri.z)]
        let error = p - hit
        #expect(
          max(abs(error.x), abs(error.y), abs(error.z)) < 1e-9,
          "(\(row), \(col)): interpolated \(p), ray hit \(hit)")
      }
    }
    #expect(covered > size * size / 3)
    // Discarding triangles that cross the near plane loses the floor entirely here.
    var discard = settings
    discard.nearPlane = .discardTriangle
    let holes = Renderer<Double>(scene: SceneMesh(floor), settings: discard).framebuffer(pose)
    #expect(holes.triangleIDs.allSatisfy { $0 < 0 })
  }

  @Test("smooth shading of a sphere follows 0.5 + 0.5 max(0, n_y)")
  func smoothSphere() throws {
    let sphere = try Shapes.icosphere(subdivisions: 4).validated().mesh
    let settings = Support.plain(.default, size: 48)
    let renderer = Renderer<Double>(scene: SceneMesh(sphere), settings: settings)
    let pose = CameraPose(azimuthDegrees: 40, elevationDegrees: 35)
    let camera = settings.camera(at: pose)
    let fb = renderer.framebuffer(pose)
    var checked = 0
    for p in 0..<(48 * 48) where fb.triangleIDs[p] >= 0 {
      let tri = sphere.triangles[Int(fb.triangleIDs[p])]
      let m0 = fb.weight0[p]
      let m1 = fb.weight1[p]
      let point =
        m0 * sphere.positions[Int(tri.x)] + m1 * sphere.positions[Int(tri.y)]
        + (1 - m0 - m1) * sphere.positions[Int(tri.z)]
      let n = point / (point * point).sum().squareRoot()
      let expected = 0.5 + 0.5 * max(0, n.y)
      // Polygonal sphere with 5,120 faces: interpolated normals are within ~0.5° of the true ones.
      #expect(abs(fb.colour[3 * p] - expected) < 0.01, "pixel \(p)")
      checked += 1
    }
    #expect(checked > 500)
    _ = camera
  }

  @Test(
    "flipping face windings changes nothing, in either shading mode",
    arguments: Shading.allCases)
  func windingIndependence(_ shading: Shading) throws {
    let mesh = try Shapes.bumpySphere(subdivisions: 2).validated().mesh.normalized(.shapeNet)
    var flipped = mesh
    for f in flipped.triangles.indices where f % 3 == 1 {
      let t = flipped.triangles[f]
      flipped.triangles[f] = SIMD3(t.x, t.z, t.y)
    }
    var settings = RenderSettings.default
    settings.size = 32
    settings.shading = shading
    let a = Renderer<Double>(scene: SceneMesh(mesh), settings: settings)
    let b = Renderer<Double>(scene: SceneMesh(flipped), settings: settings)
    for (az, el) in Self.poses.prefix(3) {
      let pose = CameraPose(azimuthDegrees: az, elevationDegrees: el)
      let x = a.render(pose).pixels
      let y = b.render(pose).pixels
      let worst = zip(x, y).map { abs($0 - $1) }.max()!
      // Flipping a face swaps two vertices, which changes the rounding of its interpolation.
      #expect(worst < 1e-9, "a=\(az) e=\(el): max difference \(worst)")
    }
  }

  @Test("supersampling is the box filter of the fine grid")
  func supersamplingBoxFilter() throws {
    let scene = SceneMesh(
      try Shapes.bumpySphere(subdivisions: 2).validated().mesh
        .normalized(.shapeNet))
    var coarse = RenderSettings.default
    coarse.size = 20
    coarse.supersampling = 3
    var fine = coarse
    fine.size = 60
    fine.supersampling = 1
    let pose = CameraPose(azimuthDegrees: 10, elevationDegrees: 25)
    let small = Renderer<Double>(scene: scene, settings: coarse).render(pose)
    let big = Renderer<Double>(scene: scene, settings: fine).render(pose)
    for row in 0..<20 {
      for col in 0..<20 {
        var sum = SIMD3<Double>.zero
        for dr in 0..<3 { for dc in 0..<3 { sum += big[row * 3 + dr, col * 3 + dc] } }
        let d = small[row, col] - sum / 9
        #expect(max(abs(d.x), abs(d.y), abs(d.z)) < 1e-12)
      }
    }
  }

  @Test("material colours and background colour")
  func coloursAndBackground() throws {
    var mesh = try Shapes.box(size: SIMD3(1, 1, 1)).validated().mesh
    mesh.materials = [
      Material(name: "red", diffuse: SIMD3(1, 0, 0)),
      Material(name: "green", diffuse: SIMD3(0, 1, 0)),
    ]
    mesh.faceMaterials = (0..<12).map { $0 < 6 ? 0 : 1 }  // −x, +x, −y red; +y, −z, +z green
    var settings = Support.plain(.nmr, size: 32)
    settings.convention = .pytorch3d
    settings.materialColours = true
    settings.background = SIMD3(0.25, 0.5, 0.75)
    let image = Renderer<Float>(scene: SceneMesh(mesh), settings: settings)
      .render(CameraPose(azimuthDegrees: 30, elevationDegrees: 20))
    #expect(image[0, 0] == SIMD3(0.25, 0.5, 0.75))
    let camera = settings.camera(at: CameraPose(azimuthDegrees: 30, elevationDegrees: 20))
    let top = Support.screen(camera, SIMD3(0, 0.5, 0), size: 32)
    #expect(image[Int(top.y.rounded()), Int(top.x.rounded())] == SIMD3(0, 1, 0))
    let side = Support.screen(camera, SIMD3(0.5, 0, 0), size: 32)
    #expect(image[Int(side.y.rounded()), Int(side.x.rounded())] == SIMD3(0.5, 0, 0))
    settings.materialColours = false
    let white = Renderer<Float>(scene: SceneMesh(mesh), settings: settings)
      .render(CameraPose(azimuthDegrees: 30, elevationDegrees: 20))
    #expect(white[Int(top.y.rounded()), Int(top.x.rounded())] == SIMD3(1, 1, 1))
  }

  @Test("invalid settings are reported in one line")
  func settingsProblems() {
    var s = RenderSettings.default
    #expect(s.problem == nil)
    s.size = 8
    #expect(s.problem?.contains("16...1024") == true)
    s = .default
    s.size = 1024
    s.supersampling = 8
    #expect(s.problem?.contains("4096") == true)
    s = .default
    s.background = SIMD3(2, 0, 0)
    #expect(s.problem != nil)
  }
}

@Suite struct RenderSettingsCodingTests {
  @Test("settings round-trip through JSON with angles in degrees")
  func roundTrip() throws {
    var settings = RenderSettings.nmr
    settings.light.azimuth = 0.5
    settings.fieldOfView = Double.pi / 4
    let data = try JSONEncoder().encode(settings)
    let text = String(decoding: data, as: UTF8.self)
    #expect(text.contains("\"fieldOfViewDegrees\":45"))
    #expect(text.contains("\"elevationDegrees\":90"))
    let back = try JSONDecoder().decode(RenderSettings.self, from: data)
    #expect(abs(back.fieldOfView - settings.fieldOfView) < 1e-15)
    #expect(abs(back.light.azimuth - 0.5) < 1e-15)
    #expect(back.shading == .flat && back.convention == .nmr && back.fillRule == .inclusive)
  }
}

@Suite struct HiddenSideTests {
  @Test(
    "skipping the inward side of closed surfaces leaves ids and images unchanged",
    arguments: ["default", "nmr"])
  func unchanged(_ preset: String) throws {
    let meshes = try [
      Shapes.box(size: SIMD3(1, 0.7, 1.3)), Shapes.bumpySphere(subdivisions: 2),
      Shapes.bumpySphere(), Shapes.cylinder(),
    ].map { try $0.validated().mesh.normalized(.shapeNet) }
    var settings = preset == "nmr" ? RenderSettings.nmr : .default
    settings.size = 64
    var differing = 0
    var total = 0
    for mesh in meshes {
      let scene = SceneMesh(mesh)
      #expect(scene.visibleSide.allSatisfy { $0 != 0 }, "the shapes are closed")
      let culling = Renderer<Double>(scene: scene, settings: settings)
      var full = culling
      full.skipsHiddenSides = false
      for (a, e) in [(35.0, 25.0), (200, -40), (310, 70), (90, 0)] {
        let pose = CameraPose(azimuthDegrees: a, elevationDegrees: e)
        let one = culling.render(pose).pixels
        let two = full.render(pose).pixels
        differing += zip(one, two).filter { abs($0 - $1) > 1e-12 }.count
        total += one.count
      }
    }
    #expect(differing == 0, "\(differing) of \(total) values differ")
  }

  @Test("an eye inside a closed surface sees its inside")
  func inside() throws {
    let mesh = try Shapes.box(size: SIMD3(1, 1, 1)).validated().mesh.normalized(.shapeNet)
    var settings = RenderSettings.default
    settings.size = 32
    settings.near = 0.01
    let renderer = Renderer<Double>(scene: SceneMesh(mesh), settings: settings)
    let image = renderer.render(CameraPose(azimuthDegrees: 30, elevationDegrees: 20, distance: 0.3))
    #expect(image.pixels.allSatisfy { $0 > 0 }, "every pixel sees a wall")
  }
}
