import Foundation

/// The SHA-256 hash function, in pure Swift, for recording the digests of input files.
///
/// Implements FIPS 180-4 §6.2 directly: 512-bit blocks, 64 rounds, big-endian words, and the
/// padding of §5.1.1 (a 1 bit, zeros, then the message length in bits as a 64-bit
/// big-endian integer). Feed bytes with `update` as often as needed, then call ``digest()``.
/// It is not constant-time and is meant for provenance, not for secrets.
///
/// Reference: NIST, "Secure Hash Standard (SHS)", FIPS PUB 180-4, 2015.
///
/// ```swift
/// var hasher = SHA256()
/// hasher.update(Data("abc".utf8))
/// hasher.hexDigest()  // "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
/// ```
public struct SHA256: Sendable {
  /// The hash value H(i), initialised to the first 32 bits of the fractional parts of the square
  /// roots of the first eight primes (§5.3.3).
  private var state: [UInt32] = [
    0x6a09_e667, 0xbb67_ae85, 0x3c6e_f372, 0xa54f_f53a,
    0x510e_527f, 0x9b05_688c, 0x1f83_d9ab, 0x5be0_cd19,
  ]
  /// Bytes not yet forming a complete 64-byte block.
  private var pending: [UInt8] = []
  /// Total message length in bytes.
  private var byteCount: UInt64 = 0

  /// Creates a hasher with the empty message.
  public init() {}

  /// Appends bytes to the message.
  ///
  /// - Parameter bytes: Any number of bytes.
  /// - Complexity: O(`bytes.count`).
  public mutating func update(_ bytes: UnsafeRawBufferPointer) {
    byteCount &+= UInt64(bytes.count)
    var offset = 0
    if !pending.isEmpty {
      let take = min(64 - pending.count, bytes.count)
      pending.append(contentsOf: bytes[0..<take])
      offset = take
      if pending.count == 64 {
        pending.withUnsafeBytes { compress($0) }
        pending.removeAll(keepingCapacity: true)
      }
    }
    while bytes.count - offset >= 64 {
      compress(UnsafeRawBufferPointer(rebasing: bytes[offset..<(offset + 64)]))
      offset += 64
    }
    if offset < bytes.count {
      pending.append(contentsOf: bytes[offset...])
    }
  }

  /// Appends the bytes of `data` to the message.
  ///
  /// - Parameter data: Any bytes.
  /// - Complexity: O(`data.count`).
  public mutating func update(_ data: Data) {
    data.withUnsafeBytes { update($0) }
  }

  /// Appends bytes to the message.
  ///
  /// - Parameter bytes: Any bytes.
  /// - Complexity: O(`bytes.count`).
  public mutating func update(_ bytes: [UInt8]) {
    bytes.withUnsafeBytes { update($0) }
  }

  /// The 32-byte digest of the message so far; the hasher can continue afterwards.
  ///
  /// - Returns: The digest, most significant byte first.
  /// - Complexity: O(1).
  public func digest() -> [UInt8] {
    var copy = self
    // §5.1.1: append 0x80, then zeros up to 56 mod 64, then the bit length (big-endian).
    let bitLength = byteCount &* 8
    var padding: [UInt8] = [0x80]
    let afterMarker = (pending.count + 1) % 64
    padding += [UInt8](repeating: 0, count: (56 - afterMarker + 64) % 64)
    padding += (0..<8).map { UInt8(truncatingIfNeeded: bitLength >> (56 - 8 * $0)) }
    let savedCount = copy.byteCount
    copy.update(padding)
    assert(copy.pending.isEmpty && copy.byteCount == savedCount + UInt64(padding.count))
    return copy.state.flatMap { word in
      (0..<4).map { UInt8(truncatingIfNeeded: word >> (24 - 8 * $0)) }
    }
  }

  /// The digest as 64 lowercase hexadecimal characters.
  ///
  /// - Returns: For example `"e3b0c442…b855"` for the empty message.
  public func hexDigest() -> String {
    Self.hex(digest())
  }

  /// The lowercase hexadecimal SHA-256 digest of `data`.
  ///
  /// - Parameter data: Any bytes.
  /// - Returns: 64 lowercase hexadecimal characters.
  /// - Complexity: O(`data.count`).
  public static func hash(_ data: Data) -> String {
    var hasher = SHA256()
    hasher.update(data)
    return hasher.hexDigest()
  }

  /// The lowercase hexadecimal SHA-256 digest of a file, read in chunks of 1 MiB.
  ///
  /// Memory use is bounded by the chunk size, so large weight files can be hashed.
  ///
  /// - Parameter url: A file URL.
  /// - Returns: 64 lowercase hexadecimal characters.
  /// - Throws: ``ResultFileError/unreadable(path:reason:)`` if the file cannot be opened or read.
  /// - Complexity: O(file size).
  public static func hash(contentsOf url: URL) throws -> String {
    try hash(contentsOf: url, chunkSize: 1 << 20)
  }

