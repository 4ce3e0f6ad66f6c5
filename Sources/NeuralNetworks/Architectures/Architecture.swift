import Tensors

/// The network architectures semrob defines: full-size torchvision-compatible classifiers and
/// compact variants for 64×64 renders, one per family of the original study.
///
/// The full-size definitions have parameter paths equal to torchvision's `state_dict` keys, so
/// weights exported with `Tools/export_torchvision.py` load by name. The compact ("mini")
/// variants keep each family's defining structure at a size that trains on a CPU:
///
/// | name | family trait kept | input |
/// |---|---|---|
/// | `alexnet-mini` | large-kernel, stride-2 first convolution; local response normalisation; three fully connected layers with dropout | 3×64×64 |
/// | `vgg-mini` | stacks of 3×3 convolutions with batch norm, 2×2 max pooling, three fully connected layers | 3×64×64 |
/// | `resnet-mini` | residual basic blocks [2, 2, 2, 2] with projection shortcuts, global average pooling | 3×64×64 |
/// | `inception-mini` | multi-branch inception modules (A, B, C types with factorised 1×7/7×1 kernels) joined by channel concat; BN ε = 10⁻³ | 3×64×64 |
///
/// Layer tables, parameter counts and multiply–accumulates: `semrob models --arch NAME`
/// (``Network/summary``) and the NeuralNetworks documentation article "Architectures".
public enum Architecture: String, CaseIterable, Sendable {
  /// torchvision `alexnet` (Krizhevsky et al. 2012, the "one weird trick" variant).
  case alexnet
  /// torchvision `vgg11_bn` (Simonyan & Zisserman 2015, configuration A with batch norm).
  case vgg11BatchNorm = "vgg11_bn"
  /// torchvision `vgg16` (configuration D).
  case vgg16
  /// torchvision `resnet18` (He et al. 2016).
  case resnet18
  /// torchvision `resnet50` (bottleneck v1.5: stride on the 3×3 convolution).
  case resnet50
  /// torchvision `inception_v3` (Szegedy et al. 2016) without the auxiliary head and with
  /// `transform_input` off.
  case inceptionV3 = "inception_v3"
  /// Compact AlexNet for 64×64 inputs.
  case alexnetMini = "alexnet-mini"
  /// Compact VGG with batch norm for 64×64 inputs.
  case vggMini = "vgg-mini"
  /// Compact ResNet for 64×64 inputs.
  case resnetMini = "resnet-mini"
  /// Compact Inception for 64×64 inputs.
  case inceptionMini = "inception-mini"

  /// The family of the original study the architecture belongs to.
  public var family: String {
    switch self {
    case .alexnet, .alexnetMini: "AlexNet"
    case .vgg11BatchNorm, .vgg16, .vggMini: "VGG"
    case .resnet18, .resnet50, .resnetMini: "ResNet"
    case .inceptionV3, .inceptionMini: "Inception"
    }
  }

  /// Whether this is a compact 64×64 variant.
  public var isMini: Bool { rawValue.hasSuffix("-mini") }

  /// The input side the architecture is designed for (224, 299 or 64).
  public var defaultInputSize: Int {
    switch self {
    case .inceptionV3: 299
    case .alexnetMini, .vggMini, .resnetMini, .inceptionMini: 64
    default: 224
    }
  }

  /// The class count of the published architecture (ImageNet 1000; minis 10).
  public var defaultClassCount: Int { isMini ? 10 : 1000 }

  /// Builds the network with freshly initialised parameters (as torchvision initialises them).
  ///
  /// - Parameters:
  ///   - classes: Output classes (≥ 1); the published count when `nil`.
  ///   - inputSize: Square input side; smaller inputs than the design size work where every
  ///     layer still has a positive output.
  ///   - seed: Initialisation seed, or `nil` for zero parameters (weights loaded next).
  ///   - normalization: An input normalisation placed first in the network (node `normalize`,
  ///     no parameters), so the network takes [0, 1] images; `nil` for none.
  /// - Returns: A Float32 network with input `[3, inputSize, inputSize]` and output `[classes]`.
  /// - Throws: ``NetworkShapeError`` when the input is too small for the architecture.
  public func makeNetwork(
    classes: Int? = nil, inputSize: Int? = nil, seed: UInt64? = 0,
    normalization: ChannelNormalization? = nil
  ) throws(NetworkShapeError) -> Network {
    let builder = try makeBuilder(
      classes: classes, inputSize: inputSize, normalization: normalization)
    do {
      return try builder.build(seed: seed)
    } catch {
      throw NetworkShapeError(
        "\(rawValue) cannot take a \(builder.input.shape[1])×\(builder.input.shape[1]) input: "
          + error.description)
    }
  }

