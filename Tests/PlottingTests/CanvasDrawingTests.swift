import Testing

@testable import Plotting

/// Lines, outlines, markers and rotated text on the canvas.
@Suite struct CanvasDrawingTests {
  static let red = SIMD3<Float>(1, 0, 0)
  static let white = SIMD3<Float>(repeating: 1)

  /// The pixels that differ from white, as (x, y).
  static func inked(_ canvas: Canvas) -> [(x: Int, y: Int)] {
    var result: [(x: Int, y: Int)] = []
    for y in 0..<canvas.height {
      for x in 0..<canvas.width where canvas.colour(x: x, y: y) != white {
        result.append((x, y))
      }
    }
    return result
  }

  @Test("a 1-pixel line on a pixel row's centre fills exactly that row, with flat ends")
  func horizontalLine() {
    var canvas = Canvas(width: 60, height: 40)
    canvas.line(from: SIMD2(10, 20.5), to: SIMD2(50, 20.5), colour: Self.red)
    for x in 10..<50 { #expect(canvas.colour(x: x, y: 20) == Self.red, "x = \(x)") }
    #expect(canvas.colour(x: 9, y: 20) == Self.white)
    #expect(canvas.colour(x: 50, y: 20) == Self.white)
    #expect(Self.inked(canvas).allSatisfy { $0.y == 20 })
    // Width 3 covers rows 19 to 21 and leaves 18 and 22 alone.
    var thick = Canvas(width: 60, height: 40)
    thick.line(from: SIMD2(10, 20.5), to: SIMD2(50, 20.5), colour: Self.red, width: 3)
    #expect(thick.colour(x: 30, y: 19) == Self.red && thick.colour(x: 30, y: 21) == Self.red)
    #expect(thick.colour(x: 30, y: 18) == Self.white && thick.colour(x: 30, y: 22) == Self.white)
    // Half a pixel off the centre, the line splits its colour over two rows.
    var between = Canvas(width: 60, height: 40)
    between.line(from: SIMD2(10, 20), to: SIMD2(50, 20), colour: .zero)
    #expect(abs(between.colour(x: 30, y: 19).x - 0.5) < 1e-6)
    #expect(abs(between.colour(x: 30, y: 20).x - 0.5) < 1e-6)
  }

  @Test("a diagonal line is anti-aliased, symmetric about its axis, and stays near it")
  func diagonalLine() {
    var canvas = Canvas(width: 40, height: 40)
    canvas.line(from: SIMD2(5, 5), to: SIMD2(35, 35), colour: .zero, width: 2)
    for (x, y) in Self.inked(canvas) {
      // Distance of the pixel centre from the line y = x.
      #expect(abs(Double(x - y)) / 2.squareRoot() <= 1 + 0.75, "(\(x), \(y))")
    }
    #expect(canvas.colour(x: 20, y: 20) == .zero)
    #expect(canvas.colour(x: 21, y: 20) == canvas.colour(x: 20, y: 21))
    let partial = canvas.colour(x: 22, y: 20).x
    #expect(partial > 0 && partial < 1, "edge pixels are partly covered")
  }

  @Test("a dashed line alternates drawn and skipped pieces of the pattern's lengths")
  func dashedLine() {
    var canvas = Canvas(width: 50, height: 10)
    canvas.line(from: SIMD2(0, 5.5), to: SIMD2(40, 5.5), colour: Self.red, dash: [4, 4])
    let row = (0..<48).map { canvas.colour(x: $0, y: 5) == Self.red }
    let expected = (0..<48).map { $0 < 40 && ($0 / 4) % 2 == 0 }
    #expect(row == expected)
  }

  @Test("a polyline is broken by NaN points and clipped to its region")
  func polylineBreaksAndClips() {
    var canvas = Canvas(width: 60, height: 20)
    canvas.polyline(
      [SIMD2(0, 10.5), SIMD2(20, 10.5), SIMD2(.nan, .nan), SIMD2(40, 10.5), SIMD2(60, 10.5)],
      colour: Self.red, width: 1, clip: (x: 5, y: 0, width: 50, height: 20))
    #expect(canvas.colour(x: 10, y: 10) == Self.red)
    #expect(canvas.colour(x: 30, y: 10) == Self.white, "the gap between the pieces")
    #expect(canvas.colour(x: 45, y: 10) == Self.red)
    #expect(canvas.colour(x: 2, y: 10) == Self.white, "left of the clip region")
    #expect(canvas.colour(x: 57, y: 10) == Self.white, "right of the clip region")
  }

  @Test("a rectangle outline is centred on the edges with square corners and an empty inside")
  func rectangleOutline() {
    var canvas = Canvas(width: 40, height: 30)
    canvas.strokeRectangle(from: SIMD2(30, 20), to: SIMD2(10, 10), colour: Self.red, width: 2)
    // The left edge x = 10 is covered from 9 to 11: columns 9 and 10.
    #expect(canvas.colour(x: 9, y: 15) == Self.red && canvas.colour(x: 10, y: 15) == Self.red)
    #expect(canvas.colour(x: 8, y: 15) == Self.white && canvas.colour(x: 11, y: 15) == Self.white)
    #expect(canvas.colour(x: 9, y: 9) == Self.red, "square corner")
    #expect(canvas.colour(x: 30, y: 20) == Self.red, "bottom-right corner")
    #expect(canvas.colour(x: 20, y: 15) == Self.white, "inside")
    #expect(Self.inked(canvas).count == 22 * 12 - 18 * 8)
  }

  @Test("a translucent fill blends its colour with the background by alpha")
  func translucentFill() {
    var canvas = Canvas(width: 20, height: 20)
    canvas.fillRectangle(from: SIMD2(5, 5), to: SIMD2(15, 10.5), colour: .zero, alpha: 0.25)
    #expect(canvas.colour(x: 8, y: 7) == SIMD3(repeating: 0.75))
    #expect(abs(canvas.colour(x: 8, y: 10).x - 0.875) < 1e-6, "half-covered bottom row")
    #expect(canvas.colour(x: 8, y: 11) == Self.white)
  }

  @Test("markers: a filled disc with its outline, a cross along its diagonals, a plus")
  func markers() {
    var canvas = Canvas(width: 41, height: 41)
    let blue = SIMD3<Float>(0, 0, 1)
    canvas.marker(
      .circle, at: SIMD2(20.5, 20.5), size: 20, colour: Self.red, outline: blue,
      outlineWidth: 2)
    #expect(canvas.colour(x: 20, y: 20) == Self.red, "centre")
    #expect(canvas.colour(x: 20, y: 12) == Self.red, "inside, 8 px up")
    #expect(canvas.colour(x: 30, y: 20) == blue, "on the boundary, 10 px right")
    #expect(canvas.colour(x: 20, y: 33) == Self.white, "outside")
    #expect(canvas.colour(x: 29, y: 29) == Self.white, "outside along the diagonal")

    var cross = Canvas(width: 41, height: 41)
    cross.marker(.cross, at: SIMD2(20.5, 20.5), size: 20, colour: .zero)
    #expect(cross.colour(x: 25, y: 25) == .zero, "on a diagonal")
    #expect(cross.colour(x: 15, y: 25) == .zero, "on the other diagonal")
    #expect(cross.colour(x: 27, y: 20) == Self.white, "off the diagonals")

    var plus = Canvas(width: 41, height: 41)
    plus.marker(.plus, at: SIMD2(20.5, 20.5), size: 20, colour: .zero)
    #expect(plus.colour(x: 27, y: 20) == .zero && plus.colour(x: 20, y: 13) == .zero)
    #expect(plus.colour(x: 25, y: 25) == Self.white)

    for shape in [MarkerShape.square, .diamond] {
      var filled = Canvas(width: 41, height: 41)
      filled.marker(shape, at: SIMD2(20.5, 20.5), size: 20, colour: .zero)
      #expect(filled.colour(x: 20, y: 20) == .zero, "\(shape)")
      #expect(filled.colour(x: 20, y: 2) == Self.white, "\(shape)")
    }
    var diamond = Canvas(width: 41, height: 41)
    diamond.marker(.diamond, at: SIMD2(20.5, 20.5), size: 20, colour: .zero)
    #expect(diamond.colour(x: 27, y: 27) == Self.white, "a diamond's corners are cut")
  }

  @Test("rotated text occupies a tall, narrow box left of its baseline and reads upwards")
  func verticalText() {
    let font = BitmapFont.dejaVuSans14
    let text = "elevation (°)"
    var canvas = Canvas(width: 60, height: 200)
    canvas.verticalText(text, x: 40, y: 150, font: font)
    let ink = Self.inked(canvas)
    let xs = ink.map(\.x)
    let ys = ink.map(\.y)
    let boxWidth = xs.max()! - xs.min()! + 1
    let boxHeight = ys.max()! - ys.min()! + 1
    #expect(boxHeight > 5 * boxWidth, "\(boxWidth) × \(boxHeight)")
    #expect(abs(boxHeight - font.width(of: text)) <= 3)
    // Letters' tops face left: ink lies left of the baseline column, except descenders.
    #expect(xs.min()! >= 40 - font.ascent && xs.max()! < 40 + font.descent)
    #expect(ys.max()! < 150 && ys.min()! >= 150 - font.width(of: text))

    // A "T" turned counter-clockwise has its bar on the left and its stem pointing right.
    var tee = Canvas(width: 40, height: 40)
    tee.verticalText("T", x: 30, y: 30, font: font)
    let teeInk = Self.inked(tee)
    let left = teeInk.map(\.x).min()!
    let right = teeInk.map(\.x).max()!
    func darkness(_ columns: ClosedRange<Int>) -> Float {
      teeInk.filter { columns.contains($0.x) }.map { 1 - tee.colour(x: $0.x, y: $0.y).x }
        .reduce(0, +)
    }
    #expect(darkness(left...(left + 1)) >= 6, "the bar")
    #expect(darkness((right - 1)...right) <= 4, "the end of the stem")

    // Reading upwards: the first character is at the bottom, where "i" alone draws.
    var word = Canvas(width: 40, height: 80)
    word.verticalText("iW", x: 30, y: 70, font: font)
    var letter = Canvas(width: 40, height: 80)
    letter.verticalText("i", x: 30, y: 70, font: font)
    let wordRows = Self.inked(word).map(\.y)
    let letterRows = Self.inked(letter).map(\.y)
    #expect(letterRows.min()! > wordRows.min()! + 8, "the W is above the i")
    #expect(letterRows.max()! == wordRows.max()!)
    #expect(Self.inked(letter).allSatisfy { word.colour(x: $0.x, y: $0.y) != Self.white })
  }
}
