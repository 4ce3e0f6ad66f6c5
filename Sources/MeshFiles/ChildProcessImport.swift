internal import CAssimp
import Synchronization

#if canImport(Glibc)
  import Glibc
#endif

/// Runs one assimp import in a forked child process with an address-space limit and a
/// timeout, and collects the scene stream it writes to a pipe.
///
/// Why a child process: a hostile file can make assimp allocate without bound (
/// `invalid/OutOfMemory.off`: ~16 GB over ~40 s, then `abort()` inside Triangulate), crash on
/// an assertion (Debian keeps them on) or dereference garbage. In the child, `setrlimit(
/// RLIMIT_AS)` turns runaway allocation into `std::bad_alloc` within milliseconds, any crash
/// kills only the child, and the parent turns every ending into a one-line
/// ``MeshFileError``.
///
/// Why `fork()` without `exec`: the package has no helper executable to spawn, and the
/// importer must run assimp's code on the caller's file, which `fork()` gives directly. It is
/// available from Swift's Glibc module on Linux. After `fork()` in a multithreaded process the
/// child may only rely on async-signal-safe work; the child here (``childMain``) runs
/// `setrlimit`, assimp (whose `malloc` is fork-safe in glibc, whose own locks are never held by
/// another of our threads at fork time thanks to ``AssimpImporter/lock``) and raw `write(2)`s
/// from a buffer allocated before the fork, and ends with `_exit`. It touches no Foundation,
/// allocates nothing in Swift, and uses no generic type whose metadata would have to be
/// instantiated at run time (the runtime's metadata caches take locks): only C calls, integer
/// arithmetic and pointer accessors, which are `@_transparent` and inline even in debug builds.
///
/// The parent reads both pipes while the child runs (a large mesh would otherwise fill the
/// 64 KB pipe buffer and deadlock), kills the child with `SIGKILL` at the deadline, and reaps
/// it with `wait4`, which also reports its peak resident memory.
enum ChildProcessImport {
  /// The end of one isolated import.
  struct Outcome {
    /// The scene stream, or the error that ended the import.
    var result: Result<[UInt8], MeshFileError>
    /// Resource use of the child, if it was started and reaped.
    var statistics: ChildStatistics?
  }

  /// Exit statuses of the child.
  enum ExitCode {
    /// The scene was written.
    static var success: Int32 { 0 }
    /// assimp returned no scene; the FAILURE record was written.
    static var importFailed: Int32 { 2 }
    /// `write(2)` to the pipe failed.
    static var writeFailed: Int32 { 3 }
    /// The address-space limit could not be set.
    static var limitFailed: Int32 { 4 }
  }

  /// Staging buffer for the child's output, in 32-bit words (64 KB, one pipe buffer).
  static let stagingWords = 16 * 1024

