extension EdgeAntialiasing {
  /// The tangent of the edge pass (METHODS §1.7 step 6, for the interval weights of step 3).
  ///
  /// `tw.colour = tw.shaded +` the derivative of every blend, with the same work items and
  /// crossings as the forward pass (``apply(renderer:workspace:)``):
  ///
  ///     out'(p0) += ẇ0 (c1 − c0) + w0 (ċ1 − ċ0)
  ///     out'(p1) += ẇ1 (c0 − c1) + w1 (ċ0 − ċ1)
  ///
  /// where `ẇ` follows from the crossings' `ṫ` (each crossing inside `[0, ½]` or `[½, 1]` moves
  /// one end of an interval) and `ṫ` differentiates the crossing formula through the edge
  /// endpoints' screen tangents; `ċ` are the point-sampled colours' tangents. With one crossing
  /// this is `(½ − t)(ċ1 − ċ0) − ṫ (c1 − c0)` into `p0` when `t < ½`, else
  /// `(t − ½)(ċ0 − ċ1) + ṫ (c0 − c1)` into `p1`.
  static func applyTangents<Scalar: RenderScalar>(
    renderer: Renderer<Scalar>, workspace ws: RenderWorkspace<Scalar>,
    tangents tw: TangentWorkspace<Scalar>
  ) {
    _ = tw.colour.update(fromContentsOf: tw.shaded)
    forEachWorkItem(ws) { item in
      guard let crossings = crossings(ws, renderer, item) else { return }
      blendTangent(ws, tw, renderer, item, crossings)
    }
  }

  /// The tangent of one work item's blend.
  @inline(__always)
  static func blendTangent<Scalar: RenderScalar>(
    _ ws: RenderWorkspace<Scalar>, _ tw: TangentWorkspace<Scalar>, _ renderer: Renderer<Scalar>,
    _ item: WorkItem<Scalar>, _ crossings: Crossings<Scalar>
  ) {
    let (p0, p1, along, horizontal) = (item.p0, item.p1, item.along, item.horizontal)
    let (w0, w1) = crossings.weights
    // ẇ: walk the intervals as `weights` does, moving each end that lies strictly inside the
    // half it is measured in.
    var w0Tangent = SIMD4<Scalar>.zero
    var w1Tangent = SIMD4<Scalar>.zero
    var start: Scalar = 0
    var startTangent = SIMD4<Scalar>.zero
    for i in 0...crossings.count {
      let end: Scalar
      let endTangent: SIMD4<Scalar>
      if i < crossings.count {
        end = crossings.items[i].t
        endTangent = crossingTangent(
          crossings.items[i], ws, tw, renderer, along: along, horizontal: horizontal)
      } else {
        end = 1
        endTangent = .zero
      }
      if i % 2 == 1 {
        // |[start, end] ∩ [0, ½]|
        if min(end, 0.5) > start {
          if end < 0.5 { w0Tangent += endTangent }
          w0Tangent -= startTangent
        }
      } else {
        // |[start, end] ∩ [½, 1]|
        if end > max(start, 0.5) {
          w1Tangent += endTangent
          if start > 0.5 { w1Tangent -= startTangent }
        }
      }
      start = end
      startTangent = endTangent
    }
    for c in 0..<3 {
      let difference = ws.shaded[3 * p1 + c] - ws.shaded[3 * p0 + c]
      let differenceTangent = tw.shaded[3 * p1 + c] - tw.shaded[3 * p0 + c]
      tw.colour[3 * p0 + c] += w0Tangent * difference + w0 * differenceTangent
      tw.colour[3 * p1 + c] -= w1Tangent * difference + w1 * differenceTangent
    }
  }

  /// `ṫ` of a crossing: the derivative of `t = a_A + (along − c_A)(a_B − a_A)/(c_B − c_A) −
  /// from`, with `(a, c) = (col, row)` for horizontal pairs and `(row, col)` for vertical ones.
  @inline(__always)
  static func crossingTangent<Scalar: RenderScalar>(
    _ crossing: Crossing<Scalar>, _ ws: RenderWorkspace<Scalar>, _ tw: TangentWorkspace<Scalar>,
    _ renderer: Renderer<Scalar>, along: Scalar, horizontal: Bool
  ) -> SIMD4<Scalar> {
    let triangle = renderer.scene.triangles[Int(crossing.face)]
    let edge = Int(crossing.edge)
    let a = Int(triangle[edge])
    let b = Int(triangle[(edge + 1) % 3])
    let sa = ws.projected[a]
    let sb = ws.projected[b]
    let (axialA, acrossA, axialB, acrossB) =
      horizontal ? (sa.x, sa.y, sb.x, sb.y) : (sa.y, sa.x, sb.y, sb.x)
    let (axialTangentA, acrossTangentA, axialTangentB, acrossTangentB) =
      horizontal
      ? (tw.column[a], tw.row[a], tw.column[b], tw.row[b])
      : (tw.row[a], tw.column[a], tw.row[b], tw.column[b])
    let dAcross = acrossB - acrossA
    let ratio = (axialB - axialA) / dAcross
    let ratioTangent =
      ((axialTangentB - axialTangentA) - ratio * (acrossTangentB - acrossTangentA)) / dAcross
    return axialTangentA - ratio * acrossTangentA + (along - acrossA) * ratioTangent
  }
}
