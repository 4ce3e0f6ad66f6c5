import Testing

@testable import Plotting

/// Where the heat map puts its cells, overlays and colour bar.
@Suite struct HeatMapTests {
  static let width = 480
  static let height = 300

  /// The largest channel difference between two colours.
  static func difference(_ a: SIMD3<Float>, _ b: SIMD3<Float>) -> Float {
    let d = a - b
    return max(abs(d.x), abs(d.y), abs(d.z))
  }

  /// A 5 × 8 grid of zeros with `peak` at one cell, x = 0, 10, …, 70 and y = 0, 5, …, 20.
  static func grid(peakRow: Int, peakColumn: Int, peak: Float = 2) -> HeatMap {
    var values = [Float](repeating: 0, count: 40)
    values[peakRow * 8 + peakColumn] = peak
    return HeatMap(
      values: values, rows: 5, columns: 8, x: (0..<8).map { Double($0 * 10) },
      y: (0..<5).map { Double($0 * 5) }, title: "peak", xLabel: "x", yLabel: "y",
      colourBarLabel: "value")
  }

  @Test("the one maximal cell is the expected block of the plot area, in the colormap's t = 1")
  func peakCell() {
    let map = Self.grid(peakRow: 1, peakColumn: 6)
    #expect(map.valueRange == 0...2, "default range 0…max")
    let area = map.plotArea(width: Self.width, height: Self.height)
    let canvas = map.draw(width: Self.width, height: Self.height)
    // Column 6 of 8 spans [6/8, 7/8] of the width; row 1 of 5 spans [1/5, 2/5] of the height
    // counted from the bottom.
    let left = area.x + Int((Double(area.width) * 6 / 8).rounded())
    let right = area.x + Int((Double(area.width) * 7 / 8).rounded())
    let bottom = area.y + area.height - Int((Double(area.height) * 1 / 5).rounded())
    let top = area.y + area.height - Int((Double(area.height) * 2 / 5).rounded())
    let cell = map.cellRectangle(row: 1, column: 6, width: Self.width, height: Self.height)
    #expect(cell == (x: left, y: top, width: right - left, height: bottom - top))
    let high = map.colormap.colour(1)
    let low = map.colormap.colour(0)
    for y in area.y..<(area.y + area.height) {
      for x in area.x..<(area.x + area.width) {
        let inside = (left..<right).contains(x) && (top..<bottom).contains(y)
        let colour = canvas.colour(x: x, y: y)
        if inside {
          #expect(Self.difference(colour, high) < 1e-6, "(\(x), \(y)) = \(colour)")
        } else if Self.difference(colour, low) > 1e-6 {
          Issue.record("pixel (\(x), \(y)) outside the peak cell is \(colour)")
          return
        }
      }
    }
  }

  @Test("row 0 is drawn at the bottom and column 0 at the left; cells tile the plot area")
  func orientation() {
    let map = Self.grid(peakRow: 0, peakColumn: 0)
    let area = map.plotArea(width: Self.width, height: Self.height)
    let canvas = map.draw(width: Self.width, height: Self.height)
    let high = map.colormap.colour(1)
    var peak: [(x: Int, y: Int)] = []
    for y in area.y..<(area.y + area.height) {
      for x in area.x..<(area.x + area.width)
      where Self.difference(canvas.colour(x: x, y: y), high) < 1e-6 {
        peak.append((x, y))
      }
    }
    #expect(peak.map(\.y).max() == area.y + area.height - 1, "touches the bottom")
    #expect(peak.map(\.x).min() == area.x, "touches the left")
    #expect(peak.map(\.y).min()! > area.y + area.height * 3 / 4, "only the bottom fifth")
    // The cells' blocks cover the plot area exactly once.
    var covered = 0
    for row in 0..<5 {
      for column in 0..<8 {
        let cell = map.cellRectangle(
          row: row, column: column, width: Self.width, height: Self.height)
        covered += cell.width * cell.height
        #expect(cell.x >= area.x && cell.x + cell.width <= area.x + area.width)
        #expect(cell.y >= area.y && cell.y + cell.height <= area.y + area.height)
      }
    }
    #expect(covered == area.width * area.height)
    let topRight = map.cellRectangle(row: 4, column: 7, width: Self.width, height: Self.height)
    #expect(topRight.y == area.y && topRight.x + topRight.width == area.x + area.width)
  }

  @Test("a colour bar right of the plot runs from t = 1 at the top to t = 0 at the bottom")
  func colourBar() {
    let map = Self.grid(peakRow: 2, peakColumn: 3)
    let area = map.plotArea(width: Self.width, height: Self.height)
    let canvas = map.draw(width: Self.width, height: Self.height)
    let top = area.y
    let bottom = area.y + area.height - 1
    let columns = ((area.x + area.width + 2)..<Self.width).filter { x in
      Self.difference(canvas.colour(x: x, y: top), map.colormap.colour(1)) < 0.02
        && Self.difference(canvas.colour(x: x, y: bottom), map.colormap.colour(0)) < 0.02
        && Self.difference(
          canvas.colour(x: x, y: (top + bottom) / 2), map.colormap.colour(0.5)) < 0.02
    }
    #expect(columns.count == HeatMap.colourBarWidth)
    // The frame around the plot area is black, one pixel outside it.
    #expect(canvas.colour(x: area.x - 1, y: area.y + 10) == .zero)
    #expect(canvas.colour(x: area.x + area.width, y: area.y + 10) == .zero)
    #expect(canvas.colour(x: area.x + 10, y: area.y + area.height) == .zero)
  }

