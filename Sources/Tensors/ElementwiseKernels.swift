internal import CKernels

/// Memory-bound Float32 elementwise kernels of the backward pass, in C so they vectorise.
package enum ElementwiseKernels {
  /// The gradient through a ReLU: `result[i] = output[i] > 0 ? gradient[i] : 0`.
  ///
  /// For `count` elements; NaN outputs pass no gradient. `result` may be `gradient`.
  package static func reluMask(
    _ gradient: UnsafePointer<Float>, by output: UnsafePointer<Float>, count: Int,
    into result: UnsafeMutablePointer<Float>
  ) {
    semrob_relu_mask(gradient, output, count, result)
  }

  /// The sum `result[i] = a[i] + b[i]`, rectified (`max(·, 0)`) when `relu` is set.
  ///
  /// For `count` elements. `result` may be `a` or `b`.
  package static func add(
    _ a: UnsafePointer<Float>, _ b: UnsafePointer<Float>, count: Int, relu: Bool,
    into result: UnsafeMutablePointer<Float>
  ) {
    semrob_add(a, b, count, relu ? 1 : 0, result)
  }
}