  /// Imports `path` in a child process.
  ///
  /// - Parameters:
  ///   - path: The file to import.
  ///   - flags: assimp post-processing flags.
  ///   - memoryLimitBytes: Address space the child may add to what it inherits.
  ///   - timeout: Wall-clock limit for the import, including the transfer of the result.
  /// - Returns: The scene stream or the error, and the child's resource use.
  static func run(path: String, flags: UInt32, memoryLimitBytes: Int, timeout: Duration)
    -> Outcome
  {
    precondition(memoryLimitBytes > 0, "MeshImportOptions: memoryLimitBytes must be positive")
    precondition(timeout > .zero, "MeshImportOptions: timeout must be positive")
    let deadline = ContinuousClock.now + timeout
    // RLIMIT_AS counts the whole address space, including everything inherited from this
    // process (thread stacks, malloc arenas, mapped libraries), so the limit is the current size
    // plus the budget.
    // Measured under the import lock, just before fork, so other threads' mappings made in
    // between cannot eat the child's budget.
    func addressSpaceLimit() -> rlim_t {
      guard let current = currentAddressSpaceBytes() else {
        return rlim_t.max  // no /proc: rely on the timeout alone
      }
      let (sum, overflow) = rlim_t(current).addingReportingOverflow(rlim_t(memoryLimitBytes))
      return overflow ? rlim_t.max : sum
    }
    // The child starts with this process's resident pages (shared copy-on-write); its
    // statistics report what it added.
    var inheritedResident = 0
    let staging = UnsafeMutablePointer<UInt32>.allocate(capacity: stagingWords)
    defer { staging.deallocate() }
    var dataPipe: [Int32] = [-1, -1]
    var errorPipe: [Int32] = [-1, -1]

    let started: Result<pid_t, MeshFileError> = path.withCString { cPath in
      AssimpImporter.lock.withLock { _ -> Result<pid_t, MeshFileError> in
        // Socket pairs created close-on-exec atomically (Glibc's Swift module has no pipe2), so a
        // process another thread spawns (and execs) at this moment cannot keep our write ends
        // open and delay the end-of-file we wait for.
        let kind = Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue)
        guard socketpair(AF_UNIX, kind, 0, &dataPipe) == 0 else {
          return .failure(startError(path, "socketpair"))
        }
        guard socketpair(AF_UNIX, kind, 0, &errorPipe) == 0 else {
          let error = startError(path, "socketpair")
          close(dataPipe[0])
          close(dataPipe[1])
          return .failure(error)
        }
        let addressSpaceLimit = addressSpaceLimit()
        inheritedResident = memoryStatus()?.resident ?? 0
        let dataRead = dataPipe[0]
        let dataWrite = dataPipe[1]
        let errorRead = errorPipe[0]
        let errorWrite = errorPipe[1]
        let pid = fork()
        if pid == 0 {
          childMain(
            path: cPath, flags: flags, addressSpaceLimit: addressSpaceLimit,
            dataFD: dataWrite, errorFD: errorWrite, readFDs: (dataRead, errorRead),
            staging: staging, stagingWords: stagingWords)
        }
        let forkError = pid < 0 ? startError(path, "fork") : nil
        close(dataWrite)
        close(errorWrite)
        if let forkError {
          close(dataRead)
          close(errorRead)
          return .failure(forkError)
        }
        return .success(pid)
      }
    }
    let pid: pid_t
    switch started {
    case .success(let child): pid = child
    case .failure(let error): return Outcome(result: .failure(error), statistics: nil)
    }

    // Collect the output while the child runs.
    let maxData =
      memoryLimitBytes > Int.max - (1 << 20) ? Int.max : memoryLimitBytes + (1 << 20)
    var transfer = PipeTransfer(dataFD: dataPipe[0], errorFD: errorPipe[0])
    let ending = transfer.collect(until: deadline, maxDataBytes: maxData)
    var killed = false
    if ending != .finished {
      kill(pid, SIGKILL)
      killed = true
    }
    close(dataPipe[0])
    close(errorPipe[0])

    // Reap. The pipes are closed, so the child is exiting; if it still lingers at the deadline
    // (it cannot, short of a stuck exit), it is killed.
    var status: Int32 = 0
    var usage = rusage()
    var timedOut = ending == .timedOut
    while true {
      let r = wait4(pid, &status, killed ? 0 : WNOHANG, &usage)
      if r == pid { break }
      if r < 0 {
        if errno == EINTR { continue }
        // ECHILD: the host program ignores SIGCHLD, so the kernel reaped the child and its
        // status is gone. A stream that ended cleanly is still usable: the decoder accepts it
        // only if it ends with END or FAILURE, so a crash mid-write is still reported.
        if errno == ECHILD && ending == .finished {
          return Outcome(result: .success(transfer.dataBytes), statistics: nil)
        }
        return Outcome(
          result: .failure(
            .importerCrashed(path: path, reason: "the importer process was lost (wait4 failed)")),
          statistics: nil)
      }
      if ContinuousClock.now >= deadline {
        kill(pid, SIGKILL)
        killed = true
        timedOut = true
      } else {
        usleep(500)
      }
    }
    let statistics = ChildStatistics(
      peakMemoryBytes: max(0, Int(usage.ru_maxrss) * 1024 - inheritedResident),
      cpuTime: .seconds(Int64(usage.ru_utime.tv_sec) + Int64(usage.ru_stime.tv_sec))
        + .microseconds(Int64(usage.ru_utime.tv_usec) + Int64(usage.ru_stime.tv_usec)))
    let stderrText = String(decoding: transfer.errorBytes, as: UTF8.self)

