import TestSupport
import Testing

@testable import Tensors

/// semrob's packed AVX-512 GEMM against a Float64 triple loop: transposes, β, the fused
/// epilogue (bias, addend, ReLU), column maps over image blocks, and shapes with partial
/// 8-row panels, 48-column tiles and several depth blocks.
@Suite(.enabled(if: PackedGEMM.isSupported, "the CPU has no AVX-512F"))
struct PackedGEMMTests {
  struct Case: CustomTestStringConvertible, Sendable {
    var m, n, k: Int
    var transposeA = false, transposeB = false
    var beta: Float = 0
    var epilogue = false
    var testDescription: String {
      "\(m)×\(n)×\(k)\(transposeA ? " Aᵀ" : "")\(transposeB ? " Bᵀ" : "") β \(beta)"
        + (epilogue ? " bias+addend+relu" : "")
    }
  }

  static let cases: [Case] = [
    Case(m: 1, n: 1, k: 1),
    Case(m: 8, n: 48, k: 192),
    Case(m: 9, n: 49, k: 193, beta: 0.5),
    Case(m: 37, n: 101, k: 400, transposeA: true, epilogue: true),
    Case(m: 300, n: 70, k: 600, transposeB: true, beta: 1),
    Case(m: 16, n: 1600, k: 3, transposeA: true, transposeB: true, epilogue: true),
    Case(m: 5, n: 3, k: 0, beta: 0.25, epilogue: true),
  ]

  static func random(_ count: Int, _ generator: inout RandomGenerator) -> [Float] {
    (0..<count).map { _ in Float(generator.nextUniform() * 2 - 1) }
  }

  @Test("matches a Float64 reference", arguments: cases)
  func matchesReference(_ c: Case) {
    var generator = RandomGenerator(seed: UInt64(c.m * 1000 + c.n))
    let lda = (c.transposeA ? c.m : c.k) + 2
    let ldb = (c.transposeB ? c.k : c.n) + 3
    let ldc = c.n + 5
    let a = Self.random((c.transposeA ? c.k : c.m) * lda, &generator)
    let b = Self.random((c.transposeB ? c.n : c.k) * ldb + 1, &generator)
    let bias = Self.random(c.m, &generator)
    let addend = Self.random(c.m * ldc, &generator)
    var output = Self.random(c.m * ldc, &generator)
    var expected = output.map(Double.init)
    for i in 0..<c.m {
      for j in 0..<c.n {
        var total = 0.0
        for p in 0..<c.k {
          let x = c.transposeA ? a[p * lda + i] : a[i * lda + p]
          let y = c.transposeB ? b[j * ldb + p] : b[p * ldb + j]
          total += Double(x) * Double(y)
        }
        var value = 1.5 * total + Double(c.beta) * expected[i * ldc + j]
        if c.epilogue { value = max(0, value + Double(bias[i]) + Double(addend[i * ldc + j])) }
        expected[i * ldc + j] = value
      }
    }
    let packed = a.withUnsafeBufferPointer {
      PackedGEMM.PackedMatrix(
        $0.baseAddress!, transposed: c.transposeA, rows: c.m, depth: c.k, lda: lda)
    }
    let workspace = UnsafeMutablePointer<Float>.allocate(
      capacity: PackedGEMM.workspaceCount(columns: c.n, depth: c.k))
    defer { workspace.deallocate() }
    output.withUnsafeMutableBufferPointer { out in
      PackedGEMM.multiply(
        packed, b: b, ldb: ldb, transposedB: c.transposeB, columns: c.n, alpha: 1.5,
        beta: c.beta, c: out.baseAddress!, ldc: ldc, bias: c.epilogue ? bias : nil,
        addend: c.epilogue ? addend : nil, relu: c.epilogue, workspace: workspace)
    }
    expectClose(output, expected, tolerance: .reduction, "\(c.testDescription)")
  }

  @Test("column maps address image blocks side by side (B and C in NCHW batches)")
  func columnMap() {
    // Three images of 2 input and 3 output channels, 10 positions each: C = W · X per image.
    let (images, inputs, outputs, positions) = (3, 2, 3, 10)
    var generator = RandomGenerator(seed: 5)
    let weights = Self.random(outputs * inputs, &generator)
    let x = Self.random(images * inputs * positions, &generator)
    var y = [Float](repeating: .nan, count: images * outputs * positions)
    let packed = weights.withUnsafeBufferPointer {
      PackedGEMM.PackedMatrix(
        $0.baseAddress!, transposed: false, rows: outputs, depth: inputs, lda: inputs)
    }
    let workspace = UnsafeMutablePointer<Float>.allocate(
      capacity: PackedGEMM.workspaceCount(columns: images * positions, depth: inputs))
    defer { workspace.deallocate() }
    y.withUnsafeMutableBufferPointer { out in
      PackedGEMM.multiply(
        packed, b: x, ldb: positions, columns: images * positions, c: out.baseAddress!,
        ldc: positions,
        columnMap: .init(
          columnsPerImage: positions, imageStrideB: inputs * positions,
          imageStrideC: outputs * positions), workspace: workspace)
    }
    var expected = [Double](repeating: 0, count: y.count)
    for n in 0..<images {
      for o in 0..<outputs {
        for p in 0..<positions {
          var total = 0.0
          for i in 0..<inputs {
            total += Double(weights[o * inputs + i]) * Double(x[(n * inputs + i) * positions + p])
          }
          expected[(n * outputs + o) * positions + p] = total
        }
      }
    }
    expectClose(y, expected, tolerance: .reduction, "column map")
  }

  @Test("row bands of one packed matrix compute the rows of the whole product")
  func rowBands() {
    let (m, n, k) = (45, 30, 300)
    var generator = RandomGenerator(seed: 6)
    let a = Self.random(m * k, &generator)
    let b = Self.random(k * n, &generator)
    let bias = Self.random(m, &generator)
    let packed = a.withUnsafeBufferPointer {
      PackedGEMM.PackedMatrix($0.baseAddress!, transposed: false, rows: m, depth: k, lda: k)
    }
    let workspace = UnsafeMutablePointer<Float>.allocate(
      capacity: PackedGEMM.workspaceCount(columns: n, depth: k))
    defer { workspace.deallocate() }
    var whole = [Float](repeating: 0, count: m * n)
    var banded = [Float](repeating: .nan, count: m * n)
    whole.withUnsafeMutableBufferPointer { out in
      PackedGEMM.multiply(
        packed, b: b, ldb: n, columns: n, c: out.baseAddress!, ldc: n, bias: bias, relu: true,
        workspace: workspace)
    }
    for band in [0..<16, 16..<40, 40..<45] {
      banded.withUnsafeMutableBufferPointer { out in
        bias.withUnsafeBufferPointer { biasValues in
          PackedGEMM.multiply(
            packed, rows: band, b: b, ldb: n, columns: n,
            c: out.baseAddress! + band.lowerBound * n, ldc: n,
            bias: biasValues.baseAddress! + band.lowerBound, relu: true, workspace: workspace)
        }
      }
    }
    // Same arithmetic in the same order: bit-identical.
    #expect(whole == banded)
  }
}
