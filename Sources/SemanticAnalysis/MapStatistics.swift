/// Summary statistics of a semantic map: mean, extremes and where they are, the share of the
/// grid scoring above a level, and the semantic traps (``SemanticTrap``).
///
/// Non-finite values are skipped (and counted in ``nonFinite``).
public struct MapStatistics: Sendable, Hashable, Codable {
  /// A grid point and its value.
  public struct Location: Sendable, Hashable, Codable {
    /// The point's coordinates, one per grid axis (degrees or world units).
    public var point: [Double]
    /// The value there.
    public var value: Double
  }

  /// The mean over the finite values.
  public var mean: Double
  /// The largest value and its first grid point (row-major order).
  public var maximum: Location
  /// The smallest value and its first grid point (row-major order).
  public var minimum: Location
  /// The level of ``fractionAbove``.
  public var level: Double
  /// The fraction of finite values strictly above ``level``, in [0, 1].
  public var fractionAbove: Double
  /// The number of non-finite values.
  public var nonFinite: Int
  /// The semantic traps at ``level``, largest first.
  public var traps: [SemanticTrap]

  enum CodingKeys: String, CodingKey {
    case mean, maximum, minimum, level, traps
    case fractionAbove = "fraction_above"
    case nonFinite = "non_finite"
  }

  /// Computes the statistics of `map`.
  ///
  /// - Parameters:
  ///   - map: The map (at least one finite value).
  ///   - level: The level of the "above" fraction and of the traps (default 0.5).
  public init(_ map: SemanticMap, level: Double = 0.5) {
    var sum = 0.0
    var finite = 0
    var above = 0
    var best = -1
    var worst = -1
    for (i, v) in map.values.enumerated() where v.isFinite {
      sum += Double(v)
      finite += 1
      if Double(v) > level { above += 1 }
      if best < 0 || v > map.values[best] { best = i }
      if worst < 0 || v < map.values[worst] { worst = i }
    }
    func location(_ i: Int) -> Location {
      guard i >= 0 else { return Location(point: [], value: .nan) }
      return Location(
        point: Array(map.grid.point(at: i).prefix(map.grid.axes.count)),
        value: Double(map.values[i]))
    }
    mean = finite > 0 ? sum / Double(finite) : .nan
    maximum = location(best)
    minimum = location(worst)
    self.level = level
    fractionAbove = finite > 0 ? Double(above) / Double(finite) : .nan
    nonFinite = map.values.count - finite
    traps = SemanticTrap.find(in: map, level: level)
  }
}
