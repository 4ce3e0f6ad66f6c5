/// A figure of a 2-D grid of values as coloured cells with a colour bar, like matplotlib's
/// `pcolormesh(X, Y, Z, shading="nearest")` followed by `colorbar()`.
///
/// The grid has `rows × columns` values, row-major. Column `c` is drawn at x = `x[c]` and row
/// `r` at y = `y[r]`, with x growing to the right and y **upwards**: row 0 is the bottom row of
/// the picture, as in a plot of elevation against azimuth. Each cell is a block centred on its
/// sample whose edges lie halfway between neighbouring samples (and half a spacing beyond the
/// first and last), so the axes span from the first cell's outer edge to the last one's.
///
/// Values map linearly from ``valueRange`` to t in [0, 1] of ``colormap``; values outside are
/// clamped and NaN cells are drawn in ``missingColour``. ``markers`` and ``rectangles`` are
/// drawn over the cells in data coordinates and clipped to the plot area. With ``xPeriod`` set
/// (360 for an azimuth axis in degrees), x is periodic: a rectangle reaching past one side of
/// the x range is also drawn, shifted by the period, at the other side, and markers are wrapped
/// into the range.
///
/// ```swift
/// var map = HeatMap(
///   values: scores, rows: 34, columns: 120, x: azimuths, y: elevations,
///   title: "chair01 · P(chair)", xLabel: "azimuth (°)", yLabel: "elevation (°)",
///   colourBarLabel: "P(chair)")
/// map.xPeriod = 360
/// map.rectangles = [HeatMap.Rectangle(x0: 340, y0: 10, x1: 380, y1: 30, label: "robust")]
/// let png = PNGImage(map.draw().tensor)
/// ```
public struct HeatMap: Sendable {
  /// A marker drawn over the cells.
  public struct Marker: Sendable, Hashable {
    /// The position in data units.
    public var x: Double
    /// The position in data units.
    public var y: Double
    /// The marker's shape.
    public var shape: MarkerShape
    /// The marker's diameter in pixels.
    public var size: Double
    /// The fill colour, sRGB in [0, 1].
    public var colour: SIMD3<Float>
    /// The outline colour, sRGB in [0, 1], or `nil` for none.
    public var outline: SIMD3<Float>?
    /// Text drawn in black to the right of the marker (left of it near the right edge), or
    /// `nil`.
    public var label: String?

    /// Creates a marker; by default a black disc of 9 pixels with a white outline.
    ///
    /// - Parameters:
    ///   - x: The position in data units.
    ///   - y: The position in data units.
    ///   - shape: The marker's shape.
    ///   - size: The diameter in pixels, > 0.
    ///   - colour: The fill colour, sRGB in [0, 1].
    ///   - outline: The outline colour, or `nil` for none.
    ///   - label: Text drawn beside the marker, or `nil`.
    public init(
      x: Double, y: Double, shape: MarkerShape = .circle, size: Double = 9,
      colour: SIMD3<Float> = .zero, outline: SIMD3<Float>? = SIMD3(repeating: 1),
      label: String? = nil
    ) {
      self.x = x
      self.y = y
      self.shape = shape
      self.size = size
      self.colour = colour
      self.outline = outline
      self.label = label
    }
  }

  /// An axis-aligned rectangle outline drawn over the cells, such as a robust region.
  public struct Rectangle: Sendable, Hashable {
    /// One x edge in data units.
    public var x0: Double
    /// One y edge in data units.
    public var y0: Double
    /// The other x edge in data units; with a period it may lie beyond the x range.
    public var x1: Double
    /// The other y edge in data units.
    public var y1: Double
    /// The outline colour, sRGB in [0, 1].
    public var edgeColour: SIMD3<Float>
    /// The outline width in pixels.
    public var lineWidth: Double
    /// Whether the outline is dashed.
    public var dashed: Bool
    /// Text drawn in the edge colour inside the rectangle's top-left corner (of its widest
    /// visible part), or `nil`.
    public var label: String?

