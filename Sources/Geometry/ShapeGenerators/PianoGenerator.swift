import Foundation

/// Pianos: a grand piano with its curved case on three legs, or an upright piano, each with an
/// 88-key keyboard, pedals, and a lid open or closed.
///
/// Parameters (shape units: metres of a real piano, before normalisation): `grand` (grand or
/// upright), `caseWidth` 1.42–1.6, `caseLength` 1.5–2.7 (grand, keyboard to tail),
/// `rimHeight` 0.26–0.34 (grand), `caseBottom` 0.58–0.66 (grand, underside of the case),
/// `height` 1.0–1.4 (upright), `cabinetDepth` 0.3–0.4 (upright, behind the keys), `lidOpen`
/// (the grand's lid propped on its stick, the upright's top lid raised), `lidAngle`
/// 0.3–0.65 rad, `fallboardClosed` (the key cover down over the keys), `musicDesk` (grand
/// with its lid open: a desk above the keys), `legStyle` (grand: 0 tapered square, 1 turned
/// round, 2 cabriole legs; upright: 0 toe blocks on the floor, 1 turned round and 2 square
/// front legs under the keyboard), `casters` (grand), `keyboard` (0 every white and black
/// key a separate part, 1 a two-tone keyboard: one white key slab with the black keys on
/// it), `pedals` 2–3, `lyre` (grand's pedal lyre: 0 two posts, 1 two curved bars),
/// `frontPanels` 0–2 (upright: raised panels on the front), `cornice` (upright: a moulded
/// top), `legsMatchCase` (one colour for both).
///
/// The keyboard faces +Z with the treble end at +x; the piano stands on y = 0.
enum PianoGenerator {
  static func build(_ b: inout ShapeBuilder) {
    let grand = b.flag("grand", probability: 0.5)
    let width = b.uniform("caseWidth", 1.42...1.6)
    let length = b.uniform("caseLength", 1.5...2.7)
    let rimHeight = b.uniform("rimHeight", 0.26...0.34)
    let caseBottom = b.uniform("caseBottom", 0.58...0.66)
    let height = b.uniform("height", 1.0...1.4)
    let cabinetDepth = b.uniform("cabinetDepth", 0.3...0.4)
    let lidOpen = b.flag("lidOpen", probability: 0.55)
    let lidAngle = b.uniform("lidAngle", 0.3...0.65)
    let fallboardClosed = b.flag("fallboardClosed", probability: 0.15)
    let musicDesk = b.flag("musicDesk", probability: 0.6)
    let legStyle = b.integer("legStyle", 0...2)
    let casters = b.flag("casters", probability: 0.5)
    let keyboard = b.integer("keyboard", 0...1)
    let pedals = b.integer("pedals", 2...3)
    let lyre = b.integer("lyre", 0...1)
    let frontPanels = b.integer("frontPanels", 0...2)
    let cornice = b.flag("cornice", probability: 0.5)

    let caseColour = b.material("case")
    let whiteColour = b.material("whiteKeys")
    let blackColour = b.material("blackKeys")
    let legColour =
      b.flag("legsMatchCase", probability: 0.7) ? caseColour : b.material("legs")
    let pedalColour = b.material("pedals")
    let plateColour = grand ? b.material("plate") : caseColour

    let keyTop = grand ? caseBottom + 0.12 : 0.72
    let keyFront = grand ? 0.17 : 0.2
    let keyboardWidth = 52 * whitePitch
    let cheek = (width - keyboardWidth) / 2

    // Keyboard: 52 white keys from A0 at −x to C8 at +x, black keys between them.
    let whiteLength = 0.15
    let keyBack = keyFront - whiteLength
    if keyboard == 0 {
      for i in 0..<52 {
        let x = -keyboardWidth / 2 + Double(i) * whitePitch
        b.add(
          box(
            SIMD3(x + 0.0008, keyTop - 0.022, keyBack - 0.02),
            SIMD3(x + whitePitch - 0.0008, keyTop, keyFront)),
          material: whiteColour)
      }
    } else {
      b.add(
        box(
          SIMD3(-keyboardWidth / 2, keyTop - 0.022, keyBack - 0.02),
          SIMD3(keyboardWidth / 2, keyTop, keyFront)),
        material: whiteColour)
    }
    // A black key follows white keys A, C, D, F and G (A0 is key 0, so C is 2).
    for i in 0..<51 where [0, 2, 3, 5, 6].contains(i % 7) {
      let x = -keyboardWidth / 2 + Double(i + 1) * whitePitch
      b.add(
        box(
          SIMD3(x - 0.0068, keyTop - 0.004, keyBack - 0.02),
          SIMD3(x + 0.0068, keyTop + 0.012, keyBack + 0.095)),
        material: blackColour)
    }
    // Key slip in front of the keys and cheek blocks at both ends.
    let keybedBottom = keyTop - 0.1
    b.add(
      box(
        SIMD3(-width / 2, keybedBottom, keyBack - 0.02),
        SIMD3(width / 2, keyTop - 0.02, keyFront + 0.012)),
      material: caseColour)
    for side in [-1.0, 1.0] {
      let inner = side * keyboardWidth / 2
      let outer = side * width / 2
      b.add(
        box(
          SIMD3(min(inner, outer) - 0.001, keybedBottom, keyBack - 0.02),
          SIMD3(max(inner, outer) + 0.001, keyTop + 0.045, keyFront + 0.012)),
        material: caseColour)
    }
    // Fallboard: folded up behind the keys, or closed down over them.
    let fallboard = Part.roundedBox(
      size: SIMD3(keyboardWidth + 0.004, 0.016, fallboardClosed ? 0.2 : 0.11), radius: 0.006,
      segments: 1)
    if fallboardClosed {
      b.add(
        fallboard.rotated(by: 0.12, about: SIMD3(1, 0, 0)).translated(
          SIMD3(0, keyTop + 0.035, keyBack + 0.085)),
        material: caseColour)
    } else {
      b.add(
        fallboard.rotated(by: -1.25, about: SIMD3(1, 0, 0)).translated(
          SIMD3(0, keyTop + 0.07, keyBack - 0.03)),
        material: caseColour)
    }

    if grand {
      buildGrand(
        &b, width: width, length: length, rimHeight: rimHeight, caseBottom: caseBottom,
        lidOpen: lidOpen, lidAngle: lidAngle, musicDesk: musicDesk, legStyle: legStyle,
        casters: casters, pedals: pedals, lyre: lyre,
        colours: (caseColour, legColour, pedalColour, plateColour))
    } else {
      buildUpright(
        &b, width: width, height: height, depth: cabinetDepth, cheek: cheek, keyTop: keyTop,
        keyFront: keyFront, lidOpen: lidOpen, lidAngle: lidAngle, legStyle: legStyle,
        pedals: pedals, frontPanels: frontPanels, cornice: cornice,
        colours: (caseColour, legColour, pedalColour))
    }
  }

