internal import CBLAS
import Foundation
import Synchronization

/// The one place that decides where threads go (BLAS or semrob's own loops).
///
/// OpenBLAS (Debian's pthread build) starts one thread per core. When semrob parallelises its
/// own loops (rasteriser bands, batches of poses), BLAS must run single-threaded, or the two
/// oversubscribe the CPU; when one large GEMM dominates, BLAS gets the threads and semrob's
/// loops run serially. Every command calls exactly one of ``useOwnLoops(threads:)`` or
/// ``useBLAS(threads:)`` once, from its `--threads` option.
public enum Parallelism {
  /// Number of online processor cores.
  public static var coreCount: Int { ProcessInfo.processInfo.activeProcessorCount }

  /// The number of threads OpenBLAS currently uses.
  public static var blasThreadCount: Int { Int(openblas_get_num_threads()) }

  /// The thread count of semrob's own parallel loops inside library kernels.
  ///
  /// The network engine splits images or GEMM blocks over this many workers. It is 1 until a command calls
  /// ``useOwnLoops(threads:)``, so tests and library users get serial, deterministic kernels.
  public static var ownLoopThreads: Int { threadSetting.withLock { $0 } }

  private static let threadSetting = Mutex(1)

  /// Gives the threads to semrob's own loops: BLAS runs single-threaded.
  ///
  /// OpenBLAS's pthread build starts its server threads when it loads, and they poll
  /// (`sched_yield`) for about 2²⁸ cycles before they sleep: for the first ~100 ms of every
  /// command one of them shared a core with semrob's second worker, which then ran at half
  /// speed (a batch of 64 at 64×64 took twice as long for its first few runs). They are
  /// stopped here; a later ``useBLAS(threads:)`` with several threads gets new ones at the
  /// first multi-threaded BLAS call.
  ///
  /// - Parameter threads: Requested thread count, or `nil` for all cores.
  /// - Returns: The thread count semrob's loops should use (≥ 1).
  @discardableResult
  public static func useOwnLoops(threads: Int?) -> Int {
    openblas_set_num_threads(1)
    stopBLASThreads()
    let count = max(1, threads ?? coreCount)
    threadSetting.withLock { $0 = count }
    return count
  }

  /// Ends OpenBLAS's idle server threads (`blas_thread_shutdown_`, which OpenBLAS's own fork
  /// handler calls; looked up by name, as BLAS builds without threads lack it).
  private static func stopBLASThreads() {
    typealias Shutdown = @convention(c) () -> Int32
    guard let symbol = dlsym(UnsafeMutableRawPointer(bitPattern: 0), "blas_thread_shutdown_")
    else { return }
    _ = unsafeBitCast(symbol, to: Shutdown.self)()
  }

  /// Gives the threads to BLAS: semrob's own loops run serially.
  ///
  /// - Parameter threads: Requested thread count, or `nil` for all cores.
  /// - Returns: 1, the thread count for semrob's own loops.
  @discardableResult
  public static func useBLAS(threads: Int?) -> Int {
    let n = max(1, threads ?? coreCount)
    precondition(n <= Int32.max, "useBLAS(threads:): \(n) threads is too many")
    openblas_set_num_threads(Int32(n))
    threadSetting.withLock { $0 = 1 }
    return 1
  }
}
