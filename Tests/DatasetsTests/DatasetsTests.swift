import Foundation
import Geometry
import NeuralNetworks
import Rendering
import Tensors
import Testing

@testable import Datasets

/// The biased pose distribution, the rendered training set and the shape split.
@Suite struct DatasetsTests {
  @Test("the density integrates to one over the semantic range, for both distributions")
  func densityIntegrates() {
    for distribution in [PoseDistribution.training, .uniform] {
      var total = 0.0
      for a in stride(from: 0.25, to: 360, by: 0.5) {
        for e in stride(from: -9.75, to: 89, by: 0.5) {
          total += distribution.density(azimuth: a, elevation: e) * 0.25
        }
      }
      #expect(abs(total - 1) < 2e-3, "integral \(total)")
    }
    #expect(
      abs(PoseDistribution.uniform.density(azimuth: 10, elevation: 5) - 1 / (360 * 99)) < 1e-15)
    #expect(PoseDistribution.training.density(azimuth: 10, elevation: 95) == 0)
  }

  @Test("samples follow the density (marginal histograms within 0.4 percentage points)")
  func samplesMatchDensity() {
    let distribution = PoseDistribution.training
    var random = RandomGenerator(seed: 11)
    let n = 100_000
    var azimuthBins = [Double](repeating: 0, count: 36)
    var elevationBins = [Double](repeating: 0, count: 11)
    for _ in 0..<n {
      let s = distribution.sample(&random)
      #expect(
        (0..<360).contains(s.azimuth) && PoseDistribution.elevationRange.contains(s.elevation))
      azimuthBins[Int(s.azimuth / 10)] += 1 / Double(n)
      elevationBins[min(10, Int((s.elevation + 10) / 9))] += 1 / Double(n)
    }
    // The density's mass in each bin, by the midpoint rule on a 0.5° grid.
    var azimuthMass = [Double](repeating: 0, count: 36)
    var elevationMass = [Double](repeating: 0, count: 11)
    for a in stride(from: 0.25, to: 360, by: 0.5) {
      for e in stride(from: -9.75, to: 89, by: 0.5) {
        let m = distribution.density(azimuth: a, elevation: e) * 0.25
        azimuthMass[Int(a / 10)] += m
        elevationMass[min(10, Int((e + 10) / 9))] += m
      }
    }
    for (k, (p, q)) in zip(azimuthBins, azimuthMass).enumerated() {
      #expect(abs(p - q) < 0.004, "azimuth bin \(k): sampled \(p), density \(q)")
    }
    for (k, (p, q)) in zip(elevationBins, elevationMass).enumerated() {
      #expect(abs(p - q) < 0.004, "elevation bin \(k): sampled \(p), density \(q)")
    }
    // The bias: front and three-quarter views common, rear and below-horizon views rare.
    let front = azimuthBins[0..<6].reduce(0, +) + azimuthBins[30..<36].reduce(0, +)
    let rear = azimuthBins[15..<21].reduce(0, +)
    #expect(front > 0.6 && rear < 0.1, "front \(front), rear \(rear)")
    #expect(elevationBins[0] < 0.07)
  }

  static func tinySet(count: Int = 12, seed: UInt64 = 3) -> RenderedDataset {
    let shapes = [(ShapeClass.cup, UInt64(1000)), (.chair, 1001), (.bottle, 1002)].map {
      c, s in
      (
        mesh: c.generate(seed: s, random: RandomGenerator(seed: s)).mesh,
        label: ShapeClass.allCases.firstIndex(of: c)!
      )
    }
    return RenderedDataset(
      shapes: shapes, count: count, distribution: .training, seed: seed, size: 32,
      supersampling: 1, threads: 2)
  }

  @Test("a batch depends only on its indices; labels cycle through the shapes; pixels in [0, 1]")
  func batches() {
    let data = Self.tinySet()
    let (a, labels) = data.batch(indices: [4, 7, 0])
    #expect(a.shape == [3, 3, 32, 32])
    #expect(
      labels == [
        ShapeClass.allCases.firstIndex(of: .chair)!, ShapeClass.allCases.firstIndex(of: .chair)!,
        ShapeClass.allCases.firstIndex(of: .cup)!,
      ])
    let x = Array(a.scalars)
    #expect(x.allSatisfy { $0 >= 0 && $0 <= 1 })
    let y = Array(data.batch(indices: [0, 9, 4]).inputs.scalars)
    let plane = 3 * 32 * 32
    #expect(x[0..<plane] == y[(2 * plane)..<(3 * plane)], "example 4")
    #expect(x[(2 * plane)...] == y[0..<plane], "example 0")
    // Another seed draws other views; two examples of one shape differ.
    let other = Array(Self.tinySet(seed: 4).batch(indices: [4]).inputs.scalars)
    #expect(other[...] != x[0..<plane])
    #expect(x[0..<plane] != x[plane..<(2 * plane)])
  }

  @Test("draws keep, repaint or grey the colours; backgrounds are black or a colour")
  func styling() {
    let data = Self.tinySet(count: 400)
    var counts: [PoseDistribution.Paint: Int] = [:]
    var black = 0
    for i in 0..<400 {
      let (_, sample, colours) = data.draw(i)
      counts[sample.paint, default: 0] += 1
      if sample.background == .zero { black += 1 }
      #expect(colours.allSatisfy { $0.min() >= 0 && $0.max() <= 1 })
      if sample.paint == .plain { #expect(colours.allSatisfy { $0 == colours[0] && $0.x == $0.y }) }
    }
    // Expected 180 / 160 / 60 and 140 black, ±4 standard deviations.
    #expect((140...220).contains(counts[.own] ?? 0), "\(counts)")
    #expect((120...200).contains(counts[.repainted] ?? 0), "\(counts)")
    #expect((30...90).contains(counts[.plain] ?? 0), "\(counts)")
    #expect((100...180).contains(black), "black \(black)")
  }

  @Test("training seeds are split by shape and never evaluation seeds")
  func split() {
    let (training, validation) = TrainingShapes.split(perClass: 10, validation: 2)
    #expect(training.count == 80 && validation.count == 20)
    #expect(Set(training).isDisjoint(with: Set(validation)))
    #expect((training + validation).allSatisfy { !ShapeClass.evaluationSeeds.contains($0.seed) })
    #expect(training.first?.label == 0 && validation.last?.label == 9)
  }
}
