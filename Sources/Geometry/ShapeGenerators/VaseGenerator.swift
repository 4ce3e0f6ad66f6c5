import Foundation

/// Vases: amphorae, cylinders, bulbs, trumpets and urns, lathed open at the top, some with
/// handles.
///
/// Parameters (shape units ≈ metres): `profile` (0 amphora, 1 cylinder, 2 bulb, 3 trumpet,
/// 4 urn), `height` 0.25–0.5, `width` (widest radius as a fraction of the height: 0.16–0.3),
/// `neck` (narrowest radius as a fraction of the widest: 0.35–0.6), `mouth` (lip radius as a
/// fraction of the widest: 0.5–0.9), `belly` (height of the widest point: 0.3–0.55),
/// `footHeight` 0–0.08 of the height (a foot ring), `handles` (two handles, mostly on
/// amphorae and urns), `squareness` (ring exponent 2 round, up to 4 square, for a quarter of
/// the vases), `band` (a coloured band).
enum VaseGenerator {
  static func build(_ b: inout ShapeBuilder) {
    let kind = b.integer("profile", 0...4)
    let height = b.uniform("height", 0.25...0.5)
    let widest = height * b.uniform("width", 0.16...0.3)
    let neck = widest * b.uniform("neck", 0.35...0.6)
    let mouth = widest * b.uniform("mouth", 0.5...0.9)
    let belly = b.uniform("belly", 0.3...0.55)
    let foot = height * b.uniform("footHeight", 0...0.08)
    let handles = b.flag("handles", probability: kind == 0 || kind == 4 ? 0.75 : 0.15)
    let squareness = b.flag("square", probability: 0.25) ? b.uniform("squareness", 2.5...4) : 2
    let band = b.flag("band", probability: 0.4)

    let body = b.material("body")
    // Control points (radius, height) of the outer outline above the foot.
    let h = height - foot
    var control: [SIMD2<Double>]
    switch kind {
    case 0:  // amphora: wide belly, narrow neck, flared lip
      control = [
        SIMD2(widest * 0.45, 0), SIMD2(widest, h * belly), SIMD2(neck, h * 0.82),
        SIMD2(neck * 1.05, h * 0.92), SIMD2(mouth, h),
      ]
    case 1:  // cylinder: nearly straight, slight flare
      control = [
        SIMD2(widest * 0.85, 0), SIMD2(widest * 0.9, h * 0.4), SIMD2(widest * 0.95, h * 0.8),
        SIMD2(max(mouth, widest), h),
      ]
    case 2:  // bulb: round body, short neck
      control = [
        SIMD2(widest * 0.5, 0), SIMD2(widest, h * belly * 0.8), SIMD2(widest * 0.75, h * 0.72),
        SIMD2(neck * 0.8, h * 0.86), SIMD2(mouth * 0.7, h),
      ]
    case 3:  // trumpet: narrow waist, wide flare
      control = [
        SIMD2(widest * 0.6, 0), SIMD2(neck * 0.8, h * 0.45), SIMD2(widest * 0.7, h * 0.8),
        SIMD2(widest * 1.05, h),
      ]
    default:  // urn: shouldered body on a stem
      control = [
        SIMD2(widest * 0.3, 0), SIMD2(widest * 0.75, h * belly * 0.7), SIMD2(widest, h * 0.62),
        SIMD2(neck * 1.1, h * 0.8), SIMD2(mouth, h),
      ]
    }
    var outline = Curve.catmullRom(control, samples: 6).map { SIMD2($0.x, $0.y + foot) }
    if foot > 0 {
      let base = control[0].x * 1.15
      outline = [SIMD2(base, 0), SIMD2(base, foot * 0.7), SIMD2(control[0].x, foot)] + outline
    }
    let wall = max(height * 0.012, 0.003)
    let inside = height * (kind == 3 ? 0.45 : 0.25)
    let profile = LatheProfile.vessel(outer: outline, wall: wall, floor: height - inside)
    b.add(Part.revolve(profile, segments: 28, exponent: squareness), material: body)

    if band {
      let at = b.uniform("bandAt", 0.25...0.6)
      let index = min(outline.count - 2, Int(at * Double(outline.count)))
      let (p, q) = (outline[index], outline[index + 1])
      let ring = Part.revolve(
        [
          Part.ProfilePoint(r: p.x * 0.98, y: p.y - height * 0.01),
          Part.ProfilePoint(r: p.x + 0.003, y: p.y),
          Part.ProfilePoint(r: q.x + 0.003, y: q.y + height * 0.03),
          Part.ProfilePoint(r: q.x * 0.98, y: q.y + height * 0.04),
        ], segments: 28, exponent: squareness)
      b.add(ring, material: b.material("band"))
    }

    if handles {
      // Two handles on the ±x sides, from the neck down to the shoulder.
      let top = height * 0.86
      let bottom = foot + h * max(belly, 0.5) * 0.95
      for side in [-1.0, 1.0] {
        var path: [SIMD3<Double>] = []
        for k in 0...10 {
          let t = Double(k) / 10
          let y = top + (bottom - top) * t
          let base = neck + (widest * 0.9 - neck) * t
          let out = widest * 0.3 * sin(Double.pi * t) + (1 - t) * widest * 0.12
          path.append(SIMD3(side * (base * 0.9 + out), y, 0))
        }
        b.add(
          Part.tube(path, radii: Array(repeating: height * 0.014, count: path.count), segments: 8),
          material: body)
      }
    }
  }
}
