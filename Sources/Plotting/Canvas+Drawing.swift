/// Anti-aliased strokes, outlines, markers and rotated text.
///
/// Goals:
/// 1. Coordinates are in pixels as `Double`, with pixel `(x, y)` covering the square from
///    `(x, y)` to `(x + 1, y + 1)`: a 1-pixel line along `y = 10.5` fills row 10 exactly.
/// 2. Coverage is the area of the pixel square inside the shape, computed with a box filter:
///    exact across a straight edge, approximate at corners and on curves.
/// 3. A path's coverage is accumulated with `max` over its segments before it is blended once,
///    so joints and overlapping dashes do not darken translucent strokes.
extension Canvas {
  /// A rectangle of whole pixels: its top-left pixel `(x, y)` and its size, y downwards.
  public typealias Region = (x: Int, y: Int, width: Int, height: Int)

  /// Draws a straight line from `start` to `end`.
  ///
  /// The line has flat (butt) ends at its end points.
  ///
  /// - Parameters:
  ///   - start: The first end point, in pixels.
  ///   - end: The second end point, in pixels.
  ///   - colour: sRGB colour in [0, 1].
  ///   - width: Line width in pixels, > 0.
  ///   - dash: Alternating lengths in pixels of drawn and skipped pieces, starting with a drawn
  ///     one, such as `[6, 4]`; empty for a solid line.
  ///   - alpha: Opacity in [0, 1].
  ///   - clip: If given, only pixels inside this region are changed.
  public mutating func line(
    from start: SIMD2<Double>, to end: SIMD2<Double>, colour: SIMD3<Float>, width: Double = 1,
    dash: [Double] = [], alpha: Float = 1, clip: Region? = nil
  ) {
    polyline([start, end], colour: colour, width: width, dash: dash, alpha: alpha, clip: clip)
  }

  /// Draws a path through `points`, joined with round joins.
  ///
  /// A point with a non-finite coordinate (NaN, ±∞) breaks the path: the pieces before and
  /// after it are drawn separately and the dash pattern restarts. A piece of one point draws
  /// nothing. The path's ends are flat (butt).
  ///
  /// - Parameters:
  ///   - points: The vertices in pixels.
  ///   - colour: sRGB colour in [0, 1].
  ///   - width: Line width in pixels, > 0.
  ///   - dash: Alternating lengths in pixels of drawn and skipped pieces, starting with a drawn
  ///     one; the pattern runs on along the path across vertices. Empty for a solid line.
  ///   - alpha: Opacity in [0, 1].
  ///   - closed: Whether to join the last point back to the first (when no non-finite point
  ///     breaks the path).
  ///   - clip: If given, only pixels inside this region are changed.
  /// - Complexity: O(pixels near the path).
  public mutating func polyline(
    _ points: [SIMD2<Double>], colour: SIMD3<Float>, width: Double = 1, dash: [Double] = [],
    alpha: Float = 1, closed: Bool = false, clip: Region? = nil
  ) {
    precondition(width > 0, "Canvas.polyline: width \(width) must be positive")
    precondition(
      dash.allSatisfy { $0 >= 0 } && (dash.isEmpty || dash.contains { $0 > 0 }),
      "Canvas.polyline: dash lengths \(dash) must be non-negative and not all zero")
    // Pieces between non-finite points.
    var pieces: [[SIMD2<Double>]] = [[]]
    for point in points {
      if point.x.isFinite && point.y.isFinite {
        pieces[pieces.count - 1].append(point)
      } else if !pieces[pieces.count - 1].isEmpty {
        pieces.append([])
      }
    }
    let finite = pieces.flatMap { $0 }
    guard finite.count >= 2,
      var mask = CoverageMask(around: finite, margin: width, in: self, clip: clip)
    else { return }
    for var piece in pieces where piece.count >= 2 {
      if closed && pieces.count == 1 { piece.append(piece[0]) }
      if dash.isEmpty {
        mask.addPath(piece, halfWidth: width / 2, closed: closed && pieces.count == 1)
      } else {
        for dashPiece in Self.dashes(of: piece, pattern: dash) {
          mask.addPath(dashPiece, halfWidth: width / 2, closed: false)
        }
      }
    }
    blend(mask, colour: colour, alpha: alpha)
  }

