import Tensors

/// The convolution kernels: im2col/col2im and the GEMMs, split over semrob's own workers.
///
/// Work division (single-threaded BLAS inside every worker):
/// - forward and backward with at least as many (sample, group) units as workers: each worker
///   takes whole samples, with its own column buffer (and its own weight-gradient accumulator,
///   summed at the end);
/// - fewer units (batch 1): im2col/col2im are split by input channel and the GEMMs by output
///   blocks, so one image still uses every core.
extension ConvolutionGeometry {
  /// Calls `body` for every im2col row of the input channels `channels` (default the group's),
  /// in row order: the row index, the channel, the tap's input-row offset `i·d_h − p_h` (output
  /// row `oh` reads input row `oh·s_h + offset`), the output rows and columns whose tap lies
  /// inside the plane, and the input column the first of those columns reads.
  private func forEachColumnRow(
    channels: Range<Int>?,
    _ body: (
      _ row: Int, _ channel: Int, _ rowOffset: Int, _ rows: Range<Int>, _ columns: Range<Int>,
      _ firstColumn: Int
    ) -> Void
  ) {
    let (kh, kw) = (layer.kernelSize[0], layer.kernelSize[1])
    let (sh, sw) = (layer.stride[0], layer.stride[1])
    let (ph, pw) = (layer.padding[0], layer.padding[1])
    let (dh, dw) = (layer.dilation[0], layer.dilation[1])
    let channelRange = channels ?? 0..<groupInputChannels
    var row = channelRange.lowerBound * kh * kw
    for c in channelRange {
      for i in 0..<kh {
        let rows = Self.validRange(
          offset: i * dh - ph, stride: sh, size: height, outputs: outputHeight)
        for j in 0..<kw {
          let columns = Self.validRange(
            offset: j * dw - pw, stride: sw, size: width, outputs: outputWidth)
          body(row, c, i * dh - ph, rows, columns, columns.lowerBound * sw - pw + j * dw)
          row += 1
        }
      }
    }
  }

  /// Fills rows of `columns` (`[columnRows, positions]`, rows `rowStride` apart, default
  /// `positions`) for the input channels `channels` of the group whose planes start at `source`.
  func im2col<S: EngineScalar>(
    _ source: UnsafePointer<S>, into columns: UnsafeMutablePointer<S>,
    channels: Range<Int>? = nil, rowStride: Int? = nil
  ) {
    let (sh, sw) = (layer.stride[0], layer.stride[1])
    let lineStride = rowStride ?? positions
    forEachColumnRow(channels: channels) { row, c, rowOffset, rows, columnsRange, start in
      let plane = source + c * height * width
      let target = columns + row * lineStride
      for oh in 0..<outputHeight {
        let line = target + oh * outputWidth
        guard rows.contains(oh), !columnsRange.isEmpty else {
          line.update(repeating: 0, count: outputWidth)
          continue
        }
        let inputRow = plane + (oh * sh + rowOffset) * width
        line.update(repeating: 0, count: columnsRange.lowerBound)
        if sw == 1 {
          (line + columnsRange.lowerBound).update(
            from: inputRow + start, count: columnsRange.count)
        } else {
          for (k, ow) in columnsRange.enumerated() { line[ow] = inputRow[start + k * sw] }
        }
        (line + columnsRange.upperBound).update(
          repeating: 0, count: outputWidth - columnsRange.upperBound)
      }
    }
  }

  /// Adds rows of `columns` (`[columnRows, positions]`) for the input channels `channels` back
  /// into the group's planes at `target`.
  func col2im<S: EngineScalar>(
    _ columns: UnsafePointer<S>, addingInto target: UnsafeMutablePointer<S>,
    channels: Range<Int>? = nil
  ) {
    let (sh, sw) = (layer.stride[0], layer.stride[1])
    forEachColumnRow(channels: channels) { row, c, rowOffset, rows, columnsRange, start in
      guard !columnsRange.isEmpty else { return }
      let plane = target + c * height * width
      let source = columns + row * positions
      for oh in rows {
        let line = source + oh * outputWidth
        let inputRow = plane + (oh * sh + rowOffset) * width + start
        for (k, ow) in columnsRange.enumerated() { inputRow[k * sw] += line[ow] }
      }
    }
  }

