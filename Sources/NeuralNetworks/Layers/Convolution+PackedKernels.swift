import Tensors

/// The Float32 convolution forward pass on semrob's packed AVX-512 GEMM (``PackedGEMM``).
///
/// The weights of each group are packed once per call. Small planes are multiplied several
/// images at a time (their im2col columns side by side, at least ``targetColumns`` columns), so
/// late layers with 4×4 or 7×7 outputs still fill the 48-column register tiles; pointwise
/// convolutions read the input planes directly. Bias and a fused ReLU are applied as the GEMM
/// stores its tiles. Work division: whole images per worker when the batch has at least as
/// many images as workers, otherwise one image at a time with im2col split by input channel
/// and the GEMM by column blocks.
extension ConvolutionGeometry {
  /// Forward pass on ``DirectConvolution`` (ungrouped convolutions): the weights packed once
  /// (cached), output positions or channel blocks split over the workers — or, with `rowWise`,
  /// output rows on the row-wise kernel (see ``forwardKernel(batch:)``).
  func forwardDirect(
    _ x: Tensor, weight: Tensor, bias: Tensor?, residual: Tensor?, rowWise: Bool
  ) -> Tensor {
    let batch = x.shape[0]
    let (cin, cout) = (layer.inputChannels, layer.outputChannels)
    let geometry = DirectConvolution.Geometry(
      channels: cin, height: height, width: width,
      kernel: (layer.kernelSize[0], layer.kernelSize[1]),
      stride: (layer.stride[0], layer.stride[1]),
      dilation: (layer.dilation[0], layer.dilation[1]),
      padding: (layer.padding[0], layer.padding[1]), outputHeight: outputHeight,
      outputWidth: outputWidth, outputChannels: cout)
    if rowWise {
      return forwardRows(
        x.scalars, batch: batch, geometry: geometry, weight: weight, bias: bias,
        residual: residual)
    }
    let weights = layer.packedWeights.packed(for: weight, key: .direct) {
      weight.scalars.withUnsafeBufferPointer {
        DirectConvolution.PackedWeights(
          $0.baseAddress!, outputChannels: cout, depth: geometry.depth)
      }
    }
    let output = Self.directOutput(
      geometry, weights: weights, input: x.scalars, batch: batch, bias: bias?.scalars,
      residual: residual?.scalars, relu: layer.appliesReLU)
    return Tensor(shape: [batch, cout, outputHeight, outputWidth], scalars: output)
  }

  /// The output of ``DirectConvolution`` over `batch` images, `[batch, C_out, H_out, W_out]`
  /// flattened.
  ///
  /// Whole 8-position tiles per worker when there are plenty, else (late layers of one image)
  /// whole output-channel blocks, so the workers share the weights rather than each streaming
  /// all of them. Each worker writes only its own outputs.
  static func directOutput(
    _ geometry: DirectConvolution.Geometry, weights: DirectConvolution.PackedWeights,
    input: ContiguousArray<Float>, batch: Int, bias: ContiguousArray<Float>?,
    residual: ContiguousArray<Float>?, relu: Bool
  ) -> ContiguousArray<Float> {
    let workers = Workers.count
    let positions = geometry.outputHeight * geometry.outputWidth
    let total = batch * positions
    let cout = geometry.outputChannels
    return ContiguousArray<Float>(unsafeUninitializedCapacity: batch * cout * positions) {
      buffer, initialized in
      nonisolated(unsafe) let yp = buffer.baseAddress!
      Self.withOperands(input, residual: residual, bias: bias) { xp, residualPointer, biasPointer in
        let tiles = (total + 7) / 8
        let blocks = DirectConvolution.channelBlockCount(outputChannels: cout)
        if tiles < 8 * workers && blocks >= workers {
          Workers.split(blocks, workers: workers) { _, range in
            DirectConvolution.run(
              geometry, input: xp, weights: weights, positions: 0..<total, channelBlocks: range,
              bias: biasPointer, addend: residualPointer, relu: relu, output: yp)
          }
        } else {
          Workers.split(tiles, workers: workers) { _, range in
            let positions = (range.lowerBound * 8)..<min(total, range.upperBound * 8)
            DirectConvolution.run(
              geometry, input: xp, weights: weights, positions: positions,
              channelBlocks: 0..<blocks, bias: biasPointer, addend: residualPointer, relu: relu,
              output: yp)
          }
        }
      }
      initialized = batch * cout * positions
    }
  }

