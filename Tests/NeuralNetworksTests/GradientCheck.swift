import TestSupport
import Testing

@testable import NeuralNetworks
@testable import Tensors

/// Central finite-difference checks of a network's backward pass, in Float64.
///
/// The scalar checked is `L(x, θ) = ⟨c, network(x; θ)⟩` for a fixed random cotangent `c`, so
/// every output element contributes. Each checked element `v` of the input or a parameter is
/// perturbed by `±h` and `(L(v + h) − L(v − h)) / 2h` is compared with the analytic gradient
/// under ``Tolerance/gradient``. Training-mode passes reuse the same dropout seed on both sides.
struct GradientCheck {
  var network: Network
  var input: Tensor
  var mode: NetworkMode = .inference
  var step = 1e-6
  var seed: UInt64 = 7
  /// At most this many elements of each tensor are checked (spread evenly).
  var elementsPerTensor = 40

  init(network: Network, inputSeed: UInt64 = 1, batch: Int = 2) {
    self.network = network.converted(to: .float64)
    var random = RandomGenerator(seed: inputSeed)
    let shape = [batch] + network.inputShape
    self.input = Tensor(
      shape: shape, float64Scalars: (0..<shape.reduce(1, *)).map { _ in random.nextNormal() })
  }

  func cotangent(for output: Tensor) -> Tensor {
    var random = RandomGenerator(seed: 99)
    return Tensor(
      shape: output.shape, float64Scalars: (0..<output.count).map { _ in random.nextNormal() })
  }

  func loss(_ network: Network, _ input: Tensor) -> Double {
    var random = RandomGenerator(seed: seed)
    let output = network.record(input, mode: mode, random: &random).output
    let c = cotangent(for: output)
    return zip(output.float64Scalars, c.float64Scalars).reduce(0) { $0 + $1.0 * $1.1 }
  }

  func analytic() -> Gradients {
    var random = RandomGenerator(seed: seed)
    let tape = network.record(input, mode: mode, random: &random)
    return network.gradients(of: tape, cotangent: cotangent(for: tape.output))
  }

  func checkedOffsets(_ count: Int) -> [Int] {
    guard count > elementsPerTensor else { return Array(0..<count) }
    return (0..<elementsPerTensor).map { $0 * count / elementsPerTensor + ($0 % 3) }
      .filter { $0 < count }
  }

  /// Returns the first mismatch, or `nil` when every checked element agrees.
  func failure(perturbedGradient: ((inout Gradients) -> Void)? = nil) -> String? {
    var gradients = analytic()
    perturbedGradient?(&gradients)
    guard let inputGradient = gradients.input else { return "no input gradient" }
    for offset in checkedOffsets(input.count) {
      var plus = input
      plus.float64Scalars[offset] += step
      var minus = input
      minus.float64Scalars[offset] -= step
      let numeric = (loss(network, plus) - loss(network, minus)) / (2 * step)
      let value = inputGradient.float64Scalars[offset]
      if !Tolerance.gradient.accepts(value, numeric) {
        return "input[\(offset)]: analytic \(value), numeric \(numeric)"
      }
    }
    for path in network.parameterPaths {
      guard let gradient = gradients.parameters[path] else { return "no gradient for \(path)" }
      let tensor = network.parameters[path]!
      guard gradient.shape == tensor.shape else {
        return "\(path): gradient shape \(gradient.shape), parameter shape \(tensor.shape)"
      }
      for offset in checkedOffsets(tensor.count) {
        var plus = network
        var changed = tensor
        changed.float64Scalars[offset] += step
        plus.parameters[path] = changed
        var minus = network
        changed.float64Scalars[offset] -= 2 * step
        minus.parameters[path] = changed
        let numeric = (loss(plus, input) - loss(minus, input)) / (2 * step)
        let value = gradient.float64Scalars[offset]
        if !Tolerance.gradient.accepts(value, numeric) {
          return "\(path)[\(offset)]: analytic \(value), numeric \(numeric)"
        }
      }
    }
    return nil
  }

  /// Checks the gradients and that a perturbed gradient is caught (negative control).
  func verify(sourceLocation: SourceLocation = #_sourceLocation) {
    if let message = failure() {
      Issue.record(Comment(rawValue: message), sourceLocation: sourceLocation)
    }
    let control = failure { gradients in
      gradients.input = gradients.input.map { g in
        var g = g
        g.float64Scalars[0] += 0.01 + abs(g.float64Scalars[0]) * 0.01
        return g
      }
    }
    #expect(control != nil, "the negative control passed", sourceLocation: sourceLocation)
  }
}

/// Builds a one-layer (or few-layer) network for gradient checks.
func makeNetwork(
  inputShape: [Int], seed: UInt64 = 3, _ body: (inout NetworkBuilder) -> Void
) -> Network {
  var builder = NetworkBuilder(inputShape: inputShape)
  body(&builder)
  do {
    return try builder.build(seed: seed)
  } catch {
    preconditionFailure("test network: \(error)")
  }
}
