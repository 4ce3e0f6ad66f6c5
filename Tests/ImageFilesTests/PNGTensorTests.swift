import Foundation
import TestSupport
import Testing

@testable import ImageFiles
@testable import Tensors

@Suite struct PNGTensorTests {
  @Test("quantize clamps, rounds to nearest and maps NaN to 0")
  func quantize() {
    let cases: [(Float, UInt8)] = [
      (0, 0), (1, 255), (-0.5, 0), (1.5, 255), (.nan, 0), (.infinity, 255), (-.infinity, 0),
      (0.5, 128), (0.5 / 255, 1), (0.49 / 255, 0), (254.5 / 255, 255), (100 / 255, 100),
    ]
    for (value, level) in cases {
      #expect(PNGImage.quantize(value) == level, "\(value)")
    }
  }

  @Test("every 8-bit level survives Tensor → PNGImage → Tensor")
  func levelsRoundTrip() {
    let levels = (0...255).map(UInt8.init)
    let image = PNGImage(width: 256, height: 1, channels: 1, pixels: levels)
    let tensor = Tensor(image)
    #expect(tensor.shape == [1, 256, 1])
    #expect(PNGImage(tensor) == image)
  }

  @Test("HWC tensors with 1, 3 and 4 channels, and HW gray tensors", arguments: [1, 3, 4])
  func tensorShapes(channels: Int) throws {
    let (height, width) = (3, 5)
    var rng = RandomGenerator(seed: UInt64(channels))
    let values = (0..<(height * width * channels)).map { _ in Float(rng.nextUniform()) }
    let tensor = Tensor(shape: [height, width, channels], scalars: values)
    let image = PNGImage(tensor)
    #expect(image.width == width && image.height == height && image.channels == channels)
    #expect(
      image[pixelAt: (x: 4, y: 2), channel: channels - 1]
        == PNGImage.quantize(Float(tensor[2, 4, channels - 1])))
    let decoded = Tensor(try PNGImage(data: image.encoded()))
    // 8-bit quantisation: at most half a level from the input.
    expectClose(decoded, tensor, tolerance: Tolerance(relative: 0, absolute: 0.5 / 255 + 1e-7))
    // Negative control: a one-level shift of one element must fail the same check.
    var shifted = decoded
    shifted[0, 0, 0] += 1 / 255
    #expect(
      closenessFailure(
        shifted, tensor, tolerance: Tolerance(relative: 0, absolute: 0.5 / 255 + 1e-7))
        != nil)

    let gray = Tensor(shape: [height, width], scalars: values.prefix(height * width))
    let grayImage = PNGImage(gray)
    #expect(grayImage.channels == 1)
    #expect(Tensor(grayImage).shape == [height, width, 1])
  }

  @Test("a tensor of the wrong shape is a programmer error")
  func wrongShape() async {
    await #expect(processExitsWith: .failure) {
      _ = PNGImage(Tensor(zeros: [2, 2, 2]))
    }
    await #expect(processExitsWith: .failure) {
      _ = PNGImage(Tensor(zeros: [0, 2, 3]))
    }
  }
}

extension PNGImage {
  fileprivate subscript(pixelAt point: (x: Int, y: Int), channel channel: Int) -> UInt8 {
    pixels[(point.y * width + point.x) * channels + channel]
  }
}
