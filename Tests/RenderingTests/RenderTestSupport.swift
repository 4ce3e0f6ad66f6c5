import Geometry

@testable import Rendering

/// Shared helpers of the rendering tests.
enum RenderTestSupport {
  /// Settings for exact geometric tests: one sample per pixel, no edge pass.
  static func plain(_ base: RenderSettings, size: Int) -> RenderSettings {
    var s = base
    s.size = size
    s.supersampling = 1
    s.edgeAntialiasing = false
    return s
  }

  /// `(col, row)` on a `size × size` grid of a world point.
  static func screen(_ camera: Camera, _ p: SIMD3<Double>, size: Int) -> SIMD2<Double> {
    let rc = camera.pixelCoordinates(of: p, width: size, height: size)
    return SIMD2(rc.y, rc.x)
  }

  /// Convex hull (monotone chain), counter-clockwise in a y-up sense.
  static func convexHull(_ points: [SIMD2<Double>]) -> [SIMD2<Double>] {
    let p = points.sorted { $0.x < $1.x || ($0.x == $1.x && $0.y < $1.y) }
    func cross(_ o: SIMD2<Double>, _ a: SIMD2<Double>, _ b: SIMD2<Double>) -> Double {
      (a.x - o.x) * (b.y - o.y) - (a.y - o.y) * (b.x - o.x)
    }
    var lower: [SIMD2<Double>] = []
    for q in p {
      while lower.count >= 2 && cross(lower[lower.count - 2], lower[lower.count - 1], q) <= 0 {
        lower.removeLast()
      }
      lower.append(q)
    }
    var upper: [SIMD2<Double>] = []
    for q in p.reversed() {
      while upper.count >= 2 && cross(upper[upper.count - 2], upper[upper.count - 1], q) <= 0 {
        upper.removeLast()
      }
      upper.append(q)
    }
    return Array(lower.dropLast() + upper.dropLast())
  }

  /// Signed distance from `q` to the boundary of a convex polygon (positive inside).
  static func insideDistance(_ q: SIMD2<Double>, _ hull: [SIMD2<Double>]) -> Double {
    var d = Double.infinity
    for k in hull.indices {
      let a = hull[k]
      let b = hull[(k + 1) % hull.count]
      let e = b - a
      let len = (e * e).sum().squareRoot()
      d = min(d, (e.x * (q.y - a.y) - e.y * (q.x - a.x)) / len)
    }
    return d
  }
}
