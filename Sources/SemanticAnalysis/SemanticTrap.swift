import Foundation

/// A semantic trap: a connected region of low scores enclosed by high scores — poses where
/// the classifier fails although every way out of the region leads back to poses where it
/// succeeds.
///
/// Definition (semrob's; the original study pointed at such regions by eye): on the grid of a
/// map, a cell is *low* when its value is below `level`. Cells are connected through their 4
/// neighbours (left, right, up, down); a full-turn azimuth axis (``SemanticGrid/Axis/isFullTurn``)
/// wraps around, other axes end at the domain's edge. A connected set of low cells is a trap
/// when it is enclosed: it touches no edge of the domain (no cell in the first or last row, nor
/// the first or last column of an axis that does not wrap), every neighbour outside it has a
/// finite value ≥ `level`, and it does not run all the way round a wrapping axis (a low band
/// around the whole turn is a band, not a pocket).
public struct SemanticTrap: Sendable, Hashable, Codable {
  /// The number of grid cells in the trap.
  public var cells: Int
  /// The trap's share of the grid, in (0, 1).
  public var fraction: Double
  /// The lowest value in the trap and where (one coordinate per axis).
  public var minimum: MapStatistics.Location
  /// The mean value in the trap.
  public var mean: Double
  /// The mean value of the cells just outside it (its enclosing ring, each cell once).
  public var surroundingMean: Double
  /// The centre (per axis; the circular mean on a wrapping axis, in [start, start + 360)).
  public var centre: [Double]
  /// Per axis, the smallest `[lower, upper]` interval holding the trap's samples; on a
  /// wrapping axis `lower` is a sample value and `upper` may exceed the axis's end by up to a
  /// turn (350…369 means 350° through 9°).
  public var extent: [[Double]]

  enum CodingKeys: String, CodingKey {
    case cells, fraction, minimum, mean, centre, extent
    case surroundingMean = "surrounding_mean"
  }

  /// The depth: how far the trap's floor lies below its rim, `surroundingMean − minimum`.
  public var depth: Double { surroundingMean - minimum.value }

  /// The traps of `map` at `level`, largest first (ties: lowest minimum first).
  ///
  /// - Parameters:
  ///   - map: The map.
  ///   - level: Values below it are low.
  /// - Returns: The traps.
  /// - Complexity: O(cells).
  public static func find(in map: SemanticMap, level: Double) -> [SemanticTrap] {
    let grid = map.grid
    let columns = grid.columns
    let rows = grid.rows
    let wraps = grid.axes[0].isFullTurn
    let values = map.values
    func isLow(_ i: Int) -> Bool { values[i].isFinite && Double(values[i]) < level }
    /// The 4-neighbours of cell `i` (nil entries are outside the domain).
    func neighbours(_ i: Int) -> [Int?] {
      let column = i % columns
      let row = i / columns
      var result: [Int?] = []
      if column > 0 {
        result.append(i - 1)
      } else {
        result.append(wraps && columns > 1 ? i + columns - 1 : nil)
      }
      if column < columns - 1 {
        result.append(i + 1)
      } else {
        result.append(wraps && columns > 1 ? i - columns + 1 : nil)
      }
      if rows > 1 {
        result.append(row > 0 ? i - columns : nil)
        result.append(row < rows - 1 ? i + columns : nil)
      }
      return result
    }
    var component = [Int](repeating: -1, count: values.count)
    var traps: [SemanticTrap] = []
    var stack: [Int] = []
    for seed in values.indices where isLow(seed) && component[seed] < 0 {
      // Flood fill one low component, noting whether it is enclosed.
      var members: [Int] = []
      var rim = Set<Int>()
      var enclosed = true
      component[seed] = seed
      stack.append(seed)
      while let i = stack.popLast() {
        members.append(i)
        for neighbour in neighbours(i) {
          guard let j = neighbour else {
            enclosed = false
            continue
          }
          if isLow(j) {
            if component[j] < 0 {
              component[j] = seed
              stack.append(j)
            }
          } else if values[j].isFinite {
            rim.insert(j)
          } else {
            enclosed = false
          }
        }
      }
      // In a 2-D map the first and last rows are the domain's edge even where the fill did
      // not step off the grid (a 1-D map has one row, its domain is the axis alone).
      if rows > 1 && members.contains(where: { $0 / columns == 0 || $0 / columns == rows - 1 }) {
        enclosed = false
      }
      let occupied = Set(members.map { $0 % columns })
      if occupied.count == columns { enclosed = false }
      guard enclosed else { continue }
      traps.append(trap(members: members, rim: rim, occupied: occupied, map: map))
    }
    return traps.sorted {
      $0.cells != $1.cells ? $0.cells > $1.cells : $0.minimum.value < $1.minimum.value
    }
  }

  /// Describes one enclosed component.
  private static func trap(
    members: [Int], rim: Set<Int>, occupied: Set<Int>, map: SemanticMap
  ) -> SemanticTrap {
    let grid = map.grid
    let columns = grid.columns
    let lowest = members.min { (map.values[$0], $0) < (map.values[$1], $1) }!
    let mean = members.reduce(0.0) { $0 + Double(map.values[$1]) } / Double(members.count)
    let surrounding = rim.reduce(0.0) { $0 + Double(map.values[$1]) } / Double(rim.count)
    var centre: [Double] = []
    var extent: [[Double]] = []
    // Columns: on a wrapping axis the covering arc starts after the largest gap between
    // occupied columns.
    let axis = grid.axes[0]
    let sortedColumns = occupied.sorted()
    if axis.isFullTurn {
      var gapEnd = sortedColumns[0]
      var largest = sortedColumns[0] + columns - sortedColumns[sortedColumns.count - 1]
      for (a, b) in zip(sortedColumns, sortedColumns.dropFirst()) where b - a > largest {
        largest = b - a
        gapEnd = b
      }
      let span = columns - largest
      extent.append([axis.value(at: gapEnd), axis.value(at: gapEnd) + Double(span) * axis.step])
      // Circular mean of the members' angles, in [start, start + 360).
      var x = 0.0
      var y = 0.0
      for i in members {
        let angle = axis.value(at: i % columns) * Double.pi / 180
        x += cos(angle)
        y += sin(angle)
      }
      var mean = atan2(y, x) * 180 / Double.pi
      while mean < axis.start { mean += 360 }
      while mean >= axis.start + 360 { mean -= 360 }
      // Nine decimals: the sum of unit vectors leaves ulp-level noise (209.99999999999997).
      centre.append((mean * 1e9).rounded() / 1e9)
    } else {
      extent.append([axis.value(at: sortedColumns.first!), axis.value(at: sortedColumns.last!)])
      centre.append(
        members.reduce(0.0) { $0 + axis.value(at: $1 % columns) } / Double(members.count))
    }
    if grid.axes.count == 2 {
      let rowAxis = grid.axes[1]
      let rowIndices = members.map { $0 / columns }
      extent.append([rowAxis.value(at: rowIndices.min()!), rowAxis.value(at: rowIndices.max()!)])
      centre.append(
        rowIndices.reduce(0.0) { $0 + rowAxis.value(at: $1) } / Double(members.count))
    }
    return SemanticTrap(
      cells: members.count, fraction: Double(members.count) / Double(grid.count),
      minimum: MapStatistics.Location(
        point: Array(grid.point(at: lowest).prefix(grid.axes.count)),
        value: Double(map.values[lowest])),
      mean: mean, surroundingMean: surrounding, centre: centre, extent: extent)
  }
}
