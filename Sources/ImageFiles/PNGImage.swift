internal import CPNG
import Foundation
import ResultFiles
import Tensors

/// An 8-bit PNG image held as packed pixels, decoded and encoded through libpng.
///
/// Pixels are row-major with row 0 at the top, `channels` interleaved bytes per pixel and no
/// row padding: the byte for channel `c` of pixel `(x, y)` is
/// `pixels[(y * width + x) * channels + c]`. Colour is sRGB-encoded, as stored in the file;
/// alpha is straight (not premultiplied).
///
/// Only libpng's simplified `png_image` API is used (STYLE §7): it reports errors through a
/// return code and a message instead of `longjmp`. Reading converts any PNG (1–16 bits,
/// gray, gray+alpha, RGB, RGBA, palette, interlaced) to 8-bit gray, RGB or RGBA:
/// - 16-bit channels without a `gAMA` or `sRGB` chunk are taken as sRGB-encoded
///   (`PNG_IMAGE_FLAG_16BIT_sRGB`), like 8-bit ones; libpng would otherwise assume linear.
/// - Removing alpha composites onto black; adding alpha makes every pixel opaque (255).
/// - Colour to gray uses libpng's luminance weights (sRGB/Rec. 709 primaries).
public struct PNGImage: Sendable, Hashable {
  /// Width in pixels, ≥ 1.
  public let width: Int
  /// Height in pixels, ≥ 1.
  public let height: Int
  /// Bytes per pixel: 1 (gray), 3 (RGB) or 4 (RGBA).
  public let channels: Int
  /// `height · width · channels` bytes, row-major, row 0 at the top.
  public let pixels: [UInt8]

  /// The largest width or height semrob reads: 16,384 pixels.
  ///
  /// Larger headers are refused before any pixel memory is allocated.
  public static let maximumDimension = 16_384

  /// The largest decoded pixel buffer semrob allocates: 256 MiB (8,192² RGBA).
  ///
  /// A valid 1-bit PNG of 16,384² pixels compresses to about 33 KB but decodes to 1 GiB of RGBA;
  /// such files are refused before the buffer is allocated.
  public static let maximumPixelBytes = 1 << 28

  /// Creates an image from packed pixels.
  ///
  /// - Parameters:
  ///   - width: Width in pixels, ≥ 1.
  ///   - height: Height in pixels, ≥ 1.
  ///   - channels: 1 (gray), 3 (RGB) or 4 (RGBA).
  ///   - pixels: `height · width · channels` bytes, row-major, row 0 at the top.
  public init(width: Int, height: Int, channels: Int, pixels: [UInt8]) {
    precondition(
      width >= 1 && height >= 1, "PNGImage: size \(width)×\(height) must be at least 1×1")
    precondition(
      [1, 3, 4].contains(channels), "PNGImage: channels is \(channels), expected 1, 3 or 4")
    precondition(
      pixels.count == width * height * channels,
      "PNGImage: \(width)×\(height)×\(channels) needs \(width * height * channels) bytes, "
        + "got \(pixels.count)")
    self.width = width
    self.height = height
    self.channels = channels
    self.pixels = pixels
  }

  /// Reads a PNG file.
  ///
  /// - Parameters:
  ///   - url: A file URL.
  ///   - channels: 1, 3 or 4 to convert to gray, RGB or RGBA; `nil` keeps the file's own
  ///     layout (gray stays 1, colour and palette become 3, anything with alpha or `tRNS`
  ///     becomes 4 — gray+alpha included, since it has no 2-channel form here).
  /// - Throws: ``PNGError`` naming the path: unreadable, empty, not a PNG, corrupt or
  ///   truncated (libpng's message), or larger than ``maximumDimension``.
  /// - Complexity: O(file size + width · height).
  public init(contentsOf url: URL, channels: Int? = nil) throws {
    let bytes: Data
    do {
      bytes = try FileProblem.read(url)
    } catch {
      throw PNGError.unreadable(path: url.path, reason: error.reason)
    }
    self = try PNGImage.decode(bytes, channels: channels, path: url.path)
  }

  /// Decodes a PNG held in memory.
  ///
  /// - Parameters:
  ///   - data: The complete PNG file contents.
  ///   - channels: The requested channel count, as in ``init(contentsOf:channels:)``.
  /// - Throws: ``PNGError`` with `path == nil`, as in ``init(contentsOf:channels:)``.
  /// - Complexity: O(`data.count` + width · height).
  public init(data: Data, channels: Int? = nil) throws {
    self = try PNGImage.decode(data, channels: channels, path: nil)
  }

  /// Encodes the image as an 8-bit PNG with an `sRGB` chunk.
  ///
  /// zlib's output may differ between versions, so compare decoded pixels, never the bytes.
  ///
  /// - Returns: The PNG file contents.
  /// - Throws: ``PNGError/encodingFailed(path:message:)`` with libpng's message.
  /// - Complexity: O(width · height).
  public func encoded() throws -> Data {
    try encoded(path: nil)
  }

