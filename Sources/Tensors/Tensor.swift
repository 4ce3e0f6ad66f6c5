/// The element type of a ``Tensor``.
///
/// Production code runs in Float32. Float64 exists so that finite-difference tests can check
/// every backward pass of the network engine with one implementation of each operation
/// (METHODS §0: "generic scalar type so tests can run in Float64").
public enum ElementType: String, Sendable, Hashable, CaseIterable {
  /// IEEE 754 single precision (`Float`), the production type.
  case float32
  /// IEEE 754 double precision (`Double`), for gradient checks and references.
  case float64
}

/// A dense tensor, row-major (C order), with copy-on-write storage.
///
/// Image batches are NCHW (`[N, C, H, W]`) as in PyTorch; single images leave the renderer as
/// HWC (`[H, W, 3]`, row 0 at the top, values in [0, 1]). The element at index
/// `(i0, …, i_{r−1})` lives at offset `Σ_k i_k · stride_k` with `stride_{r−1} = 1`.
///
/// The element type is a run-time property: Float32 tensors keep their elements in
/// ``scalars``, Float64 tensors in ``float64Scalars``; the other array is empty.
public struct Tensor: Sendable, Hashable {
  /// The extent of each dimension; empty for a scalar.
  public private(set) var shape: [Int]
  /// Float32 or Float64.
  public let elementType: ElementType
  /// Number of elements, `shape.reduce(1, *)`.
  public let count: Int

  /// The Float32 elements in row-major order (empty for a Float64 tensor).
  ///
  /// Other modules change elements through ``withUnsafeMutableScalars(_:)`` (in place, no
  /// copy unless the storage is shared) or build a new tensor.
  public internal(set) var scalars: ContiguousArray<Float>

  /// The Float64 elements in row-major order (empty for a Float32 tensor).
  public internal(set) var float64Scalars: ContiguousArray<Double>

  /// Mutates the Float32 elements in place.
  ///
  /// - Parameter body: Receives the row-major elements (precondition: a Float32 tensor).
  /// - Returns: What `body` returns.
  /// - Complexity: O(1) plus a copy when the storage is shared.
  public mutating func withUnsafeMutableScalars<R>(
    _ body: (inout UnsafeMutableBufferPointer<Float>) throws -> R
  ) rethrows -> R {
    precondition(elementType == .float32, "withUnsafeMutableScalars: the tensor is float64")
    return try scalars.withUnsafeMutableBufferPointer(body)
  }

  /// Mutates the Float64 elements in place.
  ///
  /// - Parameter body: Receives the row-major elements (precondition: a Float64 tensor).
  /// - Returns: What `body` returns.
  /// - Complexity: O(1) plus a copy when the storage is shared.
  public mutating func withUnsafeMutableFloat64Scalars<R>(
    _ body: (inout UnsafeMutableBufferPointer<Double>) throws -> R
  ) rethrows -> R {
    precondition(elementType == .float64, "withUnsafeMutableFloat64Scalars: the tensor is float32")
    return try float64Scalars.withUnsafeMutableBufferPointer(body)
  }

  /// Creates a Float32 tensor from a shape and its elements in row-major order.
  ///
  /// - Parameters:
  ///   - shape: Extents, each ≥ 0.
  ///   - scalars: `shape.reduce(1, *)` elements.
  public init<C: Collection>(shape: [Int], scalars: C) where C.Element == Float {
    let count = Self.checkedCount(shape)
    precondition(
      scalars.count == count,
      "Tensor: shape \(shape) needs \(count) elements, got \(scalars.count)")
    self.shape = shape
    self.count = count
    self.elementType = .float32
    self.scalars = ContiguousArray(scalars)
    self.float64Scalars = []
  }

  /// Creates a Float64 tensor from a shape and its elements in row-major order.
  ///
  /// - Parameters:
  ///   - shape: Extents, each ≥ 0.
  ///   - float64Scalars: `shape.reduce(1, *)` elements.
  public init<C: Collection>(shape: [Int], float64Scalars: C) where C.Element == Double {
    let count = Self.checkedCount(shape)
    precondition(
      float64Scalars.count == count,
      "Tensor: shape \(shape) needs \(count) elements, got \(float64Scalars.count)")
    self.shape = shape
    self.count = count
    self.elementType = .float64
    self.scalars = []
    self.float64Scalars = ContiguousArray(float64Scalars)
  }

