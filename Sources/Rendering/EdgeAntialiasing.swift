import Geometry

/// The analytic edge-antialiasing pass on the fine grid (METHODS §1.7), after nvdiffrast's
/// `antialias`, re-derived for the CPU and reworked so the image is a continuous function of
/// the camera (its derivative, the tangent images, then agrees with differences of renders).
///
/// Work items are the pairs of 4-neighbours `(p0, p1)` whose segment a candidate edge crosses
/// (silhouettes: boundary and non-manifold edges, edges between faces of opposite σ; with flat
/// shading also creases, edges between faces of different flat colours), listed per render by
/// walking every candidate edge along rows and columns (``EdgeCrossing``); pairs reach one
/// sample beyond the border, so border samples blend with what lies outside. For each pair:
///
/// 1. **Visible transitions.** A crossing is a transition of the visible surface along the
///    segment unless another face covers its point in front of it. A pair with one crossing
///    whose edge belongs to `p0`'s or `p1`'s face or a neighbour of either is decided by those
///    two faces alone (nothing else can cover part of the segment without its own edge
///    crossing it);
///    other pairs test each crossing against the faces near the pair (the two samples' faces,
///    the faces across their edges, the crossing edges' faces): an occluder farther away in
///    the mesh is missed (an exact search over screen bins made 64² renders 15% slower and
///    changed no test result).
/// 2. **Sides.** A silhouette shows its front-facing face on that face's side; what shows on
///    the other side (and on both sides of a crease, its two faces) is the nearest face a
///    little past the edge. The blend into a sample takes the sample's own point-sampled
///    colour for the piece next to it, and reads every other piece a little inside it, on the
///    face reached by walking along the segment (``reading(_:_:after:intoFirst:_:_:_:)``): a
///    sample's value then does not jump when an edge crosses its centre, nor when two
///    transitions merge at a vertex, nor when a sliver face on a smooth contour turns edge-on.
/// 3. **Blend.** Each transition `i` at `t_i` with colour step `ΔC_i` (after − before) and
///    orientation weight `ω_i` adds `ω_i (½ − t_i) ΔC_i` to `p0` when `t_i < ½`, else
///    `ω_i (t_i − ½)(−ΔC_i)` to `p1`. With `ω = 1` this is the 1-D box filter of the visible
///    colour over each sample's half of the segment; with one transition and flat colours it
///    is METHODS §1.7 step 5 (`(½ − t)(c1 − c0)` into `p0`, `(t − ½)(c0 − c1)` into `p1`).
/// 4. **Orientation weights.** Horizontal pairs weigh a crossing by `ω = ramp((1 − D)/2)`,
///    vertical pairs by `ramp((1 + D)/2)`, with `ramp(x) = clamp((x − 0.15)/0.7, 0, 1)` and
///    `D` the edge's own `cos 2φ` except within a sample of its ends, where it blends into the
///    mean `cos 2φ` of the candidate edges at that (welded) vertex. The two always sum to one,
///    so a sample's value does not jump when an edge crosses its centre; an edge within about
///    23° of a pair's axis gives that pair nothing (it is not even walked for it), a steeper
///    one blends both in proportion. Where contour edges meet they share the vertex's `D`, so
///    the weights do not jump at corners either.
///
/// METHODS §1.7 takes the front triangle's first qualifying edge and a hard slope rule
/// (`|Δrow| ≥ |Δcol|` for horizontal pairs); both make the image jump: at every corner where
/// the contour turns through 45°, when a sliver triangle on a smooth contour crosses a sample,
/// when a contour hidden behind the surface passes a sample, and where a third surface shows
/// between the two samples.
///
/// Contributions are accumulated in a fixed order (horizontal pairs row by row, then vertical
/// pairs row by row), so the result is deterministic.
enum EdgeAntialiasing {
  /// A change of the visible surface along a pair's segment.
  struct Transition<Scalar: RenderScalar> {
    /// The crossing (an index into ``RenderWorkspace/crossings``).
    var crossing: Int
    /// Its position in [0, 1] from `p0`.
    var t: Scalar
    /// Its orientation weight for this pair.
    var weight: Scalar
    /// The faces visible just before and just after it (−1: the background).
    var before: Int32
    var after: Int32
    /// Where along the segment `before` and `after` are known to show: the crossing for a side
    /// the edge decides, else where the face was found.
    var beforeAt: Scalar
    var afterAt: Scalar
  }

  /// The transitions of one work item, in `t` order (at most ``capacity``; further ones, which
  /// would need an edge every sixth of a sample, are dropped).
  struct Transitions<Scalar: RenderScalar> {
    static var capacity: Int { 6 }
    var items: InlineArray<6, Transition<Scalar>>
    var count = 0

