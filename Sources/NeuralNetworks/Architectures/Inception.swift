/// Inception v3 definitions.
///
/// Reference: Szegedy, Vanhoucke, Ioffe, Shlens & Wojna, "Rethinking the Inception Architecture
/// for Computer Vision", CVPR 2016 (arXiv:1512.00567). Module and branch names follow
/// torchvision (`Mixed_5b.branch5x5_1.conv.weight`); every convolution is a `BasicConv2d`
/// (convolution without bias, batch norm with ε = 10⁻³, ReLU).
enum Inception {
  typealias Value = NetworkBuilder.Value
  /// torchvision's initialisation: N(0, 0.1²) (its truncation at ±2 is ≥ 20σ, immaterial).
  static let initialization = WeightInitialization.normal(standardDeviation: 0.1)

  static func basic(
    _ b: inout NetworkBuilder, _ name: String, _ x: Value, _ out: Int, kernel: (Int, Int),
    stride: Int = 1, padding: (Int, Int) = (0, 0)
  ) -> Value {
    b.convolutionBatchNormReLU(
      name, x, outputChannels: out, kernelSize: kernel, stride: (stride, stride),
      padding: padding, initialization: initialization)
  }

  static func basic(
    _ b: inout NetworkBuilder, _ name: String, _ x: Value, _ out: Int, kernel: Int,
    stride: Int = 1, padding: Int = 0
  ) -> Value {
    basic(&b, name, x, out, kernel: (kernel, kernel), stride: stride, padding: (padding, padding))
  }

  /// Widths of an InceptionA module: 1×1, 5×5 (reduce, out), double 3×3 (reduce, out), pool.
  struct WidthsA {
    let branch1x1: Int
    let branch5x5: (Int, Int)
    let branch3x3: (Int, Int)
    let pool: Int
  }

  /// 1×1 | 1×1→5×5 | 1×1→3×3→3×3 | avg 3×3 → 1×1, concatenated.
  static func moduleA(_ b: inout NetworkBuilder, _ name: String, _ x: Value, _ w: WidthsA)
    -> Value
  {
    let b1 = basic(&b, "\(name).branch1x1", x, w.branch1x1, kernel: 1)
    var b5 = basic(&b, "\(name).branch5x5_1", x, w.branch5x5.0, kernel: 1)
    b5 = basic(&b, "\(name).branch5x5_2", b5, w.branch5x5.1, kernel: 5, padding: 2)
    var b3 = basic(&b, "\(name).branch3x3dbl_1", x, w.branch3x3.0, kernel: 1)
    b3 = basic(&b, "\(name).branch3x3dbl_2", b3, w.branch3x3.1, kernel: 3, padding: 1)
    b3 = basic(&b, "\(name).branch3x3dbl_3", b3, w.branch3x3.1, kernel: 3, padding: 1)
    var bp = b.add(
      AveragePooling2D(kernelSize: 3, stride: 1, padding: 1), name: "\(name).avg_pool", x)
    bp = basic(&b, "\(name).branch_pool", bp, w.pool, kernel: 1)
    return b.add(Concatenate(), name: "\(name).concat", inputs: [b1, b5, b3, bp])
  }

  /// Grid reduction: 3×3/2 | 1×1→3×3→3×3/2 | max 3×3/2.
  static func moduleB(
    _ b: inout NetworkBuilder, _ name: String, _ x: Value, branch3x3: Int,
    double: (Int, Int)
  ) -> Value {
    let b3 = basic(&b, "\(name).branch3x3", x, branch3x3, kernel: 3, stride: 2)
    var bd = basic(&b, "\(name).branch3x3dbl_1", x, double.0, kernel: 1)
    bd = basic(&b, "\(name).branch3x3dbl_2", bd, double.1, kernel: 3, padding: 1)
    bd = basic(&b, "\(name).branch3x3dbl_3", bd, double.1, kernel: 3, stride: 2)
    let bp = b.add(MaxPooling2D(kernelSize: 3, stride: 2), name: "\(name).max_pool", x)
    return b.add(Concatenate(), name: "\(name).concat", inputs: [b3, bd, bp])
  }

