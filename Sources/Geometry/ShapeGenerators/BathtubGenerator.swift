import Foundation

/// Bathtubs: a built-in rectangular tub with a deck, a freestanding oval tub, a clawfoot tub
/// with a rolled rim on four feet, or a thin-walled rectangular tub on legs, each with a tap.
///
/// Parameters (shape units: metres of a real tub, before normalisation): `style` (0
/// rectangular built-in, 1 oval freestanding, 2 clawfoot, 3 rectangular on legs), `length`
/// 1.45–1.85 (along x), `width` 0.68–0.86, `bodyHeight` 0.44–0.60 (floor, feet or plinth to the
/// rim), `wall` 0.03–0.06 (rim thickness of round tubs; 0.01 more on legs), `deck` 0.06–0.18
/// (rim width of built-in tubs), `corner` 0.02–0.10 (outer corner radius of rectangular tubs),
/// `ovalBasin` (an oval basin in a rectangular tub), `basinRound` 0.10–0.22 (corner radius of a
/// rectangular basin), `slope` 0.04–0.14 (how far the basin's walls come in towards its floor),
/// `endDeck` 0–0.16 (extra deck at a built-in tub's tap end), `squareness` 2.0–3.2
/// (superellipse exponent of round tubs; 0.6 more for oval basins), `bulge` −0.02–0.08
/// (outward bow of a round tub's side, as a fraction of its half-width), `foot` 0.62–0.82 (a
/// round tub's bottom as a fraction of its rim; on legs, how far the sides slope in), `ends`
/// 0–3 (round tubs: 0–1 level rim, 2 slipper with the +x end raised, 3 double slipper),
/// `endRaise` 0.06–0.20, `feetHeight` 0.10–0.18 (clawfoot and legs), `clawFeet` (ball-and-claw
/// feet rather than straight legs under a clawfoot tub), `plinth` (an oval tub on a recessed
/// plinth), `plinthHeight` 0.08–0.16, `apron` (a coloured front panel on a built-in tub), `tap`
/// (round tubs: 0 a gooseneck spout on the rim, 1 a floor-standing mixer; rectangular tubs
/// always take the spout), `tapSide` (the tap in the middle of the back (−z) long side rather
/// than at the −x end; always so on double slippers), `handles` (two tap handles, or a grip on
/// the mixer), `exteriorMatches` (a round tub's outside in the tub's colour rather than
/// painted). The tub is long along x, its open top facing up.
enum BathtubGenerator {
  static func build(_ b: inout ShapeBuilder) {
    let style = b.integer("style", 0...3)
    let length = b.uniform("length", 1.45...1.85)
    let width = b.uniform("width", 0.68...0.86)
    let bodyHeight = b.uniform("bodyHeight", 0.44...0.60)
    let wall = b.uniform("wall", 0.03...0.06)
    let deck = b.uniform("deck", 0.06...0.18)
    let corner = b.uniform("corner", 0.02...0.10)
    let ovalBasin = b.flag("ovalBasin", probability: 0.4)
    let basinRound = b.uniform("basinRound", 0.10...0.22)
    let slope = b.uniform("slope", 0.04...0.14)
    let endDeck = b.uniform("endDeck", 0...0.16)
    let squareness = b.uniform("squareness", 2.0...3.2)
    let bulge = b.uniform("bulge", -0.02...0.08)
    let foot = b.uniform("foot", 0.62...0.82)
    // 0 and 1 level, 2 slipper, 3 double slipper: level rims are the commonest.
    let ends = max(b.integer("ends", 0...3) - 1, 0)
    let endRaise = b.uniform("endRaise", 0.06...0.20)
    let feetHeight = b.uniform("feetHeight", 0.10...0.18)
    let clawFeet = b.flag("clawFeet", probability: 0.7)
    let plinth = b.flag("plinth", probability: 0.4)
    let plinthHeight = b.uniform("plinthHeight", 0.08...0.16)
    let apron = b.flag("apron", probability: 0.5)
    let tap = b.integer("tap", 0...1)
    let tapSide = b.flag("tapSide", probability: 0.3)
    let handles = b.flag("handles", probability: 0.6)
    let exteriorMatches = b.flag("exteriorMatches", probability: 0.25)

    let tubColour = b.material("tub")
    let tapColour = b.material("tap")

    let (halfX, halfZ) = (length / 2, width / 2)
    // The tub's base: the floor, the top of the feet or of the plinth.
    let base = style >= 2 ? feetHeight : (style == 1 && plinth ? plinthHeight : 0)
    let rectangular = style == 0 || style == 3
    let feetColour = style >= 2 ? b.material("feet") : tubColour
    // A straight leg, tapering to the floor.
    func leg(top: SIMD3<Double>, foot: SIMD3<Double>) {
      b.add(
        Part.tube([foot, top], radii: [0.022, 0.034], segments: 10), material: feetColour)
    }
    let rimY = base + bodyHeight

    // Round tubs may have raised ends: every point is lifted by `endRaise` times a weight that
    // grows towards the raised end(s) and towards the rim, so the bottom stays put and the
    // surface never folds (the lift grows monotonically with height).
    let raised = !rectangular && ends != 0
    func lift(_ p: SIMD3<Double>) -> SIMD3<Double> {
      guard raised else { return p }
      let u = ends == 1 ? p.x / halfX : abs(p.x) / halfX
      let t = min(max((u - 0.15) / 0.85, 0), 1)
      let along = t * t * (3 - 2 * t)
      let up = min(max((p.y - base) / bodyHeight, 0), 1.2)
      return SIMD3(p.x, p.y + endRaise * along * up * up, p.z)
    }
    func lifted(_ part: Part) -> Part {
      Part(positions: part.positions.map(lift), triangles: part.triangles)
    }

    if rectangular {
      // Rectangular: a boxy shell with a flat deck round a basin (rounded-rectangular or oval)
      // whose floor is shifted towards the tap end, so the far end slopes like a backrest. On
      // legs, the shell is thin-walled and narrows towards its bottom.
      let r = min(corner, halfZ * 0.5)
      let rim = style == 0 ? deck : wall + 0.01
      let extra = style == 0 ? endDeck : 0
      let inset = style == 0 ? 0 : (1 - foot) * 0.2
      let (innerX, innerZ) = (halfX - rim - extra / 2, halfZ - rim)
      let floorY = max(base + 0.07, rimY - 0.46)
      let centre = extra / 2
      let shift = centre - slope * 0.6
      let (floorX, floorZ) = (innerX - slope * 1.4, innerZ - slope * 0.6)
      let e = squareness + 0.6
      func basin(_ hx: Double, _ hz: Double, y: Double, x: Double = 0) -> [SIMD3<Double>] {
        ring(hx, hz, corner: ovalBasin ? nil : basinRound, exponent: e, y: y, x: x)
      }
      let sections: [[SIMD3<Double>]] = [
        ring(halfX - inset - 0.008, halfZ - inset - 0.008, corner: r, y: base),
        ring(halfX - inset, halfZ - inset, corner: r, y: base + 0.012),
        ring(halfX, halfZ, corner: r, y: rimY - 0.015),
        ring(halfX - 0.006, halfZ - 0.006, corner: r, y: rimY),
        basin(innerX + 0.01, innerZ + 0.01, y: rimY, x: centre),
        basin(innerX, innerZ, y: rimY - 0.015, x: centre),
        basin(
          innerX - slope * 0.2, innerZ - slope * 0.1, y: rimY - (rimY - floorY) * 0.2,
          x: centre * 0.85 + shift * 0.15),
        basin(
          innerX - slope * 0.5, innerZ - slope * 0.25, y: floorY + (rimY - floorY) * 0.45,
          x: centre * 0.6 + shift * 0.4),
        basin(floorX, floorZ, y: floorY + 0.03, x: shift),
        basin(floorX - 0.03, floorZ - 0.03, y: floorY, x: shift),
      ]
      b.add(Part.loft(sections), material: tubColour)
      if style == 3 {
        for sx in [-1.0, 1.0] {
          for sz in [-1.0, 1.0] {
            leg(
              top: SIMD3(sx * (halfX - 0.14), base + 0.03, sz * (halfZ - 0.12)),
              foot: SIMD3(sx * (halfX - 0.11), 0, sz * (halfZ - 0.09)))
          }
        }
      } else if apron {
        let panel = Part.roundedBox(
          size: SIMD3(length - 2 * r, rimY - 0.05, 0.02), radius: 0.008, segments: 1)
        b.add(
          panel.translated(SIMD3(0, (rimY - 0.05) / 2 + 0.01, halfZ - 0.004)),
          material: b.material("apron"))
      }
    } else {
      // Round tubs: a lathe-like shell of superelliptic rings, narrower at the bottom, with a
      // rounded rim (rolled outwards on a clawfoot tub) and a basin following the outside.
      let e = squareness
      let f = foot
      // (scale of the rim's half-sizes, extra outward offset, height) from the bottom up.
      let body: [(scale: Double, grow: Double, y: Double)] = [
        (f, -0.012, base), (f, 0, base + 0.012),
        (f + (1 - f) * 0.3, 0, base + bodyHeight * 0.06),
        (f + (1 - f) * 0.65, bulge * halfZ * 0.8, base + bodyHeight * 0.28),
        (f + (1 - f) * 0.9, bulge * halfZ, base + bodyHeight * 0.6),
        (1, 0, rimY - 0.05),
      ]
      let rim: [(scale: Double, grow: Double, y: Double)] =
        style == 2
        ? [
          (1, 0.018, rimY - 0.045), (1, 0.034, rimY - 0.03), (1, 0.034, rimY - 0.012),
          (1, 0.02, rimY),
        ]
        : [(1, 0.012, rimY - 0.022), (1, 0.012, rimY - 0.005), (1, 0.004, rimY)]
      let shift = -slope * 0.5
      let inner: [(scale: Double, grow: Double, y: Double, x: Double)] = [
        (1, -wall + 0.004, rimY, 0),
        (1, -wall, rimY - 0.012, 0),
        (1, -wall - slope * 0.3 + bulge * halfZ * 0.5, rimY - bodyHeight * 0.35, shift * 0.3),
        (f + (1 - f) * 0.5, -wall - slope, base + 0.14, shift * 0.8),
        (f, -wall - slope, base + 0.07, shift),
      ]
      func oval(_ scale: Double, _ grow: Double, y: Double, x: Double = 0) -> [SIMD3<Double>] {
        ring(halfX * scale + grow, halfZ * scale + grow, corner: nil, exponent: e, y: y, x: x)
      }
      let sections =
        (body + rim).map { oval($0.scale, $0.grow, y: $0.y) }
        + inner.map { oval($0.scale, $0.grow, y: $0.y, x: $0.x) }
      b.add(lifted(Part.loft(sections)), material: tubColour)
      if !exteriorMatches {
        // The painted outside: a thin shell over the tub's wall, ending below the rim.
        let top = style == 2 ? rimY - 0.05 : rimY - 0.02
        let wallRings = body.dropFirst().dropLast()
        let paint =
          wallRings.map { oval($0.scale, $0.grow + 0.003, y: $0.y) }
          + [oval(1, 0.003, y: top), oval(1, -0.01, y: top)]
          + wallRings.reversed().map { oval($0.scale, $0.grow - 0.01, y: $0.y + 0.006) }
        b.add(lifted(Part.loft(paint)), material: b.material("exterior"))
      }
      if style == 2 {
        // Four cast feet: a curved leg from the tub's underside out to a ball on the floor, or
        // a straight leg.
        for sx in [-1.0, 1.0] {
          for sz in [-1.0, 1.0] {
            let top = SIMD3(sx * halfX * 0.6, base + 0.09, sz * halfZ * 0.5)
            guard clawFeet else {
              leg(top: top, foot: SIMD3(sx * halfX * 0.64, 0, sz * halfZ * 0.58))
              continue
            }
            let knee = SIMD3(sx * halfX * 0.66, base * 0.55, sz * halfZ * 0.6)
            let ankle = SIMD3(sx * halfX * 0.67, 0.05, sz * halfZ * 0.64)
            b.add(
              Part.tube([top, knee, ankle], radii: [0.045, 0.026, 0.022], segments: 10),
              material: feetColour)
            b.add(
              Part.ellipsoid(radii: SIMD3(0.04, 0.035, 0.04), segments: 10).translated(
                SIMD3(ankle.x, 0.035, ankle.z)), material: feetColour)
          }
        }
      } else if plinth {
        let (px, pz) = (halfX * f * 0.85, halfZ * f * 0.85)
        let plinthShape = Part.revolve(
          [.init(x: px, z: pz, y: 0), .init(x: px, z: pz, y: base + 0.02)], segments: 24,
          exponent: e)
        b.add(plinthShape, material: b.material("plinth"))
      }
    }

    // The tap: at the −x end, or in the middle of the back (−z) long side (always so for
    // double slippers, whose ends are raised).
    let onSide = tapSide || (raised && ends == 2)
    // The rim's width where the tap stands.
    let rimWidth =
      switch style {
      case 0: onSide ? deck : deck + endDeck
      case 3: wall + 0.01
      default: wall
      }
    let tapAt =
      onSide
      ? SIMD3(0, rimY, -halfZ + rimWidth * 0.5) : SIMD3(-halfX + rimWidth * 0.5, rimY, 0)
    let inward = onSide ? SIMD3<Double>(0, 0, 1) : SIMD3<Double>(1, 0, 0)
    let across = SIMD3(inward.z, 0, -inward.x)
    if !rectangular && tap == 1 {
      // Floor-standing mixer: a column beside the tub curving over the rim.
      let foot = tapAt - inward * 0.14
      let rise = lift(tapAt).y + 0.2
      let over = SIMD3(tapAt.x, rise - 0.02, tapAt.z)
      let path: [SIMD3<Double>] = [
        SIMD3(foot.x, 0, foot.z), SIMD3(foot.x, rise - 0.08, foot.z),
        SIMD3(foot.x, rise, foot.z) + inward * 0.05, over + inward * 0.06,
        over + inward * 0.1 - SIMD3(0, 0.08, 0),
      ]
      b.add(
        Part.tube(path, radii: [0.03, 0.02, 0.018, 0.016, 0.015], segments: 10),
        material: tapColour)
      b.add(
        Part.revolve([.init(r: 0.07, y: 0), .init(r: 0.06, y: 0.02)], segments: 14)
          .translated(SIMD3(foot.x, 0, foot.z)), material: tapColour)
      if handles {
        let grip = SIMD3(foot.x, rise - 0.2, foot.z)
        b.add(
          Part.rod(
            from: grip - across * 0.07, to: grip + across * 0.07, radius: 0.012, segments: 8),
          material: tapColour)
      }
    } else {
      // Gooseneck spout standing on the rim or deck, arching over into the tub.
      let stand = lift(tapAt)
      let (height, reach) = (0.16, style == 0 ? rimWidth * 0.5 + 0.08 : 0.12)
      let path: [SIMD3<Double>] = [
        stand, stand + SIMD3(0, height * 0.7, 0),
        stand + SIMD3(0, height, 0) + inward * 0.035,
        stand + SIMD3(0, height * 0.85, 0) + inward * (reach * 0.75),
        stand + SIMD3(0, height * 0.62, 0) + inward * reach,
      ]
      b.add(
        Part.tube(path, radii: [0.024, 0.017, 0.016, 0.015, 0.014], segments: 10),
        material: tapColour)
      if handles {
        for side in [-1.0, 1.0] {
          let spot = lift(tapAt + across * (side * 0.12))
          b.add(
            Part.revolve(
              [
                .init(r: 0.022, y: 0), .init(r: 0.016, y: 0.05), .init(r: 0.03, y: 0.06),
                .init(r: 0.026, y: 0.075),
              ], segments: 10
            ).translated(spot), material: tapColour)
        }
      }
    }
  }