    init() {
      items = InlineArray(
        repeating: Transition(
          crossing: 0, t: 0, weight: 0, before: -1, after: -1, beforeAt: 0, afterAt: 0))
    }

    mutating func append(_ transition: Transition<Scalar>) {
      guard count < Self.capacity else { return }
      items[count] = transition
      count += 1
    }
  }

  /// A pair of neighbouring fine samples that an edge crosses.
  struct WorkItem {
    /// The first and second sample (flat indices; `p1` is right of or below `p0`), −1 for the
    /// virtual sample beyond the border (it takes no blend).
    var p0: Int
    var p1: Int
    /// `(col, row)` of the first sample (−1 beyond the left or top border).
    var origin: SIMD2<Int>
    /// Whether the pair is horizontal.
    var horizontal: Bool
    /// The pair's crossings in ``RenderWorkspace/crossings``.
    var crossings: Range<Int>
  }

  /// `cos 2φ` of the direction `(dx, dy)`: `(dx² − dy²)/(dx² + dy²)` (0 for a zero vector).
  @inline(__always)
  static func doubledCosine<Scalar: RenderScalar>(_ dx: Scalar, _ dy: Scalar) -> Scalar {
    let squared = dx * dx + dy * dy
    return squared > 0 ? (dx * dx - dy * dy) / squared : 0
  }

  /// Edges within this much `sin²φ` of a pair's axis (about 23°) give its pairs no weight.
  static var alignedBand: Double { 0.15 }

  /// The weight of a crossing for a pair from the interpolated direction `D = cos 2φ`:
  /// `sin²φ = (1 − D)/2` for horizontal pairs, `cos²φ = (1 + D)/2` for vertical ones, taken
  /// through the ramp `clamp((x − a)/(1 − 2a), 0, 1)` with `a` = ``alignedBand`` (the two
  /// still sum to one).
  @inline(__always)
  static func orientationWeight<Scalar: RenderScalar>(_ d: Scalar, horizontal: Bool) -> Scalar {
    let a = Scalar(alignedBand)
    let x = horizontal ? (1 - d) / 2 : (1 + d) / 2
    return min(max((x - a) / (1 - 2 * a), 0), 1)
  }

  /// Applies the pass: `ws.colour = ws.shaded + contributions`.
  static func apply<Scalar: RenderScalar>(
    renderer: Renderer<Scalar>, workspace ws: RenderWorkspace<Scalar>
  ) {
    _ = ws.colour.update(fromContentsOf: ws.shaded)
    let middle = MiddleShading(renderer: renderer, workspace: ws)
    var transitions = Transitions<Scalar>()
    forEachWorkItem(ws) { item in
      fill(&transitions, ws, renderer, item)
      for i in 0..<transitions.count {
        let transition = transitions.items[i]
        let intoFirst = transition.t < 0.5
        let (target, amount) =
          intoFirst
          ? (item.p0, transition.weight * (0.5 - transition.t))
          : (item.p1, -transition.weight * (transition.t - 0.5))
        guard target >= 0 else { continue }
        let after = reading(transitions, i, after: true, intoFirst: intoFirst, item, ws, renderer)
        let before = reading(
          transitions, i, after: false, intoFirst: intoFirst, item, ws, renderer)
        let step =
          colour(after, target, item, ws, middle) - colour(before, target, item, ws, middle)
        for c in 0..<3 { ws.colour[3 * target + c] += amount * step[c] }
      }
    }
  }

  /// How far into a piece of a segment (in samples) its colour is read, at most.
  static var readingDepth: Double { 0.25 }

  /// Where the blend into one sample reads the colour of one piece of a segment (the stretch
  /// between two transitions, or between a transition and a sample).
  struct Reading<Scalar: RenderScalar> {
    /// Whether the piece is the target sample's own (its point-sampled colour is used).
    var own = false
    /// The face shown at the reading point (−1: the background).
    var face: Int32 = -1
    /// The reading point's position along the segment.
    var t: Scalar = 0
    /// The transition bounding the piece on the target's side, which the point follows.
    var anchor = 0
    /// The transition bounding it on the other side (−1: a sample).
    var other = -1
    /// Which term of the offset's minimum is taken: 0 the depth, 1 the anchor's distance to
    /// the target sample, 2 half the piece (the offset's derivative differs between them).
    var branch = 0
  }

