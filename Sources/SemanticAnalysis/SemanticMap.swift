/// A semantic map: one score per point of a ``SemanticGrid`` (METHODS §2.2–§2.4).
///
/// `values` is row-major `[rows, columns]` (rows = the second axis, e.g. elevation), Float32,
/// usually `f(u) ∈ [0, 1]`; a network semantic map (NSM) holds one classifier's scores for one
/// shape, a class-average NSM or data semantic map (DSM) the mean of several maps.
public struct SemanticMap: Sendable, Hashable {
  /// The grid.
  public let grid: SemanticGrid
  /// The scores, `grid.count` of them, row-major.
  public let values: [Float]

  /// Creates a map.
  ///
  /// - Parameters:
  ///   - grid: The grid.
  ///   - values: One value per grid point, row-major.
  public init(grid: SemanticGrid, values: [Float]) {
    precondition(
      values.count == grid.count, "SemanticMap: \(values.count) values for \(grid.count) points")
    self.grid = grid
    self.values = values
  }

  /// The value at `(column, row)`.
  public subscript(column: Int, row: Int) -> Float { values[grid.index(column: column, row: row)] }

  /// The element-wise mean of maps on one grid (a class-average NSM over shapes, or a DSM over
  /// networks and shapes, METHODS §2.4), accumulated in Float64.
  ///
  /// - Parameter maps: At least one map, all on the same grid.
  /// - Returns: The mean map.
  /// - Throws: ``SemanticMapError`` when there are no maps or their grids differ.
  public static func mean(_ maps: [SemanticMap]) throws(SemanticMapError) -> SemanticMap {
    guard let first = maps.first else {
      throw SemanticMapError("no maps to average; give at least one")
    }
    guard maps.allSatisfy({ $0.grid == first.grid }) else {
      throw SemanticMapError("the maps to average lie on different grids; compute them on one grid")
    }
    var sums = [Double](repeating: 0, count: first.values.count)
    for map in maps {
      for (i, v) in map.values.enumerated() { sums[i] += Double(v) }
    }
    let n = Double(maps.count)
    return SemanticMap(grid: first.grid, values: sums.map { Float($0 / n) })
  }
}

/// A map that cannot be formed or combined; the message names the problem and the fix.
public struct SemanticMapError: Error, CustomStringConvertible, Sendable {
  /// The one-line message.
  public let description: String

  init(_ description: String) { self.description = description }
}
