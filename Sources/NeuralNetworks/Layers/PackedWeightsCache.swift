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
  private let entry = Mutex<(weight: Tensor, packed: any Sendable)?>(nil)

  /// The packed form of `weight`: the cached one if `weight` is unchanged and was packed as
  /// `Packed`, else `make()`, which is then cached.
  func packed<Packed: Sendable>(for weight: Tensor, make: () -> Packed) -> Packed {
    if let cached = entry.withLock({ $0 }), cached.weight.sharesStorage(with: weight),
      let packed = cached.packed as? Packed
    {
      return packed
    }
    let packed = make()
    entry.withLock { $0 = (weight, packed) }
    return packed
  }
}
