import Foundation

/// Benches: a long seat of boards or slats on four legs, cast-iron side frames, solid side
/// panels or bent-tube frames, with or without a back and armrests.
///
/// Parameters (shape units: metres of a real bench, before normalisation): `length` 1.0–1.9
/// (along x), `depth` 0.32–0.52 (times 0.8 without a back), `seatHeight` 0.40–0.48,
/// `seatThickness` 0.03–0.07, `legs` (0 four legs, 1 cast-iron side frames, 2 solid side
/// panels, 3 bent-tube frames; benches longer than 1.55 get a middle pair of legs, frame or
/// loop), `legThickness` 0.04–0.08, `legRound` (round legs), `stretchers` (rails between the
/// legs), `overhang` 0.03–0.15 (seat beyond the legs or frames at each end), `frameThickness`
/// 0.025–0.045 and `frameWidth` 0.045–0.07 (cast iron), `panelThickness` 0.04–0.08, `arch`
/// (panels cut away between two feet), `tubeRadius` 0.012–0.022, `slatted` (a seat of slats
/// rather than one board), `slats` 3–6, `back`, `backStyle` (0 horizontal rails, 1 vertical
/// spindles between two rails, 2 one board), `rails` 2–4, `backHeight` 0.28–0.48 above the
/// seat, `backTilt` 0.05–0.30 rad, `contoured` (cast iron with a back: one run of slats dipping
/// along the seat and rising up the back), `dip` 0.02–0.05 (of that seat), `curve` 0–0.06 (the
/// S-bend of cast-iron legs), `arms` (armrests; backless benches take them only on side
/// panels), `armHeight` 0.18–0.28 above the seat (at most 0.08 below the top of a back),
/// `backMatchesSeat`. The seat's front faces +Z; the back is at −Z.
enum BenchGenerator {
  static func build(_ b: inout ShapeBuilder) {
    let length = b.uniform("length", 1.0...1.9)
    let depthDrawn = b.uniform("depth", 0.32...0.52)
    let height = b.uniform("seatHeight", 0.40...0.48)
    let thickness = b.uniform("seatThickness", 0.03...0.07)
    let legs = b.integer("legs", 0...3)
    let leg = b.uniform("legThickness", 0.04...0.08)
    let legRound = b.flag("legRound", probability: 0.4)
    let stretchers = b.flag("stretchers", probability: 0.5)
    let overhang = b.uniform("overhang", 0.03...0.15)
    let frameThickness = b.uniform("frameThickness", 0.025...0.045)
    let frameWidth = b.uniform("frameWidth", 0.045...0.07)
    let panelThickness = b.uniform("panelThickness", 0.04...0.08)
    let arch = b.flag("arch", probability: 0.6)
    let tubeRadius = b.uniform("tubeRadius", 0.012...0.022)
    let slatted = b.flag("slatted", probability: 0.55)
    let slats = b.integer("slats", 3...6)
    let back = b.flag("back", probability: 0.65)
    let backStyle = b.integer("backStyle", 0...2)
    let rails = b.integer("rails", 2...4)
    let backHeight = b.uniform("backHeight", 0.28...0.48)
    let tilt = b.uniform("backTilt", 0.05...0.30)
    let contouredDrawn = b.flag("contoured", probability: 0.5)
    let dip = b.uniform("dip", 0.02...0.05)
    let curve = b.uniform("curve", 0...0.06)
    // Backless benches take arms only on side panels (which rise to carry them).
    let arms = b.flag("arms", probability: 0.4) && (back || legs == 2)
    let armHeight = b.uniform("armHeight", 0.18...0.28)

    let seatColour = b.material("seat")
    let frameColour = b.material("frame")
    let backMatchesSeat = b.flag("backMatchesSeat", probability: 0.7)
    let backColour = backMatchesSeat || !back ? seatColour : b.material("back")

    // Backless benches are narrower, so they read as benches rather than low tables.
    let depth = back ? depthDrawn : depthDrawn * 0.8
    let halfLength = length / 2
    let halfDepth = depth / 2
    let seatBottom = height - thickness
    // Arms stay below the top of a back.
    let armRise = back ? min(armHeight, backHeight - 0.08) : armHeight
    let armTop = height + armRise
    // The ends' supports (legs, frames, panels) stand at ±endX; long benches get a middle one.
    let endX = halfLength - overhang
    let supportXs = length > 1.55 ? [-endX, 0, endX] : [-endX, endX]

    // Cast-iron benches with a back may carry one run of slats that dips along the seat and
    // rises up the back: `contour` is the top of those slats in the (z, y) plane, front to top.
    let contoured = legs == 1 && back && contouredDrawn
    let lean2 = SIMD2(-sin(tilt), cos(tilt))
    let seatEnd = SIMD2(-halfDepth + 0.05, height - dip * 0.4)
    let contour = Curve.catmullRom(
      [
        SIMD2(halfDepth, height), SIMD2(0, height - dip), seatEnd,
        seatEnd + lean2 * (backHeight * 0.5), seatEnd + lean2 * backHeight,
      ], samples: 8)
    // Its normals (up and forwards), its length along it, and where the seat ends on it (the
    // third control point, after two spans of eight samples).
    let seatEndIndex = 16
    let normals = contour.indices.map { i in
      let d = contour[min(i + 1, contour.count - 1)] - contour[max(i - 1, 0)]
      return SIMD2(d.y, -d.x) / (d * d).sum().squareRoot()
    }
    var arc = [0.0]
    for i in 1..<contour.count {
      let d = contour[i] - contour[i - 1]
      arc.append(arc[i - 1] + (d * d).sum().squareRoot())
    }

    if contoured {
      let width = depth * 0.82 / Double(slats)
      let gap = width * 0.3
      var s = width / 2
      while s + width / 2 <= arc.last! {
        let i = min(arc.lastIndex { $0 <= s } ?? 0, contour.count - 2)
        let t = (s - arc[i]) / (arc[i + 1] - arc[i])
        let point = contour[i] + (contour[i + 1] - contour[i]) * t
        let tangent = (contour[i + 1] - contour[i]) / (arc[i + 1] - arc[i])
        let centre = point - normals[i] * (thickness * 0.25)
        let slat = Part.roundedBox(
          size: SIMD3(length, thickness * 0.5, width), radius: min(0.008, thickness * 0.2),
          segments: 2
        ).rotated(by: atan2(-tangent.y, tangent.x), about: SIMD3(1, 0, 0))
        b.add(
          slat.translated(SIMD3(0, centre.y, centre.x)),
          material: s < arc[seatEndIndex] ? seatColour : backColour)
        s += width + gap
      }
    } else if slatted {
      // Seat: one board, or slats along x with gaps between them.
      let gap = depth * 0.18 / Double(slats - 1)
      let slatDepth = (depth - gap * Double(slats - 1)) / Double(slats)
      for k in 0..<slats {
        let z = -halfDepth + slatDepth / 2 + Double(k) * (slatDepth + gap)
        b.add(
          Part.roundedBox(
            size: SIMD3(length, thickness, slatDepth), radius: min(0.01, thickness * 0.3),
            segments: 2
          ).translated(SIMD3(0, height - thickness / 2, z)), material: seatColour)
      }
    } else {
      b.add(
        Part.roundedBox(size: SIMD3(length, thickness, depth), radius: 0.012, segments: 3)
          .translated(SIMD3(0, height - thickness / 2, 0)), material: seatColour)
    }

    // The back's boards stand just in front of the supports' face at z = backZ (at seat
    // height) and span backSpan along x; each support style sets both.
    var backZ = -halfDepth
    var backSpan = length
    switch legs {
    case 0:
      // Straight legs with aprons under the seat; back posts continue the back legs.
      let (legX, legZ) = (endX - leg / 2, halfDepth - leg * 0.8)
      let xs = supportXs.map { $0 == 0 ? 0 : ($0 < 0 ? -legX : legX) }
      for x in xs {
        for sz in [-1.0, 1.0] {
          b.add(
            post(from: SIMD3(x, 0, sz * legZ), to: SIMD3(x, seatBottom, sz * legZ), leg, legRound),
            material: frameColour)
        }
      }
      for sz in [-1.0, 1.0] {
        b.add(
          Part.roundedBox(
            size: SIMD3(2 * legX, min(0.07, seatBottom * 0.2), leg * 0.45), radius: 0.008,
            segments: 1
          ).translated(SIMD3(0, seatBottom - min(0.035, seatBottom * 0.1), sz * legZ)),
          material: frameColour)
      }
      if stretchers {
        for x in xs {
          b.add(
            Part.rod(
              from: SIMD3(x, 0.12, -legZ), to: SIMD3(x, 0.12, legZ), radius: leg * 0.25,
              segments: 8), material: frameColour)
        }
        b.add(
          Part.rod(
            from: SIMD3(-legX, 0.16, 0), to: SIMD3(legX, 0.16, 0), radius: leg * 0.25,
            segments: 8), material: frameColour)
      }
      if back {
        for x in [-legX, legX] {
          let foot = SIMD3(x, seatBottom, -legZ)
          let top =
            foot + SIMD3(0, thickness + backHeight, 0) * cos(tilt)
            - SIMD3(0, 0, (thickness + backHeight) * sin(tilt))
          b.add(post(from: foot, to: top, leg * 0.9, legRound), material: frameColour)
        }
        backZ = -legZ + leg * 0.45
        backSpan = 2 * legX + leg
      }
      if arms {
        for x in [-legX, legX] {
          let front = SIMD3(x, seatBottom, legZ)
          b.add(
            post(from: front, to: SIMD3(x, armTop, legZ), leg * 0.8, legRound),
            material: frameColour)
          let backEnd = back ? -legZ - armRise * tan(tilt) : -legZ
          b.add(
            Part.roundedBox(
              size: SIMD3(leg * 1.2, 0.03, legZ - backEnd + 0.08), radius: 0.01, segments: 1
            ).translated(SIMD3(x, armTop + 0.012, (legZ + backEnd) / 2)),
            material: frameColour)
        }
      }
    case 1:
      // Cast-iron side frames: curved legs, a seat rail, a back support and a scrolled arm.
      let supportZ = -halfDepth + 0.03
      for x in supportXs {
        let end = x != 0
        var strokes: [[SIMD2<Double>]] = [
          Curve.catmullRom(
            [
              SIMD2(halfDepth + 0.02 + curve, 0.0), SIMD2(halfDepth - curve, height * 0.35),
              SIMD2(halfDepth + curve * 0.5, height * 0.7), SIMD2(halfDepth - 0.03, seatBottom),
            ], samples: 4)
        ]
        var backLeg = [
          SIMD2(-halfDepth - 0.04 - curve, 0.0), SIMD2(-halfDepth + curve * 0.3, height * 0.45),
          SIMD2(supportZ, seatBottom),
        ]
        // The back support's middle at height y: under the contoured slats, or leaning straight.
        let below = thickness * 0.5 + frameWidth * 0.5
        func support(_ y: Double) -> SIMD2<Double> {
          guard contoured else {
            return SIMD2(supportZ - max(y - seatBottom, 0) * tan(tilt), y)
          }
          let i = (seatEndIndex..<contour.count).min {
            abs(contour[$0].y - y) < abs(contour[$1].y - y)
          }!
          return contour[i] - normals[i] * below
        }
        if contoured {
          strokes.append(contour.indices.map { contour[$0] - normals[$0] * below })
          backLeg[2] = support(0)
        } else {
          strokes.append(
            [
              SIMD2(halfDepth - 0.01, seatBottom - 0.02),
              SIMD2(-halfDepth + 0.01, seatBottom - 0.02),
            ])
        }
        if back && !contoured {
          backLeg.append(
            SIMD2(supportZ - backHeight * sin(tilt), seatBottom + backHeight * cos(tilt)))
        } else if !back && arms && end {
          backLeg.append(SIMD2(supportZ - 0.01, armTop))
        }
        strokes.append(Curve.catmullRom(backLeg, samples: 4))
        if arms && end {
          strokes.append(
            Curve.catmullRom(
              [
                SIMD2(halfDepth - 0.03, seatBottom - 0.02),
                SIMD2(halfDepth + 0.03, height + armRise * 0.5),
                SIMD2(halfDepth - 0.01, armTop), support(armTop),
              ], samples: 4))
        }
        for path in strokes {
          b.add(
            side(stroke(path, width: frameWidth), thickness: frameThickness, x: x),
            material: frameColour)
        }
      }
      backZ = supportZ + frameWidth / 2
    case 2:
      // Solid side panels, shaped to carry the arm and the back, often cut away underneath.
      let panelX = halfLength - overhang * 0.5 - panelThickness / 2
      let supportWidth = 0.06
      var outline: [SIMD2<Double>] = [SIMD2(-halfDepth, 0)]
      if arch {
        let foot = min(0.08, depth * 0.2)
        let (halfArch, archHeight) = (halfDepth - foot, min(0.15, seatBottom * 0.4))
        outline.append(SIMD2(-halfArch, 0))
        for k in 1..<8 {
          let angle = Double.pi * (1 - Double(k) / 8)
          outline.append(SIMD2(halfArch * cos(angle), archHeight * sin(angle)))
        }
        outline.append(SIMD2(halfArch, 0))
      }
      outline.append(SIMD2(halfDepth, 0))
      // The back support's front face at height y.
      func supportFront(_ y: Double) -> Double {
        -halfDepth + supportWidth - max(y - seatBottom, 0) * tan(tilt)
      }
      if arms {
        outline += [
          SIMD2(halfDepth, armTop - 0.04), SIMD2(halfDepth - 0.04, armTop),
          SIMD2(back ? supportFront(armTop) : -halfDepth + 0.04, armTop),
        ]
        if !back { outline.append(SIMD2(-halfDepth, armTop - 0.04)) }
      } else {
        // A little proud of the seat, so the two tops never coincide.
        let top = height + 0.02
        outline += [
          SIMD2(halfDepth, top),
          SIMD2(back ? supportFront(top) : -halfDepth, top),
        ]
      }
      if back {
        let topY = seatBottom + backHeight * 1.05
        outline += [
          SIMD2(supportFront(topY), topY),
          SIMD2(supportFront(topY) - supportWidth, topY),
          SIMD2(-halfDepth, seatBottom),
        ]
      }
      for x in [-panelX, panelX] {
        b.add(side(outline, thickness: panelThickness, x: x), material: frameColour)
      }
      backZ = -halfDepth + supportWidth / 2
      backSpan = 2 * panelX
    default:
      // Bent-tube frames: down from under the seat, along the floor, up the back.
      let r = tubeRadius
      let bend = 0.045
      for x in supportXs {
        var corners = [
          SIMD2(halfDepth - 0.16, seatBottom - r), SIMD2(halfDepth - 0.02, seatBottom - r),
          SIMD2(halfDepth - 0.02, r), SIMD2(-halfDepth + 0.02, r),
          SIMD2(-halfDepth + 0.02, seatBottom - r),
        ]
        if back {
          let top = SIMD2(
            -halfDepth + 0.02 - backHeight * sin(tilt), seatBottom + backHeight * cos(tilt))
          corners.append(top)
        } else {
          corners.append(SIMD2(-halfDepth + 0.16, seatBottom - r))
        }
        let path = rounded(corners, radius: bend).map { SIMD3(x, $0.y, $0.x) }
        b.add(
          Part.tube(path, radii: Array(repeating: r, count: path.count), segments: 10),
          material: frameColour)
        if arms && x != 0 {
          let armBack = -halfDepth + 0.02 - armRise * tan(tilt) * (back ? 1 : 0)
          let armPath = rounded(
            [
              SIMD2(halfDepth - 0.1, seatBottom - r), SIMD2(halfDepth - 0.0, seatBottom - r),
              SIMD2(halfDepth, armTop), SIMD2(armBack, armTop),
            ], radius: bend
          ).map { SIMD3(x, $0.y, $0.x) }
          b.add(
            Part.tube(armPath, radii: Array(repeating: r, count: armPath.count), segments: 10),
            material: frameColour)
        }
      }
      backZ = -halfDepth + 0.02 + r
    }

    // The back: boards on a plane leaning back by `tilt`, from just above the seat.
    if back && !contoured {
      let slatThickness = 0.022
      let lean = SIMD3(0, cos(tilt), -sin(tilt))
      let origin = SIMD3(0, height + 0.03, backZ + slatThickness / 2)
      func board(_ width: Double, _ tall: Double, at f: Double, x: Double = 0) -> Part {
        Part.roundedBox(size: SIMD3(width, tall, slatThickness), radius: 0.008, segments: 1)
          .rotated(by: -tilt, about: SIMD3(1, 0, 0))
          .translated(origin + lean * (backHeight * f) + SIMD3(x, 0, 0))
      }
      switch backStyle {
      case 0:
        let tall = backHeight * 0.75 / Double(rails)
        let (lowest, highest) = (tall / backHeight * 0.5 + 0.02, 1 - tall / backHeight * 0.5)
        for k in 0..<rails {
          let f = lowest + (highest - lowest) * Double(k) / Double(rails - 1)
          b.add(board(backSpan, tall, at: f), material: backColour)
        }
      case 1:
        b.add(board(backSpan, backHeight * 0.16, at: 0.88), material: backColour)
        b.add(board(backSpan, backHeight * 0.1, at: 0.1), material: backColour)
        let count = max(5, Int(backSpan / 0.13))
        for k in 0..<count {
          let x = -backSpan / 2 + backSpan * (Double(k) + 0.5) / Double(count)
          b.add(
            board(min(0.04, backSpan / Double(count) * 0.5), backHeight * 0.7, at: 0.5, x: x),
            material: backColour)
        }
      default:
        b.add(board(backSpan, backHeight * 0.6, at: 0.62), material: backColour)
      }
    }
  }

