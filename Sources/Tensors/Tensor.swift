/// A dense Float32 tensor, row-major (C order), with copy-on-write storage.
///
/// Image batches are NCHW (`[N, C, H, W]`) as in PyTorch; single images leave the renderer as
/// HWC (`[H, W, 3]`, row 0 at the top, values in [0, 1]). The element at index
/// `(i0, …, i_{r−1})` lives at offset `Σ_k i_k · stride_k` with `stride_{r−1} = 1`.
public struct Tensor: Sendable, Hashable {
  /// The extent of each dimension; empty for a scalar.
  public private(set) var shape: [Int]
  /// The elements in row-major order; `scalars.count == shape.reduce(1, *)`.
  public var scalars: ContiguousArray<Float> {
    didSet {
      precondition(
        scalars.count == oldValue.count,
        "Tensor.scalars: count changed from \(oldValue.count) to \(scalars.count) (shape \(shape))")
    }
  }

  /// Creates a tensor from a shape and its elements in row-major order.
  ///
  /// - Parameters:
  ///   - shape: Extents, each ≥ 0.
  ///   - scalars: `shape.reduce(1, *)` elements.
  public init<C: Collection>(shape: [Int], scalars: C) where C.Element == Float {
    precondition(shape.allSatisfy { $0 >= 0 }, "Tensor: negative extent in shape \(shape)")
    let count = shape.reduce(1, *)
    precondition(
      scalars.count == count,
      "Tensor: shape \(shape) needs \(count) elements, got \(scalars.count)")
    self.shape = shape
    self.scalars = ContiguousArray(scalars)
  }

  /// Creates a tensor of zeros.
  ///
  /// - Parameter shape: Extents, each ≥ 0.
  public init(zeros shape: [Int]) {
    self.init(repeating: 0, shape: shape)
  }

  /// Creates a tensor with every element equal to `value`.
  ///
  /// - Parameters:
  ///   - value: The fill value.
  ///   - shape: Extents, each ≥ 0.
  public init(repeating value: Float, shape: [Int]) {
    precondition(shape.allSatisfy { $0 >= 0 }, "Tensor: negative extent in shape \(shape)")
    self.shape = shape
    self.scalars = ContiguousArray(repeating: value, count: shape.reduce(1, *))
  }

  /// Number of dimensions.
  public var rank: Int { shape.count }
  /// Number of elements.
  public var count: Int { scalars.count }

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

  /// The element at a multi-index.
  ///
  /// - Parameter index: One index per dimension, each within its extent.
  public subscript(_ index: Int...) -> Float {
    get { scalars[offset(of: index)] }
    set { scalars[offset(of: index)] = newValue }
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
      newShape.reduce(1, *) == count,
      "reshaped(to:): cannot view shape \(shape) (\(count) elements) as \(newShape)")
    var result = self
    result.shape = newShape
    return result
  }
}