    /// Creates a rectangle with edges at `x0`, `x1` and `y0`, `y1` (in either order).
    ///
    /// - Parameters:
    ///   - x0: One x edge in data units.
    ///   - y0: One y edge in data units.
    ///   - x1: The other x edge in data units.
    ///   - y1: The other y edge in data units.
    ///   - edgeColour: The outline colour, sRGB in [0, 1]; black by default.
    ///   - lineWidth: The outline width in pixels, > 0.
    ///   - dashed: Whether the outline is dashed.
    ///   - label: Text drawn inside the top-left corner, or `nil`.
    public init(
      x0: Double, y0: Double, x1: Double, y1: Double, edgeColour: SIMD3<Float> = .zero,
      lineWidth: Double = 2, dashed: Bool = false, label: String? = nil
    ) {
      self.x0 = x0
      self.y0 = y0
      self.x1 = x1
      self.y1 = y1
      self.edgeColour = edgeColour
      self.lineWidth = lineWidth
      self.dashed = dashed
      self.label = label
    }
  }

  /// The values, row-major `rows × columns`; row 0 is the first y value.
  public let values: [Float]
  /// The number of rows (y samples).
  public let rows: Int
  /// The number of columns (x samples).
  public let columns: Int
  /// The x of each column's centre, in data units, strictly increasing.
  public let x: [Double]
  /// The y of each row's centre, in data units, strictly increasing.
  public let y: [Double]
  /// The values mapped to the ends of the colormap; a range of zero width is drawn as
  /// `lower…lower + 1`.
  public var valueRange: ClosedRange<Double>
  /// The colormap; ``Colormap/redBlue`` by default.
  public var colormap: Colormap
  /// The title above the plot (18 px), or empty.
  public var title: String
  /// The x axis label (14 px), or empty.
  public var xLabel: String
  /// The y axis label (14 px, rotated to read upwards), or empty.
  public var yLabel: String
  /// The colour bar's label (14 px, rotated), or empty.
  public var colourBarLabel: String
  /// Explicit x ticks, or `nil` for automatic ones.
  public var xTicks: Ticks?
  /// Explicit y ticks, or `nil` for automatic ones.
  public var yTicks: Ticks?
  /// Explicit colour-bar ticks in value units, or `nil` for automatic ones.
  public var colourBarTicks: Ticks?
  /// Markers drawn over the cells.
  public var markers: [Marker] = []
  /// Rectangle outlines drawn over the cells.
  public var rectangles: [Rectangle] = []
  /// The period of x in data units (360 for azimuth in degrees), or `nil` if x is not periodic.
  public var xPeriod: Double?
  /// The colour of NaN cells, sRGB in [0, 1]; light grey by default.
  public var missingColour = SIMD3<Float>(repeating: 0.85)

  /// Creates a heat map of a grid of values.
  ///
  /// - Parameters:
  ///   - values: The grid, row-major `rows × columns`, row 0 at the bottom; NaN for missing.
  ///   - rows: The number of rows, ≥ 1.
  ///   - columns: The number of columns, ≥ 1.
  ///   - x: The `columns` x values of the cell centres, strictly increasing.
  ///   - y: The `rows` y values of the cell centres, strictly increasing.
  ///   - valueRange: The values at the colormap's ends; by default 0…(largest finite value), as
  ///     the study's `vmin=0, vmax=max(Z)`, or 0…1 when no value is positive.
  ///   - colormap: The colormap.
  ///   - title: The title, or empty.
  ///   - xLabel: The x axis label, or empty.
  ///   - yLabel: The y axis label, or empty.
  ///   - colourBarLabel: The colour bar's label, or empty.
  public init(
    values: [Float], rows: Int, columns: Int, x: [Double], y: [Double],
    valueRange: ClosedRange<Double>? = nil, colormap: Colormap = .redBlue, title: String = "",
    xLabel: String = "", yLabel: String = "", colourBarLabel: String = ""
  ) {
    precondition(rows >= 1 && columns >= 1, "HeatMap: \(rows) × \(columns) grid is empty")
    precondition(
      values.count == rows * columns,
      "HeatMap: \(values.count) values for a \(rows) × \(columns) grid")
    precondition(
      x.count == columns && y.count == rows,
      "HeatMap: \(x.count) x and \(y.count) y values for \(columns) columns and \(rows) rows")
    precondition(
      Self.isIncreasing(x) && Self.isIncreasing(y),
      "HeatMap: x and y must be finite and strictly increasing")
    self.values = values
    self.rows = rows
    self.columns = columns
    self.x = x
    self.y = y
    let largest = values.lazy.filter(\.isFinite).max().map(Double.init) ?? 0
    self.valueRange = valueRange ?? (largest > 0 ? 0...largest : 0...1)
    self.colormap = colormap
    self.title = title
    self.xLabel = xLabel
    self.yLabel = yLabel
    self.colourBarLabel = colourBarLabel
  }

