import Geometry
import Tensors
import Testing

@testable import Rendering

/// The evaluation shapes of a class differ: their silhouettes overlap far less than copies
/// would.
@Suite struct ShapeDiversityTests {
  /// Silhouette masks (one sample per pixel at 64²) of a mesh from four poses.
  static func silhouettes(_ mesh: Mesh) -> [[Bool]] {
    var settings = RenderSettings.default
    settings.size = 64
    settings.supersampling = 1
    let renderer = Renderer<Float>(scene: SceneMesh(mesh), settings: settings)
    return [(30.0, 20.0), (120, 10), (210, 40), (300, 0)].map { pose in
      renderer.framebuffer(CameraPose(azimuthDegrees: pose.0, elevationDegrees: pose.1))
        .triangleIDs.map { $0 >= 0 }
    }
  }

  /// The mean intersection over union of the silhouettes of every pair of `meshes`, over the
  /// four poses.
  static func meanPairwiseIoU(_ meshes: [Mesh]) -> Double {
    let masks = meshes.map(silhouettes)
    var total = 0.0
    var pairs = 0
    for i in masks.indices {
      for j in masks.indices where j > i {
        for (a, b) in zip(masks[i], masks[j]) {
          let both = zip(a, b).filter { $0 && $1 }.count
          let either = zip(a, b).filter { $0 || $1 }.count
          total += Double(both) / Double(max(either, 1))
          pairs += 1
        }
      }
    }
    return total / Double(pairs)
  }

  /// The bound: normalised to the same box, two different shapes of a class still overlap a
  /// lot (measured means 0.35 rifle, 0.37 bench, 0.47 chair, 0.48 aeroplane, 0.53 piano, 0.57
  /// cup, 0.63 bottle, 0.68 vase, 0.72 bathtub, 0.72 toilet); identical shapes give 1.
  static let bound = 0.8

  @Test(
    "per class, the mean pairwise silhouette IoU over four poses is below 0.8",
    arguments: ShapeClass.allCases)
  func diversity(_ shapeClass: ShapeClass) {
    let iou = Self.meanPairwiseIoU(
      ShapeClass.evaluationSeeds.map {
        shapeClass.generate(seed: $0, random: RandomGenerator(seed: $0)).mesh
      })
    #expect(iou < Self.bound, "\(shapeClass): mean pairwise IoU \(iou)")
    #expect(iou > 0.05, "\(shapeClass): silhouettes should overlap somewhat (\(iou))")
  }

  @Test(
    "negative control: copies of one shape, or one shape and its slight rescale, fail the bound")
  func copies() {
    let mesh = ShapeClass.cup.generate(seed: 1, random: RandomGenerator(seed: 1)).mesh
    #expect(Self.meanPairwiseIoU(Array(repeating: mesh, count: 3)) == 1)
    var squashed = mesh
    squashed.positions = mesh.positions.map { $0 * SIMD3(0.97, 1, 0.97) }
    #expect(Self.meanPairwiseIoU([mesh, squashed]) >= Self.bound)
  }
}
