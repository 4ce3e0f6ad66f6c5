import Testing

@testable import Plotting

/// The embedded fonts and the canvas's drawing.
@Suite struct CanvasTests {
  @Test("every glyph's coverage has width × height bytes; letters have ink, space none")
  func glyphTables() {
    for font in [BitmapFont.dejaVuSans11, .dejaVuSans14, .dejaVuSans18] {
      for code in 32...126 {
        let glyph = font.glyph(Character(UnicodeScalar(UInt8(code))))
        #expect(glyph.code == code)
        #expect(glyph.coverage.count == glyph.width * glyph.height, "\(font.pixelSize) \(code)")
        #expect(glyph.advance > 0)
      }
      #expect(font.glyph("A").coverage.contains { $0 == 255 })
      #expect(font.glyph(" ").coverage.isEmpty)
      #expect(font.glyph("é").code == 63, "outside ASCII draws as ?")
      // Capitals reach about 0.73 of the pixel size above the baseline.
      let cap = -font.glyph("H").top
      #expect(abs(Double(cap) - 0.73 * Double(font.pixelSize)) <= 1.5)
    }
  }

  @Test("the symbols °, − and the others have their own glyphs with ink; other characters are ?")
  func symbolGlyphs() {
    let question = BitmapFont.dejaVuSans14.glyph("?")
    for font in [BitmapFont.dejaVuSans11, .dejaVuSans14, .dejaVuSans18] {
      for character in ["°", "−"] as [Character] {
        let glyph = font.glyph(character)
        #expect(glyph.code == Int(character.unicodeScalars.first!.value), "\(character)")
        #expect(glyph.code != 63)
        #expect(glyph.coverage.contains { $0 > 128 }, "\(character) has ink")
        #expect(glyph.coverage != font.glyph("?").coverage)
      }
      for character in "°−×…→←≤≥±²³·θφΔ∇μσραβη∞≈–—" {
        let glyph = font.glyph(character)
        #expect(glyph.code == Int(character.unicodeScalars.first!.value), "\(character)")
        #expect(glyph.coverage.count == glyph.width * glyph.height)
        #expect(glyph.coverage.contains { $0 > 0 }, "\(character) has ink")
      }
      // Not in the set, or more than one code point: drawn as ?.
      for character in ["é", "e\u{301}", "ß", "€", "✓"] as [Character] {
        #expect(font.glyph(character).code == 63, "\(character)")
      }
    }
    #expect(question.code == 63)
    // The true minus is wider than the hyphen, as in the font.
    #expect(BitmapFont.dejaVuSans14.glyph("−").advance > BitmapFont.dejaVuSans14.glyph("-").advance)
  }

  @Test("text lands where aligned, in its colour, and is clipped at the border")
  func text() {
    let font = BitmapFont.dejaVuSans14
    var canvas = Canvas(width: 80, height: 24)
    canvas.text("Hi", x: 40, y: 16, font: font, colour: SIMD3(1, 0, 0), alignment: .centre)
    // Ink only within the text's box, and it is red.
    var inked: [(Int, Int)] = []
    for y in 0..<24 {
      for x in 0..<80 {
        let o = (y * 80 + x) * 3
        let p = SIMD3(canvas.pixels[o], canvas.pixels[o + 1], canvas.pixels[o + 2])
        if p != SIMD3(repeating: 1) {
          inked.append((x, y))
          #expect(p.x == 1 && p.y < 1 && p.y == p.z, "pixel (\(x), \(y)) = \(p)")
        }
      }
    }
    let width = font.width(of: "Hi")
    #expect(!inked.isEmpty)
    #expect(inked.allSatisfy { abs(Double($0.0) - 40) <= Double(width) / 2 + 1 })
    #expect(inked.allSatisfy { $0.1 <= 16 && $0.1 >= 16 - font.ascent })
    // Right-aligned text ends at its anchor; text off the canvas is clipped without a crash.
    var right = Canvas(width: 40, height: 20)
    right.text("x", x: 39, y: 15, font: font, alignment: .right)
    right.text("clipped", x: -30, y: 40, font: font)
    #expect(right.pixels.contains { $0 < 1 })
  }

  @Test("fill and paste clip at the border; the tensor is height × width × 3")
  func fillAndPaste() {
    var canvas = Canvas(width: 4, height: 3, background: .zero)
    canvas.fill(x: -1, y: 2, width: 3, height: 5, SIMD3(1, 1, 1))
    canvas.paste([0.5, 0.5, 0.5], width: 1, height: 1, x: 3, y: 0)
    canvas.paste([0.2, 0.2, 0.2], width: 1, height: 1, x: 9, y: 9)
    #expect(canvas.tensor.shape == [3, 4, 3])
    let lit = (0..<12).filter { canvas.pixels[$0 * 3] == 1 }
    #expect(lit == [8, 9])
    #expect(canvas.pixels[3 * 3] == 0.5)
  }
}
