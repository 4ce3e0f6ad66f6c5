/// A figure of one or more series as lines over a shared x axis, like matplotlib's `plot` with a
/// legend.
///
/// Each series is drawn as a line through its points in order (optionally dashed, optionally
/// with markers at the points); a NaN or infinite y breaks the line. Shaded vertical ``spans``
/// (such as a robust interval of azimuth) are drawn behind the series and horizontal
/// ``referenceLines`` (such as the decision threshold 0.5) over the spans. Everything is
/// clipped to the plot area, which has a black frame with outward ticks. The legend lists the
/// series, spans and reference lines that have labels.
///
/// ```swift
/// var plot = LinePlot(
///   series: [LinePlot.Series(x: azimuths, y: scores, label: "P(chair)")],
///   xLabel: "azimuth (°)", yLabel: "probability")
/// plot.yRange = 0...1
/// plot.referenceLines = [LinePlot.ReferenceLine(y: 0.5)]
/// let canvas = plot.draw()
/// ```
public struct LinePlot: Sendable {
  /// One line of the plot.
  public struct Series: Sendable, Hashable {
    /// The x of each point, in data units.
    public var x: [Double]
    /// The y of each point, in data units; NaN breaks the line.
    public var y: [Double]
    /// The legend text; empty to leave the series out of the legend.
    public var label: String
    /// The colour, sRGB in [0, 1], or `nil` for ``SeriesColours/standard`` by the series's
    /// index.
    public var colour: SIMD3<Float>?
    /// The line width in pixels.
    public var lineWidth: Double
    /// Whether the line is dashed.
    public var dashed: Bool
    /// A marker drawn at each finite point, or `nil` for none.
    public var marker: MarkerShape?
    /// The markers' diameter in pixels.
    public var markerSize: Double

    /// Creates a series from points `(x[i], y[i])`.
    ///
    /// - Parameters:
    ///   - x: The x values in data units.
    ///   - y: The y values in data units, as many as `x`; NaN breaks the line.
    ///   - label: The legend text, or empty.
    ///   - colour: The colour, or `nil` for the standard colour of the series's index.
    ///   - lineWidth: The line width in pixels, > 0.
    ///   - dashed: Whether the line is dashed.
    ///   - marker: A marker for each point, or `nil`.
    ///   - markerSize: The markers' diameter in pixels.
    public init(
      x: [Double], y: [Double], label: String = "", colour: SIMD3<Float>? = nil,
      lineWidth: Double = 2, dashed: Bool = false, marker: MarkerShape? = nil,
      markerSize: Double = 6
    ) {
      precondition(x.count == y.count, "LinePlot.Series: \(x.count) x but \(y.count) y values")
      precondition(lineWidth > 0, "LinePlot.Series: line width \(lineWidth) must be positive")
      self.x = x
      self.y = y
      self.label = label
      self.colour = colour
      self.lineWidth = lineWidth
      self.dashed = dashed
      self.marker = marker
      self.markerSize = markerSize
    }
  }

  /// A shaded band over an interval of x, across the whole height of the plot.
  public struct Span: Sendable, Hashable {
    /// One end in data units.
    public var x0: Double
    /// The other end in data units.
    public var x1: Double
    /// The colour, sRGB in [0, 1].
    public var colour: SIMD3<Float>
    /// The opacity in [0, 1].
    public var alpha: Float
    /// The legend text, or `nil` to leave the span out of the legend.
    public var label: String?

    /// Creates a span from `x0` to `x1` (in either order).
    ///
    /// - Parameters:
    ///   - x0: One end in data units.
    ///   - x1: The other end in data units.
    ///   - colour: The colour, sRGB in [0, 1]; green by default.
    ///   - alpha: The opacity in [0, 1].
    ///   - label: The legend text, or `nil`.
    public init(
      x0: Double, x1: Double, colour: SIMD3<Float> = SeriesColours.standard[2],
      alpha: Float = 0.2, label: String? = nil
    ) {
      self.x0 = x0
      self.x1 = x1
      self.colour = colour
      self.alpha = alpha
      self.label = label
    }
  }

  /// A horizontal line across the plot at a fixed y.
  public struct ReferenceLine: Sendable, Hashable {
    /// The height in data units.
    public var y: Double
    /// The colour, sRGB in [0, 1].
    public var colour: SIMD3<Float>
    /// The line width in pixels.
    public var lineWidth: Double
    /// Whether the line is dashed.
    public var dashed: Bool
    /// The legend text, or `nil` to leave the line out of the legend.
    public var label: String?

