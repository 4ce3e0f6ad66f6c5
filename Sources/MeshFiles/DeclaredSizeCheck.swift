/// Cheap plausibility checks of the element counts a file's header declares, run before assimp
/// sees the file.
///
/// assimp reserves memory for declared counts before it reads the elements:
/// `invalid/OutOfMemory.off` declares 353,535,235,358 vertices in a 309-byte file and, without
/// limits, makes assimp allocate ~16 GB for ~40 s before it aborts. Each element needs a
/// minimum number of bytes in the file (for text: its digits and separators; for binary: its
/// fields), so a header that declares more elements than the file can hold is rejected here with
/// a precise message. The checks are deliberately conservative (lower bounds); anything they do
/// not understand is left to assimp, which still runs isolated.
enum DeclaredSizeCheck {
  /// Checks the counts a header declares against the file size.
  ///
  /// Covers the formats with count headers: OFF, PLY (ASCII and binary) and binary STL. Also
  /// rejects empty files, whatever their format.
  ///
  /// - Parameters:
  ///   - path: The file, for the error.
  ///   - ext: Its lower-case extension.
  ///   - fileSize: Its size in bytes.
  ///   - prefix: Its first bytes (64 KB or the whole file).
  /// - Throws: ``MeshFileError/malformed(path:line:reason:)`` when the file is empty or
  ///   declares more elements than it can hold.
  static func check(path: String, extension ext: String, fileSize: Int, prefix: [UInt8])
    throws(MeshFileError)
  {
    if fileSize == 0 {
      throw .malformed(path: path, line: nil, reason: "the file is empty (0 bytes)")
    }
    let reason: String?
    switch ext {
    case "off": reason = offProblem(fileSize: fileSize, prefix: prefix)
    case "ply": reason = plyProblem(fileSize: fileSize, prefix: prefix)
    case "stl": reason = stlProblem(fileSize: fileSize, prefix: prefix)
    default: reason = nil
    }
    if let reason { throw .malformed(path: path, line: nil, reason: reason) }
  }

  /// `"declares … but the file is only … bytes"`.
  private static func tooLarge(_ what: String, needed: Double, fileSize: Int) -> String {
    "declares \(what), which need at least \(grouped(needed)) bytes, but the file is only "
      + "\(MeshFileError.grouped(fileSize)) bytes"
  }

  /// Splits the prefix into blank-separated tokens per line (stops after `maxLines` lines).
  private static func lines(_ prefix: [UInt8], maxLines: Int) -> [[String]] {
    var result: [[String]] = []
    var current: [String] = []
    var token: [UInt8] = []
    func endToken() {
      if !token.isEmpty {
        current.append(String(decoding: token, as: UTF8.self))
        token.removeAll(keepingCapacity: true)
      }
    }
    for b in prefix {
      if b == 0x0A || b == 0x0D {
        endToken()
        if b == 0x0A || !current.isEmpty {
          result.append(current)
          current = []
          if result.count >= maxLines { return result }
        }
      } else if b == 0x20 || b == 0x09 {
        endToken()
      } else {
        token.append(b)
        if token.count > 64 { return result }  // not a header line
      }
    }
    return result  // the last, unterminated line is incomplete: ignored
  }