  /// Bias, fused residual and fused ReLU of one `[C_out/g, positions]` output block.
  private func epilogue<S: EngineScalar>(
    _ block: UnsafeMutablePointer<S>, bias: UnsafePointer<S>?, firstChannel: Int,
    residual: UnsafePointer<S>?
  ) {
    let (cols, coutG) = (positions, groupOutputChannels)
    if let bias {
      for c in 0..<coutG {
        let plane = block + c * cols
        let value = bias[firstChannel + c]
        for p in 0..<cols { plane[p] += value }
      }
    }
    if let residual {
      for i in 0..<(coutG * cols) { block[i] += residual[i] }
    }
    if layer.appliesReLU {
      for i in 0..<(coutG * cols) {
        let value = block[i]
        block[i] = value > 0 ? value : 0
      }
    }
  }

  /// The semrob kernel that runs a Float32 forward pass.
  enum ForwardKernel {
    /// ``DirectConvolution/runRows(_:input:weights:rows:bias:addend:relu:output:)``.
    case rowWise
    /// ``DirectConvolution/run(_:input:weights:positions:channelBlocks:bias:addend:relu:output:)``.
    case direct
    /// ``PackedGEMM`` (with im2col unless pointwise).
    case packedGEMM
  }

  /// Where a Float32 forward pass of `batch` images runs (the one place that decides).
  ///
  /// - The row-wise kernel (8 channels × 3 vectors of 16 positions along the output rows,
  ///   stores without transposition) for wide output rows — 32 columns at stride 1, 16
  ///   at stride 2 — of shallow layers (depth under 64: a network's first convolution; at
  ///   stride 2 the 8-position tiles' stores would outweigh the arithmetic) and of stride-1
  ///   layers of at most 16 output channels (resnet-mini's first stage 5–10% faster end to
  ///   end), and for stride-1 layers whose rows are whole vectors (16, 32, 64, 112, 224
  ///   columns: 1–30% faster than the direct kernel, which transposes its stores, at every
  ///   depth from 27 to 4,608; rows that end in a partial vector waste its lanes), and for 8×8
  ///   planes at stride 1 with "same" padding (two rows per vector, padding taps masked: 0–8%
  ///   faster).
  /// - The packed GEMM for grouped layers, 1×1 kernels and other shallow layers (plain matrix
  ///   products storing along contiguous output rows), except 1×1 kernels over small planes of
  ///   a single image (a 7×7 plane is 49 columns, one 48-column tile and a nearly empty one;
  ///   the direct kernel's 8-position tiles waste less) or of depth up to 256 over planes of at
  ///   most 64 positions (inception-mini's 7×7 modules: packing costs more than their
  ///   arithmetic; 10–20% faster on the direct kernel), and strided layers of depth below 128
  ///   (stems, projection shortcuts of narrow networks), whose im2col copy and shallow GEMM cost
  ///   more than the direct kernel's strided reads.
  /// - The direct convolution for everything else.
  func forwardKernel(batch: Int) -> ForwardKernel {
    guard layer.groups == 1 else { return .packedGEMM }
    let strideOne = layer.stride == [1, 1]
    let wholeVectorRows = strideOne && outputWidth % 16 == 0
    let wideRows =
      (strideOne || layer.stride == [2, 2]) && outputWidth >= (strideOne ? 32 : 16)
      && (columnRows < 64 || (strideOne && layer.outputChannels <= 16))
    let foldedRows = strideOne && outputWidth == 8 && width == 8
    let rowWise = wholeVectorRows || wideRows || foldedRows
    let smallPlanes = batch < Workers.count && positions <= 256 && columnRows >= 64
    let shallowOnSmallPlanes = strideOne && positions <= 64 && columnRows <= 256
    let pointwise =
      layer.kernelSize == [1, 1] && layer.padding == [0, 0] && !smallPlanes
      && !shallowOnSmallPlanes
    let shallowOffRows = columnRows < 64 && !(strideOne && rowWise)
    let shallowStrided = !strideOne && columnRows < 128
    if (pointwise || shallowOffRows) && !shallowStrided { return .packedGEMM }
    return rowWise ? .rowWise : .direct
  }