  /// The reading of the piece after (`after`) or before transition `i` for the blend into
  /// `p0` (`intoFirst`) or `p1`.
  ///
  /// The target's own piece (before the first transition for `p0`, after the last for `p1`)
  /// is the sample's point-sampled colour. Any other piece is read at the offset
  /// `min(d, δ, ℓ/2)` into it from its end on the target's side, with `d` =
  /// ``readingDepth``, `δ` that end's distance from the target sample and `ℓ` the piece's
  /// length, on the face ``walk(_:from:to:_:_:_:)`` reaches from where the piece's face is
  /// known to show. So a sample's value does not jump when an edge crosses its centre (the
  /// offset vanishes), nor when a piece shrinks away (both transitions bounding it read it at
  /// the same point), nor when a sliver face on a smooth contour turns edge-on and the contour
  /// moves to the next edge (the point is read past the sliver, on the face beyond it).
  @inline(__always)
  static func reading<Scalar: RenderScalar>(
    _ transitions: borrowing Transitions<Scalar>, _ i: Int, after: Bool, intoFirst: Bool,
    _ item: WorkItem, _ ws: RenderWorkspace<Scalar>, _ renderer: Renderer<Scalar>
  ) -> Reading<Scalar> {
    var result = Reading<Scalar>()
    let count = transitions.count
    let depth = Scalar(readingDepth)
    if intoFirst {
      // The piece after the anchor, read from its left end.
      guard after || i > 0 else {
        result.own = true
        return result
      }
      let a = after ? i : i - 1
      let anchor = transitions.items[a]
      let end: Scalar = a + 1 < count ? transitions.items[a + 1].t : 1
      result.anchor = a
      result.other = a + 1 < count ? a + 1 : -1
      var offset = depth
      if anchor.t < offset {
        offset = anchor.t
        result.branch = 1
      }
      if (end - anchor.t) / 2 < offset {
        offset = (end - anchor.t) / 2
        result.branch = 2
      }
      result.t = anchor.t + offset
      result.face = walk(anchor.after, from: anchor.afterAt, to: result.t, item, ws, renderer)
    } else {
      // The piece before the anchor, read from its right end.
      guard !after || i < count - 1 else {
        result.own = true
        return result
      }
      let a = after ? i + 1 : i
      let anchor = transitions.items[a]
      let end: Scalar = a > 0 ? transitions.items[a - 1].t : 0
      result.anchor = a
      result.other = a > 0 ? a - 1 : -1
      var offset = depth
      if 1 - anchor.t < offset {
        offset = 1 - anchor.t
        result.branch = 1
      }
      if (anchor.t - end) / 2 < offset {
        offset = (anchor.t - end) / 2
        result.branch = 2
      }
      result.t = anchor.t - offset
      result.face = walk(anchor.before, from: anchor.beforeAt, to: result.t, item, ws, renderer)
    }
    return result
  }

  /// The face covering the segment's point at `end`, reached from `face` (known to cover the
  /// point at `start`) by walking along the segment across edges into front-facing
  /// neighbours.
  ///
  /// With smooth shading only (with flat shading every piece is a single face, creases being
  /// transitions). The walk stops on the face it is on at a boundary, at a silhouette (the
  /// face across faces away) and after eight faces; the colour is then read there with its
  /// barycentrics clamped.
  @inline(__always)
  static func walk<Scalar: RenderScalar>(
    _ face: Int32, from start: Scalar, to end: Scalar, _ item: WorkItem,
    _ ws: RenderWorkspace<Scalar>, _ renderer: Renderer<Scalar>
  ) -> Int32 {
    guard face >= 0, renderer.settings.shading != .flat, start != end else { return face }
    let scene = renderer.scene
    let forward = end > start
    // The direction of travel on screen, (col, row).
    let step: Scalar = forward ? 1 : -1
    let (axisX, axisY): (Scalar, Scalar) = item.horizontal ? (step, 0) : (0, step)
    var f = Int(face)
    var t = start
    var remaining = forward ? end - start : start - end
    for _ in 0..<8 {
      let triangle = scene.triangles[f]
      let a = ws.projected[Int(triangle.x)]
      let b = ws.projected[Int(triangle.y)]
      let c = ws.projected[Int(triangle.z)]
      let area = (b.x - a.x) * (c.y - a.y) - (b.y - a.y) * (c.x - a.x)
      guard area != 0 else { break }
      let sign: Scalar = area > 0 ? 1 : -1
      let p = point(item, t)
      // Edge k (v_k v_{k+1}) is left where its edge function, positive inside, reaches zero.
      var nearest = remaining
      var exit = -1
      for k in 0..<3 {
        let (from, to) = k == 0 ? (a, b) : (k == 1 ? (b, c) : (c, a))
        let (dx, dy) = (to.x - from.x, to.y - from.y)
        let slope = sign * (dx * axisY - dy * axisX)
        guard slope < 0 else { continue }
        let value = sign * (dx * (p.y - from.y) - dy * (p.x - from.x))
        let distance = max(0, value / -slope)
        if distance < nearest {
          nearest = distance
          exit = k
        }
      }
      guard exit >= 0 else { break }
      let next = scene.faceNeighbours[f][exit]
      guard next >= 0, ws.facing[Int(next)] > 0 else { break }
      f = Int(next)
      t += step * nearest
      remaining -= nearest
    }
    return Int32(f)
  }

