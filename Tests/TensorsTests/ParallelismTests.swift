import Foundation
import TestSupport
import Testing

@testable import Tensors

/// Where threads go (``Parallelism``): runs in a child process because the settings are
/// process-wide.
@Suite struct ParallelismTests {
  /// The threads of this process (Linux).
  static func threadCount() -> Int {
    (try? FileManager.default.contentsOfDirectory(atPath: "/proc/self/task").count) ?? 0
  }

  @Test("own loops stop OpenBLAS's idle threads; BLAS given threads again still multiplies right")
  func blasThreadsStopAndReturn() async {
    await #expect(processExitsWith: .success) {
      var random = RandomGenerator(seed: 2)
      let a = Tensor(
        shape: [300, 280], scalars: (0..<(300 * 280)).map { _ in Float(random.nextUniform()) })
      let b = Tensor(
        shape: [280, 260], scalars: (0..<(280 * 260)).map { _ in Float(random.nextUniform()) })
      Parallelism.useBLAS(threads: 2)
      let threaded = a.matmul(b)
      let withBLASThreads = Self.threadCount()
      Parallelism.useOwnLoops(threads: 1)
      let withoutBLASThreads = Self.threadCount()
      let serial = a.matmul(b)
      Parallelism.useBLAS(threads: 2)
      let again = a.matmul(b)
      let failures = [
        closenessFailure(serial, threaded, tolerance: .reduction),
        closenessFailure(again, threaded, tolerance: .reduction),
      ].compactMap { $0 }
      // OpenBLAS starts one thread per further core.
      if Parallelism.coreCount > 1 && withoutBLASThreads >= withBLASThreads {
        FileHandle.standardError.write(
          Data("threads: \(withBLASThreads) with BLAS threads, \(withoutBLASThreads) after\n".utf8))
        exit(1)
      }
      if !failures.isEmpty {
        FileHandle.standardError.write(Data("\(failures)\n".utf8))
        exit(1)
      }
    }
  }
}