  /// The layer's output, `relu?(conv(x) + bias + residual?)`, in element type `S`.
  func forward<S: EngineScalar>(
    _: S.Type, _ x: Tensor, weight: Tensor, bias: Tensor?, residual: Tensor?
  ) -> Tensor {
    if S.self == Float.self && PackedGEMM.isEnabled {
      let kernel = forwardKernel(batch: x.shape[0])
      return kernel == .packedGEMM
        ? forwardPacked(x, weight: weight, bias: bias, residual: residual)
        : forwardDirect(
          x, weight: weight, bias: bias, residual: residual, rowWise: kernel == .rowWise)
    }
    let batch = x.shape[0]
    let (cin, cout, groups) = (layer.inputChannels, layer.outputChannels, layer.groups)
    let (rows, cols, cinG, coutG) = (columnRows, positions, groupInputChannels, groupOutputChannels)
    let input = S.elements(of: x)
    let weights = S.elements(of: weight)
    let biasValues = bias.map { S.elements(of: $0) } ?? []
    let residualValues = residual.map { S.elements(of: $0) } ?? []
    let workers = Workers.count
    let units = batch * groups
    let parallelUnits = workers > 1 && units >= workers
    let scratch = ScratchBuffers<S>(
      workers: parallelUnits ? workers : 1, size: isPointwise ? 0 : rows * cols, zeroed: false)
    defer { scratch.deallocate() }
    // Every element is written by the GEMM (β = 0), so the output starts uninitialised.
    let output = ContiguousArray<S>(unsafeUninitializedCapacity: batch * cout * cols) {
      buffer, initialized in
      let yp = buffer.baseAddress!
      input.withPointer { xp in
        weights.withPointer { wp in
          biasValues.withPointer { bp in
            residualValues.withPointer { rp in
              let biasPointer = bias == nil ? nil : bp
              let residualPointer = residual == nil ? nil : rp
              func unit(_ n: Int, _ g: Int, worker: Int, innerWorkers: Int) {
                let planes = xp + (n * cin + g * cinG) * height * width
                let columns = scratch[worker]
                if !isPointwise {
                  Workers.split(cinG, workers: innerWorkers) { _, channels in
                    im2col(planes, into: columns, channels: channels)
                  }
                }
                let block = yp + (n * cout + g * coutG) * cols
                Workers.gemm(
                  transposeA: false, transposeB: false, m: coutG, n: cols, k: rows, alpha: 1,
                  a: wp + g * coutG * rows, lda: rows,
                  b: isPointwise ? planes : UnsafePointer(columns), ldb: cols, beta: 0, c: block,
                  ldc: cols, workers: innerWorkers)
                epilogue(
                  block, bias: biasPointer, firstChannel: g * coutG,
                  residual: residualPointer.map { $0 + (n * cout + g * coutG) * cols })
              }
              if parallelUnits {
                Workers.split(units, workers: workers) { worker, range in
                  for u in range { unit(u / groups, u % groups, worker: worker, innerWorkers: 1) }
                }
              } else {
                for u in 0..<units {
                  unit(u / groups, u % groups, worker: 0, innerWorkers: workers)
                }
              }
            }
          }
        }
      }
      initialized = batch * cout * cols
    }
    return S.makeTensor(shape: [batch, cout, outputHeight, outputWidth], elements: output)
  }

