import Geometry

extension EdgeAntialiasing {
  /// The tangent of the edge pass (METHODS §1.7 step 6, for the transitions and orientation
  /// weights of ``EdgeAntialiasing``).
  ///
  /// `tw.colour = tw.shaded +` the derivative of every blend, with the same work items and
  /// transitions as the forward pass (``apply(renderer:workspace:)``): for a transition into
  /// `p0` (`t < ½`) with weight `ω` and colour step `ΔC`,
  ///
  ///     out'(p0) += ω̇ (½ − t) ΔC − ω ṫ ΔC + ω (½ − t) ΔĊ
  ///
  /// and likewise into `p1`. `ṫ` differentiates the crossing formula through the edge
  /// endpoints' screen tangents; `ω̇` the interpolated direction through the crossing's
  /// position along the edge and the endpoints' mean directions; `Ċ` are the point-sampled
  /// colours' tangents, or a face's shading tangent at a reading point that moves with the
  /// transitions that place it (``reading(_:_:after:intoFirst:_:_:_:)``).
  static func applyTangents<Scalar: RenderScalar>(
    renderer: Renderer<Scalar>, workspace ws: RenderWorkspace<Scalar>,
    tangents tw: TangentWorkspace<Scalar>, camera: TangentCamera, chunk: TangentChunk
  ) {
    _ = tw.colour.update(fromContentsOf: tw.shaded)
    directionTangents(renderer, ws, tw)
    let middle = MiddleShading(renderer: renderer, workspace: ws)
    let ray = SampleRay<Scalar>(camera: camera, chunk: chunk)
    let lightTangent: TangentVector<Scalar> = chunk.tangent(camera.light)
    var transitions = Transitions<Scalar>()
    var tTangents = InlineArray<6, SIMD4<Scalar>>(repeating: .zero)
    var weightTangents = InlineArray<6, SIMD4<Scalar>>(repeating: .zero)
    forEachWorkItem(ws) { item in
      fill(&transitions, ws, renderer, item)
      for i in 0..<transitions.count {
        (tTangents[i], weightTangents[i]) = crossingTangents(
          ws.crossings[transitions.items[i].crossing], horizontal: item.horizontal, ws, tw,
          renderer)
      }
      for i in 0..<transitions.count {
        let transition = transitions.items[i]
        let intoFirst = transition.t < 0.5
        let target = intoFirst ? item.p0 : item.p1
        guard target >= 0 else { continue }
        let tTangent = tTangents[i]
        let after = reading(transitions, i, after: true, intoFirst: intoFirst, item, ws, renderer)
        let before = reading(
          transitions, i, after: false, intoFirst: intoFirst, item, ws, renderer)
        let step =
          colour(after, target, item, ws, middle) - colour(before, target, item, ws, middle)
        // The reading point's motion: ṫ of its anchor, doubled on the distance branch, the
        // mean with the other end's on the half-piece branch.
        func motion(_ r: Reading<Scalar>) -> Motion<Scalar> {
          let anchor = tTangents[r.anchor]
          let tangent: SIMD4<Scalar>
          switch r.branch {
          case 0: tangent = anchor
          case 1: tangent = 2 * anchor
          default: tangent = (anchor + (r.other >= 0 ? tTangents[r.other] : .zero)) / 2
          }
          return Motion(tangent: tangent, horizontal: item.horizontal)
        }
        let afterTangent = colourTangent(
          after, target, item, moving: motion(after), ws, tw, middle, ray, lightTangent)
        let beforeTangent = colourTangent(
          before, target, item, moving: motion(before), ws, tw, middle, ray, lightTangent)
        let w = transition.weight
        let (sign, distance): (Scalar, Scalar) =
          intoFirst ? (1, 0.5 - transition.t) : (-1, transition.t - 0.5)
        // d[sign · ω · distance · ΔC], with d(distance) = ∓ṫ.
        let distanceTangent = intoFirst ? -tTangent : tTangent
        let factorTangent = weightTangents[i] * distance + w * distanceTangent
        for c in 0..<3 {
          tw.colour[3 * target + c] +=
            sign * (factorTangent * step[c] + w * distance * (afterTangent[c] - beforeTangent[c]))
        }
      }
    }
  }

  /// The motion of a point along a pair's axis: `ṫ` samples per parameter lane.
  struct Motion<Scalar: RenderScalar> {
    var tangent: SIMD4<Scalar>
    var horizontal: Bool
  }

  /// The tangent of ``colour(_:_:_:_:_:)`` (RGB, one lane per parameter), with the reading
  /// point moving along the pair's axis as `motion` says.
  static func colourTangent<Scalar: RenderScalar>(
    _ reading: Reading<Scalar>, _ target: Int, _ item: WorkItem, moving motion: Motion<Scalar>,
    _ ws: RenderWorkspace<Scalar>, _ tw: TangentWorkspace<Scalar>,
    _ middle: MiddleShading<Scalar>, _ ray: SampleRay<Scalar>,
    _ lightTangent: TangentVector<Scalar>
  ) -> InlineArray<3, SIMD4<Scalar>> {
    var result = InlineArray<3, SIMD4<Scalar>>(repeating: .zero)
    if reading.own {
      for c in 0..<3 { result[c] = tw.shaded[3 * target + c] }
      return result
    }
    guard reading.face >= 0 else { return result }
    return middle.colourTangent(
      face: Int(reading.face), at: point(item, reading.t), moving: motion, ray: ray,
      tangents: tw, lightTangent: lightTangent)
  }

