import Foundation
import ResultFiles

/// A failure to read or write a NumPy `.npy` file.
///
/// Every case carries the file path when there is one (`nil` when the bytes came from memory),
/// and ``description`` is a single line that says what failed, why, and what to do.
public enum NPYError: Error, CustomStringConvertible, Hashable, Sendable {
  /// The file or buffer holds no bytes at all.
  case emptyFile(path: String?)
  /// The data ends before a part it announces.
  ///
  /// `section` names the part ("magic string and version", "header length", "header", or
  /// "data for shape … of '…'"). For the data, the byte counts are those of the data section;
  /// for the other parts, they count from the start of the file.
  case truncated(path: String?, section: String, expectedBytes: Int, foundBytes: Int)
  /// The first six bytes are not `\x93NUMPY`.
  case badMagic(path: String?)
  /// The format version is not 1.0, 2.0 or 3.0.
  case unsupportedVersion(path: String?, major: Int, minor: Int)
  /// The header is not a Python dict literal with `descr`, `fortran_order` and `shape`.
  case unparsableHeader(path: String?, reason: String)
  /// The header says `'fortran_order': True`.
  case fortranOrder(path: String?)
  /// The dtype is a supported type stored big-endian (for example `>f4`).
  case bigEndian(path: String?, descr: String)
  /// The dtype is not one of `<f4`, `<f8`, `<i4`, `<i8`, `|u1`, `|b1`.
  case unsupportedDType(path: String?, descr: String)
  /// The element count or byte count of the shape does not fit in `Int`.
  case shapeTooLarge(path: String?, shape: String)
  /// The data section is longer than the shape and dtype need.
  case sizeMismatch(path: String?, shape: [Int], descr: String, expectedBytes: Int, foundBytes: Int)
  /// The file could not be read (missing, a directory, no permission, I/O error).
  case unreadable(path: String, reason: String)
  /// The file could not be written (missing directory, no permission, I/O error).
  case unwritable(path: String, reason: String)

  /// The one-line message: what failed, the file, the reason and what to do.
  public var description: String { OneLine.make(text, limit: 2000) }

  /// The message before it is forced onto one line.
  private var text: String {
    switch self {
    case .emptyFile(let path):
      return "\(Self.subject(path)): the file is empty (0 bytes); re-save the array with numpy.save"
    case .truncated(let path, let section, let expected, let found):
      let detail =
        section.hasPrefix("data")
        ? "the \(section) needs \(expected) bytes, found \(found)"
        : "the file needs at least \(expected) bytes to hold the \(section), found \(found)"
      return "\(Self.subject(path)): truncated file: \(detail); re-save the array with numpy.save"
    case .badMagic(let path):
      return "\(Self.subject(path)): not a .npy file (it does not start with \\x93NUMPY); "
        + "save the array with numpy.save"
    case .unsupportedVersion(let path, let major, let minor):
      return "\(Self.subject(path)): unsupported .npy format version \(major).\(minor) "
        + "(semrob reads 1.0, 2.0 and 3.0)"
    case .unparsableHeader(let path, let reason):
      return "\(Self.subject(path)): unparsable header: \(reason)"
    case .fortranOrder(let path):
      return "\(Self.subject(path)): fortran_order is True: "
        + "save the array with np.ascontiguousarray first"
    case .bigEndian(let path, let descr):
      return "\(Self.subject(path)): dtype '\(descr)' is big-endian: byte-swap to little-endian "
        + "first (a.astype(a.dtype.newbyteorder('<')))"
    case .unsupportedDType(let path, let descr):
      return "\(Self.subject(path)): unsupported dtype \(descr) (semrob reads <f4, <f8, <i4, "
        + "<i8, |u1 and |b1); convert it first, e.g. a.astype(np.float32)"
    case .shapeTooLarge(let path, let shape):
      return "\(Self.subject(path)): shape \(shape) is too large to address in memory"
    case .sizeMismatch(let path, let shape, let descr, let expected, let found):
      return "\(Self.subject(path)): shape \(shape) of '\(descr)' needs \(expected) data bytes "
        + "but the file holds \(found); re-save the array with numpy.save"
    case .unreadable(let path, let reason):
      return "cannot read .npy file '\(path)': \(reason)"
    case .unwritable(let path, let reason):
      return "cannot write .npy file '\(path)': \(reason)"
    }
  }

  private static func subject(_ path: String?) -> String {
    if let path { return "cannot read .npy file '\(path)'" }
    return "cannot read .npy data"
  }
}