  /// A horizontal ring of 24 points: a rounded rectangle or a superellipse.
  ///
  /// The ring lies at height `y`, centred on x = `x`, with half-sizes `hx` and `hz`: a rounded
  /// rectangle with corner radius `corner`, or the superellipse of `exponent` when `corner` is
  /// nil. Both take their points at the same angles (six per quarter, none on an axis), so
  /// rings of either kind can be lofted into each other.
  private static func ring(
    _ hx: Double, _ hz: Double, corner: Double?, exponent: Double = 2, y: Double, x: Double = 0
  ) -> [SIMD3<Double>] {
    (0..<24).map { i in
      let angle = Double.pi / 2 * ((Double(i) + 0.5) / 6 - 1)
      let (c, s) = (cos(angle), sin(angle))
      if let corner {
        let r = min(corner, min(hx, hz) * 0.95)
        let centre = SIMD2((hx - r) * (c < 0 ? -1 : 1), (hz - r) * (s < 0 ? -1 : 1))
        return SIMD3(x + centre.x + r * c, y, centre.y + r * s)
      }
      func power(_ v: Double) -> Double { v < 0 ? -pow(-v, 2 / exponent) : pow(v, 2 / exponent) }
      return SIMD3(x + hx * power(c), y, hz * power(s))
    }
  }
}
