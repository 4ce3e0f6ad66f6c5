import Foundation

/// An anti-aliased bitmap font: per printable ASCII character its advance and an 8-bit coverage
/// bitmap, placed relative to the pen on the baseline.
///
/// The shipped fonts (``dejaVuSans11``, ``dejaVuSans14``, ``dejaVuSans18``) are DejaVu Sans
/// rasterised by `Tools/fonts/make_font.py`, so figures need no font library at run time.
/// Characters outside printable ASCII draw as `?`.
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
  private let table: [Glyph]

  init(pixelSize: Int, ascent: Int, descent: Int, glyphs: [Glyph]) {
    self.pixelSize = pixelSize
    self.ascent = ascent
    self.descent = descent
    table = glyphs
  }

  /// The glyph for `character` (`?` outside printable ASCII).
  public func glyph(_ character: Character) -> Glyph {
    let code = character.asciiValue.map(Int.init) ?? 63
    return table[(32...126).contains(code) ? code - 32 : 63 - 32]
  }

  /// The width of `text` in pixels (the sum of the advances, rounded up).
  public func width(of text: String) -> Int {
    Int(text.reduce(0) { $0 + glyph($1).advance }.rounded(.up))
  }
}
