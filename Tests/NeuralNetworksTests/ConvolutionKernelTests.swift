import Foundation
import TestSupport
import Testing

@testable import NeuralNetworks
@testable import Tensors

/// The Float32 convolution kernels (semrob's direct AVX-512 kernel for ungrouped convolutions,
/// its packed GEMM for grouped ones, OpenBLAS otherwise) against the Float64 path.
///
/// Runs in a child process because the kernel switch and the worker count are process-wide.
@Suite struct ConvolutionKernelTests {
  /// Geometries covering the kernels' cases.
  ///
  /// Channel counts that fill one, two or three
  /// 16-channel vectors and partial 48-channel blocks, partial 8-position tiles, tiles across
  /// rows and images, stride, dilation, rectangular kernels and padding, pointwise layers (a
  /// deep one on the direct kernel for one image, on the packed GEMM for three; a shallow one
  /// on the packed GEMM over 9 × 11 planes and on the direct kernel over 7 × 9), strided layers
  /// (shallow ones on the direct kernel, a deep one on im2col and the GEMM), and layers with
  /// wide rows on the row-wise kernel (shallow, narrow and deep, strided; rows ending in a
  /// masked vector, with tiles of 3 vectors spanning rows; rows of whole vectors; 16-column
  /// rows three to a tile; 8-column rows folded two to a vector), in blocks of output rows that
  /// start inside an image when the rows are split over workers.
  /// Input gradients of ungrouped stride-1 layers run as direct convolutions of the output
  /// gradient, padded by kernel − 1 − padding (the full kernel − 1 for "no padding").
  static let layers: [(String, Convolution2D)] = [
    (
      "3→5 3×3 pad 1", Convolution2D(inputChannels: 3, outputChannels: 5, kernelSize: 3, padding: 1)
    ),
    (
      "4→50 3×3 stride 2",
      Convolution2D(inputChannels: 4, outputChannels: 50, kernelSize: 3, stride: 2, padding: 1)
    ),
    (
      "5→97 1×7 pad (0, 3)",
      Convolution2D(
        inputChannels: 5, outputChannels: 97, kernelSize: (1, 7), padding: (0, 3))
    ),
    (
      "6→20 5×5 dilation 2",
      Convolution2D(
        inputChannels: 6, outputChannels: 20, kernelSize: 5, stride: 1, padding: 2, dilation: 2)
    ),
    ("16→100 1×1", Convolution2D(inputChannels: 16, outputChannels: 100, kernelSize: 1)),
    (
      "80→60 1×1 stride 2",
      Convolution2D(inputChannels: 80, outputChannels: 60, kernelSize: 1, stride: 2)
    ),
    (
      "8→16 3×3 pad 1, 16-position row tiles",
      Convolution2D(inputChannels: 8, outputChannels: 16, kernelSize: 3, padding: 1)
    ),
    (
      "144→20 1×1 stride 2 (deep: im2col and GEMM)",
      Convolution2D(inputChannels: 144, outputChannels: 20, kernelSize: 1, stride: 2)
    ),
    (
      "8→12 3×3 groups 4",
      Convolution2D(inputChannels: 8, outputChannels: 12, kernelSize: 3, padding: 1, groups: 4)
    ),
    (
      "7→40 3×3 no padding",
      Convolution2D(inputChannels: 7, outputChannels: 40, kernelSize: 3)
    ),
    (
      "3→12 3×3 stride 2 pad 1, wide strided rows",
      Convolution2D(inputChannels: 3, outputChannels: 12, kernelSize: 3, stride: 2, padding: 1)
    ),
    (
      "5→9 3×3 stride 2 pad 1, strided rows",
      Convolution2D(inputChannels: 5, outputChannels: 9, kernelSize: 3, stride: 2, padding: 1)
    ),
    (
      "8→12 3×3 pad 1, narrow and deep, wide rows",
      Convolution2D(inputChannels: 8, outputChannels: 12, kernelSize: 3, padding: 1)
    ),
    (
      "10→24 3×3 pad 1, whole-vector rows",
      Convolution2D(inputChannels: 10, outputChannels: 24, kernelSize: 3, padding: 1)
    ),
    (
      "12→20 3×3 pad 1, stacked rows",
      Convolution2D(inputChannels: 12, outputChannels: 20, kernelSize: 3, padding: 1)
    ),
    (
      "4→10 3×3 stride 2 pad 1, stacked strided rows",
      Convolution2D(inputChannels: 4, outputChannels: 10, kernelSize: 3, stride: 2, padding: 1)
    ),
    (
      "16→24 3×3 pad 1, folded rows",
      Convolution2D(inputChannels: 16, outputChannels: 24, kernelSize: 3, padding: 1)
    ),
    (
      "3→20 3×5 pad (1, 2), wide rows",
      Convolution2D(
        inputChannels: 3, outputChannels: 20, kernelSize: (3, 5), padding: (1, 2))
    ),
  ]

