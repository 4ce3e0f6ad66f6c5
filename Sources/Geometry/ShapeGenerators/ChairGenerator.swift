import Foundation

/// Chairs: a seat on four legs, a sled frame or an office pedestal, with a panel, slatted or
/// ladder back, with or without arms.
///
/// Parameters (shape units: metres of a real chair, before normalisation): `seatWidth`
/// 0.40–0.56, `seatDepth` 0.38–0.52, `seatHeight` 0.40–0.50, `seatThickness` 0.025–0.08,
/// `base` (0 four legs, 1 sled, 2 pedestal), `legRound` (round or square legs), `legThickness`
/// 0.025–0.05, `splay` 0–0.05 (feet pushed outwards), `stretchers` (rails between the legs),
/// `back` (0 panel, 1 vertical slats, 2 horizontal rails), `slats` 3–6, `rails` 2–4,
/// `backHeight` 0.30–0.60 above the seat, `backTilt` 0–0.25 rad, `arms` (armrests),
/// `armHeight` 0.18–0.28 above the seat. The seat's front faces +Z.
enum ChairGenerator {
  static func build(_ b: inout ShapeBuilder) {
    let width = b.uniform("seatWidth", 0.40...0.56)
    let depth = b.uniform("seatDepth", 0.38...0.52)
    let height = b.uniform("seatHeight", 0.40...0.50)
    let thickness = b.uniform("seatThickness", 0.025...0.08)
    let base = b.integer("base", 0...2)
    let legRound = b.flag("legRound", probability: 0.5)
    let leg = b.uniform("legThickness", 0.025...0.05)
    let splay = b.uniform("splay", 0...0.05)
    let stretchers = b.flag("stretchers", probability: 0.4)
    let back = b.integer("back", 0...2)
    let slats = b.integer("slats", 3...6)
    let rails = b.integer("rails", 2...4)
    let backHeight = b.uniform("backHeight", 0.30...0.60)
    let tilt = b.uniform("backTilt", 0...0.25)
    let arms = b.flag("arms", probability: 0.4)
    let armHeight = b.uniform("armHeight", 0.18...0.28)

    let seatColour = b.material("seat")
    let frameColour = b.material("frame")
    let backColour = b.flag("backMatchesSeat", probability: 0.6) ? seatColour : b.material("back")

    // Seat.
    let seatBottom = height - thickness
    b.add(
      Part.roundedBox(
        size: SIMD3(width, thickness, depth), radius: min(thickness * 0.45, 0.025), segments: 2
      ).translated(SIMD3(0, height - thickness / 2, 0)), material: seatColour)

    // A straight leg from the floor to the seat's underside.
    func post(_ foot: SIMD3<Double>, _ top: SIMD3<Double>, _ size: Double) -> Part {
      if legRound {
        return Part.tube([foot, top], radii: [size * 0.42, size / 2], segments: 10)
      }
      let centre = (foot + top) / 2
      let axis = top - foot
      let length = (axis * axis).sum().squareRoot()
      var part = Part.roundedBox(
        size: SIMD3(size, length, size), radius: size * 0.2, segments: 1)
      // Lean the upright box along the leg: about z by the x lean, then about x by the z lean.
      part = part.rotated(by: -atan2(axis.x, axis.y), about: SIMD3(0, 0, 1))
      part = part.rotated(
        by: atan2(axis.z, (axis.x * axis.x + axis.y * axis.y).squareRoot()), about: SIMD3(1, 0, 0))
      return part.translated(centre)
    }

    let inset = leg * 0.8
    let (cx, cz) = (width / 2 - inset, depth / 2 - inset)
    switch base {
    case 0:
      for sx in [-1.0, 1.0] {
        for sz in [-1.0, 1.0] {
          let top = SIMD3(sx * cx, seatBottom, sz * cz)
          let foot = SIMD3(sx * (cx + splay), 0, sz * (cz + splay))
          b.add(post(foot, top, leg), material: frameColour)
        }
      }
      if stretchers {
        let y = seatBottom * 0.3
        let ox = cx + splay * 0.7
        let oz = cz + splay * 0.7
        for sx in [-1.0, 1.0] {
          b.add(
            Part.rod(from: SIMD3(sx * ox, y, -oz), to: SIMD3(sx * ox, y, oz), radius: leg * 0.3),
            material: frameColour)
        }
        b.add(
          Part.rod(from: SIMD3(-ox, y * 1.4, 0), to: SIMD3(ox, y * 1.4, 0), radius: leg * 0.3),
          material: frameColour)
      }
    case 1:
      // Sled: a bent tube on each side, up from the floor runner to the seat front and back.
      let r = leg * 0.4
      for sx in [-1.0, 1.0] {
        let x = sx * cx
        let path: [SIMD3<Double>] = [
          SIMD3(x, seatBottom, cz - 0.02), SIMD3(x, seatBottom * 0.5, cz + 0.02),
          SIMD3(x, r * 2.2, cz + 0.05), SIMD3(x, r, cz), SIMD3(x, r, -cz),
          SIMD3(x, r * 2.2, -cz - 0.05), SIMD3(x, seatBottom * 0.5, -cz - 0.02),
          SIMD3(x, seatBottom, -cz + 0.02),
        ]
        b.add(Part.tube(path, radii: Array(repeating: r, count: path.count)), material: frameColour)
      }
    default:
      // Office pedestal: a column on a five-armed star with casters.
      let column = max(leg * 0.7, 0.025)
      b.add(
        Part.tube(
          [SIMD3(0, 0.08, 0), SIMD3(0, seatBottom * 0.6, 0), SIMD3(0, seatBottom, 0)],
          radii: [column * 1.2, column * 1.2, column * 0.8], segments: 14),
        material: frameColour)
      let reach = max(width, depth) * 0.55
      for k in 0..<5 {
        let angle = 2 * Double.pi * Double(k) / 5
        let end = SIMD3(reach * sin(angle), 0.06, reach * cos(angle))
        b.add(
          Part.tube([SIMD3(0, 0.09, 0), end], radii: [column, column * 0.6], segments: 8),
          material: frameColour)
        b.add(
          Part.ellipsoid(radii: SIMD3(0.025, 0.03, 0.03), segments: 10).translated(
            SIMD3(end.x, 0.03, end.z)), material: frameColour)
      }
    }

    // Back: two posts rising from the seat's back corners, leaning back by `tilt`.
    let backZ = -depth / 2 + leg * 0.6
    let lean = SIMD3(0, backHeight * cos(tilt), -backHeight * sin(tilt))
    let postSize = leg * 0.9
    for sx in [-1.0, 1.0] {
      let foot = SIMD3(sx * cx, height - thickness * 0.5, backZ)
      b.add(post(foot, foot + lean, postSize), material: frameColour)
    }
    // A point on the back's plane at height fraction f and lateral position x.
    func backPoint(_ x: Double, _ f: Double) -> SIMD3<Double> {
      SIMD3(x, height, backZ) + lean * f
    }
    let innerWidth = 2 * cx - postSize
    switch back {
    case 0:
      // A panel over the upper part of the back.
      let panelHeight = backHeight * 0.6
      let panel = Part.roundedBox(
        size: SIMD3(2 * cx + postSize * 0.6, panelHeight, max(thickness * 0.6, 0.025)),
        radius: 0.012, segments: 2)
      b.add(
        panel.rotated(by: -tilt, about: SIMD3(1, 0, 0)).translated(backPoint(0, 0.66)),
        material: backColour)
    case 1:
      // Vertical slats between the seat and a top rail.
      let top = Part.roundedBox(
        size: SIMD3(2 * cx + postSize * 0.6, backHeight * 0.16, 0.03), radius: 0.01, segments: 2)
      b.add(
        top.rotated(by: -tilt, about: SIMD3(1, 0, 0)).translated(backPoint(0, 0.9)),
        material: backColour)
      for k in 0..<slats {
        let x = -innerWidth / 2 + innerWidth * (Double(k) + 0.5) / Double(slats)
        let slat = Part.roundedBox(
          size: SIMD3(innerWidth / Double(slats) * 0.45, backHeight * 0.8, 0.018), radius: 0.006,
          segments: 1)
        b.add(
          slat.rotated(by: -tilt, about: SIMD3(1, 0, 0)).translated(backPoint(x, 0.42)),
          material: backColour)
      }
    default:
      // Horizontal rails between the posts.
      for k in 0..<rails {
        let f = 0.35 + 0.6 * Double(k) / Double(max(rails - 1, 1))
        let rail = Part.roundedBox(
          size: SIMD3(innerWidth + postSize, backHeight * 0.1, 0.022), radius: 0.008, segments: 1)
        b.add(
          rail.rotated(by: -tilt, about: SIMD3(1, 0, 0)).translated(backPoint(0, f)),
          material: backColour)
      }
    }

    if arms {
      for sx in [-1.0, 1.0] {
        let x = sx * (width / 2 + 0.01)
        let front = SIMD3(x, height, depth / 2 - 0.06)
        b.add(
          post(front, front + SIMD3(0, armHeight, 0), postSize * 0.8), material: frameColour)
        let rest = Part.roundedBox(
          size: SIMD3(0.05, 0.03, depth * 0.85), radius: 0.012, segments: 2)
        b.add(
          rest.translated(SIMD3(x, height + armHeight + 0.012, -depth * 0.05)),
          material: frameColour)
      }
    }
  }
}