  /// The spacing of the white keys (a standard 88-key keyboard is 52 × 23.5 mm wide).
  private static let whitePitch = 0.0235

  /// An axis-aligned box from `low` to `high` (12 triangles).
  private static func box(_ low: SIMD3<Double>, _ high: SIMD3<Double>) -> Part {
    Part.extrusion(
      [SIMD2(low.x, low.y), SIMD2(high.x, low.y), SIMD2(high.x, high.y), SIMD2(low.x, high.y)],
      depth: high.z - low.z
    ).translated(SIMD3(0, 0, (low.z + high.z) / 2))
  }

  /// The top view of a grand piano's case as (x, z) points: the keyboard edge along z = front,
  /// the straight spine at x = −width/2, the bentside curving in from the treble corner to the
  /// round tail at z = −length.
  private static func grandOutline(width: Double, length: Double, front: Double = 0)
    -> [SIMD2<Double>]
  {
    let c = width * 0.16
    let straight = 0.15
    let back = length - c
    func treble(_ s: Double) -> Double { bentside(width: width, length: length, z: -s * back) }
    var points = [SIMD2(treble(-front / back), front)]
    for k in 0...14 {
      let s = straight + (1 - straight) * Double(k) / 14
      if s * back > -front + 0.01 { points.append(SIMD2(treble(s), -s * back)) }
    }
    for k in 1...8 {
      let a = -Double.pi * Double(k) / 8
      points.append(SIMD2(-width / 2 + c + c * cos(a), -back + c * sin(a)))
    }
    points.append(SIMD2(-width / 2, front))
    return points
  }

