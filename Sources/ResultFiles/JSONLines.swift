import Foundation

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// Per-sample records in a JSON-lines file: one compact JSON object per line.
///
/// Each line is encoded with ``ResultJSON/makeLineEncoder()`` (sorted keys, no whitespace;
/// newlines inside strings are escaped, so a record never spans lines) and ends with `\n`.
/// Appending opens the file with `O_APPEND` and hands all new lines to a single `write(2)`,
/// so records from a crashed run are whole lines, and concurrent appenders on a local file
/// system do not interleave within a line.
public enum JSONLines {
  /// Encodes one record as a line, including the final `\n`.
  ///
  /// - Parameter record: A value that encodes as a JSON object (a struct or dictionary).
  /// - Returns: The UTF-8 bytes of the line.
  /// - Throws: ``ResultFileError/encodingFailed(reason:)``, for example for a NaN.
  public static func encodedLine<Record: Encodable>(_ record: Record) throws -> Data {
    var line = try ResultJSON.encode(record, with: ResultJSON.makeLineEncoder())
    let start = String(decoding: line.prefix(40), as: UTF8.self)
    precondition(
      line.first == UInt8(ascii: "{"),
      "JSONLines: a record must encode as a JSON object, got \(start)")
    line.append(UInt8(ascii: "\n"))
    return line
  }

  /// Appends one record to a JSON-lines file, creating the file if needed.
  ///
  /// - Parameters:
  ///   - record: A value that encodes as a JSON object.
  ///   - url: The file; its directory must exist.
  /// - Throws: ``ResultFileError/encodingFailed(reason:)`` or
  ///   ``ResultFileError/unwritable(path:reason:)``.
  public static func append<Record: Encodable>(_ record: Record, to url: URL) throws {
    try appendBytes(encodedLine(record), to: url)
  }

  /// Appends several records with one write.
  ///
  /// Either every line is encoded and appended, or (on an encoding error) none is.
  ///
  /// - Parameters:
  ///   - records: Values that encode as JSON objects.
  ///   - url: The file; its directory must exist.
  /// - Throws: ``ResultFileError/encodingFailed(reason:)`` or
  ///   ``ResultFileError/unwritable(path:reason:)``.
  public static func append<Record: Encodable>(contentsOf records: [Record], to url: URL) throws {
    var bytes = Data()
    for record in records { bytes.append(try encodedLine(record)) }
    if !bytes.isEmpty { try appendBytes(bytes, to: url) }
  }

  /// Reads every record of a JSON-lines file; blank lines are skipped.
  ///
  /// - Parameters:
  ///   - type: The record type.
  ///   - url: The file.
  /// - Returns: The records in file order.
  /// - Throws: ``ResultFileError/unreadable(path:reason:)``, or
  ///   ``ResultFileError/invalidDocument(path:reason:)`` naming the first bad line number.
  public static func read<Record: Decodable>(_ type: Record.Type, from url: URL) throws
    -> [Record]
  {
    let data: Data
    do {
      data = try FileProblem.read(url)
    } catch {
      throw ResultFileError.unreadable(path: url.path, reason: error.reason)
    }
    let decoder = JSONDecoder()
    var records: [Record] = []
    for (index, line) in data.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false)
      .enumerated()
    where !line.allSatisfy({ $0 == UInt8(ascii: " ") || $0 == UInt8(ascii: "\r") }) {
      do {
        records.append(try decoder.decode(type, from: Data(line)))
      } catch {
        throw ResultFileError.invalidDocument(
          path: url.path, reason: "line \(index + 1): \(describe(error))")
      }
    }
    return records
  }

  private static func appendBytes(_ bytes: Data, to url: URL) throws {
    if let problem = FileProblem.destinationProblem(url) {
      throw ResultFileError.unwritable(path: url.path, reason: problem)
    }
    let directory = url.deletingLastPathComponent().path
    let descriptor = open(url.path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0o666)
    guard descriptor >= 0 else {
      throw ResultFileError.unwritable(
        path: url.path, reason: FileProblem.reason(errno: errno, directory: directory))
    }
    defer { close(descriptor) }
    if let code = AtomicFile.writeAll(bytes, to: descriptor) {
      throw ResultFileError.unwritable(
        path: url.path, reason: FileProblem.reason(errno: code, directory: directory))
    }
  }
}
