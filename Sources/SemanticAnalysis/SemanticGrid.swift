import Rendering

/// A regular grid over one or two semantic parameters (METHODS §2.2–§2.3).
///
/// Values are in interface units: degrees for angles, world units for the distance. Axis `k`
/// has `count` samples `start + step · i`, `i = 0..<count`, computed from the integer `i` (no
/// accumulated floating-point steps). A 2-D grid's first axis runs along the columns and its
/// second along the rows; the flat index of sample `(column, row)` is `row · columns + column`,
/// so the study's map (azimuth × elevation) is stored `34 × 120`, rows = elevation.
public struct SemanticGrid: Sendable, Hashable, Codable {
  /// One axis of the grid.
  public struct Axis: Sendable, Hashable, Codable {
    /// The parameter the axis sets.
    public var parameter: RenderParameter
    /// The first value (degrees or world units).
    public var start: Double
    /// The spacing (> 0).
    public var step: Double
    /// The number of samples (≥ 1).
    public var count: Int

    /// Creates an axis.
    ///
    /// - Parameters:
    ///   - parameter: The parameter.
    ///   - start: The first value.
    ///   - step: The spacing, positive.
    ///   - count: The number of samples, at least 1.
    public init(parameter: RenderParameter, start: Double, step: Double, count: Int) {
      precondition(step > 0 && step.isFinite && count >= 1, "SemanticGrid.Axis: bad spacing")
      self.parameter = parameter
      self.start = start
      self.step = step
      self.count = count
    }

    /// The axis from `range.lowerBound` to at most `range.upperBound` in steps of `step`: the
    /// samples `lower + step · i` that do not exceed `upper` (within 1e-9 · step).
    ///
    /// - Parameters:
    ///   - parameter: The parameter.
    ///   - range: The values to cover.
    ///   - step: The spacing, positive.
    public init(parameter: RenderParameter, range: ClosedRange<Double>, step: Double) {
      let span = (range.upperBound - range.lowerBound) / step
      self.init(
        parameter: parameter, start: range.lowerBound, step: step,
        count: Int((span + 1e-9).rounded(.down)) + 1)
    }

    /// Sample `i`'s value.
    public func value(at i: Int) -> Double { start + step * Double(i) }

    /// Every sample's value.
    public var values: [Double] { (0..<count).map(value(at:)) }

    /// The last sample's value.
    public var end: Double { value(at: count - 1) }

    /// The index of the sample at `value`, or `nil` when there is none.
    ///
    /// `value` must lie within 1e-6 · step of a sample. On a full-turn angle axis (see
    /// ``isFullTurn``) values are taken modulo 360°.
    public func index(of value: Double) -> Int? {
      var x = (value - start) / step
      if isFullTurn {
        let turn = 360 / step
        x = x.truncatingRemainder(dividingBy: turn)
        if x < 0 { x += turn }
      }
      let i = x.rounded()
      guard abs(x - i) <= 1e-6 else { return nil }
      if isFullTurn && Int(i) == count { return 0 }
      return (0..<count).contains(Int(i)) ? Int(i) : nil
    }

    /// Whether the axis is an azimuth-like angle whose samples cover one whole turn: `count ·
    /// step = 360°`, so the last sample's right neighbour is the first (maps wrap around).
    public var isFullTurn: Bool {
      (parameter == .azimuth || parameter == .lightAzimuth)
        && abs(Double(count) * step - 360) < 1e-9 * 360
    }
  }

  /// The axes: one (a 1-D map) or two (columns, rows).
  public let axes: [Axis]
  /// The view every grid point modifies: fixed values of the parameters that are not axes,
  /// keyed by parameter (degrees or world units), such as the elevation of a 1-D azimuth map.
  public let fixed: [RenderParameter: Double]

  /// Creates a grid.
  ///
  /// - Parameters:
  ///   - axes: One or two axes over distinct parameters.
  ///   - fixed: Values of other parameters (not an axis's).
  public init(axes: [Axis], fixed: [RenderParameter: Double] = [:]) {
    precondition((1...2).contains(axes.count), "SemanticGrid: one or two axes")
    precondition(
      Set(axes.map(\.parameter)).count == axes.count, "SemanticGrid: axes must differ")
    precondition(
      axes.allSatisfy { fixed[$0.parameter] == nil }, "SemanticGrid: an axis cannot be fixed")
    self.axes = axes
    self.fixed = fixed
  }

