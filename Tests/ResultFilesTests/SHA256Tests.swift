import Foundation
import TestSupport
import Testing

@testable import ResultFiles

@Suite struct SHA256Tests {
  /// FIPS 180-4 examples (NIST CSRC "SHA256.pdf", "SHA2_Additional.pdf").
  @Test(
    "NIST test vectors",
    arguments: [
      ("", "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"),
      ("abc", "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"),
      (
        "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq",
        "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1"
      ),
      (
        "abcdefghbcdefghicdefghijdefghijkefghijklfghijklmghijklmnhijklmno"
          + "ijklmnopjklmnopqklmnopqrlmnopqrsmnopqrstnopqrstu",
        "cf5b16a778af8380036ce59e7b0492370b249b11e8f07a51afac45037afee9d1"
      ),
    ])
  func vectors(message: String, digest: String) {
    #expect(SHA256.hash(Data(message.utf8)) == digest)
  }

  @Test("one million 'a'")
  func millionA() {
    var hasher = SHA256()
    let block = [UInt8](repeating: UInt8(ascii: "a"), count: 1000)
    for _ in 0..<1000 { hasher.update(block) }
    #expect(
      hasher.hexDigest() == "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0")
  }

  /// Padding boundaries around 56 and 64 bytes; expected values from Python's hashlib.
  @Test(
    "lengths around the padding boundaries",
    arguments: [
      (55, "463eb28e72f82e0a96c0a4cc53690c571281131f672aa229e0d45ae59b598b59"),
      (56, "da2ae4d6b36748f2a318f23e7ab1dfdf45acdc9d049bd80e59de82a60895f562"),
      (57, "2fe741af801cc238602ac0ec6a7b0c3a8a87c7fc7d7f02a3fe03d1c12eac4d8f"),
      (63, "29af2686fd53374a36b0846694cc342177e428d1647515f078784d69cdb9e488"),
      (64, "fdeab9acf3710362bd2658cdc9a29e8f9c757fcf9811603a8c447cd1d9151108"),
      (65, "4bfd2c8b6f1eec7a2afeb48b934ee4b2694182027e6d0fc075074f2fabb31781"),
      (119, "da18797ed7c3a777f0847f429724a2d8cd5138e6ed2895c3fa1a6d39d18f7ec6"),
      (120, "f52b23db1fbb6ded89ef42a23ce0c8922c45f25c50b568a93bf1c075420bbb7c"),
      (128, "471fb943aa23c511f6f72f8d1652d9c880cfa392ad80503120547703e56a2be5"),
      (1000, "4e4c294b331f7a2099a379bec34b9f9fc03dc46ab465d998f4d683da53487e6d"),
    ])
  func boundaries(length: Int, digest: String) {
    let bytes = (0..<length).map { UInt8($0 % 251) }
    #expect(SHA256.hash(Data(bytes)) == digest)
  }

  @Test("any split into update calls gives the same digest")
  func streaming() {
    let bytes = (0..<1000).map { UInt8($0 % 251) }
    let expected = "4e4c294b331f7a2099a379bec34b9f9fc03dc46ab465d998f4d683da53487e6d"
    withEvery("seed", in: 0..<50 as Range<UInt64>) { seed in
      var rng = SeededGenerator(seed: seed)
      var hasher = SHA256()
      var offset = 0
      while offset < bytes.count {
        let length = min(Int(rng.next() % 130), bytes.count - offset)
        hasher.update(Array(bytes[offset..<(offset + length)]))
        offset += length
      }
      #expect(hasher.hexDigest() == expected)
    }
  }

  @Test("digest() does not end the message")
  func digestIsNonConsuming() {
    var hasher = SHA256()
    hasher.update(Data("ab".utf8))
    _ = hasher.digest()
    hasher.update(Data("c".utf8))
    #expect(hasher.hexDigest() == SHA256.hash(Data("abc".utf8)))
    #expect(hasher.digest().count == 32)
  }

  @Test("hashing a file in chunks matches hashing its bytes", arguments: [1, 7, 64, 1000, 1 << 20])
  func fileInChunks(chunkSize: Int) throws {
    try withTemporaryDirectory { directory in
      let url = directory.appending(path: "input.bin")
      let bytes = Data((0..<5000).map { UInt8(($0 * 7) % 256) })
      try bytes.write(to: url)
      #expect(try SHA256.hash(contentsOf: url, chunkSize: chunkSize) == SHA256.hash(bytes))
      let empty = directory.appending(path: "empty.bin")
      try Data().write(to: empty)
      #expect(
        try SHA256.hash(contentsOf: empty, chunkSize: chunkSize)
          == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
    }
  }

  @Test("a missing file throws an error naming it")
  func missingFile() throws {
    try withTemporaryDirectory { directory in
      let url = directory.appending(path: "missing.bin")
      let error = try #require(throws: ResultFileError.self) { try SHA256.hash(contentsOf: url) }
      #expect(
        error == .unreadable(path: url.path, reason: "No such file or directory; check the path"))
    }
  }
}
