import Dispatch
import Synchronization
import Testing

@testable import Tensors

/// The worker pool runs every index exactly once, on as many threads as asked, and falls back
/// cleanly when it is busy.
@Suite struct WorkerPoolTests {
  /// Runs `count` indices and returns how often each ran.
  static func tally(_ count: Int) -> [Int] {
    let hits = UnsafeMutableBufferPointer<Int>.allocate(capacity: count)
    hits.initialize(repeating: 0)
    defer { hits.deallocate() }
    // Race-free: index i writes only hits[i].
    nonisolated(unsafe) let base = hits.baseAddress!
    WorkerPool.run(count) { base[$0] += 1 }
    return Array(hits)
  }

  @Test("every index runs once, over many rounds and thread counts (sleeping and spinning)")
  func everyIndexOnce() {
    // More threads than cores makes the pool threads sleep between jobs instead of polling.
    for count in [2, 3, 2, 5, 1, 8, 2] {
      for _ in 0..<200 {
        #expect(Self.tally(count) == Array(repeating: 1, count: count))
      }
    }
  }

  @Test("a nested call runs its loop completely (the pool is busy, so it falls back)")
  func nested() {
    let hits = Mutex([Int](repeating: 0, count: 12))
    WorkerPool.run(3) { outer in
      WorkerPool.run(4) { inner in hits.withLock { $0[outer * 4 + inner] += 1 } }
    }
    #expect(hits.withLock { $0 } == Array(repeating: 1, count: 12))
  }

  @Test("concurrent callers each get every index run once")
  func concurrentCallers() {
    let failures = Mutex(0)
    DispatchQueue.concurrentPerform(iterations: 4) { _ in
      for round in 0..<100 {
        let count = 2 + round % 3
        if Self.tally(count) != Array(repeating: 1, count: count) {
          failures.withLock { $0 += 1 }
        }
      }
    }
    #expect(failures.withLock { $0 } == 0)
  }

  @Test("indices run on distinct threads at the same time")
  func concurrent() {
    // Each index waits until both have started: a pool that ran them one after the other
    // would never let the first one finish.
    let started = Atomic(0)
    WorkerPool.run(2) { _ in
      started.add(1, ordering: .sequentiallyConsistent)
      while started.load(ordering: .sequentiallyConsistent) < 2 {}
    }
    #expect(started.load(ordering: .sequentiallyConsistent) == 2)
  }
}
