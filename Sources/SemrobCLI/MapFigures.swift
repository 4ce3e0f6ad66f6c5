import ArgumentParser
import Foundation
import Plotting
import Rendering
import SemanticAnalysis

/// The values at the colormap's ends: `unit` (0…1), `zero-max` (0…the map's maximum, the
/// study's `vmin=0, vmax=max(Z)`), `min-max` (the map's own range) or `A,B`.
enum ColourScale: ExpressibleByArgument, Equatable {
  case unit
  case zeroToMaximum
  case minimumToMaximum
  case fixed(ClosedRange<Double>)

  init?(argument: String) {
    switch argument {
    case "unit": self = .unit
    case "zero-max": self = .zeroToMaximum
    case "min-max": self = .minimumToMaximum
    default:
      guard let range = RangeOption(argument: argument), range.step == nil,
        range.range.lowerBound < range.range.upperBound
      else { return nil }
      self = .fixed(range.range)
    }
  }

  /// The command-line spelling.
  var defaultValueDescription: String {
    switch self {
    case .unit: "unit"
    case .zeroToMaximum: "zero-max"
    case .minimumToMaximum: "min-max"
    case .fixed(let range): "\(range.lowerBound),\(range.upperBound)"
    }
  }

  /// The range for `map` (a constant map gets a unit-wide range).
  func range(for map: SemanticMap) -> ClosedRange<Double> {
    let finite = map.values.filter(\.isFinite).map(Double.init)
    let low = finite.min() ?? 0
    let high = finite.max() ?? 1
    switch self {
    case .unit: return 0...1
    case .zeroToMaximum: return high > 0 ? 0...high : 0...1
    case .minimumToMaximum: return low < high ? low...high : low...(low + 1)
    case .fixed(let range): return range
    }
  }
}

/// The figures of `semrob map` and `semrob dsm`.
enum MapFigures {
  /// The colormap called `name` (rdbu, red-blue or viridis).
  static func colormap(_ name: String) -> Colormap? { Colormap.named(name) }

  /// A network semantic map's figure: a heat map (2-D) or a profile (1-D) of P on 0…1, with
  /// the semantic traps outlined and the best and worst poses marked.
  static func figure(
    _ map: SemanticMap, result: MapResult, colormap: String, scale: ColourScale = .unit
  ) -> Canvas {
    let title = "\(result.shape) · \(result.model) · P(\(result.className))"
    if map.grid.axes.count == 1 {
      return profiles(
        [map], labels: [result.model], title: title, level: result.statistics.level,
        traps: result.statistics.traps)
    }
    return heatMap(
      map, title: title, subtitle: nil, colormap: colormap, traps: result.statistics.traps,
      statistics: result.statistics, scale: scale, barLabel: "P(\(result.className))")
  }

  /// A heat map of a 2-D map (a 1-D map is drawn as a profile) over the colour `scale` (by
  /// default 0…max, the study's `vmin=0, vmax=max(Z)`), traps outlined, and the extremes marked
  /// when `statistics` is given.
  static func heatMap(
    _ map: SemanticMap, title: String, subtitle: String?, colormap: String,
    traps: [SemanticTrap], statistics: MapStatistics? = nil,
    scale: ColourScale = .zeroToMaximum, barLabel: String = "mean score"
  ) -> Canvas {
    let fullTitle = [title, subtitle].compactMap { $0 }.joined(separator: " · ")
    let grid = map.grid
    if grid.axes.count == 1 {
      return profiles(
        [map], labels: [barLabel], title: fullTitle, level: statistics?.level ?? 0.5,
        traps: traps)
    }
    let (xAxis, yAxis) = (grid.axes[0], grid.axes[1])
    var figure = HeatMap(
      values: map.values, rows: grid.rows, columns: grid.columns, x: xAxis.values,
      y: yAxis.values, valueRange: scale.range(for: map),
      colormap: Self.colormap(colormap) ?? .redBlue,
      title: fullTitle, xLabel: SemanticSpace.parameter(xAxis.parameter).axisLabel,
      yLabel: SemanticSpace.parameter(yAxis.parameter).axisLabel, colourBarLabel: barLabel)
    figure.xPeriod = xAxis.isFullTurn ? 360 : nil
    figure.xTicks = ticks(xAxis, through: xAxis.end + xAxis.step / 2)
    // The largest traps outlined; single cells unlabelled so they do not crowd the figure.
    for (k, trap) in traps.prefix(6).enumerated() {
      figure.rectangles.append(
        HeatMap.Rectangle(
          x0: trap.extent[0][0] - xAxis.step / 2, y0: trap.extent[1][0] - yAxis.step / 2,
          x1: trap.extent[0][1] + xAxis.step / 2, y1: trap.extent[1][1] + yAxis.step / 2,
          edgeColour: SIMD3(repeating: 0.1), lineWidth: 1.5, dashed: true,
          label: trap.cells > 1 ? "trap \(k + 1)" : nil))
    }
    if let statistics {
      figure.markers.append(
        HeatMap.Marker(
          x: statistics.minimum.point[0], y: statistics.minimum.point[1], shape: .cross, size: 11,
          label: String(format: "worst %.2f", statistics.minimum.value)))
      figure.markers.append(
        HeatMap.Marker(
          x: statistics.maximum.point[0], y: statistics.maximum.point[1], shape: .circle,
          size: 9, colour: SIMD3(repeating: 1), outline: .zero,
          label: String(format: "best %.2f", statistics.maximum.value)))
    }
    return figure.draw(width: 960, height: 440)
  }