  /// The colour a reading gives for the blend into sample `target`: the sample's own
  /// point-sampled colour, the background, or the face's shading at the reading point
  /// (barycentrics clamped).
  @inline(__always)
  static func colour<Scalar: RenderScalar>(
    _ reading: Reading<Scalar>, _ target: Int, _ item: WorkItem,
    _ ws: RenderWorkspace<Scalar>, _ middle: MiddleShading<Scalar>
  ) -> SIMD3<Scalar> {
    if reading.own {
      return SIMD3(ws.shaded[3 * target], ws.shaded[3 * target + 1], ws.shaded[3 * target + 2])
    }
    guard reading.face >= 0 else { return middle.background }
    return middle.colour(face: Int(reading.face), at: point(item, reading.t))
  }

  /// The point `(col, row)` at `t` along a work item's segment.
  @inline(__always)
  static func point<Scalar: RenderScalar>(_ item: WorkItem, _ t: Scalar) -> SIMD2<Scalar> {
    let (col, row) = (Scalar(item.origin.x), Scalar(item.origin.y))
    return item.horizontal ? SIMD2(col + t, row) : SIMD2(col, row + t)
  }

  /// Calls `body` for every pair an edge crosses, in the pass's fixed order: horizontal pairs
  /// row by row, then vertical pairs.
  @inline(__always)
  static func forEachWorkItem<Scalar: RenderScalar>(
    _ ws: RenderWorkspace<Scalar>, _ body: (WorkItem) -> Void
  ) {
    let n = ws.fineSize
    ws.crossings.withUnsafeBufferPointer { list in
      var i = 0
      while i < list.count {
        let pair = Int(list[i].pair)
        var j = i + 1
        while j < list.count && Int(list[j].pair) == pair { j += 1 }
        let horizontal = pair < n * (n + 1)
        let origin: SIMD2<Int>
        let second: SIMD2<Int>
        if horizontal {
          origin = SIMD2(pair % (n + 1) - 1, pair / (n + 1))
          second = origin &+ SIMD2(1, 0)
        } else {
          let index = pair - n * (n + 1)
          origin = SIMD2(index % n, index / n - 1)
          second = origin &+ SIMD2(0, 1)
        }
        func flat(_ q: SIMD2<Int>) -> Int {
          q.x >= 0 && q.x < n && q.y >= 0 && q.y < n ? q.y * n + q.x : -1
        }
        body(
          WorkItem(
            p0: flat(origin), p1: flat(second), origin: origin, horizontal: horizontal,
            crossings: i..<j))
        i = j
      }
    }
  }

  /// The orientation weight of crossing `c` for a pair of the given orientation.
  @inline(__always)
  static func weight<Scalar: RenderScalar>(
    _ c: EdgeCrossing<Scalar>, horizontal: Bool, _ ws: RenderWorkspace<Scalar>,
    _ scene: SceneMesh
  ) -> Scalar {
    orientationWeight(direction(c, ws, scene), horizontal: horizontal)
  }

  /// Within this many samples of a vertex an edge's direction blends into the vertex's.
  static var cornerLength: Double { 1 }

  /// `D = cos 2φ` at a crossing: `m + (own − m) g` with `own` the edge's own `cos 2φ`, `m` the
  /// vertex means interpolated by the crossing's position `s`, and `g = min(1, s·len/L,
  /// (1 − s)·len/L)` (`len` the edge's screen length, `L` = ``cornerLength``): the edge's own
  /// direction away from its ends, its vertices' at them.
  @inline(__always)
  static func direction<Scalar: RenderScalar>(
    _ c: EdgeCrossing<Scalar>, _ ws: RenderWorkspace<Scalar>, _ scene: SceneMesh
  ) -> Scalar {
    let ends = scene.edgeVertices[Int(c.edge)]
    let a = ws.projected[Int(ends.x)]
    let b = ws.projected[Int(ends.y)]
    let (dx, dy) = (b.x - a.x, b.y - a.y)
    let own = doubledCosine(dx, dy)
    let length = (dx * dx + dy * dy).squareRoot()
    let weld = scene.topology.weldedIndex
    let mean =
      (1 - c.s) * ws.vertexDirection[Int(weld[Int(ends.x)])] + c.s
      * ws.vertexDirection[Int(weld[Int(ends.y)])]
    let reach = length / Scalar(cornerLength)
    let g = min(1, c.s * reach, (1 - c.s) * reach)
    return mean + (own - mean) * g
  }

