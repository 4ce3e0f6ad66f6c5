extension Tensor {
  /// The `[C, H, W]` layout of an `[H, W, C]` image (planar from interleaved).
  ///
  /// - Returns: A tensor of the same element type with shape `[C, H, W]`.
  /// - Complexity: O(count).
  public func channelsFirst() -> Tensor {
    precondition(rank == 3, "channelsFirst(): expected an [H, W, C] tensor, got \(shape)")
    let (height, width, channels) = (shape[0], shape[1], shape[2])
    let plane = height * width
    switch elementType {
    case .float32:
      var result = ContiguousArray<Float>(repeating: 0, count: count)
      for p in 0..<plane {
        for c in 0..<channels { result[c * plane + p] = scalars[p * channels + c] }
      }
      return Tensor(shape: [channels, height, width], scalars: result)
    case .float64:
      var result = ContiguousArray<Double>(repeating: 0, count: count)
      for p in 0..<plane {
        for c in 0..<channels { result[c * plane + p] = float64Scalars[p * channels + c] }
      }
      return Tensor(shape: [channels, height, width], float64Scalars: result)
    }
  }

  /// Stacks tensors of one shape and element type along a new leading dimension.
  ///
  /// - Parameter tensors: At least one tensor; all of one shape and element type.
  /// - Returns: A tensor of shape `[tensors.count] + shape`.
  /// - Complexity: O(total count).
  public static func stacked(_ tensors: [Tensor]) -> Tensor {
    precondition(!tensors.isEmpty, "stacked: no tensors")
    let first = tensors[0]
    precondition(
      tensors.allSatisfy { $0.shape == first.shape && $0.elementType == first.elementType },
      "stacked: shapes or element types differ")
    let shape = [tensors.count] + first.shape
    switch first.elementType {
    case .float32: return Tensor(shape: shape, scalars: tensors.flatMap(\.scalars))
    case .float64: return Tensor(shape: shape, float64Scalars: tensors.flatMap(\.float64Scalars))
    }
  }
}
