import Dispatch
import Geometry
import Synchronization
import Tensors

/// Renders a ``SceneMesh`` from camera poses (METHODS §1).
///
/// The pipeline per pose: vertex stage (camera frame and projection in Float64, stored in
/// `Scalar`), face stage (eye-facing signs, flat colours, silhouette edges), visibility
/// (``Rasterizer``, fine-grid G-buffer), deferred shading, the optional analytic edge pass
/// (METHODS §1.7), and the `k × k` box filter. Each stage is a separate function over plain
/// arrays so the forward-mode tangent passes can run alongside them.
///
/// Renders are deterministic: the same scene, settings and pose give bit-identical pixels,
/// whatever the number of threads of a batch.
public struct Renderer<Scalar: RenderScalar>: Sendable {
  /// The prepared mesh.
  public let scene: SceneMesh
  /// The render settings.
  public internal(set) var settings: RenderSettings
  /// Consistently oriented vertex normals in `Scalar`, with zero normals kept as zero.
  let vertexNormals: [SIMD3<Scalar>]
  /// Consistently oriented face normals `s_f N_f` in `Scalar`.
  let orientedFaceNormals: [SIMD3<Scalar>]
  /// Face albedo in `Scalar` (materials or white, per ``RenderSettings/materialColours``).
  var albedo: [SIMD3<Scalar>]
  /// Per face, the plane normal `N = (V1 − V0) × (V2 − V0)` (the topology's file normal) in
  /// `Scalar`.
  let planeNormals: [SIMD3<Scalar>]
  /// Per face, `∂μ_0/∂P` and `∂μ_1/∂P`: the gradients of the first two barycentric weights of
  /// a point P in the face's plane, `(V_{i+1} − V_{i+2}) × N / |N|²` (zero for a degenerate
  /// face), interleaved.
  let barycentricGradients: [SIMD3<Scalar>]
  /// Test switch for a negative control: leave the edge pass's term out of the tangent images
  /// (they then miss every silhouette's motion).
  var omitsEdgeTangents = false
  /// Test switch for a negative control: flat shading's crease edges are not edge-pass
  /// candidates (facet edges inside the silhouette then have no tangent).
  var omitsCreaseEdges = false
  /// Whether the visibility stage skips the inward-facing side of closed surfaces seen from
  /// outside (``backFacesHidden(_:_:)``; tests turn it off to show the image is unchanged).
  var skipsHiddenSides = true

  /// Creates a renderer.
  ///
  /// - Parameters:
  ///   - scene: The prepared mesh.
  ///   - settings: Render settings; must be valid (``RenderSettings/problem`` is `nil`).
  public init(scene: SceneMesh, settings: RenderSettings) {
    if let problem = settings.problem {
      preconditionFailure("Renderer: invalid settings: \(problem)")
    }
    self.scene = scene
    self.settings = settings
    vertexNormals = scene.topology.vertexNormals.map { Scalar.vector($0) }
    orientedFaceNormals = scene.topology.fileFaceNormals.indices.map { f in
      Scalar.vector(Double(scene.topology.windingSigns[f]) * scene.topology.fileFaceNormals[f])
    }
    albedo = scene.materialAlbedo.map {
      settings.materialColours ? Scalar.vector($0) : SIMD3<Scalar>(repeating: 1)
    }
    planeNormals = scene.topology.fileFaceNormals.map { Scalar.vector($0) }
    var gradients: [SIMD3<Scalar>] = []
    gradients.reserveCapacity(2 * scene.triangleCount)
    for (t, n) in zip(scene.triangles, scene.topology.fileFaceNormals) {
      let v = (0..<3).map { scene.positions[Int(t[$0])] }
      let squared = dot(n, n)
      for i in 0..<2 {
        let g = squared > 0 ? cross(v[(i + 1) % 3] - v[(i + 2) % 3], n) / squared : .zero
        gradients.append(Scalar.vector(g))
      }
    }
    barycentricGradients = gradients
  }