  /// Which smooth piece transition `index`'s blend is on (its derivative jumps between pieces).
  ///
  /// The branch of `g` in ``direction(_:_:_:)``, whether the orientation ramp is clamped, and
  /// for each side read away from the target sample, the face read and, with smooth shading,
  /// which term sets the reading offset and which of the face's barycentrics are clamped.
  /// Tests compare it across difference steps.
  static func branch<Scalar: RenderScalar>(
    of transitions: Transitions<Scalar>, index: Int, _ item: WorkItem,
    _ ws: RenderWorkspace<Scalar>, _ renderer: Renderer<Scalar>
  ) -> Int {
    let transition = transitions.items[index]
    let c = ws.crossings[transition.crossing]
    let ends = renderer.scene.edgeVertices[Int(c.edge)]
    let a = ws.projected[Int(ends.x)]
    let b = ws.projected[Int(ends.y)]
    let reach =
      ((b.x - a.x) * (b.x - a.x) + (b.y - a.y) * (b.y - a.y)).squareRoot() / Scalar(cornerLength)
    let (near, far) = (c.s * reach, (1 - c.s) * reach)
    var code = min(near, far) >= 1 ? 0 : (near <= far ? 1 : 2)
    let w = transition.weight
    code = code * 3 + (w <= 0 ? 0 : (w >= 1 ? 1 : 2))
    let middle = MiddleShading(renderer: renderer, workspace: ws)
    for after in [true, false] {
      let r = reading(
        transitions, index, after: after, intoFirst: transition.t < 0.5, item, ws, renderer)
      guard !r.own else { continue }
      // Wrapping: the code only has to differ between pieces. A flat colour does not depend
      // on where it is read.
      code = code &* 1_000_003 &+ Int(r.face) &+ 1
      if r.face >= 0 && renderer.settings.shading != .flat {
        code = code &* 3 &+ r.branch
        code = code &* 8 &+ middle.clampPattern(face: Int(r.face), at: point(item, r.t))
      }
    }
    return code
  }

  /// The visible transitions of a work item, or `nil` when none.
  static func transitions<Scalar: RenderScalar>(
    _ ws: RenderWorkspace<Scalar>, _ renderer: Renderer<Scalar>, _ item: WorkItem
  ) -> Transitions<Scalar>? {
    var result = Transitions<Scalar>()
    fill(&result, ws, renderer, item)
    return result.count > 0 ? result : nil
  }

  /// Writes the visible transitions of a work item into `result` (emptied first; none leaves
  /// it empty): the pass's hot path, with no copies of the list.
  @inline(__always)
  static func fill<Scalar: RenderScalar>(
    _ result: inout Transitions<Scalar>, _ ws: RenderWorkspace<Scalar>,
    _ renderer: Renderer<Scalar>, _ item: WorkItem
  ) {
    let scene = renderer.scene
    result.count = 0
    // The samples' faces (−1: background; −2: a virtual sample beyond the border).
    let id0: Int32 = item.p0 >= 0 ? ws.ids[item.p0] : -2
    let id1: Int32 = item.p1 >= 0 ? ws.ids[item.p1] : -2
    func point(_ t: Scalar) -> SIMD2<Scalar> { Self.point(item, t) }
    var candidates = Candidates()
    var gathered = false
    // A side the edge does not determine shows the nearest face halfway to the neighbouring
    // transition (or the segment's end): both transitions bounding a piece see the same face,
    // and a piece that shrinks away takes its colour with it. The sample's face stands in when
    // that finds nothing next to a sample.
    func transition(
      _ index: Int, weight: Scalar, lower: Scalar, upper: Scalar, first: Bool, last: Bool
    ) -> Transition<Scalar> {
      let c = ws.crossings[index]
      let (before, after) = sides(of: c, horizontal: item.horizontal, ws, scene)
      func probe(_ t: Scalar, sample: Int32, at end: Scalar, next: Bool) -> (Int32, Scalar) {
        if !gathered {
          candidates = Candidates(item, ws, scene)
          gathered = true
        }
        let face = visibleFace(at: point(t), excluding: Int(c.edge), among: candidates, ws, scene)
        return next && face < 0 && sample > -2 ? (sample, end) : (face, t)
      }
      let (beforeFace, beforeAt) =
        before.map { ($0, c.t) } ?? probe((lower + c.t) / 2, sample: id0, at: 0, next: first)
      let (afterFace, afterAt) =
        after.map { ($0, c.t) } ?? probe((c.t + upper) / 2, sample: id1, at: 1, next: last)
      return Transition(
        crossing: index, t: c.t, weight: weight, before: beforeFace, after: afterFace,
        beforeAt: beforeAt, afterAt: afterAt)
    }
    // The crossings' weights; nothing to blend when every crossing is aligned with the pair.
    var weights = InlineArray<6, Scalar>(repeating: 0)
    var weighted = false
    for (k, i) in item.crossings.prefix(Transitions<Scalar>.capacity).enumerated() {
      weights[k] = weight(ws.crossings[i], horizontal: item.horizontal, ws, scene)
      if weights[k] > 0 { weighted = true }
    }
    guard weighted else { return }
    if item.crossings.count == 1 && id0 > -2 && id1 > -2 && id0 != id1 {
      let c = ws.crossings[item.crossings.lowerBound]
      // An edge of a neighbouring face may still lie behind a sample's own face (the far side
      // of a box's edge): those two faces decide.
      let at = point(c.t)
      if id0 >= 0 && hides(face: Int(id0), c, at: at, ws, scene) { return }
      if id1 >= 0 && hides(face: Int(id1), c, at: at, ws, scene) { return }
      if touches(edge: Int(c.edge), id0, id1, scene) {
        result.append(
          transition(
            item.crossings.lowerBound, weight: weights[0], lower: 0, upper: 1, first: true,
            last: true))
        return
      }
    }
    // Visibility: crossings sorted by position, each tested against the faces near the pair.
    var order = InlineArray<6, Int>(repeating: 0)
    var count = 0
    for i in item.crossings {
      guard count < Transitions<Scalar>.capacity else { break }
      let c = ws.crossings[i]
      var k = count
      while k > 0 && ws.crossings[order[k - 1]].t > c.t {
        order[k] = order[k - 1]
        k -= 1
      }
      order[k] = i
      count += 1
    }
    var visible = InlineArray<6, Int>(repeating: 0)
    var visibleCount = 0
    for k in 0..<count {
      let c = ws.crossings[order[k]]
      let at = point(c.t)
      if !gathered {
        candidates = Candidates(item, ws, scene)
        gathered = true
      }
      guard !occluded(c, at: at, among: candidates, ws, scene) else { continue }
      visible[visibleCount] = order[k]
      visibleCount += 1
    }
    for k in 0..<visibleCount {
      let lower = k > 0 ? ws.crossings[visible[k - 1]].t : 0
      let upper = k < visibleCount - 1 ? ws.crossings[visible[k + 1]].t : 1
      result.append(
        transition(
          visible[k], weight: weights[visible[k] - item.crossings.lowerBound], lower: lower,
          upper: upper, first: k == 0, last: k == visibleCount - 1))
    }
  }

