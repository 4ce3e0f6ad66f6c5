import Tensors
import Testing

/// Describes the first element where `actual` and `expected` differ beyond `tolerance`.
///
/// Checks the counts first, then every element with ``Tolerance/accepts(_:_:)``. The message
/// names the first failing index, both values, the error and the bound, and how many elements
/// failed; `expectClose(_:_:tolerance:_:sourceLocation:)` records it as an
/// issue. Use this function directly in negative controls to check that a comparison fails.
///
/// - Parameters:
///   - actual: Computed values.
///   - expected: Reference values.
///   - tolerance: The closeness rule.
/// - Returns: `nil` when every element passes, otherwise a one-line description.
/// - Complexity: O(n).
public func closenessFailure(
  _ actual: [Double], _ expected: [Double], tolerance: Tolerance
) -> String? {
  closenessFailure(actual, expected, tolerance: tolerance) { "[\($0)]" }
}

/// Describes the first element where two tensors differ beyond `tolerance`, shapes first.
///
/// - Parameters:
///   - actual: The computed tensor.
///   - expected: The reference tensor.
///   - tolerance: The closeness rule.
/// - Returns: `nil` when the shapes match and every element passes, otherwise a description
///   naming the first failing multi-index.
/// - Complexity: O(n).
public func closenessFailure(_ actual: Tensor, _ expected: Tensor, tolerance: Tolerance) -> String?
{
  guard actual.shape == expected.shape else {
    return "shape \(actual.shape) differs from expected shape \(expected.shape)"
  }
  let strides = expected.strides
  return closenessFailure(
    actual.doubles, expected.doubles, tolerance: tolerance
  ) { offset in
    var rest = offset
    let index = strides.map { stride -> Int in
      defer { rest %= stride }
      return rest / stride
    }
    return "\(index)"
  }
}

private func closenessFailure(
  _ actual: [Double], _ expected: [Double], tolerance: Tolerance, name: (Int) -> String
) -> String? {
  guard actual.count == expected.count else {
    return "count \(actual.count) differs from expected count \(expected.count)"
  }
  var first: Int?
  var failures = 0
  for i in actual.indices where !tolerance.accepts(actual[i], expected[i]) {
    if first == nil { first = i }
    failures += 1
  }
  guard let i = first else { return nil }
  let error = abs(actual[i] - expected[i])
  let bound = tolerance.absolute + tolerance.relative * abs(expected[i])
  return "element \(name(i)) is \(actual[i]), expected \(expected[i]) "
    + "(|difference| \(error) > \(bound) from \(tolerance)); "
    + "\(failures) of \(actual.count) elements differ"
}

/// Checks that two arrays are close elementwise, recording one issue at the caller if not.
///
/// The rule is NumPy's `allclose`, `|a − e| ≤ atol + rtol·|e|` (see ``Tolerance``). The counts
/// are checked first; the issue names the first failing index with both values, and the
/// labels of any enclosing ``withEvery(_:in:sourceLocation:_:)`` loops.
///
/// - Parameters:
///   - actual: Computed values.
///   - expected: Reference values.
///   - tolerance: The closeness rule, usually a named constant such as ``Tolerance/elementwise``.
///   - comment: Optional context for the failure message.
///   - sourceLocation: Where the issue is reported; leave the default.
public func expectClose(
  _ actual: [Double], _ expected: [Double], tolerance: Tolerance, _ comment: Comment? = nil,
  sourceLocation: SourceLocation = #_sourceLocation
) {
  if let failure = closenessFailure(actual, expected, tolerance: tolerance) {
    record(failure, comment, sourceLocation)
  }
}

/// Checks that two Float arrays are close elementwise, recording one issue at the caller if not.
///
/// The values are compared in Double, with the rule of ``Tolerance``.
///
/// - Parameters:
///   - actual: Computed values.
///   - expected: Reference values.
///   - tolerance: The closeness rule.
///   - comment: Optional context for the failure message.
///   - sourceLocation: Where the issue is reported; leave the default.
public func expectClose(
  _ actual: [Float], _ expected: [Float], tolerance: Tolerance, _ comment: Comment? = nil,
  sourceLocation: SourceLocation = #_sourceLocation
) {
  if let failure = closenessFailure(
    actual.map(Double.init), expected.map(Double.init), tolerance: tolerance)
  {
    record(failure, comment, sourceLocation)
  }
}

/// Checks that a Float array is close to a Double reference, recording one issue if not.
///
/// - Parameters:
///   - actual: Computed Float32 values.
///   - expected: Reference values, typically computed in float64.
///   - tolerance: The closeness rule.
///   - comment: Optional context for the failure message.
///   - sourceLocation: Where the issue is reported; leave the default.
public func expectClose(
  _ actual: [Float], _ expected: [Double], tolerance: Tolerance, _ comment: Comment? = nil,
  sourceLocation: SourceLocation = #_sourceLocation
) {
  if let failure = closenessFailure(actual.map(Double.init), expected, tolerance: tolerance) {
    record(failure, comment, sourceLocation)
  }
}

/// Checks that two tensors have the same shape and close elements, recording one issue if not.
///
/// - Parameters:
///   - actual: The computed tensor.
///   - expected: The reference tensor.
///   - tolerance: The closeness rule.
///   - comment: Optional context for the failure message.
///   - sourceLocation: Where the issue is reported; leave the default.
public func expectClose(
  _ actual: Tensor, _ expected: Tensor, tolerance: Tolerance, _ comment: Comment? = nil,
  sourceLocation: SourceLocation = #_sourceLocation
) {
  if let failure = closenessFailure(actual, expected, tolerance: tolerance) {
    record(failure, comment, sourceLocation)
  }
}

/// Checks that two scalars are close, recording one issue at the caller if not.
///
/// - Parameters:
///   - actual: The computed value.
///   - expected: The reference value.
///   - tolerance: The closeness rule.
///   - comment: Optional context for the failure message.
///   - sourceLocation: Where the issue is reported; leave the default.
public func expectClose(
  _ actual: Double, _ expected: Double, tolerance: Tolerance, _ comment: Comment? = nil,
  sourceLocation: SourceLocation = #_sourceLocation
) {
  if let failure = closenessFailure([actual], [expected], tolerance: tolerance) {
    record(failure, comment, sourceLocation)
  }
}

private func record(_ failure: String, _ comment: Comment?, _ sourceLocation: SourceLocation) {
  var message = "not close: " + failure
  if let comment { message += " — \(comment.rawValue)" }
  if let context = TestContext.current { message += " (\(context))" }
  Issue.record(Comment(rawValue: message), sourceLocation: sourceLocation)
}
