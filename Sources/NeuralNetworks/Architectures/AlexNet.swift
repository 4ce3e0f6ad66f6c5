/// AlexNet definitions.
///
/// Reference: Krizhevsky, Sutskever & Hinton, "ImageNet Classification with Deep Convolutional
/// Neural Networks", NeurIPS 2012; torchvision follows Krizhevsky, "One weird trick for
/// parallelizing convolutional neural networks" (arXiv:1404.5997), without LRN.
enum AlexNet {
  /// torchvision `alexnet`: `features.{0,3,6,8,10}`, `classifier.{1,4,6}`.
  static func full(_ b: inout NetworkBuilder, classes: Int) {
    var x = b.last
    let convolutions: [(index: Int, out: Int, kernel: Int, stride: Int, padding: Int)] = [
      (0, 64, 11, 4, 2), (3, 192, 5, 1, 2), (6, 384, 3, 1, 1), (8, 256, 3, 1, 1),
      (10, 256, 3, 1, 1),
    ]
    for conv in convolutions {
      x = b.add(
        Convolution2D(
          inputChannels: b.channels(of: x), outputChannels: conv.out, kernelSize: conv.kernel,
          stride: conv.stride, padding: conv.padding),
        name: "features.\(conv.index)", x)
      x = b.add(ReLU(), name: "features.\(conv.index + 1)", x)
      if conv.index == 0 || conv.index == 3 || conv.index == 10 {
        x = b.add(
          MaxPooling2D(kernelSize: 3, stride: 2), name: "features.\(conv.index + 2)", x)
      }
    }
    x = b.add(AdaptiveAveragePooling2D(outputSize: 6), name: "avgpool", x)
    x = b.add(Flatten(), name: "flatten", x)
    x = b.add(Dropout(probability: 0.5), name: "classifier.0", x)
    x = b.add(Linear(inputSize: 256 * 36, outputSize: 4096), name: "classifier.1", x)
    x = b.add(ReLU(), name: "classifier.2", x)
    x = b.add(Dropout(probability: 0.5), name: "classifier.3", x)
    x = b.add(Linear(inputSize: 4096, outputSize: 4096), name: "classifier.4", x)
    x = b.add(ReLU(), name: "classifier.5", x)
    b.add(Linear(inputSize: 4096, outputSize: classes), name: "classifier.6", x)
  }

  /// `alexnet-mini`: the 2012 layout (with LRN after the first two convolutions) at 64×64.
  ///
  /// conv 7×7/2 (48) → ReLU → LRN(5, α 10⁻⁴, β 0.75, k 2) → max 3/2 → conv 5×5 (96) → ReLU →
  /// LRN → max 3/2 → conv 3×3 (144) → ReLU → conv 3×3 (144) → ReLU → conv 3×3 (96) → ReLU →
  /// max 3/2 → adaptive avg 3×3 → dropout → fc 864→512 → ReLU → dropout → fc 512→512 → ReLU →
  /// fc 512→classes. Paths follow torchvision's numbering (`features.N`, `classifier.N`).
  ///
  /// Initialised for training from scratch without batch norm: Kaiming normal fan-out for the
  /// convolutions and the hidden linear layers, N(0, 0.01²) for the output layer. PyTorch's
  /// default (gain about 0.4 per layer) and VGG's N(0, 0.01²) hidden layers both leave the
  /// logits and the gradients near zero, and SGD stalled at chance (loss ln 10 after 300–400
  /// batches at learning rates 0.05, 0.02 and 0.01).
  static func mini(_ b: inout NetworkBuilder, classes: Int) {
    let output = WeightInitialization.normal(standardDeviation: 0.01)
    var x = b.last
    var index = 0
    func next() -> String {
      defer { index += 1 }
      return "features.\(index)"
    }
    x = b.add(
      Convolution2D(
        inputChannels: 3, outputChannels: 48, kernelSize: 7, stride: 2, padding: 3,
        initialization: .kaimingNormalFanOut),
      name: next(), x)
    x = b.add(ReLU(), name: next(), x)
    x = b.add(LocalResponseNormalization(size: 5, alpha: 1e-4, beta: 0.75, k: 2), name: next(), x)
    x = b.add(MaxPooling2D(kernelSize: 3, stride: 2), name: next(), x)
    x = b.add(
      Convolution2D(
        inputChannels: 48, outputChannels: 96, kernelSize: 5, padding: 2,
        initialization: .kaimingNormalFanOut),
      name: next(), x)
    x = b.add(ReLU(), name: next(), x)
    x = b.add(LocalResponseNormalization(size: 5, alpha: 1e-4, beta: 0.75, k: 2), name: next(), x)
    x = b.add(MaxPooling2D(kernelSize: 3, stride: 2), name: next(), x)
    for out in [144, 144, 96] {
      x = b.add(
        Convolution2D(
          inputChannels: b.channels(of: x), outputChannels: out, kernelSize: 3, padding: 1,
          initialization: .kaimingNormalFanOut),
        name: next(), x)
      x = b.add(ReLU(), name: next(), x)
    }
    x = b.add(MaxPooling2D(kernelSize: 3, stride: 2), name: next(), x)
    x = b.add(AdaptiveAveragePooling2D(outputSize: 3), name: "avgpool", x)
    x = b.add(Flatten(), name: "flatten", x)
    x = b.add(Dropout(probability: 0.5), name: "classifier.0", x)
    x = b.add(
      Linear(inputSize: 96 * 9, outputSize: 512, initialization: .kaimingNormalFanOut),
      name: "classifier.1", x)
    x = b.add(ReLU(), name: "classifier.2", x)
    x = b.add(Dropout(probability: 0.5), name: "classifier.3", x)
    x = b.add(
      Linear(inputSize: 512, outputSize: 512, initialization: .kaimingNormalFanOut),
      name: "classifier.4", x)
    x = b.add(ReLU(), name: "classifier.5", x)
    b.add(
      Linear(inputSize: 512, outputSize: classes, initialization: output), name: "classifier.6", x)
  }
}
