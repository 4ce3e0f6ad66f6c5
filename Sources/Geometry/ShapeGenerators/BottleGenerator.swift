/// Bottles: wine, beer, water, spirits and sauce bottles, lathed with round or squared bodies.
///
/// Parameters (shape units ≈ metres): `kind` (0 wine, 1 beer, 2 water, 3 spirits, 4 flask),
/// `height` 0.2–0.34, `radius` (body radius as a fraction of the height: wine 0.12–0.16, beer
/// 0.13–0.18, water 0.16–0.24, spirits 0.15–0.25, flask 0.22–0.35),
/// `shoulder` (0 round, 1 conical, 2 stepped), `shoulderHeight` 0.5–0.72 of the height,
/// `neckRadius` 0.22–0.38 of the body radius, `lip` (a bead at the mouth), `cap` (0 none/cork,
/// 1 screw cap, 2 tall stopper), `label` (a label band), `labelHeight` 0.25–0.55, `squareness`
/// (ring exponent: 2 round, up to 5 for square bottles; only for spirits and flasks).
enum BottleGenerator {
  static func build(_ b: inout ShapeBuilder) {
    let kind = b.integer("kind", 0...4)
    let height = b.uniform("height", 0.2...0.34)
    let widths: [ClosedRange<Double>] = [
      0.12...0.16, 0.13...0.18, 0.16...0.24, 0.15...0.25, 0.22...0.35,
    ]
    let radius = height * b.uniform("radius", widths[kind])
    let shoulder = b.integer("shoulder", 0...2)
    var shoulderHeight = height * b.uniform("shoulderHeight", 0.5...0.72)
    let neck = radius * b.uniform("neckRadius", 0.22...0.38)
    let lip = b.flag("lip", probability: 0.6)
    let cap = b.integer("cap", 0...2)
    let label = b.flag("label", probability: 0.5)
    let labelHeight = b.uniform("labelHeight", 0.25...0.55)
    let squareness =
      kind >= 3 && b.flag("square", probability: 0.6) ? b.uniform("squareness", 3...5) : 2
    // Wine and beer bottles have long necks; water bottles short, wide ones.
    if kind == 2 { shoulderHeight = max(shoulderHeight, height * 0.7) }
    let neckTop = height * (kind == 2 ? 0.93 : 0.96)
    let neckRadius = kind == 2 ? neck * 1.4 : neck

    let glass = b.material("glass")
    var outline: [SIMD2<Double>] = [
      SIMD2(0, 0), SIMD2(radius * 0.92, 0), SIMD2(radius, radius * 0.1),
      SIMD2(radius, shoulderHeight),
    ]
    let neckBottom = shoulderHeight + (neckTop - shoulderHeight) * (kind == 1 ? 0.35 : 0.45)
    switch shoulder {
    case 0:
      outline += Curve.catmullRom(
        [
          SIMD2(radius, shoulderHeight),
          SIMD2(radius * 0.8, shoulderHeight + (neckBottom - shoulderHeight) * 0.55),
          SIMD2(neckRadius * 1.05, neckBottom),
        ], samples: 5
      ).dropFirst()
    case 1:
      outline.append(SIMD2(neckRadius, neckBottom))
    default:
      let step = shoulderHeight + (neckBottom - shoulderHeight) * 0.3
      outline += [SIMD2(radius * 0.55, step), SIMD2(neckRadius * 1.1, neckBottom)]
    }
    outline.append(SIMD2(neckRadius, neckTop - height * 0.02))
    if lip {
      outline += [
        SIMD2(neckRadius * 1.25, neckTop - height * 0.015), SIMD2(neckRadius * 1.25, neckTop),
      ]
    } else {
      outline.append(SIMD2(neckRadius, neckTop))
    }
    // The mouth: a shallow dimple closed at the axis.
    outline += [SIMD2(neckRadius * 0.7, neckTop), SIMD2(0, neckTop - height * 0.01)]
    var profile: [Part.ProfilePoint] = []
    for p in outline where profile.last.map({ $0.x != p.x || $0.y != p.y }) ?? true {
      profile.append(Part.ProfilePoint(r: p.x, y: p.y))
    }
    // Square bottles: x and z half-widths equal, rings rounded squares (the neck stays round
    // enough because its radius is small).
    b.add(Part.revolve(profile, segments: 36, exponent: squareness), material: glass)

    if label {
      let y0 = height * labelHeight * 0.55
      let y1 = min(shoulderHeight * 0.95, y0 + height * labelHeight * 0.6)
      let r = radius + 0.0015
      let band = Part.revolve(
        [
          Part.ProfilePoint(r: r * 0.97, y: y0), Part.ProfilePoint(r: r, y: y0 + 0.001),
          Part.ProfilePoint(r: r, y: y1 - 0.001), Part.ProfilePoint(r: r * 0.97, y: y1),
        ], segments: 36, exponent: squareness)
      b.add(band, material: b.material("label"))
    }
    if cap > 0 {
      let capRadius = (lip ? neckRadius * 1.3 : neckRadius * 1.1)
      let capHeight = cap == 1 ? height * 0.06 : height * 0.1
      let top = neckTop - height * 0.03
      let shape: [Part.ProfilePoint] =
        cap == 1
        ? [
          Part.ProfilePoint(r: capRadius, y: top),
          Part.ProfilePoint(r: capRadius, y: top + capHeight),
          Part.ProfilePoint(r: capRadius * 0.9, y: top + capHeight * 1.05),
        ]
        : [
          Part.ProfilePoint(r: neckRadius * 0.9, y: top),
          Part.ProfilePoint(r: neckRadius * 0.9, y: top + capHeight * 0.5),
          Part.ProfilePoint(r: capRadius * 1.3, y: top + capHeight * 0.6),
          Part.ProfilePoint(r: capRadius * 1.2, y: top + capHeight),
          Part.ProfilePoint(r: capRadius * 0.6, y: top + capHeight * 1.08),
        ]
      b.add(Part.revolve(shape, segments: 24), material: b.material("cap"))
    }
  }
}
