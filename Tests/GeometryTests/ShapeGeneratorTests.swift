import Foundation
import Tensors
import Testing

@testable import Geometry

/// The ten class generators over the evaluation seeds: deterministic, valid, normalised.
@Suite struct ShapeGeneratorTests {
  @Test("the same class and seed give the same mesh, bit for bit; other seeds differ")
  func determinism() {
    for shapeClass in ShapeClass.allCases {
      let a = shapeClass.generate(seed: 3, random: RandomGenerator(seed: 3))
      let b = shapeClass.generate(seed: 3, random: RandomGenerator(seed: 3))
      #expect(a.mesh == b.mesh, "\(shapeClass)")
      #expect(a.parameters == b.parameters, "\(shapeClass)")
      #expect(
        shapeClass.generate(seed: 4, random: RandomGenerator(seed: 4)).mesh != a.mesh,
        "\(shapeClass)")
    }
  }

  @Test(
    "every evaluation shape is valid: closed outward parts, no degenerate or duplicate faces, 500–10,000 triangles, coloured",
    arguments: ShapeClass.allCases)
  func validity(_ shapeClass: ShapeClass) throws {
    try Self.checkValid(shapeClass, seeds: Array(ShapeClass.evaluationSeeds))
  }

  @Test(
    "training shapes (seeds 1000–1039) are valid too", arguments: ShapeClass.allCases)
  func trainingValidity(_ shapeClass: ShapeClass) throws {
    try Self.checkValid(shapeClass, seeds: Array(1000...1039))
  }

  static func checkValid(_ shapeClass: ShapeClass, seeds: [UInt64]) throws {
    for seed in seeds {
      let shape = shapeClass.generate(seed: seed, random: RandomGenerator(seed: seed))
      let name = "\(shapeClass) seed \(seed)"
      let mesh = shape.mesh
      #expect((500...10_000).contains(mesh.triangleCount), "\(name): \(mesh.triangleCount)")
      let (clean, report) = try mesh.validated()
      #expect(report.degenerateTrianglesDropped == 0 && report.unreferencedVertices == 0, "\(name)")
      #expect(clean == mesh, "\(name)")
      for (k, part) in shape.parts.enumerated() {
        #expect(part.isClosed, "\(name) part \(k) is not closed")
        #expect(part.signedVolume > 0, "\(name) part \(k) faces inwards")
        #expect(PartTests.nonDegenerate(part), "\(name) part \(k) has a degenerate triangle")
      }
      // No two faces on the same three positions.
      var seen = Set<[SIMD3<Double>]>()
      for t in mesh.triangles {
        let corners = [t.x, t.y, t.z].map { mesh.positions[Int($0)] }.sorted {
          ($0.x, $0.y, $0.z) < ($1.x, $1.y, $1.z)
        }
        #expect(seen.insert(corners).inserted, "\(name): duplicate face")
      }
      #expect(!mesh.materials.isEmpty && mesh.faceMaterials?.count == mesh.triangleCount)
      #expect(Set(mesh.materials.map(\.name)).count == mesh.materials.count, "\(name)")
      #expect(!shape.parameters.isEmpty)
    }
  }

  @Test("shapes are normalised like ShapeNet: centred, longest side spanning [-1, 1]")
  func normalisation() {
    for shapeClass in ShapeClass.allCases {
      for seed in [UInt64(1), 7] {
        let mesh = shapeClass.generate(seed: seed, random: RandomGenerator(seed: seed)).mesh
        let low = mesh.positions.reduce(SIMD3(repeating: Double.infinity)) { pointwiseMin($0, $1) }
        let high = mesh.positions.reduce(SIMD3(repeating: -Double.infinity)) {
          pointwiseMax($0, $1)
        }
        #expect(length(low + high) < 1e-9, "\(shapeClass) \(seed): centre \((low + high) / 2)")
        #expect(abs((high - low).max() - 2) < 1e-9, "\(shapeClass) \(seed): extent \(high - low)")
      }
    }
  }

  @Test("names and seeds: chair01 … chair10, training seeds disjoint from evaluation seeds")
  func naming() {
    #expect(ShapeClass.chair.evaluationName(seed: 1) == "chair01")
    #expect(ShapeClass.toilet.evaluationName(seed: 10) == "toilet10")
    #expect(!ShapeClass.trainingSeeds.contains(ShapeClass.evaluationSeeds.upperBound))
    #expect(ShapeClass.allCases.count == 10)
  }
}
