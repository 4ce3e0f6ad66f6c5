/// A figure of images in a grid, each with a caption of up to two lines under it, such as
/// renders of one shape from several poses with the classifier's answer.
///
/// Images are laid out row by row, `columns` to a row, in cells of equal size (the largest
/// image, scaled, and the widest caption), each image centred in its cell. Images are enlarged
/// by an integer `scale` with nearest-neighbour sampling, so their pixels stay sharp. An image
/// with a ``Image/frameColour`` gets a 3-pixel frame of that colour around it (green for a
/// correct answer, red for a wrong one, say). Captions are 11 px, centred under their images;
/// the optional title is 18 px, centred at the top.
public struct ImageGrid: Sendable {
  /// One image of the grid.
  public struct Image: Sendable, Hashable {
    /// The pixels, sRGB in [0, 1], row-major `height × width × 3` from the top-left corner.
    public var pixels: [Float]
    /// The width in pixels.
    public var width: Int
    /// The height in pixels.
    public var height: Int
    /// The caption: up to two lines separated by `\n`, or empty.
    public var caption: String
    /// The colour of a frame around the image, sRGB in [0, 1], or `nil` for none.
    public var frameColour: SIMD3<Float>?

    /// Creates a grid image.
    ///
    /// - Parameters:
    ///   - pixels: sRGB values in [0, 1], row-major `height × width × 3`.
    ///   - width: The width in pixels, ≥ 1.
    ///   - height: The height in pixels, ≥ 1.
    ///   - caption: Up to two lines separated by `\n`, or empty.
    ///   - frameColour: The frame's colour, or `nil` for none.
    public init(
      pixels: [Float], width: Int, height: Int, caption: String = "",
      frameColour: SIMD3<Float>? = nil
    ) {
      precondition(width >= 1 && height >= 1, "ImageGrid.Image: size \(width) × \(height)")
      precondition(
        pixels.count == width * height * 3,
        "ImageGrid.Image: \(pixels.count) values for \(width) × \(height) × 3")
      let lines = caption.split(separator: "\n", omittingEmptySubsequences: false).count
      precondition(lines <= 2, "ImageGrid.Image: caption '\(caption)' has more than two lines")
      self.pixels = pixels
      self.width = width
      self.height = height
      self.caption = caption
      self.frameColour = frameColour
    }

    /// The caption's lines, none for an empty caption.
    var captionLines: [String] {
      caption.isEmpty
        ? [] : caption.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
    }
  }

  /// The images, in reading order.
  public var images: [Image]
  /// Images per row, ≥ 1.
  public var columns: Int
  /// The title above the grid (18 px), or empty.
  public var title: String
  /// The integer enlargement of every image (nearest neighbour), ≥ 1.
  public var scale: Int
  /// The space in pixels between cells and around the grid, ≥ 0.
  public var gap: Int

  /// Creates an image grid.
  ///
  /// - Parameters:
  ///   - images: The images, at least one.
  ///   - columns: Images per row, ≥ 1.
  ///   - title: The title, or empty.
  ///   - scale: The enlargement, ≥ 1; 2 shows 64 × 64 renders at 128 × 128.
  ///   - gap: The space between cells and around the grid, in pixels.
  public init(images: [Image], columns: Int, title: String = "", scale: Int = 1, gap: Int = 10) {
    self.images = images
    self.columns = columns
    self.title = title
    self.scale = scale
    self.gap = gap
  }

  /// The width of image frames, in pixels.
  static let frameWidth = 3
  /// The space between an image (or its frame) and its caption.
  static let captionPad = 4

  /// The grid's geometry: cell size, the space above the cells, and the canvas size.
  struct Layout {
    var columns: Int
    var rows: Int
    /// The width and height of the image part of a cell, frame included.
    var imageWidth: Int
    var imageHeight: Int
    /// The cell's width (image part or widest caption) and height (image part and captions).
    var cellWidth: Int
    var cellHeight: Int
    /// The space above the first row.
    var top: Int
    var width: Int
    var height: Int
  }