  /// Renders one pose.
  ///
  /// - Parameter pose: The camera pose.
  /// - Returns: The `size × size` RGB image.
  /// - Complexity: O(V + F + covered samples + size² · supersampling²).
  public func render(_ pose: CameraPose) -> RenderedImage<Scalar> {
    render(SceneView(pose, settings: settings))
  }

  /// Renders one view (pose, field of view and light angles).
  ///
  /// - Parameter view: The view; must be usable (``SceneView/problem`` is `nil`).
  /// - Returns: The `size × size` RGB image.
  public func render(_ view: SceneView) -> RenderedImage<Scalar> {
    let ws = makeWorkspace()
    run(view, in: ws)
    return downsample(ws)
  }

  /// Renders many poses, in parallel over poses.
  ///
  /// `threads` workers each own a workspace and take the next unrendered pose from a shared
  /// counter, so a worker slowed by other load on the machine does not hold up the batch. Every
  /// image is rendered by one thread with the same arithmetic, so the output does not depend
  /// on `threads` or on which worker took which pose. Call `Parallelism.useOwnLoops(threads:)`
  /// first so BLAS does not compete for the cores.
  ///
  /// - Parameters:
  ///   - poses: The camera poses.
  ///   - threads: Worker threads (≥ 1).
  /// - Returns: One image per pose, in order.
  public func render(_ poses: [CameraPose], threads: Int) -> [RenderedImage<Scalar>] {
    precondition(threads >= 1, "Renderer.render(_:threads:): threads must be ≥ 1 (got \(threads))")
    return Self.parallelMap(poses.count, threads: threads, state: makeWorkspace) { i, ws in
      run(SceneView(poses[i], settings: settings), in: ws)
      return downsample(ws)
    }
  }

  /// Renders many views (pose, field of view, light), in parallel over views (see
  /// `render(_:threads:)` over poses for the scheduling).
  ///
  /// - Parameters:
  ///   - views: The views; each must be usable.
  ///   - threads: Worker threads (≥ 1).
  /// - Returns: One image per view, in order.
  public func render(_ views: [SceneView], threads: Int) -> [RenderedImage<Scalar>] {
    precondition(threads >= 1, "Renderer.render(_:threads:): threads must be ≥ 1 (got \(threads))")
    return Self.parallelMap(views.count, threads: threads, state: makeWorkspace) { i, ws in
      run(views[i], in: ws)
      return downsample(ws)
    }
  }

  /// `body(i, state)` for every `i` in `0..<count`, on `threads` workers that each own one
  /// `state` (from `makeState`) and take the next index from a shared counter, so a worker
  /// slowed by other load on the machine does not hold up the rest; the results in index order.
  static func parallelMap<State, Result>(
    _ count: Int, threads: Int, state makeState: @Sendable () -> State,
    _ body: @Sendable (Int, State) -> Result
  ) -> [Result] {
    let output = UnsafeMutableBufferPointer<Result?>.allocate(capacity: count)
    output.initialize(repeating: nil)
    defer {
      output.deinitialize()
      output.deallocate()
    }
    // Race-free: each index is handed out once by the atomic counter, and only the worker that
    // took index i writes output[i].
    nonisolated(unsafe) let slots = output
    let next = Atomic<Int>(0)
    DispatchQueue.concurrentPerform(iterations: min(threads, max(count, 1))) { _ in
      let state = makeState()
      while true {
        let i = next.add(1, ordering: .relaxed).oldValue
        guard i < count else { break }
        slots[i] = body(i, state)
      }
    }
    return output.map { $0! }
  }

  /// Renders one pose and returns the fine-grid buffers.
  ///
  /// - Parameter pose: The camera pose.
  /// - Returns: Triangle ids, depth, weights and colours on the supersampled grid.
  public func framebuffer(_ pose: CameraPose) -> Framebuffer<Scalar> {
    let ws = makeWorkspace()
    run(SceneView(pose, settings: settings), in: ws)
    return Framebuffer(
      fineSize: ws.fineSize, triangleIDs: Array(ws.ids), depth: Array(ws.depth),
      weight0: Array(ws.mu0), weight1: Array(ws.mu1), pointSampled: Array(ws.shaded),
      colour: Array(ws.colour))
  }