  static func hash(contentsOf url: URL, chunkSize: Int) throws -> String {
    // The shared reader's checks first (regular file, readable): a FIFO would block the handle.
    if case .failure(let failure) = FileReader.read(path: url.path, prefixBytes: 0) {
      throw ResultFileError.unreadable(path: url.path, reason: failure.reason)
    }
    let handle: FileHandle
    do {
      handle = try FileHandle(forReadingFrom: url)
    } catch {
      throw ResultFileError.unreadable(path: url.path, reason: "\(error.localizedDescription)")
    }
    defer { try? handle.close() }
    var hasher = SHA256()
    do {
      while let chunk = try handle.read(upToCount: chunkSize), !chunk.isEmpty {
        hasher.update(chunk)
      }
    } catch {
      throw ResultFileError.unreadable(path: url.path, reason: "\(error.localizedDescription)")
    }
    return hasher.hexDigest()
  }

  static func hex(_ bytes: [UInt8]) -> String {
    let digits = Array("0123456789abcdef".utf8)
    var text: [UInt8] = []
    text.reserveCapacity(bytes.count * 2)
    for byte in bytes {
      text.append(digits[Int(byte >> 4)])
      text.append(digits[Int(byte & 0x0F)])
    }
    return String(decoding: text, as: UTF8.self)
  }

  /// The round constants K: the first 32 bits of the fractional parts of the cube roots of
  /// the first 64 primes (§4.2.2).
  private static let roundConstants: [UInt32] = [
    0x428a_2f98, 0x7137_4491, 0xb5c0_fbcf, 0xe9b5_dba5, 0x3956_c25b, 0x59f1_11f1, 0x923f_82a4,
    0xab1c_5ed5, 0xd807_aa98, 0x1283_5b01, 0x2431_85be, 0x550c_7dc3, 0x72be_5d74, 0x80de_b1fe,
    0x9bdc_06a7, 0xc19b_f174, 0xe49b_69c1, 0xefbe_4786, 0x0fc1_9dc6, 0x240c_a1cc, 0x2de9_2c6f,
    0x4a74_84aa, 0x5cb0_a9dc, 0x76f9_88da, 0x983e_5152, 0xa831_c66d, 0xb003_27c8, 0xbf59_7fc7,
    0xc6e0_0bf3, 0xd5a7_9147, 0x06ca_6351, 0x1429_2967, 0x27b7_0a85, 0x2e1b_2138, 0x4d2c_6dfc,
    0x5338_0d13, 0x650a_7354, 0x766a_0abb, 0x81c2_c92e, 0x9272_2c85, 0xa2bf_e8a1, 0xa81a_664b,
    0xc24b_8b70, 0xc76c_51a3, 0xd192_e819, 0xd699_0624, 0xf40e_3585, 0x106a_a070, 0x19a4_c116,
    0x1e37_6c08, 0x2748_774c, 0x34b0_bcb5, 0x391c_0cb3, 0x4ed8_aa4a, 0x5b9c_ca4f, 0x682e_6ff3,
    0x748f_82ee, 0x78a5_636f, 0x84c8_7814, 0x8cc7_0208, 0x90be_fffa, 0xa450_6ceb, 0xbef9_a3f7,
    0xc671_78f2,
  ]

  /// Processes one 64-byte block (§6.2.2).
  private mutating func compress(_ block: UnsafeRawBufferPointer) {
    assert(block.count == 64)
    withUnsafeTemporaryAllocation(of: UInt32.self, capacity: 64) { w in
      // 1. Message schedule: 16 big-endian words, then
      //    W_t = σ1(W_{t−2}) + W_{t−7} + σ0(W_{t−15}) + W_{t−16}.
      for t in 0..<16 {
        w[t] = UInt32(bigEndian: block.loadUnaligned(fromByteOffset: 4 * t, as: UInt32.self))
      }
      for t in 16..<64 {
        let s0 = rotr(w[t - 15], 7) ^ rotr(w[t - 15], 18) ^ (w[t - 15] >> 3)
        let s1 = rotr(w[t - 2], 17) ^ rotr(w[t - 2], 19) ^ (w[t - 2] >> 10)
        w[t] = s1 &+ w[t - 7] &+ s0 &+ w[t - 16]
      }
      // 2.–3. Working variables and 64 rounds with Σ0, Σ1, Ch and Maj.
      var a = state[0]
      var b = state[1]
      var c = state[2]
      var d = state[3]
      var e = state[4]
      var f = state[5]
      var g = state[6]
      var h = state[7]
      for t in 0..<64 {
        let sigma1 = rotr(e, 6) ^ rotr(e, 11) ^ rotr(e, 25)
        let choose = (e & f) ^ (~e & g)
        let t1 = h &+ sigma1 &+ choose &+ Self.roundConstants[t] &+ w[t]
        let sigma0 = rotr(a, 2) ^ rotr(a, 13) ^ rotr(a, 22)
        let majority = (a & b) ^ (a & c) ^ (b & c)
        let t2 = sigma0 &+ majority
        h = g
        g = f
        f = e
        e = d &+ t1
        d = c
        c = b
        b = a
        a = t1 &+ t2
      }
      // 4. H(i) = H(i−1) + working variables.
      state[0] &+= a
      state[1] &+= b
      state[2] &+= c
      state[3] &+= d
      state[4] &+= e
      state[5] &+= f
      state[6] &+= g
      state[7] &+= h
    }
  }

  @inline(__always) private func rotr(_ x: UInt32, _ n: UInt32) -> UInt32 {
    (x >> n) | (x << (32 - n))
  }
}
