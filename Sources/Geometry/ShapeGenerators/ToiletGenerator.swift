import Foundation

/// Toilets: a ceramic bowl on a pedestal with a cistern behind it, a seat ring and a lid that
/// is closed or standing open.
///
/// Parameters (shape units: metres of a real toilet, before normalisation): `rimHeight`
/// 0.35–0.40 (floor to the bowl's rim), `bowlWidth` 0.34–0.40, `bowlFront` 0.24–0.32 and
/// `bowlBack` 0.13–0.18 (the rim's reach in front of and behind its widest point), `taper`
/// 0.10–0.35 (how much the rim narrows towards the front), `squareness` 2.0–3.0 (superellipse
/// exponent of the bowl's rings), `rimWidth` 0.035–0.055, `pedestal` (0 tapered, 1 skirted:
/// straight sides down to the floor, 2 waisted on a flared foot), `tank` (0 box, 1 rounded
/// box, 2 oval), `tankWidth` 0.36–0.50, `tankHeight` 0.26–0.42, `tankDepth` 0.14–0.22,
/// `tankGap` 0.05–0.09 (from the seat's hinge back to the tank), `tankLid` (a separate lid on
/// the cistern), `raisedTank` (a low-level cistern on a flush pipe rather than one standing on
/// the bowl), `tankRaise` 0.12–0.30, `seatThickness` 0.02–0.035, `seatWidth` 0.05–0.08 (of the
/// ring), `lidOpen`, `seatUp` (with the lid open, the seat raised too), `flush` (0 a button on
/// top, 1 a lever at the front, 2 two buttons on top), `lidMatchesSeat`. The bowl's front faces
/// +Z; the tank stands at −Z.
enum ToiletGenerator {
  static func build(_ b: inout ShapeBuilder) {
    let rimHeight = b.uniform("rimHeight", 0.35...0.40)
    let bowlWidth = b.uniform("bowlWidth", 0.34...0.40)
    let bowlFront = b.uniform("bowlFront", 0.24...0.32)
    let bowlBack = b.uniform("bowlBack", 0.13...0.18)
    let taper = b.uniform("taper", 0.10...0.35)
    let squareness = b.uniform("squareness", 2.0...3.0)
    let rimWidth = b.uniform("rimWidth", 0.035...0.055)
    let pedestal = b.integer("pedestal", 0...2)
    let tank = b.integer("tank", 0...2)
    let tankWidth = b.uniform("tankWidth", 0.36...0.50)
    let tankHeight = b.uniform("tankHeight", 0.26...0.42)
    let tankDepth = b.uniform("tankDepth", 0.14...0.22)
    let tankGap = b.uniform("tankGap", 0.05...0.09)
    let tankLid = b.flag("tankLid", probability: 0.6)
    let raisedTank = b.flag("raisedTank", probability: 0.25)
    let tankRaise = b.uniform("tankRaise", 0.12...0.30)
    let seatThickness = b.uniform("seatThickness", 0.02...0.035)
    let seatWidth = b.uniform("seatWidth", 0.05...0.08)
    let lidOpen = b.flag("lidOpen", probability: 0.5)
    let seatUp = b.flag("seatUp", probability: 0.3) && lidOpen
    let flush = b.integer("flush", 0...2)
    let lidMatchesSeat = b.flag("lidMatchesSeat", probability: 0.7)

    let ceramic = b.material("ceramic")
    let seatColour = b.material("seat")
    let lidColour = lidMatchesSeat ? seatColour : b.material("lid")
    let metal = b.material("fittings")

    let halfWidth = bowlWidth / 2
    let rimY = rimHeight
    // A ring of the bowl's family: the rim outline scaled by `scale`, moved outwards by `grow`,
    // at height `y`, shifted along z by `z`.
    func bowlRing(
      _ scale: Double, _ grow: Double, y: Double, z: Double = 0, back: Double = 0
    ) -> [SIMD3<Double>] {
      egg(
        halfWidth * scale + grow, front: bowlFront * scale + grow,
        back: (bowlBack + back) * scale + grow, taper: taper, exponent: squareness, y: y, z: z)
    }

    // Bowl: up the outside to the rim, then down the inside to the water, whose flat surface
    // closes the loft.
    let bowlBottom = 0.14
    let bowl: [[SIMD3<Double>]] = [
      bowlRing(0.55, 0, y: bowlBottom),
      bowlRing(0.72, 0, y: bowlBottom + 0.06),
      bowlRing(0.88, 0, y: rimY - 0.12),
      bowlRing(0.97, 0, y: rimY - 0.05),
      bowlRing(1, 0, y: rimY - 0.014),
      bowlRing(1, -0.006, y: rimY),
      bowlRing(1, -rimWidth + 0.006, y: rimY),
      bowlRing(1, -rimWidth, y: rimY - 0.014),
      bowlRing(0.86, -rimWidth, y: rimY - 0.08, z: -0.02),
      bowlRing(0.6, -rimWidth, y: rimY - 0.15, z: -0.045),
      bowlRing(0.45, -rimWidth, y: rimY - 0.165, z: -0.055),
    ]
    b.add(Part.loft(bowl), material: ceramic)

    // Pedestal from the floor up into the bowl, reaching back under the cistern.
    let reachBack = bowlBack * 0.6 + tankGap
    let pedestalRings: [[SIMD3<Double>]]
    switch pedestal {
    case 0:
      pedestalRings = [
        bowlRing(0.62, 0, y: 0, z: -0.03, back: reachBack),
        bowlRing(0.61, 0, y: 0.02, z: -0.03, back: reachBack),
        bowlRing(0.5, 0, y: 0.1, z: -0.03, back: reachBack),
        bowlRing(0.56, 0, y: bowlBottom + 0.04, z: -0.02, back: reachBack * 0.7),
        bowlRing(0.7, 0, y: rimY - 0.12, z: -0.01, back: reachBack * 0.4),
      ]
    case 1:
      pedestalRings = [
        bowlRing(0.94, 0, y: 0, back: reachBack + 0.04),
        bowlRing(0.95, 0, y: 0.01, back: reachBack + 0.04),
        bowlRing(0.99, 0, y: rimY - 0.05, back: reachBack + 0.04),
        bowlRing(0.97, 0, y: rimY - 0.03, back: reachBack + 0.04),
      ]
    default:
      pedestalRings = [
        bowlRing(0.74, 0, y: 0, z: -0.03, back: reachBack),
        bowlRing(0.74, 0, y: 0.025, z: -0.03, back: reachBack),
        bowlRing(0.58, 0, y: 0.045, z: -0.03, back: reachBack * 0.8),
        bowlRing(0.4, 0, y: 0.1, z: -0.03, back: reachBack * 0.5),
        bowlRing(0.44, 0, y: bowlBottom + 0.04, z: -0.02, back: reachBack * 0.3),
        bowlRing(0.7, 0, y: rimY - 0.12, z: -0.01, back: reachBack * 0.2),
      ]
    }
    b.add(Part.loft(pedestalRings), material: ceramic)

    // The seat's hinge line lies just behind the rim; the cistern stands `tankGap` behind it
    // on a deck that joins it to the bowl.
    let seatBottom = rimY + 0.004
    let seatTop = seatBottom + seatThickness
    let hingeZ = -bowlBack - 0.01
    let tankFront = hingeZ - tankGap
    let tankZ = tankFront - tankDepth / 2
    let tankBottom = rimY - 0.01 + (raisedTank ? tankRaise : 0)
    let deckWidth = min(tankWidth, bowlWidth) * 0.7
    // The deck runs from under the back of the rim to behind the tank's middle.
    let (deckFront, deckBack) = (-bowlBack * 0.3, tankFront - tankDepth * 0.6)
    b.add(
      Part.roundedBox(
        size: SIMD3(deckWidth, 0.12, deckFront - deckBack), radius: 0.02, segments: 2
      ).translated(SIMD3(0, rimY - 0.065, (deckFront + deckBack) / 2)),
      material: ceramic)

    if raisedTank {
      // A low-level cistern on the wall, joined to the bowl by a flush pipe.
      let path: [SIMD3<Double>] = [
        SIMD3(0, tankBottom + 0.03, tankZ), SIMD3(0, tankBottom - 0.05, tankZ),
        SIMD3(0, rimY + 0.05, tankZ + 0.01), SIMD3(0, rimY - 0.04, tankZ + 0.02),
      ]
      b.add(
        Part.tube(path, radii: Array(repeating: 0.022, count: 4), segments: 10), material: metal)
    }
    let tankTop = tankBottom + tankHeight
    let (tankHalfX, tankHalfZ) = (tankWidth / 2, tankDepth / 2)
    switch tank {
    case 0:
      b.add(
        Part.roundedBox(size: SIMD3(tankWidth, tankHeight, tankDepth), radius: 0.02, segments: 2)
          .translated(SIMD3(0, tankBottom + tankHeight / 2, tankZ)), material: ceramic)
    default:
      // Rounded: near-rectangular rings; oval: elliptic rings, fuller at the top.
      let e = tank == 1 ? 4.0 : 2.2
      let swell = tank == 1 ? 1.0 : 1.06
      let profile: [Part.ProfilePoint] = [
        .init(x: tankHalfX * 0.94, z: tankHalfZ * 0.9, y: 0),
        .init(x: tankHalfX * 0.97, z: tankHalfZ * 0.95, y: 0.02),
        .init(x: tankHalfX, z: tankHalfZ, y: tankHeight * 0.6),
        .init(x: tankHalfX * swell, z: tankHalfZ * swell, y: tankHeight - 0.025),
        .init(x: tankHalfX * swell - 0.012, z: tankHalfZ * swell - 0.012, y: tankHeight),
      ]
      b.add(
        Part.revolve(profile, segments: 24, exponent: e).translated(
          SIMD3(0, tankBottom, tankZ)), material: ceramic)
    }
    if tankLid {
      let lidWidth = tank == 2 ? tankWidth * 1.08 : tankWidth + 0.02
      let lidDepth = tank == 2 ? tankDepth * 1.08 : tankDepth + 0.02
      let cover: Part =
        tank == 0
        ? Part.roundedBox(size: SIMD3(lidWidth, 0.03, lidDepth), radius: 0.012, segments: 2)
        : Part.revolve(
          [
            .init(x: lidWidth / 2, z: lidDepth / 2, y: -0.015),
            .init(x: lidWidth / 2, z: lidDepth / 2, y: 0.008),
            .init(x: lidWidth / 2 - 0.012, z: lidDepth / 2 - 0.012, y: 0.015),
          ], segments: 24, exponent: tank == 1 ? 4 : 2.2)
      b.add(cover.translated(SIMD3(0, tankTop + 0.01, tankZ)), material: ceramic)
    }
    let coverTop = tankTop + (tankLid ? 0.025 : 0)

    // Flush: a push button (or two) on top, or a lever on the front's left.
    switch flush {
    case 0, 2:
      let offsets: [Double] = flush == 0 ? [0] : [-0.025, 0.025]
      for dx in offsets {
        b.add(
          Part.revolve(
            [.init(r: 0.022, y: 0), .init(r: 0.02, y: 0.012)], segments: 14
          ).translated(SIMD3(dx, coverTop - 0.004, tankZ)), material: metal)
      }
    default:
      let pivot = SIMD3(-tankHalfX + 0.06, tankTop - 0.06, tankFront + 0.004)
      b.add(
        Part.revolve([.init(r: 0.02, y: 0), .init(r: 0.018, y: 0.012)], segments: 12)
          .rotated(by: Double.pi / 2, about: SIMD3(1, 0, 0)).translated(pivot), material: metal)
      b.add(
        Part.rod(
          from: pivot + SIMD3(0, 0, 0.008), to: pivot + SIMD3(0.08, -0.004, 0.014),
          radius: 0.007, segments: 8), material: metal)
    }

    // Hinges, then the seat ring and the lid, turned up about the hinge line when open. The
    // lid leans back until it rests on the cistern's top edge.
    for sx in [-1.0, 1.0] {
      b.add(
        Part.rod(
          from: SIMD3(sx * 0.05, seatTop - 0.01, hingeZ),
          to: SIMD3(sx * 0.1, seatTop - 0.01, hingeZ),
          radius: 0.012, segments: 8), material: metal)
    }
    let lidThickness = 0.025
    let lean = atan2(tankGap - lidThickness - 0.01, max(coverTop - seatTop, 0.05)) + 0.02
    func raise(_ part: Part) -> Part {
      let hinge = SIMD3(0, seatTop, hingeZ)
      return part.translated(-hinge).rotated(by: -(Double.pi / 2 + lean), about: SIMD3(1, 0, 0))
        .translated(hinge)
    }
    let centreline = bowlRing(1, -seatWidth / 2 - 0.004, y: seatBottom + seatThickness / 2)
    let section = Part.superellipse(segments: 8, exponent: 3).map {
      SIMD2($0.x * seatWidth / 2, $0.y * seatThickness / 2)
    }
    let seat = hoop(centreline, section: section)
    b.add(seatUp ? raise(seat) : seat, material: seatColour)
    let lid = Part.loft([
      bowlRing(1, -0.004, y: seatTop),
      bowlRing(1, -0.008, y: seatTop + lidThickness * 0.7),
      bowlRing(0.97, -0.02, y: seatTop + lidThickness),
    ])
    b.add(lidOpen ? raise(lid) : lid, material: lidColour)
  }

