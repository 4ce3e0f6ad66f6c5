// TestSupport: shared helpers for semrob's test targets (never a product, never imported by
// library code). Contents:
//   Tolerance.swift          named tolerances (STYLE §4) and the allclose rule
//   ExpectClose.swift        expectClose / closenessFailure for [Double], [Float], Tensor
//   WithEvery.swift          withEvery("seed", in:) and TestContext
//   Fixture.swift            Fixture.url/data/npy/tensor/json(…, bundle: .module)
//   TemporaryDirectory.swift temporaryDirectory() and withTemporaryDirectory { }

// Re-exported so that test targets, which depend only on TestSupport, can use swift-numerics'
// `isApproximatelyEqual(to:relativeTolerance:)` without each declaring the package dependency.
@_exported import RealModule
