/// A plot area with linear x and y axes, and the frame, ticks and labels around it, shared by
/// ``HeatMap`` and ``LinePlot``.
///
/// The plot area is the region of whole pixels the data fill; the 1-pixel black frame lies just
/// outside it, ticks point outwards from the frame, and the tick labels, axis labels and title
/// lie beyond them. Data x grows to the right and data y upwards.
struct Axes {
  /// Titles (18 px).
  static let titleFont = BitmapFont.dejaVuSans18
  /// Axis labels and colour-bar labels (14 px).
  static let labelFont = BitmapFont.dejaVuSans14
  /// Tick labels, legends, captions and annotations (11 px).
  static let tickFont = BitmapFont.dejaVuSans11
  /// Frame, tick and text colour.
  static let ink = SIMD3<Float>(0, 0, 0)
  /// Tick length outside the frame, in pixels.
  static let tickLength = 5
  /// Space between a tick and its label.
  static let tickPad = 3
  /// Space between tick labels and the axis label, and below the title.
  static let labelPad = 7
  /// Space between the figure and the canvas border.
  static let edgePad = 8

  /// The region of whole pixels the data fill.
  var area: Canvas.Region
  /// The data range across the plot area's width.
  var xRange: ClosedRange<Double>
  /// The data range up the plot area's height.
  var yRange: ClosedRange<Double>

  /// The pixel column (as a coordinate) of data x.
  func pixelX(_ x: Double) -> Double {
    Double(area.x)
      + (x - xRange.lowerBound) / (xRange.upperBound - xRange.lowerBound) * Double(area.width)
  }

  /// The pixel row (as a coordinate) of data y; y grows upwards.
  func pixelY(_ y: Double) -> Double {
    Double(area.y + area.height)
      - (y - yRange.lowerBound) / (yRange.upperBound - yRange.lowerBound) * Double(area.height)
  }

  /// The pixel position of a data point.
  func pixel(_ x: Double, _ y: Double) -> SIMD2<Double> { SIMD2(pixelX(x), pixelY(y)) }

  // MARK: - Text metrics

  /// Pixels of ink above the baseline for ordinary text (the height of `(`).
  static func above(_ font: BitmapFont) -> Int { -font.glyph("(").top }

  /// Pixels of ink below the baseline for ordinary text (the depth of `(`).
  static func below(_ font: BitmapFont) -> Int {
    max(0, font.glyph("(").top + font.glyph("(").height)
  }

  /// The height of one line of text, ink above plus ink below the baseline.
  static func lineHeight(_ font: BitmapFont) -> Int { above(font) + below(font) }

  /// The height of digits above the baseline, used to centre tick labels on their ticks.
  static func digitHeight(_ font: BitmapFont) -> Int { -font.glyph("0").top }

  /// The widest of `labels` in `font`, 0 for none.
  static func widest(_ labels: [String], font: BitmapFont) -> Int {
    labels.map { font.width(of: $0) }.max() ?? 0
  }

  /// A tick count for an axis `pixels` long: one tick per 60 pixels or so, 4 to 8.
  static func tickCount(forLength pixels: Int) -> Int { max(4, min(8, pixels / 60)) }

  // MARK: - Margins

  /// The space above the plot area: the border, the title and half a tick label.
  static func topMargin(title: String) -> Int {
    edgePad + (title.isEmpty ? digitHeight(tickFont) / 2 + 2 : lineHeight(titleFont) + labelPad)
  }

  /// The space below the plot area: frame, ticks, tick labels, x label and the border.
  static func bottomMargin(xLabel: String) -> Int {
    1 + tickLength + tickPad + lineHeight(tickFont)
      + (xLabel.isEmpty ? 0 : labelPad + lineHeight(labelFont)) + edgePad
  }

  /// The space left of the plot area: the border, the rotated y label, the tick labels, ticks
  /// and frame.
  static func leftMargin(yLabel: String, tickLabels: [String]) -> Int {
    edgePad + (yLabel.isEmpty ? 0 : lineHeight(labelFont) + labelPad)
      + widest(tickLabels, font: tickFont) + tickPad + tickLength + 1
  }

  /// The space the last x tick label needs right of the plot area.
  static func rightOverhang(xTicks: Ticks) -> Int {
    (xTicks.labels.last.map { tickFont.width(of: $0) } ?? 0) / 2 + 2
  }

  // MARK: - Drawing

  /// The pixel columns and rows of ticks inside a range, with their labels.
  func visibleXTicks(_ ticks: Ticks) -> [(pixel: Int, label: String)] {
    zip(ticks.values, ticks.labels).compactMap { value, label in
      guard xRange.contains(value) else { return nil }
      return (Self.pixelIndex(pixelX(value), low: area.x, count: area.width), label)
    }
  }

  /// The rows of y ticks inside the range, with their labels.
  func visibleYTicks(_ ticks: Ticks) -> [(pixel: Int, label: String)] {
    zip(ticks.values, ticks.labels).compactMap { value, label in
      guard yRange.contains(value) else { return nil }
      return (Self.pixelIndex(pixelY(value), low: area.y, count: area.height), label)
    }
  }