  /// Input widths: wide enough for the row-wise kernel (at least 32 output columns, with a
  /// masked tail, or 64 in whole vectors, or 16, or 8 folded) for the layers named
  /// "wide rows", "whole-vector rows", "folded rows", "stacked rows", "stacked strided rows",
  /// "wide strided rows" and "strided rows" (stride 2, 16 output columns or more), for one
  /// 16-position tile and partial ones one per output row for "row tiles", else `side + 2`.
  static func inputWidth(_ name: String, side: Int) -> Int {
    switch name {
    // At stride 2: 53 output columns (3 vectors and a 5-lane one, tiles spanning rows), and 21
    // (a vector and a 5-lane one). 16 output columns: tiles of up to 3 output rows (3 + 3 + 2
    // + 1 for 9 rows in blocks of 8), at stride 1 and 2.
    // 8 columns: two output rows per vector (an odd block's last row as half a vector).
    case let n where n.hasSuffix("folded rows"): 8
    case let n where n.hasSuffix("stacked strided rows"): 32
    case let n where n.hasSuffix("stacked rows"): 16
    case let n where n.hasSuffix("wide strided rows"): 105
    case let n where n.hasSuffix("strided rows"): 41
    case let n where n.hasSuffix("wide rows"): 53
    case let n where n.hasSuffix("whole-vector rows"): 64  // 4 vectors per row, tiles across rows
    case let n where n.hasSuffix("row tiles"): 26  // one 16-position tile per row, then 8 and 2
    default: side + 2
    }
  }

  /// The layer's output for Float32 `x` and, from the same values in Float64, the reference.
  static func outputs(_ layer: Convolution2D, parameters: [Tensor], x: Tensor) -> (
    single: Tensor, double: Tensor
  ) {
    var buffers: [Tensor] = []
    var context = ForwardContext(
      mode: .inference, isRecording: false, random: RandomGenerator(seed: 0))
    let single = layer.forward(
      inputs: [x], parameters: parameters, buffers: &buffers, context: &context
    ).output
    let double = layer.forward(
      inputs: [x.converted(to: .float64)],
      parameters: parameters.map { $0.converted(to: .float64) }, buffers: &buffers,
      context: &context
    ).output
    return (single, double)
  }

  /// The largest deviation of the Float32 output from the Float64 output, relative to the
  /// output's largest magnitude, for every layer, batch and ReLU setting.
  static func deviations(threads: Int) -> [String] {
    Parallelism.useOwnLoops(threads: threads)
    var failures: [String] = []
    var random = RandomGenerator(seed: 11)
    for (name, base) in layers {
      for relu in [false, true] {
        var layer = base
        layer.appliesReLU = relu
        for (batch, side) in [(1, 9), (3, 7)] {
          let parameters = layer.initialParameters(random: &random)
          let shape = [batch, layer.inputChannels, side, Self.inputWidth(name, side: side)]
          let x = Tensor(
            shape: shape,
            scalars: (0..<shape.reduce(1, *)).map { _ in Float(random.nextUniform() * 2 - 1) })
          let (single, double) = Self.outputs(layer, parameters: parameters, x: x)
          if let failure = closenessFailure(
            single.converted(to: .float64), double, tolerance: .reduction)
          {
            failures.append("\(name), batch \(batch), relu \(relu), \(threads) threads: \(failure)")
          }
          // Input gradients of two cotangents per sample ([2·N, C_out, H', W']).
          let cotangentShape = [2 * batch] + Array(single.shape.dropFirst())
          let cotangent = Tensor(
            shape: cotangentShape,
            scalars: (0..<cotangentShape.reduce(1, *)).map { _ in
              Float(random.nextUniform() * 2 - 1)
            })
          let singleGradient = layer.backward(
            BackwardRequest(
              outputGradient: cotangent, inputs: [x], output: single, parameters: parameters,
              buffers: [], cache: .empty, mode: .inference, inputGradientsNeeded: [true],
              parameterGradientsNeeded: false)
          ).inputs[0]!
          let doubleGradient = layer.backward(
            BackwardRequest(
              outputGradient: cotangent.converted(to: .float64),
              inputs: [x.converted(to: .float64)],
              output: double, parameters: parameters.map { $0.converted(to: .float64) },
              buffers: [], cache: .empty, mode: .inference, inputGradientsNeeded: [true],
              parameterGradientsNeeded: false)
          ).inputs[0]!
          if let failure = closenessFailure(
            singleGradient.converted(to: .float64), doubleGradient, tolerance: .reduction)
          {
            failures.append(
              "∂x: \(name), batch \(batch), relu \(relu), \(threads) threads: \(failure)")
          }
        }
      }
    }
    return failures
  }

  @Test(
    "Float32 outputs and input gradients match Float64 with 1 and 2 workers, semrob's kernels on and off"
  )
  func matchesFloat64() async {
    await #expect(processExitsWith: .success) {
      var failures: [String] = []
      for enabled in [true, false] {
        PackedGEMM.isEnabled = enabled
        for threads in [1, 2] {
          failures += Self.deviations(threads: threads).map { "kernels \(enabled): \($0)" }
        }
      }
      if !failures.isEmpty {
        FileHandle.standardError.write(Data(failures.joined(separator: "\n").utf8))
        exit(1)
      }
    }
  }

  @Test("negative control: a corrupted Float32 output fails the Float64 comparison")
  func negativeControl() {
    var random = RandomGenerator(seed: 12)
    let layer = Convolution2D(inputChannels: 4, outputChannels: 50, kernelSize: 3, padding: 1)
    let parameters = layer.initialParameters(random: &random)
    let x = Tensor(
      shape: [1, 4, 6, 6], scalars: (0..<144).map { _ in Float(random.nextUniform()) })
    let reference = Self.outputs(layer, parameters: parameters, x: x)
    var single = reference.single
    let double = reference.double
    // One output channel of one position off by 1 %, as a wrong tile store would be.
    single.withUnsafeMutableScalars { $0[7 * 36 + 5] *= 1.01 }
    #expect(
      closenessFailure(single.converted(to: .float64), double, tolerance: .reduction) != nil)
  }
}
