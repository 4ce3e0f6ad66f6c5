import Rendering

/// A scalar function of semantic parameters that can be mapped: the function of interest
/// (render + classify), or any other score of pose such as an analytic test function or an
/// interpolated stored map.
public protocol SemanticFunction: Sendable {
  /// What each coordinate of a point sets, in order.
  var dimensions: [RenderParameter] { get }
  /// The function at every point (one value per dimension each; degrees or world units).
  ///
  /// - Parameters:
  ///   - points: The points.
  ///   - threads: Worker threads (≥ 1).
  /// - Returns: One value per point.
  func values(at points: [[Double]], threads: Int) -> [Float]
}

extension FunctionOfInterest: SemanticFunction {}

/// A semantic function given by a closure.
///
/// For example a known function of pose, to test maps and regions against.
public struct AnalyticFunction: SemanticFunction {
  /// What each coordinate of a point sets.
  public let dimensions: [RenderParameter]
  private let body: @Sendable ([Double]) -> Float

  /// Wraps `body`.
  ///
  /// - Parameters:
  ///   - dimensions: What each coordinate sets.
  ///   - body: The value at a point.
  public init(dimensions: [RenderParameter], _ body: @escaping @Sendable ([Double]) -> Float) {
    self.dimensions = dimensions
    self.body = body
  }

  /// The closure at every point.
  public func values(at points: [[Double]], threads: Int) -> [Float] { points.map(body) }
}

/// Computes semantic maps: a function at every point of a grid (METHODS §2.2–§2.3), streamed
/// in chunks so memory stays bounded however large the grid.
///
/// For the function of interest each chunk of ``chunkSize`` points is rendered in parallel and
/// classified in batches of ``FunctionOfInterest/batchSize``; only the scores (4 bytes per
/// point) are kept.
public struct SemanticMapper: Sendable {
  /// The function; its ``SemanticFunction/dimensions`` must equal the grid's
  /// ``SemanticGrid/parameters``.
  public var function: any SemanticFunction
  /// Points per chunk (rendered images alive at once).
  public var chunkSize = 256
  /// Render threads.
  public var threads: Int

  /// Creates a mapper.
  ///
  /// - Parameters:
  ///   - function: The function, e.g. a ``FunctionOfInterest``.
  ///   - threads: Render threads (≥ 1).
  public init(function: any SemanticFunction, threads: Int) {
    self.function = function
    self.threads = max(1, threads)
  }

  /// The map of `function` over `grid`.
  ///
  /// - Parameters:
  ///   - grid: The grid; its parameters must be the function's dimensions, in order.
  ///   - progress: Called after each chunk with (points done, points in all).
  /// - Returns: The map.
  /// - Throws: ``SemanticMapError`` when the grid's parameters are not the function's.
  public func map(
    _ grid: SemanticGrid, progress: (Int, Int) -> Void = { _, _ in }
  ) throws(SemanticMapError) -> SemanticMap {
    guard grid.parameters == function.dimensions else {
      throw SemanticMapError(
        "the grid sets \(grid.parameters.map(\.rawValue)) but the function varies "
          + "\(function.dimensions.map(\.rawValue)); build the function with the grid's parameters")
    }
    var values: [Float] = []
    values.reserveCapacity(grid.count)
    for first in stride(from: 0, to: grid.count, by: chunkSize) {
      let points = (first..<min(first + chunkSize, grid.count)).map(grid.point(at:))
      values += function.values(at: points, threads: threads)
      progress(values.count, grid.count)
    }
    return SemanticMap(grid: grid, values: values)
  }
}
