import Foundation

/// Spearman's rank correlation: the Pearson correlation of the ranks, ties given their mean
/// rank (as `scipy.stats.spearmanr` does).
///
/// Used to check a data semantic map against the pose density of the training distribution:
/// the DSM should be low where the training data rarely looked from.
public enum RankCorrelation {
  /// Spearman's ρ of `x` and `y`.
  ///
  /// - Parameters:
  ///   - x: Values (finite).
  ///   - y: Values (finite), as many as `x`.
  /// - Returns: ρ in [−1, 1]; `nan` when either is constant or there are fewer than two pairs.
  /// - Complexity: O(n log n).
  public static func spearman(_ x: [Double], _ y: [Double]) -> Double {
    precondition(x.count == y.count, "RankCorrelation: \(x.count) and \(y.count) values")
    guard x.count >= 2 else { return .nan }
    return pearson(ranks(x), ranks(y))
  }

  /// Ranks from 1, ties sharing the mean of their ranks.
  public static func ranks(_ values: [Double]) -> [Double] {
    let order = values.indices.sorted { values[$0] < values[$1] }
    var result = [Double](repeating: 0, count: values.count)
    var start = 0
    while start < order.count {
      var end = start
      while end + 1 < order.count && values[order[end + 1]] == values[order[start]] { end += 1 }
      // Positions start…end (0-based) hold equal values: each gets the mean 1-based rank.
      let rank = Double(start + end) / 2 + 1
      for k in start...end { result[order[k]] = rank }
      start = end + 1
    }
    return result
  }

  /// Pearson's correlation, accumulated in Float64 around the means.
  public static func pearson(_ x: [Double], _ y: [Double]) -> Double {
    let n = Double(x.count)
    let mx = x.reduce(0, +) / n
    let my = y.reduce(0, +) / n
    var sxy = 0.0
    var sxx = 0.0
    var syy = 0.0
    for (a, b) in zip(x, y) {
      sxy += (a - mx) * (b - my)
      sxx += (a - mx) * (a - mx)
      syy += (b - my) * (b - my)
    }
    guard sxx > 0 && syy > 0 else { return .nan }
    return sxy / (sxx * syy).squareRoot()
  }
}
