import Synchronization
import Tensors

/// semrob's own parallel loops inside the engine, sized by `Parallelism.ownLoopThreads`.
///
/// Work is split into contiguous chunks, one per worker; each chunk's arithmetic is the same
/// as in a serial run (single-threaded BLAS on the same blocks), so results do not depend on
/// the thread count.
enum Workers {
  /// The worker count for this call (1 unless a command gave the threads to own loops, or
  /// inside ``serially(_:)``).
  static var count: Int { limit ?? Parallelism.ownLoopThreads }

  /// A worker count that overrides the process-wide one on this thread (``serially(_:)``).
  @TaskLocal private static var limit: Int?

  /// Runs `body` with one worker: the engine's loops inside it stay on the calling thread
  /// (a worker of an outer split that owns whole samples).
  static func serially<R>(_ body: () throws -> R) rethrows -> R {
    try $limit.withValue(1, operation: body)
  }

  /// Runs `body(worker, range)` over `0..<total` split into at most `workers` chunks.
  static func split(_ total: Int, workers: Int, _ body: (Int, Range<Int>) -> Void) {
    let used = min(workers, total)
    guard used > 1 else {
      if total > 0 { body(0, 0..<total) }
      return
    }
    // The chunks touch disjoint memory (callers guarantee it); the closure is only called
    // while `split` runs.
    WorkerPool.run(used) { worker in
      body(worker, (worker * total / used)..<((worker + 1) * total / used))
    }
  }

  /// Runs `body(index)` for every index in `0..<total` on up to `workers` workers, each taking
  /// the next index as it finishes one (for units of work that are independent and large, such
  /// as whole micro-batches: a worker slowed by other load on its core takes fewer).
  static func each(_ total: Int, workers: Int, _ body: (Int) -> Void) {
    let used = min(workers, total)
    guard used > 1 else {
      for index in 0..<total { body(index) }
      return
    }
    let next = Atomic<Int>(0)
    WorkerPool.run(used) { _ in
      while case let index = next.add(1, ordering: .relaxed).oldValue, index < total {
        body(index)
      }
    }
  }

  /// `C ← α op(A) op(B) + β C` with the output split over workers by columns (when `n` is the
  /// larger side) or rows.
  static func gemm<S: EngineScalar>(
    transposeA: Bool, transposeB: Bool, m: Int, n: Int, k: Int, alpha: S,
    a: UnsafePointer<S>, lda: Int, b: UnsafePointer<S>, ldb: Int, beta: S,
    c: UnsafeMutablePointer<S>, ldc: Int, workers: Int
  ) {
    // Below ~2 MFLOP per worker (about 10 µs of arithmetic, or 4 MB of a matrix–vector
    // product's weights streamed) the split costs more than it saves.
    let useful = max(1, min(workers, 2 * m * n * k / 2_000_000))
    if n >= m {
      split(n, workers: useful) { _, columns in
        S.gemm(
          transposeA: transposeA, transposeB: transposeB, m: m, n: columns.count, k: k,
          alpha: alpha, a: a, lda: lda,
          b: b + (transposeB ? columns.lowerBound * ldb : columns.lowerBound), ldb: ldb,
          beta: beta, c: c + columns.lowerBound, ldc: ldc)
      }
    } else {
      split(m, workers: useful) { _, rows in
        S.gemm(
          transposeA: transposeA, transposeB: transposeB, m: rows.count, n: n, k: k,
          alpha: alpha, a: a + (transposeA ? rows.lowerBound : rows.lowerBound * lda), lda: lda,
          b: b, ldb: ldb, beta: beta, c: c + rows.lowerBound * ldc, ldc: ldc)
      }
    }
  }
}

/// A scratch buffer per worker, freed at the end of the scope.
struct ScratchBuffers<S: EngineScalar> {
  private let base: UnsafeMutablePointer<S>
  private let size: Int

  /// Buffers of `size` elements for `workers` workers, zero-filled unless `zeroed` is false
  /// (for buffers every user writes before reading).
  init(workers: Int, size: Int, zeroed: Bool = true) {
    self.size = max(1, size)
    base = .allocate(capacity: workers * self.size)
    if zeroed { base.initialize(repeating: 0, count: workers * self.size) }
  }

  subscript(worker: Int) -> UnsafeMutablePointer<S> { base + worker * size }

  func deallocate() { base.deallocate() }
}
