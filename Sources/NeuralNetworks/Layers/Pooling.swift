import Synchronization
import Tensors

/// 2-D max pooling with stride, padding, dilation and ceil mode, exactly as PyTorch
/// `nn.MaxPool2d`.
///
/// Input `[N, C, H, W]`, output `[N, C, H_out, W_out]` with
/// `H_out = ⌊(H + 2 p_h − d_h (k_h − 1) − 1) / s_h⌋ + 1` (likewise W). In ceil mode the floor
/// becomes a ceiling, and a last window that would start at or past `H + p_h` is dropped
/// (PyTorch's rule `if (H_out − 1) s_h ≥ H + p_h then H_out −= 1`), so every window starts
/// inside the input or its left padding.
///
/// `y[n, c, i, j] = max_{a < k_h, b < k_w} x[n, c, i s_h − p_h + a d_h, j s_w − p_w + b d_w]`
/// over the taps inside the input: padding counts as −∞ and is never selected. The window is
/// scanned row by row; a value replaces the running maximum when it is strictly greater or
/// NaN, so ties select the first maximum and a NaN propagates (the last NaN of the window is
/// selected), as in PyTorch's CPU kernel. A window of padding only (possible with dilation)
/// yields −∞ and passes no gradient.
///
/// The backward pass scatters each output gradient to the selected input element, using the
/// argmax offsets (within the input plane, `Int32`) cached by a recorded forward pass.
///
/// Reference: PyTorch `torch.nn.MaxPool2d` and `aten/src/ATen/native/cpu/MaxPoolKernel.cpp`.
public struct MaxPooling2D: Layer {
  /// `(k_h, k_w)`.
  public let kernelSize: [Int]
  /// `(s_h, s_w)`.
  public let stride: [Int]
  /// Implicit −∞ padding `(p_h, p_w)` on each side; at most half the kernel.
  public let padding: [Int]
  /// `(d_h, d_w)`, the spacing between window taps.
  public let dilation: [Int]
  /// Whether output sizes round up (PyTorch `ceil_mode`).
  public let ceilMode: Bool

  /// Creates a max pooling layer with a square window.
  ///
  /// - Parameters:
  ///   - kernelSize: Window side `k`.
  ///   - stride: Window step; `nil` (the default) means `kernelSize`, as in PyTorch.
  ///   - padding: Padding on each side, at most `kernelSize / 2`.
  ///   - dilation: Spacing between window taps.
  ///   - ceilMode: Whether output sizes round up.
  public init(
    kernelSize: Int, stride: Int? = nil, padding: Int = 0, dilation: Int = 1,
    ceilMode: Bool = false
  ) {
    let step = stride ?? kernelSize
    self.init(
      kernelSize: (kernelSize, kernelSize), stride: (step, step), padding: (padding, padding),
      dilation: (dilation, dilation), ceilMode: ceilMode)
  }

  /// Creates a max pooling layer with a rectangular window.
  ///
  /// - Parameters:
  ///   - kernelSize: `(k_h, k_w)`.
  ///   - stride: `(s_h, s_w)`; `nil` (the default) means `kernelSize`.
  ///   - padding: `(p_h, p_w)`, each at most half the kernel extent.
  ///   - dilation: `(d_h, d_w)`.
  ///   - ceilMode: Whether output sizes round up.
  public init(
    kernelSize: (Int, Int), stride: (Int, Int)? = nil, padding: (Int, Int) = (0, 0),
    dilation: (Int, Int) = (1, 1), ceilMode: Bool = false
  ) {
    let step = stride ?? kernelSize
    precondition(
      kernelSize.0 > 0 && kernelSize.1 > 0 && step.0 > 0 && step.1 > 0 && dilation.0 > 0
        && dilation.1 > 0,
      "MaxPooling2D: kernel \(kernelSize), stride \(step) and dilation \(dilation) must be "
        + "positive")
    precondition(
      padding.0 >= 0 && padding.1 >= 0 && padding.0 <= kernelSize.0 / 2
        && padding.1 <= kernelSize.1 / 2,
      "MaxPooling2D: padding \(padding) must be between 0 and half the kernel \(kernelSize)")
    self.kernelSize = [kernelSize.0, kernelSize.1]
    self.stride = [step.0, step.1]
    self.padding = [padding.0, padding.1]
    self.dilation = [dilation.0, dilation.1]
    self.ceilMode = ceilMode
  }

  /// The kind name used in summaries.
  public var kind: String { "maxpool" }

  /// The per-sample output shape.
  ///
  /// - Parameter inputShapes: Per-sample input shapes.
  /// - Returns: The output shape.
  /// - Throws: ``NetworkShapeError`` naming the expected and found shapes.
  public func outputShape(for inputShapes: [[Int]]) throws(NetworkShapeError) -> [Int] {
    let shape = inputShapes[0]
    guard shape.count == 3, shape.allSatisfy({ $0 > 0 }) else {
      throw NetworkShapeError("expected input [C, H, W] with positive extents, found \(shape)")
    }
    let (height, width) = outputSize(height: shape[1], width: shape[2])
    guard height >= 1, width >= 1 else {
      throw NetworkShapeError(
        "expected an output of at least 1×1, found \(height)×\(width) for input \(shape), "
          + "kernel \(kernelSize), stride \(stride), padding \(padding), dilation \(dilation), "
          + "ceil mode \(ceilMode)")
    }
    return [shape[0], height, width]
  }

