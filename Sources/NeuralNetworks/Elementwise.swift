import Tensors

/// Small element-wise helpers shared by the layers and the executor.
enum Elementwise {
  /// `a + b` for tensors of one shape and element type.
  static func sum(_ a: Tensor, _ b: Tensor) -> Tensor {
    precondition(a.shape == b.shape, "sum: shapes differ (\(a.shape) vs \(b.shape))")
    switch a.elementType {
    case .float32: return sum(Float.self, a, b)
    case .float64: return sum(Double.self, a, b)
    }
  }

  private static func sum<S: EngineScalar>(_: S.Type, _ a: Tensor, _ b: Tensor) -> Tensor {
    var result = S.elements(of: a)
    let other = S.elements(of: b)
    result.withMutablePointer { r in
      other.withPointer { o in for i in 0..<other.count { r[i] += o[i] } }
    }
    return S.makeTensor(shape: a.shape, elements: result)
  }

  /// A Float32 tensor with elements drawn from `U[−bound, bound)` in row-major order.
  static func uniform(_ shape: [Int], bound: Double, random: inout RandomGenerator) -> Tensor {
    let count = shape.reduce(1, *)
    var values = ContiguousArray<Float>()
    values.reserveCapacity(count)
    for _ in 0..<count { values.append(Float((2 * random.nextUniform() - 1) * bound)) }
    return Tensor(shape: shape, scalars: values)
  }

  /// A Float32 tensor with elements drawn from `N(0, std²)` in row-major order.
  static func normal(_ shape: [Int], standardDeviation: Double, random: inout RandomGenerator)
    -> Tensor
  {
    let count = shape.reduce(1, *)
    var values = ContiguousArray<Float>()
    values.reserveCapacity(count)
    for _ in 0..<count { values.append(Float(random.nextNormal() * standardDeviation)) }
    return Tensor(shape: shape, scalars: values)
  }
}

/// How a convolution or linear layer initialises its weights.
public enum WeightInitialization: Sendable, Hashable {
  /// PyTorch's default: `U(−1/√fan_in, 1/√fan_in)` for weights and bias
  /// (`kaiming_uniform_(a=√5)`).
  case pytorchDefault
  /// He et al. normal with `fan_out` and ReLU gain, `N(0, 2/fan_out)`, bias 0 (torchvision
  /// ResNet and VGG convolutions).
  case kaimingNormalFanOut
  /// `N(0, σ²)`, bias 0 (torchvision VGG classifier: σ = 0.01; Inception: σ = 0.1).
  case normal(standardDeviation: Double)
}