  func makeWorkspace() -> RenderWorkspace<Scalar> {
    RenderWorkspace(
      fineSize: settings.size * settings.supersampling, vertexCount: scene.vertexCount,
      faceCount: scene.triangleCount, edgeCount: scene.topology.edges.count,
      weldedCount: scene.topology.weldedCount)
  }

  /// Runs every stage up to the fine-grid colour for one view; `edgeCandidates` also marks
  /// the edge pass's candidate edges when the pass itself is off (for the tangent images of
  /// the antialiased surrogate).
  // Pre-specialised for the two render scalars: callers in other modules hold a generic
  // `Renderer<Scalar>`, and without these the pipeline would run through witness tables.
  @_specialize(where Scalar == Float)
  @_specialize(where Scalar == Double)
  func run(_ view: SceneView, in ws: RenderWorkspace<Scalar>, edgeCandidates: Bool = false) {
    precondition(view.problem == nil, "Renderer: \(view.problem ?? "")")
    let camera = view.camera(settings)
    let light = view.light(settings)
    ws.light = light
    ws.lightDirection = Self.lightDirection(light, camera)
    vertexStage(camera, ws)
    let soft = settings.soft != nil
    faceStage(
      camera, light, ws, edgeCandidates: !soft && (edgeCandidates || settings.edgeAntialiasing))
    visibilityStage(camera, ws)
    shadingStage(camera, light, ws)
    if soft {
      SoftRasterizer.apply(
        renderer: self, workspace: ws, light: ws.lightDirection, tangents: nil)
    } else if settings.edgeAntialiasing {
      EdgeAntialiasing.apply(renderer: self, workspace: ws)
    } else {
      _ = ws.colour.update(fromContentsOf: ws.shaded)
    }
  }

  // MARK: Vertex stage

  /// View depth and fine-grid screen position of every vertex (Float64 math, METHODS §1.3–1.4),
  /// and the smallest view depth.
  func vertexStage(_ camera: Camera, _ ws: RenderWorkspace<Scalar>) {
    let n = Double(ws.fineSize)
    let half = n / 2
    let sx = camera.imageXSign / camera.tanHalfFieldOfView
    let sy = 1 / camera.tanHalfFieldOfView
    var nearest = Double.infinity
    scene.positions.withUnsafeBufferPointer { positions in
      for i in positions.indices {
        let v = camera.viewCoordinates(of: positions[i])
        ws.viewZ[i] = v.z
        nearest = min(nearest, v.z)
        let inverse = 1 / v.z
        // col = (u + 1) N/2 − 1/2 with u = σ_x X/(Z t); row = (1 − v) N/2 − 1/2 with v = Y/(Z t).
        let col = Scalar((sx * v.x * inverse + 1) * half - 0.5)
        let row = Scalar((1 - sy * v.y * inverse) * half - 0.5)
        ws.projected[i] = SIMD4(col, row, Scalar(inverse), Scalar(v.z))
        ws.pixelBounds[i] = Rasterizer<Scalar>.integerBounds(col, row, limit: ws.fineSize)
      }
    }
    ws.nearestDepth = nearest
  }

  // MARK: Face stage