    /// Creates a reference line at height `y`; by default a dashed dark grey line.
    ///
    /// - Parameters:
    ///   - y: The height in data units.
    ///   - colour: The colour, sRGB in [0, 1].
    ///   - lineWidth: The line width in pixels, > 0.
    ///   - dashed: Whether the line is dashed.
    ///   - label: The legend text, or `nil`.
    public init(
      y: Double, colour: SIMD3<Float> = SIMD3(repeating: 0.3), lineWidth: Double = 1.25,
      dashed: Bool = true, label: String? = nil
    ) {
      self.y = y
      self.colour = colour
      self.lineWidth = lineWidth
      self.dashed = dashed
      self.label = label
    }
  }

  /// Where the legend goes.
  public enum LegendPlacement: Sendable, Hashable {
    /// Inside the plot area, in its top-right corner.
    case topRight
    /// Inside the plot area, in its top-left corner.
    case topLeft
    /// Inside the plot area, in its bottom-right corner.
    case bottomRight
    /// Inside the plot area, in its bottom-left corner.
    case bottomLeft
    /// Right of the plot area, aligned with its top; the plot area narrows to make room.
    case outsideRight
    /// No legend.
    case hidden
  }

  /// The series, drawn in order (later ones on top).
  public var series: [Series]
  /// Shaded bands drawn behind everything else.
  public var spans: [Span] = []
  /// Horizontal lines drawn over the spans and under the series.
  public var referenceLines: [ReferenceLine] = []
  /// The x range shown, or `nil` for the data's (from the smallest to the largest x).
  public var xRange: ClosedRange<Double>?
  /// The y range shown, or `nil` for the data's and the reference lines', widened by 5% on
  /// each side.
  public var yRange: ClosedRange<Double>?
  /// Explicit x ticks, or `nil` for automatic ones.
  public var xTicks: Ticks?
  /// Explicit y ticks, or `nil` for automatic ones.
  public var yTicks: Ticks?
  /// The title above the plot (18 px), or empty.
  public var title: String
  /// The x axis label (14 px), or empty.
  public var xLabel: String
  /// The y axis label (14 px, rotated to read upwards), or empty.
  public var yLabel: String
  /// Where the legend goes.
  public var legend: LegendPlacement = .topRight

  /// Creates a line plot.
  ///
  /// - Parameters:
  ///   - series: The series.
  ///   - title: The title, or empty.
  ///   - xLabel: The x axis label, or empty.
  ///   - yLabel: The y axis label, or empty.
  public init(series: [Series] = [], title: String = "", xLabel: String = "", yLabel: String = "") {
    self.series = series
    self.title = title
    self.xLabel = xLabel
    self.yLabel = yLabel
  }

  /// One legend row: what its swatch shows and its text.
  enum LegendEntry {
    case line(colour: SIMD3<Float>, width: Double, dashed: Bool, marker: MarkerShape?, text: String)
    case band(colour: SIMD3<Float>, alpha: Float, text: String)

    var text: String {
      switch self {
      case .line(_, _, _, _, let text), .band(_, _, let text): text
      }
    }
  }

  /// The legend's rows: labelled series, then spans, then reference lines.
  var legendEntries: [LegendEntry] {
    guard legend != .hidden else { return [] }
    var entries: [LegendEntry] = []
    for (index, series) in series.enumerated() where !series.label.isEmpty {
      entries.append(
        .line(
          colour: colour(of: index), width: series.lineWidth, dashed: series.dashed,
          marker: series.marker, text: series.label))
    }
    for span in spans {
      if let label = span.label, !label.isEmpty {
        entries.append(.band(colour: span.colour, alpha: span.alpha, text: label))
      }
    }
    for line in referenceLines {
      if let label = line.label, !label.isEmpty {
        entries.append(
          .line(
            colour: line.colour, width: line.lineWidth, dashed: line.dashed, marker: nil,
            text: label))
      }
    }
    return entries
  }

  /// The colour of series `index`.
  func colour(of index: Int) -> SIMD3<Float> {
    series[index].colour ?? SeriesColours.standard[index % SeriesColours.standard.count]
  }

  /// Legend metrics: swatch length, padding, row height.
  static let swatchLength = 26
  static let legendPad = 6
  static let legendRowHeight = Axes.lineHeight(Axes.tickFont) + 6

