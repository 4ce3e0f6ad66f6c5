import Testing

@testable import Plotting

/// The image grid's size, upscaling, frames and captions.
@Suite struct ImageGridTests {
  /// A `width × height` image whose pixel (x, y) has red x / 10 and green y / 10.
  static func ramp(width: Int, height: Int, caption: String = "", frame: SIMD3<Float>? = nil)
    -> ImageGrid.Image
  {
    var pixels: [Float] = []
    for y in 0..<height {
      for x in 0..<width { pixels += [Float(x) / 10, Float(y) / 10, 0.5] }
    }
    return ImageGrid.Image(
      pixels: pixels, width: width, height: height, caption: caption, frameColour: frame)
  }

  @Test("the canvas is gap + columns × (cell + gap) wide and likewise high")
  func dimensions() {
    let images = (0..<3).map { _ in Self.ramp(width: 4, height: 3) }
    let grid = ImageGrid(images: images, columns: 2, scale: 3, gap: 5)
    let canvas = grid.draw()
    #expect(canvas.width == 5 + 2 * (12 + 5))
    #expect(canvas.height == 5 + 2 * (9 + 5))
    #expect(grid.size == (canvas.width, canvas.height))
    // More columns than images: one row, only as wide as needed.
    let row = ImageGrid(images: images, columns: 10, scale: 1, gap: 2)
    #expect(row.size == (2 + 3 * (4 + 2), 2 + 3 + 2))
  }

  @Test("scale repeats each pixel in a scale × scale block at the image's region")
  func upscaling() {
    let images = [Self.ramp(width: 4, height: 3), Self.ramp(width: 4, height: 3)]
    let grid = ImageGrid(images: images, columns: 2, scale: 3, gap: 5)
    let canvas = grid.draw()
    let region = grid.imageRegion(1)
    #expect(region == (x: 5 + 12 + 5, y: 5, width: 12, height: 9))
    for y in 0..<9 {
      for x in 0..<12 {
        let expected = SIMD3<Float>(Float(x / 3) / 10, Float(y / 3) / 10, 0.5)
        #expect(canvas.colour(x: region.x + x, y: region.y + y) == expected, "(\(x), \(y))")
      }
    }
    #expect(canvas.colour(x: region.x - 1, y: region.y) == SIMD3(repeating: 1), "the gap")
  }

  @Test("frames surround their images; captions are centred below in dark ink")
  func framesAndCaptions() {
    let green = SIMD3<Float>(0, 0.6, 0)
    let images = [
      Self.ramp(width: 8, height: 8, caption: "az 0°\nchair 0.9", frame: green),
      Self.ramp(width: 8, height: 8, caption: "az 90°"),
    ]
    let grid = ImageGrid(images: images, columns: 2, title: "renders", scale: 2)
    let canvas = grid.draw()
    let first = grid.imageRegion(0)
    #expect(canvas.colour(x: first.x - 1, y: first.y + 4) == green)
    #expect(canvas.colour(x: first.x - ImageGrid.frameWidth, y: first.y - 1) == green)
    #expect(canvas.colour(x: first.x + first.width + 2, y: first.y + first.height) == green)
    let second = grid.imageRegion(1)
    #expect(canvas.colour(x: second.x - 1, y: second.y + 4) == SIMD3(repeating: 1), "no frame")
    // Two caption lines under the first image, one under the second, centred on the image.
    func inkRows(_ region: Canvas.Region) -> [Int] {
      ((region.y + region.height + ImageGrid.frameWidth)..<canvas.height).filter { y in
        ((region.x - 20)..<(region.x + region.width + 20)).contains { x in
          x >= 0 && x < canvas.width && canvas.colour(x: x, y: y).x < 0.4
        }
      }
    }
    let firstRows = inkRows(first)
    let secondRows = inkRows(second)
    #expect(!firstRows.isEmpty && !secondRows.isEmpty)
    #expect(firstRows.max()! - firstRows.min()! > secondRows.max()! - secondRows.min()! + 8)
    var inkX: [Int] = []
    for y in secondRows {
      for x in 0..<canvas.width
      where x > first.x + first.width + 20 && canvas.colour(x: x, y: y).x < 0.4 {
        inkX.append(x)
      }
    }
    let centre = Double(inkX.min()! + inkX.max()!) / 2
    #expect(abs(centre - Double(second.x + second.width / 2)) <= 2)
  }
}
