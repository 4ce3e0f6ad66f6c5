import Dispatch
import Geometry
import NeuralNetworks
import Rendering
import Tensors

/// Labelled images rendered on the fly: example `i` shows shape `i mod shapes` under a fixed
/// draw of a ``PoseDistribution``, so an epoch visits every shape equally often and a batch
/// depends only on its indices (a resumed run sees the same images).
///
/// Images are `size × size` RGB in [0, 1] from the default preset (smooth shading, edge pass,
/// `supersampling`× supersampling) with the draw's view, light, background and colours;
/// batches are `[N, 3, size, size]` Float32, the networks' input layout.
public struct RenderedDataset: TrainingData {
  /// A shape of the set: its renderer (geometry prepared once), label and own colours.
  struct Shape: Sendable {
    var renderer: Renderer<Float>
    var label: Int
    var colours: [SIMD3<Double>]
  }

  let shapes: [Shape]
  /// The number of examples.
  public let count: Int
  /// The distribution the views are drawn from.
  public let distribution: PoseDistribution
  /// The seed of every draw.
  public let seed: UInt64
  /// Threads rendering a batch.
  public let threads: Int

  /// Creates the set.
  ///
  /// - Parameters:
  ///   - shapes: The meshes (ShapeNet-normalised, with their materials) and class labels.
  ///   - count: The number of examples (≥ 1).
  ///   - distribution: Where the views come from.
  ///   - seed: Seeds every example's draw.
  ///   - size: Image side in pixels (default 64).
  ///   - supersampling: Samples per pixel side (default 2).
  ///   - threads: Threads rendering a batch (default 1).
  public init(
    shapes: [(mesh: Mesh, label: Int)], count: Int, distribution: PoseDistribution,
    seed: UInt64, size: Int = 64, supersampling: Int = 2, threads: Int = 1
  ) {
    precondition(!shapes.isEmpty && count >= 1, "RenderedDataset: needs shapes and examples")
    var settings = RenderSettings.default
    settings.size = size
    settings.supersampling = supersampling
    settings.materialColours = true
    self.shapes = shapes.map { mesh, label in
      Shape(
        renderer: Renderer<Float>(scene: SceneMesh(mesh), settings: settings), label: label,
        colours: mesh.materials.map(\.diffuse))
    }
    self.count = count
    self.distribution = distribution
    self.seed = seed
    self.threads = max(1, threads)
  }

  /// The class label of every example.
  public var labels: [Int] { (0..<count).map { shapes[$0 % shapes.count].label } }

  /// Example `i`'s shape index, draw and material colours.
  public func draw(_ i: Int) -> (
    shape: Int, sample: PoseDistribution.Sample, colours: [SIMD3<Double>]
  ) {
    var random = RandomGenerator(seed: seed ^ (UInt64(i) &* 0x9E37_79B9_7F4A_7C15))
    let shape = shapes[i % shapes.count]
    let sample = distribution.sample(&random)
    let grey = 0.75 + 0.25 * random.nextUniform()
    let colours = shape.colours.map { own -> SIMD3<Double> in
      switch sample.paint {
      case .repainted: return Palette.colour(using: &random)
      case .plain: return SIMD3(repeating: grey)
      case .own:
        // Brightness ×[0.75, 1.25] and a little noise per channel.
        let scale = 0.75 + 0.5 * random.nextUniform()
        let noise = SIMD3(random.nextNormal(), random.nextNormal(), random.nextNormal()) * 0.04
        return (own * scale + noise).clamped(lowerBound: .zero, upperBound: SIMD3(repeating: 1))
      }
    }
    return (i % shapes.count, sample, colours)
  }

  /// Example `i`'s image.
  public func image(_ i: Int) -> RenderedImage<Float> {
    let (index, sample, colours) = draw(i)
    let renderer = shapes[index].renderer.restyled(
      background: sample.background, materials: colours)
    let degrees = Double.pi / 180
    var view = SceneView(
      CameraPose(
        azimuthDegrees: sample.azimuth, elevationDegrees: sample.elevation,
        distance: sample.distance), settings: renderer.settings)
    view.fieldOfView = sample.fieldOfView * degrees
    view.lightAzimuth = sample.lightAzimuth * degrees
    view.lightElevation = sample.lightElevation * degrees
    return renderer.render(view)
  }

  /// Renders the examples with the given indices into one `[N, 3, size, size]` batch.
  public func batch(indices: [Int]) -> (inputs: Tensor, labels: [Int]) {
    let size = shapes[0].renderer.settings.size
    let plane = size * size
    var scalars = [Float](repeating: 0, count: indices.count * 3 * plane)
    scalars.withUnsafeMutableBufferPointer { out in
      // Each worker writes only its own examples' planes.
      nonisolated(unsafe) let base = out
      DispatchQueue.concurrentPerform(iterations: min(threads, indices.count)) { worker in
        for k in stride(from: worker, to: indices.count, by: threads) {
          let pixels = image(indices[k]).pixels
          // HWC → CHW.
          for p in 0..<plane {
            for c in 0..<3 { base[(k * 3 + c) * plane + p] = pixels[3 * p + c] }
          }
        }
      }
    }
    return (
      Tensor(shape: [indices.count, 3, size, size], scalars: scalars),
      indices.map { shapes[$0 % shapes.count].label }
    )
  }
}
