import Tensors

/// Small element-wise helpers shared by the layers and the executor.
enum Elementwise {
  /// `a + b` for tensors of one shape and element type (over the engine's workers).
  static func sum(_ a: Tensor, _ b: Tensor) -> Tensor {
    precondition(a.shape == b.shape, "sum: shapes differ (\(a.shape) vs \(b.shape))")
    switch a.elementType {
    case .float32: return sum(Float.self, [a, b], rectified: false)
    case .float64: return sum(Double.self, [a, b], rectified: false)
    }
  }

  /// The sum of tensors of one shape, optionally rectified (`max(·, 0)`), computed over the
  /// engine's workers.
  static func sum<S: EngineScalar>(_: S.Type, _ inputs: [Tensor], rectified: Bool) -> Tensor {
    let values = inputs.map { S.elements(of: $0) }
    let count = inputs[0].count
    let result = ContiguousArray<S>(unsafeUninitializedCapacity: count) { buffer, initialized in
      let target = buffer.baseAddress!
      let chunks = max(1, min(Workers.count, count / 65_536))
      Workers.split(count, workers: chunks) { _, range in
        // Sums of one or two inputs (ReLU layers, residual additions) are formed out of place,
        // so the rectifier compiles to a select (`maxss`) rather than a branch around a store:
        // signs of activations mispredict half the time.
        values[0].withPointer { first in
          if values.count == 1 {
            for i in range {
              let value = first[i]
              target[i] = rectified ? (value > 0 ? value : 0) : value
            }
            return
          }
          values[1].withPointer { second in
            S.add(
              first + range.lowerBound, second + range.lowerBound, count: range.count,
              relu: rectified && values.count == 2, into: target + range.lowerBound)
          }
        }
        guard values.count > 2 else { return }
        for array in values.dropFirst(2) {
          array.withPointer { p in for i in range { target[i] += p[i] } }
        }
        if rectified {
          for i in range {
            let value = target[i]
            target[i] = value > 0 ? value : 0
          }
        }
      }
      initialized = count
    }
    return S.makeTensor(shape: inputs[0].shape, elements: result)
  }

  /// `gradient · [output > 0]` for `K` stacked cotangents (`gradient` holds `K` copies of
  /// `output`'s shape), the backward pass of a ReLU (``EngineScalar/reluMask(_:by:count:into:)``
  /// over the workers).
  static func reluMasked<S: EngineScalar>(
    _ gradient: ContiguousArray<S>, by output: ContiguousArray<S>
  ) -> ContiguousArray<S> {
    let (total, sampleSize) = (gradient.count, max(1, output.count))
    return ContiguousArray<S>(unsafeUninitializedCapacity: total) { buffer, initialized in
      nonisolated(unsafe) let target = buffer.baseAddress!
      gradient.withPointer { g in
        output.withPointer { y in
          nonisolated(unsafe) let (g, y) = (g, y)
          // Split over the output's elements; each worker masks its slice of every cotangent.
          let chunks = max(1, min(Workers.count, total / 65_536))
          Workers.split(sampleSize, workers: chunks) { _, range in
            for offset in stride(from: 0, to: total, by: sampleSize) {
              S.reluMask(
                g + offset + range.lowerBound, by: y + range.lowerBound, count: range.count,
                into: target + offset + range.lowerBound)
            }
          }
        }
      }
      initialized = total
    }
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
