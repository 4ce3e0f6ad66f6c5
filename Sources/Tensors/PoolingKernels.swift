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

  /// Window averages of `planes` Float32 planes of `height × width`, zero-padded by `padding`.
  ///
  /// `output[p][y][x] = (Σ padded[p][y·s_h + i][x·s_w + j]) / divisors[y·W_out + x]` over the
  /// `kernel` window (taps summed in row-major order from 0), every window inside the padded
  /// plane. `divisors` holds `outputHeight × outputWidth` values.
  package static func average(
    _ input: UnsafePointer<Float>, planes: Int, height: Int, width: Int, kernel: (Int, Int),
    stride: (Int, Int), padding: (Int, Int), outputHeight: Int, outputWidth: Int,
    divisors: UnsafePointer<Float>, output: UnsafeMutablePointer<Float>
  ) {
    precondition(
      (outputHeight - 1) * stride.0 + kernel.0 <= height + 2 * padding.0
        && (outputWidth - 1) * stride.1 + kernel.1 <= width + 2 * padding.1,
      "PoolingKernels: windows must lie inside the padded plane")
    semrob_box_average(
      input, planes, height, width, kernel.0, kernel.1, stride.0, stride.1, padding.0,
      padding.1, outputHeight, outputWidth, divisors, output)
  }
}