  /// The whole pixel that contains coordinate `position`, kept within `low..<low + count`.
  static func pixelIndex(_ position: Double, low: Int, count: Int) -> Int {
    max(low, min(low + count - 1, Int(position.rounded(.down))))
  }

  /// Draws the frame one pixel outside the plot area.
  func drawFrame(on canvas: inout Canvas) {
    Self.drawFrame(around: area, on: &canvas)
  }

  /// Draws a 1-pixel frame just outside `region`.
  static func drawFrame(around region: Canvas.Region, on canvas: inout Canvas) {
    let (x, y, width, height) = region
    canvas.fill(x: x - 1, y: y - 1, width: width + 2, height: 1, ink)
    canvas.fill(x: x - 1, y: y + height, width: width + 2, height: 1, ink)
    canvas.fill(x: x - 1, y: y, width: 1, height: height, ink)
    canvas.fill(x: x + width, y: y, width: 1, height: height, ink)
  }

  /// Draws x ticks below the frame and their labels centred under them.
  func drawXTicks(_ ticks: Ticks, on canvas: inout Canvas) {
    let top = area.y + area.height + 1
    let baseline = top + Self.tickLength + Self.tickPad + Self.above(Self.tickFont)
    for (column, label) in visibleXTicks(ticks) {
      canvas.fill(x: column, y: top, width: 1, height: Self.tickLength, Self.ink)
      canvas.text(
        label, x: column, y: baseline, font: Self.tickFont, colour: Self.ink, alignment: .centre)
    }
  }

  /// Draws y ticks left of the frame and their labels right-aligned beside them.
  func drawYTicks(_ ticks: Ticks, on canvas: inout Canvas) {
    Self.drawYTicks(visibleYTicks(ticks), frameColumn: area.x - 1, side: .left, on: &canvas)
  }

  /// Which side of a vertical axis ticks point to.
  enum Side { case left, right }

  /// Draws ticks outwards from the frame column `frameColumn` and their labels beside them,
  /// vertically centred on the tick.
  static func drawYTicks(
    _ ticks: [(pixel: Int, label: String)], frameColumn: Int, side: Side,
    on canvas: inout Canvas
  ) {
    for (row, label) in ticks {
      let baseline = row + (digitHeight(tickFont) + 1) / 2
      switch side {
      case .left:
        canvas.fill(x: frameColumn - tickLength, y: row, width: tickLength, height: 1, ink)
        canvas.text(
          label, x: frameColumn - tickLength - tickPad, y: baseline, font: tickFont, colour: ink,
          alignment: .right)
      case .right:
        canvas.fill(x: frameColumn + 1, y: row, width: tickLength, height: 1, ink)
        canvas.text(
          label, x: frameColumn + 1 + tickLength + tickPad, y: baseline, font: tickFont,
          colour: ink, alignment: .left)
      }
    }
  }

  /// Draws the title centred over the plot area (kept on the canvas), the x label centred
  /// under the tick labels and the y label rotated, centred beside the plot area.
  func drawLabels(title: String, xLabel: String, yLabel: String, on canvas: inout Canvas) {
    let centre = area.x + area.width / 2
    if !title.isEmpty {
      let font = Self.titleFont
      let half = font.width(of: title) / 2
      let x = max(Self.edgePad + half, min(canvas.width - Self.edgePad - half, centre))
      canvas.text(
        title, x: x, y: Self.edgePad + Self.above(font), font: font, colour: Self.ink,
        alignment: .centre)
    }
    if !xLabel.isEmpty {
      let baseline =
        area.y + area.height + 1 + Self.tickLength + Self.tickPad + Self.lineHeight(Self.tickFont)
        + Self.labelPad + Self.above(Self.labelFont)
      canvas.text(
        xLabel, x: centre, y: baseline, font: Self.labelFont, colour: Self.ink, alignment: .centre)
    }
    if !yLabel.isEmpty {
      canvas.verticalText(
        yLabel, x: Self.edgePad + Self.above(Self.labelFont), y: area.y + area.height / 2,
        font: Self.labelFont, colour: Self.ink, alignment: .centre)
    }
  }

  /// Draws `text` in a white, slightly translucent box with its baseline's left end at
  /// `(x, y)`, moved as needed to stay inside `bounds`.
  static func annotation(
    _ text: String, x: Int, y: Int, colour: SIMD3<Float>, within bounds: Canvas.Region,
    on canvas: inout Canvas
  ) {
    let font = tickFont
    let pad = 2
    let width = font.width(of: text)
    let left = max(bounds.x + pad, min(bounds.x + bounds.width - width - pad, x))
    let baseline = max(
      bounds.y + above(font) + pad, min(bounds.y + bounds.height - below(font) - pad, y))
    let boxLow = SIMD2(Double(left - pad), Double(baseline - above(font) - pad))
    let boxHigh = SIMD2(Double(left + width + pad), Double(baseline + below(font) + pad))
    canvas.fillRectangle(
      from: boxLow, to: boxHigh, colour: SIMD3(repeating: 1), alpha: 0.8, clip: bounds)
    canvas.text(text, x: left, y: baseline, font: font, colour: colour)
  }
}
