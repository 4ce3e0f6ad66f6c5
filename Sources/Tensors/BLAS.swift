internal import CBLAS

/// Row-major single-precision BLAS kernels (OpenBLAS), the only place semrob calls CBLAS.
///
/// Threading is not decided here: OpenBLAS uses the thread count set once per command by
/// ``Parallelism``.
public enum BLAS {
  /// `C ← α · op(A) · op(B) + β · C` with row-major matrices (`cblas_sgemm`).
  ///
  /// `op(A)` is `m × k` and `op(B)` is `k × n`; `C` is `m × n`. With `n == 1` and no
  /// transposed `B`, the call goes to `cblas_sgemv`, which is about 4× faster for a single
  /// column on OpenBLAS.
  ///
  /// - Parameters:
  ///   - transposeA: Use `Aᵀ` (A stored `k × m`).
  ///   - transposeB: Use `Bᵀ` (B stored `n × k`).
  ///   - m: Rows of `op(A)` and `C`.
  ///   - n: Columns of `op(B)` and `C`.
  ///   - k: Inner dimension.
  ///   - alpha: Scale of the product.
  ///   - a: `A`, row-major with leading dimension `lda`.
  ///   - lda: Row stride of `A` in elements.
  ///   - b: `B`, row-major with leading dimension `ldb`.
  ///   - ldb: Row stride of `B` in elements.
  ///   - beta: Scale of the existing `C` (0 overwrites; `C` may then be uninitialised memory
  ///     that holds no NaN).
  ///   - c: `C`, row-major with leading dimension `ldc`.
  ///   - ldc: Row stride of `C` in elements.
  /// - Complexity: `2 m n k` flops.
  public static func gemm(
    transposeA: Bool, transposeB: Bool, m: Int, n: Int, k: Int, alpha: Float,
    a: UnsafePointer<Float>, lda: Int, b: UnsafePointer<Float>, ldb: Int, beta: Float,
    c: UnsafeMutablePointer<Float>, ldc: Int
  ) {
    route(
      transposeA: transposeA, transposeB: transposeB, m: m, n: n, k: k, lda: lda, ldb: ldb,
      ldc: ldc,
      gemv: { transpose, rows, columns, lda, x, incx, y in
        cblas_sgemv(
          CblasRowMajor, transpose ? CblasTrans : CblasNoTrans, rows, columns, alpha,
          x == .a ? a : b, lda, x == .a ? b : a, incx, beta, c, y)
      },
      gemm: {
        cblas_sgemm(
          CblasRowMajor, transposeA ? CblasTrans : CblasNoTrans,
          transposeB ? CblasTrans : CblasNoTrans, Int32(m), Int32(n), Int32(k), alpha, a,
          Int32(lda), b, Int32(ldb), beta, c, Int32(ldc))
      })
  }

  /// `C ← α · op(A) · op(B) + β · C` in double precision (`cblas_dgemm`, or `cblas_dgemv`
  /// for one row or column), with the conventions of the single-precision overload.
  ///
  /// - Parameters:
  ///   - transposeA: Use `Aᵀ` (A stored `k × m`).
  ///   - transposeB: Use `Bᵀ` (B stored `n × k`).
  ///   - m: Rows of `op(A)` and `C`.
  ///   - n: Columns of `op(B)` and `C`.
  ///   - k: Inner dimension.
  ///   - alpha: Scale of the product.
  ///   - a: `A`, row-major with leading dimension `lda`.
  ///   - lda: Row stride of `A` in elements.
  ///   - b: `B`, row-major with leading dimension `ldb`.
  ///   - ldb: Row stride of `B` in elements.
  ///   - beta: Scale of the existing `C`.
  ///   - c: `C`, row-major with leading dimension `ldc`.
  ///   - ldc: Row stride of `C` in elements.
  /// - Complexity: `2 m n k` flops.
  public static func gemm(
    transposeA: Bool, transposeB: Bool, m: Int, n: Int, k: Int, alpha: Double,
    a: UnsafePointer<Double>, lda: Int, b: UnsafePointer<Double>, ldb: Int, beta: Double,
    c: UnsafeMutablePointer<Double>, ldc: Int
  ) {
    route(
      transposeA: transposeA, transposeB: transposeB, m: m, n: n, k: k, lda: lda, ldb: ldb,
      ldc: ldc,
      gemv: { transpose, rows, columns, lda, x, incx, y in
        cblas_dgemv(
          CblasRowMajor, transpose ? CblasTrans : CblasNoTrans, rows, columns, alpha,
          x == .a ? a : b, lda, x == .a ? b : a, incx, beta, c, y)
      },
      gemm: {
        cblas_dgemm(
          CblasRowMajor, transposeA ? CblasTrans : CblasNoTrans,
          transposeB ? CblasTrans : CblasNoTrans, Int32(m), Int32(n), Int32(k), alpha, a,
          Int32(lda), b, Int32(ldb), beta, c, Int32(ldc))
      })
  }

