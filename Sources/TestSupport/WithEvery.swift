import Testing

/// The labels of the ``withEvery(_:in:sourceLocation:_:)`` iterations that enclose the caller.
///
/// TestSupport's checks append this to their failure messages; add it to your own `#expect`
/// comments (`#expect(x > 0, "\(TestContext.current ?? "")")`) to name the failing case.
public enum TestContext {
  @TaskLocal static var labels: [String] = []

  /// The enclosing iterations, such as `"seed = 3, size = 8"`, or `nil` outside any loop.
  public static var current: String? {
    labels.isEmpty ? nil : labels.joined(separator: ", ")
  }
}

/// Runs `body` for every value, naming the value in any failure.
///
/// Modelled on swift-collections' `withEvery("seed", in: 0..<n)`. While `body` runs, the
/// value is recorded as `"<label> = <value>"` in ``TestContext/current``, which
/// `expectClose(_:_:tolerance:_:sourceLocation:)` includes in its
/// messages. An error thrown by `body` is recorded as an issue naming the value, and the loop
/// goes on with the next value, so one run lists every failing seed.
///
/// ```swift
/// withEvery("seed", in: 0..<20 as Range<UInt64>) { seed in
///   var rng = RandomGenerator(seed: seed)
///   …
/// }
/// ```
///
/// - Parameters:
///   - label: What the values are, such as `"seed"`.
///   - values: The values to try.
///   - sourceLocation: Where thrown errors are reported; leave the default.
///   - body: The check, run once per value.
public func withEvery<S: Sequence>(
  _ label: String, in values: S, sourceLocation: SourceLocation = #_sourceLocation,
  _ body: (S.Element) throws -> Void
) {
  for value in values {
    let name = "\(label) = \(value)"
    TestContext.$labels.withValue(TestContext.labels + [name]) {
      do {
        try body(value)
      } catch {
        Issue.record(
          error, "failed for \(TestContext.current ?? name)", sourceLocation: sourceLocation)
      }
    }
  }
}