  /// Forward pass on the row-wise direct kernel, output rows split over the workers.
  private func forwardRows(
    _ input: ContiguousArray<Float>, batch: Int, geometry: DirectConvolution.Geometry,
    weight: Tensor, bias: Tensor?, residual: Tensor?
  ) -> Tensor {
    let cout = layer.outputChannels
    let weights = layer.packedWeights.packed(for: weight, key: .rows) {
      weight.scalars.withUnsafeBufferPointer {
        DirectConvolution.PackedWeights(
          $0.baseAddress!, outputChannels: cout, depth: geometry.depth, layout: .rowPanels)
      }
    }
    let (bias, residual) = (bias?.scalars, residual?.scalars)
    let relu = layer.appliesReLU
    let output = ContiguousArray<Float>(unsafeUninitializedCapacity: batch * cout * positions) {
      buffer, initialized in
      nonisolated(unsafe) let yp = buffer.baseAddress!
      Self.withOperands(input, residual: residual, bias: bias) { xp, residualPointer, biasPointer in
        // Each worker writes only its own output rows.
        Workers.split(batch * outputHeight, workers: Workers.count) { _, rows in
          DirectConvolution.runRows(
            geometry, input: xp, weights: weights, rows: rows, bias: biasPointer,
            addend: residualPointer, relu: relu, output: yp)
        }
      }
      initialized = batch * cout * positions
    }
    return Tensor(shape: [batch, cout, outputHeight, outputWidth], scalars: output)
  }

  /// Each group's weights `W_g` (`[C_out/g, C_in/g·kH·kW]`) as the packed GEMM's left matrix,
  /// or `W_gᵀ` when `transposed` (input gradients); cached while the weights are unchanged.
  func packedGroupWeights(_ weight: Tensor, transposed: Bool) -> [PackedGEMM.PackedMatrix] {
    let (rows, coutG) = (columnRows, groupOutputChannels)
    return layer.packedWeights.packed(for: weight, key: transposed ? .transposedGEMM : .gemm) {
      weight.scalars.withUnsafeBufferPointer { w in
        (0..<layer.groups).map { g in
          PackedGEMM.PackedMatrix(
            w.baseAddress! + g * coutG * rows, transposed: transposed,
            rows: transposed ? rows : coutG, depth: transposed ? coutG : rows, lda: rows)
        }
      }
    }
  }

  /// Runs `body` with pointers to the input and to the optional residual and bias (`nil` when
  /// absent), valid only during the call.
  static func withOperands<R>(
    _ input: ContiguousArray<Float>, residual: ContiguousArray<Float>?,
    bias: ContiguousArray<Float>?,
    _ body: (UnsafePointer<Float>, UnsafePointer<Float>?, UnsafePointer<Float>?) -> R
  ) -> R {
    input.withPointer { xp in
      (residual ?? []).withPointer { rp in
        (bias ?? []).withPointer { bp in
          body(xp, residual == nil ? nil : rp, bias == nil ? nil : bp)
        }
      }
    }
  }

  /// The number of columns one GEMM should span when planes are small.
  static var targetColumns: Int { 384 }

  /// The most floats one worker's column buffer holds when it batches images.
  static var columnBufferLimit: Int { 1 << 20 }

