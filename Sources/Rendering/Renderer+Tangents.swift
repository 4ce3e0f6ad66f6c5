import Foundation
import Geometry

/// A render and its tangent images `∂I/∂θ_k` (METHODS §1.9).
public struct TangentRender<Scalar: RenderScalar>: Sendable {
  /// The forward image.
  public let image: RenderedImage<Scalar>
  /// The parameters, in the order of ``tangents``.
  public let parameters: [RenderParameter]
  /// One `size × size × 3` image per parameter.
  ///
  /// Each holds the derivative of every pixel value per degree (angles) or per world unit
  /// (distance); values are signed and unbounded.
  public let tangents: [RenderedImage<Scalar>]
}

extension Renderer {
  /// Renders one view with the tangent images of the requested parameters.
  ///
  /// Forward mode: the camera math runs on dual numbers (``TangentCamera``); every covered
  /// sample gets the analytic derivative of its smooth-shaded colour through the
  /// perspective-correct weights (the weights' tangents come from the moving ray through the
  /// sample's fixed centre, which for an unclipped triangle equals differentiating the
  /// screen-space edge-function ratios of METHODS §1.9, and also holds for clipped ones);
  /// samples on silhouettes (and, with flat shading, creases) get the edge-pass term of METHODS
  /// §1.7 step 6; the box filter averages tangents like colours. With flat shading and a world
  /// light the interior term is exactly zero: all camera sensitivity is in the edge term.
  ///
  /// - Parameters:
  ///   - view: The view; must be usable (``SceneView/problem`` is `nil`).
  ///   - parameters: Distinct parameters, at least one.
  ///   - source: Where tangents come from (default: the preset's,
  ///     ``GradientSource/preferred(for:)``).
  /// - Returns: The image and one tangent image per parameter.
  public func renderWithTangents(
    _ view: SceneView, parameters: [RenderParameter], source: GradientSource? = nil
  ) -> TangentRender<Scalar> {
    renderWithTangents(
      view, parameters: parameters, source: source ?? .preferred(for: settings),
      workspace: makeWorkspace(), tangentWorkspace: makeTangentWorkspace())
  }

  /// Renders many views with tangent images, in parallel over views (see
  /// ``render(_:threads:)`` for the scheduling; results do not depend on `threads`).
  ///
  /// - Parameters:
  ///   - views: The views.
  ///   - parameters: Distinct parameters, at least one.
  ///   - source: Where tangents come from (default: the preset's).
  ///   - threads: Worker threads (≥ 1).
  /// - Returns: One render per view, in order.
  public func renderWithTangents(
    _ views: [SceneView], parameters: [RenderParameter], source: GradientSource? = nil,
    threads: Int
  ) -> [TangentRender<Scalar>] {
    precondition(threads >= 1, "Renderer.renderWithTangents: threads must be ≥ 1 (got \(threads))")
    let source = source ?? .preferred(for: settings)
    let workspaces = { @Sendable in (makeWorkspace(), makeTangentWorkspace()) }
    return Self.parallelMap(views.count, threads: threads, state: workspaces) { i, spaces in
      renderWithTangents(
        views[i], parameters: parameters, source: source, workspace: spaces.0,
        tangentWorkspace: spaces.1)
    }
  }

  func makeTangentWorkspace() -> TangentWorkspace<Scalar> {
    TangentWorkspace(
      fineSize: settings.size * settings.supersampling, vertexCount: scene.vertexCount,
      faceCount: scene.triangleCount, weldedCount: scene.topology.weldedCount)
  }

