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
    precondition(
      [m, n, k, lda, ldb, ldc].allSatisfy { $0 >= 0 && $0 <= Int(Int32.max) },
      "BLAS.gemm: sizes must be in 0...\(Int32.max) (m \(m), n \(n), k \(k))")
    guard m > 0, n > 0 else { return }
    // A single output column or row is a matrix–vector product: sgemv is about 4× faster than
    // sgemm there on OpenBLAS (batch-1 fully-connected layers).
    if n == 1 {
      // c (m) = α op(A) b + β c, with b the single column of op(B).
      cblas_sgemv(
        CblasRowMajor, transposeA ? CblasTrans : CblasNoTrans,
        Int32(transposeA ? k : m), Int32(transposeA ? m : k), alpha, a, Int32(lda), b,
        Int32(transposeB ? 1 : ldb), beta, c, Int32(ldc))
      return
    }
    if m == 1 {
      // cᵀ (n) = α op(B)ᵀ aᵀ + β cᵀ, with a the single row of op(A).
      cblas_sgemv(
        CblasRowMajor, transposeB ? CblasNoTrans : CblasTrans,
        Int32(transposeB ? n : k), Int32(transposeB ? k : n), alpha, b, Int32(ldb), a,
        Int32(transposeA ? lda : 1), beta, c, 1)
      return
    }
    cblas_sgemm(
      CblasRowMajor, transposeA ? CblasTrans : CblasNoTrans, transposeB ? CblasTrans : CblasNoTrans,
      Int32(m), Int32(n), Int32(k), alpha, a, Int32(lda), b, Int32(ldb), beta, c, Int32(ldc))
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
    var result = Tensor(zeros: [m, n])
    guard k > 0 else { return result }
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
    return result
  }
}
