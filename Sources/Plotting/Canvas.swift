import Tensors

/// An RGB image being drawn: filled rectangles, pasted images and text.
///
/// Pixels are linear RGB in [0, 1], row-major from the top-left corner; `tensor` gives the
/// `[height, width, 3]` tensor ImageFiles writes as PNG. Drawing outside the canvas is clipped.
public struct Canvas: Sendable {
  /// Width in pixels.
  public let width: Int
  /// Height in pixels.
  public let height: Int
  /// The pixels, `height × width × 3`.
  public private(set) var pixels: [Float]

  /// A canvas filled with `background`.
  public init(width: Int, height: Int, background: SIMD3<Float> = SIMD3(repeating: 1)) {
    precondition(width > 0 && height > 0, "Canvas: size must be positive")
    self.width = width
    self.height = height
    pixels = (0..<(width * height)).flatMap { _ in [background.x, background.y, background.z] }
  }

  /// The canvas as a `[height, width, 3]` tensor.
  public var tensor: Tensor { Tensor(shape: [height, width, 3], scalars: pixels) }

  /// Blends `colour` into pixel `(x, y)` with opacity `alpha` in [0, 1] (clipped).
  public mutating func blend(_ x: Int, _ y: Int, _ colour: SIMD3<Float>, alpha: Float = 1) {
    guard x >= 0, x < width, y >= 0, y < height else { return }
    let o = (y * width + x) * 3
    for c in 0..<3 { pixels[o + c] += alpha * (colour[c] - pixels[o + c]) }
  }

  /// Fills the rectangle with top-left `(x, y)` and the given size.
  public mutating func fill(x: Int, y: Int, width w: Int, height h: Int, _ colour: SIMD3<Float>) {
    for row in max(y, 0)..<min(y + h, height) {
      for column in max(x, 0)..<min(x + w, width) { blend(column, row, colour) }
    }
  }

  /// Pastes an RGB image (`image` row-major, `w × h × 3`) with its top-left at `(x, y)`.
  public mutating func paste(_ image: [Float], width w: Int, height h: Int, x: Int, y: Int) {
    precondition(image.count == w * h * 3, "Canvas.paste: image size mismatch")
    for row in 0..<h {
      for column in 0..<w {
        let o = (row * w + column) * 3
        blend(x + column, y + row, SIMD3(image[o], image[o + 1], image[o + 2]))
      }
    }
  }

  /// Where text sits relative to its anchor point.
  public enum Alignment: Sendable {
    case left, centre, right
  }

  /// Draws `text` with its baseline at row `y`, aligned at column `x`.
  public mutating func text(
    _ text: String, x: Int, y: Int, font: BitmapFont, colour: SIMD3<Float> = .zero,
    alignment: Alignment = .left
  ) {
    let width = Double(font.width(of: text))
    var pen: Double =
      switch alignment {
      case .left: Double(x)
      case .centre: Double(x) - width / 2
      case .right: Double(x) - width
      }
    for character in text {
      let glyph = font.glyph(character)
      let left = Int(pen.rounded()) + glyph.left
      for row in 0..<glyph.height {
        for column in 0..<glyph.width {
          let coverage = glyph.coverage[row * glyph.width + column]
          guard coverage > 0 else { continue }
          blend(left + column, y + glyph.top + row, colour, alpha: Float(coverage) / 255)
        }
      }
      pen += glyph.advance
    }
  }
}
