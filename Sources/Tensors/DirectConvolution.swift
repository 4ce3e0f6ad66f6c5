internal import CKernels

/// semrob's direct convolution for AVX-512 CPUs: register tiles of 8 output positions × 16,
/// 32 or 48 output channels, weights as the vector operand, input values broadcast straight from
/// NCHW planes (padded layers from a padded band of rows kept in cache; no im2col buffer),
/// bias, an addend and ReLU fused into the store.
///
/// Available where ``PackedGEMM/isSupported``; one call is single-threaded and covers a range
/// of output positions, so callers split positions over their workers.
package enum DirectConvolution {
  /// The shape of one convolution.
  package struct Geometry: Sendable {
    /// Input channels, height and width.
    package var channels, height, width: Int
    /// Kernel size, stride, dilation and zero padding, (height, width) each.
    package var kernel, stride, dilation, padding: (Int, Int)
    /// Output height, width and channels.
    package var outputHeight, outputWidth, outputChannels: Int

    /// A geometry from its parts (see the properties).
    package init(
      channels: Int, height: Int, width: Int, kernel: (Int, Int), stride: (Int, Int),
      dilation: (Int, Int), padding: (Int, Int), outputHeight: Int, outputWidth: Int,
      outputChannels: Int
    ) {
      self.channels = channels
      self.height = height
      self.width = width
      self.kernel = kernel
      self.stride = stride
      self.dilation = dilation
      self.padding = padding
      self.outputHeight = outputHeight
      self.outputWidth = outputWidth
      self.outputChannels = outputChannels
    }

    /// The multiplication depth, channels · kernel height · kernel width.
    package var depth: Int { channels * kernel.0 * kernel.1 }
  }

  /// Weights `[outputChannels][depth]` (PyTorch's OIHW order) packed for one of the kernels.
  package final class PackedWeights: @unchecked Sendable {
    /// How the weights are laid out, which decides the kernel that reads them.
    package enum Layout: Sendable {
      /// 16/32/48-channel blocks for ``DirectConvolution/run(_:input:weights:positions:channelBlocks:bias:addend:relu:output:)``.
      case channelBlocks
      /// 8-channel panels for ``DirectConvolution/runRows(_:input:weights:rows:bias:addend:relu:output:)``.
      case rowPanels
    }

    /// The layout the weights were packed in.
    package let layout: Layout
    let storage: UnsafeMutablePointer<Float>

    /// Packs `outputChannels × depth` weights in `layout`.
    package init(
      _ weights: UnsafePointer<Float>, outputChannels: Int, depth: Int,
      layout: Layout = .channelBlocks
    ) {
      precondition(PackedGEMM.isSupported, "DirectConvolution: this CPU has no AVX-512F")
      self.layout = layout
      switch layout {
      case .channelBlocks:
        storage = .allocate(
          capacity: max(1, semrob_conv_packed_weights_count(outputChannels, depth)))
        semrob_conv_pack_weights(outputChannels, depth, weights, storage)
      case .rowPanels:
        storage = .allocate(
          capacity: max(1, semrob_conv_rows_packed_count(outputChannels, depth)))
        semrob_conv_rows_pack(outputChannels, depth, weights, storage)
      }
    }

    deinit { storage.deallocate() }
  }

  /// The number of output-channel blocks (16, 32 or 48 channels each) a convolution with
  /// `outputChannels` outputs is computed in.
  package static func channelBlockCount(outputChannels: Int) -> Int {
    semrob_conv_channel_blocks(outputChannels)
  }

  /// Computes output positions `positions` of the flattened images × height × width, for the
  /// output-channel blocks `channelBlocks`, into NCHW `output`:
  /// `relu(conv + bias[channel] + addend)`.
  ///
  /// `input` holds the images, `channels × height × width` floats each (the kernel applies the
  /// padding); `addend` (optional) is laid out like `output`.
  package static func run(
    _ geometry: Geometry, input: UnsafePointer<Float>, weights: PackedWeights,
    positions: Range<Int>, channelBlocks: Range<Int>, bias: UnsafePointer<Float>?,
    addend: UnsafePointer<Float>?, relu: Bool, output: UnsafeMutablePointer<Float>
  ) {
    precondition(weights.layout == .channelBlocks, "DirectConvolution.run: weights in blocks")
    var shape = geometry.kernelShape
    semrob_conv_run(
      &shape, input, weights.storage, positions.lowerBound, positions.count,
      channelBlocks.lowerBound, channelBlocks.count, bias, addend, relu ? 1 : 0, output)
  }

  /// Computes output rows `rows` (of the flattened images × output height) of a convolution
  /// with horizontal stride 1 or 2 (any vertical stride), every output channel, into NCHW
  /// `output`.
  ///
  /// Tiles of 8 channels × 48 consecutive positions of a row, input read as vectors,
  /// contiguous stores. Suited to wide rows and shallow inputs (a network's first layer),
  /// where one output's depth is too short to hide the per-tile costs of
  /// ``run(_:input:weights:positions:channelBlocks:bias:addend:relu:output:)``.
  package static func runRows(
    _ geometry: Geometry, input: UnsafePointer<Float>, weights: PackedWeights,
    rows: Range<Int>, bias: UnsafePointer<Float>?, addend: UnsafePointer<Float>?,
    relu: Bool, output: UnsafeMutablePointer<Float>
  ) {
    precondition(
      geometry.stride.1 == 1 || geometry.stride.1 == 2,
      "DirectConvolution.runRows: horizontal stride must be 1 or 2, found \(geometry.stride.1)")
    precondition(weights.layout == .rowPanels, "DirectConvolution.runRows: weights in row panels")
    var shape = geometry.kernelShape
    semrob_conv_rows_run(
      &shape, input, weights.storage, rows.lowerBound, rows.count, bias, addend, relu ? 1 : 0,
      output)
  }
}

extension DirectConvolution.Geometry {
  /// The geometry as the C kernels take it.
  fileprivate var kernelShape: semrob_conv_shape {
    semrob_conv_shape(
      channels: channels, height: height, width: width, kernel_h: kernel.0, kernel_w: kernel.1,
      stride_h: stride.0, stride_w: stride.1, dilation_h: dilation.0, dilation_w: dilation.1,
      pad_h: padding.0, pad_w: padding.1, out_h: outputHeight, out_w: outputWidth,
      out_channels: outputChannels)
  }
}