  /// The output plane size for an input plane.
  ///
  /// - Parameters:
  ///   - height: `H`.
  ///   - width: `W`.
  /// - Returns: `(H_out, W_out)` by PyTorch's rule (see the type's documentation).
  public func outputSize(height: Int, width: Int) -> (height: Int, width: Int) {
    (
      PoolingAxis.outputExtent(
        height, kernel: kernelSize[0], stride: stride[0], padding: padding[0],
        dilation: dilation[0], ceilMode: ceilMode),
      PoolingAxis.outputExtent(
        width, kernel: kernelSize[1], stride: stride[1], padding: padding[1],
        dilation: dilation[1], ceilMode: ceilMode)
    )
  }

  private func windows(height: Int, width: Int) -> PoolingWindows {
    let (outputHeight, outputWidth) = outputSize(height: height, width: width)
    return PoolingWindows(
      height: height, width: width,
      rows: .dilated(
        length: height, outputs: outputHeight, kernel: kernelSize[0], stride: stride[0],
        padding: padding[0], dilation: dilation[0]),
      columns: .dilated(
        length: width, outputs: outputWidth, kernel: kernelSize[1], stride: stride[1],
        padding: padding[1], dilation: dilation[1]))
  }

  /// Runs the layer on a batch (see ``Layer/forward(inputs:parameters:buffers:context:)``).
  ///
  /// - Parameters:
  ///   - inputs: Batched inputs.
  ///   - parameters: Parameters in spec order.
  ///   - buffers: Buffers in spec order.
  ///   - context: Mode, recording flag and dropout generator.
  /// - Returns: The output and the backward cache (the argmax offsets when recording).
  public func forward(
    inputs: [Tensor], parameters: [Tensor], buffers: inout [Tensor], context: inout ForwardContext
  ) -> (output: Tensor, cache: LayerCache) {
    let x = inputs[0]
    let windows = windows(height: x.shape[2], width: x.shape[3])
    if x.elementType == .float32, dilation == [1, 1],
      let result = PoolingWindows.maximumInC(
        x, kernel: (kernelSize[0], kernelSize[1]), stride: (stride[0], stride[1]),
        padding: (padding[0], padding[1]),
        outputSize: (windows.outputHeight, windows.outputWidth),
        recordIndices: context.isRecording)
    {
      return (result.output, context.isRecording ? LayerCache(indices: result.indices) : .empty)
    }
    let result: (output: Tensor, indices: ContiguousArray<Int32>)
    switch x.elementType {
    case .float32: result = windows.maximum(Float.self, x, recordIndices: context.isRecording)
    case .float64: result = windows.maximum(Double.self, x, recordIndices: context.isRecording)
    }
    return (result.output, LayerCache(indices: result.indices))
  }

  /// Propagates output cotangents to the inputs and parameters.
  ///
  /// - Parameter request: Gradients, forward values and what is needed.
  /// - Returns: The requested gradients.
  public func backward(_ request: BackwardRequest) -> LayerGradients {
    guard request.inputGradientsNeeded[0] else { return LayerGradients(inputs: [nil]) }
    let x = request.inputs[0]
    let windows = windows(height: x.shape[2], width: x.shape[3])
    var indices = request.cache.indices
    if indices.count != request.output.count {
      // Not recorded (a hand-made request): recompute the argmax offsets.
      switch x.elementType {
      case .float32: indices = windows.maximum(Float.self, x, recordIndices: true).indices
      case .float64: indices = windows.maximum(Double.self, x, recordIndices: true).indices
      }
    }
    switch x.elementType {
    case .float32:
      return LayerGradients(inputs: [windows.scatterMaximum(Float.self, request, indices)])
    case .float64:
      return LayerGradients(inputs: [windows.scatterMaximum(Double.self, request, indices)])
    }
  }
}

/// 2-D average pooling with stride, padding and ceil mode, exactly as PyTorch `nn.AvgPool2d`.
///
/// Input `[N, C, H, W]`, output `[N, C, H_out, W_out]` with the output size of
/// ``MaxPooling2D`` (no dilation). For output row `i` the window is
/// `h_start = i s_h − p_h`, `h_end = min(h_start + k_h, H + p_h)` (likewise columns); the
/// padded window size `(h_end − h_start)(w_end − w_start)` is taken *before* the window is
/// clamped to `[0, H) × [0, W)`, so a ceil-mode window that runs past the right padding is
/// not counted there. The output is the sum over the clamped window divided by the padded
/// size when `countIncludePad` (zeros in the padding count) or by the clamped size otherwise.
/// The backward pass spreads `∂y / divisor` over the clamped window.
///
/// Reference: PyTorch `torch.nn.AvgPool2d` and `aten/src/ATen/native/cpu/AvgPoolKernel.cpp`.
public struct AveragePooling2D: Layer {
  /// `(k_h, k_w)`.
  public let kernelSize: [Int]
  /// `(s_h, s_w)`.
  public let stride: [Int]
  /// Implicit zero padding `(p_h, p_w)` on each side; at most half the kernel.
  public let padding: [Int]
  /// Whether output sizes round up (PyTorch `ceil_mode`).
  public let ceilMode: Bool
  /// Whether padded positions count in the divisor (PyTorch `count_include_pad`).
  public let countIncludePad: Bool

