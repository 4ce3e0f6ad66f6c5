import Foundation
import Testing

@testable import Plotting

/// The shipped colormaps against matplotlib's published values.
@Suite struct ColormapTests {
  /// The largest channel difference between two colours.
  static func difference(_ a: SIMD3<Float>, _ b: SIMD3<Float>) -> Float {
    let d = a - b
    return max(abs(d.x), abs(d.y), abs(d.z))
  }

  /// An 8-bit colour as sRGB in [0, 1].
  static func bytes(_ r: Float, _ g: Float, _ b: Float) -> SIMD3<Float> { SIMD3(r, g, b) / 255 }

  @Test("red-blue is ColorBrewer's RdBu: dark red at 0, near-white at 0.5, dark blue at 1")
  func redBlueAnchors() {
    let map = Colormap.redBlue
    #expect(Self.difference(map.colour(0), Self.bytes(103, 0, 31)) < 1e-6)
    #expect(Self.difference(map.colour(0.5), Self.bytes(247, 247, 247)) < 1e-6)
    #expect(Self.difference(map.colour(1), Self.bytes(5, 48, 97)) < 1e-6)
    #expect(Self.difference(map.colour(0.1), Self.bytes(178, 24, 43)) < 1e-6)
    #expect(Self.difference(map.colour(0.8), Self.bytes(67, 147, 195)) < 1e-6)
    // Between anchors: matplotlib's lookup-table entries 64 and 192 of 256, which it computes
    // at x = 64/255 and 192/255 (and uses for RdBu(0.25) and RdBu(0.75)).
    #expect(Self.difference(map.colour(64 / 255), Self.bytes(229.294, 131.176, 104.020)) < 1e-4)
    #expect(Self.difference(map.colour(192 / 255), Self.bytes(104.176, 170.529, 207.706)) < 1e-4)
    // Negative controls: the reversed map, and t = 0.75 itself, fail those checks.
    #expect(Self.difference(map.reversed().colour(0), Self.bytes(103, 0, 31)) > 0.3)
    #expect(Self.difference(map.colour(0.75), Self.bytes(104.176, 170.529, 207.706)) > 1e-3)
  }

  @Test("viridis matches matplotlib's 256-entry table within 1/255, off its anchors too")
  func viridisTable() {
    // matplotlib's _viridis_data[i], at t = i / 255; most are between this map's anchors.
    let table: [(Int, SIMD3<Float>)] = [
      (0, SIMD3(0.267004, 0.004874, 0.329415)),
      (2, SIMD3(0.269944, 0.014625, 0.341379)),
      (33, SIMD3(0.278012, 0.180367, 0.486697)),
      (64, SIMD3(0.229739, 0.322361, 0.545706)),
      (97, SIMD3(0.171176, 0.452530, 0.557965)),
      (128, SIMD3(0.127568, 0.566949, 0.550556)),
      (158, SIMD3(0.150148, 0.676631, 0.506589)),
      (192, SIMD3(0.369214, 0.788888, 0.382914)),
      (223, SIMD3(0.668054, 0.861999, 0.196293)),
      (254, SIMD3(0.983868, 0.904867, 0.136897)),
      (255, SIMD3(0.993248, 0.906157, 0.143936)),
    ]
    for (index, expected) in table {
      let actual = Colormap.viridis.colour(Double(index) / 255)
      #expect(Self.difference(actual, expected) < 1 / 255, "entry \(index): \(actual)")
    }
    // Negative control: half a table step away is already further off than that at t = 0.
    #expect(Self.difference(Colormap.viridis.colour(8 / 255), table[0].1) > 1 / 255)
    #expect(Colormap.viridis.anchors.count >= 32)
  }

  @Test("viridis's luminance rises monotonically; red-blue's falls then rises")
  func luminance() {
    /// Relative luminance Y of an sRGB colour (IEC 61966-2-1 decoding, Rec. 709 weights).
    func luminance(_ colour: SIMD3<Float>) -> Double {
      func linear(_ v: Float) -> Double {
        let v = Double(v)
        return v <= 0.04045 ? v / 12.92 : pow((v + 0.055) / 1.055, 2.4)
      }
      return 0.2126 * linear(colour.x) + 0.7152 * linear(colour.y) + 0.0722 * linear(colour.z)
    }
    let samples = (0...255).map { luminance(Colormap.viridis.colour(Double($0) / 255)) }
    #expect(zip(samples, samples.dropFirst()).allSatisfy { $0 < $1 })
    let diverging = (0...100).map { luminance(Colormap.redBlue.colour(Double($0) / 100)) }
    #expect(diverging.firstIndex(of: diverging.max()!)! == 50)
    #expect(!zip(diverging, diverging.dropFirst()).allSatisfy { $0 < $1 })
  }

  @Test("t is clamped to [0, 1] and NaN is mid grey")
  func clampingAndNaN() {
    for map in Colormap.all {
      #expect(map.colour(-3) == map.colour(0))
      #expect(map.colour(7) == map.colour(1))
      #expect(map.colour(.infinity) == map.colour(1))
      #expect(map.colour(.nan) == SIMD3(repeating: 0.5))
    }
  }

  @Test("reversed runs backwards and toggles its name")
  func reversal() {
    let map = Colormap.viridis
    let reversed = map.reversed()
    for t in stride(from: 0.0, through: 1, by: 0.05) {
      #expect(Self.difference(reversed.colour(t), map.colour(1 - t)) < 1e-6)
    }
    #expect(reversed.name == "viridis-reversed")
    #expect(reversed.reversed() == map)
  }

  @Test(
    "named finds the shipped maps by their names and matplotlib's",
    arguments: [
      ("red-blue", "red-blue"), ("rdbu", "red-blue"), ("RdBu", "red-blue"), ("viridis", "viridis"),
      ("RdBu_r", "red-blue-reversed"), ("viridis-reversed", "viridis-reversed"),
    ])
  func lookup(name: String, expected: String) throws {
    let map = try #require(Colormap.named(name))
    #expect(map.name == expected)
  }

  @Test("named returns nil for unknown maps, and all lists each map once")
  func unknownNames() {
    #expect(Colormap.named("jet") == nil)
    #expect(Colormap.named("") == nil)
    #expect(Colormap.all.map(\.name) == ["red-blue", "viridis"])
    for map in Colormap.all { #expect(Colormap.named(map.name) == map) }
  }
}