  /// Per-face eye-facing signs, flat colours and (when `edgeCandidates`) the edge pass's
  /// candidate edges and their crossings.
  func faceStage(
    _ camera: Camera, _ lightSettings: Light, _ ws: RenderWorkspace<Scalar>, edgeCandidates: Bool
  ) {
    let topology = scene.topology
    let light = Scalar.vector(ws.lightDirection)
    let ambient = Scalar(lightSettings.ambient)
    let diffuse = Scalar(lightSettings.diffuse)
    let flat = settings.shading == .flat
    let eye = camera.eye
    scene.faceOrigins.withUnsafeBufferPointer { origins in
      topology.fileFaceNormals.withUnsafeBufferPointer { normals in
        topology.windingSigns.withUnsafeBufferPointer { windings in
          for f in origins.indices {
            // σ with the consistently oriented normal (METHODS §1.6): sign((C − v0) · s_f N_f).
            let fileSide = dot(eye - origins[f], normals[f])
            let fileSign: Int8 = fileSide > 0 ? 1 : (fileSide < 0 ? -1 : 0)
            ws.facing[f] = fileSign * windings[f]
            if flat {
              // n̂_f = σ_f N_f / max(|N_f|, 1e-5) in file winding (NMR's eps).
              let scale = Double(fileSign) / max(scene.fileNormalLengths[f], 1e-5)
              let normal = Scalar.vector(normals[f] * scale)
              let lit = max(0, dot(normal, light))
              ws.flatColour[f] = albedo[f] * (ambient + diffuse * lit)
            }
          }
        }
      }
    }
    guard edgeCandidates else {
      ws.crossings.removeAll(keepingCapacity: true)
      return
    }
    // Candidates: silhouettes (boundary or non-manifold edges, edges between faces of opposite
    // σ) and, with flat shading, creases (edges whose two faces have different flat colours).
    var candidates = ws.candidateEdges
    ws.candidateEdges = []
    candidates.removeAll(keepingCapacity: true)
    scene.edgeFaces.withUnsafeBufferPointer { edgeFaces in
      for e in edgeFaces.indices {
        let faces = edgeFaces[e]
        let kind: UInt8
        if faces.x < 0 {
          kind = EdgeKind.silhouette
        } else {
          let f0 = Int(faces.x)
          let f1 = Int(faces.y)
          if ws.facing[f0] != ws.facing[f1] {
            kind = EdgeKind.silhouette
          } else if flat && !omitsCreaseEdges && ws.flatColour[f0] != ws.flatColour[f1] {
            kind = EdgeKind.crease
          } else {
            kind = EdgeKind.none
          }
        }
        ws.edgeCandidate[e] = kind
        guard kind != EdgeKind.none else { continue }
        let ends = scene.edgeVertices[e]
        guard ws.viewZ[Int(ends.x)] >= camera.near, ws.viewZ[Int(ends.y)] >= camera.near else {
          ws.edgeCandidate[e] = EdgeKind.none
          continue
        }
        candidates.append(Int32(e))
      }
    }
    ws.candidateEdges = candidates
    listCrossings(ws)
  }

  /// Lists where every candidate edge crosses a pair of neighbouring fine samples, sorted by
  /// pair, then edge (the pass orders a pair's crossings by position itself), and the mean
  /// direction `cos 2φ` of the candidate edges at every welded vertex.
  func listCrossings(_ ws: RenderWorkspace<Scalar>) {
    let topology = scene.topology
    var list = ws.unsortedCrossings
    ws.unsortedCrossings = []
    list.removeAll(keepingCapacity: true)
    for v in 0..<topology.weldedCount {
      ws.vertexDirection[v] = 0
      ws.vertexEdgeCount[v] = 0
    }
    for e in ws.candidateEdges {
      let ends = scene.edgeVertices[Int(e)]
      let a = ws.projected[Int(ends.x)]
      let b = ws.projected[Int(ends.y)]
      let direction = EdgeAntialiasing.doubledCosine(b.x - a.x, b.y - a.y)
      for end in 0..<2 {
        let v = Int(topology.weldedIndex[Int(end == 0 ? ends.x : ends.y)])
        ws.vertexDirection[v] += direction
        ws.vertexEdgeCount[v] += 1
      }
    }
    for v in 0..<topology.weldedCount where ws.vertexEdgeCount[v] > 1 {
      ws.vertexDirection[v] /= Scalar(ws.vertexEdgeCount[v])
    }
    let weld = topology.weldedIndex
    for e in ws.candidateEdges {
      let ends = scene.edgeVertices[Int(e)]
      let a = ws.projected[Int(ends.x)]
      let b = ws.projected[Int(ends.y)]
      let da = ws.vertexDirection[Int(weld[Int(ends.x)])]
      let db = ws.vertexDirection[Int(weld[Int(ends.y)])]
      let own = EdgeAntialiasing.doubledCosine(b.x - a.x, b.y - a.y)
      for orientation in 0..<2 {
        let horizontal = orientation == 0
        // D along the edge mixes the two vertex means and the edge's own direction, and the
        // weight is monotone in D: zero for all three, zero throughout.
        guard
          EdgeAntialiasing.orientationWeight(da, horizontal: horizontal) > 0
            || EdgeAntialiasing.orientationWeight(db, horizontal: horizontal) > 0
            || EdgeAntialiasing.orientationWeight(own, horizontal: horizontal) > 0
        else { continue }
        EdgeCrossing.walk(
          edge: e, a, b, horizontal: horizontal, gridSize: ws.fineSize, into: &list)
      }
    }
    // Sorted by (pair, edge), which is unique (an edge crosses a pair once): candidate edges
    // are walked in ascending order, so sorting (pair, position in the list) as integers gives
    // the same order without moving the records more than once.
    var keys = ws.crossingKeys
    ws.crossingKeys = []
    keys.removeAll(keepingCapacity: true)
    for (i, c) in list.enumerated() {
      keys.append(UInt64(UInt32(bitPattern: c.pair)) << 32 | UInt64(i))
    }
    keys.sort()
    var sorted = ws.crossings
    ws.crossings = []
    sorted.removeAll(keepingCapacity: true)
    for key in keys { sorted.append(list[Int(key & 0xFFFF_FFFF)]) }
    ws.crossings = sorted
    ws.crossingKeys = keys
    ws.unsortedCrossings = list
  }

