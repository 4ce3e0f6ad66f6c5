import Foundation

/// An anti-aliased bitmap font: per character its advance and an 8-bit coverage bitmap, placed
/// relative to the pen on the baseline.
///
/// The shipped fonts (``dejaVuSans11``, ``dejaVuSans14``, ``dejaVuSans18``) are DejaVu Sans
/// rasterised by `Tools/fonts/make_font.py`, so figures need no font library at run time. They
/// hold printable ASCII and the symbols axis labels need: `° − × … → ← ≤ ≥ ± ² ³ · θ φ Δ ∇ μ σ
/// ρ α β η ∞ ≈ – —` (`−` is U+2212 MINUS SIGN, which tick labels use for negative numbers).
/// Every other character draws as `?`.
public struct BitmapFont: Sendable {
  /// One character's bitmap.
  public struct Glyph: Sendable {
    /// The character's code point.
    public var code: Int
    /// How far the pen moves after the character, in pixels.
    public var advance: Double
    /// The bitmap's first column, relative to the pen.
    public var left: Int
    /// The bitmap's first row, relative to the baseline (negative above it).
    public var top: Int
    /// The bitmap's width in pixels.
    public var width: Int
    /// The bitmap's height in pixels.
    public var height: Int
    /// Coverage in [0, 255], row-major, `width × height` bytes.
    public var coverage: [UInt8]

    init(
      code: Int, advance: Double, left: Int, top: Int, width: Int, height: Int, coverage: String
    ) {
      self.code = code
      self.advance = advance
      self.left = left
      self.top = top
      self.width = width
      self.height = height
      self.coverage = Array(Data(base64Encoded: coverage) ?? Data())
    }
  }

  /// The nominal size in pixels.
  public let pixelSize: Int
  /// Pixels from the baseline up to the top of the tallest glyphs.
  public let ascent: Int
  /// Pixels from the baseline down to the bottom of the lowest glyphs.
  public let descent: Int
  /// Printable ASCII, code points 32…126 in order.
  private let table: [Glyph]
  /// The non-ASCII symbols by code point.
  private let symbols: [UInt32: Glyph]

  init(pixelSize: Int, ascent: Int, descent: Int, glyphs: [Glyph], symbols: [Glyph] = []) {
    precondition(glyphs.map(\.code) == Array(32...126), "BitmapFont: glyphs must be ASCII 32…126")
    self.pixelSize = pixelSize
    self.ascent = ascent
    self.descent = descent
    table = glyphs
    self.symbols = Dictionary(
      symbols.map { (UInt32($0.code), $0) }, uniquingKeysWith: { first, _ in first })
  }

  /// The glyph for `character`: its own for printable ASCII and the font's symbols, `?` for
  /// any other character (including one made of several code points, such as `e` + U+0301).
  public func glyph(_ character: Character) -> Glyph {
    let question = table[63 - 32]
    let scalars = character.unicodeScalars
    guard scalars.count == 1, let scalar = scalars.first else { return question }
    switch scalar.value {
    case 32...126: return table[Int(scalar.value) - 32]
    default: return symbols[scalar.value] ?? question
    }
  }

  /// The width of `text` in pixels (the sum of the advances, rounded up).
  public func width(of text: String) -> Int {
    Int(text.reduce(0) { $0 + glyph($1).advance }.rounded(.up))
  }
}