  /// The colour bar's width in pixels.
  static let colourBarWidth = 16

  /// Where everything goes on a canvas of a given size.
  struct Layout {
    /// The plot area and its data ranges.
    var axes: Axes
    /// The x ticks.
    var xTicks: Ticks
    /// The y ticks.
    var yTicks: Ticks
    /// The colour bar's region (inside its frame).
    var colourBar: Canvas.Region
    /// The colour bar's ticks in value units.
    var colourBarTicks: Ticks
  }

  /// The x of the cells' edges: `columns + 1` values halfway between the centres.
  var xEdges: [Double] { Self.edges(of: x) }
  /// The y of the cells' edges: `rows + 1` values halfway between the centres.
  var yEdges: [Double] { Self.edges(of: y) }

  /// The value range actually drawn: ``valueRange``, widened to 1 if it has no width.
  var drawnRange: ClosedRange<Double> {
    valueRange.upperBound > valueRange.lowerBound
      ? valueRange : valueRange.lowerBound...(valueRange.lowerBound + 1)
  }

  /// Lays the figure out on a `width × height` canvas.
  func layout(width: Int, height: Int) -> Layout {
    let xRange = xEdges.first!...xEdges.last!
    let yRange = yEdges.first!...yEdges.last!
    let top = Axes.topMargin(title: title)
    let bottom = Axes.bottomMargin(xLabel: xLabel)
    let areaHeight = height - top - bottom
    let yTicks = yTicks ?? .automatic(for: yRange, count: Axes.tickCount(forLength: areaHeight))
    let visibleY = zip(yTicks.values, yTicks.labels).filter { yRange.contains($0.0) }.map(\.1)
    let left = Axes.leftMargin(yLabel: yLabel, tickLabels: visibleY)
    let barTicks =
      colourBarTicks
      ?? .automatic(for: drawnRange, count: Axes.tickCount(forLength: areaHeight))
    let visibleBar = zip(barTicks.values, barTicks.labels).filter { drawnRange.contains($0.0) }
    let barRight =
      Self.colourBarWidth + 1 + Axes.tickLength + Axes.tickPad
      + Axes.widest(visibleBar.map(\.1), font: Axes.tickFont)
      + (colourBarLabel.isEmpty ? 0 : Axes.labelPad + Axes.lineHeight(Axes.labelFont))
      + Axes.edgePad
    var gap = 20
    var areaWidth = width - left - gap - barRight
    var xTicks = xTicks ?? .automatic(for: xRange, count: Axes.tickCount(forLength: areaWidth))
    // The last x tick label must not run into the colour bar.
    let overhang = Axes.rightOverhang(xTicks: xTicks) + 8
    if overhang > gap {
      gap = overhang
      areaWidth = width - left - gap - barRight
      xTicks = self.xTicks ?? .automatic(for: xRange, count: Axes.tickCount(forLength: areaWidth))
    }
    precondition(
      areaWidth >= 1 && areaHeight >= 1,
      "HeatMap: a \(width) × \(height) canvas leaves no room for the plot")
    let area = (x: left, y: top, width: areaWidth, height: areaHeight)
    return Layout(
      axes: Axes(area: area, xRange: xRange, yRange: yRange), xTicks: xTicks, yTicks: yTicks,
      colourBar: (
        x: left + areaWidth + 1 + gap, y: top, width: Self.colourBarWidth, height: areaHeight
      ),
      colourBarTicks: barTicks)
  }

  /// The region of whole pixels the cells fill on a `width × height` canvas.
  ///
  /// The frame lies one pixel outside it.
  ///
  /// - Parameters:
  ///   - width: The canvas width in pixels.
  ///   - height: The canvas height in pixels.
  /// - Returns: The plot area's top-left pixel and size, y downwards.
  public func plotArea(width: Int = 960, height: Int = 440) -> Canvas.Region {
    layout(width: width, height: height).axes.area
  }