  /// The unit direction towards the light, in world space.
  static func lightDirection(_ light: Light, _ camera: Camera) -> SIMD3<Double> {
    switch light.frame {
    case .world: light.worldDirection
    case .camera: -camera.zAxis
    }
  }

  // MARK: Visibility stage

  /// Rasterises every triangle in index order into the G-buffer.
  func visibilityStage(_ camera: Camera, _ ws: RenderWorkspace<Scalar>) {
    ws.clear()
    let raster = Rasterizer<Scalar>(
      fineSize: ws.fineSize, fillRule: settings.fillRule, near: Scalar(camera.near),
      far: Scalar(camera.far))
    let nearScalar = Scalar(camera.near)
    let clip = settings.nearPlane == .clip
    let culls = backFacesHidden(camera, ws)
    scene.triangles.withUnsafeBufferPointer { triangles in
      for f in triangles.indices {
        // A closed surface seen from outside shows only its outward-facing side.
        if culls[Int(scene.faceComponent[f])]
          && Int(ws.facing[f]) * Int(scene.visibleSide[f]) < 0
        {
          continue
        }
        let t = triangles[f]
        let v0 = ws.projected[Int(t.x)]
        let v1 = ws.projected[Int(t.y)]
        let v2 = ws.projected[Int(t.z)]
        // The depth test in `Scalar` (w = Z) only routes the triangle: the clipper decides in
        // Float64 and the rasteriser discards samples in front of the near plane either way.
        if v0.w >= nearScalar && v1.w >= nearScalar && v2.w >= nearScalar {
          let b0 = ws.pixelBounds[Int(t.x)]
          let b1 = ws.pixelBounds[Int(t.y)]
          let b2 = ws.pixelBounds[Int(t.z)]
          let bounds = raster.pixelRange(b0, b1, b2)
          guard bounds.0 <= bounds.1, bounds.2 <= bounds.3 else { continue }
          raster.rasterize(
            face: Int32(f), SIMD2(v0.x, v0.y), SIMD2(v1.x, v1.y), SIMD2(v2.x, v2.y),
            inverseZ: SIMD3(v0.z, v1.z, v2.z), map: nil, bounds: bounds, into: ws)
        } else if clip && (v0.w >= nearScalar || v1.w >= nearScalar || v2.w >= nearScalar) {
          rasterizeClipped(face: f, camera, raster, ws)
        }
      }
    }
  }

