import Foundation

/// Cups: mugs, tea cups (often on a saucer) and tumblers, lathed with a hollow inside.
///
/// Parameters (shape units ≈ metres): `style` (0–2 mug, 3–5 tea cup, 6–7 tumbler), `height`
/// (mug 0.085–0.12, tea cup 0.055–0.075, tumbler 0.08–0.12), `radius` (top radius: mug
/// 0.038–0.05, tea cup 0.045–0.06, tumbler 0.036–0.05), `taper` (bottom radius as a fraction of the top:
/// mug 0.85–1.05, tea cup 0.45–0.6, tumbler 0.7–0.9), `bulge` (outward bow of the side,
/// −0.05–0.12 of the radius), `wall` 0.004–0.008, `handleShape` (0 round loop, 1 squared D,
/// 2 ear), `handleSize` 0.5–0.8 of the height, `saucer` (tea cups only: on a saucer), `band`
/// (a coloured band round the body). Tumblers have no handle; the handle points towards +x.
enum CupGenerator {
  static func build(_ b: inout ShapeBuilder) {
    // Mugs and tea cups are the common cups; tumblers a quarter.
    let style = b.choice("style", [0, 0, 0, 1, 1, 1, 2, 2])
    let (heights, radii, tapers): (ClosedRange<Double>, ClosedRange<Double>, ClosedRange<Double>) =
      switch style {
      case 0: (0.085...0.12, 0.038...0.05, 0.85...1.05)
      case 1: (0.055...0.075, 0.045...0.06, 0.45...0.6)
      default: (0.08...0.12, 0.036...0.05, 0.7...0.9)
      }
    let height = b.uniform("height", heights)
    let radius = b.uniform("radius", radii)
    let taper = b.uniform("taper", tapers)
    let bulge = b.uniform("bulge", -0.05...0.12)
    let wall = b.uniform("wall", 0.004...0.008)
    let handleShape = b.integer("handleShape", 0...2)
    let handleSize = b.uniform("handleSize", 0.5...0.8)
    let saucer = style == 1 && b.flag("saucer", probability: 0.6)
    let band = b.flag("band", probability: 0.35)

    let body = b.material("body")
    let base = radius * taper
    // Tea cups stand on a small foot ring; mugs and tumblers on a bevelled base.
    let foot = style == 1 ? height * 0.08 : 0
    var outline: [SIMD2<Double>] = []
    if style == 1 {
      outline = [SIMD2(base * 0.75, 0), SIMD2(base * 0.7, foot), SIMD2(base, foot * 1.3)]
    } else {
      outline = [SIMD2(base * 0.94, 0), SIMD2(base, wall * 0.8)]
    }
    let control = [
      outline.last!, SIMD2((base + radius) / 2 * (1 + bulge), foot + (height - foot) * 0.45),
      SIMD2(radius, height),
    ]
    outline += Curve.catmullRom(control, samples: 6).dropFirst()
    let profile = LatheProfile.vessel(outer: outline, wall: wall, floor: foot + wall * 1.5)
    b.add(Part.revolve(profile, segments: 28), material: body)

    if band {
      let y0 = height * b.uniform("bandHeight", 0.35...0.65)
      let r = radius * (1 + bulge * 0.6) * (0.5 + 0.5 * taper) + 0.0015
      let ring = Part.revolve(
        [
          Part.ProfilePoint(r: r - 0.003, y: y0), Part.ProfilePoint(r: r, y: y0 + 0.002),
          Part.ProfilePoint(r: r, y: y0 + height * 0.12),
          Part.ProfilePoint(r: r - 0.003, y: y0 + height * 0.12 + 0.002),
        ], segments: 28)
      b.add(ring, material: b.material("band"))
    }

    if style != 2 {
      // The handle: a loop in the xy-plane on the +x side, from below the rim to the lower body.
      let top = height * 0.82
      let span = height * handleSize
      let bottom = top - span
      let reach = radius * (handleShape == 2 ? 0.55 : 0.7)
      let x0 = radius * 0.92
      var path: [SIMD3<Double>] = []
      let steps = 12
      for k in 0...steps {
        let t = Double(k) / Double(steps)
        let angle = Double.pi * t
        let y = (top + bottom) / 2 + span / 2 * cos(angle)
        let out: Double
        switch handleShape {
        case 0: out = sin(angle)
        case 1: out = min(1, 1.6 * sin(angle))
        default: out = sin(angle) * (1.2 - 0.5 * t)
        }
        path.append(SIMD3(x0 + reach * out, y, 0))
      }
      let thickness = max(wall * 1.3, height * 0.055)
      let section = Part.superellipse(segments: 10).map { SIMD2($0.x * 0.75, $0.y) }
      b.add(
        Part.sweep(
          path, radii: Array(repeating: thickness / 2, count: path.count), section: section),
        material: body)
    }

    if saucer {
      let r = radius * b.uniform("saucerSize", 1.6...2.0)
      let dish = [
        Part.ProfilePoint(r: 0, y: -0.004), Part.ProfilePoint(r: r * 0.4, y: -0.004),
        Part.ProfilePoint(r: r * 0.45, y: -0.008), Part.ProfilePoint(r: r, y: 0.004),
        Part.ProfilePoint(r: r * 0.97, y: 0.008), Part.ProfilePoint(r: r * 0.5, y: -0.001),
        Part.ProfilePoint(r: 0, y: -0.001),
      ]
      b.add(
        Part.revolve(dish, segments: 32).translated(SIMD3(0, 0.001, 0)),
        material: b.material("saucer"))
    }
  }
}