  /// The legend box's size for `entries`.
  static func legendSize(_ entries: [LegendEntry]) -> (width: Int, height: Int) {
    let text = Axes.widest(entries.map(\.text), font: Axes.tickFont)
    return (
      2 * legendPad + swatchLength + legendPad + text,
      2 * legendPad + entries.count * legendRowHeight - 6
    )
  }

  /// The data ranges shown.
  var ranges: (x: ClosedRange<Double>, y: ClosedRange<Double>) {
    func finiteRange(_ values: [Double]) -> ClosedRange<Double>? {
      let finite = values.filter(\.isFinite)
      guard let low = finite.min(), let high = finite.max() else { return nil }
      return low...high
    }
    func widened(_ range: ClosedRange<Double>) -> ClosedRange<Double> {
      range.upperBound > range.lowerBound
        ? range : (range.lowerBound - 0.5)...(range.upperBound + 0.5)
    }
    let x = widened(xRange ?? finiteRange(series.flatMap(\.x)) ?? 0...1)
    var y: ClosedRange<Double>
    if let yRange {
      y = widened(yRange)
    } else {
      let data = finiteRange(series.flatMap(\.y) + referenceLines.map(\.y)) ?? 0...1
      let pad = (data.upperBound - data.lowerBound) * 0.05
      y = widened((data.lowerBound - pad)...(data.upperBound + pad))
    }
    return (x, y)
  }

  /// Where everything goes on a canvas of a given size.
  func layout(width: Int, height: Int) -> (axes: Axes, xTicks: Ticks, yTicks: Ticks) {
    let (xRange, yRange) = ranges
    let top = Axes.topMargin(title: title)
    let bottom = Axes.bottomMargin(xLabel: xLabel)
    let areaHeight = height - top - bottom
    let yTicks = yTicks ?? .automatic(for: yRange, count: Axes.tickCount(forLength: areaHeight))
    let visibleY = zip(yTicks.values, yTicks.labels).filter { yRange.contains($0.0) }.map(\.1)
    let left = Axes.leftMargin(yLabel: yLabel, tickLabels: visibleY)
    let outside =
      legend == .outsideRight && !legendEntries.isEmpty
      ? Self.legendSize(legendEntries).width + 14 : 0
    var right = Axes.edgePad + outside
    var xTicks =
      xTicks ?? .automatic(for: xRange, count: Axes.tickCount(forLength: width - left - right))
    let overhang = Axes.rightOverhang(xTicks: xTicks) + Axes.edgePad
    if overhang > right {
      right = overhang
      xTicks =
        self.xTicks
        ?? .automatic(for: xRange, count: Axes.tickCount(forLength: width - left - right))
    }
    let areaWidth = width - left - right
    precondition(
      areaWidth >= 1 && areaHeight >= 1,
      "LinePlot: a \(width) × \(height) canvas leaves no room for the plot")
    let area = (x: left, y: top, width: areaWidth, height: areaHeight)
    return (Axes(area: area, xRange: xRange, yRange: yRange), xTicks, yTicks)
  }

  /// The region of whole pixels the data fill on a `width × height` canvas.
  ///
  /// The frame lies one pixel outside it; data x maps linearly from the x range's lower end at
  /// the region's left edge to its upper end at the right edge, and y from the bottom edge up.
  ///
  /// - Parameters:
  ///   - width: The canvas width in pixels.
  ///   - height: The canvas height in pixels.
  /// - Returns: The plot area's top-left pixel and size, y downwards.
  public func plotArea(width: Int = 800, height: Int = 440) -> Canvas.Region {
    layout(width: width, height: height).axes.area
  }

  /// The legend box's region on a `width × height` canvas, or `nil` without a legend.
  ///
  /// - Parameters:
  ///   - width: The canvas width in pixels.
  ///   - height: The canvas height in pixels.
  /// - Returns: The box's top-left pixel and size, y downwards.
  public func legendArea(width: Int = 800, height: Int = 440) -> Canvas.Region? {
    let entries = legendEntries
    guard !entries.isEmpty else { return nil }
    let area = layout(width: width, height: height).axes.area
    let size = Self.legendSize(entries)
    let inset = 10
    let left = area.x + inset
    let right = area.x + area.width - inset - size.width
    let top = area.y + inset
    let bottom = area.y + area.height - inset - size.height
    let origin: (Int, Int) =
      switch legend {
      case .topRight: (right, top)
      case .topLeft: (left, top)
      case .bottomRight: (right, bottom)
      case .bottomLeft: (left, bottom)
      case .outsideRight: (area.x + area.width + 14, area.y)
      case .hidden: (0, 0)
      }
    return (x: origin.0, y: origin.1, width: size.width, height: size.height)
  }