    func failure(_ error: MeshFileError) -> Outcome {
      Outcome(result: .failure(error), statistics: statistics)
    }
    let signal = status & 0x7F
    let exitStatus = (status >> 8) & 0xFF
    if timedOut { return failure(.timedOut(path: path, limit: timeout)) }
    if ending == .outputTooLarge {
      return failure(.memoryLimitExceeded(path: path, limitBytes: memoryLimitBytes))
    }
    if signal != 0 {
      if stderrText.contains("bad_alloc") || stderrText.contains("length_error") {
        return failure(.memoryLimitExceeded(path: path, limitBytes: memoryLimitBytes))
      }
      var reason =
        "assimp crashed (the importer process died from signal \(signal), "
        + "\(signalName(signal)))"
      let printed = MeshFileError.oneLine(stderrText, limit: 200)
      if !printed.isEmpty { reason += "; it printed: \(printed)" }
      return failure(.importerCrashed(path: path, reason: reason))
    }
    switch exitStatus {
    case ExitCode.success, ExitCode.importFailed:
      return Outcome(result: .success(transfer.dataBytes), statistics: statistics)
    case ExitCode.writeFailed:
      return failure(
        .importerCrashed(path: path, reason: "the importer process could not send its result"))
    case ExitCode.limitFailed:
      return failure(
        .importerCrashed(
          path: path, reason: "the importer process could not set its memory limit"))
    default:
      var reason = "the importer process exited with status \(exitStatus)"
      let printed = MeshFileError.oneLine(stderrText, limit: 200)
      if !printed.isEmpty { reason += "; it printed: \(printed)" }
      return failure(.importerCrashed(path: path, reason: reason))
    }
  }

  /// The body of the child process, which never returns.
  ///
  /// Async-signal-safe apart from assimp itself; see the type's discussion.
  static func childMain(
    path: UnsafePointer<CChar>, flags: UInt32, addressSpaceLimit: rlim_t, dataFD: Int32,
    errorFD: Int32, readFDs: (Int32, Int32), staging: UnsafeMutablePointer<UInt32>,
    stagingWords: Int
  ) -> Never {
    close(readFDs.0)
    close(readFDs.1)
    // assimp's assertion messages go to the parent, which quotes them in the error.
    if dup2(errorFD, STDERR_FILENO) >= 0 { close(errorFD) }
    // Drop every other descriptor inherited from the parent (sockets, other subsystems' pipe
    // ends), so the child holds nothing open but its output. A bounded loop: Glibc's Swift
    // module has no close_range.
    var fd: Int32 = 3
    while fd < 4096 {
      if fd != dataFD { close(fd) }
      fd += 1
    }
    // Crash signals get their default action: a handler inherited from the parent (such as a
    // crash reporter or backtracer) must not run in the child.
    signal(SIGSEGV, SIG_DFL)
    signal(SIGBUS, SIG_DFL)
    signal(SIGILL, SIG_DFL)
    signal(SIGFPE, SIG_DFL)
    signal(SIGABRT, SIG_DFL)
    signal(SIGTRAP, SIG_DFL)
    signal(SIGPIPE, SIG_DFL)
    // No core files from crashing imports.
    var noCore = rlimit(rlim_cur: 0, rlim_max: 0)
    _ = setrlimit(__rlimit_resource_t(RLIMIT_CORE.rawValue), &noCore)
    if addressSpaceLimit != rlim_t.max {
      var current = rlimit()
      _ = getrlimit(__rlimit_resource_t(RLIMIT_AS.rawValue), &current)
      let soft = addressSpaceLimit < current.rlim_max ? addressSpaceLimit : current.rlim_max
      var wanted = rlimit(rlim_cur: soft, rlim_max: current.rlim_max)
      if setrlimit(__rlimit_resource_t(RLIMIT_AS.rawValue), &wanted) != 0 {
        _exit(ExitCode.limitFailed)
      }
    }
    var writer = SceneWriter(
      buffer: staging, capacity: stagingWords, fileDescriptor: dataFD, collector: nil)
    if let scene = aiImportFile(path, flags) {
      // No aiReleaseImport: the process ends, and freeing a large scene would only cost time.
      SceneStream.writeScene(scene, into: &writer)
      writer.flush()
      _exit(writer.failed ? ExitCode.writeFailed : ExitCode.success)
    }
    SceneStream.writeFailure(&writer)
    writer.flush()
    _exit(writer.failed ? ExitCode.writeFailed : ExitCode.importFailed)
  }

  /// The process's current address-space size (`VmSize`) from `/proc/self/statm`, in bytes.
  static func currentAddressSpaceBytes() -> Int? { memoryStatus()?.addressSpace }

  /// This process's address-space size and resident set, in bytes, from `/proc/self/statm`.
  static func memoryStatus() -> (addressSpace: Int, resident: Int)? {
    let fd = open("/proc/self/statm", O_RDONLY | O_CLOEXEC)
    guard fd >= 0 else { return nil }
    defer { close(fd) }
    var buffer = [UInt8](repeating: 0, count: 128)
    let n = buffer.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
    guard n > 0 else { return nil }
    // "size resident shared text lib data dt", in pages.
    var fields: [Int] = []
    var value = 0
    var inNumber = false
    for b in buffer[..<n] {
      if b >= 0x30 && b <= 0x39 {
        value = value * 10 + Int(b - 0x30)
        inNumber = true
      } else {
        if inNumber { fields.append(value) }
        value = 0
        inNumber = false
        if fields.count == 2 { break }
      }
    }
    let pageSize = sysconf(Int32(_SC_PAGESIZE))
    guard fields.count == 2, pageSize > 0 else { return nil }
    return (fields[0] * pageSize, fields[1] * pageSize)
  }

  /// An error for a failed `pipe`/`fork` (resource exhaustion in this process).
  static func startError(_ path: String, _ call: String) -> MeshFileError {
    let reason = String(cString: strerror(errno))
    return .importFailed(
      path: path, reason: "could not start the importer process (\(call): \(reason))")
  }

  /// `"SIGSEGV"` and friends.
  static func signalName(_ signal: Int32) -> String {
    switch signal {
    case SIGSEGV: "SIGSEGV, segmentation fault"
    case SIGABRT: "SIGABRT, abort"
    case SIGBUS: "SIGBUS, bus error"
    case SIGILL: "SIGILL, illegal instruction"
    case SIGFPE: "SIGFPE, arithmetic error"
    case SIGKILL: "SIGKILL, killed"
    case SIGTRAP: "SIGTRAP, trap"
    default: String(cString: strsignal(signal))
    }
  }
}

