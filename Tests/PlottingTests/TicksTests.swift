import Testing

@testable import Plotting

/// Nice tick positions and their labels.
@Suite struct TicksTests {
  @Test(
    "automatic ticks are the multiples of a 1, 2, 2.5 or 5 × 10^k step inside the range",
    arguments: [
      (0.0, 1.0, 6, [0, 0.2, 0.4, 0.6, 0.8, 1]),
      (-1.5, 358.5, 8, [0, 50, 100, 150, 200, 250, 300, 350]),
      (-11.5, 90.5, 5, [0, 20, 40, 60, 80]),
      (0, 10, 5, [0, 2.5, 5, 7.5, 10]),
      (-3, 3, 7, [-3, -2, -1, 0, 1, 2, 3]),
      (0.001, 0.0042, 6, [0.001, 0.0015, 0.002, 0.0025, 0.003, 0.0035, 0.004]),
      (1200, 5600, 5, [2000, 3000, 4000, 5000]),
    ])
  func automatic(lower: Double, upper: Double, count: Int, expected: [Double]) {
    let ticks = Ticks.automatic(for: lower...upper, count: count)
    #expect(ticks.values == expected)
    #expect((4...8).contains(ticks.values.count))
  }

  @Test("labels have no trailing zeros and a true minus sign")
  func labels() {
    #expect(Ticks.automatic(for: 0...1).labels == ["0", "0.2", "0.4", "0.6", "0.8", "1"])
    #expect(
      Ticks.automatic(for: -3...3, count: 7).labels == ["−3", "−2", "−1", "0", "1", "2", "3"])
    #expect(Ticks.automatic(for: 0...10, count: 5).labels == ["0", "2.5", "5", "7.5", "10"])
    #expect(Ticks.format(-2.5, decimals: 2) == "\u{2212}2.5")
    #expect(Ticks.format(3, decimals: 3) == "3")
    #expect(Ticks.format(-0.0001, decimals: 2) == "0", "never −0")
    #expect(Ticks.format(1250, decimals: 0) == "1250")
    #expect(!Ticks.automatic(for: -10...10).labels.joined().contains("-"), "no hyphen-minus")
  }

  @Test("explicit ticks keep their positions and format them with the decimals they need")
  func explicit() {
    let azimuth = Ticks(values: [0, 90, 180, 270, 360])
    #expect(azimuth.labels == ["0", "90", "180", "270", "360"])
    #expect(Ticks(values: [-0.5, 0, 0.25]).labels == ["−0.5", "0", "0.25"])
    let named = Ticks(values: [0, 1], labels: ["chair", "table"])
    #expect(named.labels == ["chair", "table"])
  }

  @Test("degenerate ranges give one tick or none")
  func degenerate() {
    #expect(Ticks.automatic(for: 2...2).values == [2])
    #expect(Ticks.automatic(for: 0...Double.infinity).values.isEmpty)
  }
}