  /// Writes the image to a PNG file atomically.
  ///
  /// The image is encoded in memory (`png_image_write_to_memory`) and then written with
  /// `Data.write(to:options: .atomic)`, so a reader never sees a partial file and a failed
  /// write leaves any existing file untouched. The directory is checked first, so a missing
  /// or read-only directory gives a message that says what to do.
  ///
  /// - Parameter url: The destination file URL; its directory must exist and be writable.
  /// - Throws: ``PNGError/unwritable(path:reason:)`` or
  ///   ``PNGError/encodingFailed(path:message:)``.
  public func write(to url: URL) throws {
    if let reason = FileProblem.destinationProblem(url) {
      throw PNGError.unwritable(path: url.path, reason: reason)
    }
    let data = try encoded(path: url.path)
    if let reason = AtomicFile.writeReason(data, to: url) {
      throw PNGError.unwritable(path: url.path, reason: reason)
    }
  }

  // MARK: - libpng boundary

  private static func format(channels: Int) -> UInt32 {
    switch channels {
    case 1: CPNG_FORMAT_GRAY
    case 3: CPNG_FORMAT_RGB
    default: CPNG_FORMAT_RGBA
    }
  }

  /// libpng's message from a failed call (the `message` tuple, NUL-terminated).
  private static func message(of image: png_image) -> String {
    let text = withUnsafeBytes(of: image.message) {
      String(decoding: $0.prefix { $0 != 0 }, as: UTF8.self)
    }
    return text.isEmpty ? "unknown libpng error" : text
  }

  private func encoded(path: String?) throws -> Data {
    precondition(
      width <= Int(Int32.max) / channels && height <= Int(UInt32.max),
      "PNGImage: \(width)×\(height) is too large to encode")
    var image = png_image()  // zeroed, as libpng requires
    image.version = UInt32(PNG_IMAGE_VERSION)
    image.width = UInt32(width)
    image.height = UInt32(height)
    image.format = Self.format(channels: channels)
    defer { png_image_free(&image) }

    // First call with no memory computes the size; the second one fills the buffer.
    var size = 0
    let sized = pixels.withUnsafeBytes { buffer in
      png_image_write_to_memory(&image, nil, &size, 0, buffer.baseAddress, 0, nil)
    }
    guard sized != 0 else {
      throw PNGError.encodingFailed(path: path, message: Self.message(of: image))
    }
    var data = Data(count: size)
    let written = data.withUnsafeMutableBytes { output in
      pixels.withUnsafeBytes { buffer in
        png_image_write_to_memory(&image, output.baseAddress, &size, 0, buffer.baseAddress, 0, nil)
      }
    }
    guard written != 0 else {
      throw PNGError.encodingFailed(path: path, message: Self.message(of: image))
    }
    data.count = size
    return data
  }

  private static func decode(_ data: Data, channels requested: Int?, path: String?) throws
    -> PNGImage
  {
    if let requested {
      precondition(
        [1, 3, 4].contains(requested),
        "PNGImage: requested channels is \(requested), expected 1, 3, 4 or nil")
    }
    if data.isEmpty { throw PNGError.emptyFile(path: path) }
    return try data.withUnsafeBytes { (file: UnsafeRawBufferPointer) throws -> PNGImage in
      var image = png_image()
      image.version = UInt32(PNG_IMAGE_VERSION)
      // Frees libpng's state on every path; a no-op after finish_read or a failure.
      defer { png_image_free(&image) }
      // libpng reads from `file` until png_image_finish_read returns, inside this closure.
      guard png_image_begin_read_from_memory(&image, file.baseAddress, file.count) != 0 else {
        throw PNGError.invalidPNG(path: path, message: message(of: image))
      }
      let width = Int(image.width)
      let height = Int(image.height)
      guard width <= maximumDimension && height <= maximumDimension else {
        throw PNGError.tooLarge(path: path, width: width, height: height)
      }
      // Decompression-bomb guard: deflate expands at most 1032:1, and the raw image data is at
      // least one filter byte plus ⌈width/8⌉ bytes (1 bit per pixel) per row.
      let minimumRawBytes = height * (1 + (width + 7) / 8)
      guard minimumRawBytes <= file.count * 1032 + 1024 else {
        throw PNGError.implausibleSize(
          path: path, width: width, height: height, byteCount: file.count)
      }
      let natural = image.format
      let channels: Int
      if let requested {
        channels = requested
      } else if natural & UInt32(PNG_FORMAT_FLAG_ALPHA) != 0 {
        channels = 4
      } else if natural & UInt32(PNG_FORMAT_FLAG_COLOR) != 0 {
        channels = 3
      } else {
        channels = 1
      }
      image.format = format(channels: channels)
      // Must follow begin_read, which initialises `flags`.
      image.flags |= UInt32(PNG_IMAGE_FLAG_16BIT_sRGB)

      let rowBytes = width * channels
      guard rowBytes * height <= maximumPixelBytes else {
        throw PNGError.tooLarge(path: path, width: width, height: height)
      }
      // A zero buffer makes libpng composite removed alpha onto black.
      var pixels = [UInt8](repeating: 0, count: rowBytes * height)
      let finished = pixels.withUnsafeMutableBytes { buffer in
        png_image_finish_read(&image, nil, buffer.baseAddress, Int32(rowBytes), nil)
      }
      guard finished != 0 else {
        throw PNGError.invalidPNG(path: path, message: message(of: image))
      }
      return PNGImage(width: width, height: height, channels: channels, pixels: pixels)
    }
  }
}
