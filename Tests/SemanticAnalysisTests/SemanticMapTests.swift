import Foundation
import Rendering
import Testing

@testable import SemanticAnalysis

/// Grids, maps of known functions, statistics, semantic traps and rank correlation.
@Suite struct SemanticMapTests {
  @Test("the study's 2-D grid: 34 × 120, rows = elevation, indices ↔ angles both ways")
  func studyGrid() {
    let grid = SemanticGrid.study2D()
    #expect(grid.shape == [34, 120] && grid.count == 4080)
    #expect(grid.parameters == [.azimuth, .elevation])
    for row in [0, 1, 15, 33] {
      for column in [0, 1, 60, 119] {
        let u = grid.point(at: grid.index(column: column, row: row))
        #expect(u == [Double(3 * column), Double(-10 + 3 * row)])
        #expect(grid.axes[0].index(of: u[0]) == column && grid.axes[1].index(of: u[1]) == row)
      }
    }
    #expect(grid.axes[1].end == 89 && grid.axes[0].end == 357)
    // Azimuth wraps (a full turn of samples); elevation does not.
    #expect(grid.axes[0].isFullTurn && !grid.axes[1].isFullTurn)
    #expect(grid.axes[0].index(of: 360) == 0 && grid.axes[0].index(of: -3) == 119)
    #expect(grid.axes[0].index(of: 721.5) == nil && grid.axes[0].index(of: 726) == 2)
    #expect(grid.axes[1].index(of: 92) == nil && grid.axes[1].index(of: -10) == 0)
    // Other steps: the grid stops at the domain's end without overshooting.
    #expect(SemanticGrid.study2D(step: 2).shape == [50, 180])
    #expect(SemanticGrid.study2D(step: 7).axes[0].count == 52)
    #expect(SemanticGrid.study2D(step: 7).axes[1].end == 88)
  }

  @Test("the study's 1-D grid: azimuth 0…358 step 2 at elevation 35°")
  func oneDimensionalGrid() {
    let grid = SemanticGrid.study1D()
    #expect(grid.shape == [180] && grid.rows == 1)
    #expect(grid.parameters == [.azimuth, .elevation])
    #expect(grid.point(at: 0) == [0, 35] && grid.point(at: 179) == [358, 35])
  }

  @Test("a map of a known function of pose is that function at every grid point, in layout order")
  func analyticMap() throws {
    // f(az, el) = (1 + cos az · cos el) / 2 with a pocket: chunks of 7 points cross rows.
    let function = AnalyticFunction(dimensions: [.azimuth, .elevation]) { u in
      Float((1 + cos(u[0] * .pi / 180) * cos(u[1] * .pi / 180)) / 2)
    }
    var mapper = SemanticMapper(function: function, threads: 1)
    mapper.chunkSize = 7
    let grid = SemanticGrid.study2D()
    var calls = 0
    let map = try mapper.map(grid) { done, total in
      calls += 1
      #expect(total == 4080 && done <= total)
    }
    #expect(calls == (4080 + 6) / 7)
    for row in 0..<34 {
      for column in 0..<120 {
        let az = Double(3 * column) * .pi / 180
        let el = Double(-10 + 3 * row) * .pi / 180
        #expect(map[column, row] == Float((1 + cos(az) * cos(el)) / 2))
      }
    }
    // A function over other parameters cannot map this grid.
    let other = SemanticMapper(
      function: AnalyticFunction(dimensions: [.elevation, .azimuth]) { _ in 0 }, threads: 1)
    #expect(throws: SemanticMapError.self) { try other.map(grid) }
  }

  @Test("statistics: mean, extremes with their poses, share above the level")
  func statistics() {
    let grid = SemanticGrid(axes: [
      .init(parameter: .azimuth, start: 0, step: 90, count: 4),
      .init(parameter: .elevation, start: 0, step: 30, count: 2),
    ])
    let map = SemanticMap(grid: grid, values: [0.1, 0.9, 0.6, 0.2, 0.5, 0.7, 0.05, 0.95])
    let s = MapStatistics(map, level: 0.5)
    #expect(abs(s.mean - 4.0 / 8) < 1e-7)
    #expect(s.maximum.point == [270, 30] && s.maximum.value == Double(Float(0.95)))
    #expect(s.minimum.point == [180, 30])
    #expect(s.fractionAbove == 4.0 / 8, "0.5 itself is not above")
    #expect(s.nonFinite == 0)
  }

  /// A 2-D map on a full-turn grid (12 columns of 30°, 6 rows of 10°), 1 everywhere except
  /// the given cells (value 0.1).
  func pocketMap(_ low: [(column: Int, row: Int)]) -> SemanticMap {
    let grid = SemanticGrid(axes: [
      .init(parameter: .azimuth, start: 0, step: 30, count: 12),
      .init(parameter: .elevation, start: 0, step: 10, count: 6),
    ])
    var values = [Float](repeating: 1, count: grid.count)
    for (c, r) in low { values[grid.index(column: c, row: r)] = 0.1 }
    return SemanticMap(grid: grid, values: values)
  }

  @Test("an enclosed low pocket is a trap; its size, floor, rim and extent are right")
  func enclosedPocket() throws {
    var map = pocketMap([(4, 2), (5, 2), (5, 3)])
    var values = map.values
    values[map.grid.index(column: 5, row: 3)] = 0.02
    map = SemanticMap(grid: map.grid, values: values)
    let traps = SemanticTrap.find(in: map, level: 0.5)
    let trap = try #require(traps.first)
    #expect(traps.count == 1)
    #expect(trap.cells == 3 && trap.fraction == 3.0 / 72)
    #expect(trap.minimum.point == [150, 30] && trap.minimum.value == Double(Float(0.02)))
    #expect(trap.surroundingMean == 1 && abs(trap.depth - (1 - Double(Float(0.02)))) < 1e-12)
    #expect(trap.extent == [[120, 150], [20, 30]])
    #expect(abs(trap.centre[1] - 70.0 / 3) < 1e-12)
  }