  /// Whether edge `e` belongs to face `id0` or `id1`, or to a face across one of their edges.
  @inline(__always)
  static func touches(edge e: Int, _ id0: Int32, _ id1: Int32, _ scene: SceneMesh) -> Bool {
    let edge = scene.topology.edges[e]
    func near(_ f: Int32) -> Bool {
      guard f >= 0 else { return false }
      if f == id0 || f == id1 { return true }
      for side in 0..<2 {
        let id = side == 0 ? id0 : id1
        guard id >= 0 else { continue }
        let across = scene.faceNeighbours[Int(id)]
        if across.x == f || across.y == f || across.z == f { return true }
      }
      return false
    }
    return near(edge.face0) || (edge.faceCount > 1 && near(edge.face1))
  }

  /// Whether a face among `candidates` that does not contain crossing `c`'s edge covers
  /// `point` in front of it.
  @inline(__always)
  static func occluded<Scalar: RenderScalar>(
    _ c: EdgeCrossing<Scalar>, at point: SIMD2<Scalar>, among candidates: Candidates,
    _ ws: RenderWorkspace<Scalar>, _ scene: SceneMesh
  ) -> Bool {
    for i in 0..<candidates.count
    where hides(face: Int(candidates.faces[i]), c, at: point, ws, scene) {
      return true
    }
    return false
  }

  /// Whether face `f`, which does not contain crossing `c`'s edge, covers `point` in front of
  /// the crossing.
  @inline(__always)
  static func hides<Scalar: RenderScalar>(
    face f: Int, _ c: EdgeCrossing<Scalar>, at point: SIMD2<Scalar>,
    _ ws: RenderWorkspace<Scalar>, _ scene: SceneMesh
  ) -> Bool {
    guard let inverse = inverseDepth(of: f, at: point, ws, scene),
      inverse > c.inverseDepth * (1 + 1e-6)
    else { return false }
    return !contains(face: f, edge: Int(c.edge), scene)
  }

  /// The nearest face among `candidates` that covers `point` and does not contain edge `e`,
  /// or −1.
  @inline(__always)
  static func visibleFace<Scalar: RenderScalar>(
    at point: SIMD2<Scalar>, excluding e: Int, among candidates: Candidates,
    _ ws: RenderWorkspace<Scalar>, _ scene: SceneMesh
  ) -> Int32 {
    var best: Scalar = 0
    var face: Int32 = -1
    for i in 0..<candidates.count {
      let f = Int(candidates.faces[i])
      if let inverse = inverseDepth(of: f, at: point, ws, scene), inverse > best,
        !contains(face: f, edge: e, scene)
      {
        best = inverse
        face = Int32(f)
      }
    }
    return face
  }