  /// A straight leg from `foot` to `top`: a round tube, or a square rounded box leaning along
  /// the leg (legs here lean only about x).
  private static func post(
    from foot: SIMD3<Double>, to top: SIMD3<Double>, _ size: Double, _ round: Bool
  ) -> Part {
    if round {
      return Part.tube([foot, top], radii: [size * 0.45, size / 2], segments: 10)
    }
    let axis = top - foot
    return Part.roundedBox(
      size: SIMD3(size, length(axis), size), radius: size * 0.2, segments: 1
    ).rotated(by: atan2(axis.z, axis.y), about: SIMD3(1, 0, 0)).translated((foot + top) / 2)
  }

  /// A side piece: `outline` in the (z, y) plane extruded `thickness` along x, centred at `x`.
  private static func side(_ outline: [SIMD2<Double>], thickness: Double, x: Double) -> Part {
    // The extrusion runs along z; turning it a quarter about y maps (u, v, w) to (−w, v, u).
    Part.extrusion(outline, depth: thickness).rotated(by: -Double.pi / 2, about: SIMD3(0, 1, 0))
      .translated(SIMD3(x, 0, 0))
  }

  /// The outline of a band of `width` along the open path `points`, ends cut square.
  private static func stroke(_ points: [SIMD2<Double>], width: Double) -> [SIMD2<Double>] {
    let n = points.count
    var left: [SIMD2<Double>] = []
    var right: [SIMD2<Double>] = []
    for i in 0..<n {
      let d = points[min(i + 1, n - 1)] - points[max(i - 1, 0)]
      let normal = SIMD2(-d.y, d.x) / (d * d).sum().squareRoot()
      left.append(points[i] + normal * (width / 2))
      right.append(points[i] - normal * (width / 2))
    }
    return left + right.reversed()
  }

  /// The polyline through `corners` with each inner corner replaced by a quadratic curve
  /// starting `radius` before it and ending `radius` after it (segments longer than 2·radius).
  private static func rounded(_ corners: [SIMD2<Double>], radius: Double) -> [SIMD2<Double>] {
    var result = [corners[0]]
    for i in 1..<(corners.count - 1) {
      let (a, c, e) = (corners[i - 1], corners[i], corners[i + 1])
      func unit(_ v: SIMD2<Double>) -> SIMD2<Double> { v / (v * v).sum().squareRoot() }
      let start = c + unit(a - c) * radius
      let end = c + unit(e - c) * radius
      for k in 0...3 {
        let t = Double(k) / 3
        result.append((1 - t) * (1 - t) * start + 2 * t * (1 - t) * c + t * t * end)
      }
    }
    result.append(corners[corners.count - 1])
    return result
  }
}