  /// Creates an average pooling layer with a square window.
  ///
  /// - Parameters:
  ///   - kernelSize: Window side `k`.
  ///   - stride: Window step; `nil` (the default) means `kernelSize`, as in PyTorch.
  ///   - padding: Zero padding on each side, at most `kernelSize / 2`.
  ///   - ceilMode: Whether output sizes round up.
  ///   - countIncludePad: Whether padded positions count in the divisor.
  public init(
    kernelSize: Int, stride: Int? = nil, padding: Int = 0, ceilMode: Bool = false,
    countIncludePad: Bool = true
  ) {
    let step = stride ?? kernelSize
    self.init(
      kernelSize: (kernelSize, kernelSize), stride: (step, step), padding: (padding, padding),
      ceilMode: ceilMode, countIncludePad: countIncludePad)
  }

  /// Creates an average pooling layer with a rectangular window.
  ///
  /// - Parameters:
  ///   - kernelSize: `(k_h, k_w)`.
  ///   - stride: `(s_h, s_w)`; `nil` (the default) means `kernelSize`.
  ///   - padding: `(p_h, p_w)`, each at most half the kernel extent.
  ///   - ceilMode: Whether output sizes round up.
  ///   - countIncludePad: Whether padded positions count in the divisor.
  public init(
    kernelSize: (Int, Int), stride: (Int, Int)? = nil, padding: (Int, Int) = (0, 0),
    ceilMode: Bool = false, countIncludePad: Bool = true
  ) {
    let step = stride ?? kernelSize
    precondition(
      kernelSize.0 > 0 && kernelSize.1 > 0 && step.0 > 0 && step.1 > 0,
      "AveragePooling2D: kernel \(kernelSize) and stride \(step) must be positive")
    precondition(
      padding.0 >= 0 && padding.1 >= 0 && padding.0 <= kernelSize.0 / 2
        && padding.1 <= kernelSize.1 / 2,
      "AveragePooling2D: padding \(padding) must be between 0 and half the kernel \(kernelSize)")
    self.kernelSize = [kernelSize.0, kernelSize.1]
    self.stride = [step.0, step.1]
    self.padding = [padding.0, padding.1]
    self.ceilMode = ceilMode
    self.countIncludePad = countIncludePad
  }

  /// The kind name used in summaries.
  public var kind: String { "avgpool" }

  /// The per-sample output shape.
  ///
  /// - Parameter inputShapes: Per-sample input shapes.
  /// - Returns: The output shape.
  /// - Throws: ``NetworkShapeError`` naming the expected and found shapes.
  public func outputShape(for inputShapes: [[Int]]) throws(NetworkShapeError) -> [Int] {
    let shape = inputShapes[0]
    guard shape.count == 3, shape.allSatisfy({ $0 > 0 }) else {
      throw NetworkShapeError("expected input [C, H, W] with positive extents, found \(shape)")
    }
    let (height, width) = outputSize(height: shape[1], width: shape[2])
    guard height >= 1, width >= 1 else {
      throw NetworkShapeError(
        "expected an output of at least 1×1, found \(height)×\(width) for input \(shape), "
          + "kernel \(kernelSize), stride \(stride), padding \(padding), ceil mode \(ceilMode)")
    }
    return [shape[0], height, width]
  }

  /// The output plane size for an input plane.
  ///
  /// - Parameters:
  ///   - height: `H`.
  ///   - width: `W`.
  /// - Returns: `(H_out, W_out)` by PyTorch's rule (see ``MaxPooling2D``).
  public func outputSize(height: Int, width: Int) -> (height: Int, width: Int) {
    (
      PoolingAxis.outputExtent(
        height, kernel: kernelSize[0], stride: stride[0], padding: padding[0], dilation: 1,
        ceilMode: ceilMode),
      PoolingAxis.outputExtent(
        width, kernel: kernelSize[1], stride: stride[1], padding: padding[1], dilation: 1,
        ceilMode: ceilMode)
    )
  }

  private func windows(height: Int, width: Int) -> PoolingWindows {
    let (outputHeight, outputWidth) = outputSize(height: height, width: width)
    return PoolingWindows(
      height: height, width: width,
      rows: .padded(
        length: height, outputs: outputHeight, kernel: kernelSize[0], stride: stride[0],
        padding: padding[0], countIncludePad: countIncludePad),
      columns: .padded(
        length: width, outputs: outputWidth, kernel: kernelSize[1], stride: stride[1],
        padding: padding[1], countIncludePad: countIncludePad))
  }