  /// Draws the outline of the axis-aligned rectangle with corners `corner` and `opposite`.
  ///
  /// The stroke is centred on the rectangle's edges and its corners are square.
  ///
  /// - Parameters:
  ///   - corner: One corner, in pixels.
  ///   - opposite: The opposite corner, in pixels.
  ///   - colour: sRGB colour in [0, 1].
  ///   - width: Line width in pixels, > 0.
  ///   - dash: Dash pattern as in ``polyline(_:colour:width:dash:alpha:closed:clip:)``; empty
  ///     for a solid outline.
  ///   - alpha: Opacity in [0, 1].
  ///   - clip: If given, only pixels inside this region are changed.
  public mutating func strokeRectangle(
    from corner: SIMD2<Double>, to opposite: SIMD2<Double>, colour: SIMD3<Float>,
    width: Double = 1, dash: [Double] = [], alpha: Float = 1, clip: Region? = nil
  ) {
    precondition(width > 0, "Canvas.strokeRectangle: width \(width) must be positive")
    let low = pointwiseMin(corner, opposite)
    let high = pointwiseMax(corner, opposite)
    guard dash.isEmpty else {
      polyline(
        [low, SIMD2(high.x, low.y), high, SIMD2(low.x, high.y)], colour: colour, width: width,
        dash: dash, alpha: alpha, closed: true, clip: clip)
      return
    }
    let half = width / 2
    let outer = (low: low - half, high: high + half)
    let inner = (low: low + half, high: high - half)
    guard
      var mask = CoverageMask(around: [outer.low, outer.high], margin: 1, in: self, clip: clip)
    else { return }
    mask.forEachPixel { x, y in
      let centre = SIMD2(Double(x) + 0.5, Double(y) + 0.5)
      let outside = Self.boxCoverage(centre, low: outer.low, high: outer.high)
      let hole =
        inner.low.x < inner.high.x && inner.low.y < inner.high.y
        ? Self.boxCoverage(centre, low: inner.low, high: inner.high) : 0
      return outside - hole
    }
    blend(mask, colour: colour, alpha: alpha)
  }

  /// Fills the axis-aligned rectangle with corners `corner` and `opposite`, anti-aliasing
  /// edges that fall inside pixels.
  ///
  /// - Parameters:
  ///   - corner: One corner, in pixels.
  ///   - opposite: The opposite corner, in pixels.
  ///   - colour: sRGB colour in [0, 1].
  ///   - alpha: Opacity in [0, 1], such as 0.2 for a shaded band behind data.
  ///   - clip: If given, only pixels inside this region are changed.
  public mutating func fillRectangle(
    from corner: SIMD2<Double>, to opposite: SIMD2<Double>, colour: SIMD3<Float>,
    alpha: Float = 1, clip: Region? = nil
  ) {
    let low = pointwiseMin(corner, opposite)
    let high = pointwiseMax(corner, opposite)
    guard var mask = CoverageMask(around: [low, high], margin: 1, in: self, clip: clip)
    else { return }
    mask.forEachPixel { x, y in
      Self.boxCoverage(SIMD2(Double(x) + 0.5, Double(y) + 0.5), low: low, high: high)
    }
    blend(mask, colour: colour, alpha: alpha)
  }

  /// Draws a marker centred on `centre`.
  ///
  /// With an outline, filled shapes get an edge of `outlineWidth` centred on their boundary and
  /// stroked shapes (``MarkerShape/cross``, ``MarkerShape/plus``) a halo of `outlineWidth`
  /// around their bars.
  ///
  /// - Parameters:
  ///   - shape: The marker's shape.
  ///   - centre: The centre in pixels.
  ///   - size: The marker's diameter in pixels, > 0.
  ///   - colour: Fill (or bar) colour, sRGB in [0, 1].
  ///   - outline: Edge colour, sRGB in [0, 1]; `nil` for none.
  ///   - outlineWidth: Edge width in pixels.
  ///   - clip: If given, only pixels inside this region are changed.
  public mutating func marker(
    _ shape: MarkerShape, at centre: SIMD2<Double>, size: Double, colour: SIMD3<Float>,
    outline: SIMD3<Float>? = nil, outlineWidth: Double = 1, clip: Region? = nil
  ) {
    precondition(size > 0, "Canvas.marker: size \(size) must be positive")
    let reach = size / 2 + outlineWidth + 2
    guard
      var mask = CoverageMask(
        around: [centre - reach, centre + reach], margin: 0, in: self, clip: clip)
    else { return }
    let (edge, inset) =
      shape.isStroked ? (outlineWidth, 0.0) : (outlineWidth / 2, -outlineWidth / 2)
    func distance(_ x: Int, _ y: Int) -> Double {
      shape.signedDistance(SIMD2(Double(x) + 0.5, Double(y) + 0.5) - centre, size: size)
    }
    if let outline {
      mask.forEachPixel { x, y in Self.edgeCoverage(distance(x, y) - edge) }
      blend(mask, colour: outline, alpha: 1)
      mask.forEachPixel { x, y in Self.edgeCoverage(distance(x, y) - inset) }
    } else {
      mask.forEachPixel { x, y in Self.edgeCoverage(distance(x, y)) }
    }
    blend(mask, colour: colour, alpha: 1)
  }

