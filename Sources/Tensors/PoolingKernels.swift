internal import CKernels

/// Pooling kernels that run in C, where the compiler vectorises selects along output rows.
package enum PoolingKernels {
  /// Max pooling of `planes` Float32 planes of `height × width` over `kernel` windows taken
  /// every `stride`, all wholly inside the plane, into `output` (`planes × outputHeight ×
  /// outputWidth`).
  ///
  /// - Returns: `false`, with the output unspecified, if an input is NaN; the caller then uses
  ///   its exact NaN-propagating path.
  package static func maximumOfFullWindows(
    _ input: UnsafePointer<Float>, planes: Int, height: Int, width: Int, kernel: (Int, Int),
    stride: (Int, Int), outputHeight: Int, outputWidth: Int,
    output: UnsafeMutablePointer<Float>
  ) -> Bool {
    precondition(
      (outputHeight - 1) * stride.0 + kernel.0 <= height
        && (outputWidth - 1) * stride.1 + kernel.1 <= width,
      "PoolingKernels: windows must lie inside the plane")
    return semrob_max_pool_full(
      input, planes, height, width, kernel.0, kernel.1, stride.0, stride.1, outputHeight,
      outputWidth, output) != 0
  }

  /// Window sums of `planes` Float32 planes of `height × width` (padding already applied):
  /// `output[p][y][x] = Σ input[p][y·s_h + i][x·s_w + j]` over the `kernel` window, every window
  /// inside the plane.
  package static func boxSum(
    _ input: UnsafePointer<Float>, planes: Int, height: Int, width: Int, kernel: (Int, Int),
    stride: (Int, Int), outputHeight: Int, outputWidth: Int,
    output: UnsafeMutablePointer<Float>
  ) {
    precondition(
      (outputHeight - 1) * stride.0 + kernel.0 <= height
        && (outputWidth - 1) * stride.1 + kernel.1 <= width,
      "PoolingKernels: windows must lie inside the plane")
    semrob_box_sum(
      input, planes, height, width, kernel.0, kernel.1, stride.0, stride.1, outputHeight,
      outputWidth, output)
  }
}