  /// 1-D maps drawn as profiles, one line per map, P on 0…1, the level dashed and the traps
  /// of a single map shaded.
  static func profiles(
    _ maps: [SemanticMap], labels: [String], title: String, level: Double,
    traps: [SemanticTrap]
  ) -> Canvas {
    let axis = maps[0].grid.axes[0]
    var plot = LinePlot(
      series: zip(maps, labels).map { map, label in
        LinePlot.Series(x: axis.values, y: map.values.map(Double.init), label: label)
      },
      title: title, xLabel: SemanticSpace.parameter(axis.parameter).axisLabel,
      yLabel: "score")
    plot.yRange = 0...1
    plot.xRange = axis.start...(axis.isFullTurn ? axis.start + 360 : axis.end)
    plot.xTicks = ticks(axis, through: plot.xRange!.upperBound)
    plot.referenceLines = [
      LinePlot.ReferenceLine(y: level, label: String(format: "level %.2g", level))
    ]
    for (k, trap) in traps.prefix(9).enumerated() {
      let lower = trap.extent[0][0] - axis.step / 2
      let upper = trap.extent[0][1] + axis.step / 2
      let label = k == 0 ? "semantic trap" : nil
      if axis.isFullTurn && upper > axis.start + 360 {
        // Wrapped: the part past the end of the turn is drawn from the start.
        plot.spans.append(LinePlot.Span(x0: lower, x1: axis.start + 360, colour: red, label: label))
        plot.spans.append(
          LinePlot.Span(x0: axis.start, x1: upper - 360, colour: red))
      } else {
        plot.spans.append(LinePlot.Span(x0: lower, x1: upper, colour: red, label: label))
      }
    }
    plot.legend = maps.count > 4 ? .outsideRight : .bottomRight
    return plot.draw(width: 960, height: 440)
  }

  /// Several models' 1-D maps of one shape on one figure.
  static func profiles(_ maps: [SemanticMap], results: [MapResult]) -> Canvas {
    let first = results[0]
    return profiles(
      maps, labels: results.map(\.model),
      title: "\(first.shape) · P(\(first.className)) by model", level: first.statistics.level,
      traps: [])
  }

  /// Renders of the shape at a few grid poses (those of a coarse lattice, plus the first
  /// model's best and worst poses), captioned with the pose and every model's score there.
  static func renderSheet(_ maps: [SemanticMap], results: [MapResult], job: MapJob) throws -> Canvas
  {
    let grid = maps[0].grid
    var indices: [Int] = []
    if grid.axes.count == 2 {
      // Four azimuths × two elevations spread over the grid.
      for rowFraction in [0.3, 0.6] {
        let row = min(grid.rows - 1, Int((Double(grid.rows - 1) * rowFraction).rounded()))
        for k in 0..<4 {
          let column = (grid.columns * k) / 4
          indices.append(grid.index(column: column, row: row))
        }
      }
    } else {
      indices = (0..<8).map { (grid.columns * $0) / 8 }
    }
    let minimum = maps[0].values.indices.min { maps[0].values[$0] < maps[0].values[$1] }!
    let maximum = maps[0].values.indices.max { maps[0].values[$0] < maps[0].values[$1] }!
    indices += [maximum, minimum]
    let renders = job.renders(grid, at: indices)
    let images = zip(indices, renders).enumerated().map { k, pair in
      let (index, render) = pair
      let u = grid.point(at: index)
      var pose = zip(grid.parameters, u).prefix(2).map { parameter, value in
        Self.shortName(parameter) + " " + MapResult.format(value, parameter)
      }.joined(separator: ", ")
      if k == indices.count - 2 { pose = "best: " + pose }
      if k == indices.count - 1 { pose = "worst: " + pose }
      let scores = maps.map { String(format: "%.2f", $0.values[index]) }.joined(separator: " / ")
      let correct = maps.allSatisfy { $0.values[index] > 0.5 }
      return ImageGrid.Image(
        pixels: render.pixels, width: render.size, height: render.size,
        caption: pose + "\n" + (maps.count == 1 ? "P = " : "") + scores,
        frameColour: correct ? SIMD3(0.17, 0.63, 0.17) : SIMD3(0.84, 0.15, 0.16))
    }
    let models = results.map(\.model).joined(separator: " / ")
    let title =
      "\(results[0].shape): renders at grid poses · P(\(results[0].className)) by \(models)"
    return ImageGrid(images: images, columns: 5, title: title, scale: 2, gap: 12).draw()
  }

  private static let red = SIMD3<Float>(0.84, 0.15, 0.16)

  /// `az`, `el`, `dist`, `fov`, `light az`, `light el`.
  static func shortName(_ parameter: RenderParameter) -> String {
    switch parameter {
    case .azimuth: "az"
    case .elevation: "el"
    case .distance: "dist"
    case .fieldOfView: "fov"
    case .lightAzimuth: "light az"
    case .lightElevation: "light el"
    }
  }

  /// Ticks for an axis up to `upper`: every 60° (or 30°, 15°) on an azimuth-like axis,
  /// automatic (`nil`) otherwise.
  static func ticks(_ axis: SemanticGrid.Axis, through upper: Double) -> Ticks? {
    guard axis.parameter == .azimuth || axis.parameter == .lightAzimuth else { return nil }
    let lower = axis.start - axis.step / 2
    let spacing = upper - lower > 180 ? 60.0 : (upper - lower > 90 ? 30 : 15)
    let first = (lower / spacing).rounded(.up) * spacing
    let values = stride(from: first, through: upper, by: spacing).map { $0 }
    return values.count >= 2 ? Ticks(values: values) : nil
  }
}
