import Foundation
import TestSupport
import Testing

@testable import Tensors

@Suite struct NPYErrorTests {
  private static let header = "{'descr': '<f4', 'fortran_order': False, 'shape': (2,), }"

  /// Decodes `data`, requiring an `NPYError`.
  private func decodingError(_ data: Data) -> NPYError? {
    do {
      _ = try NPYArray(data: data)
      return nil
    } catch let error as NPYError {
      return error
    } catch {
      Issue.record("unexpected error type: \(error)")
      return nil
    }
  }

  @Test("every invalid numpy fixture throws its error", arguments: invalidNPYFixtures)
  func invalidFixture(name: String) throws {
    let expected = try #require(try NPYExpectations.load().invalid[name])
    let url = try Fixture.url("npy/\(name)", bundle: .module)
    let error = try #require(throws: NPYError.self) { try NPYArray(contentsOf: url) }
    let message = error.description
    #expect(message.contains(url.path))
    #expect(!message.contains("\n"))
    switch (expected.error, error) {
    case ("fortranOrder", .fortranOrder):
      #expect(
        message.contains("fortran_order is True: save the array with np.ascontiguousarray first"))
    case ("bigEndian", .bigEndian(_, let descr)):
      #expect(descr == expected.descr)
      #expect(
        message.contains("'\(expected.descr)'")
          && message.contains("byte-swap to little-endian first"))
    case ("unsupportedDType", .unsupportedDType(_, let descr)):
      #expect(descr == expected.descr || descr == "'\(expected.descr)'")
      #expect(message.contains("unsupported dtype \(descr)"))
    default:
      Issue.record("\(name): expected \(expected.error), got \(error)")
    }
  }

  @Test("an empty file is refused")
  func emptyFile() throws {
    #expect(decodingError(Data()) == .emptyFile(path: nil))
    try withTemporaryDirectory { directory in
      let url = directory.appending(path: "empty.npy")
      try Data().write(to: url)
      let error = try #require(throws: NPYError.self) { try NPYArray(contentsOf: url) }
      #expect(error == .emptyFile(path: url.path))
      #expect(error.description.contains("empty"))
    }
  }

  @Test(
    "bad magic strings are refused",
    arguments: [
      Data("PK\u{3}\u{4}".utf8), Data("\u{93}NUMPz".utf8), Data("hello world, not numpy".utf8),
      Data([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]),
    ])
  func badMagic(data: Data) {
    #expect(decodingError(data) == .badMagic(path: nil))
  }

  @Test("truncated prefixes say how many bytes were expected and found")
  func truncatedPrefixes() throws {
    #expect(
      decodingError(Data([0x93, 0x4E, 0x55]))
        == .truncated(
          path: nil, section: "magic string and version", expectedBytes: 8, foundBytes: 3))
    #expect(
      decodingError(Data([0x93] + Array("NUMPY".utf8) + [1, 0, 0x76]))
        == .truncated(path: nil, section: "header length", expectedBytes: 10, foundBytes: 9))
    #expect(
      decodingError(Data([0x93] + Array("NUMPY".utf8) + [2, 0, 0x76, 0]))
        == .truncated(path: nil, section: "header length", expectedBytes: 12, foundBytes: 10))
    let full = npyBytes(header: Self.header, body: [UInt8](repeating: 0, count: 8))
    let cut = full.prefix(30)
    #expect(
      decodingError(cut)
        == .truncated(
          path: nil, section: "header", expectedBytes: 10 + Self.header.utf8.count,
          foundBytes: 30))
  }

  @Test("a truncated data section names both byte counts")
  func truncatedData() throws {
    let data = npyBytes(header: Self.header, body: [0, 0, 0x80, 0x3F, 0, 0])
    let error = try #require(decodingError(data))
    guard case .truncated(nil, _, 8, 6) = error else {
      Issue.record("unexpected \(error)")
      return
    }
    #expect(error.description.contains("needs 8 bytes, found 6"))
  }

  @Test("trailing bytes after the data are a size mismatch")
  func trailingBytes() {
    let data = npyBytes(header: Self.header, body: [UInt8](repeating: 0, count: 9))
    #expect(
      decodingError(data)
        == .sizeMismatch(path: nil, shape: [2], descr: "<f4", expectedBytes: 8, foundBytes: 9))
  }

  @Test("unsupported versions are refused", arguments: [(0, 0), (1, 1), (4, 0), (255, 255)])
  func unsupportedVersion(major: Int, minor: Int) {
    let data = npyBytes(header: Self.header, major: UInt8(major), minor: UInt8(minor))
    #expect(decodingError(data) == .unsupportedVersion(path: nil, major: major, minor: minor))
  }

  @Test(
    "huge shapes throw instead of allocating",
    arguments: [
      "(1000000000000000,)", "(4611686018427387904, 4)", "(99999999999999999999999,)",
      "(3037000500, 3037000500, 3037000500)", "(9223372036854775807,)",
      // A zero extent after an overflowing product: no data, but refused (no later trap).
      "(4611686018427387904, 4, 0)",
    ])
  func hugeShapes(shape: String) throws {
    let data = npyBytes(
      header: "{'descr': '<f8', 'fortran_order': False, 'shape': \(shape), }", body: [1, 2, 3])
    let error = try #require(decodingError(data))
    switch error {
    case .shapeTooLarge, .truncated: break
    default: Issue.record("\(shape): unexpected \(error)")
    }
  }

  @Test(
    "unparsable headers are refused without crashing",
    arguments: [
      "", "not a dict", "{", "{'descr': '<f4', 'fortran_order': False}",
      "{'descr': '<f4', 'shape': (2,)}", "{'fortran_order': False, 'shape': (2,)}",
      "{'descr': '<f4', 'fortran_order': 0, 'shape': (2,)}",
      "{'descr': '<f4', 'fortran_order': False, 'shape': (2, -1)}",
      "{'descr': '<f4', 'fortran_order': False, 'shape': (2.0,)}",
      "{'descr': '<f4', 'fortran_order': False, 'shape': 'two'}",
      "{'descr': '<f4', 'fortran_order': False, 'shape': (2,) 'extra'}",
      "{'descr': '<f4', 'fortran_order': False, 'shape': (2,)} trailing",
      "{'descr': '<f4, 'fortran_order': False, 'shape': (2,)}",
      "{'descr': '<f4', 'descr': '<f8', 'fortran_order': False, 'shape': (2,)}",
      "{'descr': '<f4' 'fortran_order': False, 'shape': (2,)}",
      "{descr: '<f4', 'fortran_order': False, 'shape': (2,)}",
      "{'descr': '<f4', 'fortran_order': Maybe, 'shape': (2,)}",
      "{'descr': '<f4', 'fortran_order': False, 'shape': (2,",
      "{'a': " + String(repeating: "(", count: 10_000),
      "{'descr': '<f4', 'fortran_order': False, 'shape': (--2,)}",
      "{'descr': '<f4', 'fortran_order': False, 'shape': (2,,)}",
    ])
  func unparsableHeader(header: String) throws {
    let data = npyBytes(header: header, body: [UInt8](repeating: 0, count: 8))
    let error = try #require(decodingError(data))
    guard case .unparsableHeader = error else {
      Issue.record("\(header.prefix(60)): unexpected \(error)")
      return
    }
    #expect(!error.description.contains("\n"))
    #expect(error.description.count < 400)
  }

  @Test(
    "unsupported and big-endian dtypes are named",
    arguments: [
      ("'<f2'", "'<f2'", false), ("'<c16'", "'<c16'", false), ("'|O'", "'|O'", false),
      ("'f4'", "'f4'", false), ("'=f4'", "'=f4'", false), ("'>f8'", ">f8", true),
      ("'>i4'", ">i4", true), ("[('x', '<f4')]", "[('x', '<f4')]", false), ("None", "None", false),
    ])
  func dtypes(descr: String, named: String, bigEndian: Bool) throws {
    let data = npyBytes(header: "{'descr': \(descr), 'fortran_order': False, 'shape': (1,), }")
    let error = try #require(decodingError(data))
    if bigEndian {
      #expect(error == .bigEndian(path: nil, descr: named))
      #expect(error.description.contains("byte-swap to little-endian first"))
    } else {
      #expect(error == .unsupportedDType(path: nil, descr: named))
      #expect(error.description.contains("unsupported dtype \(named)"))
    }
  }

  @Test(
    "header spelling variations numpy and Python 2 wrote are accepted",
    arguments: [
      "{'descr': '<f4', 'fortran_order': False, 'shape': (2,), }",
      "{\"descr\": \"<f4\", \"fortran_order\": False, \"shape\": (2,)}",
      "{'shape':(2,),'fortran_order':False,'descr':'<f4'}",
      "  {\n 'descr' :\t'<f4' ,\r\n 'fortran_order' : False , 'shape' : ( 2 , ) , }  \n",
      "{'descr': u'<f4', 'fortran_order': False, 'shape': (2L,), }",
      "{'descr': '<f4', 'fortran_order': False, 'shape': [2], }",
      "{'descr': '<f4', 'fortran_order': False, 'shape': (2,), 'extra': {'a': [1, None]}}",
      "{'descr': '<f4', 'fortran_order': False, 'shape': (2,), }\u{0}\u{0}",
    ])
  func headerVariations(header: String) throws {
    let data = npyBytes(header: header, body: [0, 0, 0x80, 0x3F, 0, 0, 0, 0x40])
    let array = try NPYArray(data: data)
    #expect(array == NPYArray(shape: [2], data: .float32([1, 2])))
  }

  @Test("one-byte dtypes accept any byte-order character")
  func oneByteOrders() throws {
    for descr in ["|u1", "<u1", ">u1", "=u1"] {
      let data = npyBytes(
        header: "{'descr': '\(descr)', 'fortran_order': False, 'shape': (2,), }", body: [7, 9])
      #expect(try NPYArray(data: data) == NPYArray(shape: [2], data: .uint8([7, 9])))
    }
  }

  @Test("fortran_order True is refused even for a valid array")
  func fortranOrderMessage() throws {
    let data = npyBytes(
      header: "{'descr': '<f4', 'fortran_order': True, 'shape': (1, 2), }",
      body: [UInt8](repeating: 0, count: 8))
    let error = try #require(decodingError(data))
    #expect(error == .fortranOrder(path: nil))
    #expect(
      error.description
        == "cannot read .npy data: fortran_order is True: "
        + "save the array with np.ascontiguousarray first"
    )
  }

  @Test("missing files and directories give file-system reasons")
  func fileSystemErrors() throws {
    try withTemporaryDirectory { directory in
      let missing = directory.appending(path: "missing.npy")
      let readError = try #require(throws: NPYError.self) { try NPYArray(contentsOf: missing) }
      #expect(readError.description.contains("No such file or directory"))
      #expect(readError.description.contains(missing.path))

      let directoryError = try #require(throws: NPYError.self) {
        try NPYArray(contentsOf: directory)
      }
      #expect(directoryError.description.contains("Is a directory"))

      let nowhere = directory.appending(path: "no/such/dir/out.npy")
      let array = NPYArray(shape: [1], data: .uint8([1]))
      let writeError = try #require(throws: NPYError.self) { try array.write(to: nowhere) }
      guard case .unwritable(let path, let reason) = writeError else {
        Issue.record("unexpected \(writeError)")
        return
      }
      #expect(path == nowhere.path)
      #expect(reason.contains("No such file or directory") && reason.contains("create it first"))
      #expect(!FileManager.default.fileExists(atPath: nowhere.path))
    }
  }

  @Test("random corruption of valid files never crashes")
  func fuzz() throws {
    let valid = [
      NPYArray(shape: [2, 3], data: .float32([1, 2, 3, 4, 5, 6])).encoded(),
      NPYArray(shape: [], data: .bool([true])).encoded(),
      npyBytes(
        header: "{'descr': '<i8', 'fortran_order': False, 'shape': (1,)}",
        major: 2, body: [UInt8](repeating: 1, count: 8)),
    ]
    withEvery("seed", in: 0..<200 as Range<UInt64>) { seed in
      var rng = RandomGenerator(seed: seed)
      var bytes = [UInt8](valid[Int(seed) % valid.count])
      switch rng.next() % 3 {
      case 0:
        bytes = Array(bytes.prefix(Int(rng.next() % UInt64(bytes.count))))
      case 1:
        for _ in 0..<(1 + rng.next() % 4) {
          bytes[Int(rng.next() % UInt64(bytes.count))] = UInt8(truncatingIfNeeded: rng.next())
        }
      default:
        // Corrupt the header text only, where the parser is exercised hardest.
        let position = 10 + Int(rng.next() % 50)
        bytes[position] =
          Array("{}()[],:'\" 0123456789-LTrueFalse".utf8)[
            Int(rng.next() % 32)]
      }
      do {
        let array = try NPYArray(data: Data(bytes))
        #expect(array.data.count == array.shape.reduce(1, *))
      } catch is NPYError {
        // Expected for most mutations.
      }
    }
  }

  @Test("error descriptions stay on one line even with newlines in the header")
  func oneLineDescriptions() throws {
    let data = npyBytes(
      header: "{'descr': '<c8\\\n', 'fortran_order': False, 'shape': (2,\n), }", body: [])
    let error = try #require(decodingError(data))
    #expect(!error.description.contains("\n"), "\(error.description)")
  }

  @Test("a FIFO is refused, not read forever", .timeLimit(.minutes(1)))
  func fifoIsRefused() throws {
    let directory = try temporaryDirectory()
    defer { try? FileManager.default.removeItem(at: directory) }
    let fifo = directory.appending(path: "pipe.npy")
    #expect(mkfifo(fifo.path, 0o600) == 0)
    #expect(throws: NPYError.self) { try NPYArray(contentsOf: fifo) }
  }
}
