import Foundation

/// The JSON encoders semrob uses for everything it writes, so output is byte-stable.
public enum ResultJSON {
  /// An encoder for whole documents: pretty-printed, sorted keys, unescaped slashes.
  ///
  /// Sorted keys make the bytes depend only on the values, so the same run writes the same
  /// file and diffs stay small. Non-finite numbers throw.
  ///
  /// - Returns: A new `JSONEncoder` with `[.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]`.
  public static func makeDocumentEncoder() -> JSONEncoder {
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
    return encoder
  }

  /// An encoder for JSON lines: compact (no newlines), sorted keys, unescaped slashes.
  ///
  /// - Returns: A new `JSONEncoder` with `[.sortedKeys, .withoutEscapingSlashes]`.
  public static func makeLineEncoder() -> JSONEncoder {
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
    return encoder
  }

  /// Encodes a value, turning encoder failures into ``ResultFileError/encodingFailed(reason:)``.
  static func encode<T: Encodable>(_ value: T, with encoder: JSONEncoder) throws -> Data {
    do {
      return try encoder.encode(value)
    } catch let EncodingError.invalidValue(value, context) {
      let path = context.codingPath.map(\.stringValue).joined(separator: ".")
      throw ResultFileError.encodingFailed(
        reason: "invalid value \(value) at '\(path)' (\(context.debugDescription))")
    } catch {
      throw ResultFileError.encodingFailed(reason: "\(error)")
    }
  }
}

/// A result file: a schema name, the provenance of the run, and the payload.
///
/// Encoded as one JSON object `{"payload": …, "provenance": …, "schema": …}` with
/// ``ResultJSON/makeDocumentEncoder()`` and a final newline. `schema` names the payload's
/// format and its version, `"<area>.<kind>/<version>"` (for example `"semrob.render/1"`);
/// bump the version whenever the payload's meaning changes, and check it when reading.
public struct ResultDocument<Payload: Codable>: Codable {
  /// The payload format and version, such as `"semrob.render/1"`.
  public var schema: String
  /// How the result was produced.
  public var provenance: Provenance
  /// The result itself.
  public var payload: Payload

  /// Creates a document.
  ///
  /// - Parameters:
  ///   - schema: `"<area>.<kind>/<version>"`, such as `"semrob.render/1"`.
  ///   - provenance: How the result was produced.
  ///   - payload: The result.
  public init(schema: String, provenance: Provenance, payload: Payload) {
    self.schema = schema
    self.provenance = provenance
    self.payload = payload
  }

  /// Decodes a document from JSON bytes.
  ///
  /// - Parameters:
  ///   - data: The JSON bytes.
  ///   - expectedSchema: If given, the `schema` the document must have.
  /// - Throws: ``ResultFileError/invalidDocument(path:reason:)`` or
  ///   ``ResultFileError/schemaMismatch(path:expected:found:)``.
  public init(data: Data, expectingSchema expectedSchema: String? = nil) throws {
    self = try Self.decode(data, expectedSchema: expectedSchema, path: nil)
  }

  /// Reads a document from a file.
  ///
  /// - Parameters:
  ///   - url: A file URL.
  ///   - expectedSchema: If given, the `schema` the document must have.
  /// - Throws: ``ResultFileError`` naming the path: unreadable, invalid, or schema mismatch.
  public init(contentsOf url: URL, expectingSchema expectedSchema: String? = nil) throws {
    let data: Data
    do {
      data = try FileProblem.read(url)
    } catch {
      throw ResultFileError.unreadable(path: url.path, reason: error.reason)
    }
    self = try Self.decode(data, expectedSchema: expectedSchema, path: url.path)
  }

  /// The document as pretty-printed JSON with sorted keys and a final newline.
  ///
  /// - Returns: UTF-8 bytes; the same values always give the same bytes.
  /// - Throws: ``ResultFileError/encodingFailed(reason:)``, for example for a NaN.
  public func encoded() throws -> Data {
    var data = try ResultJSON.encode(self, with: ResultJSON.makeDocumentEncoder())
    data.append(UInt8(ascii: "\n"))
    return data
  }

  /// Writes the document atomically (see ``AtomicFile``).
  ///
  /// - Parameter url: The destination; its directory must exist.
  /// - Throws: ``ResultFileError/encodingFailed(reason:)`` or
  ///   ``ResultFileError/unwritable(path:reason:)``.
  public func write(to url: URL) throws {
    try AtomicFile.write(encoded(), to: url)
  }

  private static func decode(_ data: Data, expectedSchema: String?, path: String?) throws -> Self {
    // Check the schema first, so that a payload of another format reports the mismatch.
    if let expectedSchema {
      let found: String
      do {
        found = try JSONDecoder().decode(SchemaOnly.self, from: data).schema
      } catch {
        throw ResultFileError.invalidDocument(path: path, reason: describe(error))
      }
      guard found == expectedSchema else {
        throw ResultFileError.schemaMismatch(path: path, expected: expectedSchema, found: found)
      }
    }
    do {
      return try JSONDecoder().decode(Self.self, from: data)
    } catch {
      throw ResultFileError.invalidDocument(path: path, reason: describe(error))
    }
  }
}

/// The `schema` field alone, read before the payload.
private struct SchemaOnly: Decodable { var schema: String }

extension ResultDocument: Sendable where Payload: Sendable {}
extension ResultDocument: Equatable where Payload: Equatable {}

/// A one-line description of a `DecodingError`, with the key path.
func describe(_ error: any Error) -> String {
  func path(_ context: DecodingError.Context) -> String {
    let keys = context.codingPath.map(\.stringValue).joined(separator: ".")
    return keys.isEmpty ? "" : " at '\(keys)'"
  }
  let text: String
  switch error {
  case DecodingError.keyNotFound(let key, let context):
    text = "missing key '\(key.stringValue)'\(path(context))"
  case DecodingError.typeMismatch(let type, let context):
    text = "expected \(type)\(path(context)): \(context.debugDescription)"
  case DecodingError.valueNotFound(let type, let context):
    text = "missing \(type) value\(path(context))"
  case DecodingError.dataCorrupted(let context):
    text = "invalid JSON\(path(context)): \(context.debugDescription)"
  default:
    text = "\(error)"
  }
  return text.replacingOccurrences(of: "\n", with: " ")
}
