import Foundation
import ResultFiles
import Tensors

// Reading and writing the safetensors format:
//
//   8 bytes   N, the header length, unsigned little-endian
//   N bytes   UTF-8 JSON: {"__metadata__": {string: string}, name: {"dtype": "F32",
//             "shape": [..], "data_offsets": [begin, end]}, ...}, padded with spaces
//   rest      the data buffer; offsets are relative to its start, end exclusive
//
// Reference: Hugging Face, safetensors format (github.com/huggingface/safetensors, README
// "Format" and `safetensors/src/tensor.rs`).

extension Checkpoint {
  /// The largest header accepted, in bytes: 100 MB, the limit of the reference implementation.
  public static let maximumHeaderBytes = 100_000_000

  /// Reads a safetensors file.
  ///
  /// Tensors of dtype F32, F16 and BF16 convert to Float32 exactly (including subnormals,
  /// infinities and NaN); F64 rounds to the nearest Float32, which loses precision and turns
  /// magnitudes beyond `Float.greatestFiniteMagnitude` into infinities. Any other dtype is
  /// refused. The tensors keep the order of the header; ``sourcePath`` is set to `url.path`.
  ///
  /// The whole file is checked before any tensor is decoded, so a hostile file never crashes
  /// and never causes an allocation beyond about twice its size: the header length is capped at
  /// ``maximumHeaderBytes`` and compared with the file size, every shape is checked for
  /// overflow, and the byte ranges must match the shapes and cover the data buffer exactly,
  /// without overlaps or gaps, as the format requires.
  ///
  /// - Parameter url: A file URL.
  /// - Throws: ``CheckpointError`` naming the path (and the tensor, when there is one):
  ///   unreadable, truncated, oversized or invalid header, invalid entry, duplicate name,
  ///   unsupported dtype, or inconsistent byte ranges.
  /// - Complexity: O(file size).
  public init(contentsOf url: URL) throws {
    let bytes: Data
    do {
      bytes = try FileProblem.read(url)
    } catch {
      throw CheckpointError.unreadable(path: url.path, reason: error.reason)
    }
    self = try Checkpoint.decode(bytes, path: url.path)
    sourcePath = url.path
  }

  /// Decodes the bytes of a safetensors file held in memory.
  ///
  /// The checks and conversions are those of ``init(contentsOf:)``; ``sourcePath`` is `nil`.
  ///
  /// - Parameter data: The complete file contents.
  /// - Throws: ``CheckpointError`` with `path == nil`, as for ``init(contentsOf:)``.
  /// - Complexity: O(`data.count`).
  public init(data: Data) throws {
    self = try Checkpoint.decode(data, path: nil)
  }

  /// Encodes the checkpoint as a safetensors file.
  ///
  /// Every tensor is written as F32, sorted by name (bytewise UTF-8 order, like the reference
  /// writer for tensors of one dtype), with contiguous `data_offsets` from 0. The header is
  /// compact JSON, `__metadata__` first with its keys sorted, padded with spaces to a multiple
  /// of 8 bytes so that the data buffer is 8-byte aligned. `__metadata__` holds ``metadata``
  /// plus `"format": NeuralNetworksInfo.checkpointFormat`, which replaces any `format` entry.
  /// The same checkpoint always encodes to the same bytes. A header beyond
  /// ``maximumHeaderBytes`` (names totalling about 100 MB) is a programmer error and traps,
  /// since no reader would accept the file.
  ///
  /// - Returns: The file contents.
  /// - Complexity: O(total element count + total name length).
  public func encoded() -> Data {
    var fileMetadata = metadata
    fileMetadata["format"] = NeuralNetworksInfo.checkpointFormat
    let metadataText = fileMetadata.keys.sorted(by: Self.utf8Precedes).map {
      Self.jsonString($0) + ":" + Self.jsonString(fileMetadata[$0]!)
    }.joined(separator: ",")
    var header = "{\"\(Self.metadataKey)\":{\(metadataText)}"
    let order = names.sorted(by: Self.utf8Precedes)
    var offset = 0
    for name in order {
      let tensor = existingTensor(name)
      let end = offset + tensor.count * MemoryLayout<Float>.size
      let shape = tensor.shape.map(String.init).joined(separator: ",")
      header += ",\(Self.jsonString(name)):{\"dtype\":\"F32\",\"shape\":[\(shape)],"
      header += "\"data_offsets\":[\(offset),\(end)]}"
      offset = end
    }
    header += "}"
    var headerBytes = Array(header.utf8)
    headerBytes += repeatElement(UInt8(ascii: " "), count: (8 - headerBytes.count % 8) % 8)
    precondition(
      headerBytes.count <= Self.maximumHeaderBytes,
      "Checkpoint.encoded(): the header needs \(headerBytes.count) bytes, more than the "
        + "\(Self.maximumHeaderBytes) readers accept; use shorter names or fewer tensors")

    var file = Data(capacity: 8 + headerBytes.count + offset)
    withUnsafeBytes(of: UInt64(headerBytes.count).littleEndian) { file.append(contentsOf: $0) }
    file.append(contentsOf: headerBytes)
    for name in order {
      #if _endian(little)
        existingTensor(name).converted(to: .float32).scalars.withUnsafeBytes {
          file.append(contentsOf: $0)
        }
      #else
        for value in existingTensor(name).converted(to: .float32).scalars {
          withUnsafeBytes(of: value.bitPattern.littleEndian) { file.append(contentsOf: $0) }
        }
      #endif
    }
    return file
  }

