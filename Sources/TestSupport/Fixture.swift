import Foundation
import Tensors

/// Loads committed test fixtures from a test target's resource bundle.
///
/// Fixtures live in `Tests/<Module>Tests/Fixtures/`, declared with
/// `resources: [.copy("Fixtures")]`. `Bundle.module` exists once per test target, so every
/// function takes the bundle: pass `.module` from the test file. Paths are relative to the
/// `Fixtures` folder, such as `"npy/float32_2x3.npy"`.
public enum Fixture {
  /// The URL of a fixture file, after checking that it exists.
  ///
  /// - Parameters:
  ///   - path: Path relative to the `Fixtures` folder.
  ///   - bundle: The test target's `Bundle.module`.
  /// - Returns: A file URL.
  /// - Throws: ``FixtureError/missing(path:searched:)`` when the file is absent.
  public static func url(_ path: String, bundle: Bundle) throws -> URL {
    let root = (bundle.resourceURL ?? bundle.bundleURL).appending(path: "Fixtures")
    let url = root.appending(path: path)
    guard FileManager.default.fileExists(atPath: url.path) else {
      throw FixtureError.missing(path: path, searched: root.path)
    }
    return url
  }

  /// The raw bytes of a fixture.
  ///
  /// - Parameters:
  ///   - path: Path relative to the `Fixtures` folder.
  ///   - bundle: The test target's `Bundle.module`.
  /// - Returns: The file contents.
  /// - Throws: ``FixtureError`` when the file is absent or unreadable.
  public static func data(_ path: String, bundle: Bundle) throws -> Data {
    let url = try url(path, bundle: bundle)
    do {
      return try Data(contentsOf: url)
    } catch {
      throw FixtureError.unreadable(path: path, reason: "\(error)")
    }
  }

  /// A `.npy` fixture as stored (any supported dtype).
  ///
  /// - Parameters:
  ///   - path: Path relative to the `Fixtures` folder.
  ///   - bundle: The test target's `Bundle.module`.
  /// - Returns: The decoded array.
  /// - Throws: ``FixtureError`` when the file is absent, or ``NPYError`` when it is invalid.
  public static func npy(_ path: String, bundle: Bundle) throws -> NPYArray {
    try NPYArray(contentsOf: url(path, bundle: bundle))
  }

  /// A `.npy` fixture converted to a Float32 tensor (see `Tensor.init(_: NPYArray)`).
  ///
  /// - Parameters:
  ///   - path: Path relative to the `Fixtures` folder.
  ///   - bundle: The test target's `Bundle.module`.
  /// - Returns: The tensor with the file's shape.
  /// - Throws: ``FixtureError`` when the file is absent, or ``NPYError`` when it is invalid.
  public static func tensor(_ path: String, bundle: Bundle) throws -> Tensor {
    Tensor(try npy(path, bundle: bundle))
  }

  /// A JSON fixture decoded as `type`.
  ///
  /// - Parameters:
  ///   - type: The `Decodable` type.
  ///   - path: Path relative to the `Fixtures` folder.
  ///   - bundle: The test target's `Bundle.module`.
  /// - Returns: The decoded value.
  /// - Throws: ``FixtureError`` when the file is absent or does not decode as `type`.
  public static func json<T: Decodable>(_ type: T.Type, _ path: String, bundle: Bundle) throws
    -> T
  {
    let bytes = try data(path, bundle: bundle)
    do {
      return try JSONDecoder().decode(type, from: bytes)
    } catch {
      throw FixtureError.unreadable(path: path, reason: "not a valid \(type): \(error)")
    }
  }
}

/// A fixture that is missing or cannot be read.
public enum FixtureError: Error, CustomStringConvertible {
  /// No file at `path` under the bundle's `Fixtures` folder (`searched`).
  case missing(path: String, searched: String)
  /// The file exists but cannot be read or decoded.
  case unreadable(path: String, reason: String)

  /// A one-line message with what to do.
  public var description: String {
    switch self {
    case .missing(let path, let searched):
      "fixture '\(path)' not found in '\(searched)'; regenerate it with the script in "
        + "Tools/fixtures/ and check that the test target declares resources: [.copy(\"Fixtures\")]"
    case .unreadable(let path, let reason):
      "fixture '\(path)' cannot be read: \(reason)"
    }
  }
}
