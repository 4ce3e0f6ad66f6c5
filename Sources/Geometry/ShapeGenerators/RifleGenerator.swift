import Foundation

/// Rifles: a bolt-action sporting rifle with a one-piece stock, or a rifle with a pistol grip
/// and a solid or skeleton stock, with a box or curved magazine and a scope, a red-dot sight,
/// a carry handle or iron sights.
///
/// Parameters (shape units: metres of a real rifle, before normalisation): `stock` (0
/// one-piece sporting stock with a bolt handle, 1 pistol grip and solid buttstock, 2 pistol
/// grip and skeleton stock on a buffer tube), `barrelLength` 0.38–0.7, `barrelRadius`
/// 0.008–0.013, `muzzle` (0 plain, 1 muzzle brake, 2 suppressor, 3 flash hider),
/// `receiverLength` 0.18–0.28, `stockLength` 0.32–0.42 (receiver to butt), `stockDrop`
/// 0–0.05 (how far the butt drops below the bore line), `stockDepth` 0.11–0.15 (height of the
/// butt), `forendLength` 0.35–0.7 (fraction of the barrel under the forend or handguard),
/// `railHandguard` (square railed instead of round), `magazine` (sporting: 0 floorplate, 1
/// short box; pistol grip: 1 straight box, 2 curved), `magazineLength` 0.08–0.24 (a sporting
/// rifle's box is 0.35 times as long), `magazineSlant` 0–0.25 rad (forward rake),
/// `magazineCurve` 0.25–0.5 (forward bow of a curved magazine, fraction of its length),
/// `sight` (0 iron sights, 1 carry handle on a pistol-grip rifle, iron sights on a sporting
/// one, 2 scope on two mounts, 3 red-dot sight), `scopeLength` 0.26–0.4, `objectiveRadius`
/// 0.016–0.03, `bipod` (legs folded down under the forend), `bipodSpread` 0.2–0.5 rad,
/// `foregrip` (vertical grip under a pistol-grip rifle's handguard), `receiverMatchesBarrel`
/// and `magazineMatchesReceiver` (shared colours).
///
/// The barrel lies along x with the muzzle at +x and the bore at y = 0; the grip and magazine
/// point down and the right side (bolt handle, scope windage turret) faces +Z.
enum RifleGenerator {
  static func build(_ b: inout ShapeBuilder) {
    let stock = b.integer("stock", 0...2)
    let barrelLength = b.uniform("barrelLength", 0.38...0.7)
    let barrelRadius = b.uniform("barrelRadius", 0.008...0.013)
    let muzzle = b.integer("muzzle", 0...3)
    let receiverLength = b.uniform("receiverLength", 0.18...0.28)
    let stockLength = b.uniform("stockLength", 0.32...0.42)
    let drop = b.uniform("stockDrop", 0...0.05)
    let depth = b.uniform("stockDepth", 0.11...0.15)
    let forend = b.uniform("forendLength", 0.35...0.7)
    let rail = b.flag("railHandguard", probability: 0.5)
    let magazine = b.integer("magazine", stock == 0 ? 0...1 : 1...2)
    var magazineLength = b.uniform("magazineLength", 0.08...0.24)
    let slant = b.uniform("magazineSlant", 0...0.25)
    let curve = b.uniform("magazineCurve", 0.25...0.5)
    let sight = b.integer("sight", 0...3)
    let scope = sight == 2
    let scopeLength = b.uniform("scopeLength", 0.26...0.4)
    let objective = b.uniform("objectiveRadius", 0.016...0.03)
    let bipod = b.flag("bipod", probability: 0.3)
    let bipodSpread = b.uniform("bipodSpread", 0.2...0.5)
    let foregrip = b.flag("foregrip", probability: stock == 0 ? 0 : 0.4)

    let stockColour = b.material("stock")
    let barrelColour = b.material("barrel")
    let receiverColour =
      b.flag("receiverMatchesBarrel", probability: 0.5) ? barrelColour : b.material("receiver")
    let magazineColour =
      b.flag("magazineMatchesReceiver", probability: 0.5)
      ? receiverColour : b.material("magazine")
    let scopeColour = sight >= 2 ? b.material("scope") : receiverColour

    let sporter = stock == 0
    let muzzleX = receiverLength + barrelLength
    // The side outline `points` (x along the barrel, y up) extruded `thickness` across.
    func slab(_ points: [SIMD2<Double>], _ thickness: Double, z: Double = 0) -> Part {
      Part.extrusion(points, depth: thickness).translated(SIMD3(0, 0, z))
    }

    // Barrel, tapering towards the muzzle.
    b.add(
      Part.tube(
        [0.0, 0.1, 0.3, 0.6, 0.97, 1].map {
          SIMD3(receiverLength - 0.01 + $0 * (barrelLength + 0.01), 0, 0)
        },
        radii: [1.45, 1.35, 1.15, 1.05, 1, 0.92].map { $0 * barrelRadius }, segments: 16),
      material: barrelColour)
    switch muzzle {
    case 1:
      // Muzzle brake: a thicker sleeve with a ported middle.
      let r = barrelRadius * 1.6
      b.add(
        Part.tube(
          [-0.01, 0.0, 0.02, 0.03, 0.05, 0.055].map { SIMD3(muzzleX + $0, 0, 0) },
          radii: [r, r, r * 0.8, r * 0.8, r, r * 0.9], segments: 12),
        material: barrelColour)
    case 2:
      let r = max(barrelRadius * 2.2, 0.02)
      b.add(
        Part.tube(
          [-0.03, -0.02, 0.13, 0.14].map { SIMD3(muzzleX + $0, 0, 0) },
          radii: [r * 0.7, r, r, r * 0.8], segments: 14),
        material: receiverColour)
    case 3:
      // Flash hider: a short slotted cone.
      let r = barrelRadius * 1.3
      b.add(
        Part.tube(
          [-0.005, 0.0, 0.035, 0.05].map { SIMD3(muzzleX + $0, 0, 0) },
          radii: [r, r, r * 1.25, r * 1.2], segments: 12),
        material: barrelColour)
    default:
      break
    }

    // Receiver: a round bolt-action body with a bolt handle, or a box with a charging handle.
    if sporter {
      b.add(
        Part.tube(
          [-0.07, -0.05, 0, receiverLength].map { SIMD3($0, 0.002, 0) },
          radii: [0.009, 0.013, 0.017, 0.017], segments: 14),
        material: receiverColour)
      let root = SIMD3(0.015, 0.0, 0.012)
      let end = SIMD3(0.0, -0.03, 0.07)
      b.add(Part.rod(from: root, to: end, radius: 0.0045, segments: 8), material: receiverColour)
      b.add(
        Part.ellipsoid(radii: SIMD3(0.011, 0.011, 0.011), segments: 10).translated(end),
        material: receiverColour)
    } else {
      let l = receiverLength
      b.add(
        slab(
          [
            SIMD2(-0.02, 0.024), SIMD2(l, 0.024), SIMD2(l + 0.01, 0.0), SIMD2(l, -0.03),
            SIMD2(l - 0.03, -0.048), SIMD2(0.06, -0.05), SIMD2(-0.01, -0.035), SIMD2(-0.03, 0.0),
          ], 0.034),
        material: receiverColour)
      let x = l * 0.62
      b.add(
        Part.rod(from: SIMD3(x, 0.008, 0.0), to: SIMD3(x, 0.008, 0.04), radius: 0.005, segments: 8),
        material: receiverColour)
      b.add(
        Part.ellipsoid(radii: SIMD3(0.008, 0.008, 0.006), segments: 8).translated(
          SIMD3(x, 0.008, 0.042)), material: receiverColour)
    }

    // Stock, grip and forend.
    let heel = SIMD2(-stockLength, -0.02 - drop)
    if sporter {
      let tip = receiverLength + barrelLength * forend * 0.8
      let toe = SIMD2(-stockLength + 0.01, heel.y - depth)
      let gripCap = SIMD2(-0.11, -0.105)
      let belly = (toe + gripCap) / 2 + SIMD2(0, 0.012)
      b.add(
        slab(
          [
            SIMD2(tip, -0.004), SIMD2(tip - 0.04, 0.002), SIMD2(-0.03, -0.004),
            SIMD2(-0.07, -0.012), SIMD2(-0.15, -0.018 - drop * 0.5),
            SIMD2(heel.x + 0.02, heel.y + 0.006),
            heel, SIMD2(heel.x - 0.008, heel.y - depth * 0.5), toe, belly, gripCap,
            SIMD2(-0.08, -0.1), SIMD2(-0.05, -0.062), SIMD2(-0.02, -0.05),
            SIMD2(receiverLength * 0.9, -0.05), SIMD2(tip - 0.07, -0.042), SIMD2(tip, -0.03),
          ], 0.042),
        material: stockColour)
    } else {
      // Pistol grip behind the trigger guard.
      b.add(
        slab(
          [
            SIMD2(0.008, -0.03), SIMD2(-0.04, -0.03), SIMD2(-0.078, -0.14), SIMD2(-0.07, -0.15),
            SIMD2(-0.036, -0.15), SIMD2(-0.03, -0.138), SIMD2(-0.002, -0.06),
          ], 0.03),
        material: stockColour)
      if stock == 1 {
        let toe = SIMD2(-stockLength, heel.y - depth + 0.035)
        b.add(
          slab(
            [
              SIMD2(-0.02, 0.02), heel + SIMD2(0, 0.035), SIMD2(heel.x - 0.006, heel.y - 0.02), toe,
              SIMD2(-stockLength * 0.5, -0.05 - drop * 0.6), SIMD2(-0.02, -0.03),
            ], 0.038),
          material: stockColour)
      } else {
        b.add(
          Part.tube(
            [SIMD3(0, 0, 0), SIMD3(-stockLength * 0.8, 0, 0)], radii: [0.015, 0.015],
            segments: 12),
          material: receiverColour)
        let butt = SIMD3(-stockLength, heel.y - depth * 0.35 + 0.03, 0)
        b.add(
          Part.roundedBox(size: SIMD3(0.022, depth, 0.036), radius: 0.008, segments: 1)
            .translated(butt), material: stockColour)
        for (front, back) in [
          (SIMD3(-0.05, 0.0, 0.0), butt + SIMD3(0, depth * 0.42, 0)),
          (SIMD3(-0.09, -0.02, 0.0), butt + SIMD3(0, -depth * 0.42, 0)),
        ] {
          b.add(Part.rod(from: front, to: back, radius: 0.007, segments: 8), material: stockColour)
        }
      }
      // Handguard round the rear of the barrel.
      let section = Part.superellipse(segments: 16, exponent: rail ? 5 : 2)
      let end = receiverLength + barrelLength * forend
      b.add(
        Part.sweep(
          [SIMD3(receiverLength - 0.005, 0, 0), SIMD3(end, 0, 0)],
          radii: [0.024, rail ? 0.022 : 0.021], section: section),
        material: stockColour)
      if rail {
        b.add(
          slab(
            [
              SIMD2(receiverLength, 0.018), SIMD2(end - 0.01, 0.018), SIMD2(end - 0.01, 0.03),
              SIMD2(receiverLength, 0.03),
            ], 0.016),
          material: receiverColour)
      }
    }

    // A recoil pad on the butt and sling studs under the butt and the forend.
    let padTop = sporter ? heel : heel + SIMD2(0, 0.035)
    let padBottom = SIMD2(
      -stockLength + (sporter ? 0.01 : 0), heel.y - depth + (sporter ? 0 : 0.035))
    if stock != 2 {
      let padDepth = padTop.y - padBottom.y
      b.add(
        Part.roundedBox(size: SIMD3(0.022, padDepth + 0.004, 0.044), radius: 0.007, segments: 2)
          .rotated(by: -0.08, about: SIMD3(0, 0, 1))
          .translated(SIMD3(min(padTop.x, padBottom.x) - 0.008, (padTop.y + padBottom.y) / 2, 0)),
        material: receiverColour)
    }
    let studs = [
      SIMD3(-stockLength * 0.75, padBottom.y * 0.75 - 0.01, 0.0),
      SIMD3(receiverLength + barrelLength * forend * 0.7, sporter ? -0.045 : -0.024, 0.0),
    ]
    for stud in studs where stock != 2 || stud.x > 0 {
      b.add(
        Part.tube(
          [stud + SIMD3(0, 0.01, 0), stud - SIMD3(0, 0.008, 0)], radii: [0.004, 0.004],
          segments: 8),
        material: receiverColour)
      b.add(
        Part.ellipsoid(radii: SIMD3(0.009, 0.009, 0.003), segments: 10)
          .translated(stud - SIMD3(0, 0.014, 0)),
        material: receiverColour)
    }

    // Trigger guard and trigger.
    let guardFront = sporter ? 0.045 : 0.075
    let guardBack = sporter ? -0.04 : -0.005
    let guardTop = sporter ? -0.045 : -0.035
    let guardPath: [SIMD3<Double>] = [
      SIMD3(guardFront, guardTop, 0), SIMD3(guardFront - 0.004, guardTop - 0.025, 0),
      SIMD3(guardFront - 0.018, guardTop - 0.036, 0), SIMD3(guardBack + 0.02, guardTop - 0.038, 0),
      SIMD3(guardBack, guardTop - 0.025, 0),
    ]
    b.add(
      Part.tube(guardPath, radii: Array(repeating: 0.004, count: guardPath.count), segments: 8),
      material: receiverColour)
    let triggerX = (guardFront + guardBack) / 2
    b.add(
      slab(
        [
          SIMD2(triggerX + 0.004, guardTop + 0.005), SIMD2(triggerX - 0.004, guardTop + 0.005),
          SIMD2(triggerX - 0.008, guardTop - 0.015), SIMD2(triggerX - 0.002, guardTop - 0.026),
          SIMD2(triggerX + 0.0, guardTop - 0.016),
        ], 0.006),
      material: receiverColour)

    // Magazine: a box or a curved magazine in front of the trigger guard, or a floorplate.
    if sporter && magazine == 0 {
      b.add(
        slab(
          [
            SIMD2(guardFront, -0.046), SIMD2(guardFront + 0.09, -0.046),
            SIMD2(guardFront + 0.085, -0.054), SIMD2(guardFront + 0.005, -0.054),
          ], 0.03),
        material: receiverColour)
    } else if magazine > 0 {
      if sporter { magazineLength *= 0.35 }
      let bent = magazine == 2 && !sporter ? curve : 0
      let width = 0.072
      let front = guardFront + 0.012 + width
      let top = -0.03
      let count = bent > 0 ? 6 : 2
      func edge(_ x: Double, _ k: Int) -> SIMD2<Double> {
        let t = magazineLength * Double(k) / Double(count - 1)
        return SIMD2(x + t * tan(slant) + bent * t * t / magazineLength, top - t)
      }
      let frontEdge = (0..<count).map { edge(front, $0) }
      let backEdge = (0..<count).reversed().map { edge(front - width, $0) }
      // A base plate a little wider than the body.
      let foot = frontEdge.last!
      let heelPoint = backEdge.first!
      let plate = [
        foot + SIMD2(0.006, 0), foot + SIMD2(0.006, -0.008), heelPoint + SIMD2(-0.006, -0.008),
        heelPoint + SIMD2(-0.006, 0),
      ]
      b.add(
        slab(frontEdge.dropLast() + plate + backEdge.dropFirst(), 0.026),
        material: magazineColour)
    }

    // Sights: a scope on two mounts, or a carry handle or iron sights.
    let railTop = sporter ? 0.017 : 0.024
    if scope {
      let height = max(0.045, objective + 0.028)
      let start = receiverLength * 0.5 - scopeLength * 0.5
      let tubeRadius = 0.0127
      let profile: [Part.ProfilePoint] = [
        .init(r: 0.017, y: 0), .init(r: 0.019, y: 0.012), .init(r: 0.019, y: 0.06),
        .init(r: tubeRadius, y: 0.09), .init(r: tubeRadius, y: scopeLength - 0.1),
        .init(r: objective, y: scopeLength - 0.04), .init(r: objective, y: scopeLength),
      ]
      b.add(
        Part.revolve(profile, segments: 20).rotated(by: -Double.pi / 2, about: SIMD3(0, 0, 1))
          .translated(SIMD3(start, height, 0)),
        material: scopeColour)
      // Elevation turret on top, windage turret on the right (+Z).
      let middle = start + scopeLength * 0.45
      b.add(
        Part.rod(
          from: SIMD3(middle, height, 0), to: SIMD3(middle, height + 0.026, 0), radius: 0.011,
          segments: 12),
        material: scopeColour)
      b.add(
        Part.rod(
          from: SIMD3(middle, height, 0), to: SIMD3(middle, height, 0.026), radius: 0.011,
          segments: 12),
        material: scopeColour)
      for x in [receiverLength * 0.12, receiverLength * 0.8] {
        b.add(
          slab(
            [
              SIMD2(x - 0.012, railTop - 0.004), SIMD2(x + 0.012, railTop - 0.004),
              SIMD2(x + 0.009, height), SIMD2(x - 0.009, height),
            ], 0.022),
          material: receiverColour)
      }
    } else if sight == 3 {
      // A red-dot sight: a short box with a round window on a low mount.
      let x = receiverLength * 0.45
      b.add(
        Part.roundedBox(size: SIMD3(0.07, 0.04, 0.036), radius: 0.01, segments: 2)
          .translated(SIMD3(x, railTop + 0.026, 0)),
        material: scopeColour)
      b.add(
        slab(
          [
            SIMD2(x - 0.03, railTop - 0.004), SIMD2(x + 0.03, railTop - 0.004),
            SIMD2(x + 0.025, railTop + 0.01), SIMD2(x - 0.025, railTop + 0.01),
          ], 0.026),
        material: receiverColour)
    } else if !sporter && sight == 1 {
      let (a, c) = (0.0, receiverLength - 0.03)
      b.add(
        slab(
          [
            SIMD2(a, railTop - 0.004), SIMD2(a + 0.012, railTop - 0.004),
            SIMD2(a + 0.02, railTop + 0.034), SIMD2(c - 0.02, railTop + 0.034),
            SIMD2(c - 0.012, railTop - 0.004), SIMD2(c, railTop - 0.004),
            SIMD2(c - 0.01, railTop + 0.05), SIMD2(a - 0.006, railTop + 0.056),
          ], 0.02),
        material: receiverColour)
    } else {
      b.add(
        slab(
          [
            SIMD2(receiverLength - 0.035, railTop - 0.004),
            SIMD2(receiverLength - 0.005, railTop - 0.004),
            SIMD2(receiverLength - 0.012, railTop + 0.012),
            SIMD2(receiverLength - 0.03, railTop + 0.012),
          ], 0.016),
        material: receiverColour)
    }
    if !scope {
      // Front sight: a post on a band near the muzzle (a tall tower on pistol-grip rifles).
      let x = sporter ? muzzleX - 0.03 : receiverLength + barrelLength * forend + 0.03
      let tall = sporter ? barrelRadius + 0.012 : 0.062
      b.add(
        slab(
          [
            SIMD2(x - 0.014, -barrelRadius * 1.2), SIMD2(x + 0.014, -barrelRadius * 1.2),
            SIMD2(x + 0.006, tall), SIMD2(x - 0.004, tall),
          ], 0.012),
        material: receiverColour)
    }

    if foregrip {
      let x = receiverLength + barrelLength * forend * 0.55
      b.add(
        slab(
          [
            SIMD2(x - 0.018, -0.015), SIMD2(x + 0.018, -0.015), SIMD2(x + 0.014, -0.11),
            SIMD2(x + 0.006, -0.118), SIMD2(x - 0.008, -0.118), SIMD2(x - 0.016, -0.11),
          ], 0.03),
        material: stockColour)
    }
    if bipod {
      let x = receiverLength + barrelLength * forend * (sporter ? 0.7 : 0.85)
      let top = sporter ? -0.04 : -0.022
      let legLength = 0.2
      b.add(
        Part.roundedBox(size: SIMD3(0.03, 0.022, 0.04), radius: 0.006, segments: 1)
          .translated(SIMD3(x, top - 0.005, 0)),
        material: barrelColour)
      for side in [-1.0, 1.0] {
        let root = SIMD3(x, top - 0.01, side * 0.012)
        let foot =
          root
          + SIMD3(
            legLength * 0.12, -legLength * cos(bipodSpread), side * legLength * sin(bipodSpread))
        b.add(Part.rod(from: root, to: foot, radius: 0.006, segments: 8), material: barrelColour)
        b.add(
          Part.ellipsoid(radii: SIMD3(0.012, 0.008, 0.012), segments: 8).translated(foot),
          material: barrelColour)
      }
    }
  }
}
