import Foundation
import TestSupport
import Testing

@testable import Tensors

@Suite struct MatrixMultiplyTests {
  static let cases = [
    "2x3x4", "17x33x5", "1x64x10", "12x40x1", "tA_5x7x3", "tB_1x16x9", "tAB_6x4x8", "tA_1x9x4",
    "tAB_7x5x1",
  ]

  @Test(
    "matmul matches NumPy (float64 reference) on every sgemm and sgemv route",
    arguments: cases)
  func matchesReference(caseName: String) throws {
    let a = try Fixture.tensor("matmul/\(caseName)/a.npy", bundle: .module)
    let b = try Fixture.tensor("matmul/\(caseName)/b.npy", bundle: .module)
    let expected = try Fixture.npy("matmul/\(caseName)/out.npy", bundle: .module)
    guard case .float64(let reference) = expected.data else {
      Issue.record("out.npy must be float64")
      return
    }
    let product = a.matmul(
      b, transposeSelf: caseName.hasPrefix("tA"), transposeOther: caseName.contains("B_"))
    #expect(product.shape == expected.shape)
    expectClose(Array(product.scalars), reference, tolerance: .reduction, "\(caseName)")
  }

  @Test("negative control: the wrong transpose flag fails the reference")
  func negativeControl() throws {
    let a = try Fixture.tensor("matmul/tAB_6x4x8/a.npy", bundle: .module)
    let b = try Fixture.tensor("matmul/tAB_6x4x8/b.npy", bundle: .module)
    let expected = try Fixture.npy("matmul/tAB_6x4x8/out.npy", bundle: .module)
    guard case .float64(let reference) = expected.data else { return }
    // a is stored 4 × 6, b 8 × 4: aᵀ · bᵀ is the reference; b · a is its transpose.
    let wrong = b.matmul(a)
    #expect(
      closenessFailure(Array(wrong.scalars).map(Double.init), reference, tolerance: .reduction)
        != nil)
  }

  @Test("an inner-dimension mismatch traps with both shapes in the message")
  func mismatchTraps() async {
    await #expect(processExitsWith: .failure) {
      _ = Tensor(zeros: [2, 3]).matmul(Tensor(zeros: [2, 3]))
    }
  }

  @Test("empty inner dimension gives zeros")
  func emptyInner() {
    let product = Tensor(zeros: [3, 0]).matmul(Tensor(zeros: [0, 2]))
    #expect(product.shape == [3, 2] && product.scalars.allSatisfy { $0 == 0 })
  }
}
