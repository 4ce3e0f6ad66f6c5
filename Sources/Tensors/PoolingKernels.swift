internal import CKernels

/// Pooling and padding kernels that run in C (vectorised along rows; AVX-512 where available).
package enum PoolingKernels {
  /// Max pooling (dilation 1) of `planes` Float32 planes of `height × width` over `kernel`
  /// windows taken every `stride`, starting `padding` before the plane, into `output`
  /// (`planes × outputHeight × outputWidth`); taps outside the plane count as −∞.
  ///
  /// With `indices`, each output's argmax is stored too, as an offset within its input plane:
  /// the first tap in row-major window order that holds the maximum (−1 for a window without
  /// taps).
  ///
  /// - Returns: `false`, with the output unspecified, if an input is NaN; the caller then uses
  ///   its exact NaN-propagating path.
  package static func maximum(
    _ input: UnsafePointer<Float>, planes: Int, height: Int, width: Int, kernel: (Int, Int),
    stride: (Int, Int), padding: (Int, Int), outputHeight: Int, outputWidth: Int,
    output: UnsafeMutablePointer<Float>, indices: UnsafeMutablePointer<Int32>? = nil
  ) -> Bool {
    semrob_max_pool(
      input, planes, height, width, kernel.0, kernel.1, stride.0, stride.1, padding.0,
      padding.1, outputHeight, outputWidth, output, indices) != 0
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

  /// Copies `planes` Float32 planes of `height × width` into `output` with `padding` (rows,
  /// columns) zeros on every side.
  package static func pad(
    _ input: UnsafePointer<Float>, planes: Int, height: Int, width: Int, padding: (Int, Int),
    output: UnsafeMutablePointer<Float>
  ) {
    semrob_pad(input, planes, height, width, padding.0, padding.1, output)
  }
}