  @_specialize(where Scalar == Float)
  @_specialize(where Scalar == Double)
  func renderWithTangents(
    _ view: SceneView, parameters: [RenderParameter], source: GradientSource,
    workspace ws: RenderWorkspace<Scalar>, tangentWorkspace tw: TangentWorkspace<Scalar>
  ) -> TangentRender<Scalar> {
    precondition(!parameters.isEmpty, "Renderer.renderWithTangents: no parameters")
    precondition(
      Set(parameters).count == parameters.count,
      "Renderer.renderWithTangents: parameters repeat (\(parameters))")
    switch source {
    case .centralDifference(let h):
      return centralDifferences(view, parameters: parameters, step: h, workspace: ws)
    case .analytic, .antialiasedSurrogate:
      let soft = settings.soft != nil
      let edges = !soft && (settings.edgeAntialiasing || source == .antialiasedSurrogate)
      run(view, in: ws, edgeCandidates: edges)
      let image = downsample(ws)
      let camera = TangentCamera(view: view, settings: settings, lanes: parameters)
      let light = view.light(settings)
      var tangents: [RenderedImage<Scalar>] = []
      for first in stride(from: 0, to: parameters.count, by: 4) {
        let chunk = TangentChunk(lanes: first..<min(first + 4, parameters.count))
        tangentVertexStage(camera, chunk, ws, tw)
        tangentFaceStage(camera, chunk, light, ws, tw)
        if soft {
          SoftRasterizer.apply(
            renderer: self, workspace: ws, light: camera.light.value,
            tangents: (tw, chunk.tangent(camera.light)))
          tangents += downsampleTangents(tw, parameters: Array(parameters[chunk.lanes]))
          continue
        }
        tangentShadingStage(camera, chunk, light, ws, tw)
        if edges && !omitsEdgeTangents {
          EdgeAntialiasing.applyTangents(
            renderer: self, workspace: ws, tangents: tw, camera: camera, chunk: chunk)
        } else {
          _ = tw.colour.update(fromContentsOf: tw.shaded)
        }
        tangents += downsampleTangents(tw, parameters: Array(parameters[chunk.lanes]))
      }
      return TangentRender(image: image, parameters: parameters, tangents: tangents)
    }
  }

  /// Tangent images as central differences of whole renders with step `h` (degrees or world
  /// units).
  func centralDifferences(
    _ view: SceneView, parameters: [RenderParameter], step h: Double,
    workspace ws: RenderWorkspace<Scalar>
  ) -> TangentRender<Scalar> {
    precondition(h > 0 && h.isFinite, "Renderer: the difference step must be positive (got \(h))")
    run(view, in: ws)
    let image = downsample(ws)
    let tangents = parameters.map { p in
      let x = p.value(in: view)
      run(p.setting(x + h, in: view), in: ws)
      let plus = downsample(ws)
      run(p.setting(x - h, in: view), in: ws)
      let minus = downsample(ws)
      let scale = 1 / Scalar(2 * h)
      return RenderedImage(
        size: image.size, pixels: zip(plus.pixels, minus.pixels).map { ($0 - $1) * scale })
    }
    return TangentRender(image: image, parameters: parameters, tangents: tangents)
  }

  // MARK: Tangent stages

  /// Tangents of every vertex's fine-grid screen position (col, row) and inverse depth, per
  /// radian or world unit.
  func tangentVertexStage(
    _ camera: TangentCamera, _ chunk: TangentChunk, _ ws: RenderWorkspace<Scalar>,
    _ tw: TangentWorkspace<Scalar>
  ) {
    let n = Double(ws.fineSize)
    scene.positions.withUnsafeBufferPointer { positions in
      for i in positions.indices {
        // Vertices behind the near plane never reach the edge pass (it skips their edges).
        guard ws.viewZ[i] > 0 else {
          tw.column[i] = .zero
          tw.row[i] = .zero
          tw.inverseDepth[i] = .zero
          continue
        }
        let s = camera.screenPosition(of: positions[i], gridSize: n)
        tw.column[i] = chunk.tangent(s.col)
        tw.row[i] = chunk.tangent(s.row)
        tw.inverseDepth[i] = chunk.tangent(s.inverseDepth)
      }
    }
  }