  /// Per component, whether its inward-facing side can be skipped.
  ///
  /// It can when the component is closed, the eye is outside its bounding box and no vertex of
  /// the mesh is behind the near plane (a clipped surface may show its inside). Every ray from such an eye meets the closed
  /// surface first where it enters, on an outward-facing face, so the skipped faces are never
  /// the nearest (the image is unchanged, bar ties between coincident faces).
  func backFacesHidden(_ camera: Camera, _ ws: RenderWorkspace<Scalar>) -> [Bool] {
    let anyBehind = ws.nearestDepth < camera.near
    return scene.componentBoxes.map { box in
      guard skipsHiddenSides, !anyBehind else { return false }
      let eye = camera.eye
      let inside = (eye .>= box.0 - 1e-9) .& (eye .<= box.1 + 1e-9)
      return !(inside[0] && inside[1] && inside[2])
    }
  }

  /// Clips triangle `face` against `Z = near` in view space and rasterises the pieces in front,
  /// with weights mapped back to the original vertices.
  func rasterizeClipped(
    face: Int, _ camera: Camera, _ raster: Rasterizer<Scalar>, _ ws: RenderWorkspace<Scalar>
  ) {
    let t = scene.triangles[face]
    let corners = (0..<3).map { k in
      (
        view: camera.viewCoordinates(of: scene.positions[Int(t[k])]),
        bary: SIMD3<Double>(k == 0 ? 1 : 0, k == 1 ? 1 : 0, k == 2 ? 1 : 0)
      )
    }
    var polygon: [(view: SIMD3<Double>, bary: SIMD3<Double>)] = []
    for k in 0..<3 {
      let a = corners[k]
      let b = corners[(k + 1) % 3]
      let aIn = a.view.z >= camera.near
      let bIn = b.view.z >= camera.near
      if aIn { polygon.append(a) }
      if aIn != bIn {
        // Intersection computed from the endpoint with the smaller index first, so the
        // neighbour sharing this edge gets the same point.
        let (p, q) = k < (k + 1) % 3 ? (a, b) : (b, a)
        let s = (camera.near - p.view.z) / (q.view.z - p.view.z)
        polygon.append((p.view + s * (q.view - p.view), p.bary + s * (q.bary - p.bary)))
      }
    }
    guard polygon.count >= 3 else { return }
    let n = Double(ws.fineSize)
    let screen = polygon.map { vertex -> (SIMD2<Scalar>, Scalar) in
      let uv = camera.normalizedDeviceCoordinates(ofView: vertex.view)
      return (
        SIMD2(Scalar((uv.x + 1) * n / 2 - 0.5), Scalar((1 - uv.y) * n / 2 - 0.5)),
        Scalar(1 / vertex.view.z)
      )
    }
    for k in 1..<(polygon.count - 1) {
      let map = Rasterizer<Scalar>.ClipMap(
        b0: Scalar.vector(polygon[0].bary), b1: Scalar.vector(polygon[k].bary),
        b2: Scalar.vector(polygon[k + 1].bary))
      raster.rasterize(
        face: Int32(face), screen[0].0, screen[k].0, screen[k + 1].0,
        inverseZ: SIMD3(screen[0].1, screen[k].1, screen[k + 1].1), map: map, into: ws)
    }
  }

  // MARK: Shading stage

  /// Deferred shading of every covered sample (METHODS §1.6).
  func shadingStage(_ camera: Camera, _ lightSettings: Light, _ ws: RenderWorkspace<Scalar>) {
    let light = Scalar.vector(ws.lightDirection)
    let ambient = Scalar(lightSettings.ambient)
    let diffuse = Scalar(lightSettings.diffuse)
    let background = Scalar.vector(settings.background)
    let flat = settings.shading == .flat
    let count = ws.fineSize * ws.fineSize
    scene.triangles.withUnsafeBufferPointer { triangles in
      vertexNormals.withUnsafeBufferPointer { normals in
        do {
          let out = ws.shaded
          for p in 0..<count {
            let id = Int(ws.ids[p])
            let c: SIMD3<Scalar>
            if id < 0 {
              c = background
            } else if flat {
              c = ws.flatColour[id]
            } else {
              let m0 = ws.mu0[p]
              let m1 = ws.mu1[p]
              let m2 = 1 - m0 - m1
              let (n0, n1, n2) = shadingNormals(of: id, triangles: triangles, normals: normals)
              let n = m0 * n0 + m1 * n1 + m2 * n2
              let cosine = Self.cosine(n, facing: Scalar(ws.facing[id]), light: light)
              c = albedo[id] * (ambient + diffuse * max(0, cosine))
            }
            out[3 * p] = c.x
            out[3 * p + 1] = c.y
            out[3 * p + 2] = c.z
          }
        }
      }
    }
  }