  /// Whether face `f` has both (welded) ends of edge `e`.
  @inline(__always)
  static func contains(face f: Int, edge e: Int, _ scene: SceneMesh) -> Bool {
    let weld = scene.topology.weldedIndex
    let edge = scene.topology.edges[e]
    let t = scene.triangles[f]
    var shared = 0
    for k in 0..<3 {
      let w = weld[Int(t[k])]
      if w == edge.a || w == edge.b { shared += 1 }
    }
    return shared >= 2
  }

  /// The faces a crossing's edge shows on the side towards `p0` and towards `p1`, where the
  /// edge knows: a silhouette shows its front-facing face (a boundary edge its face) on the
  /// face's side and leaves the other side (`nil`) to what lies behind; a crease shows each of
  /// its faces on its side.
  static func sides<Scalar: RenderScalar>(
    of c: EdgeCrossing<Scalar>, horizontal: Bool, _ ws: RenderWorkspace<Scalar>,
    _ scene: SceneMesh
  ) -> (before: Int32?, after: Int32?) {
    let edge = scene.topology.edges[Int(c.edge)]
    let ends = scene.edgeVertices[Int(c.edge)]
    let a = ws.projected[Int(ends.x)]
    let b = ws.projected[Int(ends.y)]
    let (dx, dy) = (b.x - a.x, b.y - a.y)
    // The side of the edge's line that moving towards p1 enters: sign of (B − A) × axis.
    let towardsSecond = horizontal ? -dy : dx
    let opposites = scene.edgeOpposites[Int(c.edge)]
    // Whether the face whose third vertex is `third` lies on p1's side of the edge.
    func onSecondSide(_ third: Int32) -> Bool {
      let p = ws.projected[Int(third)]
      let side = dx * (p.y - a.y) - dy * (p.x - a.x)
      return (side > 0) == (towardsSecond > 0)
    }
    if ws.edgeCandidate[Int(c.edge)] == EdgeKind.crease && edge.faceCount == 2 {
      let second = onSecondSide(opposites.x)
      return second ? (edge.face1, edge.face0) : (edge.face0, edge.face1)
    }
    var (front, third) = (edge.face0, opposites.x)
    if edge.faceCount == 2 && ws.facing[Int(edge.face0)] <= 0 && ws.facing[Int(edge.face1)] > 0 {
      (front, third) = (edge.face1, opposites.y)
    }
    return onSecondSide(third) ? (nil, front) : (front, nil)
  }

  /// `1/Z` of face `f`'s plane at `point` when the face covers it (screen barycentrics all
  /// ≥ 0), else `nil`.
  @inline(__always)
  static func inverseDepth<Scalar: RenderScalar>(
    of f: Int, at point: SIMD2<Scalar>, _ ws: RenderWorkspace<Scalar>, _ scene: SceneMesh
  ) -> Scalar? {
    let t = scene.triangles[f]
    let a = ws.projected[Int(t.x)]
    let b = ws.projected[Int(t.y)]
    let c = ws.projected[Int(t.z)]
    // Edge functions at the point (twice the signed areas opposite each vertex); the point is
    // covered when all have the sign of their sum.
    let (ax, ay) = (a.x - point.x, a.y - point.y)
    let (bx, by) = (b.x - point.x, b.y - point.y)
    let (cx, cy) = (c.x - point.x, c.y - point.y)
    let e0 = bx * cy - by * cx
    let e1 = cx * ay - cy * ax
    let e2 = ax * by - ay * bx
    let area = e0 + e1 + e2
    if area > 0 {
      guard e0 >= 0, e1 >= 0, e2 >= 0 else { return nil }
    } else if area < 0 {
      guard e0 <= 0, e1 <= 0, e2 <= 0 else { return nil }
    } else {
      return nil
    }
    return (e0 * a.z + e1 * b.z + e2 * c.z) / area
  }

  /// The faces that may cover a work item's segment: those of its two samples and every face
  /// across one of their edges, and those of the edges crossing it.
  struct Candidates {
    static var capacity: Int { 48 }
    var faces = InlineArray<48, Int32>(repeating: -1)
    var count = 0

    mutating func insert(_ f: Int32) {
      guard f >= 0, count < Self.capacity else { return }
      for i in 0..<count where faces[i] == f { return }
      faces[count] = f
      count += 1
    }

    init() {}

