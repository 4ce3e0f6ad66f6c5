internal import CKernels
import Dispatch

/// Runs parallel loops on persistent pool threads that poll briefly between jobs.
///
/// Dispatch's `concurrentPerform` wakes sleeping threads for every call, which costs tens of
/// microseconds: a batch-1 forward pass has ~50 parallel regions of 0.2–1 ms each, and an even
/// split then waits for the late starter. The pool's threads keep polling for half a millisecond
/// after each job, so consecutive regions start within a microsecond. Nested and concurrent
/// calls (the pool serves one loop at a time) fall back to `concurrentPerform`.
package enum WorkerPool {
  /// Calls `body(i)` for every `i` in `0..<count`, on `count` threads at once (the caller runs
  /// index 0), and returns when all have finished.
  package static func run(_ count: Int, _ body: (Int) -> Void) {
    guard count > 1 else {
      if count == 1 { body(0) }
      return
    }
    withoutActuallyEscaping(body) { escapable in
      var job = escapable
      let ran = withUnsafeMutablePointer(to: &job) { pointer in
        semrob_workers_run(
          count,
          { context, index in
            context!.assumingMemoryBound(to: ((Int) -> Void).self).pointee(index)
          }, pointer)
      }
      if ran == 0 {
        let work = UncheckedSendableBody(escapable)
        DispatchQueue.concurrentPerform(iterations: count) { work.body($0) }
      }
    }
  }
}

/// Carries the loop body across the `@Sendable` boundary of `concurrentPerform`; safe because
/// callers give each index disjoint memory and the body outlives the loop.
private struct UncheckedSendableBody: @unchecked Sendable {
  let body: (Int) -> Void
  init(_ body: @escaping (Int) -> Void) { self.body = body }
}