/// Resource use of an isolated import's child process, from `wait4`.
struct ChildStatistics: Sendable, Hashable {
  /// Peak resident set size in bytes beyond the parent's resident set at `fork` (`ru_maxrss`
  /// minus what the child inherited), so the figure does not depend on the caller's size.
  var peakMemoryBytes: Int
  /// User plus system CPU time.
  var cpuTime: Duration
}

/// Reads the child's data and error pipes concurrently until both reach end-of-file.
struct PipeTransfer {
  enum Ending: Equatable {
    case finished
    case timedOut
    case outputTooLarge
  }

  let dataFD: Int32
  let errorFD: Int32
  var dataBytes: [UInt8] = []
  var errorBytes: [UInt8] = []
  /// Error text beyond this is read and dropped.
  static let maxErrorBytes = 16 * 1024

  init(dataFD: Int32, errorFD: Int32) {
    self.dataFD = dataFD
    self.errorFD = errorFD
  }

  mutating func collect(until deadline: ContinuousClock.Instant, maxDataBytes: Int) -> Ending {
    let chunkSize = 64 * 1024
    let chunk = UnsafeMutableRawPointer.allocate(byteCount: chunkSize, alignment: 16)
    defer { chunk.deallocate() }
    var dataOpen = true
    var errorOpen = true
    while dataOpen || errorOpen {
      let now = ContinuousClock.now
      if now >= deadline { return .timedOut }
      let (seconds, attoseconds) = (deadline - now).components
      let milliseconds =
        seconds >= 1_000_000
        ? Int32.max : Int32(clamping: seconds * 1000 + attoseconds / 1_000_000_000_000_000 + 1)
      var fds = [
        pollfd(fd: dataOpen ? dataFD : -1, events: Int16(POLLIN), revents: 0),
        pollfd(fd: errorOpen ? errorFD : -1, events: Int16(POLLIN), revents: 0),
      ]
      let ready = poll(&fds, 2, min(milliseconds, 1000))
      if ready < 0 {
        if errno == EINTR { continue }
        return .finished  // cannot poll: treat what arrived as the output (decoding checks it)
      }
      if ready == 0 { continue }
      for k in 0..<2 where fds[k].revents != 0 {
        let n = read(fds[k].fd, chunk, chunkSize)
        if n < 0 && (errno == EINTR || errno == EAGAIN) { continue }
        if n <= 0 {
          if k == 0 { dataOpen = false } else { errorOpen = false }
          continue
        }
        let bytes = UnsafeRawBufferPointer(start: chunk, count: n)
        if k == 0 {
          dataBytes.append(contentsOf: bytes)
          if dataBytes.count > maxDataBytes { return .outputTooLarge }
        } else if errorBytes.count < PipeTransfer.maxErrorBytes {
          errorBytes.append(contentsOf: bytes.prefix(PipeTransfer.maxErrorBytes - errorBytes.count))
        }
      }
    }
    return .finished
  }
}