  /// Per face: the plane offset `N·(V0 − C)` and its tangent, and the flat colour's tangent
  /// (non-zero only when the light direction moves: light parameters or a headlight).
  func tangentFaceStage(
    _ camera: TangentCamera, _ chunk: TangentChunk, _ lightSettings: Light,
    _ ws: RenderWorkspace<Scalar>, _ tw: TangentWorkspace<Scalar>
  ) {
    let eye = camera.eye.value
    let eyeTangent: TangentVector<Scalar> = chunk.tangent(camera.eye)
    let light = Scalar.vector(camera.light.value)
    let lightTangent: TangentVector<Scalar> = chunk.tangent(camera.light)
    let diffuse = Scalar(lightSettings.diffuse)
    let flat = settings.shading == .flat
    let fileNormals = scene.topology.fileFaceNormals
    scene.faceOrigins.withUnsafeBufferPointer { origins in
      for f in origins.indices {
        tw.planeOffset[f] = Scalar(dot(fileNormals[f], origins[f] - eye))
        tw.planeOffsetTangent[f] = -eyeTangent.dot(planeNormals[f])
        guard flat else { continue }
        // n̂_f = σ_f N_f / max(|N_f|, 1e-5), as the face stage; ċ = albedo k_d 1[n̂·ℓ > 0] n̂·ℓ̇.
        let fileSign = Scalar(ws.facing[f]) * Scalar(scene.topology.windingSigns[f])
        let unit =
          Scalar.vector(fileNormals[f])
          * (fileSign / Scalar(max(scene.fileNormalLengths[f], 1e-5)))
        let lit = dot(unit, light) > 0
        let change = lit ? lightTangent.dot(unit) * diffuse : .zero
        tw.flatColour[3 * f] = change * albedo[f].x
        tw.flatColour[3 * f + 1] = change * albedo[f].y
        tw.flatColour[3 * f + 2] = change * albedo[f].z
      }
    }
  }

  /// The tangents of every sample's point-sampled colour (METHODS §1.9, interior term).
  func tangentShadingStage(
    _ camera: TangentCamera, _ chunk: TangentChunk, _ lightSettings: Light,
    _ ws: RenderWorkspace<Scalar>, _ tw: TangentWorkspace<Scalar>
  ) {
    let n = ws.fineSize
    let count = n * n
    let flat = settings.shading == .flat
    let diffuse = Scalar(lightSettings.diffuse)
    let light = Scalar.vector(camera.light.value)
    let lightTangent: TangentVector<Scalar> = chunk.tangent(camera.light)
    let ray = SampleRay<Scalar>(camera: camera, chunk: chunk)
    let step = 2 / Scalar(n)
    scene.triangles.withUnsafeBufferPointer { triangles in
      vertexNormals.withUnsafeBufferPointer { normals in
        barycentricGradients.withUnsafeBufferPointer { gradients in
          let out = tw.shaded
          for p in 0..<count {
            let id = Int(ws.ids[p])
            if id < 0 {
              out[3 * p] = .zero
              out[3 * p + 1] = .zero
              out[3 * p + 2] = .zero
              continue
            }
            if flat {
              out[3 * p] = tw.flatColour[3 * id]
              out[3 * p + 1] = tw.flatColour[3 * id + 1]
              out[3 * p + 2] = tw.flatColour[3 * id + 2]
              continue
            }
            let u = (Scalar(p % n) + 0.5) * step - 1
            let v = 1 - (Scalar(p / n) + 0.5) * step
            let pTangent = ray.hitTangent(u: u, v: v, face: id, renderer: self, tangents: tw)
            // μ̇_i = ∂μ_i/∂P · Ṗ (the triangle is fixed in the world).
            let mu0Tangent = pTangent.dot(gradients[2 * id])
            let mu1Tangent = pTangent.dot(gradients[2 * id + 1])
            let (n0, n1, n2) = shadingNormals(of: id, triangles: triangles, normals: normals)
            let m0 = ws.mu0[p]
            let m1 = ws.mu1[p]
            let nv = m0 * n0 + m1 * n1 + (1 - m0 - m1) * n2
            let squared = dot(nv, nv)
            let facing = Scalar(ws.facing[id])
            let along = dot(nv, light)
            // colour = albedo (k_a + k_d max(0, σ n·ℓ/|n|)); off the lit side, no tangent.
            guard squared > 0, facing * along > 0 else {
              out[3 * p] = .zero
              out[3 * p + 1] = .zero
              out[3 * p + 2] = .zero
              continue
            }
            let e0 = n0 - n2
            let e1 = n1 - n2
            let nTangent = TangentVector(
              x: mu0Tangent * e0.x + mu1Tangent * e1.x, y: mu0Tangent * e0.y + mu1Tangent * e1.y,
              z: mu0Tangent * e0.z + mu1Tangent * e1.z)
            let cosineTangent = Self.cosineTangent(
              nv, nTangent, facing: facing, light: light, lightTangent: lightTangent)
            let change = diffuse * cosineTangent
            let albedo = self.albedo[id]
            out[3 * p] = change * albedo.x
            out[3 * p + 1] = change * albedo.y
            out[3 * p + 2] = change * albedo.z
          }
        }
      }
    }
  }

