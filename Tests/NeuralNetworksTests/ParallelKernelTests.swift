import Foundation
import TestSupport
import Testing

@testable import NeuralNetworks
@testable import Tensors

/// The engine's own parallel loops compute what the serial kernels compute.
///
/// Images are split over workers, or im2col/GEMM blocks for one image. Runs in a child process because the
/// worker count is process-wide.
@Suite struct ParallelKernelTests {
  /// Forward, input gradient and all parameter gradients with `threads` workers.
  static func run(_ architecture: Architecture, batch: Int, threads: Int) throws -> [Tensor] {
    Parallelism.useOwnLoops(threads: threads)
    defer { Parallelism.useOwnLoops(threads: 1) }
    let network = try architecture.makeNetwork(classes: 5, seed: 3)
    var random = RandomGenerator(seed: 4)
    let shape = [batch, 3, 64, 64]
    let input = Tensor(
      shape: shape, scalars: (0..<shape.reduce(1, *)).map { _ in Float(random.nextUniform()) })
    var dropout = RandomGenerator(seed: 1)
    let tape = network.record(input, mode: .training, random: &dropout)
    let cotangent = Tensor(repeating: 0.5, shape: tape.output.shape)
    let gradients = network.gradients(of: tape, cotangent: cotangent)
    let folded = network.foldedForInference()
    let foldedTape = folded.record(input)
    let foldedInput = folded.gradients(of: foldedTape, cotangent: cotangent, parameters: .none)
    return [tape.output, gradients.input!, foldedTape.output, foldedInput.input!]
      + network.parameterPaths.map { gradients.parameters[$0]! }
  }

  @Test("two workers match one worker (resnet-mini, inception-mini, alexnet-mini)")
  func matchesSerial() async {
    await #expect(processExitsWith: .success) {
      for architecture in [Architecture.resnetMini, .inceptionMini, .alexnetMini] {
        for batch in [1, 3] {
          let serial = try Self.run(architecture, batch: batch, threads: 1)
          let parallel = try Self.run(architecture, batch: batch, threads: 2)
          for (a, b) in zip(parallel, serial) {
            // Only the order of the per-worker weight-gradient sums differs.
            if let failure = closenessFailure(a, b, tolerance: .reduction) {
              FileHandle.standardError.write(
                Data("\(architecture) batch \(batch): \(failure)\n".utf8))
              exit(1)
            }
          }
        }
      }
    }
  }
}