  func forwardPacked(_ x: Tensor, weight: Tensor, bias: Tensor?, residual: Tensor?) -> Tensor {
    let batch = x.shape[0]
    let (cin, cout, groups) = (layer.inputChannels, layer.outputChannels, layer.groups)
    let (rows, cols, cinG, coutG) = (columnRows, positions, groupInputChannels, groupOutputChannels)
    let input = x.scalars
    let (bias, residual) = (bias?.scalars, residual?.scalars)
    let relu = layer.appliesReLU
    let packed = packedGroupWeights(weight, transposed: false)
    let workers = Workers.count
    let imagesPerWorker = batch >= workers
    var chunk = max(1, (Self.targetColumns + cols - 1) / cols)
    if !isPointwise { chunk = max(1, min(chunk, Self.columnBufferLimit / max(1, rows * cols))) }
    if !imagesPerWorker { chunk = 1 }
    let lanes = imagesPerWorker ? workers : 1
    let columnBuffers = ScratchBuffers<Float>(
      workers: lanes, size: isPointwise ? 0 : rows * cols * chunk, zeroed: false)
    let workspaces = ScratchBuffers<Float>(
      workers: workers,
      size: PackedGEMM.workspaceCount(columns: cols * chunk, depth: rows), zeroed: false)
    defer {
      columnBuffers.deallocate()
      workspaces.deallocate()
    }
    let output = ContiguousArray<Float>(unsafeUninitializedCapacity: batch * cout * cols) {
      buffer, initialized in
      nonisolated(unsafe) let yp = buffer.baseAddress!
      Self.withOperands(input, residual: residual, bias: bias) { xp, residualPointer, biasPointer in
        /// Images `first ..< first + count` of group `g` in one GEMM on `lane`'s buffers.
        func images(_ first: Int, _ count: Int, group g: Int, lane: Int) {
          let b: UnsafePointer<Float>
          let map: PackedGEMM.ColumnMap
          if isPointwise {
            b = xp + (first * cin + g * cinG) * cols
            map = .init(
              columnsPerImage: cols, imageStrideB: cin * cols, imageStrideC: cout * cols)
          } else {
            let columns = columnBuffers[lane]
            for i in 0..<count {
              im2col(
                xp + ((first + i) * cin + g * cinG) * height * width, into: columns + i * cols,
                rowStride: count * cols)
            }
            b = UnsafePointer(columns)
            map = .init(columnsPerImage: cols, imageStrideB: cols, imageStrideC: cout * cols)
          }
          PackedGEMM.multiply(
            packed[g], b: b, ldb: isPointwise ? cols : count * cols, columns: count * cols,
            c: yp + (first * cout + g * coutG) * cols, ldc: cols, columnMap: map,
            bias: biasPointer.map { $0 + g * coutG },
            addend: residualPointer.map { $0 + (first * cout + g * coutG) * cols }, relu: relu,
            workspace: workspaces[lane])
        }
        if imagesPerWorker {
          Workers.split(batch, workers: workers) { worker, range in
            var first = range.lowerBound
            while first < range.upperBound {
              let count = min(chunk, range.upperBound - first)
              for g in 0..<groups { images(first, count, group: g, lane: worker) }
              first += count
            }
          }
          return
        }
        // One image at a time over every worker: im2col by input channel, then the GEMM by
        // blocks of whole 48-column tiles, or by bands of output channels when the plane is
        // too small to give every worker several tiles.
        let tiles = (cols + 47) / 48
        let panels = (coutG + PackedGEMM.rowPanel - 1) / PackedGEMM.rowPanel
        let byRows = tiles < 2 * workers && panels >= 2 * workers
        for n in 0..<batch {
          for g in 0..<groups {
            let planes = xp + (n * cin + g * cinG) * height * width
            let columns = columnBuffers[0]
            if !isPointwise {
              Workers.split(cinG, workers: workers) { _, channels in
                im2col(planes, into: columns, channels: channels)
              }
            }
            let b = isPointwise ? planes : UnsafePointer(columns)
            let block = yp + (n * cout + g * coutG) * cols
            if byRows {
              Workers.split(panels, workers: workers) { worker, range in
                let first = range.lowerBound * PackedGEMM.rowPanel
                let band = first..<min(coutG, range.upperBound * PackedGEMM.rowPanel)
                PackedGEMM.multiply(
                  packed[g], rows: band, b: b, ldb: cols, columns: cols,
                  c: block + band.lowerBound * cols, ldc: cols,
                  bias: biasPointer.map { $0 + g * coutG + band.lowerBound },
                  addend: residualPointer.map {
                    $0 + (n * cout + g * coutG + band.lowerBound) * cols
                  }, relu: relu, workspace: workspaces[worker])
              }
              continue
            }
            Workers.split(tiles, workers: workers) { worker, range in
              let start = range.lowerBound * 48
              let end = min(cols, range.upperBound * 48)
              PackedGEMM.multiply(
                packed[g], b: b + start, ldb: cols, columns: end - start, c: block + start,
                ldc: cols, bias: biasPointer.map { $0 + g * coutG },
                addend: residualPointer.map { $0 + (n * cout + g * coutG) * cols + start },
                relu: relu, workspace: workspaces[worker])
            }
          }
        }
      }
      initialized = batch * cout * cols
    }
    return Tensor(shape: [batch, cout, outputHeight, outputWidth], scalars: output)
  }