  /// Runs the layer on a batch (see ``Layer/forward(inputs:parameters:buffers:context:)``).
  ///
  /// - Parameters:
  ///   - inputs: Batched inputs.
  ///   - parameters: Parameters in spec order.
  ///   - buffers: Buffers in spec order.
  ///   - context: Mode, recording flag and dropout generator.
  /// - Returns: The output and the backward cache.
  public func forward(
    inputs: [Tensor], parameters: [Tensor], buffers: inout [Tensor], context: inout ForwardContext
  ) -> (output: Tensor, cache: LayerCache) {
    let x = inputs[0]
    let windows = windows(height: x.shape[2], width: x.shape[3])
    if let output = windows.boxAverage(
      x, kernel: (kernelSize[0], kernelSize[1]), stride: (stride[0], stride[1]),
      padding: (padding[0], padding[1]))
    {
      return (output, .empty)
    }
    return (windows.average(x), .empty)
  }

  /// Propagates output cotangents to the inputs and parameters.
  ///
  /// - Parameter request: Gradients, forward values and what is needed.
  /// - Returns: The requested gradients.
  public func backward(_ request: BackwardRequest) -> LayerGradients {
    guard request.inputGradientsNeeded[0] else { return LayerGradients(inputs: [nil]) }
    let x = request.inputs[0]
    return LayerGradients(
      inputs: [windows(height: x.shape[2], width: x.shape[3]).spreadAverage(request)])
  }
}

/// 2-D adaptive average pooling to a fixed output size, exactly as PyTorch
/// `nn.AdaptiveAvgPool2d`.
///
/// Input `[N, C, H, W]`, output `[N, C, H_out, W_out]`. Output row `i` averages input rows
/// `⌊i H / H_out⌋ ..< ⌈(i + 1) H / H_out⌉` (likewise columns), so windows overlap when `H` is
/// not a multiple of `H_out`, and input rows repeat when `H < H_out` (upsampling). The backward
/// pass spreads `∂y / window size` over each window, accumulating where windows overlap.
///
/// Reference: PyTorch `torch.nn.AdaptiveAvgPool2d` and
/// `aten/src/ATen/native/AdaptiveAveragePooling.cpp`.
public struct AdaptiveAveragePooling2D: Layer {
  /// `(H_out, W_out)`.
  public let outputSize: [Int]

  /// Creates an adaptive average pooling layer with a square output.
  ///
  /// - Parameter outputSize: `H_out = W_out` (1 for global average pooling).
  public init(outputSize: Int) {
    self.init(outputSize: (outputSize, outputSize))
  }

  /// Creates an adaptive average pooling layer.
  ///
  /// - Parameter outputSize: `(H_out, W_out)`, each ≥ 1.
  public init(outputSize: (Int, Int)) {
    precondition(
      outputSize.0 >= 1 && outputSize.1 >= 1,
      "AdaptiveAveragePooling2D: output size \(outputSize) must be at least (1, 1)")
    self.outputSize = [outputSize.0, outputSize.1]
  }

  /// The kind name used in summaries.
  public var kind: String { "adaptive_avgpool" }

  /// The per-sample output shape.
  ///
  /// - Parameter inputShapes: Per-sample input shapes.
  /// - Returns: The output shape.
  /// - Throws: ``NetworkShapeError`` naming the expected and found shapes.
  public func outputShape(for inputShapes: [[Int]]) throws(NetworkShapeError) -> [Int] {
    let shape = inputShapes[0]
    guard shape.count == 3, shape.allSatisfy({ $0 > 0 }) else {
      throw NetworkShapeError("expected input [C, H, W] with positive extents, found \(shape)")
    }
    return [shape[0], outputSize[0], outputSize[1]]
  }

  private func windows(height: Int, width: Int) -> PoolingWindows {
    PoolingWindows(
      height: height, width: width, rows: .adaptive(length: height, outputs: outputSize[0]),
      columns: .adaptive(length: width, outputs: outputSize[1]))
  }

  /// Runs the layer on a batch (see ``Layer/forward(inputs:parameters:buffers:context:)``).
  ///
  /// - Parameters:
  ///   - inputs: Batched inputs.
  ///   - parameters: Parameters in spec order.
  ///   - buffers: Buffers in spec order.
  ///   - context: Mode, recording flag and dropout generator.
  /// - Returns: The output and the backward cache.
  public func forward(
    inputs: [Tensor], parameters: [Tensor], buffers: inout [Tensor], context: inout ForwardContext
  ) -> (output: Tensor, cache: LayerCache) {
    let x = inputs[0]
    let (height, width) = (x.shape[2], x.shape[3])
    let windows = windows(height: height, width: width)
    // Equal, non-overlapping windows (the input a multiple of the output, global average
    // included): window sums in vectorised C.
    if height % windows.outputHeight == 0, width % windows.outputWidth == 0 {
      let kernel = (height / windows.outputHeight, width / windows.outputWidth)
      if let output = windows.boxAverage(x, kernel: kernel, stride: kernel, padding: (0, 0)) {
        return (output, .empty)
      }
    }
    return (windows.average(x), .empty)
  }

