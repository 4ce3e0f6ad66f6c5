/// Plane curves for outlines and profiles.
enum Curve {
  /// The Catmull-Rom curve through `points` (at least two), `samples` points per span,
  /// starting at the first point and ending at the last (end tangents from the end spans).
  static func catmullRom(_ points: [SIMD2<Double>], samples: Int) -> [SIMD2<Double>] {
    var result: [SIMD2<Double>] = [points[0]]
    for i in 0..<(points.count - 1) {
      let (p0, p1) = (points[max(i - 1, 0)], points[i])
      let (p2, p3) = (points[i + 1], points[min(i + 2, points.count - 1)])
      for k in 1...samples {
        let t = Double(k) / Double(samples)
        let a = 2 * p1
        let b = (p2 - p0) * t
        let c = (2 * p0 - 5 * p1 + 4 * p2 - p3) * (t * t)
        let d = (3 * p1 - p0 - 3 * p2 + p3) * (t * t * t)
        result.append(0.5 * (a + b + c + d))
      }
    }
    return result
  }
}
