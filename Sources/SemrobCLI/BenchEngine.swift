import ArgumentParser
import Foundation
import NeuralNetworks
import ResultFiles
import Tensors

/// `semrob bench engine`: images/s of the network engine.
struct BenchEngine: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "engine",
    abstract: "Time forward passes, input gradients or training steps of an architecture.",
    discussion: """
      Random weights and seeded inputs in [0, 1]. forward: inference with batch norm \
      folded; input-gradient: ∂(Σ_n logit_n,0)/∂input in inference mode; train-step: \
      training-mode forward, cross-entropy, all parameter gradients and one SGD step. \
      Reports the median seconds per batch over --repeats timed runs after --warmup runs. \
      Compare with PyTorch and onnxruntime through Tools/bench/compare_engines.py in the \
      same session.
      """)

  /// What is timed.
  enum Mode: String, ExpressibleByArgument, CaseIterable, Codable {
    case forward
    case inputGradient = "input-gradient"
    case trainStep = "train-step"
  }

  /// Which kernels the Float32 convolutions use.
  enum KernelChoice: String, ExpressibleByArgument, CaseIterable, Codable {
    case auto
    case openblas
  }

  @Option(help: "Architecture (see `semrob models`).") var arch: String
  @Option(help: "Images per batch.") var batch = 1
  @Option(help: "Input side (default: the architecture's design size).") var size: Int?
  @Option(help: "forward, input-gradient or train-step.") var mode: Mode = .forward
  @Option(help: "Threads (default: all cores).") var threads: Int?
  @Option(help: "Untimed runs first.") var warmup = 2
  @Option(help: "Timed runs (the median is reported).") var repeats = 7
  @Option(help: "Classes of the output layer (default: the architecture's).") var classes: Int?
  @Option(
    help: """
      Convolution kernels: auto (semrob's AVX-512 kernels where the CPU has AVX-512F, else \
      im2col and OpenBLAS) or openblas.
      """)
  var kernels: KernelChoice = .auto
  @Flag(
    help: """
      Also time every layer of the (folded) network, median over --repeats, and print the \
      table: forward passes, and in input-gradient mode also each layer's backward pass.
      """)
  var layers = false
  @Flag(help: "Print the result as one JSON object on standard output.") var json = false

  func validate() throws {
    guard Architecture(rawValue: arch) != nil else {
      throw ValidationError(
        "Unknown architecture '\(arch)'; choose one of "
          + Architecture.allCases.map(\.rawValue).joined(separator: ", ") + ".")
    }
    if batch < 1 || batch > 4096 { throw ValidationError("--batch must be in 1…4096.") }
    if let size, size < 1 || size > 1024 { throw ValidationError("--size must be in 1…1024.") }
    if let threads, threads < 1 { throw ValidationError("--threads must be at least 1.") }
    if warmup < 0 || repeats < 1 {
      throw ValidationError("--warmup must be ≥ 0 and --repeats ≥ 1.")
    }
    if let classes, classes < 1 { throw ValidationError("--classes must be at least 1.") }
  }

  func run() throws {
    let threadCount = threads ?? Parallelism.coreCount
    Parallelism.useOwnLoops(threads: threadCount)
    MemoryPolicy.keepFreedMemory()
    PackedGEMM.isEnabled = kernels == .auto
    let convolutionKernels = PackedGEMM.isEnabled ? "semrob-avx512" : "openblas"
    let architecture = Architecture(rawValue: arch)!
    let side = size ?? architecture.defaultInputSize
    var network = try architecture.makeNetwork(classes: classes, inputSize: side, seed: 1)
    let classCount = network.outputShape[0]
    var random = RandomGenerator(seed: 2)
    let shape = [batch, 3, side, side]
    let input = Tensor(
      shape: shape, scalars: (0..<shape.reduce(1, *)).map { _ in Float(random.nextUniform()) })
    let folded = network.foldedForInference()
    var optimizer = SGD(learningRate: 1e-3, momentum: 0.9)
    let labels = (0..<batch).map { $0 % classCount }
    var cotangent = Tensor(zeros: [batch, classCount])
    cotangent.withUnsafeMutableScalars { c in for n in 0..<batch { c[n * classCount] = 1 } }
    var checksum = 0.0
    func step() {
      switch mode {
      case .forward:
        checksum += Double(folded(input).scalars[0])
      case .inputGradient:
        let tape = folded.record(input)
        let gradients = folded.gradients(of: tape, cotangent: cotangent, parameters: .none)
        checksum += Double(gradients.input!.scalars[0])
      case .trainStep:
        var dropout = RandomGenerator(seed: 3)
        let tape = network.record(input, mode: .training, random: &dropout)
        let (loss, gradient) = CrossEntropy()(logits: tape.output, labels: labels)
        let gradients = network.gradients(of: tape, cotangent: gradient, input: false)
        network.update(buffersFrom: tape)
        optimizer.update(&network, along: gradients)
        checksum += loss
      }
    }
    for _ in 0..<warmup { step() }
    var samples: [Double] = []
    for _ in 0..<repeats {
      samples.append(ContinuousClock().measure(step).inSeconds)
    }
    let median = samples.sorted()[samples.count / 2]
    var result = EngineBenchResult(
      engine: "semrob", arch: arch, batch: batch, size: side, mode: mode.rawValue,
      threads: threadCount, blasCore: BLASKernels.coreName, convolutionKernels: convolutionKernels,
      repeats: repeats,
      medianSeconds: median,
      imagesPerSecond: Double(batch) / median, samplesSeconds: samples,
      gflopsPerSecond: 2
        * Double(
          try architecture.multiplyAccumulates(
            classes: classCount, inputSize: side)) * Double(batch) / median / 1e9,
      checksum: checksum)
    if layers && mode != .trainStep {
      result.layers = layerProfile(
        folded, input: input, cotangent: mode == .inputGradient ? cotangent : nil)
    }
    if json {
      let encoder = ResultJSON.makeLineEncoder()
      encoder.keyEncodingStrategy = .convertToSnakeCase
      print(String(decoding: try encoder.encode(result), as: UTF8.self))
    } else {
      print(
        String(
          format: "%@ %@ batch %d, %d×%d, %d threads (convolutions on %@, OpenBLAS %@ kernels): "
            + "%.2f images/s, "
            + "%.1f ms per batch (median of %d), %.1f GFLOP/s forward-equivalent",
          arch, mode.rawValue, batch, side, side, threadCount, convolutionKernels, result.blasCore,
          result.imagesPerSecond,
          1000 * median, repeats, result.gflopsPerSecond))
      if let profile = result.layers {
        let total = profile.reduce(0) { $0 + $1.medianSeconds + ($1.backwardMedianSeconds ?? 0) }
        let backward = mode == .inputGradient
        print(
          "node".padding(toLength: 32, withPad: " ", startingAt: 0)
            + "kind".padding(toLength: 18, withPad: " ", startingAt: 0)
            + "      ms   share  GFLOP/s" + (backward ? "  backward ms   share" : ""))
        for layer in profile {
          var line =
            layer.node.padding(toLength: 32, withPad: " ", startingAt: 0)
            + layer.kind.padding(toLength: 18, withPad: " ", startingAt: 0)
            + String(
              format: "%8.3f  %5.1f%%  %7.1f", 1000 * layer.medianSeconds,
              100 * layer.medianSeconds / max(total, 1e-12), layer.gflopsPerSecond)
          if let seconds = layer.backwardMedianSeconds {
            line += String(
              format: "  %11.3f  %5.1f%%", 1000 * seconds, 100 * seconds / max(total, 1e-12))
          }
          print(line)
        }
      }
    }
  }

  /// Median seconds per node of the folded network over --repeats passes, forward and, given a
  /// cotangent, backward to the input.
  private func layerProfile(_ network: Network, input: Tensor, cotangent: Tensor?) -> [LayerTime] {
    var samples = [[Double]](repeating: [], count: network.nodes.count)
    var backwardSamples = samples
    for _ in 0..<repeats {
      for (index, seconds) in network.layerSeconds(input).enumerated() {
        samples[index].append(seconds)
      }
      if let cotangent {
        let tape = network.record(input)
        for (index, seconds) in network.inputGradientSeconds(of: tape, cotangent: cotangent)
          .enumerated()
        {
          backwardSamples[index].append(seconds)
        }
      }
    }
    func middle(_ values: [Double]) -> Double { values.sorted()[values.count / 2] }
    return network.nodes.enumerated().map { index, node in
      let median = middle(samples[index])
      let inputShapes = node.inputs.map {
        $0 == Network.inputNode ? network.inputShape : network.nodes[$0].outputShape
      }
      let operations = 2 * Double(node.layer.multiplyAccumulates(for: inputShapes)) * Double(batch)
      return LayerTime(
        node: node.name, kind: node.layer.kind, medianSeconds: median,
        gflopsPerSecond: median > 0 ? operations / median / 1e9 : 0,
        backwardMedianSeconds: cotangent == nil ? nil : middle(backwardSamples[index]))
    }
  }
}

/// One row of `semrob bench engine --layers`.
struct LayerTime: Codable {
  var node: String
  var kind: String
  var medianSeconds: Double
  var gflopsPerSecond: Double
  /// Median seconds of the node's backward pass to its inputs (input-gradient mode).
  var backwardMedianSeconds: Double?
}

/// The `--json` output of `semrob bench engine` (keys match Tools/bench/compare_engines.py).
struct EngineBenchResult: Codable {
  var engine: String
  var arch: String
  var batch: Int
  var size: Int
  var mode: String
  var threads: Int
  var blasCore: String
  var convolutionKernels: String
  var repeats: Int
  var medianSeconds: Double
  var imagesPerSecond: Double
  var samplesSeconds: [Double]
  var gflopsPerSecond: Double
  var checksum: Double
  var layers: [LayerTime]? = nil
}
