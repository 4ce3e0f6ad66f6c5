import Foundation
import ImageFiles
import Testing

@testable import Plotting

/// Figures like the ones semrob writes, for looking at: with `SEMROB_PLOT_SAMPLES=<directory>`
/// the last test writes them there as PNGs.
@Suite struct SampleFigureTests {
  /// A 34 × 120 azimuth–elevation grid, 0.5 + 0.5 · sin(azimuth) · cos(elevation), with a
  /// robust region that crosses azimuth 360 and the input pose marked.
  static func heatMap() -> HeatMap {
    let azimuths = (0..<120).map { Double($0 * 3) }
    let elevations = (0..<34).map { Double(-10 + $0 * 3) }
    var values: [Float] = []
    for elevation in elevations {
      for azimuth in azimuths {
        let value =
          0.5 + 0.5 * sin(azimuth * .pi / 180) * cos(elevation * .pi / 180 * 2)
        values.append(Float(min(1, max(0, value))))
      }
    }
    var map = HeatMap(
      values: values, rows: 34, columns: 120, x: azimuths, y: elevations,
      title: "chair01 · resnet-mini · P(chair)", xLabel: "azimuth (°)", yLabel: "elevation (°)",
      colourBarLabel: "P(chair)")
    map.xPeriod = 360
    map.rectangles = [
      HeatMap.Rectangle(x0: 330, y0: 10, x1: 390, y1: 40, label: "robust region"),
      HeatMap.Rectangle(
        x0: 60, y0: 50, x1: 120, y1: 80, edgeColour: SIMD3(repeating: 0.2), dashed: true,
        label: "1-D interval"),
    ]
    map.markers = [
      HeatMap.Marker(x: 12, y: 25, label: "input pose"),
      HeatMap.Marker(x: 200, y: 60, shape: .cross, size: 11, label: "attack"),
    ]
    return map
  }

  /// Four series over azimuth 0…358, one with a gap, with a shaded robust interval and the 0.5
  /// threshold.
  static func linePlot() -> LinePlot {
    let azimuths = (0..<180).map { Double($0 * 2) }
    let series = [0.0, 20, 40, 60].enumerated().map { index, elevation in
      // The series with markers has one point per 10°.
      let azimuths =
        index == 1 ? azimuths.filter { $0.truncatingRemainder(dividingBy: 10) == 0 } : azimuths
      let y = azimuths.map { azimuth -> Double in
        if index == 3 && (100...130).contains(azimuth) { return .nan }
        return 0.5 + 0.45 * sin((azimuth + elevation * 2) * .pi / 180) * cos(elevation * .pi / 180)
      }
      return LinePlot.Series(
        x: azimuths, y: y, label: "elevation \(Int(elevation))°", dashed: index == 2,
        marker: index == 1 ? .circle : nil)
    }
    var plot = LinePlot(
      series: series, title: "chair01 · resnet-mini · P(chair) against azimuth",
      xLabel: "azimuth (°)", yLabel: "P(chair)")
    plot.yRange = 0...1
    plot.xRange = 0...360
    plot.xTicks = Ticks(values: [0, 45, 90, 135, 180, 225, 270, 315, 360])
    plot.spans = [LinePlot.Span(x0: 30, x1: 110, label: "robust interval")]
    plot.referenceLines = [LinePlot.ReferenceLine(y: 0.5, label: "threshold 0.5")]
    plot.legend = .outsideRight
    return plot
  }

  /// Eight 64 × 64 gradients in a grid of four columns at 2×, with two-line captions and
  /// green or red frames.
  static func imageGrid() -> ImageGrid {
    let images = (0..<8).map { index -> ImageGrid.Image in
      let base = SeriesColours.standard[index]
      var pixels: [Float] = []
      for row in 0..<64 {
        for column in 0..<64 {
          let shade = Float(row + column) / 126
          let colour = base * (0.55 + 0.45 * shade) + SIMD3(repeating: 0.1 * (1 - shade))
          pixels += [colour.x, colour.y, colour.z]
        }
      }
      let correct = index % 3 != 2
      return ImageGrid.Image(
        pixels: pixels, width: 64, height: 64,
        caption: "az \(index * 45)°, el 10°\n\(correct ? "chair" : "table") 0.\(90 - index * 7)",
        frameColour: correct ? SIMD3(0.17, 0.63, 0.17) : SIMD3(0.84, 0.15, 0.16))
    }
    return ImageGrid(images: images, columns: 4, title: "chair01 · renders and answers", scale: 2)
  }

  @Test("the sample figures draw at their default sizes")
  func draw() {
    #expect(Self.heatMap().draw().width == 960)
    #expect(Self.linePlot().draw().height == 440)
    #expect(Self.imageGrid().draw().width == Self.imageGrid().size.width)
  }

  @Test(
    "write the sample figures as PNGs",
    .enabled(if: ProcessInfo.processInfo.environment["SEMROB_PLOT_SAMPLES"] != nil))
  func writeSamples() throws {
    let directory = URL(
      fileURLWithPath: ProcessInfo.processInfo.environment["SEMROB_PLOT_SAMPLES"] ?? ".")
    try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    let figures = [
      ("heatmap.png", Self.heatMap().draw()),
      ("lineplot.png", Self.linePlot().draw()),
      ("imagegrid.png", Self.imageGrid().draw()),
    ]
    for (name, canvas) in figures {
      try PNGImage(canvas.tensor).write(to: directory.appending(path: name))
    }
  }
}
