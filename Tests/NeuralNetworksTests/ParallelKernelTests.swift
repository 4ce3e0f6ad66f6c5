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

  /// Inference outputs of a folded network with `threads` workers: the micro-batched pass
  /// (``Network/callAsFunction(_:)``) and the layer-by-layer pass of a recording.
  static func inference(_ architecture: Architecture, batch: Int, threads: Int) throws -> (
    microBatched: Tensor, layered: Tensor
  ) {
    Parallelism.useOwnLoops(threads: threads)
    defer { Parallelism.useOwnLoops(threads: 1) }
    let network = try architecture.makeNetwork(classes: 5, seed: 3).foldedForInference()
    var random = RandomGenerator(seed: 5)
    let shape = [batch, 3, 64, 64]
    let input = Tensor(
      shape: shape, scalars: (0..<shape.reduce(1, *)).map { _ in Float(random.nextUniform()) })
    return (network(input), network.record(input).output)
  }

  @Test(
    "inference in micro-batches is independent of the worker count and equals the layer-by-layer pass"
  )
  func microBatches() async {
    await #expect(processExitsWith: .success) {
      for architecture in [Architecture.vggMini, .inceptionMini, .resnetMini] {
        let network = try architecture.makeNetwork(classes: 5, seed: 3)
        let batch = 11
        let probe = Tensor(zeros: [batch, 3, 64, 64])
        guard let stages = network.inferenceStages(probe),
          stages.contains(where: { $0.images < batch })
        else {
          FileHandle.standardError.write(Data("\(architecture): not micro-batched\n".utf8))
          exit(1)
        }
        let serial = try Self.inference(architecture, batch: batch, threads: 1)
        let parallel = try Self.inference(architecture, batch: batch, threads: 2)
        let failures = [
          closenessFailure(parallel.microBatched, serial.microBatched, tolerance: .exact),
          closenessFailure(serial.microBatched, serial.layered, tolerance: .reduction),
        ].compactMap { $0 }
        if !failures.isEmpty {
          FileHandle.standardError.write(
            Data("\(architecture) (stages \(stages)): \(failures)\n".utf8))
          exit(1)
        }
      }
    }
  }
}
