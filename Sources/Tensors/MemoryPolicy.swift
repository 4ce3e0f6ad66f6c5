#if canImport(Glibc)
  import Glibc
#endif

/// Process-wide allocator settings for commands that run the network engine.
public enum MemoryPolicy {
  /// Keeps freed tensor memory in the process for reuse instead of returning it to the kernel.
  ///
  /// The engine allocates a fresh activation tensor per layer, tens of megabytes each at
  /// 224×224 and batch 16. By default glibc serves such blocks with `mmap` and unmaps them on
  /// free, so every layer pays page faults and kernel page clearing (about a tenth of the run
  /// time of a ResNet-50 batch). With the mmap threshold raised to 1 GiB and trimming off,
  /// freed blocks are reused directly. Call once at the start of a command.
  public static func keepFreedMemory() {
    #if canImport(Glibc)
      // glibc's mallopt (malloc.h is not part of the Glibc module): looked up by name.
      // Parameter numbers from malloc.h: M_TRIM_THRESHOLD −1, M_MMAP_THRESHOLD −3.
      typealias Mallopt = @convention(c) (Int32, Int32) -> Int32
      guard let symbol = dlsym(UnsafeMutableRawPointer(bitPattern: 0), "mallopt") else { return }
      let mallopt = unsafeBitCast(symbol, to: Mallopt.self)
      _ = mallopt(-3, 1 << 30)
      _ = mallopt(-1, Int32.max)
    #endif
  }
}
