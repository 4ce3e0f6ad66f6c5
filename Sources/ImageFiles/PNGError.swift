import ResultFiles

/// A failure to read, decode, encode or write a PNG image.
///
/// Every case carries the file path when there is one (`nil` for data in memory), and
/// ``description`` is one line: what failed, the file, the reason (libpng's own message for
/// decoding and encoding failures) and what to do.
public enum PNGError: Error, CustomStringConvertible, Hashable, Sendable {
  /// The file could not be read (missing, a directory, no permission, I/O error).
  case unreadable(path: String, reason: String)
  /// The file or buffer holds no bytes.
  case emptyFile(path: String?)
  /// libpng refused the data; `message` is libpng's text, such as "Not a PNG file".
  case invalidPNG(path: String?, message: String)
  /// The header declares an image larger than ``PNGImage/maximumDimension`` on a side.
  case tooLarge(path: String?, width: Int, height: Int)
  /// The header declares more pixel data than the compressed bytes can possibly hold.
  case implausibleSize(path: String?, width: Int, height: Int, byteCount: Int)
  /// libpng could not encode the pixels; `message` is libpng's text.
  case encodingFailed(path: String?, message: String)
  /// The file could not be written; `reason` says why and what to do.
  case unwritable(path: String, reason: String)

  /// The one-line message.
  public var description: String { OneLine.make(text, limit: 2000) }

  /// The message before it is forced onto one line.
  private var text: String {
    switch self {
    case .unreadable(let path, let reason):
      return "cannot read PNG '\(path)': \(reason)"
    case .emptyFile(let path):
      return "\(Self.readSubject(path)): the file is empty (0 bytes); re-export the image"
    case .invalidPNG(let path, let message):
      return "\(Self.readSubject(path)): \(message) (libpng); "
        + "check that the file is a complete, valid PNG"
    case .tooLarge(let path, let width, let height):
      return "\(Self.readSubject(path)): \(width)×\(height) pixels exceeds semrob's limits "
        + "(\(PNGImage.maximumDimension) pixels on a side, \(PNGImage.maximumPixelBytes >> 20) MiB "
        + "decoded); downscale the image first"
    case .implausibleSize(let path, let width, let height, let byteCount):
      return "\(Self.readSubject(path)): the header declares \(width)×\(height) pixels, more "
        + "than \(byteCount) bytes of compressed data can hold; the file is truncated or corrupt"
    case .encodingFailed(let path, let message):
      return "cannot encode PNG\(path.map { " '\($0)'" } ?? ""): \(message)"
    case .unwritable(let path, let reason):
      return "cannot write PNG '\(path)': \(reason)"
    }
  }

  private static func readSubject(_ path: String?) -> String {
    path.map { "cannot read PNG '\($0)'" } ?? "cannot decode PNG data"
  }
}