  /// The diffuse factor `σ n·ℓ/|n|` of an interpolated shading normal `n` before its clamp at
  /// zero (METHODS §1.6: `n̂ = σ_T n/|n|`, and only `n̂·ℓ` is used); 0 for a zero normal.
  @inline(__always)
  static func cosine(_ n: SIMD3<Scalar>, facing: Scalar, light: SIMD3<Scalar>) -> Scalar {
    let length = dot(n, n).squareRoot()
    return length > 0 ? facing * dot(n, light) / length : 0
  }

  /// The tangent of ``cosine(_:facing:light:)`` on its lit side, for a non-zero normal:
  /// `σ [ṅ·ℓ/|n| − (n·ℓ)(n·ṅ)/|n|³ + n·ℓ̇/|n|]`.
  @inline(__always)
  static func cosineTangent(
    _ n: SIMD3<Scalar>, _ normalTangent: TangentVector<Scalar>, facing: Scalar,
    light: SIMD3<Scalar>, lightTangent: TangentVector<Scalar>
  ) -> SIMD4<Scalar> {
    let squared = dot(n, n)
    let length = squared.squareRoot()
    let turned: SIMD4<Scalar> = (normalTangent.dot(light) + lightTangent.dot(n)) / length
    let stretched: SIMD4<Scalar> = normalTangent.dot(n) * (dot(n, light) / (squared * length))
    return facing * (turned - stretched)
  }

  /// The vertex normals face `id` interpolates, with its own normal `N_T` in place of any
  /// zero vertex normal (METHODS §1.6).
  @inline(__always)
  func shadingNormals(
    of id: Int, triangles: UnsafeBufferPointer<SIMD3<Int32>>,
    normals: UnsafeBufferPointer<SIMD3<Scalar>>
  ) -> (SIMD3<Scalar>, SIMD3<Scalar>, SIMD3<Scalar>) {
    let t = triangles[id]
    var n0 = normals[Int(t.x)]
    var n1 = normals[Int(t.y)]
    var n2 = normals[Int(t.z)]
    if scene.faceHasZeroVertexNormal[id] {
      let faceNormal = orientedFaceNormals[id]
      if n0 == .zero { n0 = faceNormal }
      if n1 == .zero { n1 = faceNormal }
      if n2 == .zero { n2 = faceNormal }
    }
    return (n0, n1, n2)
  }

  // MARK: Box filter

  /// Averages each `k × k` block of the fine colour into one output pixel.
  @_specialize(where Scalar == Float)
  @_specialize(where Scalar == Double)
  func downsample(_ ws: RenderWorkspace<Scalar>) -> RenderedImage<Scalar> {
    let k = settings.supersampling
    let size = settings.size
    if k == 1 { return RenderedImage(size: size, pixels: Array(ws.colour)) }
    let fine = ws.fineSize
    let scale = 1 / Scalar(k * k)
    var pixels = [Scalar](repeating: 0, count: size * size * 3)
    do {
      let colour = ws.colour
      pixels.withUnsafeMutableBufferPointer { out in
        for i in 0..<size {
          for j in 0..<size {
            var sum = SIMD3<Scalar>.zero
            for di in 0..<k {
              let row = (i * k + di) * fine
              for dj in 0..<k {
                let o = (row + j * k + dj) * 3
                sum += SIMD3(colour[o], colour[o + 1], colour[o + 2])
              }
            }
            let o = (i * size + j) * 3
            out[o] = sum.x * scale
            out[o + 1] = sum.y * scale
            out[o + 2] = sum.z * scale
          }
        }
      }
    }
    return RenderedImage(size: size, pixels: pixels)
  }
}

extension RenderedImage where Scalar == Float {
  /// The image as a tensor of shape `[size, size, 3]`.
  public var tensor: Tensor { Tensor(shape: [size, size, 3], scalars: pixels) }
}
