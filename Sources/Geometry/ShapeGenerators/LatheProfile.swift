/// Profiles for lathed parts (bottles, cups, vases): the hollow wall that turns an outline into
/// a vessel.
enum LatheProfile {
  /// A closed vessel from its outer outline (radius, height) from the foot's rim to the lip:
  /// closed at the bottom centre, over the lip as a rounded rim of thickness `wall`, and down
  /// the inside (the outline moved inwards by `wall`) to an inner floor at height `floor`.
  static func vessel(outer: [SIMD2<Double>], wall: Double, floor: Double) -> [Part.ProfilePoint] {
    var points: [SIMD2<Double>] = [SIMD2(0, outer[0].y)] + outer
    let lip = outer[outer.count - 1]
    points.append(SIMD2(lip.x - wall / 2, lip.y + wall * 0.35))
    // The inside: the outline above the floor, moved in by the wall, from the lip downwards.
    let inside = outer.reversed().filter { $0.y > floor + wall }.map {
      SIMD2(max($0.x - wall, wall * 0.5), $0.y)
    }
    points += inside
    let bottom = inside.last ?? SIMD2(lip.x - wall, floor + wall)
    points.append(SIMD2(bottom.x * 0.85, floor))
    points.append(SIMD2(0, floor))
    // Drop consecutive duplicates (a lathe ring must differ from its neighbour).
    var profile: [Part.ProfilePoint] = []
    for p in points where profile.last.map({ $0.x != p.x || $0.y != p.y }) ?? true {
      profile.append(Part.ProfilePoint(r: p.x, y: p.y))
    }
    return profile
  }
}