  /// Propagates output cotangents to the inputs and parameters.
  ///
  /// - Parameter request: Gradients, forward values and what is needed.
  /// - Returns: The requested gradients.
  public func backward(_ request: BackwardRequest) -> LayerGradients {
    guard request.inputGradientsNeeded[0] else { return LayerGradients(inputs: [nil]) }
    let x = request.inputs[0]
    return LayerGradients(
      inputs: [windows(height: x.shape[2], width: x.shape[3]).spreadAverage(request)])
  }
}

/// The pooling windows along one axis: for each output position, the input taps
/// `start, start + step, … < end` and the divisor factor of average pooling.
struct PoolingAxis {
  /// First input index of each window (inside the input).
  var starts: ContiguousArray<Int>
  /// One past the last input index of each window (at most the input length).
  var ends: ContiguousArray<Int>
  /// The window's extent for the averaging divisor (padded or clamped).
  var divisors: ContiguousArray<Int>
  /// The spacing between taps (the dilation).
  var step: Int

  /// The number of output positions.
  var count: Int { starts.count }

  /// The longest run of outputs whose windows are whole and evenly spaced (undilated): output
  /// `o` in `outputs` reads `start + (o − outputs.lowerBound)·stride + t` for `t < kernel`.
  var interiorRun: (outputs: Range<Int>, start: Int, stride: Int, kernel: Int)? {
    guard step == 1, count > 0 else { return nil }
    let kernel = (0..<count).map { ends[$0] - starts[$0] }.max() ?? 0
    guard kernel > 0, let lower = (0..<count).first(where: { ends[$0] - starts[$0] == kernel })
    else { return nil }
    var upper = lower + 1
    let stride = upper < count ? starts[upper] - starts[lower] : 1
    while upper < count, ends[upper] - starts[upper] == kernel,
      starts[upper] == starts[lower] + (upper - lower) * stride
    {
      upper += 1
    }
    guard stride > 0 else { return nil }
    return (lower..<upper, starts[lower], stride, kernel)
  }

  /// The output extent along one axis, as PyTorch's `pooling_output_shape`.
  ///
  /// `⌊(L + 2p − d(k − 1) − 1 + (ceil ? s − 1 : 0)) / s⌋ + 1` with floor division, minus one in
  /// ceil mode when the last window would start at or past `L + p`.
  static func outputExtent(
    _ length: Int, kernel: Int, stride: Int, padding: Int, dilation: Int, ceilMode: Bool
  ) -> Int {
    let numerator =
      length + 2 * padding - dilation * (kernel - 1) - 1 + (ceilMode ? stride - 1 : 0)
    // Floor division (the numerator may be negative for inputs smaller than the kernel).
    let quotient = numerator >= 0 ? numerator / stride : -((-numerator + stride - 1) / stride)
    var extent = quotient + 1
    if ceilMode && (extent - 1) * stride >= length + padding { extent -= 1 }
    return extent
  }

  /// Max-pooling windows: taps `o s − p + t d` for `t < k` that fall inside `0..<length`.
  static func dilated(
    length: Int, outputs: Int, kernel: Int, stride: Int, padding: Int, dilation: Int
  ) -> PoolingAxis {
    var axis = PoolingAxis(starts: [], ends: [], divisors: [], step: dilation)
    for o in 0..<max(0, outputs) {
      var start = o * stride - padding
      let end = min(start + (kernel - 1) * dilation + 1, length)
      if start < 0 { start += (-start + dilation - 1) / dilation * dilation }
      axis.starts.append(start)
      axis.ends.append(end)
      axis.divisors.append(max(0, end - start))
    }
    return axis
  }

  /// Average-pooling windows with PyTorch's divisor rule (see ``AveragePooling2D``).
  static func padded(
    length: Int, outputs: Int, kernel: Int, stride: Int, padding: Int, countIncludePad: Bool
  ) -> PoolingAxis {
    var axis = PoolingAxis(starts: [], ends: [], divisors: [], step: 1)
    for o in 0..<max(0, outputs) {
      let start = o * stride - padding
      let end = min(start + kernel, length + padding)
      let clampedStart = max(start, 0)
      let clampedEnd = min(end, length)
      axis.starts.append(clampedStart)
      axis.ends.append(clampedEnd)
      axis.divisors.append(countIncludePad ? end - start : clampedEnd - clampedStart)
    }
    return axis
  }

  /// Adaptive windows `⌊o L / n⌋ ..< ⌈(o + 1) L / n⌉`.
  static func adaptive(length: Int, outputs: Int) -> PoolingAxis {
    var axis = PoolingAxis(starts: [], ends: [], divisors: [], step: 1)
    for o in 0..<outputs {
      let start = o * length / outputs
      let end = ((o + 1) * length + outputs - 1) / outputs
      axis.starts.append(start)
      axis.ends.append(end)
      axis.divisors.append(end - start)
    }
    return axis
  }
}

/// The windows of one pooling layer applied to one input plane size, with the kernels.
struct PoolingWindows {
  /// Average pooling of `x` in its element type.
  func average(_ x: Tensor) -> Tensor {
    switch x.elementType {
    case .float32: average(Float.self, x)
    case .float64: average(Double.self, x)
    }
  }

