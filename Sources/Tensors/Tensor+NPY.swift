import Foundation

extension Tensor {
  /// Creates a tensor from a `.npy` array, converting every numeric dtype to `Float`.
  ///
  /// `float64` values are rounded to the nearest `Float`; `int32` and `int64` values are
  /// converted exactly up to 2^24 in magnitude and rounded beyond; `uint8` values keep their
  /// integer value (0…255, no scaling); `bool` becomes 0 or 1.
  ///
  /// - Parameter npy: An array of any supported dtype; its shape is kept.
  /// - Complexity: O(`npy.data.count`).
  public init(_ npy: NPYArray) {
    let scalars: ContiguousArray<Float>
    switch npy.data {
    case .float32(let values): scalars = ContiguousArray(values)
    case .float64(let values): scalars = ContiguousArray(values.lazy.map { Float($0) })
    case .int32(let values): scalars = ContiguousArray(values.lazy.map { Float($0) })
    case .int64(let values): scalars = ContiguousArray(values.lazy.map { Float($0) })
    case .uint8(let values): scalars = ContiguousArray(values.lazy.map { Float($0) })
    case .bool(let values): scalars = ContiguousArray(values.lazy.map { $0 ? 1 : 0 })
    }
    self.init(shape: npy.shape, scalars: scalars)
  }

  /// Reads a tensor from a `.npy` file of any supported dtype.
  ///
  /// The elements are converted to `Float` as by `Tensor.init(_: NPYArray)`.
  ///
  /// - Parameter url: A file URL.
  /// - Throws: ``NPYError`` naming the path.
  /// - Complexity: O(file size).
  public init(npyContentsOf url: URL) throws {
    self.init(try NPYArray(contentsOf: url))
  }

  /// Writes the tensor to a `.npy` file as `<f4` (Float32) or `<f8` (Float64), atomically,
  /// byte for byte as `numpy.save`.
  ///
  /// - Parameter url: The destination file URL; its directory must exist.
  /// - Throws: ``NPYError/unwritable(path:reason:)`` when the file cannot be written.
  public func write(npyTo url: URL) throws {
    try NPYArray(self).write(to: url)
  }
}

extension NPYArray {
  /// Creates an array with the tensor's shape and elements: `float32` for a Float32 tensor,
  /// `float64` for a Float64 tensor.
  ///
  /// - Parameter tensor: Any tensor.
  /// - Complexity: O(`tensor.count`).
  public init(_ tensor: Tensor) {
    switch tensor.elementType {
    case .float32: self.init(shape: tensor.shape, data: .float32(Array(tensor.scalars)))
    case .float64: self.init(shape: tensor.shape, data: .float64(Array(tensor.float64Scalars)))
    }
  }
}