  /// Factorised 7×7: 1×1 | 1×1→1×7→7×1 | 1×1→7×1→1×7→7×1→1×7 | avg → 1×1.
  static func moduleC(
    _ b: inout NetworkBuilder, _ name: String, _ x: Value, channels7x7 c7: Int, out: Int
  ) -> Value {
    let b1 = basic(&b, "\(name).branch1x1", x, out, kernel: 1)
    var b7 = basic(&b, "\(name).branch7x7_1", x, c7, kernel: 1)
    b7 = basic(&b, "\(name).branch7x7_2", b7, c7, kernel: (1, 7), padding: (0, 3))
    b7 = basic(&b, "\(name).branch7x7_3", b7, out, kernel: (7, 1), padding: (3, 0))
    var bd = basic(&b, "\(name).branch7x7dbl_1", x, c7, kernel: 1)
    bd = basic(&b, "\(name).branch7x7dbl_2", bd, c7, kernel: (7, 1), padding: (3, 0))
    bd = basic(&b, "\(name).branch7x7dbl_3", bd, c7, kernel: (1, 7), padding: (0, 3))
    bd = basic(&b, "\(name).branch7x7dbl_4", bd, c7, kernel: (7, 1), padding: (3, 0))
    bd = basic(&b, "\(name).branch7x7dbl_5", bd, out, kernel: (1, 7), padding: (0, 3))
    var bp = b.add(
      AveragePooling2D(kernelSize: 3, stride: 1, padding: 1), name: "\(name).avg_pool", x)
    bp = basic(&b, "\(name).branch_pool", bp, out, kernel: 1)
    return b.add(Concatenate(), name: "\(name).concat", inputs: [b1, b7, bd, bp])
  }

  /// Grid reduction with 7×7 factorisation: 1×1→3×3/2 | 1×1→1×7→7×1→3×3/2 | max 3×3/2.
  static func moduleD(_ b: inout NetworkBuilder, _ name: String, _ x: Value, widths: (Int, Int))
    -> Value
  {
    var b3 = basic(&b, "\(name).branch3x3_1", x, widths.0, kernel: 1)
    b3 = basic(&b, "\(name).branch3x3_2", b3, widths.1, kernel: 3, stride: 2)
    var b7 = basic(&b, "\(name).branch7x7x3_1", x, widths.0, kernel: 1)
    b7 = basic(&b, "\(name).branch7x7x3_2", b7, widths.0, kernel: (1, 7), padding: (0, 3))
    b7 = basic(&b, "\(name).branch7x7x3_3", b7, widths.0, kernel: (7, 1), padding: (3, 0))
    b7 = basic(&b, "\(name).branch7x7x3_4", b7, widths.0, kernel: 3, stride: 2)
    let bp = b.add(MaxPooling2D(kernelSize: 3, stride: 2), name: "\(name).max_pool", x)
    return b.add(Concatenate(), name: "\(name).concat", inputs: [b3, b7, bp])
  }

  /// Expanded filter bank: 1×1 | 1×1→(1×3 ‖ 3×1) | 1×1→3×3→(1×3 ‖ 3×1) | avg → 1×1.
  static func moduleE(
    _ b: inout NetworkBuilder, _ name: String, _ x: Value, widths: (Int, Int, Int, Int)
  ) -> Value {
    let (w1, w3, wd, wp) = widths
    let b1 = basic(&b, "\(name).branch1x1", x, w1, kernel: 1)
    let b3 = basic(&b, "\(name).branch3x3_1", x, w3, kernel: 1)
    let b3a = basic(&b, "\(name).branch3x3_2a", b3, w3, kernel: (1, 3), padding: (0, 1))
    let b3b = basic(&b, "\(name).branch3x3_2b", b3, w3, kernel: (3, 1), padding: (1, 0))
    var bd = basic(&b, "\(name).branch3x3dbl_1", x, wd, kernel: 1)
    bd = basic(&b, "\(name).branch3x3dbl_2", bd, w3, kernel: 3, padding: 1)
    let bda = basic(&b, "\(name).branch3x3dbl_3a", bd, w3, kernel: (1, 3), padding: (0, 1))
    let bdb = basic(&b, "\(name).branch3x3dbl_3b", bd, w3, kernel: (3, 1), padding: (1, 0))
    var bp = b.add(
      AveragePooling2D(kernelSize: 3, stride: 1, padding: 1), name: "\(name).avg_pool", x)
    bp = basic(&b, "\(name).branch_pool", bp, wp, kernel: 1)
    return b.add(Concatenate(), name: "\(name).concat", inputs: [b1, b3a, b3b, bda, bdb, bp])
  }