  /// The input gradient of average pooling in the request's element type.
  func spreadAverage(_ request: BackwardRequest) -> Tensor {
    switch request.output.elementType {
    case .float32: spreadAverage(Float.self, request)
    case .float64: spreadAverage(Double.self, request)
    }
  }

  let height: Int
  let width: Int
  let rows: PoolingAxis
  let columns: PoolingAxis

  var outputHeight: Int { rows.count }
  var outputWidth: Int { columns.count }

  /// Float32 average pooling in vectorised C: window sums over the zero-padded planes, each
  /// divided by its window's divisor (PyTorch's rule, from the axes); planes are split over the
  /// engine's workers.
  ///
  /// The windows are `kernel` taken every `stride` from `padding` before the plane, as the
  /// axes were built. `nil` for Float64 and when a window reaches past the padded plane (ceil
  /// mode), which ``average(_:)`` then computes.
  func boxAverage(
    _ x: Tensor, kernel: (Int, Int), stride: (Int, Int), padding: (Int, Int)
  ) -> Tensor? {
    let (batch, channels) = (x.shape[0], x.shape[1])
    guard x.elementType == .float32,
      (outputHeight - 1) * stride.0 + kernel.0 <= height + 2 * padding.0,
      (outputWidth - 1) * stride.1 + kernel.1 <= width + 2 * padding.1
    else { return nil }
    let planes = batch * channels
    let (height, width) = (self.height, self.width)
    let (outputHeight, outputWidth) = (self.outputHeight, self.outputWidth)
    let outputPlane = outputHeight * outputWidth
    let divisors = (0..<outputPlane).map {
      Float(rows.divisors[$0 / outputWidth] * columns.divisors[$0 % outputWidth])
    }
    let output = ContiguousArray<Float>(unsafeUninitializedCapacity: planes * outputPlane) {
      buffer, initialized in
      nonisolated(unsafe) let target = buffer.baseAddress!
      x.scalars.withPointer { source in
        divisors.withUnsafeBufferPointer { divisor in
          Workers.split(planes, workers: min(Workers.count, planes)) { _, range in
            PoolingKernels.average(
              source + range.lowerBound * height * width, planes: range.count, height: height,
              width: width, kernel: kernel, stride: stride, padding: padding,
              outputHeight: outputHeight, outputWidth: outputWidth,
              divisors: divisor.baseAddress!, output: target + range.lowerBound * outputPlane)
          }
        }
      }
      initialized = planes * outputPlane
    }
    return Tensor(shape: [batch, channels, outputHeight, outputWidth], scalars: output)
  }

  /// Float32 max pooling (dilation 1) in vectorised C, planes split over the engine's workers.
  ///
  /// Padding and clipped ceil-mode taps count as −∞, as in PyTorch. With `recordIndices`, the
  /// argmax offsets of ``maximum(_:_:recordIndices:)`` too (empty otherwise). `nil` if an
  /// input is NaN (the exact path then propagates it as PyTorch does).
  static func maximumInC(
    _ x: Tensor, kernel: (Int, Int), stride: (Int, Int), padding: (Int, Int),
    outputSize: (Int, Int), recordIndices: Bool = false
  ) -> (output: Tensor, indices: ContiguousArray<Int32>)? {
    let (planes, height, width) = (x.shape[0] * x.shape[1], x.shape[2], x.shape[3])
    let (outputHeight, outputWidth) = outputSize
    let outputPlane = outputHeight * outputWidth
    let workers = min(Workers.count, planes)
    let ordered = Mutex(true)
    var indices = ContiguousArray<Int32>(
      unsafeUninitializedCapacity: recordIndices ? planes * outputPlane : 0
    ) { _, count in count = recordIndices ? planes * outputPlane : 0 }
    let output = ContiguousArray<Float>(unsafeUninitializedCapacity: planes * outputPlane) {
      buffer, initialized in
      nonisolated(unsafe) let target = buffer.baseAddress!
      x.scalars.withPointer { source in
        indices.withUnsafeMutableBufferPointer { indexBuffer in
          nonisolated(unsafe) let indexBase = indexBuffer.baseAddress
          Workers.split(planes, workers: workers) { _, range in
            let fine = PoolingKernels.maximum(
              source + range.lowerBound * height * width, planes: range.count, height: height,
              width: width, kernel: kernel, stride: stride, padding: padding,
              outputHeight: outputHeight, outputWidth: outputWidth,
              output: target + range.lowerBound * outputPlane,
              indices: recordIndices ? indexBase.map { $0 + range.lowerBound * outputPlane } : nil)
            if !fine { ordered.withLock { $0 = false } }
          }
        }
      }
      initialized = planes * outputPlane
    }
    guard ordered.withLock({ $0 }) else { return nil }
    return (
      Tensor(shape: [x.shape[0], x.shape[1], outputHeight, outputWidth], scalars: output), indices
    )
  }

