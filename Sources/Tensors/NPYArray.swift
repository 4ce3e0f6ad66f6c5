import Foundation
import ResultFiles

/// The elements of an ``NPYArray``, in row-major (C) order, tagged with their dtype.
///
/// Each case maps to one little-endian NumPy dtype: `float32` is `<f4`, `float64` is `<f8`,
/// `int32` is `<i4`, `int64` is `<i8`, `uint8` is `|u1` and `bool` is `|b1`.
public enum NPYData: Sendable, Hashable {
  /// 32-bit IEEE floats (`<f4`, `np.float32`).
  case float32([Float])
  /// 64-bit IEEE floats (`<f8`, `np.float64`).
  case float64([Double])
  /// 32-bit signed integers (`<i4`, `np.int32`).
  case int32([Int32])
  /// 64-bit signed integers (`<i8`, `np.int64`).
  case int64([Int64])
  /// 8-bit unsigned integers (`|u1`, `np.uint8`).
  case uint8([UInt8])
  /// Booleans (`|b1`, `np.bool`), one byte each.
  case bool([Bool])

  /// Number of elements.
  public var count: Int {
    switch self {
    case .float32(let values): values.count
    case .float64(let values): values.count
    case .int32(let values): values.count
    case .int64(let values): values.count
    case .uint8(let values): values.count
    case .bool(let values): values.count
    }
  }

  /// The NumPy dtype string written to the header, such as `<f4`.
  public var descr: String { dtype.descr }

  var dtype: NPYDType {
    switch self {
    case .float32: .float32
    case .float64: .float64
    case .int32: .int32
    case .int64: .int64
    case .uint8: .uint8
    case .bool: .bool
    }
  }
}

/// The dtypes semrob reads and writes.
enum NPYDType: CaseIterable {
  case float32, float64, int32, int64, uint8, bool

  var descr: String {
    switch self {
    case .float32: "<f4"
    case .float64: "<f8"
    case .int32: "<i4"
    case .int64: "<i8"
    case .uint8: "|u1"
    case .bool: "|b1"
    }
  }

  var itemSize: Int {
    switch self {
    case .float32, .int32: 4
    case .float64, .int64: 8
    case .uint8, .bool: 1
    }
  }

  /// Maps a type code without its byte-order character (`f4`, `u1`, …).
  init?(typeCode: Substring) {
    switch typeCode {
    case "f4": self = .float32
    case "f8": self = .float64
    case "i4": self = .int32
    case "i8": self = .int64
    case "u1": self = .uint8
    case "b1": self = .bool
    default: return nil
    }
  }
}

/// An n-dimensional array as stored in a NumPy `.npy` file (format versions 1.0–3.0).
///
/// semrob reads and writes C-order, little-endian arrays of the dtypes in ``NPYData``. Reading
/// accepts the 2-byte header length of version 1.0 and the 4-byte one of versions 2.0 and 3.0
/// (numpy writes those when a header exceeds 65,535 bytes); writing produces version 1.0 unless
/// the header is too long, exactly as `numpy.save` does, so the bytes are identical to numpy's.
///
/// The header is parsed as a small Python literal (dict, tuple, list, string, int, `True`,
/// `False`, `None`) that tolerates numpy's spacing and quote variations and Python 2's `L`
/// suffix. Hostile input never crashes and never triggers a large allocation: sizes are checked
/// against the byte count before any element is decoded.
///
/// Reference: NumPy Enhancement Proposal 1, "A simple file format for NumPy arrays",
/// and `numpy/lib/format.py`.
public struct NPYArray: Sendable, Hashable {
  /// The extent of each dimension; empty for a 0-d (scalar) array.
  public let shape: [Int]
  /// The elements in row-major order; `data.count == shape.reduce(1, *)`.
  public let data: NPYData

  /// Creates an array from a shape and its elements in row-major order.
  ///
  /// - Parameters:
  ///   - shape: Extents, each ≥ 0.
  ///   - data: `shape.reduce(1, *)` elements.
  public init(shape: [Int], data: NPYData) {
    precondition(shape.allSatisfy { $0 >= 0 }, "NPYArray: negative extent in shape \(shape)")
    let count = shape.reduce(1, *)
    precondition(
      data.count == count,
      "NPYArray: shape \(shape) needs \(count) elements, got \(data.count)")
    self.shape = shape
    self.data = data
  }

  /// Reads a `.npy` file.
  ///
  /// - Parameter url: A file URL.
  /// - Throws: ``NPYError`` naming the path: unreadable file, empty, truncated, bad magic,
  ///   unsupported version, unparsable header, Fortran order, big-endian or unsupported dtype,
  ///   or a data size that does not match the shape.
  /// - Complexity: O(file size).
  public init(contentsOf url: URL) throws {
    let bytes: Data
    do {
      bytes = try FileProblem.read(url)
    } catch {
      throw NPYError.unreadable(path: url.path, reason: error.reason)
    }
    self = try NPYArray.decode(bytes, path: url.path)
  }