  /// The block of pixels cell (`row`, `column`) fills on a `width × height` canvas.
  ///
  /// Blocks tile the plot area without gaps or overlaps; row 0's block touches the bottom of
  /// the plot area and column 0's its left side.
  ///
  /// - Parameters:
  ///   - row: The row, `0..<rows`.
  ///   - column: The column, `0..<columns`.
  ///   - width: The canvas width in pixels.
  ///   - height: The canvas height in pixels.
  /// - Returns: The block's top-left pixel and size, y downwards.
  public func cellRectangle(row: Int, column: Int, width: Int = 960, height: Int = 440)
    -> Canvas.Region
  {
    precondition(
      (0..<rows).contains(row) && (0..<columns).contains(column),
      "HeatMap.cellRectangle: cell (\(row), \(column)) outside \(rows) × \(columns)")
    let axes = layout(width: width, height: height).axes
    let xEdges = xEdges
    let yEdges = yEdges
    let left = Int(axes.pixelX(xEdges[column]).rounded())
    let right = Int(axes.pixelX(xEdges[column + 1]).rounded())
    let top = Int(axes.pixelY(yEdges[row + 1]).rounded())
    let bottom = Int(axes.pixelY(yEdges[row]).rounded())
    return (x: left, y: top, width: right - left, height: bottom - top)
  }

  /// The colour of a value: ``missingColour`` for NaN, else the colormap at its place in the
  /// drawn range.
  func colour(of value: Float) -> SIMD3<Float> {
    guard !value.isNaN else { return missingColour }
    let range = drawnRange
    return colormap.colour(
      (Double(value) - range.lowerBound) / (range.upperBound - range.lowerBound))
  }

  /// Draws the figure.
  ///
  /// - Parameters:
  ///   - width: The canvas width in pixels.
  ///   - height: The canvas height in pixels.
  /// - Returns: A white canvas with the cells, overlays, frame, ticks, labels and colour bar.
  /// - Complexity: O(width · height).
  public func draw(width: Int = 960, height: Int = 440) -> Canvas {
    let layout = layout(width: width, height: height)
    let axes = layout.axes
    var canvas = Canvas(width: width, height: height)
    // Cells: whole-pixel blocks between rounded edges, so neighbours share no pixel.
    let columnEdges = xEdges.map { Int(axes.pixelX($0).rounded()) }
    let rowEdges = yEdges.map { Int(axes.pixelY($0).rounded()) }
    for row in 0..<rows {
      for column in 0..<columns {
        canvas.fill(
          x: columnEdges[column], y: rowEdges[row + 1],
          width: columnEdges[column + 1] - columnEdges[column],
          height: rowEdges[row] - rowEdges[row + 1], colour(of: values[row * columns + column]))
      }
    }
    drawRectangles(on: &canvas, axes: axes)
    drawMarkers(on: &canvas, axes: axes)
    axes.drawFrame(on: &canvas)
    axes.drawXTicks(layout.xTicks, on: &canvas)
    axes.drawYTicks(layout.yTicks, on: &canvas)
    axes.drawLabels(title: title, xLabel: xLabel, yLabel: yLabel, on: &canvas)
    drawColourBar(on: &canvas, layout: layout)
    return canvas
  }

  /// The shifts by whole periods at which the x interval `low…high` meets the x range: `[0]`
  /// without a period.
  func periodicShifts(low: Double, high: Double, range: ClosedRange<Double>) -> [Double] {
    guard let period = xPeriod, period > 0 else { return [0] }
    let first = Int(((range.lowerBound - high) / period).rounded(.down))
    let last = Int(((range.upperBound - low) / period).rounded(.up))
    return (first...last).map { Double($0) * period }.filter {
      low + $0 < range.upperBound && high + $0 > range.lowerBound
    }
  }

