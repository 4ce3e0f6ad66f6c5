internal import CBLAS

/// The kernel family OpenBLAS chose when it loaded.
///
/// OpenBLAS picks kernels per CPU at load time (e.g. `Cooperlake` AVX-512 kernels on AMD Zen 4,
/// `Haswell` AVX2 kernels on older CPUs); the environment variable `OPENBLAS_CORETYPE`
/// overrides the choice. Benchmarks record it because it changes GEMM speed by about a third.
public enum BLASKernels {
  /// The kernel family OpenBLAS uses, such as `Haswell` or `Cooperlake`.
  public static var coreName: String {
    guard let name = openblas_get_corename() else { return "unknown" }
    return String(cString: name)
  }
}
