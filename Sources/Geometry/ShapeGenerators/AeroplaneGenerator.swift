import Foundation

/// Aeroplanes: an airliner, a business jet, a turboprop, a light aircraft or a fighter, each
/// with its own fuselage, wing plan, tail and engines.
///
/// Parameters (shape units: metres of a real aircraft, before normalisation). `layout` 0–7
/// picks the kind: 0–1 airliner with engines under the wings, 2–3 business jet with engines on
/// the rear fuselage, 4 twin turboprop, 5 light aircraft with a nose propeller, 6–7 fighter.
/// Ranges that depend on the kind are listed in that order (airliner / jet / turboprop / light
/// / fighter):
/// - `fuselageLength` 30–70 / 15–32 / 18–30 / 7–10 / 15–22; `fineness` (length over
///   diameter) 9–13 / 8–11 / 7–9.5 / 5.5–7 / 6.5–9;
/// - `noseLength` (in diameters) 1.1–1.8 / 1.3–2.2 / 0.9–1.5 / 0.7–1.0 / 2.5–3.8;
///   `nosePointedness` (profile exponent: 0.5 round, 1 pointed) 0.5–0.7 / 0.55–0.8 /
///   0.5–0.65 / 0.5–0.6 / 0.8–1.1;
/// - `tailCone` (fraction of the length) 0.2–0.3 / 0.22–0.32 / 0.3–0.4 / 0.5–0.6 /
///   0.08–0.14; `tailUpsweep` 0.3–0.9 (how far the tail cone's underside rises);
/// - `wingSpan` (times the length) 0.85–1.1 / 0.75–1.0 / 0.95–1.15 / 1.2–1.45 / 0.5–0.75;
///   `wingSweep` (leading edge, rad) 0.45–0.62 / 0.3–0.55 / 0–0.06 / 0–0.04 / 0.6–1.0;
///   `dihedral` (rad) 0.04–0.11 / 0.02–0.08 / −0.01–0.05 / 0.01–0.07 / −0.08–0.02;
/// - `wingRootChord` (times the length) 0.17–0.22 / 0.15–0.2 / 0.1–0.13 / 0.16–0.2 /
///   0.35–0.5; `wingTaper` (tip over root chord) 0.2–0.32 / 0.3–0.45 / 0.5–0.8 / 0.7–1.0 /
///   0.06–0.25; `wingPlace` (root leading edge behind the nose, fraction of the length)
///   0.36–0.44 / 0.4–0.5 / 0.3–0.38 / 0.22–0.3 / 0.4–0.5;
/// - `wingPosition` (0 low, 1 mid, 2 high; a high-winged light aircraft gets struts) 0 / 0 /
///   0–2 / 0–2 / 1–2; `winglets` (airliners and jets, probability 0.5);
/// - `engines` 1–2 / 1 / 1 / 1 / 1–2 (airliners: two or four under the wings; fighters: one or
///   two exhaust nozzles); `engineSize` (nacelle over fuselage diameter) 0.5–0.7 /
///   0.42–0.55 / 0.35–0.45 / unused / 0.4–0.55; `blades` 2–4 (per propeller);
/// - `tail` (0 conventional, 1 T-tail; fighters: 0 one fin, 1 twin fins) 0–1 / 1 / 0–1 / 0–1 /
///   0–1; `finHeight` (in diameters) 1.3–1.9 / 1.4–2.0 / 1.4–2.0 / 1.2–1.6 / 1.1–1.6;
///   `finSweep` (rad) 0.55–0.8 / 0.6–0.9 / 0.15–0.5 / 0.3–0.6 / 0.65–0.95; `tailplaneSpan`
///   (times the wing span) 0.3–0.42 / 0.3–0.4 / 0.3–0.4 / 0.3–0.38 / 0.45–0.6 (fighters with
///   `wingSweep` ≥ 0.85 are tailless deltas);
/// - `gear` (landing gear down; probability 0.7 for light aircraft, 0.35 otherwise),
///   `wingsMatchFuselage` (one colour for both).
///
/// The nose faces +Z, the wings lie along x and the fuselage (or the wheels) rests on y = 0.
enum AeroplaneGenerator {
  static func build(_ b: inout ShapeBuilder) {
    // Jets are the common case: airliners, business jets and fighters a quarter each.
    let layout = [0, 0, 1, 1, 2, 3, 4, 4][b.integer("layout", 0...7)]
    let (airliner, tailJet, turboprop, light, fighter) = (
      layout == 0, layout == 1, layout == 2, layout == 3, layout == 4
    )
    let propeller = turboprop || light
    // The range of the current layout among airliner, jet, turboprop, light aircraft and
    // fighter ranges.
    func per(_ options: ClosedRange<Double>...) -> ClosedRange<Double> { options[layout] }
    let length = b.uniform("fuselageLength", per(30...70, 15...32, 18...30, 7...10, 15...22))
    let fineness = b.uniform("fineness", per(9...13, 8...11, 7...9.5, 5.5...7, 6.5...9))
    let noseDiameters = b.uniform(
      "noseLength", per(1.1...1.8, 1.3...2.2, 0.9...1.5, 0.7...1.0, 2.5...3.8))
    let pointedness = b.uniform(
      "nosePointedness", per(0.5...0.7, 0.55...0.8, 0.5...0.65, 0.5...0.6, 0.8...1.1))
    let tailCone = b.uniform(
      "tailCone", per(0.2...0.3, 0.22...0.32, 0.3...0.4, 0.5...0.6, 0.08...0.14))
    let upsweep = b.uniform("tailUpsweep", 0.3...0.9)
    let span =
      b.uniform("wingSpan", per(0.85...1.1, 0.75...1.0, 0.95...1.15, 1.2...1.45, 0.5...0.75))
      * length
    let sweep = b.uniform("wingSweep", per(0.45...0.62, 0.3...0.55, 0...0.06, 0...0.04, 0.6...1.0))
    let dihedral = b.uniform(
      "dihedral", per(0.04...0.11, 0.02...0.08, -0.01...0.05, 0.01...0.07, -0.08...0.02))
    let rootChord =
      b.uniform("wingRootChord", per(0.17...0.22, 0.15...0.2, 0.1...0.13, 0.16...0.2, 0.35...0.5))
      * length
    let taper = b.uniform(
      "wingTaper", per(0.2...0.32, 0.3...0.45, 0.5...0.8, 0.7...1.0, 0.06...0.25))
    let wingPlace = b.uniform(
      "wingPlace", per(0.36...0.44, 0.4...0.5, 0.3...0.38, 0.22...0.3, 0.4...0.5))
    let wingPosition = b.integer("wingPosition", [0...0, 0...0, 0...2, 0...2, 1...2][layout])
    let winglets = b.flag("winglets", probability: airliner || tailJet ? 0.5 : 0)
    let engines = b.integer("engines", [1...2, 1...1, 1...1, 1...1, 1...2][layout])
    let engineSize = b.uniform(
      "engineSize", per(0.5...0.7, 0.42...0.55, 0.35...0.45, 0.35...0.45, 0.4...0.55))
    let blades = b.integer("blades", 2...4)
    let tail = b.integer("tail", [0...1, 1...1, 0...1, 0...1, 0...1][layout])
    let finDiameters = b.uniform(
      "finHeight", per(1.3...1.9, 1.4...2.0, 1.4...2.0, 1.2...1.6, 1.1...1.6))
    let finSweep = b.uniform(
      "finSweep", per(0.55...0.8, 0.6...0.9, 0.15...0.5, 0.3...0.6, 0.65...0.95))
    let tailplaneSpan =
      b.uniform("tailplaneSpan", per(0.3...0.42, 0.3...0.4, 0.3...0.4, 0.3...0.38, 0.45...0.6))
      * span
    let gear = b.flag("gear", probability: light ? 0.7 : 0.35)

    let bodyColour = b.material("fuselage")
    let wingColour =
      b.flag("wingsMatchFuselage", probability: 0.5) ? bodyColour : b.material("wings")
    let tailColour = b.material("tail")
    let engineColour = b.material("engines")
    let glassColour = b.material("glass")
    let propellerColour = propeller ? b.material("propeller") : engineColour
    let gearColour = gear ? b.material("gear") : engineColour

    // Fuselage: a sweep along its centre line from the tail (z = 0) to the nose (z = length),
    // through elliptic sections of half-width `radius` and half-height `radius · tallness`.
    let radius = length / fineness / 2
    let tallness = fighter ? 0.82 : 1.06
    let noseFraction = min(noseDiameters * 2 * radius / length, 0.85 - tailCone)
    let tailEnd = fighter ? 0.72 : (light ? 0.16 : (propeller ? 0.14 : 0.1))
    // The half-width at station s (0 tail … 1 nose).
    func halfWidth(_ s: Double) -> Double {
      if s >= 1 - noseFraction {
        let g = (s - (1 - noseFraction)) / noseFraction
        return radius * pow(max(1 - g * g, 0), pointedness)
      }
      if s <= tailCone {
        let f = 1 - s / tailCone
        return radius * (tailEnd + (1 - tailEnd) * (1 - f * f))
      }
      return radius
    }
    // The centre line's height at station s: the tail cone's underside sweeps up, the nose
    // droops a little below the cockpit.
    func centreHeight(_ s: Double) -> Double {
      if s <= tailCone {
        return (radius - halfWidth(s)) * tallness * (fighter ? 0.3 : upsweep)
      }
      if s >= 1 - noseFraction {
        let g = (s - (1 - noseFraction)) / noseFraction
        return -radius * (fighter ? 0.1 : 0.16) * g * g
      }
      return 0
    }
    func station(_ z: Double) -> Double { min(max(z / length, 0), 1) }
    func top(_ z: Double) -> Double {
      centreHeight(station(z)) + halfWidth(station(z)) * tallness
    }
    func bottom(_ z: Double) -> Double {
      centreHeight(station(z)) - halfWidth(station(z)) * tallness
    }

    // Every part is lifted so the lowest point of the fuselage (or the wheels) is near y = 0.
    let gearHeight = radius * (fighter ? 0.9 : 0.75)
    let wheelRadius = radius * (fighter ? 0.3 : (light ? 0.4 : 0.34))
    let lift = radius * tallness + (gear ? gearHeight : 0)
    func add(_ part: Part, _ material: Int32) {
      b.add(part.translated(SIMD3(0, lift, 0)), material: material)
    }

    var stations: [Double] = (0...6).map { tailCone * Double($0) / 6 }
    let bodyEnd = 1 - noseFraction
    stations += (1...3).map { tailCone + (bodyEnd - tailCone) * Double($0) / 4 }
    stations += (0...9).map { bodyEnd + noseFraction * sin(Double($0) / 9 * Double.pi / 2) }
    let section = Part.superellipse(segments: 16, exponent: fighter ? 2.6 : 2).map {
      SIMD2($0.x, $0.y * tallness)
    }
    add(
      Part.sweep(
        stations.map { SIMD3(0, centreHeight($0), $0 * length) },
        radii: stations.dropLast().map { halfWidth($0) } + [0], section: section),
      bodyColour)

    // Cockpit glazing and cabin windows.
    let noseStart = length * bodyEnd
    if fighter {
      let z = noseStart - radius * 0.3
      add(
        Part.ellipsoid(radii: SIMD3(radius * 0.5, radius * 0.55, length * 0.11), segments: 16)
          .translated(SIMD3(0, top(z) - radius * 0.1, z)), glassColour)
    } else {
      // A windscreen band round the top of the nose.
      let z = noseStart + noseFraction * length * (light ? 0.05 : 0.3)
      let r = halfWidth(station(z))
      add(
        Part.ellipsoid(
          radii: SIMD3(r * 1.02, r * 0.3, noseFraction * length * (light ? 0.3 : 0.16)),
          segments: 16
        ).translated(SIMD3(0, centreHeight(station(z)) + r * tallness * 0.45, z)), glassColour)
      // A row of windows on each side, drawn as one dark band.
      let front = noseStart - radius * (light ? 0.1 : 0.6)
      let back = light ? noseStart - radius * 2.2 : length * tailCone * (propeller ? 1.3 : 1.0)
      for side in [-1.0, 1.0] {
        add(
          Part.ellipsoid(
            radii: SIMD3(radius * 0.06, radius * (light ? 0.3 : 0.11), (front - back) / 2)
          ).translated(
            SIMD3(side * radius * 0.99, radius * (light ? 0.4 : 0.28), (front + back) / 2)),
          glassColour)
      }
    }

    // Wings: one loft from the left tip through the root to the right tip.
    let semispan = span / 2
    let rootY: Double = [-0.55, 0.0, 0.72][wingPosition] * radius * tallness
    let rootLeadingEdge = max(length * (1 - wingPlace), rootChord + length * 0.04)
    let tipChord = rootChord * taper
    let wingThickness = fighter ? 0.05 : (propeller ? 0.14 : 0.12)
    // The leading edge, chord and height of the wing at spanwise distance x from the centre.
    func wingLeadingEdge(_ x: Double) -> SIMD3<Double> {
      SIMD3(x, rootY + abs(x) * tan(dihedral), rootLeadingEdge - abs(x) * tan(sweep))
    }
    func wingChord(_ x: Double) -> Double {
      if airliner {
        // A straight trailing edge out to the kink, then tapering to the tip.
        let kink = semispan * 0.32
        let kinkChord = max(rootChord - kink * tan(sweep), tipChord * 1.5)
        if abs(x) <= kink { return rootChord + (kinkChord - rootChord) * abs(x) / kink }
        return kinkChord + (tipChord - kinkChord) * (abs(x) - kink) / (semispan - kink)
      }
      return rootChord + (tipChord - rootChord) * abs(x) / semispan
    }
    let spanStations: [Double] = airliner ? [0, 0.32, 0.7, 1] : [0, 0.5, 1]
    let wingXs =
      spanStations.reversed().map { -$0 * semispan }
      + spanStations.dropFirst().map {
        $0 * semispan
      }
    add(
      surface(
        wingXs.map { x in
          (wingLeadingEdge(x), wingChord(x), wingThickness * (1 - 0.2 * abs(x) / semispan))
        }, vertical: false),
      wingColour)
    if winglets {
      for side in [-1.0, 1.0] {
        let tip = wingLeadingEdge(side * semispan)
        let height = tipChord * 1.3
        let lean = 0.25 * side
        let part = surface(
          [
            (SIMD3(tip.x, tip.y - tipChord * 0.1, tip.z), tipChord * 0.95, 0.1),
            (
              SIMD3(tip.x + lean * height, tip.y + height, tip.z - height * tan(sweep + 0.1)),
              tipChord * 0.4, 0.1
            ),
          ], vertical: true)
        add(part, wingColour)
      }
    }

    // Engines.
    let engineRadius = engineSize * radius
    func nacelle(front: Double, length nacelleLength: Double, at p: SIMD2<Double>) {
      let (x, y) = (p.x, p.y)
      let zs = [0, 0.12, 0.3, 0.75, 0.96, 1].map { front - nacelleLength + $0 * nacelleLength }
      let radii = [0.45, 0.78, 0.96, 1, 0.97, 0.9].map { $0 * engineRadius }
      add(Part.tube(zs.map { SIMD3(x, y, $0) }, radii: radii, segments: 14), engineColour)
      if !propeller {
        // The dark fan face just inside the intake lip.
        add(
          Part.tube(
            [SIMD3(x, y, front - nacelleLength * 0.05), SIMD3(x, y, front + nacelleLength * 0.01)],
            radii: [engineRadius * 0.8, engineRadius * 0.8], segments: 14),
          glassColour)
      }
    }
    func spinnerAndBlades(at centre: SIMD3<Double>, bladeLength: Double) {
      let hub = bladeLength * 0.16
      add(
        Part.tube(
          [0, 0.5, 0.85, 1.0].map { centre + SIMD3(0, 0, hub * 1.8 * $0 - hub * 0.4) },
          radii: [hub, hub * 0.85, hub * 0.5, 0], segments: 12),
        propellerColour)
      for k in 0..<blades {
        let angle = 2 * Double.pi * (Double(k) + 0.25) / Double(blades)
        let blade = Part.ellipsoid(
          radii: SIMD3(bladeLength * 0.075, bladeLength / 2, bladeLength * 0.02), segments: 10
        )
        .rotated(by: 0.5, about: SIMD3(0, 1, 0))
        .translated(SIMD3(0, bladeLength / 2, 0))
        .rotated(by: angle, about: SIMD3(0, 0, 1))
        add(blade.translated(centre), propellerColour)
      }
    }
    switch layout {
    case 0:
      let positions: [Double] = engines == 1 ? [0.34] : [0.24, 0.5]
      let nacelleLength = engineRadius * 2 * 1.8
      for fraction in positions {
        for side in [-1.0, 1.0] {
          let x = side * fraction * semispan
          let edge = wingLeadingEdge(x)
          let y = edge.y - engineRadius * 1.15
          let front = edge.z + nacelleLength * 0.55
          nacelle(front: front, length: nacelleLength, at: SIMD2(x, y))
          add(
            surface(
              [
                (
                  SIMD3(x, y + engineRadius * 0.5, front - nacelleLength * 0.3),
                  nacelleLength * 0.75, 0.08
                ),
                (SIMD3(x, edge.y + 0.05 * radius, edge.z), wingChord(x) * 0.7, 0.08),
              ], vertical: true),
            engineColour)
        }
      }
    case 1:
      let nacelleLength = engineRadius * 2 * 2.2
      let front = length * (tailCone + 0.14)
      let z = front - nacelleLength / 2
      let y = centreHeight(station(z)) + radius * 0.3
      let x = halfWidth(station(z)) * 0.95 + engineRadius * 1.25
      for side in [-1.0, 1.0] {
        nacelle(front: front, length: nacelleLength, at: SIMD2(side * x, y))
      }
      // One pylon through the fuselage carries both engines.
      add(
        surface(
          [
            (SIMD3(-x, y, front - nacelleLength * 0.25), nacelleLength * 0.5, 0.1),
            (SIMD3(0, y, front - nacelleLength * 0.2), nacelleLength * 0.6, 0.1),
            (SIMD3(x, y, front - nacelleLength * 0.25), nacelleLength * 0.5, 0.1),
          ], vertical: false),
        engineColour)
    case 2:
      let nacelleLength = rootChord * 1.6
      for side in [-1.0, 1.0] {
        let x = side * semispan * 0.3
        let edge = wingLeadingEdge(x)
        let y = edge.y - (wingPosition == 2 ? engineRadius * 0.35 : -engineRadius * 0.1)
        let front = edge.z + nacelleLength * 0.45
        nacelle(front: front, length: nacelleLength, at: SIMD2(x, y))
        spinnerAndBlades(at: SIMD3(x, y, front), bladeLength: engineRadius * 3.6)
      }
    case 3:
      spinnerAndBlades(at: SIMD3(0, centreHeight(1), length), bladeLength: radius * 1.7)
      if wingPosition == 2 {
        // Struts from the lower fuselage to the underside of each wing.
        let z = rootLeadingEdge - rootChord * 0.35
        for side in [-1.0, 1.0] {
          let x = side * semispan * 0.55
          add(
            Part.rod(
              from: SIMD3(side * radius * 0.75, -radius * 0.45, z),
              to: SIMD3(x, wingLeadingEdge(x).y - rootChord * 0.03, z), radius: radius * 0.05,
              segments: 8),
            wingColour)
        }
      }
    default:
      // Intakes on both sides and exhaust nozzles at the tail.
      let mouth = rootLeadingEdge + radius * 0.8
      let intakeRadius = radius * 0.42
      let intakeSection = Part.superellipse(segments: 12, exponent: 3.5).map {
        SIMD2($0.x * 0.9, $0.y * 1.2)
      }
      for side in [-1.0, 1.0] {
        let x = side * radius * 0.9
        let y = -radius * 0.25
        add(
          Part.sweep(
            [SIMD3(x, y, length * tailCone * 1.5), SIMD3(x, y, mouth)],
            radii: [intakeRadius * 0.9, intakeRadius], section: intakeSection),
          bodyColour)
        add(
          Part.sweep(
            [SIMD3(x, y, mouth - radius * 0.3), SIMD3(x, y, mouth + radius * 0.02)],
            radii: [intakeRadius * 0.8, intakeRadius * 0.8], section: intakeSection),
          glassColour)
      }
      let nozzleRadius = engines == 1 ? radius * 0.62 : radius * 0.4
      let offsets = engines == 1 ? [0.0] : [-radius * 0.42, radius * 0.42]
      for x in offsets {
        let y = centreHeight(0)
        add(
          Part.tube(
            [SIMD3(x, y, -length * 0.04), SIMD3(x, y, length * 0.02), SIMD3(x, y, length * 0.05)],
            radii: [nozzleRadius * 0.9, nozzleRadius, nozzleRadius], segments: 14),
          engineColour)
      }
    }

    // Tail: fin(s) and tailplane.
    let finHeight = finDiameters * 2 * radius
    let finRootChord = finHeight * (tail == 1 && !fighter ? 1.05 : 1.15)
    let finTrailing = length * (fighter ? 0.01 : 0.03)
    let finRootY = top(finTrailing) - radius * 0.12
    let finRootLeading = finTrailing + finRootChord
    let finTipChord = finRootChord * (tail == 1 && !fighter ? 0.75 : 0.42)
    let finTip = SIMD3(
      0, finRootY + finHeight, finRootLeading - finHeight * tan(finSweep))
    let fin = surface(
      [
        (SIMD3(0, finRootY, finRootLeading), finRootChord, 0.11),
        (finTip, finTipChord, 0.1),
      ], vertical: true)
    if fighter && tail == 1 {
      for side in [-1.0, 1.0] {
        add(
          fin.rotated(by: -side * 0.35, about: SIMD3(0, 0, 1))
            .translated(SIMD3(side * radius * 0.55, -radius * 0.1, 0)),
          tailColour)
      }
    } else {
      add(fin, tailColour)
    }
    let tailless = fighter && sweep >= 0.85
    if !tailless {
      let halfSpan = tailplaneSpan / 2
      let planeRoot = min(rootChord * (fighter ? 0.4 : 0.55), finRootChord * 0.9)
      let planeSweep = propeller ? sweep + 0.12 : sweep + 0.05
      var leading: SIMD3<Double>
      if tail == 1 && !fighter {
        leading = SIMD3(0, finTip.y - radius * 0.05, finTip.z + finTipChord * 0.15)
      } else {
        let trailing = length * (fighter ? -0.02 : 0.02)
        leading = SIMD3(0, centreHeight(station(trailing + planeRoot / 2)), trailing + planeRoot)
      }
      let tipOffset = SIMD3(halfSpan, halfSpan * 0.06, -halfSpan * tan(planeSweep))
      let sections = [-1.0, 0, 1].map { side in
        (
          leading + tipOffset * SIMD3(side, abs(side), abs(side)),
          planeRoot * (side == 0 ? 1 : 0.45), 0.1
        )
      }
      add(surface(sections, vertical: false), tailColour)
    }

    // Landing gear: a nose wheel and two main wheels on struts.
    if gear {
      let ground = -radius * tallness - gearHeight
      let wheelY = ground + wheelRadius
      let strut = radius * 0.07
      func leg(_ x: Double, _ z: Double, from y: Double, wheels: [Double]) {
        add(
          Part.rod(from: SIMD3(x, y, z), to: SIMD3(x, wheelY, z), radius: strut, segments: 8),
          gearColour)
        for dx in wheels {
          add(
            Part.tube(
              [
                SIMD3(x + dx - wheelRadius * 0.35, wheelY, z),
                SIMD3(x + dx + wheelRadius * 0.35, wheelY, z),
              ],
              radii: [wheelRadius, wheelRadius], segments: 12),
            gearColour)
        }
      }
      let noseZ = length * (1 - noseFraction * (fighter ? 1.2 : 0.75))
      leg(0, noseZ, from: bottom(noseZ) + radius * 0.2, wheels: [0])
      let mainZ = rootLeadingEdge - rootChord * (fighter ? 0.7 : 0.55)
      let spread = wingPosition == 0 ? radius * 1.3 : radius * 0.85
      for side in [-1.0, 1.0] {
        let from = wingPosition == 0 ? rootY + spread * tan(dihedral) : bottom(mainZ) + radius * 0.3
        leg(side * spread, mainZ, from: from, wheels: [side * wheelRadius * 0.4])
      }
    }
  }

  /// A lifting surface (wing, fin, tailplane, pylon) lofted through airfoil sections.
  ///
  /// Each section is a symmetric four-digit NACA profile with its leading edge at the given
  /// point and its chord running towards −z; the thickness (a fraction of the chord) lies along
  /// y for a horizontal surface and along x for a vertical one.
  private static func surface(
    _ sections: [(leadingEdge: SIMD3<Double>, chord: Double, thickness: Double)],
    vertical: Bool, points: Int = 14
  ) -> Part {
    Part.loft(
      sections.map { section in
        (0..<points).map { i in
          let theta = 2 * Double.pi * Double(i) / Double(points)
          let u = (1 - cos(theta)) / 2
          // NACA 00xx half-thickness with a closed trailing edge.
          let shape =
            0.2969 * u.squareRoot() - 0.1260 * u - 0.3516 * u * u + 0.2843 * u * u * u
            - 0.1036 * u * u * u * u
          let half = 5 * section.thickness * section.chord * shape * (sin(theta) >= 0 ? 1 : -1)
          let across = vertical ? SIMD3(half, 0, 0) : SIMD3(0, half, 0)
          return section.leadingEdge + across + SIMD3(0, 0, -u * section.chord)
        }
      })
  }
}
