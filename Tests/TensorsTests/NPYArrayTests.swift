import Foundation
import TestSupport
import Testing

@testable import Tensors

@Suite struct NPYArrayTests {
  @Test("the fixture lists match expected.json")
  func fixtureListsAreComplete() throws {
    let expectations = try NPYExpectations.load()
    #expect(Set(expectations.files.keys) == Set(goodNPYFixtures))
    #expect(Set(expectations.invalid.keys) == Set(invalidNPYFixtures))
  }

  @Test("reads every numpy fixture exactly", arguments: goodNPYFixtures)
  func readsFixture(name: String) throws {
    let expected = try #require(try NPYExpectations.load().files[name])
    let array = try Fixture.npy("npy/\(name)", bundle: .module)
    #expect(array.shape == expected.shape)
    #expect(array.data.descr == expected.array.data.descr)
    #expect(bitPatterns(array.data) == bitPatterns(expected.array.data))
  }

  @Test("encodes the same bytes as numpy.save", arguments: goodNPYFixtures)
  func encodesLikeNumPy(name: String) throws {
    let expected = try #require(try NPYExpectations.load().files[name])
    guard expected.numpySave else { return }  // v2/v3 files were written on request
    let numpyBytes = try Fixture.data("npy/\(name)", bundle: .module)
    let ours = expected.array.encoded()
    #expect(ours == numpyBytes, "\(name): \(ours.count) bytes vs numpy's \(numpyBytes.count)")
  }

  @Test("headers are padded to 64 bytes and end with a newline", arguments: goodNPYFixtures)
  func headerAlignment(name: String) throws {
    let array = try Fixture.npy("npy/\(name)", bundle: .module)
    let bytes = array.encoded()
    let headerLength = Int(bytes[8]) | Int(bytes[9]) << 8
    #expect((10 + headerLength) % 64 == 0)
    #expect(bytes[10 + headerLength - 1] == UInt8(ascii: "\n"))
  }

  static let roundTripCases: [NPYArray] = [
    NPYArray(shape: [2, 3], data: .float32([1, -2, .infinity, -.infinity, 0.1, -0.0])),
    NPYArray(shape: [], data: .float32([.nan])),
    NPYArray(shape: [0], data: .float32([])),
    NPYArray(shape: [3], data: .float64([.pi, -.greatestFiniteMagnitude, .leastNonzeroMagnitude])),
    NPYArray(shape: [2, 0, 4], data: .float64([])),
    NPYArray(shape: [2, 2], data: .int32([.min, .max, 0, -1])),
    NPYArray(shape: [], data: .int32([7])),
    NPYArray(shape: [1, 3], data: .int64([.min, .max, 1 << 53 + 1])),
    NPYArray(shape: [5], data: .uint8([0, 1, 127, 128, 255])),
    NPYArray(shape: [1000, 0], data: .uint8([])),
    NPYArray(shape: [2, 2], data: .bool([true, false, false, true])),
    NPYArray(shape: [], data: .bool([true])),
  ]

  @Test("write then read returns the same array", arguments: roundTripCases)
  func roundTrip(array: NPYArray) throws {
    try withTemporaryDirectory { directory in
      let url = directory.appending(path: "array.npy")
      try array.write(to: url)
      let read = try NPYArray(contentsOf: url)
      #expect(read.shape == array.shape)
      #expect(bitPatterns(read.data) == bitPatterns(array.data))
      #expect(try NPYArray(data: array.encoded()).encoded() == array.encoded())
    }
  }

  @Test("a header longer than 65535 bytes switches to format 2.0")
  func longHeaderUsesVersion2() throws {
    let shape = [Int](repeating: 1, count: 22_000)
    let array = NPYArray(shape: shape, data: .float32([42]))
    let bytes = array.encoded()
    #expect(bytes[6] == 2 && bytes[7] == 0)
    let headerLength = (0..<4).reduce(0) { $0 | Int(bytes[8 + $1]) << (8 * $1) }
    #expect(headerLength > 65_535)
    #expect((12 + headerLength) % 64 == 0)
    let read = try NPYArray(data: bytes)
    #expect(read == array)
  }

  @Test("reading from a Data slice with a non-zero start index")
  func readsFromSlice() throws {
    let array = NPYArray(shape: [2], data: .int64([3, -4]))
    let padded = Data([1, 2, 3]) + array.encoded()
    let slice = padded[3...]
    #expect(slice.startIndex == 3)
    #expect(try NPYArray(data: slice) == array)
  }

  @Test("rejects a shape that does not match the element count")
  func initializerChecksCount() async {
    await #expect(processExitsWith: .failure) {
      _ = NPYArray(shape: [2, 2], data: .float32([1, 2, 3]))
    }
  }
}

@Suite struct TensorNPYTests {
  @Test("Tensor(NPYArray) converts every dtype to Float")
  func conversions() {
    let cases: [(NPYData, [Float])] = [
      (.float32([1.5, -2]), [1.5, -2]),
      (.float64([0.1, 1e300]), [Float(0.1), .infinity]),
      (.int32([-3, 16_777_217]), [-3, 16_777_216]),
      (.int64([.max, -5]), [Float(Int64.max), -5]),
      (.uint8([0, 255]), [0, 255]),
      (.bool([true, false]), [1, 0]),
    ]
    for (data, expected) in cases {
      let tensor = Tensor(NPYArray(shape: [2], data: data))
      #expect(tensor.shape == [2])
      #expect(Array(tensor.scalars) == expected, "\(data.descr)")
    }
  }

  @Test("NPYArray(Tensor) is float32 with the tensor's shape")
  func fromTensor() {
    let tensor = Tensor(shape: [2, 1, 2], scalars: [1, 2, 3, 4])
    let array = NPYArray(tensor)
    #expect(array.shape == [2, 1, 2])
    #expect(array.data == .float32([1, 2, 3, 4]))
    #expect(Tensor(array) == tensor)
  }

  @Test("Tensor.write(npyTo:) and Tensor(npyContentsOf:) round trip")
  func fileRoundTrip() throws {
    try withTemporaryDirectory { directory in
      let url = directory.appending(path: "t.npy")
      let tensor = Tensor(shape: [3, 2], scalars: [0, 1, -1, 0.5, 1e-30, 3e38])
      try tensor.write(npyTo: url)
      #expect(try Tensor(npyContentsOf: url) == tensor)
      let scalar = Tensor(shape: [], scalars: [2])
      try scalar.write(npyTo: url)
      #expect(try Tensor(npyContentsOf: url) == scalar)
    }
  }

  @Test("Tensor(npyContentsOf:) matches the float64 fixture within float32 rounding")
  func float64FixtureAsTensor() throws {
    let expected = try #require(try NPYExpectations.load().files["float64_4.npy"])
    guard case .float64(let reference) = expected.array.data else {
      Issue.record("float64_4.npy is not float64")
      return
    }
    let tensor = try Fixture.tensor("npy/float64_4.npy", bundle: .module)
    expectClose(Array(tensor.scalars), reference, tolerance: .elementwise)
    // Negative control: the same comparison against perturbed values must fail.
    let perturbed = reference.map { $0 + 1e-3 }
    #expect(
      closenessFailure(tensor.scalars.map(Double.init), perturbed, tolerance: .elementwise) != nil)
  }
}