  /// Creates a tensor of zeros.
  ///
  /// - Parameters:
  ///   - shape: Extents, each ≥ 0.
  ///   - elementType: Float32 (default) or Float64.
  public init(zeros shape: [Int], elementType: ElementType = .float32) {
    self.init(repeating: 0, shape: shape, elementType: elementType)
  }

  /// Creates a tensor with every element equal to `value`.
  ///
  /// - Parameters:
  ///   - value: The fill value (rounded to Float32 for a Float32 tensor).
  ///   - shape: Extents, each ≥ 0.
  ///   - elementType: Float32 (default) or Float64.
  public init(repeating value: Double, shape: [Int], elementType: ElementType = .float32) {
    let count = Self.checkedCount(shape)
    self.shape = shape
    self.count = count
    self.elementType = elementType
    switch elementType {
    case .float32:
      scalars = ContiguousArray(repeating: Float(value), count: count)
      float64Scalars = []
    case .float64:
      scalars = []
      float64Scalars = ContiguousArray(repeating: value, count: count)
    }
  }

  private static func checkedCount(_ shape: [Int]) -> Int {
    precondition(shape.allSatisfy { $0 >= 0 }, "Tensor: negative extent in shape \(shape)")
    var count = 1
    for extent in shape {
      let (product, overflow) = count.multipliedReportingOverflow(by: extent)
      precondition(!overflow, "Tensor: shape \(shape) has too many elements")
      count = product
    }
    return count
  }

  /// Number of dimensions.
  public var rank: Int { shape.count }

  /// Row-major strides, in elements.
  public var strides: [Int] {
    var result = [Int](repeating: 1, count: shape.count)
    var s = 1
    for k in stride(from: shape.count - 1, through: 0, by: -1) {
      result[k] = s
      s *= shape[k]
    }
    return result
  }

  /// The element at a multi-index, as a Double (exact for both element types).
  ///
  /// Setting rounds to Float32 for a Float32 tensor.
  ///
  /// - Parameter index: One index per dimension, each within its extent.
  public subscript(_ index: Int...) -> Double {
    get {
      let offset = offset(of: index)
      return elementType == .float32 ? Double(scalars[offset]) : float64Scalars[offset]
    }
    set {
      let offset = offset(of: index)
      switch elementType {
      case .float32: scalars[offset] = Float(newValue)
      case .float64: float64Scalars[offset] = newValue
      }
    }
  }

  /// All elements in row-major order, widened to Double.
  public var doubles: [Double] {
    elementType == .float32 ? scalars.map(Double.init) : Array(float64Scalars)
  }

  /// The row-major offset of a multi-index (checked).
  func offset(of index: [Int]) -> Int {
    precondition(
      index.count == shape.count, "Tensor: index \(index) has the wrong rank for shape \(shape)")
    var offset = 0
    for (k, i) in index.enumerated() {
      precondition(i >= 0 && i < shape[k], "Tensor: index \(index) out of range for shape \(shape)")
      offset = offset * shape[k] + i
    }
    return offset
  }

  /// Returns the same elements viewed with another shape.
  ///
  /// - Parameter newShape: Extents with the same element count.
  /// - Returns: A tensor sharing the (copy-on-write) storage.
  public func reshaped(to newShape: [Int]) -> Tensor {
    precondition(
      newShape.allSatisfy { $0 >= 0 } && newShape.reduce(1, *) == count,
      "reshaped(to:): cannot view shape \(shape) (\(count) elements) as \(newShape)")
    var result = self
    result.shape = newShape
    return result
  }

  /// Returns the elements converted to another element type.
  ///
  /// - Parameter type: The target type; Float64 → Float32 rounds to nearest.
  /// - Returns: `self` when the type already matches.
  /// - Complexity: O(count).
  public func converted(to type: ElementType) -> Tensor {
    guard type != elementType else { return self }
    switch type {
    case .float32: return Tensor(shape: shape, scalars: float64Scalars.lazy.map { Float($0) })
    case .float64: return Tensor(shape: shape, float64Scalars: scalars.lazy.map { Double($0) })
    }
  }
}