  /// Writes the checkpoint to a safetensors file atomically.
  ///
  /// The bytes from ``encoded()`` go to a temporary file that replaces `url` only once it is
  /// complete, so readers never see a partial checkpoint.
  ///
  /// - Parameter url: The destination file URL; its directory must exist.
  /// - Throws: ``CheckpointError/unwritable(path:reason:)`` when the directory is missing or
  ///   not writable, or the write fails.
  /// - Complexity: O(file size).
  public func write(to url: URL) throws {
    if let reason = AtomicFile.writeReason(encoded(), to: url) {
      throw CheckpointError.unwritable(path: url.path, reason: reason)
    }
  }

  /// The tensor for a name known to exist.
  private func existingTensor(_ name: String) -> Tensor { self[name]! }

  /// Decodes a complete file; `path` only labels errors.
  static func decode(_ bytes: Data, path: String?) throws -> Checkpoint {
    // Data may be a slice with a non-zero start index; index through a buffer from 0.
    try bytes.withUnsafeBytes { (raw: UnsafeRawBufferPointer) throws -> Checkpoint in
      guard raw.count >= 8 else {
        throw CheckpointError.truncated(
          path: path, section: "8-byte header length", expectedBytes: 8, foundBytes: raw.count)
      }
      let declared = UInt64(littleEndian: raw.loadUnaligned(as: UInt64.self))
      guard declared <= UInt64(maximumHeaderBytes) else {
        throw CheckpointError.headerTooLarge(
          path: path, declaredBytes: declared, limit: maximumHeaderBytes)
      }
      let dataStart = 8 + Int(declared)  // ≤ 8 + 10^8, cannot overflow
      guard raw.count >= dataStart else {
        throw CheckpointError.truncated(
          path: path, section: "header of \(declared) bytes", expectedBytes: dataStart,
          foundBytes: raw.count)
      }
      let header = try SafetensorsHeader(
        parsing: UnsafeRawBufferPointer(rebasing: raw[8..<dataStart]),
        bufferBytes: raw.count - dataStart, path: path)
      var checkpoint = Checkpoint(metadata: header.metadata)
      for entry in header.entries {
        let range = (dataStart + entry.begin)..<(dataStart + entry.end)
        let scalars = entry.dtype.decode(
          UnsafeRawBufferPointer(rebasing: raw[range]), count: entry.elementCount)
        checkpoint[entry.name] = Tensor(shape: entry.shape, scalars: scalars)
      }
      return checkpoint
    }
  }

  /// Bytewise UTF-8 order, which the reference writer uses for names.
  private static func utf8Precedes(_ a: String, _ b: String) -> Bool {
    a.utf8.lexicographicallyPrecedes(b.utf8)
  }

  /// `text` as a JSON string literal, escaped as serde_json does (`"`, `\` and control
  /// characters; other characters stay UTF-8).
  static func jsonString(_ text: String) -> String {
    var result = "\""
    for scalar in text.unicodeScalars {
      switch scalar {
      case "\"": result += "\\\""
      case "\\": result += "\\\\"
      case "\n": result += "\\n"
      case "\r": result += "\\r"
      case "\t": result += "\\t"
      case "\u{08}": result += "\\b"
      case "\u{0C}": result += "\\f"
      case "\u{00}"..."\u{1F}":
        let hex = String(scalar.value, radix: 16)
        result += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
      default: result.unicodeScalars.append(scalar)
      }
    }
    return result + "\""
  }
}