  @Test("NaN cells are light grey; a zero-width range draws without trapping")
  func missingValuesAndFlatRange() {
    var values = [Float](repeating: 0, count: 4)
    values[3] = .nan
    let map = HeatMap(values: values, rows: 2, columns: 2, x: [0, 1], y: [0, 1])
    #expect(map.valueRange == 0...1, "no positive value: 0…1")
    let canvas = map.draw(width: 300, height: 200)
    let cell = map.cellRectangle(row: 1, column: 1, width: 300, height: 200)
    #expect(
      canvas.colour(x: cell.x + cell.width / 2, y: cell.y + cell.height / 2)
        == SIMD3(repeating: 0.85))
    var flat = map
    flat.valueRange = 0.5...0.5
    let other = map.cellRectangle(row: 0, column: 0, width: 300, height: 200)
    let drawn = flat.draw(width: 300, height: 200)
    #expect(drawn.colour(x: other.x + 1, y: other.y + 1) == flat.colormap.colour(0))
  }

  /// A 36-column azimuth grid of 0.5s with a pure green rectangle from 340° to 380°.
  static func wrapped(period: Double?) -> (HeatMap, Canvas) {
    var map = HeatMap(
      values: [Float](repeating: 0.5, count: 36 * 10), rows: 10, columns: 36,
      x: (0..<36).map { Double($0 * 10) }, y: (0..<10).map { Double($0 * 10) },
      valueRange: 0...1, xLabel: "azimuth (°)", yLabel: "elevation (°)")
    map.xPeriod = period
    map.rectangles = [
      HeatMap.Rectangle(x0: 340, y0: 20, x1: 380, y1: 60, edgeColour: SIMD3(0, 1, 0))
    ]
    return (map, map.draw(width: Self.width, height: Self.height))
  }

  /// The columns of pixels that are clearly green.
  static func greenColumns(_ canvas: Canvas) -> [Int] {
    var columns: [Int] = []
    for y in 0..<canvas.height {
      for x in 0..<canvas.width {
        let colour = canvas.colour(x: x, y: y)
        if colour.y > 0.8 && colour.x < 0.5 && colour.z < 0.5 { columns.append(x) }
      }
    }
    return columns
  }

  @Test("with xPeriod 360 a rectangle crossing 360 is drawn at both sides, clipped to the plot")
  func periodicRectangle() {
    let (map, canvas) = Self.wrapped(period: 360)
    let area = map.plotArea(width: Self.width, height: Self.height)
    let green = Self.greenColumns(canvas)
    #expect(green.contains { $0 < area.x + area.width / 8 }, "the part from 0° to 20°")
    #expect(green.contains { $0 > area.x + area.width * 7 / 8 }, "the part from 340°")
    #expect(!green.contains { $0 > area.x + area.width / 8 && $0 < area.x + area.width * 7 / 8 })
    #expect(green.allSatisfy { $0 >= area.x && $0 < area.x + area.width }, "clipped")
    // The wrapped part starts at the plot's left edge and reaches 20°: its right side is at
    // x = 20°, halfway through column 2 (edges at −5°, 5°, 15°, 25°…).
    let edge = Int((Double(area.width) * 25 / 360).rounded()) + area.x
    #expect(green.contains { abs($0 - edge) <= 2 })
    // Negative control: without a period only the right part is drawn.
    let (_, plain) = Self.wrapped(period: nil)
    #expect(!Self.greenColumns(plain).contains { $0 < area.x + area.width / 2 })
    #expect(Self.greenColumns(plain).contains { $0 > area.x + area.width * 7 / 8 })
  }

  @Test("markers are drawn at their data position, wrapped into a periodic x range")
  func markerPosition() {
    var map = HeatMap(
      values: [Float](repeating: 0.5, count: 36 * 10), rows: 10, columns: 36,
      x: (0..<36).map { Double($0 * 10) }, y: (0..<10).map { Double($0 * 10) },
      valueRange: 0...1)
    map.xPeriod = 360
    let green = SIMD3<Float>(0, 1, 0)
    map.markers = [HeatMap.Marker(x: 360 + 100, y: 50, colour: green, outline: nil)]
    let canvas = map.draw(width: Self.width, height: Self.height)
    let area = map.plotArea(width: Self.width, height: Self.height)
    // x = 100 is 105/360 of the way from the left edge (−5); y = 50 is 55/100 up from −5.
    let x = Double(area.x) + Double(area.width) * 105 / 360
    let y = Double(area.y + area.height) - Double(area.height) * 55 / 100
    #expect(canvas.colour(x: Int(x), y: Int(y)) == green)
    #expect(canvas.colour(x: Int(x) + 8, y: Int(y)) != green)
  }
}
