import ArgumentParser
import Foundation
import ImageFiles
import ResultFiles
import Tensors

/// File output of the commands: names, checks and atomic writes.
enum OutputFiles {
  /// Throws a usage error unless the directory of `path` exists and is writable.
  static func checkWritableDirectory(of path: String, option: String) throws {
    if let problem = FileProblem.destinationProblem(URL(fileURLWithPath: path)) {
      throw ValidationError("\(option) '\(path)': \(problem).")
    }
  }

  /// Creates the output directory `url` (and its parents) when it is missing; throws a usage
  /// error naming the fix when it is a file, cannot be created or is not writable.
  static func prepareDirectory(_ url: URL, option: String) throws {
    var isDirectory: ObjCBool = false
    if FileManager.default.fileExists(atPath: url.path, isDirectory: &isDirectory) {
      guard isDirectory.boolValue else {
        throw ValidationError("\(option) '\(url.path)' is a file; give a directory.")
      }
    } else {
      do {
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
      } catch {
        throw ValidationError(
          "\(option) '\(url.path)': cannot create the directory (\(OneLine.make("\(error)"))); "
            + "choose another output directory.")
      }
    }
    if let problem = FileProblem.destinationProblem(url.appending(path: "probe")) {
      throw ValidationError("\(option) '\(url.path)': \(problem).")
    }
  }

  /// File names for `count` outputs: the name itself for one output; otherwise the printf
  /// pattern in the name (`out/%03d.png`) or `NAME_000.ext`, `NAME_001.ext`, ...
  static func numbered(_ path: String, count: Int) -> [String] {
    if count == 1 { return [path] }
    if let (prefix, width, suffix) = numberPattern(in: path) {
      return (0..<count).map { k in
        let digits = String(k)
        return prefix + String(repeating: "0", count: max(0, width - digits.count)) + digits
          + suffix
      }
    }
    let url = URL(fileURLWithPath: path)
    let ext = url.pathExtension
    let stem = path.dropLast(ext.isEmpty ? 0 : ext.count + 1)
    return (0..<count).map { String(format: "%@_%03d.%@", String(stem), $0, ext) }
  }

  /// The one `%d` or `%0Nd` in `path` (and no other `%`), split around it; `nil` otherwise,
  /// so a name with a stray `%` is used literally and never reaches a format function.
  static func numberPattern(in path: String) -> (String, Int, String)? {
    guard path.filter({ $0 == "%" }).count == 1, let percent = path.firstIndex(of: "%") else {
      return nil
    }
    var index = path.index(after: percent)
    var widthText = ""
    while index < path.endIndex, path[index].isASCII, path[index].isNumber {
      widthText.append(path[index])
      index = path.index(after: index)
    }
    guard index < path.endIndex, path[index] == "d", widthText.count <= 2 else { return nil }
    let width = Int(widthText) ?? 0
    return (String(path[..<percent]), width, String(path[path.index(after: index)...]))
  }

  /// The JSON sidecar of an output file: the same name with `.json`; a printf pattern in the
  /// name is dropped (`out/%03d.png` → `out/render.json`).
  static func sidecar(for path: String) -> String {
    var url = URL(fileURLWithPath: path).deletingPathExtension()
    if numberPattern(in: url.lastPathComponent) != nil {
      url = url.deletingLastPathComponent().appending(path: "render")
    }
    return (path.hasPrefix("/") ? url.path : relative(url.path)) + ".json"
  }

  private static func relative(_ absolute: String) -> String {
    let cwd = FileManager.default.currentDirectoryPath + "/"
    return absolute.hasPrefix(cwd) ? String(absolute.dropFirst(cwd.count)) : absolute
  }

  /// Writes an `[H, W, C]` tensor in [0, 1] as an 8-bit PNG (atomically).
  static func writePNG(_ tensor: Tensor, to path: String) throws {
    try PNGImage(tensor).write(to: URL(fileURLWithPath: path))
  }

  /// Writes a tensor as float32 `.npy` (atomically).
  static func writeNPY(_ tensor: Tensor, to path: String) throws {
    try tensor.write(npyTo: URL(fileURLWithPath: path))
  }

  /// A result document with provenance (version, arguments, input hashes, settings, seed).
  static func resultDocument<Payload: Codable>(
    schema: String, payload: Payload, inputs: [URL], settings: some Encodable, seed: UInt64,
    threads: Int
  ) throws -> ResultDocument<Payload> {
    let provenance = Provenance(
      semrobVersion: SemrobVersion.string, arguments: Array(CommandLine.arguments.dropFirst()),
      inputFiles: try Provenance.digests(of: inputs), settings: try jsonObject(settings),
      seed: seed, threadCount: threads)
    return ResultDocument(schema: schema, provenance: provenance, payload: payload)
  }

  /// Writes a result document with provenance next to the outputs, and optionally prints it.
  static func writeResult<Payload: Codable>(
    schema: String, payload: Payload, inputs: [URL], settings: some Encodable, seed: UInt64,
    threads: Int, to path: String, alsoToStandardOutput: Bool
  ) throws {
    let document = try resultDocument(
      schema: schema, payload: payload, inputs: inputs, settings: settings, seed: seed,
      threads: threads)
    try document.write(to: URL(fileURLWithPath: path))
    if alsoToStandardOutput {
      print(String(decoding: try document.encoded(), as: UTF8.self))
    }
  }

  /// A Codable value as a JSON object.
  static func jsonObject(_ value: some Encodable) throws -> [String: JSONValue] {
    let data = try JSONEncoder().encode(value)
    return try JSONDecoder().decode([String: JSONValue].self, from: data)
  }
}