  /// Max pooling of every plane; the argmax offsets (within the plane, −1 for an empty window)
  /// when `recordIndices`.
  func maximum<S: EngineScalar>(_: S.Type, _ x: Tensor, recordIndices: Bool) -> (
    output: Tensor, indices: ContiguousArray<Int32>
  ) {
    precondition(
      height * width <= Int(Int32.max), "MaxPooling2D: plane \(height)×\(width) is too large")
    let planes = x.shape[0] * x.shape[1]
    let (outputHeight, outputWidth) = (self.outputHeight, self.outputWidth)
    let planeSize = height * width
    let outputPlane = outputHeight * outputWidth
    let input = S.elements(of: x)
    var output = ContiguousArray<S>(repeating: 0, count: planes * outputPlane)
    var indices = ContiguousArray<Int32>(
      repeating: 0, count: recordIndices ? planes * outputPlane : 0)
    let (rowStep, columnStep) = (rows.step, columns.step)
    input.withPointer { xp in
      output.withMutablePointer { yp in
        indices.withUnsafeMutableBufferPointer { indexBuffer in
          rows.starts.withUnsafeBufferPointer { rowStarts in
            rows.ends.withUnsafeBufferPointer { rowEnds in
              columns.starts.withUnsafeBufferPointer { columnStarts in
                columns.ends.withUnsafeBufferPointer { columnEnds in
                  let indexBase = indexBuffer.baseAddress
                  // Planes are independent: split them over the engine's workers.
                  Workers.split(planes, workers: Workers.count) { _, planeRange in
                    for plane in planeRange {
                      let source = xp + plane * planeSize
                      let target = yp + plane * outputPlane
                      let indexTarget =
                        recordIndices ? indexBase.map { $0 + plane * outputPlane } : nil
                      for oh in 0..<outputHeight {
                        let (h0, h1) = (rowStarts[oh], rowEnds[oh])
                        for ow in 0..<outputWidth {
                          let (w0, w1) = (columnStarts[ow], columnEnds[ow])
                          var best = -S.infinity
                          guard recordIndices else {
                            // Inference: `maxss`, not a branch (window maxima of real data
                            // mispredict half the time); NaN, a rare and predictable branch,
                            // propagates as in PyTorch.
                            var unordered = false
                            var h = h0
                            while h < h1 {
                              let line = source + h * width
                              var w = w0
                              while w < w1 {
                                let value = line[w]
                                best = value > best ? value : best
                                if value.isNaN { unordered = true }
                                w += columnStep
                              }
                              h += rowStep
                            }
                            target[oh * outputWidth + ow] = unordered ? .nan : best
                            continue
                          }
                          var bestIndex = h0 < h1 && w0 < w1 ? h0 * width + w0 : -1
                          var h = h0
                          while h < h1 {
                            let line = h * width
                            var w = w0
                            while w < w1 {
                              let value = source[line + w]
                              if value > best || value.isNaN {
                                best = value
                                bestIndex = line + w
                              }
                              w += columnStep
                            }
                            h += rowStep
                          }
                          target[oh * outputWidth + ow] = best
                          indexTarget?[oh * outputWidth + ow] = Int32(truncatingIfNeeded: bestIndex)
                        }
                      }
                    }
                  }
                }
              }
            }
          }
        }
      }
    }
    return (
      S.makeTensor(shape: [x.shape[0], x.shape[1], outputHeight, outputWidth], elements: output),
      indices
    )
  }

  /// `∂x`, `[K · N, C, H, W]`: each output gradient added at its sample's argmax offset.
  func scatterMaximum<S: EngineScalar>(
    _: S.Type, _ request: BackwardRequest, _ indices: ContiguousArray<Int32>
  ) -> Tensor {
    let x = request.inputs[0]
    let gradient = S.elements(of: request.outputGradient)
    let samplePlanes = x.shape[0] * x.shape[1]
    let planes = request.outputGradient.shape[0] * x.shape[1]
    let planeSize = height * width
    let outputPlane = outputHeight * outputWidth
    var dx = ContiguousArray<S>(repeating: 0, count: planes * planeSize)
    gradient.withPointer { gp in
      dx.withMutablePointer { dxp in
        indices.withUnsafeBufferPointer { ip in
          guard let indexBase = ip.baseAddress, outputPlane > 0 else { return }
          for plane in 0..<planes {
            // Plane b·C + c of the cotangents reads the indices of sample b mod N.
            let index = indexBase + (plane % samplePlanes) * outputPlane
            let source = gp + plane * outputPlane
            let target = dxp + plane * planeSize
            for o in 0..<outputPlane where index[o] >= 0 {
              target[Int(index[o])] += source[o]
            }
          }
        }
      }
    }
    return S.makeTensor(shape: [planes / x.shape[1]] + x.shape.dropFirst(), elements: dx)
  }

