extension Tensor {
  /// Whether both tensors share one element buffer, and so hold the same values while both live.
  ///
  /// Copy-on-write makes this a cheap "unchanged since" test: a cache that keeps a copy of a
  /// tensor keeps its buffer alive, and any change to the other copy moves it to a new buffer.
  package func sharesStorage(with other: Tensor) -> Bool {
    guard elementType == other.elementType, shape == other.shape, count > 0 else { return false }
    switch elementType {
    case .float32:
      return scalars.withUnsafeBufferPointer { a in
        other.scalars.withUnsafeBufferPointer { b in a.baseAddress == b.baseAddress }
      }
    case .float64:
      return float64Scalars.withUnsafeBufferPointer { a in
        other.float64Scalars.withUnsafeBufferPointer { b in a.baseAddress == b.baseAddress }
      }
    }
  }
}
