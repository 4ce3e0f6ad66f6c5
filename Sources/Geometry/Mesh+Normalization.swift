/// How a mesh is placed and scaled before rendering.
public enum Normalization: String, Sendable, Hashable, CaseIterable, Codable {
  /// Keep the file's coordinates.
  case none
  /// ShapeNet-style (the semrob default): the bounding box of the vertices that triangles
  /// reference is centred at the origin and scaled uniformly so its longest side spans [-1, 1].
  case shapeNet
  /// The rule of the original study (NMR `load_obj`, METHODS §1.1), applied to **every** vertex,
  /// including unreferenced ones: `v ← v − min; v ← v / max|v|; v ← 2v; v ← v − max/2`.
  case nmr
}

extension Mesh {
  /// Returns the mesh placed and scaled by `rule`.
  ///
  /// Both rules leave a centred bounding box whose longest side spans exactly [-1, 1] (up to
  /// Float64 rounding); they differ in which vertices define the box and in the order of the
  /// arithmetic, which `nmr` reproduces step for step. Vertex normals are unchanged (uniform
  /// scaling and translation keep directions).
  ///
  /// - Parameter rule: The normalisation rule.
  /// - Returns: The normalised mesh. A mesh whose box has zero extent on every axis (a single
  ///   point) is returned translated to the origin but unscaled.
  /// - Complexity: O(vertices).
  public func normalized(_ rule: Normalization) -> Mesh {
    guard !positions.isEmpty else { return self }
    var result = self
    switch rule {
    case .none:
      break
    case .nmr:
      // METHODS §1.1, in this exact order.
      var low = positions[0]
      for p in positions { low = pointwiseMin(low, p) }
      var shifted = positions.map { $0 - low }
      let largest = shifted.reduce(0.0) { max($0, $1.max()) }
      if largest > 0 { shifted = shifted.map { $0 / largest } }
      shifted = shifted.map { 2 * $0 }
      var high = shifted[0]
      for p in shifted { high = pointwiseMax(high, p) }
      result.positions = shifted.map { $0 - high / 2 }
    case .shapeNet:
      let box = referencedBounds() ?? Bounds(of: positions)
      let longest = (box.max - box.min).max()
      let centre = (box.min + box.max) / 2
      let scale = longest > 0 ? 2 / longest : 1
      result.positions = positions.map { ($0 - centre) * scale }
    }
    return result
  }

  /// The axis-aligned bounding box of the vertices that triangles reference, or `nil` when the
  /// mesh has no triangles.
  public func referencedBounds() -> Bounds? {
    guard !triangles.isEmpty else { return nil }
    var used = [Bool](repeating: false, count: positions.count)
    for t in triangles {
      for k in 0..<3 where Int(t[k]) < positions.count && t[k] >= 0 { used[Int(t[k])] = true }
    }
    let points = positions.indices.lazy.filter { used[$0] }.map { positions[$0] }
    return points.isEmpty ? nil : Bounds(of: points)
  }
}

/// An axis-aligned bounding box.
public struct Bounds: Sendable, Hashable {
  /// Per-axis minimum.
  public var min: SIMD3<Double>
  /// Per-axis maximum.
  public var max: SIMD3<Double>

  /// Creates a box from its corners.
  ///
  /// - Parameters:
  ///   - min: Per-axis minimum.
  ///   - max: Per-axis maximum.
  public init(min: SIMD3<Double>, max: SIMD3<Double>) {
    self.min = min
    self.max = max
  }

  /// The bounding box of a non-empty sequence of points.
  ///
  /// - Parameter points: The points; must not be empty.
  public init<S: Sequence>(of points: S) where S.Element == SIMD3<Double> {
    var iterator = points.makeIterator()
    guard let first = iterator.next() else {
      preconditionFailure("Bounds(of:): the sequence of points is empty")
    }
    var low = first
    var high = first
    while let p = iterator.next() {
      low = pointwiseMin(low, p)
      high = pointwiseMax(high, p)
    }
    self.init(min: low, max: high)
  }

  /// The extent `max − min` per axis.
  public var size: SIMD3<Double> { max - min }
  /// The centre `(min + max) / 2`.
  public var centre: SIMD3<Double> { (min + max) / 2 }
}
