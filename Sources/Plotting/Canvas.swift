import Tensors

/// An RGB image being drawn: filled rectangles, pasted images and text.
///
/// Pixels are sRGB-encoded RGB in [0, 1] (the values an 8-bit PNG stores, divided by 255),
/// row-major from the top-left corner; `tensor` gives the `[height, width, 3]` tensor ImageFiles
/// writes as PNG without conversion. Blending and anti-aliasing mix colours in that sRGB-encoded
/// space, as usual plotting libraries do. Pixel `(x, y)` covers the square from `(x, y)` to
/// `(x + 1, y + 1)`, so its centre is at `(x + 0.5, y + 0.5)`; y grows downwards. Drawing outside
/// the canvas is clipped.
public struct Canvas: Sendable {
  /// Width in pixels.
  public let width: Int
  /// Height in pixels.
  public let height: Int
  /// The pixels, `height × width × 3`, sRGB-encoded in [0, 1].
  public private(set) var pixels: [Float]

  /// A canvas filled with `background` (sRGB in [0, 1]; white by default).
  public init(width: Int, height: Int, background: SIMD3<Float> = SIMD3(repeating: 1)) {
    precondition(width > 0 && height > 0, "Canvas: size must be positive")
    self.width = width
    self.height = height
    pixels = [Float](repeating: background.x, count: width * height * 3)
    if background.y != background.x || background.z != background.x {
      for i in stride(from: 0, to: pixels.count, by: 3) {
        pixels[i + 1] = background.y
        pixels[i + 2] = background.z
      }
    }
  }

  /// The colour of pixel `(x, y)`, sRGB in [0, 1].
  ///
  /// - Parameters:
  ///   - x: The column, `0..<width`.
  ///   - y: The row from the top, `0..<height`.
  /// - Returns: The pixel's red, green and blue.
  public func colour(x: Int, y: Int) -> SIMD3<Float> {
    precondition(
      (0..<width).contains(x) && (0..<height).contains(y),
      "Canvas.colour: pixel (\(x), \(y)) outside \(width) × \(height)")
    let o = (y * width + x) * 3
    return SIMD3(pixels[o], pixels[o + 1], pixels[o + 2])
  }

  /// The canvas as a `[height, width, 3]` tensor.
  public var tensor: Tensor { Tensor(shape: [height, width, 3], scalars: pixels) }

  /// Blends `colour` (sRGB) into pixel `(x, y)` with opacity `alpha` in [0, 1].
  ///
  /// Each channel becomes `old + alpha · (colour − old)`, and exactly `colour` when `alpha` ≥ 1.
  /// Pixels outside the canvas are ignored.
  public mutating func blend(_ x: Int, _ y: Int, _ colour: SIMD3<Float>, alpha: Float = 1) {
    guard x >= 0, x < width, y >= 0, y < height else { return }
    let o = (y * width + x) * 3
    if alpha >= 1 {
      // Opaque: the colour exactly, without the rounding of old + (colour − old).
      for c in 0..<3 { pixels[o + c] = colour[c] }
    } else {
      for c in 0..<3 { pixels[o + c] += alpha * (colour[c] - pixels[o + c]) }
    }
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