  enum CodingKeys: String, CodingKey {
    case axes, fixed
  }

  /// Decodes `{"axes": [...], "fixed": {"elevation": 35}}`.
  public init(from decoder: any Decoder) throws {
    let c = try decoder.container(keyedBy: CodingKeys.self)
    let axes = try c.decode([Axis].self, forKey: .axes)
    let named = try c.decodeIfPresent([String: Double].self, forKey: .fixed) ?? [:]
    var fixed: [RenderParameter: Double] = [:]
    for (name, value) in named {
      guard let parameter = RenderParameter(rawValue: name) else {
        throw DecodingError.dataCorruptedError(
          forKey: .fixed, in: c, debugDescription: "unknown semantic parameter '\(name)'")
      }
      fixed[parameter] = value
    }
    guard (1...2).contains(axes.count), Set(axes.map(\.parameter)).count == axes.count,
      axes.allSatisfy({ fixed[$0.parameter] == nil && $0.step > 0 && $0.count >= 1 })
    else {
      throw DecodingError.dataCorruptedError(
        forKey: .axes, in: c, debugDescription: "a grid needs one or two distinct, valid axes")
    }
    self.init(axes: axes, fixed: fixed)
  }

  /// Encodes the fixed values as an object keyed by parameter name.
  public func encode(to encoder: any Encoder) throws {
    var c = encoder.container(keyedBy: CodingKeys.self)
    try c.encode(axes, forKey: .axes)
    try c.encode(
      Dictionary(uniqueKeysWithValues: fixed.map { ($0.key.rawValue, $0.value) }), forKey: .fixed)
  }

  /// The study's 2-D grid: azimuth (columns) × elevation (rows).
  ///
  /// Azimuth `0, step, …` below 360°, elevation `−10, −10 + step, …` up to 89°. With the default
  /// step 3° this is METHODS §2.2's 34 × 120 grid.
  public static func study2D(step: Double = 3) -> SemanticGrid {
    SemanticGrid(axes: [
      Axis(parameter: .azimuth, start: 0, step: step, count: fullTurn(step)),
      Axis(parameter: .elevation, range: -10...89, step: step),
    ])
  }

  /// The study's 1-D grid: azimuth `0, step, …` below 360° at a fixed elevation (METHODS §2.3:
  /// step 2°, 180 samples, elevation 35°).
  public static func study1D(step: Double = 2, elevation: Double = 35) -> SemanticGrid {
    SemanticGrid(
      axes: [Axis(parameter: .azimuth, start: 0, step: step, count: fullTurn(step))],
      fixed: [.elevation: elevation])
  }

  /// Samples of a full turn: `⌈360 / step⌉` (so the grid stops below 360°).
  static func fullTurn(_ step: Double) -> Int { Int((360 / step - 1e-9).rounded(.up)) }

  /// The number of columns (samples of the first axis).
  public var columns: Int { axes[0].count }
  /// The number of rows (samples of the second axis; 1 for a 1-D grid).
  public var rows: Int { axes.count == 2 ? axes[1].count : 1 }
  /// The number of grid points.
  public var count: Int { rows * columns }
  /// The array shape of a map on this grid: `[rows, columns]`, or `[columns]` for 1-D.
  public var shape: [Int] { axes.count == 2 ? [rows, columns] : [columns] }
  /// The parameters in the order of a point's coordinates: the axes, then the fixed ones
  /// in ``RenderParameter`` declaration order.
  public var parameters: [RenderParameter] {
    axes.map(\.parameter) + RenderParameter.allCases.filter { fixed[$0] != nil }
  }

  /// Point `index` (flat, row-major) as values of ``parameters``.
  public func point(at index: Int) -> [Double] {
    precondition((0..<count).contains(index), "SemanticGrid: index out of range")
    let column = index % columns
    let row = index / columns
    var u = [axes[0].value(at: column)]
    if axes.count == 2 { u.append(axes[1].value(at: row)) }
    for parameter in RenderParameter.allCases { if let v = fixed[parameter] { u.append(v) } }
    return u
  }

  /// The flat index of the sample at `(column, row)`.
  public func index(column: Int, row: Int = 0) -> Int {
    precondition(
      (0..<columns).contains(column) && (0..<rows).contains(row),
      "SemanticGrid: (\(column), \(row)) outside \(columns) × \(rows)")
    return row * columns + column
  }
}