  private func drawRectangles(on canvas: inout Canvas, axes: Axes) {
    for rectangle in rectangles {
      let low = min(rectangle.x0, rectangle.x1)
      let high = max(rectangle.x0, rectangle.x1)
      let dash =
        rectangle.dashed ? [max(4, 3 * rectangle.lineWidth), max(3, 2 * rectangle.lineWidth)] : []
      var widest: (visible: Double, left: Double)?
      for shift in periodicShifts(low: low, high: high, range: axes.xRange) {
        let corner = axes.pixel(low + shift, rectangle.y0)
        let opposite = axes.pixel(high + shift, rectangle.y1)
        canvas.strokeRectangle(
          from: corner, to: opposite, colour: rectangle.edgeColour, width: rectangle.lineWidth,
          dash: dash, clip: axes.area)
        let visibleLeft = max(corner.x, Double(axes.area.x))
        let visible = min(opposite.x, Double(axes.area.x + axes.area.width)) - visibleLeft
        if widest == nil || visible > widest!.visible { widest = (visible, visibleLeft) }
      }
      if let label = rectangle.label, let widest {
        let top = min(axes.pixelY(rectangle.y0), axes.pixelY(rectangle.y1))
        let inset = rectangle.lineWidth / 2 + 4
        Axes.annotation(
          label, x: Int((widest.left + inset).rounded()),
          y: Int((top + inset).rounded()) + Axes.above(Axes.tickFont), colour: rectangle.edgeColour,
          within: axes.area, on: &canvas)
      }
    }
  }

  private func drawMarkers(on canvas: inout Canvas, axes: Axes) {
    for marker in markers {
      var x = marker.x
      if let period = xPeriod, period > 0 {
        x -= period * ((x - axes.xRange.lowerBound) / period).rounded(.down)
      }
      let centre = axes.pixel(x, marker.y)
      canvas.marker(
        marker.shape, at: centre, size: marker.size, colour: marker.colour,
        outline: marker.outline, outlineWidth: 1.5, clip: axes.area)
      guard let label = marker.label else { continue }
      let font = Axes.tickFont
      let offset = Int((marker.size / 2 + 5).rounded())
      let labelWidth = font.width(of: label)
      let fitsRight = Int(centre.x) + offset + labelWidth + 4 <= axes.area.x + axes.area.width
      let left = fitsRight ? Int(centre.x) + offset : Int(centre.x) - offset - labelWidth
      Axes.annotation(
        label, x: left, y: Int(centre.y) + (Axes.digitHeight(font) + 1) / 2,
        colour: Axes.ink, within: axes.area, on: &canvas)
    }
  }

  private func drawColourBar(on canvas: inout Canvas, layout: Layout) {
    let bar = layout.colourBar
    let range = drawnRange
    for row in 0..<bar.height {
      // Row centres from the bottom: t = (h − row − ½) / h.
      let t = (Double(bar.height - row) - 0.5) / Double(bar.height)
      canvas.fill(x: bar.x, y: bar.y + row, width: bar.width, height: 1, colormap.colour(t))
    }
    Axes.drawFrame(around: bar, on: &canvas)
    let ticks = zip(layout.colourBarTicks.values, layout.colourBarTicks.labels).compactMap {
      value, label -> (pixel: Int, label: String)? in
      guard range.contains(value) else { return nil }
      let position =
        Double(bar.y + bar.height)
        - (value - range.lowerBound) / (range.upperBound - range.lowerBound) * Double(bar.height)
      return (Axes.pixelIndex(position, low: bar.y, count: bar.height), label)
    }
    Axes.drawYTicks(ticks, frameColumn: bar.x + bar.width, side: .right, on: &canvas)
    if !colourBarLabel.isEmpty {
      let widest = Axes.widest(ticks.map(\.label), font: Axes.tickFont)
      let column =
        bar.x + bar.width + 1 + Axes.tickLength + Axes.tickPad + widest + Axes.labelPad
        + Axes.above(Axes.labelFont)
      canvas.verticalText(
        colourBarLabel, x: column, y: bar.y + bar.height / 2, font: Axes.labelFont,
        colour: Axes.ink, alignment: .centre)
    }
  }

  /// Whether `values` are finite and strictly increasing.
  static func isIncreasing(_ values: [Double]) -> Bool {
    values.allSatisfy(\.isFinite) && zip(values, values.dropFirst()).allSatisfy { $0 < $1 }
  }

  /// The cell edges of centres `centres`: halfway between neighbours, and half a spacing
  /// beyond the ends (±0.5 for a single centre).
  static func edges(of centres: [Double]) -> [Double] {
    guard centres.count > 1 else { return [centres[0] - 0.5, centres[0] + 0.5] }
    let n = centres.count
    var edges = [centres[0] - (centres[1] - centres[0]) / 2]
    for i in 1..<n { edges.append((centres[i - 1] + centres[i]) / 2) }
    edges.append(centres[n - 1] + (centres[n - 1] - centres[n - 2]) / 2)
    return edges
  }
}
