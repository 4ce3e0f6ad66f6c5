/// ResNet definitions.
///
/// Reference: He, Zhang, Ren & Sun, "Deep Residual Learning for Image Recognition", CVPR 2016
/// (arXiv:1512.03385). Bottleneck blocks put the stride on the 3×3 convolution (torchvision's
/// "v1.5").
enum ResNet {
  /// Block type, stage depths and widths.
  struct Configuration {
    let bottleneck: Bool
    let depths: [Int]
    let widths: [Int]
    /// Stem: `conv1` kernel, stride, padding, and whether a 3×3/2 max pool follows.
    let stem: (kernel: Int, stride: Int, padding: Int, maxPool: Bool)

    static let resnet18 = Configuration(
      bottleneck: false, depths: [2, 2, 2, 2], widths: [64, 128, 256, 512],
      stem: (7, 2, 3, true))
    static let resnet50 = Configuration(
      bottleneck: true, depths: [3, 4, 6, 3], widths: [64, 128, 256, 512],
      stem: (7, 2, 3, true))
    /// `resnet-mini`: resnet18's basic blocks at quarter width; a 3×3/2 stem without max pool
    /// (64 → 32 → 16 → 8 → 4 across the stages).
    static let mini = Configuration(
      bottleneck: false, depths: [2, 2, 2, 2], widths: [16, 32, 64, 128],
      stem: (3, 2, 1, false))
  }

  /// Builds `conv1`, `bn1`, `layer1…4.i.{conv,bn}{1,2[,3]}` with `downsample.{0,1}`, `fc`.
  static func build(_ b: inout NetworkBuilder, _ configuration: Configuration, classes: Int) {
    let stem = configuration.stem
    var x = b.add(
      Convolution2D(
        inputChannels: 3, outputChannels: configuration.widths[0], kernelSize: stem.kernel,
        stride: stem.stride, padding: stem.padding, bias: false,
        initialization: .kaimingNormalFanOut),
      name: "conv1", b.last)
    x = b.add(BatchNormalization(channels: configuration.widths[0]), name: "bn1", x)
    x = b.add(ReLU(), name: "relu", x)
    if stem.maxPool {
      x = b.add(MaxPooling2D(kernelSize: 3, stride: 2, padding: 1), name: "maxpool", x)
    }
    let expansion = configuration.bottleneck ? 4 : 1
    for (stage, (depth, width)) in zip(configuration.depths, configuration.widths).enumerated() {
      for block in 0..<depth {
        let stride = stage > 0 && block == 0 ? 2 : 1
        x = residualBlock(
          &b, "layer\(stage + 1).\(block)", x, width: width, stride: stride,
          bottleneck: configuration.bottleneck, expansion: expansion)
      }
    }
    x = b.add(AdaptiveAveragePooling2D(outputSize: 1), name: "avgpool", x)
    x = b.add(Flatten(), name: "flatten", x)
    b.add(
      Linear(inputSize: configuration.widths.last! * expansion, outputSize: classes), name: "fc",
      x)
  }

  private static func residualBlock(
    _ b: inout NetworkBuilder, _ name: String, _ input: NetworkBuilder.Value, width: Int,
    stride: Int, bottleneck: Bool, expansion: Int
  ) -> NetworkBuilder.Value {
    let inputChannels = b.channels(of: input)
    let outputChannels = width * expansion
    func conv(_ index: Int, _ x: NetworkBuilder.Value, out: Int, kernel: Int, stride: Int)
      -> NetworkBuilder.Value
    {
      let c = b.add(
        Convolution2D(
          inputChannels: b.channels(of: x), outputChannels: out, kernelSize: kernel,
          stride: stride, padding: kernel / 2, bias: false, initialization: .kaimingNormalFanOut),
        name: "\(name).conv\(index)", x)
      return b.add(BatchNormalization(channels: out), name: "\(name).bn\(index)", c)
    }
    var x = input
    if bottleneck {
      x = b.add(ReLU(), name: "\(name).relu1", conv(1, x, out: width, kernel: 1, stride: 1))
      x = b.add(ReLU(), name: "\(name).relu2", conv(2, x, out: width, kernel: 3, stride: stride))
      x = conv(3, x, out: outputChannels, kernel: 1, stride: 1)
    } else {
      x = b.add(ReLU(), name: "\(name).relu1", conv(1, x, out: width, kernel: 3, stride: stride))
      x = conv(2, x, out: width, kernel: 3, stride: 1)
    }
    var shortcut = input
    if stride != 1 || inputChannels != outputChannels {
      let c = b.add(
        Convolution2D(
          inputChannels: inputChannels, outputChannels: outputChannels, kernelSize: 1,
          stride: stride, bias: false, initialization: .kaimingNormalFanOut),
        name: "\(name).downsample.0", input)
      shortcut = b.add(
        BatchNormalization(channels: outputChannels), name: "\(name).downsample.1", c)
    }
    let sum = b.add(Add(), name: "\(name).add", inputs: [x, shortcut])
    return b.add(ReLU(), name: "\(name).relu", sum)
  }
}