  /// Whether the input gradient is a direct convolution of the output gradient: ungrouped,
  /// stride 1, dilation 1, not pointwise, padding at most kernel − 1.
  var hasDirectInputGradient: Bool {
    layer.groups == 1 && layer.stride == [1, 1] && layer.dilation == [1, 1] && !isPointwise
      && layer.padding[0] < layer.kernelSize[0] && layer.padding[1] < layer.kernelSize[1]
  }

  /// `∂X` of a stride-1 convolution as the direct convolution of `∂Y` (padded by kernel − 1 −
  /// padding) with the weights' channels swapped and kernel rotated by 180°:
  /// `∂X[c][y][x] = Σ_{o,i,j} ∂Y[o][y + p − i][x + p − j] · W[o][c][i][j]`.
  ///
  /// - Parameters:
  ///   - dy: `[samples, C_out, H_out, W_out]` flattened.
  ///   - weight: The layer's weights `[C_out, C_in, kH, kW]`.
  ///   - samples: Samples (cotangents × images) in `dy`.
  /// - Returns: `[samples, C_in, H, W]`.
  func inputGradientDirect(_ dy: ContiguousArray<Float>, weight: Tensor, samples: Int) -> Tensor {
    precondition(hasDirectInputGradient, "inputGradientDirect: needs an ungrouped stride-1 layer")
    let (cin, cout) = (layer.inputChannels, layer.outputChannels)
    let (kh, kw) = (layer.kernelSize[0], layer.kernelSize[1])
    let geometry = DirectConvolution.Geometry(
      channels: cout, height: outputHeight, width: outputWidth, kernel: (kh, kw),
      stride: (1, 1), dilation: (1, 1),
      padding: (kh - 1 - layer.padding[0], kw - 1 - layer.padding[1]), outputHeight: height,
      outputWidth: width, outputChannels: cin)
    let weights = layer.packedWeights.packed(for: weight, key: .flippedDirect) {
      // W'[c][o][i][j] = W[o][c][kh − 1 − i][kw − 1 − j].
      var flipped = [Float](repeating: 0, count: cin * cout * kh * kw)
      weight.scalars.withUnsafeBufferPointer { w in
        for o in 0..<cout {
          for c in 0..<cin {
            for i in 0..<kh {
              for j in 0..<kw {
                flipped[((c * cout + o) * kh + i) * kw + j] =
                  w[((o * cin + c) * kh + kh - 1 - i) * kw + kw - 1 - j]
              }
            }
          }
        }
      }
      return flipped.withUnsafeBufferPointer {
        DirectConvolution.PackedWeights(
          $0.baseAddress!, outputChannels: cin, depth: geometry.depth)
      }
    }
    let dx = Self.directOutput(
      geometry, weights: weights, input: dy, batch: samples, bias: nil, residual: nil,
      relu: false)
    return Tensor(shape: [samples, cin, height, width], scalars: dx)
  }