  /// The x of a grand's treble side (the bentside) at depth z (0 at the keyboard, negative
  /// towards the tail), down to the start of the tail's round.
  private static func bentside(width: Double, length: Double, z: Double) -> Double {
    let c = width * 0.16
    let straight = 0.15
    let s = -z / (length - c)
    guard s > straight else { return width / 2 }
    let u = min((s - straight) / (1 - straight), 1)
    return width / 2 - (width - 2 * c) * u * u * (3 - 2 * u)
  }

  /// The case, lid, legs, lyre and pedals of a grand piano.
  private static func buildGrand(
    _ b: inout ShapeBuilder, width: Double, length: Double, rimHeight: Double,
    caseBottom: Double, lidOpen: Bool, lidAngle: Double,
    musicDesk: Bool, legStyle: Int, casters: Bool, pedals: Int, lyre: Int,
    colours: (case: Int32, legs: Int32, pedals: Int32, plate: Int32)
  ) {
    let rimTop = caseBottom + rimHeight
    let floorDepth = rimHeight * 0.45
    // A horizontal slab of the outline `points` from y = bottom to y = top.
    func slab(_ points: [SIMD2<Double>], _ bottom: Double, _ top: Double) -> Part {
      Part.extrusion(points, depth: top - bottom).rotated(by: Double.pi / 2, about: SIMD3(1, 0, 0))
        .translated(SIMD3(0, (bottom + top) / 2, 0))
    }
    let outline = grandOutline(width: width, length: length)
    // The body up to the soundboard, then the rim wall round it.
    b.add(slab(outline, caseBottom, rimTop - floorDepth), material: colours.case)
    let wall = 0.045
    // The loop's two ends overlap a little at the front centre, so their caps do not coincide.
    let overlap = (outline[0].x > 0 ? 1.0 : -1.0) * 0.02
    var loop: [SIMD2<Double>] = [SIMD2(-overlap, 0)]
    for (k, p) in outline.enumerated() {
      // Split the sharp front corners into two gentler turns.
      if k == 0 {
        loop += [SIMD2(p.x - 0.04, 0), SIMD2(p.x, -0.04)]
      } else if k
        == outline.count - 1
      {
        loop += [SIMD2(p.x, -0.04), SIMD2(p.x + 0.04, 0)]
      } else {
        loop.append(p)
      }
    }
    loop.append(SIMD2(overlap, 0))
    let wallHeight = floorDepth + 0.02
    let section = Part.superellipse(segments: 12, exponent: 8).map {
      SIMD2($0.x * wall / 2, $0.y * wallHeight / 2)
    }
    b.add(
      Part.sweep(
        loop.map { SIMD3($0.x, rimTop - wallHeight / 2, $0.y) },
        radii: Array(repeating: 1, count: loop.count), section: section),
      material: colours.case)
    // The iron plate inside, visible when the lid is open.
    b.add(
      slab(
        grandOutline(width: width - 0.16, length: length - 0.14).map { $0 + SIMD2(0, -0.05) },
        rimTop - floorDepth - 0.01, rimTop - floorDepth + 0.04),
      material: colours.plate)

    // Lid: hinged along the spine (−x), propped up on the treble side by a stick.
    let lid = slab(
      grandOutline(width: width + 0.02, length: length + 0.01, front: lidOpen ? -0.28 : -0.02),
      rimTop, rimTop + 0.022)
    if lidOpen {
      let hinge = SIMD3(-width / 2 - 0.01, rimTop, 0)
      b.add(
        lid.translated(-hinge).rotated(by: lidAngle, about: SIMD3(0, 0, 1)).translated(hinge),
        material: colours.case)
      let z = -length * 0.42
      let foot = SIMD3(bentside(width: width, length: length, z: z) - 0.07, rimTop, z)
      let offset = foot - hinge
      let lifted =
        hinge + SIMD3(offset.x * cos(lidAngle), offset.x * sin(lidAngle), offset.z)
      b.add(
        Part.rod(from: foot, to: lifted - SIMD3(0, 0.005, 0), radius: 0.012, segments: 8),
        material: colours.legs)
    } else {
      b.add(lid, material: colours.case)
    }
    if musicDesk && lidOpen {
      b.add(
        Part.roundedBox(size: SIMD3(0.75, 0.26, 0.018), radius: 0.008, segments: 1)
          .rotated(by: -0.3, about: SIMD3(1, 0, 0))
          .translated(SIMD3(0, rimTop + 0.13, -0.16)),
        material: colours.case)
    }

    // Three legs: under the keyboard's ends and under the tail.
    let c = width * 0.16
    let feet = [
      SIMD3(-width / 2 + 0.1, 0, 0.0), SIMD3(width / 2 - 0.1, 0, 0.0),
      SIMD3(-width / 2 + c, 0, -length + c + 0.05),
    ]
    let top = caseBottom + 0.01
    let lift = casters ? 0.05 : 0
    for foot in feet {
      let base = foot + SIMD3(0, lift, 0)
      let h = top - lift
      var leg: Part
      switch legStyle {
      case 0:
        leg = Part.revolve(
          [
            .init(r: 0.03, y: 0), .init(r: 0.045, y: h * 0.05), .init(r: 0.062, y: h * 0.85),
            .init(r: 0.075, y: h * 0.88), .init(r: 0.075, y: h),
          ], segments: 12, exponent: 6)
      case 1:
        leg = Part.revolve(
          [
            .init(r: 0.04, y: 0), .init(r: 0.05, y: h * 0.04), .init(r: 0.04, y: h * 0.12),
            .init(r: 0.07, y: h * 0.35), .init(r: 0.075, y: h * 0.5), .init(r: 0.05, y: h * 0.7),
            .init(r: 0.045, y: h * 0.82), .init(r: 0.07, y: h * 0.86), .init(r: 0.07, y: h),
          ], segments: 14)
      default:
        // A cabriole: knee forward and out, foot back under.
        let out = SIMD2(foot.x, foot.z + length / 2)
        let direction = out / (out * out).sum().squareRoot()
        let knee = SIMD3(direction.x * 0.07, 0, direction.y * 0.07)
        let path = [
          SIMD3(0, 0, 0), SIMD3(0, h * 0.08, 0) + knee * 0.5, SIMD3(0, h * 0.35, 0) - knee * 0.3,
          SIMD3(0, h * 0.7, 0) + knee * 0.2, SIMD3(0, h * 0.9, 0) + knee * 0.6,
          SIMD3(0, h, 0) + knee,
        ]
        leg = Part.sweep(
          path, radii: [0.04, 0.035, 0.04, 0.055, 0.065, 0.07],
          section: Part.superellipse(segments: 12, exponent: 3))
      }
      b.add(leg.translated(base), material: colours.legs)
      if casters {
        b.add(
          Part.tube(
            [base + SIMD3(-0.02, -lift / 2, 0), base + SIMD3(0.02, -lift / 2, 0)],
            radii: [lift / 2, lift / 2], segments: 12),
          material: colours.pedals)
      }
    }

    // Pedal lyre under the middle of the keyboard.
    let lyreTop = caseBottom
    let lyreZ = -0.12
    let boxTop = 0.12
    b.add(
      box(SIMD3(-0.16, 0.05, lyreZ - 0.06), SIMD3(0.16, boxTop, lyreZ + 0.06)),
      material: colours.legs)
    for side in [-1.0, 1.0] {
      if lyre == 0 {
        b.add(
          Part.rod(
            from: SIMD3(side * 0.1, boxTop - 0.01, lyreZ), to: SIMD3(side * 0.1, lyreTop, lyreZ),
            radius: 0.022, segments: 10),
          material: colours.legs)
      } else {
        let path = (0...6).map { k -> SIMD3<Double> in
          let t = Double(k) / 6
          let bulge = sin(t * Double.pi) * 0.07
          return SIMD3(side * (0.06 + bulge), boxTop - 0.01 + t * (lyreTop - boxTop + 0.01), lyreZ)
        }
        b.add(
          Part.tube(path, radii: Array(repeating: 0.016, count: path.count), segments: 10),
          material: colours.legs)
      }
    }
    addPedals(&b, count: pedals, y: 0.085, z: lyreZ + 0.06, colour: colours.pedals)
  }