  /// A count token as a Double (so products never overflow), or nil when it is not a count.
  private static func count(_ token: String) -> Double? {
    guard !token.isEmpty, token.utf8.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }) else { return nil }
    return Double(token)
  }

  /// The problem with an OFF header, if any.
  ///
  /// The header is `[ST][C][N]OFF`, then `vertices faces edges` (possibly on the same line). A
  /// vertex needs at least 3 one-digit numbers and separators (5 bytes plus a line break,
  /// counted as 5 to stay a lower bound); a face at least `3 i j k` (7 bytes).
  static func offProblem(fileSize: Int, prefix: [UInt8]) -> String? {
    var tokens: [String] = []
    for line in lines(prefix, maxLines: 64) {
      if let first = line.first, first.hasPrefix("#") { continue }
      tokens += line
      if tokens.count >= 4 { break }
    }
    guard let magic = tokens.first, magic.uppercased().hasSuffix("OFF"),
      !magic.contains("n"), !magic.contains("4"), tokens.count >= 3,
      let vertices = count(tokens[1]), let faces = count(tokens[2])
    else { return nil }
    let needed = vertices * 5 + faces * 7
    guard needed > Double(fileSize) else { return nil }
    return tooLarge(
      "\(grouped(vertices)) vertices and \(grouped(faces)) faces", needed: needed,
      fileSize: fileSize)
  }

  /// PLY: sums, over the declared elements, count × the minimum bytes of one element (binary:
  /// the sizes of its scalar properties and list counts; ASCII: two bytes per property).
  static func plyProblem(fileSize: Int, prefix: [UInt8]) -> String? {
    guard let headerEnd = headerLength(prefix, terminator: Array("end_header".utf8)) else {
      return nil
    }
    let header = lines(Array(prefix[..<headerEnd]), maxLines: 10_000)
    guard header.first?.first == "ply" else { return nil }
    var binary = false
    var elements: [(name: String, count: Double, bytes: Double)] = []
    for line in header.dropFirst() {
      guard let keyword = line.first else { continue }
      switch keyword {
      case "format":
        guard line.count >= 2 else { return nil }
        binary = line[1] != "ascii"
      case "element":
        guard line.count >= 3, let n = count(line[2]) else { return nil }
        elements.append((line[1], n, 0))
      case "property":
        guard !elements.isEmpty, line.count >= 3 else { return nil }
        let size: Double
        if line[1] == "list" {
          guard line.count >= 5, let countSize = scalarSize(line[2]) else { return nil }
          size = binary ? countSize : 2
        } else {
          guard let scalar = scalarSize(line[1]) else { return nil }
          size = binary ? scalar : 2
        }
        elements[elements.count - 1].bytes += size
      default:
        continue
      }
    }
    let needed = elements.reduce(0.0) { $0 + $1.count * $1.bytes }
    guard needed > Double(fileSize - headerEnd) else { return nil }
    let what = elements.filter { $0.count > 0 }.map { "\(grouped($0.count)) \($0.name)" }
      .joined(separator: " and ")
    return tooLarge(
      "\(what) elements (\(binary ? "binary" : "ASCII"))", needed: needed + Double(headerEnd),
      fileSize: fileSize)
  }

  /// The problem with a binary STL header, if any.
  ///
  /// Binary STL is an 80-byte header, a `UInt32` triangle count and 50 bytes per triangle. A
  /// file that starts with `solid` may be ASCII STL, which has no count; it is left to assimp
  /// unless its size matches the binary layout exactly (then assimp reads it as binary, which is
  /// fine).
  static func stlProblem(fileSize: Int, prefix: [UInt8]) -> String? {
    let text = prefix.drop { $0 == 0x20 || $0 == 0x09 || $0 == 0x0A || $0 == 0x0D }
    let looksASCII = text.prefix(5).map { $0 | 0x20 } == Array("solid".utf8)
    guard prefix.count >= 84 else {
      return looksASCII
        ? nil
        : "is \(fileSize) bytes, too short for a binary STL header (84 bytes), and is not "
          + "ASCII STL (it does not start with 'solid')"
    }
    let triangles =
      UInt32(prefix[80]) | UInt32(prefix[81]) << 8 | UInt32(prefix[82]) << 16
      | UInt32(prefix[83]) << 24
    let needed = 84 + Double(triangles) * 50
    if looksASCII || needed <= Double(fileSize) { return nil }
    return tooLarge(
      "\(grouped(Double(triangles))) triangles (binary STL)", needed: needed, fileSize: fileSize)
  }

  /// Byte length of a header ending in a line that starts with `terminator`, including its line
  /// break.
  private static func headerLength(_ prefix: [UInt8], terminator: [UInt8]) -> Int? {
    var lineStart = 0
    var i = 0
    while i < prefix.count {
      if prefix[i] == 0x0A {
        let line = prefix[lineStart..<i]
        if line.starts(with: terminator) { return i + 1 }
        lineStart = i + 1
      }
      i += 1
    }
    return nil
  }

  /// Bytes of a PLY scalar type, or nil for an unknown type name.
  private static func scalarSize(_ type: String) -> Double? {
    switch type {
    case "char", "uchar", "int8", "uint8": 1
    case "short", "ushort", "int16", "uint16": 2
    case "int", "uint", "int32", "uint32", "float", "float32": 4
    case "double", "float64": 8
    default: nil
    }
  }

  private static func grouped(_ value: Double) -> String {
    value < 9e18 ? MeshFileError.grouped(UInt64(value)) : "\(value)"
  }
}