  /// Box-filters the chunk's fine-grid colour tangents into one image per parameter, converted
  /// to interface units (per degree for angles), using `tw.colour` as scratch.
  func downsampleTangents(_ tw: TangentWorkspace<Scalar>, parameters: [RenderParameter])
    -> [RenderedImage<Scalar>]
  {
    let k = settings.supersampling
    let size = settings.size
    let fine = tw.fineSize
    let count = size * size * 3
    let colour = tw.colour
    // Box-filter in place: coarse value `o` lands at index `o`, never after a fine value still
    // to be read (the fine tangents are spent once downsampled).
    if k > 1 {
      for i in 0..<size {
        for j in 0..<size {
          for c in 0..<3 {
            var sum = SIMD4<Scalar>.zero
            for di in 0..<k {
              let row = (i * k + di) * fine
              for dj in 0..<k { sum += colour[3 * (row + j * k + dj) + c] }
            }
            colour[(i * size + j) * 3 + c] = sum
          }
        }
      }
    }
    return parameters.enumerated().map { lane, parameter in
      let scale = Scalar(parameter.interfaceScale) / Scalar(k * k)
      return RenderedImage(
        size: size,
        pixels: [Scalar](unsafeUninitializedCapacity: count) { plane, initialized in
          for o in 0..<count { plane[o] = colour[o][lane] * scale }
          initialized = count
        })
    }
  }
}

/// The ray through a fixed screen point and its tangent: `D = u·A + v·B + z_c` (world) for
/// normalised device coordinates `(u, v)`, with `(A, B)` the camera's ray basis.
struct SampleRay<Scalar: RenderScalar> {
  let a: SIMD3<Scalar>
  let b: SIMD3<Scalar>
  let z: SIMD3<Scalar>
  let aTangent: TangentVector<Scalar>
  let bTangent: TangentVector<Scalar>
  let zTangent: TangentVector<Scalar>
  let eyeTangent: TangentVector<Scalar>

  init(camera: TangentCamera, chunk: TangentChunk) {
    let basis = camera.rayBasis
    a = Scalar.vector(basis.a.value)
    b = Scalar.vector(basis.b.value)
    z = Scalar.vector(camera.zAxis.value)
    aTangent = chunk.tangent(basis.a)
    bTangent = chunk.tangent(basis.b)
    zTangent = chunk.tangent(camera.zAxis)
    eyeTangent = chunk.tangent(camera.eye)
  }

  /// `Ṗ` of the point where the ray through `(u, v)` meets face `id`'s plane: `P = C + s·D`
  /// with `s = N·(V0 − C) / N·D`, so `Ṗ = Ċ + ṡ D + s Ḋ`; `Ḋ` includes `u̇ A + v̇ B` when the
  /// screen point itself moves.
  @inline(__always)
  func hitTangent(
    u: Scalar, v: Scalar, face id: Int, renderer: Renderer<Scalar>,
    tangents tw: TangentWorkspace<Scalar>, uTangent: SIMD4<Scalar> = .zero,
    vTangent: SIMD4<Scalar> = .zero
  ) -> TangentVector<Scalar> {
    let d = u * a + v * b + z
    let dTangent = TangentVector(
      x: u * aTangent.x + v * bTangent.x + zTangent.x + uTangent * a.x + vTangent * b.x,
      y: u * aTangent.y + v * bTangent.y + zTangent.y + uTangent * a.y + vTangent * b.y,
      z: u * aTangent.z + v * bTangent.z + zTangent.z + uTangent * a.z + vTangent * b.z)
    let normal = renderer.planeNormals[id]
    let nd = dot(normal, d)
    let s = tw.planeOffset[id] / nd
    let sTangent = (tw.planeOffsetTangent[id] - s * dTangent.dot(normal)) / nd
    return TangentVector(
      x: eyeTangent.x + sTangent * d.x + s * dTangent.x,
      y: eyeTangent.y + sTangent * d.y + s * dTangent.y,
      z: eyeTangent.z + sTangent * d.z + s * dTangent.z)
  }
}