  /// An egg-shaped ring of 24 points at height `y`: half-width `halfWidth`, reaching `front`
  /// towards +z and `back` towards −z of its widest point at z = `z`, narrowing towards the
  /// front by `taper`, with superelliptic sides of `exponent`.
  private static func egg(
    _ halfWidth: Double, front: Double, back: Double, taper: Double, exponent: Double,
    y: Double, z: Double
  ) -> [SIMD3<Double>] {
    (0..<24).map { i in
      let angle = 2 * Double.pi * (Double(i) + 0.5) / 24
      func power(_ v: Double) -> Double { v < 0 ? -pow(-v, 2 / exponent) : pow(v, 2 / exponent) }
      let (c, s) = (power(cos(angle)), power(sin(angle)))
      let narrowing = s > 0 ? 1 - taper * s * s : 1
      return SIMD3(halfWidth * c * narrowing, y, z + (s > 0 ? front : back) * s)
    }
  }

  /// A closed ring (torus-like) sweeping `section` round the horizontal closed loop
  /// `centreline`: the section's x runs outwards from the loop, its y upwards.
  private static func hoop(_ centreline: [SIMD3<Double>], section: [SIMD2<Double>]) -> Part {
    let n = centreline.count
    let m = section.count
    let centre = centreline.reduce(SIMD3<Double>.zero, +) / Double(n)
    var positions: [SIMD3<Double>] = []
    for i in 0..<n {
      let tangent = centreline[(i + 1) % n] - centreline[(i + n - 1) % n]
      var outward = cross(tangent, SIMD3(0, 1, 0))
      outward /= length(outward)
      if dot(outward, centreline[i] - centre) < 0 { outward = -outward }
      positions += section.map { centreline[i] + $0.x * outward + SIMD3(0, $0.y, 0) }
    }
    var triangles: [SIMD3<Int32>] = []
    for i in 0..<n {
      for j in 0..<m {
        let (a, b) = (Int32(i * m + j), Int32(i * m + (j + 1) % m))
        let (c, d) = (Int32(((i + 1) % n) * m + (j + 1) % m), Int32(((i + 1) % n) * m + j))
        triangles += [SIMD3(a, b, c), SIMD3(a, c, d)]
      }
    }
    let part = Part(positions: positions, triangles: triangles)
    return part.signedVolume < 0 ? part.reversed() : part
  }
}