  /// Decodes the bytes of a `.npy` file held in memory.
  ///
  /// - Parameter data: The complete file contents.
  /// - Throws: ``NPYError`` (with `path == nil`), as for ``init(contentsOf:)``.
  /// - Complexity: O(`data.count`).
  public init(data: Data) throws {
    self = try NPYArray.decode(data, path: nil)
  }

  /// Encodes the array as a `.npy` file, byte for byte as `numpy.save` would.
  ///
  /// The header is `{'descr': …, 'fortran_order': False, 'shape': …, }`, followed by numpy's
  /// spare spaces for growing the first axis, then padded with spaces and a final `'\n'` so
  /// that the data starts at a multiple of 64 bytes. Version 1.0 is used unless the header
  /// needs more than 65,535 bytes, in which case version 2.0 is used.
  ///
  /// - Returns: The file contents.
  /// - Complexity: O(`data.count`).
  public func encoded() -> Data {
    var file = NPYArray.encodedHeader(shape: shape, descr: data.descr)
    switch data {
    case .float32(let values): file.appendLittleEndian(values.map(\.bitPattern))
    case .float64(let values): file.appendLittleEndian(values.map(\.bitPattern))
    case .int32(let values): file.appendLittleEndian(values)
    case .int64(let values): file.appendLittleEndian(values)
    case .uint8(let values): file.append(contentsOf: values)
    case .bool(let values): file.append(contentsOf: values.map { $0 ? UInt8(1) : 0 })
    }
    return file
  }

  /// Writes the array to a `.npy` file atomically.
  ///
  /// The bytes from ``encoded()`` go to a temporary file that replaces `url` only once it is
  /// complete (`Data.write(to:options: .atomic)`), so readers never see a partial file.
  ///
  /// - Parameter url: The destination file URL; its directory must exist.
  /// - Throws: ``NPYError/unwritable(path:reason:)`` when the directory is missing or not
  ///   writable, or the write fails.
  public func write(to url: URL) throws {
    if let reason = AtomicFile.writeReason(encoded(), to: url) {
      throw NPYError.unwritable(path: url.path, reason: reason)
    }
  }

  /// Builds the magic string, version, header length and padded header dict.
  static func encodedHeader(shape: [Int], descr: String) -> Data {
    let shapeText: String
    switch shape.count {
    case 0: shapeText = "()"
    case 1: shapeText = "(\(shape[0]),)"
    default: shapeText = "(" + shape.map(String.init).joined(separator: ", ") + ")"
    }
    var dict = "{'descr': '\(descr)', 'fortran_order': False, 'shape': \(shapeText), }"
    // numpy appends spare spaces so that the first axis can grow to 21 digits in place
    // (GROWTH_AXIS_MAX_DIGITS in numpy/lib/format.py).
    if let first = shape.first {
      dict += String(repeating: " ", count: max(0, 21 - String(first).utf8.count))
    }
    // Total length of magic (6) + version (2) + length field + dict + '\n' rounds up to a
    // multiple of 64 by inserting spaces before the '\n'; numpy always adds 1…64 spaces.
    let dictBytes = Array(dict.utf8)
    for (major, lengthSize) in [(UInt8(1), 2), (UInt8(2), 4)] {
      let headerLength = dictBytes.count + 1
      let padding = 64 - ((6 + 2 + lengthSize + headerLength) % 64)
      let total = headerLength + padding
      if lengthSize == 2 && total > Int(UInt16.max) { continue }
      var file = Data([0x93] + Array("NUMPY".utf8) + [major, 0])
      if lengthSize == 2 {
        file.appendLittleEndian([UInt16(total)])
      } else {
        file.appendLittleEndian([UInt32(total)])
      }
      file.append(contentsOf: dictBytes)
      file.append(contentsOf: repeatElement(UInt8(ascii: " "), count: padding))
      file.append(UInt8(ascii: "\n"))
      return file
    }
    preconditionFailure("NPYArray: header of \(dictBytes.count) bytes does not fit in 4 GiB")
  }
}

extension Data {
  /// Appends integers in little-endian byte order.
  mutating func appendLittleEndian<T: FixedWidthInteger>(_ values: [T]) {
    #if _endian(little)
      values.withUnsafeBytes { append(contentsOf: $0) }
    #else
      values.map(\.littleEndian).withUnsafeBytes { append(contentsOf: $0) }
    #endif
  }
}
