import Testing

@testable import Plotting

/// Where the line plot puts its series, spans, reference lines and legend.
@Suite struct LinePlotTests {
  static let width = 500
  static let height = 320
  static let red = SIMD3<Float>(1, 0, 0)
  static let white = SIMD3<Float>(repeating: 1)

  /// The diagonal y = x from 0 to 10 in red, 3 pixels wide, on 0…10 × 0…10.
  static func diagonal(legend: LinePlot.LegendPlacement = .hidden) -> LinePlot {
    var plot = LinePlot(
      series: [
        LinePlot.Series(
          x: (0...100).map { Double($0) / 10 }, y: (0...100).map { Double($0) / 10 },
          label: "diagonal", colour: red, lineWidth: 3)
      ], title: "t", xLabel: "x", yLabel: "y")
    plot.xRange = 0...10
    plot.yRange = 0...10
    plot.legend = legend
    return plot
  }

  @Test("a series' pixels lie on its line in the plot area, and only there")
  func seriesPixels() {
    let plot = Self.diagonal()
    let area = plot.plotArea(width: Self.width, height: Self.height)
    let canvas = plot.draw(width: Self.width, height: Self.height)
    for t in stride(from: 0.5, through: 9.5, by: 0.5) {
      let x = Double(area.x) + t / 10 * Double(area.width)
      let y = Double(area.y + area.height) - t / 10 * Double(area.height)
      #expect(canvas.colour(x: Int(x), y: Int(y)) == Self.red, "t = \(t)")
      // The mirror point (t, 10 − t) is off the line except at t = 5.
      let mirrorY = Double(area.y) + t / 10 * Double(area.height)
      if abs(t - 5) > 1 {
        #expect(canvas.colour(x: Int(x), y: Int(mirrorY)) == Self.white, "mirror of t = \(t)")
      }
    }
    // Every reddish pixel lies within 3 pixels of the line.
    let slope = Double(area.height) / Double(area.width)
    for y in 0..<Self.height {
      for x in 0..<Self.width {
        let colour = canvas.colour(x: x, y: y)
        guard colour.x > 0.9 && colour.y < 0.6 else { continue }
        let lineY = Double(area.y + area.height) - (Double(x) + 0.5 - Double(area.x)) * slope
        #expect(abs(Double(y) + 0.5 - lineY) < 3 * (1 + slope), "(\(x), \(y))")
      }
    }
  }

  @Test("NaN y values break the line")
  func nanBreaks() {
    var y = [Double](repeating: 5, count: 101)
    for i in 45...55 { y[i] = .nan }
    var plot = LinePlot(
      series: [
        LinePlot.Series(x: (0...100).map { Double($0) / 10 }, y: y, colour: Self.red)
      ])
    plot.yRange = 0...10
    let area = plot.plotArea(width: Self.width, height: Self.height)
    let canvas = plot.draw(width: Self.width, height: Self.height)
    let row = area.y + area.height / 2
    #expect(canvas.colour(x: area.x + area.width / 4, y: row) == Self.red)
    #expect(canvas.colour(x: area.x + area.width / 2, y: row) == Self.white)
    #expect(canvas.colour(x: area.x + area.width * 3 / 4, y: row) == Self.red)
  }

  @Test("the legend box holds the series' colour swatch and its text, top right by default")
  func legend() throws {
    #expect(LinePlot().legend == .topRight)
    let plot = Self.diagonal(legend: .topRight)
    let area = plot.plotArea(width: Self.width, height: Self.height)
    let box = try #require(plot.legendArea(width: Self.width, height: Self.height))
    let canvas = plot.draw(width: Self.width, height: Self.height)
    #expect(box.x + box.width <= area.x + area.width && box.x > area.x + area.width / 2)
    #expect(box.y >= area.y && box.y < area.y + area.height / 4)
    var swatch = 0
    var text = 0
    for y in box.y..<(box.y + box.height) {
      for x in box.x..<(box.x + box.width) {
        let colour = canvas.colour(x: x, y: y)
        if colour == Self.red { swatch += 1 }
        if colour.x < 0.3 && colour.y < 0.3 && colour.z < 0.3 { text += 1 }
      }
    }
    #expect(swatch >= 20, "a 3-pixel line in the series' colour")
    #expect(text >= 30, "dark text pixels of the label")
    // The text is the label: the same width of ink as "diagonal" drawn alone.
    #expect(
      LinePlot.legendSize(plot.legendEntries).width
        == 2 * LinePlot.legendPad + LinePlot.swatchLength + LinePlot.legendPad
        + Axes.tickFont.width(of: "diagonal"))
    // Hidden legend, unlabelled series: no box.
    #expect(
      Self.diagonal(legend: .hidden).legendArea(width: Self.width, height: Self.height) == nil)
    var outside = Self.diagonal(legend: .outsideRight)
    let outsideBox = try #require(outside.legendArea(width: Self.width, height: Self.height))
    #expect(
      outsideBox.x > outside.plotArea(width: Self.width, height: Self.height).x
        + outside.plotArea(width: Self.width, height: Self.height).width)
    outside.series[0].label = ""
    #expect(outside.legendArea(width: Self.width, height: Self.height) == nil)
  }

  @Test("a span shades its x interval across the plot; a reference line is dashed at its y")
  func spanAndReferenceLine() {
    var plot = LinePlot(series: [LinePlot.Series(x: [0, 10], y: [0, 0], colour: Self.red)])
    plot.xRange = 0...10
    plot.yRange = 0...1
    plot.spans = [LinePlot.Span(x0: 2, x1: 4, colour: SIMD3(0, 0, 1), alpha: 0.5)]
    plot.referenceLines = [LinePlot.ReferenceLine(y: 0.75, colour: .zero)]
    plot.legend = .hidden
    let area = plot.plotArea(width: Self.width, height: Self.height)
    let canvas = plot.draw(width: Self.width, height: Self.height)
    let inside = area.x + Int(Double(area.width) * 0.3)
    let outside = area.x + Int(Double(area.width) * 0.6)
    let middle = area.y + area.height / 2
    #expect(canvas.colour(x: inside, y: middle) == SIMD3(0.5, 0.5, 1))
    #expect(canvas.colour(x: inside, y: area.y) == SIMD3(0.5, 0.5, 1), "the whole height")
    #expect(canvas.colour(x: outside, y: middle) == Self.white)
    let lineRow = area.y + area.height / 4
    let dark = (area.x..<(area.x + area.width)).filter {
      canvas.colour(x: $0, y: lineRow).x < 0.5
    }
    #expect(dark.count > area.width / 3 && dark.count < area.width * 5 / 6, "dashed")
  }
}
