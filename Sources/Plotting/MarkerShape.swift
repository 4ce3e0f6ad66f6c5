/// The shape of a marker drawn by ``Canvas/marker(_:at:size:colour:outline:outlineWidth:clip:)``.
///
/// Filled shapes (``circle``, ``square``, ``diamond``) are filled with the marker's colour and
/// edged with its outline colour; stroked shapes (``cross``, ``plus``) are bars in the marker's
/// colour with the outline as a halo around them, so they stay visible on any background.
public enum MarkerShape: String, Sendable, Hashable, CaseIterable {
  /// A filled disc whose diameter is the marker size.
  case circle
  /// A filled square, axis-aligned, with sides of 0.85 × the marker size.
  case square
  /// A filled square standing on a corner, its diagonals as long as the marker size.
  case diamond
  /// Two diagonal bars (×) spanning the marker size.
  case cross
  /// A horizontal and a vertical bar (+) spanning the marker size.
  case plus

  /// Whether the shape is made of bars rather than a filled area.
  var isStroked: Bool { self == .cross || self == .plus }

  /// The signed distance in pixels from a point to the shape's boundary.
  ///
  /// - Parameters:
  ///   - offset: The point minus the marker's centre, in pixels.
  ///   - size: The marker size in pixels.
  /// - Returns: The distance, negative inside the shape and positive outside.
  func signedDistance(_ offset: SIMD2<Double>, size: Double) -> Double {
    let radius = size / 2
    let dx = abs(offset.x)
    let dy = abs(offset.y)
    switch self {
    case .circle:
      return (offset * offset).sum().squareRoot() - radius
    case .square:
      return max(dx, dy) - 0.85 * radius
    case .diamond:
      // Distance to the line x + y = r (first quadrant), exact away from the corners.
      return (dx + dy - radius) / 2.squareRoot()
    case .cross, .plus:
      let halfThickness = max(0.9, size / 9)
      let reach = self == .cross ? radius * 0.75 : radius
      // Fold into the first octant-pair: a bar from the centre to (reach, reach) or (reach, 0).
      let end = self == .cross ? SIMD2(reach, reach) : SIMD2(reach, 0)
      let folded = self == .cross ? SIMD2(dx, dy) : SIMD2(max(dx, dy), min(dx, dy))
      let along = max(0, min(1, (folded * end).sum() / (end * end).sum()))
      let nearest = end * along
      let difference = folded - nearest
      return (difference * difference).sum().squareRoot() - halfThickness
    }
  }
}
