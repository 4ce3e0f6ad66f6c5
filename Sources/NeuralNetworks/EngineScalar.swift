import Foundation
import Tensors

/// The two element types the engine computes in: `Float` (production) and `Double` (gradient
/// checks).
///
/// Every operation is written once, generic over `EngineScalar`, and called with a concrete type
/// after a `switch` on ``Tensors/Tensor/elementType``, so the optimiser specialises each kernel
/// for both types inside this module.
protocol EngineScalar: BinaryFloatingPoint, Sendable {
  /// The tensor element type that stores `Self`.
  static var elementType: ElementType { get }
  /// The elements of a tensor of this type (precondition: matching element type).
  static func elements(of tensor: Tensor) -> ContiguousArray<Self>
  /// A tensor holding `elements` with `shape`.
  static func makeTensor(shape: [Int], elements: ContiguousArray<Self>) -> Tensor
  /// `C ← α op(A) op(B) + β C`, row-major (OpenBLAS sgemm/dgemm).
  static func gemm(
    transposeA: Bool, transposeB: Bool, m: Int, n: Int, k: Int, alpha: Self,
    a: UnsafePointer<Self>, lda: Int, b: UnsafePointer<Self>, ldb: Int, beta: Self,
    c: UnsafeMutablePointer<Self>, ldc: Int)
  /// e^x.
  static func exponential(_ x: Self) -> Self
  /// Natural logarithm.
  static func logarithm(_ x: Self) -> Self
  /// x^y for x > 0.
  static func power(_ x: Self, _ y: Self) -> Self
  /// `result[i] = output[i] > 0 ? gradient[i] : 0` for `count` elements (a ReLU's backward
  /// pass, formed out of place so the mask is a select, not a branch around a store).
  static func reluMask(
    _ gradient: UnsafePointer<Self>, by output: UnsafePointer<Self>, count: Int,
    into result: UnsafeMutablePointer<Self>)
  /// `result[i] = a[i] + b[i]`, then `max(·, 0)` when `relu`, for `count` elements.
  static func add(
    _ a: UnsafePointer<Self>, _ b: UnsafePointer<Self>, count: Int, relu: Bool,
    into result: UnsafeMutablePointer<Self>)
}

extension EngineScalar {
  static func reluMask(
    _ gradient: UnsafePointer<Self>, by output: UnsafePointer<Self>, count: Int,
    into result: UnsafeMutablePointer<Self>
  ) {
    for i in 0..<count { result[i] = output[i] > 0 ? gradient[i] : 0 }
  }

  static func add(
    _ a: UnsafePointer<Self>, _ b: UnsafePointer<Self>, count: Int, relu: Bool,
    into result: UnsafeMutablePointer<Self>
  ) {
    for i in 0..<count {
      let value = a[i] + b[i]
      result[i] = relu ? (value > 0 ? value : 0) : value
    }
  }
}

extension Float: EngineScalar {
  static var elementType: ElementType { .float32 }
  static func elements(of tensor: Tensor) -> ContiguousArray<Float> {
    precondition(tensor.elementType == .float32, "expected a float32 tensor")
    return tensor.scalars
  }
  static func makeTensor(shape: [Int], elements: ContiguousArray<Float>) -> Tensor {
    Tensor(shape: shape, scalars: elements)
  }
  static func gemm(
    transposeA: Bool, transposeB: Bool, m: Int, n: Int, k: Int, alpha: Float,
    a: UnsafePointer<Float>, lda: Int, b: UnsafePointer<Float>, ldb: Int, beta: Float,
    c: UnsafeMutablePointer<Float>, ldc: Int
  ) {
    BLAS.gemm(
      transposeA: transposeA, transposeB: transposeB, m: m, n: n, k: k, alpha: alpha, a: a,
      lda: lda, b: b, ldb: ldb, beta: beta, c: c, ldc: ldc)
  }
  static func exponential(_ x: Float) -> Float { Foundation.exp(x) }
  static func logarithm(_ x: Float) -> Float { Foundation.log(x) }
  static func power(_ x: Float, _ y: Float) -> Float { Foundation.pow(x, y) }
  /// In vectorised C (``Tensors/ElementwiseKernels``).
  static func reluMask(
    _ gradient: UnsafePointer<Float>, by output: UnsafePointer<Float>, count: Int,
    into result: UnsafeMutablePointer<Float>
  ) {
    ElementwiseKernels.reluMask(gradient, by: output, count: count, into: result)
  }
  /// In vectorised C (``Tensors/ElementwiseKernels``).
  static func add(
    _ a: UnsafePointer<Float>, _ b: UnsafePointer<Float>, count: Int, relu: Bool,
    into result: UnsafeMutablePointer<Float>
  ) {
    ElementwiseKernels.add(a, b, count: count, relu: relu, into: result)
  }
}

extension Double: EngineScalar {
  static var elementType: ElementType { .float64 }
  static func elements(of tensor: Tensor) -> ContiguousArray<Double> {
    precondition(tensor.elementType == .float64, "expected a float64 tensor")
    return tensor.float64Scalars
  }
  static func makeTensor(shape: [Int], elements: ContiguousArray<Double>) -> Tensor {
    Tensor(shape: shape, float64Scalars: elements)
  }
  static func gemm(
    transposeA: Bool, transposeB: Bool, m: Int, n: Int, k: Int, alpha: Double,
    a: UnsafePointer<Double>, lda: Int, b: UnsafePointer<Double>, ldb: Int, beta: Double,
    c: UnsafeMutablePointer<Double>, ldc: Int
  ) {
    BLAS.gemm(
      transposeA: transposeA, transposeB: transposeB, m: m, n: n, k: k, alpha: alpha, a: a,
      lda: lda, b: b, ldb: ldb, beta: beta, c: c, ldc: ldc)
  }
  static func exponential(_ x: Double) -> Double { Foundation.exp(x) }
  static func logarithm(_ x: Double) -> Double { Foundation.log(x) }
  static func power(_ x: Double, _ y: Double) -> Double { Foundation.pow(x, y) }
}

extension ContiguousArray where Element: EngineScalar {
  /// Reads the elements through an unsafe pointer (never empty-safe: returns a dangling-free
  /// dummy for empty arrays by passing through `withUnsafeBufferPointer`).
  @inline(__always)
  func withPointer<R>(_ body: (UnsafePointer<Element>) throws -> R) rethrows -> R {
    try withUnsafeBufferPointer { try body($0.baseAddress ?? UnsafePointer(bitPattern: 8)!) }
  }

  /// Writes the elements through an unsafe pointer.
  @inline(__always)
  mutating func withMutablePointer<R>(_ body: (UnsafeMutablePointer<Element>) throws -> R)
    rethrows -> R
  {
    try withUnsafeMutableBufferPointer {
      try body($0.baseAddress ?? UnsafeMutablePointer(bitPattern: 8)!)
    }
  }
}
