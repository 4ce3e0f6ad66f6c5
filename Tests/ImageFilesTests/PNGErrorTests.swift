import Foundation
import Tensors
import TestSupport
import Testing

@testable import ImageFiles

@Suite struct PNGErrorTests {
  @Test("every invalid fixture throws its error, naming the path", arguments: invalidPNGFixtures)
  func invalidFixture(name: String) throws {
    let expected = try #require(try PNGExpectations.load().invalid[name])
    let url = try Fixture.url("png/\(name)", bundle: .module)
    let error = try #require(throws: PNGError.self) { try PNGImage(contentsOf: url) }
    let message = error.description
    #expect(message.contains(url.path))
    #expect(!message.contains("\n"))
    switch (expected, error) {
    case ("emptyFile", .emptyFile), ("tooLarge", .tooLarge), ("implausibleSize", .implausibleSize):
      break
    case ("invalidPNG", .invalidPNG(_, let libpngMessage)):
      #expect(!libpngMessage.isEmpty)
      #expect(message.contains(libpngMessage))
    default:
      Issue.record("\(name): expected \(expected), got \(error)")
    }
  }

  @Test("libpng's own messages reach the error")
  func libpngMessages() throws {
    let notPNG = try #require(throws: PNGError.self) {
      try PNGImage(data: Data("hello, world".utf8))
    }
    #expect(notPNG.description.contains("Not a PNG file"))
    let crc = try #require(throws: PNGError.self) {
      try PNGImage(data: Fixture.data("png/bad_crc.png", bundle: .module))
    }
    #expect(crc.description.contains("CRC"))
  }

  @Test("absurd dimensions are refused before allocating")
  func dimensions() throws {
    let huge = try #require(throws: PNGError.self) {
      try PNGImage(data: Fixture.data("png/huge_20000x20000.png", bundle: .module))
    }
    #expect(huge == .tooLarge(path: nil, width: 20_000, height: 20_000))
    #expect(huge.description.contains("16384"))
    let bomb = try #require(throws: PNGError.self) {
      try PNGImage(data: Fixture.data("png/bomb_16000x16000.png", bundle: .module))
    }
    guard case .implausibleSize(nil, 16_000, 16_000, _) = bomb else {
      Issue.record("unexpected \(bomb)")
      return
    }
  }

  @Test("every truncation of a valid file throws instead of crashing")
  func everyTruncation() throws {
    let data = try Fixture.data("png/interlaced_rgb8_7x9.png", bundle: .module)
    let complete = try PNGImage(data: data)
    // libpng stops once the image data is complete, so only a cut in the final IEND chunk
    // (12 bytes) may still decode, and then to the complete image.
    let iendStart = data.count - 12
    for length in 0..<data.count {
      if length >= iendStart {
        #expect(try PNGImage(data: data.prefix(length)) == complete, "length \(length)")
      } else {
        #expect(throws: PNGError.self, "length \(length)") {
          try PNGImage(data: data.prefix(length))
        }
      }
    }
  }

  @Test("random byte corruption never crashes")
  func fuzz() throws {
    let valid = try validPNGFixtures.map { try Fixture.data("png/\($0)", bundle: .module) }
    withEvery("seed", in: 0..<300 as Range<UInt64>) { seed in
      var rng = RandomGenerator(seed: seed)
      var bytes = [UInt8](valid[Int(seed) % valid.count])
      for _ in 0..<(1 + rng.next() % 3) {
        // Skip the signature most of the time, so that libpng's parser is exercised.
        let position = 8 + Int(rng.next() % UInt64(bytes.count - 8))
        bytes[position] = UInt8(truncatingIfNeeded: rng.next())
      }
      do {
        let image = try PNGImage(data: Data(bytes), channels: [nil, 1, 3, 4][Int(seed % 4)])
        #expect(image.pixels.count == image.width * image.height * image.channels)
      } catch is PNGError {
        // Expected for most corruptions.
      }
    }
  }

  @Test("reading a missing file or a directory names the path and the reason")
  func unreadable() throws {
    try withTemporaryDirectory { directory in
      let missing = directory.appending(path: "missing.png")
      let error = try #require(throws: PNGError.self) { try PNGImage(contentsOf: missing) }
      #expect(error.description.contains(missing.path))
      #expect(error.description.contains("No such file or directory"))
      let isDirectory = try #require(throws: PNGError.self) {
        try PNGImage(contentsOf: directory)
      }
      #expect(isDirectory.description.contains("Is a directory"))
    }
  }

  @Test("writing into a missing directory says what to do and writes nothing")
  func missingDirectory() throws {
    try withTemporaryDirectory { directory in
      let url = directory.appending(path: "no/such/dir/out.png")
      let image = PNGImage(width: 1, height: 1, channels: 3, pixels: [1, 2, 3])
      let error = try #require(throws: PNGError.self) { try image.write(to: url) }
      guard case .unwritable(let path, let reason) = error else {
        Issue.record("unexpected \(error)")
        return
      }
      #expect(path == url.path)
      #expect(reason.contains("No such file or directory"))
      #expect(reason.contains("create it first"))
      #expect(error.description.hasPrefix("cannot write PNG '\(url.path)'"))
    }
  }

  @Test("writing onto a directory or into a file's 'directory' fails cleanly")
  func badDestinations() throws {
    try withTemporaryDirectory { directory in
      let image = PNGImage(width: 1, height: 1, channels: 1, pixels: [0])
      let error = try #require(throws: PNGError.self) { try image.write(to: directory) }
      #expect(error.description.contains("Is a directory"))
      let file = directory.appending(path: "file")
      try Data([1]).write(to: file)
      let nested = try #require(throws: PNGError.self) {
        try image.write(to: file.appending(path: "out.png"))
      }
      #expect(nested.description.contains("Not a directory"))
    }
  }

  @Test(
    "writing into a read-only directory fails and keeps the old file",
    .enabled(if: geteuid() != 0, "root ignores directory permissions"))
  func readOnlyDirectory() throws {
    try withTemporaryDirectory { directory in
      let url = directory.appending(path: "out.png")
      let old = PNGImage(width: 1, height: 1, channels: 1, pixels: [7])
      try old.write(to: url)
      try FileManager.default.setAttributes(
        [.posixPermissions: 0o555], ofItemAtPath: directory.path)
      let error = try #require(throws: PNGError.self) {
        try PNGImage(width: 1, height: 1, channels: 1, pixels: [8]).write(to: url)
      }
      #expect(error.description.contains("Permission denied"))
      #expect(try PNGImage(contentsOf: url) == old)
    }
  }
}
