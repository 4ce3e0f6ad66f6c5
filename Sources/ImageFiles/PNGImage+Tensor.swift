public import Tensors

extension PNGImage {
  /// Quantises a value in [0, 1] to 8 bits: clamp, then `UInt8((v · 255).rounded())`.
  ///
  /// Rounding is to nearest with ties away from zero, NaN maps to 0, values below 0 to 0 and
  /// above 1 to 255. Decoding with `v = byte / 255` then re-encoding returns the same byte.
  ///
  /// - Parameter value: A pixel value, nominally in [0, 1].
  /// - Returns: The 8-bit level 0…255.
  public static func quantize(_ value: Float) -> UInt8 {
    if value.isNaN { return 0 }
    return UInt8((min(max(value, 0), 1) * 255).rounded())
  }

  /// Creates an 8-bit image from a tensor with values in [0, 1].
  ///
  /// Each value is converted with ``quantize(_:)``: clamped to [0, 1], scaled by 255 and
  /// rounded to nearest; NaN becomes 0. The values are written as they are, so they should
  /// already be sRGB-encoded (as the renderer's output is).
  ///
  /// - Parameter tensor: Shape `[H, W, C]` with C ∈ {1, 3, 4} (gray, RGB, RGBA), or `[H, W]`
  ///   for gray; row 0 at the top; H, W ≥ 1.
  /// - Complexity: O(H · W · C).
  public init(_ tensor: Tensor) {
    let shape = tensor.shape
    precondition(
      (shape.count == 2 || (shape.count == 3 && [1, 3, 4].contains(shape[2])))
        && shape[0] >= 1 && shape[1] >= 1,
      "PNGImage(Tensor): shape \(shape) is not [H, W] or [H, W, C] with C in 1, 3, 4")
    self.init(
      width: shape[1], height: shape[0], channels: shape.count == 2 ? 1 : shape[2],
      pixels: tensor.scalars.map(Self.quantize))
  }
}

extension Tensor {
  /// Creates a tensor of shape `[H, W, C]` from an image, with values `byte / 255` in [0, 1].
  ///
  /// C is the image's channel count (1, 3 or 4), row 0 is the top row, and the values keep the
  /// file's sRGB encoding (no linearisation). `PNGImage(Tensor(image)) == image` for every
  /// image.
  ///
  /// - Parameter image: An 8-bit image.
  /// - Complexity: O(H · W · C).
  public init(_ image: PNGImage) {
    self.init(
      shape: [image.height, image.width, image.channels],
      // An array, not a lazy map, which the cross-module generic initialiser would read
      // element by element through unspecialised code.
      scalars: ContiguousArray(image.pixels.map { Float($0) / 255 }))
  }
}