  @Test("a low region at the domain's edge, or a band round the whole turn, is not a trap")
  func notTraps() {
    // Touches the top row (elevation 50°, the domain's edge).
    #expect(SemanticTrap.find(in: pocketMap([(3, 4), (3, 5)]), level: 0.5).isEmpty)
    // Touches the bottom row.
    #expect(SemanticTrap.find(in: pocketMap([(3, 0)]), level: 0.5).isEmpty)
    // A band all the way round at one elevation.
    #expect(SemanticTrap.find(in: pocketMap((0..<12).map { ($0, 2) }), level: 0.5).isEmpty)
    // NaN next to a pocket: not enclosed by scores.
    let map = pocketMap([(4, 2)])
    var values = map.values
    values[map.grid.index(column: 5, row: 2)] = .nan
    #expect(SemanticTrap.find(in: SemanticMap(grid: map.grid, values: values), level: 0.5).isEmpty)
  }

  @Test("a pocket across the azimuth seam is one trap whose extent wraps")
  func seam() throws {
    let traps = SemanticTrap.find(in: pocketMap([(11, 2), (0, 2), (1, 2), (1, 3)]), level: 0.5)
    let trap = try #require(traps.first)
    #expect(traps.count == 1 && trap.cells == 4)
    #expect(trap.extent[0] == [330, 390], "330° through 30°")
    // Circular mean of 330, 0, 30, 30 degrees lies just past 0.
    #expect(trap.centre[0] > 0 && trap.centre[0] < 30)
    // The same cells without a wrapping axis (azimuth 0…330 in a partial turn) touch edges.
    let partial = SemanticGrid(axes: [
      .init(parameter: .azimuth, start: 0, step: 30, count: 11),
      .init(parameter: .elevation, start: 0, step: 10, count: 6),
    ])
    var values = [Float](repeating: 1, count: partial.count)
    values[partial.index(column: 0, row: 2)] = 0.1
    #expect(SemanticTrap.find(in: SemanticMap(grid: partial, values: values), level: 0.5).isEmpty)
  }

  @Test("a 1-D map: a low interval between high scores is a trap, also across 0°")
  func oneDimensionalTraps() {
    let grid = SemanticGrid.study1D(step: 30)
    var values = [Float](repeating: 0.9, count: 12)
    values[4] = 0.2
    values[5] = 0.3
    values[11] = 0.1
    values[0] = 0.1
    let traps = SemanticTrap.find(in: SemanticMap(grid: grid, values: values), level: 0.5)
    #expect(traps.count == 2)
    // Equal sizes: the deeper one (floor 0.1) first.
    #expect(traps.map(\.extent) == [[[330, 360]], [[120, 150]]])
    // All low: no enclosure.
    let low = SemanticMap(grid: grid, values: [Float](repeating: 0, count: 12))
    #expect(SemanticTrap.find(in: low, level: 0.5).isEmpty)
  }

  @Test("mean of maps: element-wise in Float64; grids must agree")
  func mean() throws {
    let grid = SemanticGrid.study1D(step: 90)
    let a = SemanticMap(grid: grid, values: [0, 1, 0.5, 0.25])
    let b = SemanticMap(grid: grid, values: [1, 1, 0, 0.75])
    #expect(try SemanticMap.mean([a, b]).values == [0.5, 1, 0.25, 0.5])
    let other = SemanticMap(grid: .study1D(step: 120), values: [0, 0, 0])
    #expect(throws: SemanticMapError.self) { try SemanticMap.mean([a, other]) }
    #expect(throws: SemanticMapError.self) { try SemanticMap.mean([]) }
  }

  @Test("Spearman's ρ matches scipy (Tools/fixtures/spearman.py), ties at their mean rank")
  func spearman() {
    #expect(RankCorrelation.ranks([2, 1, 4, 3, 6, 6]) == [2, 1, 4, 3, 5.5, 5.5])
    let a = RankCorrelation.spearman([1, 2, 3, 4, 5, 6], [2, 1, 4, 3, 6, 6])
    #expect(abs(a - 0.8696565534786727) < 1e-14)
    let b = RankCorrelation.spearman([3.5, -1, 2, 2, 10, 0], [0.1, 0.3, 0.2, 0.2, 0.9, 0.3])
    #expect(abs(b - -0.08956221510397981) < 1e-14)
    #expect(RankCorrelation.spearman([1, 2, 3], [9, 4, 1]) == -1)
    #expect(RankCorrelation.spearman([1, 1, 1], [1, 2, 3]).isNaN)
  }

  @Test("the semantic space: domains, steps and fixed values of METHODS §2")
  func space() {
    let azimuth = SemanticSpace.parameter(.azimuth)
    #expect(azimuth.isPeriodic && azimuth.axis().count == 120 && azimuth.axisLabel == "azimuth (°)")
    #expect(SemanticSpace.parameter(.elevation).axis().count == 34)
    #expect(SemanticSpace.parameter(.distance).defaultValue == 2.732)
    #expect(SemanticSpace.parameter(.distance).axis().count == 41)
    #expect(SemanticSpace.parameter(.lightAzimuth).axis().isFullTurn)
    #expect(SemanticSpace.all.count == RenderParameter.allCases.count)
  }
}