  /// Draws `text` rotated 90° counter-clockwise, reading from bottom to top, as y-axis labels
  /// are.
  ///
  /// The baseline runs up column `x`, and the letters' tops face left, so the ink lies to the
  /// left of `x` (descenders cross slightly to the right). `alignment` places the text along the
  /// baseline relative to row `y`: ``Alignment/left`` starts the text at `y` and runs upwards,
  /// ``Alignment/centre`` centres it on `y`, ``Alignment/right`` ends it at `y`.
  ///
  /// - Parameters:
  ///   - text: The text; characters the font lacks draw as `?`.
  ///   - x: The baseline's column, in pixels.
  ///   - y: The anchor row, in pixels.
  ///   - font: The font.
  ///   - colour: sRGB colour in [0, 1].
  ///   - alignment: Where the text sits along the baseline relative to `y`.
  public mutating func verticalText(
    _ text: String, x: Int, y: Int, font: BitmapFont, colour: SIMD3<Float> = .zero,
    alignment: Alignment = .left
  ) {
    let width = Double(font.width(of: text))
    // Text space: u along the baseline (rightwards before rotation), v downwards from it.
    // Rotating by 90° counter-clockwise on a y-down canvas maps u → −y and v → +x, so the
    // text-space pixel (u, v) lands on canvas pixel (x + v, y − u − 1).
    var pen: Double =
      switch alignment {
      case .left: 0
      case .centre: -width / 2
      case .right: -width
      }
    for character in text {
      let glyph = font.glyph(character)
      let left = Int(pen.rounded()) + glyph.left
      for row in 0..<glyph.height {
        for column in 0..<glyph.width {
          let coverage = glyph.coverage[row * glyph.width + column]
          guard coverage > 0 else { continue }
          let u = left + column
          let v = glyph.top + row
          blend(x + v, y - u - 1, colour, alpha: Float(coverage) / 255)
        }
      }
      pen += glyph.advance
    }
  }

  // MARK: - Internals

  /// Blends `colour` into every pixel of `mask` with opacity `alpha` × its coverage.
  private mutating func blend(_ mask: CoverageMask, colour: SIMD3<Float>, alpha: Float) {
    for row in 0..<mask.height {
      for column in 0..<mask.width {
        let coverage = mask.coverage[row * mask.width + column]
        guard coverage > 0 else { continue }
        blend(mask.x + column, mask.y + row, colour, alpha: alpha * min(coverage, 1))
      }
    }
  }

  /// The part of the pixel centred on `centre` inside the box from `low` to `high`.
  static func boxCoverage(_ centre: SIMD2<Double>, low: SIMD2<Double>, high: SIMD2<Double>)
    -> Float
  {
    let x = overlap(centre.x - 0.5, centre.x + 0.5, low.x, high.x)
    let y = overlap(centre.y - 0.5, centre.y + 0.5, low.y, high.y)
    return Float(x * y)
  }

  /// The coverage of a pixel whose centre lies `distance` outside an edge (negative inside):
  /// the box filter across a straight edge.
  static func edgeCoverage(_ distance: Double) -> Float {
    Float(max(0, min(1, 0.5 - distance)))
  }

  /// The length of the overlap of the intervals `[a0, a1]` and `[b0, b1]`, at least 0.
  static func overlap(_ a0: Double, _ a1: Double, _ b0: Double, _ b1: Double) -> Double {
    max(0, min(a1, b1) - max(a0, b0))
  }

  /// Splits `path` into the drawn pieces of the dash `pattern`, which runs on across vertices.
  static func dashes(of path: [SIMD2<Double>], pattern: [Double]) -> [[SIMD2<Double>]] {
    // An odd-length pattern is repeated once, so drawn and skipped alternate (as in SVG).
    let pattern = pattern.count % 2 == 1 ? pattern + pattern : pattern
    var result: [[SIMD2<Double>]] = []
    var index = 0
    var remaining = pattern[0]
    var current: [SIMD2<Double>] = [path[0]]
    for (a, b) in zip(path, path.dropFirst()) {
      let length = ((b - a) * (b - a)).sum().squareRoot()
      var travelled = 0.0
      while length - travelled > 1e-9 {
        let step = min(remaining, length - travelled)
        travelled += step
        remaining -= step
        let point = a + (b - a) * (travelled / length)
        if index % 2 == 0 { current.append(point) }
        if remaining <= 1e-9 {
          // The entry is used up: a drawn piece ends, or a gap ends and a new piece begins.
          if index % 2 == 0 {
            if current.count >= 2 { result.append(current) }
            current = []
          } else {
            current = [point]
          }
          index = (index + 1) % pattern.count
          remaining = pattern[index]
        }
      }
    }
    if index % 2 == 0 && current.count >= 2 { result.append(current) }
    return result
  }
}