  /// The tangent of ``doubledCosine(_:_:)``: with `u = (dx² − dy²)/L`, `L = dx² + dy²`,
  /// `u̇ = [2dx ḋx − 2dy ḋy − u (2dx ḋx + 2dy ḋy)] / L` (0 for a zero vector).
  @inline(__always)
  static func doubledCosineTangent<Scalar: RenderScalar>(
    _ dx: Scalar, _ dy: Scalar, _ dxTangent: SIMD4<Scalar>, _ dyTangent: SIMD4<Scalar>
  ) -> SIMD4<Scalar> {
    let squared = dx * dx + dy * dy
    guard squared > 0 else { return .zero }
    let u = (dx * dx - dy * dy) / squared
    let xPart: SIMD4<Scalar> = (2 * dx) * dxTangent
    let yPart: SIMD4<Scalar> = (2 * dy) * dyTangent
    return (xPart - yPart - u * (xPart + yPart)) / squared
  }

  /// Per welded vertex, the tangent of the mean `cos 2φ` of its candidate edges.
  static func directionTangents<Scalar: RenderScalar>(
    _ renderer: Renderer<Scalar>, _ ws: RenderWorkspace<Scalar>, _ tw: TangentWorkspace<Scalar>
  ) {
    let scene = renderer.scene
    let weld = scene.topology.weldedIndex
    for v in 0..<scene.topology.weldedCount { tw.vertexDirection[v] = .zero }
    for e in ws.candidateEdges {
      let ends = scene.edgeVertices[Int(e)]
      let (a, b) = (Int(ends.x), Int(ends.y))
      let dx = ws.projected[b].x - ws.projected[a].x
      let dy = ws.projected[b].y - ws.projected[a].y
      let squared = dx * dx + dy * dy
      guard squared > 0 else { continue }
      let dxTangent = tw.column[b] - tw.column[a]
      let dyTangent = tw.row[b] - tw.row[a]
      let tangent = doubledCosineTangent(dx, dy, dxTangent, dyTangent)
      for end in 0..<2 {
        let v = Int(weld[end == 0 ? a : b])
        tw.vertexDirection[v] += tangent / Scalar(ws.vertexEdgeCount[v])
      }
    }
  }

  /// `ṫ` and `ω̇` of a crossing: `t = a_A + s (a_B − a_A) − from` with `s = (along − c_A) /
  /// (c_B − c_A)`, `(a, c) = (col, row)` for horizontal pairs and `(row, col)` for vertical
  /// ones; `ω = ramp((1 ∓ D)/2)` with `D` of ``EdgeAntialiasing/direction(_:_:_:)``.
  @inline(__always)
  static func crossingTangents<Scalar: RenderScalar>(
    _ crossing: EdgeCrossing<Scalar>, horizontal: Bool, _ ws: RenderWorkspace<Scalar>,
    _ tw: TangentWorkspace<Scalar>, _ renderer: Renderer<Scalar>
  ) -> (t: SIMD4<Scalar>, weight: SIMD4<Scalar>) {
    let scene = renderer.scene
    let ends = scene.edgeVertices[Int(crossing.edge)]
    let (a, b) = (Int(ends.x), Int(ends.y))
    let sa = ws.projected[a]
    let sb = ws.projected[b]
    let (axialA, acrossA, axialB, acrossB) =
      horizontal ? (sa.x, sa.y, sb.x, sb.y) : (sa.y, sa.x, sb.y, sb.x)
    let (axialTangentA, acrossTangentA, axialTangentB, acrossTangentB) =
      horizontal
      ? (tw.column[a], tw.row[a], tw.column[b], tw.row[b])
      : (tw.row[a], tw.column[a], tw.row[b], tw.column[b])
    let dAcross = acrossB - acrossA
    let s = crossing.s
    // s = (along − c_A)/Δc: ṡ = (−ċ_A − s Δċ)/Δc.
    let sTangent = (-acrossTangentA - s * (acrossTangentB - acrossTangentA)) / dAcross
    let tTangent =
      axialTangentA + s * (axialTangentB - axialTangentA) + sTangent * (axialB - axialA)
    let weld = scene.topology.weldedIndex
    let (wa, wb) = (Int(weld[a]), Int(weld[b]))
    // D = m + (own − m) g: Ḋ = ṁ + (owṅ − ṁ) g + (own − m) ġ.
    let meanTangent: SIMD4<Scalar> =
      (ws.vertexDirection[wb] - ws.vertexDirection[wa]) * sTangent + (1 - s)
      * tw.vertexDirection[wa] + s * tw.vertexDirection[wb]
    let mean = (1 - s) * ws.vertexDirection[wa] + s * ws.vertexDirection[wb]
    let (dx, dy) = (sb.x - sa.x, sb.y - sa.y)
    let dxTangent = tw.column[b] - tw.column[a]
    let dyTangent = tw.row[b] - tw.row[a]
    let squared = dx * dx + dy * dy
    let own = doubledCosine(dx, dy)
    let ownTangent = doubledCosineTangent(dx, dy, dxTangent, dyTangent)
    let length = squared.squareRoot()
    let lengthTangent: SIMD4<Scalar> =
      length > 0 ? (dx * dxTangent + dy * dyTangent) / length : .zero
    let reach = length / Scalar(cornerLength)
    let (near, far) = (s * reach, (1 - s) * reach)
    let g = min(1, near, far)
    var gTangent = SIMD4<Scalar>.zero
    if g < 1 {
      let scale = 1 / Scalar(cornerLength)
      gTangent =
        near <= far
        ? (sTangent * length + s * lengthTangent) * scale
        : (-sTangent * length + (1 - s) * lengthTangent) * scale
    }
    let dTangent: SIMD4<Scalar> =
      meanTangent + (ownTangent - meanTangent) * g + (own - mean) * gTangent
    let d = mean + (own - mean) * g
    // Inside the ramp ω = ((1 ∓ D)/2 − a)/(1 − 2a); flat (no tangent) where it is clamped.
    let weight = orientationWeight(d, horizontal: horizontal)
    guard weight > 0 && weight < 1 else { return (tTangent, .zero) }
    let slope: Scalar = (horizontal ? -0.5 : 0.5) / (1 - 2 * Scalar(alignedBand))
    return (tTangent, dTangent * slope)
  }
}

