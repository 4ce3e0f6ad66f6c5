import Foundation

/// Writes diagnostics (progress, warnings, timings) to standard error; standard output carries
/// only results.
struct StandardError: TextOutputStream {
  mutating func write(_ string: String) {
    FileHandle.standardError.write(Data(string.utf8))
  }
}

/// Diagnostics helpers for commands.
enum Diagnostics {
  /// Prints one line to standard error unless `quiet`.
  static func note(_ message: String, quiet: Bool = false) {
    guard !quiet else { return }
    var stream = StandardError()
    print(message, to: &stream)
  }

  /// Prints a `warning:` line to standard error.
  static func warning(_ message: String) {
    var stream = StandardError()
    print("warning: \(message)", to: &stream)
  }
}