  /// Average pooling of every plane: the window sum divided by the window's divisor.
  func average<S: EngineScalar>(_: S.Type, _ x: Tensor) -> Tensor {
    let planes = x.shape[0] * x.shape[1]
    let (outputHeight, outputWidth) = (self.outputHeight, self.outputWidth)
    let planeSize = height * width
    let outputPlane = outputHeight * outputWidth
    let input = S.elements(of: x)
    var output = ContiguousArray<S>(repeating: 0, count: planes * outputPlane)
    // The window divisors as element values, (oh, ow) row-major.
    let divisors = ContiguousArray<S>(
      (0..<outputPlane).map {
        S(rows.divisors[$0 / outputWidth] * columns.divisors[$0 % outputWidth])
      })
    input.withPointer { xp in
      output.withMutablePointer { yp in
        divisors.withPointer { dp in
          rows.starts.withUnsafeBufferPointer { rowStarts in
            rows.ends.withUnsafeBufferPointer { rowEnds in
              columns.starts.withUnsafeBufferPointer { columnStarts in
                columns.ends.withUnsafeBufferPointer { columnEnds in
                  // Planes are independent: split them over the engine's workers. Each input
                  // row's window sums are formed once (`rowSums`, height × output width), then
                  // summed down each output window's rows in contiguous vectorisable loops.
                  let workers = min(Workers.count, planes)
                  let scratch = ScratchBuffers<S>(
                    workers: workers, size: height * outputWidth, zeroed: false)
                  defer { scratch.deallocate() }
                  let interior = columns.interiorRun
                  Workers.split(planes, workers: workers) { worker, planeRange in
                    let rowSums = scratch[worker]
                    for plane in planeRange {
                      let source = xp + plane * planeSize
                      let target = yp + plane * outputPlane
                      for h in 0..<height {
                        let line = source + h * width
                        let sums = rowSums + h * outputWidth
                        // Whole windows in a regular run: one strided pass per tap (contiguous
                        // and vectorised at stride 1); clipped edge windows one by one.
                        if let run = interior {
                          let count = run.outputs.count
                          let first = sums + run.outputs.lowerBound
                          first.update(repeating: 0, count: count)
                          for tap in 0..<run.kernel {
                            let base = line + run.start + tap
                            if run.stride == 1 {
                              for t in 0..<count { first[t] += base[t] }
                            } else {
                              for t in 0..<count { first[t] += base[t * run.stride] }
                            }
                          }
                        }
                        for ow in 0..<outputWidth where !(interior?.outputs.contains(ow) ?? false) {
                          var total: S = 0
                          for w in columnStarts[ow]..<max(columnStarts[ow], columnEnds[ow]) {
                            total += line[w]
                          }
                          sums[ow] = total
                        }
                      }
                      for oh in 0..<outputHeight {
                        let row = target + oh * outputWidth
                        let (h0, h1) = (rowStarts[oh], rowEnds[oh])
                        row.update(repeating: 0, count: outputWidth)
                        for h in h0..<max(h0, h1) {
                          let sums = rowSums + h * outputWidth
                          for ow in 0..<outputWidth { row[ow] += sums[ow] }
                        }
                        let divisor = dp + oh * outputWidth
                        for ow in 0..<outputWidth where columnStarts[ow] < columnEnds[ow] {
                          row[ow] /= divisor[ow]
                        }
                        if h0 >= h1 { row.update(repeating: 0, count: outputWidth) }
                      }
                    }
                  }
                }
              }
            }
          }
        }
      }
    }
    return S.makeTensor(
      shape: [x.shape[0], x.shape[1], outputHeight, outputWidth], elements: output)
  }

  /// `∂x`, `[K · N, C, H, W]`: each output gradient divided by its divisor and added over its
  /// window.
  func spreadAverage<S: EngineScalar>(_: S.Type, _ request: BackwardRequest) -> Tensor {
    let x = request.inputs[0]
    let gradient = S.elements(of: request.outputGradient)
    let planes = request.outputGradient.shape[0] * x.shape[1]
    let (outputHeight, outputWidth) = (self.outputHeight, self.outputWidth)
    let planeSize = height * width
    let outputPlane = outputHeight * outputWidth
    var dx = ContiguousArray<S>(repeating: 0, count: planes * planeSize)
    gradient.withPointer { gp in
      dx.withMutablePointer { dxp in
        rows.starts.withUnsafeBufferPointer { rowStarts in
          rows.ends.withUnsafeBufferPointer { rowEnds in
            columns.starts.withUnsafeBufferPointer { columnStarts in
              columns.ends.withUnsafeBufferPointer { columnEnds in
                for plane in 0..<planes {
                  let source = gp + plane * outputPlane
                  let target = dxp + plane * planeSize
                  for oh in 0..<outputHeight {
                    let (h0, h1) = (rowStarts[oh], rowEnds[oh])
                    let rowDivisor = rows.divisors[oh]
                    for ow in 0..<outputWidth {
                      let (w0, w1) = (columnStarts[ow], columnEnds[ow])
                      guard h0 < h1 && w0 < w1 else { continue }
                      let share =
                        source[oh * outputWidth + ow]
                        / S(rowDivisor * columns.divisors[ow])
                      for h in h0..<h1 {
                        let line = target + h * width
                        for w in w0..<w1 { line[w] += share }
                      }
                    }
                  }
                }
              }
            }
          }
        }
      }
    }
    return S.makeTensor(shape: [planes / x.shape[1]] + x.shape.dropFirst(), elements: dx)
  }
}