  /// The path and shape of every parameter and buffer, without allocating them.
  ///
  /// - Parameters:
  ///   - classes: Output classes; the published count when `nil`.
  ///   - inputSize: Square input side; the design size when `nil`.
  /// - Returns: Paths and shapes in definition order (torchvision `state_dict` order).
  /// - Throws: ``NetworkShapeError`` when the input is too small.
  public func tensorShapes(classes: Int? = nil, inputSize: Int? = nil) throws(NetworkShapeError)
    -> [(path: String, shape: [Int])]
  {
    try makeBuilder(classes: classes, inputSize: inputSize, normalization: nil).tensorShapes()
  }

  /// Multiply–accumulates of one forward pass of one image, without allocating parameters.
  ///
  /// - Parameters:
  ///   - classes: Output classes; the published count when `nil`.
  ///   - inputSize: Square input side; the design size when `nil`.
  /// - Returns: The count (convolutions, linear layers, normalisations).
  /// - Throws: ``NetworkShapeError`` when the input is too small.
  public func multiplyAccumulates(classes: Int? = nil, inputSize: Int? = nil)
    throws(NetworkShapeError) -> Int
  {
    try makeBuilder(classes: classes, inputSize: inputSize, normalization: nil)
      .multiplyAccumulates()
  }

  private func makeBuilder(
    classes: Int?, inputSize: Int?, normalization: ChannelNormalization?
  ) throws(NetworkShapeError) -> NetworkBuilder {
    let classes = classes ?? defaultClassCount
    let size = inputSize ?? defaultInputSize
    guard classes >= 1 else { throw NetworkShapeError("classes must be ≥ 1, got \(classes)") }
    guard size >= 1 else { throw NetworkShapeError("input size must be ≥ 1, got \(size)") }
    var builder = NetworkBuilder(inputShape: [3, size, size])
    if let normalization { builder.add(normalization, name: "normalize", builder.input) }
    switch self {
    case .alexnet: AlexNet.full(&builder, classes: classes)
    case .alexnetMini: AlexNet.mini(&builder, classes: classes)
    case .vgg11BatchNorm: VGG.build(&builder, .vgg11BatchNorm, classes: classes)
    case .vgg16: VGG.build(&builder, .vgg16, classes: classes)
    case .vggMini: VGG.build(&builder, .mini, classes: classes)
    case .resnet18: ResNet.build(&builder, .resnet18, classes: classes)
    case .resnet50: ResNet.build(&builder, .resnet50, classes: classes)
    case .resnetMini: ResNet.build(&builder, .mini, classes: classes)
    case .inceptionV3: Inception.full(&builder, classes: classes)
    case .inceptionMini: Inception.mini(&builder, classes: classes)
    }
    return builder
  }
}

extension NetworkBuilder {
  /// Convolution (no bias) → batch norm → ReLU, named `<name>.conv` and `<name>.bn`
  /// (torchvision `BasicConv2d`).
  mutating func convolutionBatchNormReLU(
    _ name: String, _ x: Value, outputChannels: Int, kernelSize: (Int, Int),
    stride: (Int, Int) = (1, 1), padding: (Int, Int) = (0, 0), epsilon: Double = 1e-3,
    initialization: WeightInitialization
  ) -> Value {
    let conv = add(
      Convolution2D(
        inputChannels: shape(of: x)[0], outputChannels: outputChannels, kernelSize: kernelSize,
        stride: stride, padding: padding, bias: false, initialization: initialization),
      name: name + ".conv", x)
    let bn = add(
      BatchNormalization(channels: outputChannels, epsilon: epsilon), name: name + ".bn", conv)
    return add(ReLU(), name: name + ".relu", bn)
  }

  /// The channel count of a `[C, H, W]` value (0 when the shape is unknown after an error).
  func channels(of value: Value) -> Int { shape(of: value).first ?? 0 }
}
