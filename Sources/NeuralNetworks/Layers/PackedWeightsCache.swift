import Synchronization
import Tensors

/// A convolution's weights packed for semrob's kernels (direct convolution or packed GEMM), kept while the weight tensor is
/// unchanged, so repeated inference (maps, region growing, batch-1 latency) packs them once.
///
/// The cache holds a copy of the weight tensor it packed; a lookup hits only when the layer's
/// current weight shares that copy's buffer (``Tensors/Tensor/sharesStorage(with:)``), so new
/// or changed weights (training steps, loaded checkpoints) are repacked, never served stale.
/// Copies of a layer share one cache; concurrent users may both pack, and either result is
/// correct.
final class PackedWeightsCache: Sendable {
  /// The packed forms a convolution keeps, one entry each.
  enum Form: Hashable, Sendable {
    /// Weights for the direct convolution (forward).
    case direct
    /// Weights for the row-wise direct convolution (forward, shallow stride-1 layers).
    case rows
    /// Weights as the packed GEMM's left matrix, one per group (forward).
    case gemm
    /// Transposed weights as the packed GEMM's left matrix, one per group (input gradient).
    case transposedGEMM
    /// Weights with input and output channels swapped and the kernel rotated by 180°, for the
    /// direct convolution (input gradient of stride-1 layers).
    case flippedDirect
  }

  private let entries = Mutex<[Form: (weight: Tensor, packed: any Sendable)]>([:])

  /// The packed form `key` of `weight`: the cached one if `weight` is unchanged, else
  /// `make()`, which is then cached.
  func packed<Packed: Sendable>(for weight: Tensor, key: Form, make: () -> Packed) -> Packed {
    if let cached = entries.withLock({ $0[key] }), cached.weight.sharesStorage(with: weight),
      let packed = cached.packed as? Packed
    {
      return packed
    }
    let packed = make()
    entries.withLock { $0[key] = (weight, packed) }
    return packed
  }
}
