internal import CKernels
import Synchronization

/// semrob's own single-precision matrix multiply for AVX-512 CPUs: A packed once and reused,
/// B packed per call, cache-blocked 8×48 register tiles, and an epilogue (bias per row, an
/// addend, ReLU) fused into the store.
///
/// The engine's convolutions use it for Float32 when the CPU has AVX-512F and the switch
/// ``isEnabled`` is on; everything else (Float64, CPUs without AVX-512, the switch off) goes
/// through OpenBLAS. One call is single-threaded; callers split work over their own workers.
/// Matrices are row-major: `C (m×n) = α·A·B + β·C`, then the epilogue.
package enum PackedGEMM {
  /// Whether this CPU and operating system run the kernel (AVX-512F with saved ZMM state).
  package static let isSupported = semrob_gemm_best_isa() == Int32(SEMROB_ISA_AVX512)

  private static let enabledSetting = Mutex(true)

  /// Whether the engine uses the kernel where it is supported (default on).
  ///
  /// Benchmarks and tests switch it off to compare with OpenBLAS.
  package static var isEnabled: Bool {
    get { isSupported && enabledSetting.withLock { $0 } }
    set { enabledSetting.withLock { $0 = newValue } }
  }

  private static var isa: Int32 { Int32(SEMROB_ISA_AVX512) }

  /// A left-hand matrix in the kernel's packed layout (rows in panels of 8, depth in blocks).
  package final class PackedMatrix: @unchecked Sendable {
    /// Rows of the logical matrix (m).
    package let rows: Int
    /// Columns of the logical matrix (k, the multiplication depth).
    package let depth: Int
    let storage: UnsafeMutablePointer<Float>

    /// Packs `rows × depth` A whose element (i, p) is `a[i·lda + p]`, or `a[p·lda + i]` when
    /// `transposed`.
    package init(_ a: UnsafePointer<Float>, transposed: Bool, rows: Int, depth: Int, lda: Int) {
      precondition(PackedGEMM.isSupported, "PackedGEMM: this CPU has no AVX-512F")
      self.rows = rows
      self.depth = depth
      let count = semrob_gemm_packed_a_count(PackedGEMM.isa, rows, depth)
      storage = .allocate(capacity: max(1, count))
      semrob_gemm_pack_a(PackedGEMM.isa, transposed ? 1 : 0, rows, depth, a, lda, storage)
    }

    deinit { storage.deallocate() }
  }

  /// Where the columns of B and C lie when they are image blocks side by side (a batch of NCHW
  /// planes): column j is in image `j / columnsPerImage` at offset `j % columnsPerImage`, that
  /// image starting `imageStrideB` (`imageStrideC`) floats after the previous one.
  package struct ColumnMap: Sendable {
    /// Columns of one image (H·W positions).
    package var columnsPerImage: Int
    /// Floats between one image's first B element and the next's.
    package var imageStrideB: Int
    /// Floats between one image's first C (and addend) element and the next's.
    package var imageStrideC: Int

    /// A map for image blocks of `columnsPerImage` columns.
    package init(columnsPerImage: Int, imageStrideB: Int, imageStrideC: Int) {
      self.columnsPerImage = columnsPerImage
      self.imageStrideB = imageStrideB
      self.imageStrideC = imageStrideC
    }
  }

  /// Floats of workspace ``multiply(_:b:ldb:transposedB:columns:alpha:beta:c:ldc:columnMap:bias:addend:relu:workspace:)``
  /// needs for `columns` columns.
  package static func workspaceCount(columns: Int, depth: Int) -> Int {
    semrob_gemm_workspace_count(isa, columns, depth)
  }

  /// Computes `C ← relu(α·A·B + β·C + bias[row] + addend)` with `A` packed.
  ///
  /// `B` is `depth × columns`, element (p, j) at `b[p·ldb + j]`, or `b[j·ldb + p]` when
  /// `transposedB`; the column map applies to untransposed B only. With β = 0, C is never read.
  /// `rows` (default all; its start a multiple of 8) picks a band of A's rows, so workers can
  /// share one product: `c`, `bias` and `addend` then point at the band's first row.
  package static func multiply(
    _ a: PackedMatrix, rows: Range<Int>? = nil, b: UnsafePointer<Float>, ldb: Int,
    transposedB: Bool = false, columns: Int, alpha: Float = 1, beta: Float = 0,
    c: UnsafeMutablePointer<Float>, ldc: Int, columnMap: ColumnMap? = nil,
    bias: UnsafePointer<Float>? = nil, addend: UnsafePointer<Float>? = nil, relu: Bool = false,
    workspace: UnsafeMutablePointer<Float>
  ) {
    let band = rows ?? 0..<a.rows
    precondition(
      band.lowerBound % rowPanel == 0 && band.upperBound <= a.rows,
      "PackedGEMM: row band \(band) must start at a multiple of \(rowPanel) within \(a.rows)")
    var epilogue = semrob_gemm_epilogue(bias: bias, addend: addend, relu: relu ? 1 : 0)
    var map = semrob_gemm_columns(
      columns_per_image: columnMap?.columnsPerImage ?? 0,
      image_stride_b: columnMap?.imageStrideB ?? 0, image_stride_c: columnMap?.imageStrideC ?? 0)
    semrob_gemm_run(
      isa, a.rows, band.lowerBound, band.count, columns, a.depth, alpha, a.storage,
      transposedB ? 1 : 0, b, ldb, beta, c, ldc, &map, &epilogue, workspace)
  }

  /// The height of A's packed panels: row bands start at multiples of it.
  package static var rowPanel: Int { 8 }
}