  /// The dash pattern for a line of `width` pixels, as matplotlib's `--` (3.7 on, 1.6 off
  /// times the width).
  static func dashPattern(width: Double) -> [Double] {
    let unit = max(width, 1.5)
    return [3.7 * unit, 1.6 * unit]
  }

  /// Draws the figure.
  ///
  /// - Parameters:
  ///   - width: The canvas width in pixels.
  ///   - height: The canvas height in pixels.
  /// - Returns: A white canvas with the spans, reference lines, series, frame, ticks, labels
  ///   and legend.
  /// - Complexity: O(width · height + points).
  public func draw(width: Int = 800, height: Int = 440) -> Canvas {
    let (axes, xTicks, yTicks) = layout(width: width, height: height)
    let area = axes.area
    var canvas = Canvas(width: width, height: height)
    for span in spans {
      canvas.fillRectangle(
        from: SIMD2(axes.pixelX(span.x0), Double(area.y)),
        to: SIMD2(axes.pixelX(span.x1), Double(area.y + area.height)), colour: span.colour,
        alpha: span.alpha, clip: area)
    }
    for line in referenceLines {
      let y = axes.pixelY(line.y)
      canvas.line(
        from: SIMD2(Double(area.x), y), to: SIMD2(Double(area.x + area.width), y),
        colour: line.colour, width: line.lineWidth,
        dash: line.dashed ? Self.dashPattern(width: line.lineWidth) : [], clip: area)
    }
    for (index, series) in series.enumerated() {
      let colour = colour(of: index)
      let points = zip(series.x, series.y).map { x, y in
        y.isFinite && x.isFinite ? axes.pixel(x, y) : SIMD2(repeating: .nan)
      }
      canvas.polyline(
        points, colour: colour, width: series.lineWidth,
        dash: series.dashed ? Self.dashPattern(width: series.lineWidth) : [], clip: area)
      if let marker = series.marker {
        for point in points where point.x.isFinite {
          canvas.marker(
            marker, at: point, size: series.markerSize, colour: colour,
            outline: SIMD3(repeating: 1), outlineWidth: 1, clip: area)
        }
      }
    }
    axes.drawFrame(on: &canvas)
    axes.drawXTicks(xTicks, on: &canvas)
    axes.drawYTicks(yTicks, on: &canvas)
    axes.drawLabels(title: title, xLabel: xLabel, yLabel: yLabel, on: &canvas)
    if let box = legendArea(width: width, height: height) {
      drawLegend(in: box, on: &canvas)
    }
    return canvas
  }

  private func drawLegend(in box: Canvas.Region, on canvas: inout Canvas) {
    canvas.fillRectangle(
      from: SIMD2(Double(box.x), Double(box.y)),
      to: SIMD2(Double(box.x + box.width), Double(box.y + box.height)),
      colour: SIMD3(repeating: 1), alpha: 0.9)
    canvas.strokeRectangle(
      from: SIMD2(Double(box.x) + 0.5, Double(box.y) + 0.5),
      to: SIMD2(Double(box.x + box.width) - 0.5, Double(box.y + box.height) - 0.5),
      colour: SIMD3(repeating: 0.8), width: 1)
    let font = Axes.tickFont
    let swatchLeft = Double(box.x + Self.legendPad)
    let swatchRight = swatchLeft + Double(Self.swatchLength)
    for (row, entry) in legendEntries.enumerated() {
      let top = box.y + Self.legendPad + row * Self.legendRowHeight
      let baseline = top + Axes.above(font)
      let middle = Double(top) + Double(Axes.lineHeight(font)) / 2
      switch entry {
      case .line(let colour, let width, let dashed, let marker, _):
        canvas.line(
          from: SIMD2(swatchLeft, middle), to: SIMD2(swatchRight, middle), colour: colour,
          width: width, dash: dashed ? Self.dashPattern(width: width) : [])
        if let marker {
          canvas.marker(
            marker, at: SIMD2((swatchLeft + swatchRight) / 2, middle), size: 6, colour: colour,
            outline: SIMD3(repeating: 1))
        }
      case .band(let colour, let alpha, _):
        canvas.fillRectangle(
          from: SIMD2(swatchLeft, middle - 5), to: SIMD2(swatchRight, middle + 5), colour: colour,
          alpha: max(alpha, 0.35))
      }
      canvas.text(
        entry.text, x: Int(swatchRight) + Self.legendPad, y: baseline, font: font,
        colour: Axes.ink)
    }
  }
}