  /// The classifier head: adaptive average pool to 1×1 → dropout 0.5 → `fc`.
  static func head(_ b: inout NetworkBuilder, _ x: Value, classes: Int) {
    var x = b.add(AdaptiveAveragePooling2D(outputSize: 1), name: "avgpool", x)
    x = b.add(Flatten(), name: "flatten", x)
    x = b.add(Dropout(probability: 0.5), name: "dropout", x)
    b.add(
      Linear(inputSize: b.channels(of: x), outputSize: classes, initialization: initialization),
      name: "fc", x)
  }

  /// torchvision `inception_v3` (299×299; `aux_logits=False`, `transform_input=False`).
  static func full(_ b: inout NetworkBuilder, classes: Int) {
    var x = basic(&b, "Conv2d_1a_3x3", b.last, 32, kernel: 3, stride: 2)
    x = basic(&b, "Conv2d_2a_3x3", x, 32, kernel: 3)
    x = basic(&b, "Conv2d_2b_3x3", x, 64, kernel: 3, padding: 1)
    x = b.add(MaxPooling2D(kernelSize: 3, stride: 2), name: "maxpool1", x)
    x = basic(&b, "Conv2d_3b_1x1", x, 80, kernel: 1)
    x = basic(&b, "Conv2d_4a_3x3", x, 192, kernel: 3)
    x = b.add(MaxPooling2D(kernelSize: 3, stride: 2), name: "maxpool2", x)
    for (name, pool) in [("Mixed_5b", 32), ("Mixed_5c", 64), ("Mixed_5d", 64)] {
      x = moduleA(
        &b, name, x,
        WidthsA(branch1x1: 64, branch5x5: (48, 64), branch3x3: (64, 96), pool: pool))
    }
    x = moduleB(&b, "Mixed_6a", x, branch3x3: 384, double: (64, 96))
    for (name, c7) in [("Mixed_6b", 128), ("Mixed_6c", 160), ("Mixed_6d", 160), ("Mixed_6e", 192)] {
      x = moduleC(&b, name, x, channels7x7: c7, out: 192)
    }
    x = moduleD(&b, "Mixed_7a", x, widths: (192, 320))
    x = moduleE(&b, "Mixed_7b", x, widths: (320, 384, 448, 192))
    x = moduleE(&b, "Mixed_7c", x, widths: (320, 384, 448, 192))
    head(&b, x, classes: classes)
  }

  /// `inception-mini` for 64×64: a two-convolution stem, two A modules, a B reduction and a
  /// C module with factorised 7×7 kernels, all at reduced widths.
  ///
  /// Conv 3×3/2 (24) → conv 3×3 (48, pad 1) → max 3/2 (15×15) → A(16 | 16→24 | 16→24→24 |
  /// pool 16 = 80) → A(… pool 24 = 88) → B(96 | 32→48→48 | max = 232, 7×7) →
  /// C(c7 32, 64 each = 256) → global average → dropout → fc.
  static func mini(_ b: inout NetworkBuilder, classes: Int) {
    var x = basic(&b, "Conv2d_1a_3x3", b.last, 24, kernel: 3, stride: 2)
    x = basic(&b, "Conv2d_2b_3x3", x, 48, kernel: 3, padding: 1)
    x = b.add(MaxPooling2D(kernelSize: 3, stride: 2), name: "maxpool1", x)
    x = moduleA(
      &b, "Mixed_5b", x,
      WidthsA(branch1x1: 16, branch5x5: (16, 24), branch3x3: (16, 24), pool: 16))
    x = moduleA(
      &b, "Mixed_5c", x,
      WidthsA(branch1x1: 16, branch5x5: (16, 24), branch3x3: (16, 24), pool: 24))
    x = moduleB(&b, "Mixed_6a", x, branch3x3: 96, double: (32, 48))
    x = moduleC(&b, "Mixed_6b", x, channels7x7: 32, out: 64)
    head(&b, x, classes: classes)
  }
}