    @inline(__always)
    init<Scalar: RenderScalar>(
      _ item: WorkItem, _ ws: RenderWorkspace<Scalar>, _ scene: borrowing SceneMesh
    ) {
      // The samples' faces and their neighbours, then the crossing edges' faces.
      if item.p0 >= 0 { insert(ws.ids[item.p0]) }
      if item.p1 >= 0 { insert(ws.ids[item.p1]) }
      let seeds = count
      for i in 0..<seeds {
        let neighbours = scene.faceNeighbours[Int(faces[i])]
        insert(neighbours.x)
        insert(neighbours.y)
        insert(neighbours.z)
      }
      for i in item.crossings {
        let edge = scene.topology.edges[Int(ws.crossings[i].edge)]
        insert(edge.face0)
        if edge.faceCount > 1 { insert(edge.face1) }
      }
    }
  }
}

/// The shading of a face at a fixed screen point, for the sides of a segment that show neither
/// sample's face: smooth shading with the perspective-correct barycentrics of the face's plane
/// at the point, clamped to [0, 1] and renormalised (so the colour stays the face's), or the
/// flat colour.
struct MiddleShading<Scalar: RenderScalar> {
  let renderer: Renderer<Scalar>
  let ws: RenderWorkspace<Scalar>
  let light: SIMD3<Scalar>
  let background: SIMD3<Scalar>

  let ambient: Scalar
  let diffuse: Scalar

  init(renderer: Renderer<Scalar>, workspace ws: RenderWorkspace<Scalar>) {
    self.renderer = renderer
    self.ws = ws
    light = Scalar.vector(ws.lightDirection)
    background = Scalar.vector(renderer.settings.background)
    ambient = Scalar(ws.light.ambient)
    diffuse = Scalar(ws.light.diffuse)
  }

  /// The shading normals of face `f` (``Renderer/shadingNormals(of:triangles:normals:)``).
  func normals(_ f: Int) -> (SIMD3<Scalar>, SIMD3<Scalar>, SIMD3<Scalar>) {
    renderer.scene.triangles.withUnsafeBufferPointer { triangles in
      renderer.vertexNormals.withUnsafeBufferPointer { normals in
        renderer.shadingNormals(of: f, triangles: triangles, normals: normals)
      }
    }
  }

  /// The perspective-correct weights `μ` of face `f`'s plane at `point` (unclamped, summing
  /// to one), or `nil` for a face of zero screen area.
  func rawWeights(face f: Int, at point: SIMD2<Scalar>) -> SIMD3<Scalar>? {
    let t = renderer.scene.triangles[f]
    let a = ws.projected[Int(t.x)]
    let b = ws.projected[Int(t.y)]
    let c = ws.projected[Int(t.z)]
    let area = (b.x - a.x) * (c.y - a.y) - (b.y - a.y) * (c.x - a.x)
    guard area != 0 else { return nil }
    let l0 = ((b.x - point.x) * (c.y - point.y) - (b.y - point.y) * (c.x - point.x)) / area
    let l1 = ((c.x - point.x) * (a.y - point.y) - (c.y - point.y) * (a.x - point.x)) / area
    let weighted = SIMD3(l0 * a.z, l1 * b.z, (1 - l0 - l1) * c.z)
    return weighted / weighted.sum()
  }

  /// The clamped perspective-correct weights `μ` of face `f` at `point`, which of them were
  /// inside (0, 1) (a clamped weight has no tangent), and the sum they were divided by.
  func weights(face f: Int, at point: SIMD2<Scalar>) -> (SIMD3<Scalar>, SIMD3<Scalar>, Scalar) {
    guard let raw = rawWeights(face: f, at: point) else { return (SIMD3(1, 0, 0), .zero, 1) }
    let clamped = raw.clamped(lowerBound: .zero, upperBound: SIMD3(repeating: 1))
    var free = SIMD3<Scalar>.zero
    for i in 0..<3 where raw[i] > 0 && raw[i] < 1 { free[i] = 1 }
    let total = clamped.sum()
    return (clamped / total, free, total)
  }

  /// Which of face `f`'s perspective-correct weights at `point` are clearly clamped (bit i:
  /// `μ_i` below −1e-7 or above 1 + 1e-7; a weight on the boundary counts as free).
  func clampPattern(face f: Int, at point: SIMD2<Scalar>) -> Int {
    guard let raw = rawWeights(face: f, at: point) else { return 0 }
    var pattern = 0
    for i in 0..<3 where raw[i] < -1e-7 || raw[i] > 1 + 1e-7 { pattern |= 1 << i }
    return pattern
  }

  /// The colour of face `f` at `point`.
  func colour(face f: Int, at point: SIMD2<Scalar>) -> SIMD3<Scalar> {
    if renderer.settings.shading == .flat { return ws.flatColour[f] }
    let (mu, _, _) = weights(face: f, at: point)
    let (n0, n1, n2) = normals(f)
    let normal = mu[0] * n0 + mu[1] * n1 + mu[2] * n2
    let cosine = Renderer<Scalar>.cosine(normal, facing: Scalar(ws.facing[f]), light: light)
    return renderer.albedo[f] * (ambient + diffuse * max(0, cosine))
  }
}
