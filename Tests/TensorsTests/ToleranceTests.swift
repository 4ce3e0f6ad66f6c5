import Foundation
import TestSupport
import Testing

@testable import Tensors

@Suite struct ToleranceTests {
  @Test("the named tolerances match the STYLE table")
  func namedConstants() {
    #expect(Tolerance.elementwise == Tolerance(relative: 1e-5, absolute: 1e-6))
    #expect(Tolerance.reduction == Tolerance(relative: 1e-4, absolute: 1e-5))
    #expect(Tolerance.gradient == Tolerance(relative: 1e-3, absolute: 1e-5))
    #expect(Tolerance.image == Tolerance(relative: 0, absolute: 1.0 / 255.0))
  }

  @Test("accepts follows numpy.allclose")
  func allcloseRule() {
    let tolerance = Tolerance(relative: 1e-3, absolute: 1e-6)
    #expect(tolerance.accepts(1.0009, 1.0))
    #expect(!tolerance.accepts(1.0011, 1.0))
    #expect(tolerance.accepts(5e-7, 0))
    #expect(!tolerance.accepts(2e-6, 0))
    // Asymmetric: the bound scales with |expected| only.
    #expect(tolerance.accepts(0, 1e-3) == false)
    #expect(tolerance.accepts(.infinity, .infinity))
    #expect(!tolerance.accepts(.infinity, -.infinity))
    #expect(!tolerance.accepts(.nan, .nan))
    #expect(!tolerance.accepts(1, .nan))
  }

  @Test("closenessFailure checks shapes first and names the first failing index")
  func failureMessages() throws {
    let a = Tensor(shape: [2, 3], scalars: [0, 1, 2, 3, 4, 5])
    let shapeFailure = try #require(
      closenessFailure(a, a.reshaped(to: [3, 2]), tolerance: .elementwise))
    #expect(shapeFailure.contains("[2, 3]") && shapeFailure.contains("[3, 2]"))

    var b = a
    b[1, 1] = 4.5
    b[1, 2] = 9
    let failure = try #require(closenessFailure(b, a, tolerance: .elementwise))
    #expect(failure.contains("element [1, 1] is 4.5, expected 4.0"))
    #expect(failure.contains("2 of 6 elements differ"))
    #expect(closenessFailure(a, a, tolerance: .exact) == nil)

    let countFailure = try #require(closenessFailure([1, 2], [1], tolerance: .reduction))
    #expect(countFailure.contains("count 2"))
  }

  @Test("expectClose passes within tolerance and records an issue outside it")
  func expectCloseRecords() {
    expectClose([1.0, 2.0], [1.0 + 1e-7, 2.0], tolerance: .elementwise)
    expectClose([Float(1), 2], [Float(1), 2.00001], tolerance: .elementwise)
    expectClose(
      Tensor(shape: [1], scalars: [1]), Tensor(shape: [1], scalars: [1]), tolerance: .exact)
    // Negative controls: each comparison must record exactly one issue.
    withKnownIssue {
      expectClose([1.0, 2.0], [1.0, 2.1], tolerance: .elementwise)
    }
    withKnownIssue {
      expectClose([Float(0.5)], [0.5 + 2.0 / 255.0], tolerance: .image)
    }
    withKnownIssue {
      expectClose(Tensor(zeros: [2]), Tensor(zeros: [1, 2]), tolerance: .gradient)
    }
  }

  @Test("withEvery names the failing value")
  func withEveryNamesValue() {
    withEvery("seed", in: 0..<3) { seed in
      #expect(TestContext.current == "seed = \(seed)")
      withEvery("size", in: [8]) { size in
        #expect(TestContext.current == "seed = \(seed), size = \(size)")
      }
    }
    #expect(TestContext.current == nil)
    withKnownIssue {
      withEvery("seed", in: [7]) { _ in
        expectClose([1.0], [2.0], tolerance: .reduction)
      }
    } matching: { issue in
      issue.comments.contains { $0.rawValue.contains("seed = 7") }
    }
    struct Failure: Error {}
    withKnownIssue {
      withEvery("seed", in: [11]) { _ in throw Failure() }
    } matching: { issue in
      issue.comments.contains { $0.rawValue.contains("seed = 11") }
    }
  }

  @Test("temporaryDirectory is unique and empty")
  func temporaryDirectories() throws {
    let first = try temporaryDirectory()
    let second = try temporaryDirectory()
    defer {
      try? FileManager.default.removeItem(at: first)
      try? FileManager.default.removeItem(at: second)
    }
    #expect(first != second)
    #expect(try FileManager.default.contentsOfDirectory(atPath: first.path).isEmpty)
    var kept: URL?
    try withTemporaryDirectory { directory in
      kept = directory
      try Data([1]).write(to: directory.appending(path: "x"))
    }
    #expect(!FileManager.default.fileExists(atPath: try #require(kept).path))
  }

  @Test("Fixture reports missing files with a hint")
  func missingFixture() throws {
    let error = try #require(throws: FixtureError.self) {
      try Fixture.data("npy/does-not-exist.npy", bundle: .module)
    }
    #expect(error.description.contains("Tools/fixtures"))
  }
}