  /// Pedals sticking forward from z = `z` at height `y`.
  private static func addPedals(
    _ b: inout ShapeBuilder, count: Int, y: Double, z: Double, colour: Int32
  ) {
    for k in 0..<count {
      let x = (Double(k) - Double(count - 1) / 2) * 0.07
      b.add(
        Part.tube(
          [SIMD3(x, y, z - 0.02), SIMD3(x, y, z + 0.08), SIMD3(x, y - 0.012, z + 0.11)],
          radii: [0.01, 0.014, 0.013], segments: 10
        ).scaled(SIMD3(1.6, 0.6, 1)),
        material: colour)
    }
  }

  /// The cabinet, lid, legs and pedals of an upright piano.
  private static func buildUpright(
    _ b: inout ShapeBuilder, width: Double, height: Double, depth: Double, cheek: Double,
    keyTop: Double, keyFront: Double, lidOpen: Bool, lidAngle: Double, legStyle: Int,
    pedals: Int, frontPanels: Int, cornice: Bool, colours: (case: Int32, legs: Int32, pedals: Int32)
  ) {
    let back = -depth
    let keyBack = keyFront - 0.15
    // The upper cabinet above the keys and the lower cabinet under them.
    b.add(
      Part.roundedBox(size: SIMD3(width, height - keyTop, depth), radius: 0.012, segments: 2)
        .translated(SIMD3(0, (height + keyTop) / 2, back / 2 + keyBack / 2 - 0.01)),
      material: colours.case)
    let lowerFront = keyBack + 0.02
    b.add(
      Part.roundedBox(
        size: SIMD3(width - 0.02, keyTop, lowerFront - back), radius: 0.01, segments: 2
      )
      .translated(SIMD3(0, keyTop / 2, (back + lowerFront) / 2)),
      material: colours.case)
    // Side panels running down to the floor at both ends.
    for side in [-1.0, 1.0] {
      b.add(
        box(
          SIMD3(side * width / 2 - 0.022, 0, back - 0.005),
          SIMD3(side * width / 2 + 0.022, height + 0.005, keyBack + 0.03)
        ),
        material: colours.case)
    }
    // Music shelf above the keys.
    b.add(
      box(
        SIMD3(-width / 2 + 0.05, keyTop + 0.17, keyBack - 0.01),
        SIMD3(width / 2 - 0.05, keyTop + 0.19, keyBack + 0.05)),
      material: colours.case)
    // Raised panels on the upper front and on the knee board below the keys.
    let upperFront = keyBack / 2 - 0.01
    if frontPanels > 0 {
      let panelBottom = keyTop + 0.24
      let panelTop = height - (cornice ? 0.1 : 0.07)
      let gap = 0.05
      let span = (width - 0.2 - gap * Double(frontPanels - 1)) / Double(frontPanels)
      // Low cabinets have no room above the music shelf: only the knee board is panelled.
      for k in 0..<frontPanels where panelTop - panelBottom >= 0.1 {
        let x = -width / 2 + 0.1 + Double(k) * (span + gap)
        b.add(
          Part.roundedBox(
            size: SIMD3(span, panelTop - panelBottom, 0.03), radius: 0.012, segments: 2
          ).translated(SIMD3(x + span / 2, (panelBottom + panelTop) / 2, upperFront)),
          material: colours.case)
      }
      b.add(
        Part.roundedBox(size: SIMD3(width - 0.3, keyTop - 0.3, 0.03), radius: 0.012, segments: 2)
          .translated(SIMD3(0, 0.15 + (keyTop - 0.3) / 2 + 0.05, lowerFront)),
        material: colours.case)
    }
    if cornice {
      // A moulded cornice round the top of the cabinet.
      b.add(
        Part.roundedBox(
          size: SIMD3(width + 0.07, 0.06, depth + 0.09), radius: 0.025, segments: 2
        ).translated(SIMD3(0, height - 0.03, (back + upperFront) / 2 + 0.02)),
        material: colours.case)
    }
    // Top lid, hinged at the back.
    let lid = box(
      SIMD3(-width / 2 - 0.03, 0, -depth - 0.02), SIMD3(width / 2 + 0.03, 0.025, keyBack + 0.03))
    if lidOpen {
      let hinge = SIMD3(0, 0, -depth - 0.02)
      b.add(
        lid.translated(-hinge).rotated(by: -lidAngle * 0.8, about: SIMD3(1, 0, 0))
          .translated(hinge + SIMD3(0, height, 0)),
        material: colours.case)
    } else {
      b.add(lid.translated(SIMD3(0, height, 0)), material: colours.case)
    }
    // Legs (or floor blocks) under the keyboard's cheeks.
    for side in [-1.0, 1.0] {
      let x = side * (width / 2 - cheek / 2)
      let keybedBottom = keyTop - 0.1
      switch legStyle {
      case 0:
        b.add(
          box(
            SIMD3(x - cheek / 2, 0, lowerFront - 0.01),
            SIMD3(x + cheek / 2, 0.07, keyFront + 0.01)),
          material: colours.legs)
      case 1:
        b.add(
          box(SIMD3(x - 0.04, 0, lowerFront - 0.01), SIMD3(x + 0.04, 0.05, keyFront)),
          material: colours.legs)
        b.add(
          Part.revolve(
            [
              .init(r: 0.03, y: 0), .init(r: 0.045, y: 0.1), .init(r: 0.03, y: 0.22),
              .init(r: 0.028, y: keybedBottom - 0.15), .init(r: 0.045, y: keybedBottom - 0.05),
              .init(r: 0.035, y: keybedBottom),
            ], segments: 12
          ).translated(SIMD3(x, 0.04, keyFront - 0.05)),
          material: colours.legs)
      default:
        b.add(
          box(SIMD3(x - 0.04, 0, lowerFront - 0.01), SIMD3(x + 0.04, 0.05, keyFront)),
          material: colours.legs)
        b.add(
          Part.revolve(
            [.init(r: 0.025, y: 0), .init(r: 0.035, y: keybedBottom - 0.04)], segments: 4,
            exponent: 2
          ).rotated(by: Double.pi / 4, about: SIMD3(0, 1, 0))
            .translated(SIMD3(x, 0.04, keyFront - 0.05)),
          material: colours.legs)
      }
    }
    addPedals(&b, count: pedals, y: 0.06, z: lowerFront, colour: colours.pedals)
  }
}
