import Foundation

/// Tick positions along an axis and their labels.
///
/// ``automatic(for:count:)`` picks "nice" ticks: the multiples of a step of 1, 2, 2.5 or 5 ×
/// 10^k that lie in the range, about `count` of them (4 to 8). The explicit initializer takes
/// any positions, such as 0, 90, 180, 270 for an azimuth axis. Labels are written with as few
/// decimals as the positions need, no trailing zeros, and a true minus sign `−` (U+2212) for
/// negative numbers.
public struct Ticks: Sendable, Hashable {
  /// The tick positions in data units, in the order given (increasing for automatic ticks).
  public let values: [Double]
  /// One label per position.
  public let labels: [String]

  /// Ticks at explicit positions.
  ///
  /// - Parameters:
  ///   - values: The positions in data units; positions outside an axis's range are not drawn.
  ///   - labels: One label per position, or `nil` to format the positions with
  ///     ``format(_:decimals:)``, using the fewest decimals (at most 12) that write every
  ///     position exactly.
  public init(values: [Double], labels: [String]? = nil) {
    if let labels {
      precondition(
        labels.count == values.count,
        "Ticks: \(labels.count) labels for \(values.count) positions")
    }
    self.values = values
    let decimals = Self.decimals(for: values)
    self.labels = labels ?? values.map { Self.format($0, decimals: decimals) }
  }

  /// Nice ticks for `range`: the multiples of a step 1, 2, 2.5 or 5 × 10^k inside the range.
  ///
  /// Among the steps that give 4 to 8 ticks the one whose count is closest to `count` wins;
  /// 2.5 × 10^k counts as half a tick further away, so 1, 2 and 5 win ties and near-ties. A
  /// range of zero width gets a single tick at its value; a non-finite range gets none.
  ///
  /// - Parameters:
  ///   - range: The axis range in data units.
  ///   - count: The preferred number of ticks, clamped to 4…8.
  /// - Returns: Ticks in increasing order, labelled with the step's decimals.
  public static func automatic(for range: ClosedRange<Double>, count: Int = 6) -> Ticks {
    let lower = range.lowerBound
    let upper = range.upperBound
    guard lower.isFinite, upper.isFinite else { return Ticks(values: []) }
    guard upper > lower else { return Ticks(values: [lower]) }
    let target = Double(max(4, min(8, count)))
    let magnitude = Int((log10(upper - lower)).rounded(.down))
    var best: (score: Double, step: Double, first: Int, last: Int)?
    for exponent in (magnitude - 2)...(magnitude + 1) {
      for mantissa in [1, 2, 2.5, 5] {
        let step = mantissa * pow(10, Double(exponent))
        // Multiples k · step inside the range, with a little slack for rounding.
        let first = Int((lower / step - 1e-9).rounded(.up))
        let last = Int((upper / step + 1e-9).rounded(.down))
        let ticks = Double(last - first + 1)
        var score = abs(ticks - target) + (mantissa == 2.5 ? 0.5 : 0)
        if ticks < 4 || ticks > 8 { score += 100 }
        if best == nil || score < best!.score {
          best = (score, step, first, last)
        }
      }
    }
    let choice = best!
    let decimals = decimals(forStep: choice.step)
    let scale = pow(10, Double(decimals))
    // k · step rounded to the step's decimals, so 3 · 0.1 is 0.3, not 0.30000000000000004.
    let values = (choice.first...choice.last).map {
      (Double($0) * choice.step * scale).rounded() / scale
    }
    return Ticks(values: values, labels: values.map { format($0, decimals: decimals) })
  }

  /// The number of decimals a multiple of `step` needs: 0 for 1, 2, 5, 10, …; 1 for 0.5, 2.5;
  /// 2 for 0.25, 0.05.
  static func decimals(forStep step: Double) -> Int {
    decimals(for: [step])
  }

  /// The fewest decimals, at most 12, with which every value is written exactly (to 10⁻⁶ of
  /// the last decimal, or 10⁻¹² relative for large values).
  static func decimals(for values: [Double]) -> Int {
    for decimals in 0...12 {
      let scale = pow(10, Double(decimals))
      let exact = values.allSatisfy { value in
        let scaled = value * scale
        return !scaled.isFinite || abs(scaled - scaled.rounded()) <= max(1e-6, abs(scaled) * 1e-12)
      }
      if exact { return decimals }
    }
    return 12
  }

  /// Writes `value` with at most `decimals` decimals, dropping trailing zeros and a trailing
  /// point, with `−` (U+2212) for negative values and never `−0`.
  ///
  /// For example `format(-2.50, decimals: 2)` is `"−2.5"` and `format(3, decimals: 1)` is
  /// `"3"`.
  ///
  /// - Parameters:
  ///   - value: The number; NaN and infinities are written as `nan`, `∞` and `−∞`.
  ///   - decimals: The most decimals to write, ≥ 0.
  /// - Returns: The label.
  public static func format(_ value: Double, decimals: Int) -> String {
    guard !value.isNaN else { return "nan" }
    guard value.isFinite else { return value < 0 ? "−∞" : "∞" }
    var text = String(format: "%.\(max(0, decimals))f", value)
    if text.contains(".") {
      while text.hasSuffix("0") { text.removeLast() }
      if text.hasSuffix(".") { text.removeLast() }
    }
    if text == "-0" { return "0" }
    if text.hasPrefix("-") { text = "−" + text.dropFirst() }
    return text
  }
}