  /// The input gradient `∂X` (`[samples, C_in, H, W]`) on the packed GEMM.
  ///
  /// `dy` holds the output cotangents (`[samples, C_out, H_out, W_out]`, already masked by a
  /// fused ReLU). `∂cols = W_gᵀ · ∂Y` with `W_gᵀ` packed once (cached), then col2im; pointwise
  /// layers write `∂X` directly, all samples side by side through a column map.
  func inputGradientPacked(_ dy: ContiguousArray<Float>, weight: Tensor, samples: Int) -> Tensor {
    let (cin, cout, groups) = (layer.inputChannels, layer.outputChannels, layer.groups)
    let (rows, cols, cinG, coutG) = (columnRows, positions, groupInputChannels, groupOutputChannels)
    let planeSize = height * width
    let transposed = packedGroupWeights(weight, transposed: true)
    let workers = Workers.count
    let bySamples = workers > 1 && samples >= workers
    let lanes = bySamples ? workers : 1
    let columnGradients = ScratchBuffers<Float>(
      workers: lanes, size: isPointwise ? 0 : rows * cols, zeroed: false)
    let workspaces = ScratchBuffers<Float>(
      workers: workers,
      size: PackedGEMM.workspaceCount(columns: isPointwise ? samples * cols : cols, depth: coutG),
      zeroed: false)
    defer {
      columnGradients.deallocate()
      workspaces.deallocate()
    }
    // col2im adds into ∂X, zeroed; pointwise products overwrite it, so it is left unset.
    let count = samples * cin * planeSize
    var dx =
      isPointwise
      ? ContiguousArray<Float>(unsafeUninitializedCapacity: count) { $1 = count }
      : ContiguousArray<Float>(repeating: 0, count: count)
    dy.withPointer { gp in
      dx.withMutablePointer { dxp in
        nonisolated(unsafe) let target = dxp
        if isPointwise && bySamples {
          Workers.split(samples, workers: workers) { worker, range in
            for g in 0..<groups {
              PackedGEMM.multiply(
                transposed[g], b: gp + (range.lowerBound * cout + g * coutG) * cols, ldb: cols,
                columns: range.count * cols,
                c: target + (range.lowerBound * cin + g * cinG) * cols, ldc: cols,
                columnMap: .init(
                  columnsPerImage: cols, imageStrideB: cout * cols, imageStrideC: cin * cols),
                workspace: workspaces[worker])
            }
          }
          return
        }
        /// Sample `b`, group `g`: the product on `innerWorkers` (column blocks), then col2im
        /// split by input channel.
        /// Pointwise products write ∂X's planes directly.
        func sample(_ b: Int, _ g: Int, lane: Int, innerWorkers: Int) {
          let planes = target + (b * cin + g * cinG) * planeSize
          let columns = isPointwise ? planes : columnGradients[lane]
          let gradient = gp + (b * cout + g * coutG) * cols
          let tiles = (cols + 47) / 48
          Workers.split(tiles, workers: innerWorkers) { worker, range in
            let start = range.lowerBound * 48
            let end = min(cols, range.upperBound * 48)
            PackedGEMM.multiply(
              transposed[g], b: gradient + start, ldb: cols, columns: end - start,
              c: columns + start, ldc: cols, workspace: workspaces[bySamples ? lane : worker])
          }
          if isPointwise { return }
          Workers.split(cinG, workers: innerWorkers) { _, channels in
            col2im(UnsafePointer(columns), addingInto: planes, channels: channels)
          }
        }
        if bySamples {
          Workers.split(samples, workers: workers) { worker, range in
            for b in range {
              for g in 0..<groups { sample(b, g, lane: worker, innerWorkers: 1) }
            }
          }
        } else {
          for b in 0..<samples {
            for g in 0..<groups { sample(b, g, lane: 0, innerWorkers: workers) }
          }
        }
      }
    }
    return Tensor(shape: [samples, cin, height, width], scalars: dx)
  }
}
