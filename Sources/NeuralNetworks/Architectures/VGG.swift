/// VGG definitions.
///
/// Reference: Simonyan & Zisserman, "Very Deep Convolutional Networks for Large-Scale Image
/// Recognition", ICLR 2015 (arXiv:1409.1556); batch norm as in torchvision `vgg*_bn`.
enum VGG {
  /// One configuration: channel counts with `nil` for a 2×2 max pool.
  struct Configuration {
    let layers: [Int?]
    let batchNorm: Bool
    let pooledSide: Int
    let hidden: Int

    /// torchvision configuration A with batch norm.
    static let vgg11BatchNorm = Configuration(
      layers: [64, nil, 128, nil, 256, 256, nil, 512, 512, nil, 512, 512, nil], batchNorm: true,
      pooledSide: 7, hidden: 4096)
    /// torchvision configuration D.
    static let vgg16 = Configuration(
      layers: [
        64, 64, nil, 128, 128, nil, 256, 256, 256, nil, 512, 512, 512, nil, 512, 512, 512, nil,
      ],
      batchNorm: false, pooledSide: 7, hidden: 4096)
    /// `vgg-mini`: configuration A's pattern at quarter width, four stages, for 64×64.
    static let mini = Configuration(
      layers: [16, nil, 32, nil, 64, 64, nil, 128, 128, nil], batchNorm: true, pooledSide: 2,
      hidden: 256)
  }

  /// Builds `features.N` (conv [→ bn] → ReLU, max pools), `avgpool`, and
  /// `classifier.{0,3,6}` (fc → ReLU → dropout, twice, then fc), with torchvision's
  /// initialisation (Kaiming normal fan-out convolutions, N(0, 0.01²) linear layers).
  static func build(_ b: inout NetworkBuilder, _ configuration: Configuration, classes: Int) {
    var x = b.last
    var index = 0
    for entry in configuration.layers {
      guard let channels = entry else {
        x = b.add(MaxPooling2D(kernelSize: 2, stride: 2), name: "features.\(index)", x)
        index += 1
        continue
      }
      x = b.add(
        Convolution2D(
          inputChannels: b.channels(of: x), outputChannels: channels, kernelSize: 3, padding: 1,
          initialization: .kaimingNormalFanOut),
        name: "features.\(index)", x)
      index += 1
      if configuration.batchNorm {
        x = b.add(BatchNormalization(channels: channels), name: "features.\(index)", x)
        index += 1
      }
      x = b.add(ReLU(), name: "features.\(index)", x)
      index += 1
    }
    let side = configuration.pooledSide
    let channels = configuration.layers.compactMap { $0 }.last!
    let hidden = configuration.hidden
    let linear = WeightInitialization.normal(standardDeviation: 0.01)
    x = b.add(AdaptiveAveragePooling2D(outputSize: side), name: "avgpool", x)
    x = b.add(Flatten(), name: "flatten", x)
    x = b.add(
      Linear(inputSize: channels * side * side, outputSize: hidden, initialization: linear),
      name: "classifier.0", x)
    x = b.add(ReLU(), name: "classifier.1", x)
    x = b.add(Dropout(probability: 0.5), name: "classifier.2", x)
    x = b.add(
      Linear(inputSize: hidden, outputSize: hidden, initialization: linear),
      name: "classifier.3", x)
    x = b.add(ReLU(), name: "classifier.4", x)
    x = b.add(Dropout(probability: 0.5), name: "classifier.5", x)
    b.add(
      Linear(inputSize: hidden, outputSize: classes, initialization: linear),
      name: "classifier.6", x)
  }
}