extension MiddleShading {
  /// The tangent of ``colour(face:at:)`` with the point moving on screen as `motion` says: the
  /// perspective-correct weights through the moving ray through the point (as the interior
  /// term, plus the ray's turn with the point), the clamp and renormalisation, and the
  /// smooth-shading chain; the flat colour's tangent with flat shading.
  func colourTangent(
    face f: Int, at point: SIMD2<Scalar>, moving motion: EdgeAntialiasing.Motion<Scalar>,
    ray: SampleRay<Scalar>, tangents tw: TangentWorkspace<Scalar>,
    lightTangent: TangentVector<Scalar>
  ) -> InlineArray<3, SIMD4<Scalar>> {
    var result = InlineArray<3, SIMD4<Scalar>>(repeating: .zero)
    if renderer.settings.shading == .flat {
      for c in 0..<3 { result[c] = tw.flatColour[3 * f + c] }
      return result
    }
    let (mu, free, total) = weights(face: f, at: point)
    let n = Scalar(ws.fineSize)
    // u = (col + ½)·2/n − 1 and v = 1 − (row + ½)·2/n move with the point.
    let move = motion.tangent * (2 / n)
    let pTangent = ray.hitTangent(
      u: (point.x + 0.5) * 2 / n - 1, v: 1 - (point.y + 0.5) * 2 / n, face: f,
      renderer: renderer, tangents: tw, uTangent: motion.horizontal ? move : .zero,
      vTangent: motion.horizontal ? .zero : -move)
    let gradients = renderer.barycentricGradients
    var raw = InlineArray<3, SIMD4<Scalar>>(repeating: .zero)
    raw[0] = pTangent.dot(gradients[2 * f])
    raw[1] = pTangent.dot(gradients[2 * f + 1])
    raw[2] = -raw[0] - raw[1]
    // μ = clamp(μ_raw)/Σ: μ̇ = (free ⊙ μ̇_raw − μ Σ free ⊙ μ̇_raw)/Σ.
    var freeSum = SIMD4<Scalar>.zero
    for i in 0..<3 { freeSum += free[i] * raw[i] }
    var muTangent = InlineArray<3, SIMD4<Scalar>>(repeating: .zero)
    for i in 0..<3 { muTangent[i] = (free[i] * raw[i] - mu[i] * freeSum) / total }
    let (n0, n1, n2) = normals(f)
    let normal = mu[0] * n0 + mu[1] * n1 + mu[2] * n2
    let facing = Scalar(ws.facing[f])
    guard dot(normal, normal) > 0, facing * dot(normal, light) > 0 else { return result }
    let normalTangent = TangentVector(
      x: muTangent[0] * n0.x + muTangent[1] * n1.x + muTangent[2] * n2.x,
      y: muTangent[0] * n0.y + muTangent[1] * n1.y + muTangent[2] * n2.y,
      z: muTangent[0] * n0.z + muTangent[1] * n1.z + muTangent[2] * n2.z)
    let change =
      diffuse
      * Renderer<Scalar>.cosineTangent(
        normal, normalTangent, facing: facing, light: light, lightTangent: lightTangent)
    let albedo = renderer.albedo[f]
    for c in 0..<3 { result[c] = change * albedo[c] }
    return result
  }
}
