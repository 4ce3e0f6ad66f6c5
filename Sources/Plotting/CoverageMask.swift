/// Per-pixel coverage in [0, 1] over a window of the canvas, filled by one drawing call and then
/// blended once.
struct CoverageMask {
  /// The window's top-left pixel.
  let x: Int
  /// The window's top-left pixel.
  let y: Int
  /// The window's size in pixels.
  let width: Int
  /// The window's size in pixels.
  let height: Int
  /// Coverage, row-major `height × width`.
  var coverage: [Float]

  /// A zero mask over the bounding box of `points` grown by `margin` + 1 pixels, clipped to
  /// the canvas and `clip`; `nil` if nothing is left.
  init?(around points: [SIMD2<Double>], margin: Double, in canvas: Canvas, clip: Canvas.Region?) {
    var low = points.reduce(SIMD2(repeating: Double.infinity)) { pointwiseMin($0, $1) }
    var high = points.reduce(SIMD2(repeating: -Double.infinity)) { pointwiseMax($0, $1) }
    low -= margin + 1
    high += margin + 1
    var left = max(0, Int(low.x.rounded(.down)))
    var top = max(0, Int(low.y.rounded(.down)))
    var right = min(canvas.width, Int(high.x.rounded(.up)))
    var bottom = min(canvas.height, Int(high.y.rounded(.up)))
    if let clip {
      left = max(left, clip.x)
      top = max(top, clip.y)
      right = min(right, clip.x + clip.width)
      bottom = min(bottom, clip.y + clip.height)
    }
    guard right > left, bottom > top else { return nil }
    x = left
    y = top
    width = right - left
    height = bottom - top
    coverage = [Float](repeating: 0, count: width * height)
  }

  /// Sets every pixel's coverage to `body(x, y)` (canvas coordinates).
  mutating func forEachPixel(_ body: (Int, Int) -> Float) {
    for row in 0..<height {
      for column in 0..<width {
        coverage[row * width + column] = max(0, min(1, body(x + column, y + row)))
      }
    }
  }

  /// Adds a stroked path: each segment with flat ends at the path's ends and round joins.
  mutating func addPath(_ path: [SIMD2<Double>], halfWidth: Double, closed: Bool) {
    let segments = path.count - 1
    for i in 0..<segments {
      addSegment(
        path[i], path[i + 1], halfWidth: halfWidth, roundStart: closed || i > 0,
        roundEnd: closed || i < segments - 1)
    }
  }

  /// Adds the coverage of one segment, taking the maximum with what is there.
  ///
  /// For a pixel centre p, with t its distance along the segment from `a` and s its signed
  /// distance across it, the coverage of a flat-ended stroke is the product of the box-filter
  /// overlaps across (`[s − ½, s + ½]` with `[−w/2, w/2]`) and along (`[t − ½, t + ½]` with
  /// `[0, L]`). Beyond a round end, the distance to the end point replaces |s| and the along
  /// factor is 1.
  mutating func addSegment(
    _ a: SIMD2<Double>, _ b: SIMD2<Double>, halfWidth: Double, roundStart: Bool, roundEnd: Bool
  ) {
    let delta = b - a
    let length = (delta * delta).sum().squareRoot()
    guard length > 1e-9 else { return }
    let direction = delta / length
    let lower = roundStart ? -Double.infinity : 0
    let upper = roundEnd ? Double.infinity : length
    // Rows the stroke can reach, and per row the columns near the segment.
    let reach = halfWidth + 1
    let rowLow = max(y, Int((min(a.y, b.y) - reach).rounded(.down)))
    let rowHigh = min(y + height, Int((max(a.y, b.y) + reach).rounded(.up)))
    guard rowLow < rowHigh else { return }
    for row in rowLow..<rowHigh {
      let centreY = Double(row) + 0.5
      var t0 = 0.0
      var t1 = 1.0
      if abs(delta.y) > 1e-12 {
        let ta = (centreY - reach - a.y) / delta.y
        let tb = (centreY + reach - a.y) / delta.y
        t0 = max(0, min(ta, tb))
        t1 = min(1, max(ta, tb))
        guard t0 <= t1 else { continue }
      }
      let xa = a.x + t0 * delta.x
      let xb = a.x + t1 * delta.x
      let columnLow = max(x, Int((min(xa, xb) - reach).rounded(.down)))
      let columnHigh = min(x + width, Int((max(xa, xb) + reach).rounded(.up)))
      guard columnLow < columnHigh else { continue }
      for column in columnLow..<columnHigh {
        let p = SIMD2(Double(column) + 0.5, centreY) - a
        let t = (p * direction).sum()
        let value: Double
        if t < 0 && roundStart {
          let d = (p * p).sum().squareRoot()
          value = Canvas.overlap(d - 0.5, d + 0.5, -halfWidth, halfWidth)
        } else if t > length && roundEnd {
          let q = p - delta
          let d = (q * q).sum().squareRoot()
          value = Canvas.overlap(d - 0.5, d + 0.5, -halfWidth, halfWidth)
        } else {
          let s = p.x * direction.y - p.y * direction.x
          let across = Canvas.overlap(s - 0.5, s + 0.5, -halfWidth, halfWidth)
          let along = Canvas.overlap(t - 0.5, t + 0.5, lower, upper)
          value = across * along
        }
        let index = (row - y) * width + (column - x)
        coverage[index] = max(coverage[index], Float(value))
      }
    }
  }
}