  /// Which operand is the matrix of a matrix–vector product.
  private enum MatrixOperand { case a, b }

  /// Checks the sizes and sends the product to gemv (one row or one column) or gemm.
  ///
  /// `gemv(transpose, rows, columns, lda, matrix, incx, incy)` computes
  /// `c = α op(matrix) · vector + β c` where `vector` is the other operand.
  private static func route(
    transposeA: Bool, transposeB: Bool, m: Int, n: Int, k: Int, lda: Int, ldb: Int, ldc: Int,
    gemv: (Bool, Int32, Int32, Int32, MatrixOperand, Int32, Int32) -> Void,
    gemm: () -> Void
  ) {
    precondition(
      [m, n, k, lda, ldb, ldc].allSatisfy { $0 >= 0 && $0 <= Int(Int32.max) },
      "BLAS.gemm: sizes must be in 0...\(Int32.max) (m \(m), n \(n), k \(k))")
    guard m > 0, n > 0 else { return }
    // A single output column or row is a matrix–vector product: gemv is about 4× faster than
    // gemm there on OpenBLAS (batch-1 fully-connected layers).
    if n == 1 {
      // c (m) = α op(A) b + β c, with b the single column of op(B).
      gemv(
        transposeA, Int32(transposeA ? k : m), Int32(transposeA ? m : k), Int32(lda), .a,
        Int32(transposeB ? 1 : ldb), Int32(ldc))
      return
    }
    if m == 1 {
      // cᵀ (n) = α op(B)ᵀ aᵀ + β cᵀ, with a the single row of op(A).
      gemv(
        !transposeB, Int32(transposeB ? n : k), Int32(transposeB ? k : n), Int32(ldb), .b,
        Int32(transposeA ? lda : 1), 1)
      return
    }
    gemm()
  }
}

extension Tensor {
  /// The matrix product `op(self) · op(other)` of two rank-2 tensors.
  ///
  /// - Parameters:
  ///   - other: The right factor.
  ///   - transposeSelf: Use `selfᵀ`.
  ///   - transposeOther: Use `otherᵀ`.
  /// - Returns: A tensor of shape `[m, n]`.
  /// - Complexity: `2 m n k` flops (OpenBLAS sgemm, or sgemv when `n == 1`).
  public func matmul(_ other: Tensor, transposeSelf: Bool = false, transposeOther: Bool = false)
    -> Tensor
  {
    precondition(
      rank == 2 && other.rank == 2,
      "matmul: both operands must be matrices (got \(shape) × \(other.shape))")
    let (m, k) = transposeSelf ? (shape[1], shape[0]) : (shape[0], shape[1])
    let (k2, n) =
      transposeOther ? (other.shape[1], other.shape[0]) : (other.shape[0], other.shape[1])
    precondition(
      k == k2,
      "matmul: inner dimensions differ (\(shape)\(transposeSelf ? "ᵀ" : "") × "
        + "\(other.shape)\(transposeOther ? "ᵀ" : ""))")
    precondition(
      elementType == other.elementType,
      "matmul: element types differ (\(elementType) × \(other.elementType))")
    var result = Tensor(zeros: [m, n], elementType: elementType)
    guard k > 0 else { return result }
    switch elementType {
    case .float32:
      scalars.withUnsafeBufferPointer { a in
        other.scalars.withUnsafeBufferPointer { b in
          result.scalars.withUnsafeMutableBufferPointer { c in
            BLAS.gemm(
              transposeA: transposeSelf, transposeB: transposeOther, m: m, n: n, k: k, alpha: 1,
              a: a.baseAddress!, lda: shape[1], b: b.baseAddress!, ldb: other.shape[1], beta: 0,
              c: c.baseAddress!, ldc: n)
          }
        }
      }
    case .float64:
      float64Scalars.withUnsafeBufferPointer { a in
        other.float64Scalars.withUnsafeBufferPointer { b in
          result.float64Scalars.withUnsafeMutableBufferPointer { c in
            BLAS.gemm(
              transposeA: transposeSelf, transposeB: transposeOther, m: m, n: n, k: k, alpha: 1,
              a: a.baseAddress!, lda: shape[1], b: b.baseAddress!, ldb: other.shape[1], beta: 0,
              c: c.baseAddress!, ldc: n)
          }
        }
      }
    }
    return result
  }
}