  func backward<S: EngineScalar>(_: S.Type, _ request: BackwardRequest) -> LayerGradients {
    let x = request.inputs[0]
    let batch = x.shape[0]
    let count = request.cotangentCount
    let (cin, cout, groups) = (layer.inputChannels, layer.outputChannels, layer.groups)
    let (rows, cols, cinG, coutG) = (columnRows, positions, groupInputChannels, groupOutputChannels)
    // Float32 input gradients run on semrob's kernels where available (the direct convolution
    // for stride-1 layers, else the packed GEMM and col2im); the loops below then form only
    // the parameter gradients.
    let packedInput =
      request.inputGradientsNeeded[0] && S.self == Float.self && PackedGEMM.isEnabled
    let wantsInput = request.inputGradientsNeeded[0] && !packedInput
    let wantsParameters = request.parameterGradientsNeeded
    let input = S.elements(of: x)
    let weights = S.elements(of: request.parameters[0])
    var dy = S.elements(of: request.outputGradient)
    if layer.appliesReLU {
      // ∂/∂(pre-activation) = ∂y · [y > 0], the output of sample b mod N.
      dy = Elementwise.reluMasked(dy, by: S.elements(of: request.output))
    }
    var packedInputGradient: Tensor?
    if packedInput {
      let floats = unsafeBitCast(dy, to: ContiguousArray<Float>.self)
      packedInputGradient =
        hasDirectInputGradient
        ? inputGradientDirect(floats, weight: request.parameters[0], samples: count * batch)
        : inputGradientPacked(floats, weight: request.parameters[0], samples: count * batch)
    }
    let weightCount = cout * rows
    let workers = Workers.count
    // Samples are the parallel unit (all K cotangents of a sample stay in one worker, which
    // owns that sample's input-gradient slices and its own weight-gradient accumulator).
    let parallelSamples = workers > 1 && batch >= workers
    let lanes = parallelSamples ? workers : 1
    let columns = ScratchBuffers<S>(workers: lanes, size: isPointwise ? 0 : rows * cols)
    let columnGradients = ScratchBuffers<S>(
      workers: lanes, size: isPointwise || !wantsInput ? 0 : rows * cols)
    let weightGradients = ScratchBuffers<S>(
      workers: lanes, size: wantsParameters ? count * weightCount : 0)
    defer {
      columns.deallocate()
      columnGradients.deallocate()
      weightGradients.deallocate()
    }
    var dx = ContiguousArray<S>(repeating: 0, count: wantsInput ? count * input.count : 0)
    input.withPointer { xp in
      weights.withPointer { wp in
        dy.withPointer { gp in
          dx.withMutablePointer { dxp in
            func sample(_ n: Int, lane: Int, innerWorkers: Int) {
              let dwp = weightGradients[lane]
              let cp = columns[lane]
              let dcp = columnGradients[lane]
              for g in 0..<groups {
                let planes = xp + (n * cin + g * cinG) * height * width
                if wantsParameters && !isPointwise {
                  Workers.split(cinG, workers: innerWorkers) { _, channels in
                    im2col(planes, into: cp, channels: channels)
                  }
                }
                let source = isPointwise ? planes : UnsafePointer(cp)
                for k in 0..<count {
                  let b = k * batch + n
                  let gradient = gp + (b * cout + g * coutG) * cols
                  if wantsParameters {
                    // ∂W_g[k] += ∂Y_b,g · colsᵀ.
                    Workers.gemm(
                      transposeA: false, transposeB: true, m: coutG, n: rows, k: cols, alpha: 1,
                      a: gradient, lda: cols, b: source, ldb: cols, beta: 1,
                      c: dwp + k * weightCount + g * coutG * rows, ldc: rows,
                      workers: innerWorkers)
                  }
                  if wantsInput {
                    // ∂cols = W_gᵀ · ∂Y_b,g, scattered back into ∂X_b; split by input channel
                    // so each worker's col2im touches its own planes.
                    let target = dxp + (b * cin + g * cinG) * height * width
                    let kernelArea = rows / cinG
                    Workers.split(cinG, workers: innerWorkers) { _, channels in
                      let first = channels.lowerBound * kernelArea
                      let destination = isPointwise ? target : dcp
                      S.gemm(
                        transposeA: true, transposeB: false, m: channels.count * kernelArea,
                        n: cols, k: coutG, alpha: 1, a: wp + g * coutG * rows + first, lda: rows,
                        b: gradient, ldb: cols, beta: 0, c: destination + first * cols,
                        ldc: cols)
                      if !isPointwise {
                        col2im(UnsafePointer(dcp), addingInto: target, channels: channels)
                      }
                    }
                  }
                }
              }
            }
            if !wantsInput && !wantsParameters {
              return
            } else if parallelSamples {
              Workers.split(batch, workers: workers) { worker, range in
                for n in range { sample(n, lane: worker, innerWorkers: 1) }
              }
            } else {
              for n in 0..<batch { sample(n, lane: 0, innerWorkers: workers) }
            }
          }
        }
      }
    }
    var result = LayerGradients(
      inputs: [
        packedInputGradient
          ?? (wantsInput
            ? S.makeTensor(shape: [count * batch] + x.shape.dropFirst(), elements: dx) : nil)
      ])
    if layer.addsResidual {
      // ∂(conv + r)/∂r = 1: the residual's gradient is the (ReLU-masked) output gradient.
      result.inputs.append(
        request.inputGradientsNeeded[1]
          ? S.makeTensor(shape: request.outputGradient.shape, elements: dy) : nil)
    }
    if wantsParameters {
      // Sum the workers' accumulators in worker order (fixed for a thread count).
      var dw = ContiguousArray<S>(repeating: 0, count: count * weightCount)
      dw.withMutablePointer { target in
        for lane in 0..<lanes {
          let part = weightGradients[lane]
          for i in 0..<(count * weightCount) { target[i] += part[i] }
        }
      }
      result.parameters = [S.makeTensor(shape: [count] + request.parameters[0].shape, elements: dw)]
      if layer.hasBias {
        var db = ContiguousArray<S>(repeating: 0, count: count * cout)
        dy.withPointer { gp in
          for b in 0..<(count * batch) {
            let k = b / batch
            for c in 0..<cout {
              let plane = gp + (b * cout + c) * cols
              var total: S = 0
              for p in 0..<cols { total += plane[p] }
              db[k * cout + c] += total
            }
          }
        }
        result.parameters.append(S.makeTensor(shape: [count, cout], elements: db))
      }
    }
    return result
  }
}