  var layout: Layout {
    precondition(!images.isEmpty, "ImageGrid: no images")
    precondition(
      columns >= 1 && scale >= 1 && gap >= 0,
      "ImageGrid: columns \(columns), scale \(scale) and gap \(gap) must be ≥ 1, ≥ 1 and ≥ 0")
    let font = Axes.tickFont
    let columns = min(columns, images.count)
    let rows = (images.count + columns - 1) / columns
    let frame = images.contains { $0.frameColour != nil } ? Self.frameWidth : 0
    let imageWidth = images.map(\.width).max()! * scale + 2 * frame
    let imageHeight = images.map(\.height).max()! * scale + 2 * frame
    let captionWidth = Axes.widest(images.flatMap(\.captionLines), font: font)
    let lines = images.map(\.captionLines.count).max()!
    let lineHeight = Axes.lineHeight(font) + 3
    let captionHeight = lines == 0 ? 0 : Self.captionPad + lines * lineHeight
    let cellWidth = max(imageWidth, captionWidth)
    let cellHeight = imageHeight + captionHeight
    let top = title.isEmpty ? gap : Axes.edgePad + Axes.lineHeight(Axes.titleFont) + gap
    let gridWidth = gap + columns * (cellWidth + gap)
    let titleWidth = title.isEmpty ? 0 : Axes.titleFont.width(of: title) + 2 * Axes.edgePad
    return Layout(
      columns: columns, rows: rows, imageWidth: imageWidth, imageHeight: imageHeight,
      cellWidth: cellWidth, cellHeight: cellHeight, top: top,
      width: max(gridWidth, titleWidth), height: top + rows * (cellHeight + gap))
  }

  /// The canvas size ``draw()`` returns, in pixels.
  public var size: (width: Int, height: Int) {
    let layout = layout
    return (layout.width, layout.height)
  }

  /// Where image `index` lands on the canvas, scaled and without its frame.
  ///
  /// - Parameter index: The image's index in ``images``.
  /// - Returns: The image's top-left pixel and its scaled size, y downwards.
  public func imageRegion(_ index: Int) -> Canvas.Region {
    precondition(images.indices.contains(index), "ImageGrid.imageRegion: no image \(index)")
    let layout = layout
    let image = images[index]
    // The grid is centred on the canvas when the title is wider than the cells.
    let gridWidth = gap + layout.columns * (layout.cellWidth + gap)
    let cellX =
      (layout.width - gridWidth) / 2 + gap + (index % layout.columns) * (layout.cellWidth + gap)
    let cellY = layout.top + (index / layout.columns) * (layout.cellHeight + gap)
    let width = image.width * scale
    let height = image.height * scale
    return (
      x: cellX + (layout.cellWidth - width) / 2,
      y: cellY + (layout.imageHeight - height) / 2, width: width, height: height
    )
  }

  /// Draws the grid on a white canvas of ``size``.
  ///
  /// - Returns: The figure.
  /// - Complexity: O(canvas pixels).
  public func draw() -> Canvas {
    let layout = layout
    var canvas = Canvas(width: layout.width, height: layout.height)
    if !title.isEmpty {
      canvas.text(
        title, x: layout.width / 2, y: Axes.edgePad + Axes.above(Axes.titleFont),
        font: Axes.titleFont, colour: Axes.ink, alignment: .centre)
    }
    let font = Axes.tickFont
    for (index, image) in images.enumerated() {
      let region = imageRegion(index)
      if let frame = image.frameColour {
        let f = Self.frameWidth
        canvas.fill(
          x: region.x - f, y: region.y - f, width: region.width + 2 * f,
          height: region.height + 2 * f, frame)
      }
      let scaled =
        scale == 1 ? image.pixels : Self.upscaled(image.pixels, width: image.width, by: scale)
      canvas.paste(scaled, width: region.width, height: region.height, x: region.x, y: region.y)
      // Captions under the image part of the cell, whatever this image's own height.
      let cellTop = region.y - (layout.imageHeight - region.height) / 2
      var baseline = cellTop + layout.imageHeight + Self.captionPad + Axes.above(font)
      for line in image.captionLines {
        canvas.text(
          line, x: region.x + region.width / 2, y: baseline, font: font, colour: Axes.ink,
          alignment: .centre)
        baseline += Axes.lineHeight(font) + 3
      }
    }
    return canvas
  }

  /// `pixels` (`width` wide, 3 channels) enlarged `factor` times by repeating each pixel in a
  /// `factor × factor` block.
  static func upscaled(_ pixels: [Float], width: Int, by factor: Int) -> [Float] {
    let height = pixels.count / (width * 3)
    var result = [Float](repeating: 0, count: pixels.count * factor * factor)
    let outputWidth = width * factor
    for row in 0..<(height * factor) {
      for column in 0..<outputWidth {
        let source = ((row / factor) * width + column / factor) * 3
        let target = (row * outputWidth + column) * 3
        result[target] = pixels[source]
        result[target + 1] = pixels[source + 1]
        result[target + 2] = pixels[source + 2]
      }
    }
    return result
  }
}
