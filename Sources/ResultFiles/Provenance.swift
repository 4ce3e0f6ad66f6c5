import Foundation

/// Where a result came from: enough to reproduce it.
///
/// Every file semrob writes carries one (STYLE §8): the program version, the full command
/// line, a SHA-256 digest of every input file, the settings that affect the result, the seed,
/// the thread count and the time of the run. Only `createdAt` differs between two runs with the
/// same arguments, seed and thread count.
public struct Provenance: Codable, Sendable, Hashable {
  /// The semrob version string, such as `"0.1.0"`.
  public var semrobVersion: String
  /// The command-line arguments, starting with the subcommand (without the executable path).
  public var arguments: [String]
  /// Lowercase hexadecimal SHA-256 digest of each input file, keyed by the path as given.
  public var inputFiles: [String: String]
  /// The resolved settings that affect the result, including defaults the user did not type.
  public var settings: [String: JSONValue]
  /// The `--seed` value.
  public var seed: UInt64
  /// The number of threads used (the resolved `--threads`).
  public var threadCount: Int
  /// The UTC time of the run, ISO 8601 with a `Z` suffix and whole seconds
  /// (`2025-01-31T12:34:56Z`).
  public var createdAt: String

  /// Creates a provenance record.
  ///
  /// - Parameters:
  ///   - semrobVersion: The program version.
  ///   - arguments: The command-line arguments.
  ///   - inputFiles: Path → SHA-256 of each input; see ``digests(of:)``.
  ///   - settings: Resolved settings.
  ///   - seed: The seed of every random choice.
  ///   - threadCount: Threads used, ≥ 1.
  ///   - createdAt: The time of the run; defaults to now.
  public init(
    semrobVersion: String, arguments: [String], inputFiles: [String: String] = [:],
    settings: [String: JSONValue] = [:], seed: UInt64, threadCount: Int, createdAt: Date = Date()
  ) {
    precondition(threadCount >= 1, "Provenance: threadCount is \(threadCount), expected ≥ 1")
    self.semrobVersion = semrobVersion
    self.arguments = arguments
    self.inputFiles = inputFiles
    self.settings = settings
    self.seed = seed
    self.threadCount = threadCount
    self.createdAt = Self.timestamp(createdAt)
  }

  /// Formats a date as UTC ISO 8601 with whole seconds and a `Z` suffix.
  ///
  /// Fractions of a second are truncated toward the past.
  ///
  /// - Parameter date: Any date.
  /// - Returns: For example `"2025-01-31T12:34:56Z"`.
  public static func timestamp(_ date: Date) -> String {
    let seconds = Int64(date.timeIntervalSince1970.rounded(.down))
    // Civil date from days since 1970-01-01 (Howard Hinnant's days_from_civil inverse).
    let days = seconds >= 0 ? seconds / 86_400 : (seconds - 86_399) / 86_400
    let secondOfDay = seconds - days * 86_400
    let z = days + 719_468
    let era = (z >= 0 ? z : z - 146_096) / 146_097
    let dayOfEra = z - era * 146_097
    let yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36_524 - dayOfEra / 146_096) / 365
    let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
    let shiftedMonth = (5 * dayOfYear + 2) / 153
    let day = dayOfYear - (153 * shiftedMonth + 2) / 5 + 1
    let month = shiftedMonth < 10 ? shiftedMonth + 3 : shiftedMonth - 9
    let year = yearOfEra + era * 400 + (month <= 2 ? 1 : 0)
    func two(_ value: Int64) -> String { value < 10 ? "0\(value)" : "\(value)" }
    let yearText = String(year)
    let paddedYear = String(repeating: "0", count: max(0, 4 - yearText.count)) + yearText
    return "\(paddedYear)-\(two(month))-\(two(day))T\(two(secondOfDay / 3600)):"
      + "\(two(secondOfDay / 60 % 60)):\(two(secondOfDay % 60))Z"
  }

  /// SHA-256 digests of input files, keyed by each URL's path.
  ///
  /// - Parameter urls: Input file URLs.
  /// - Returns: Path → lowercase hexadecimal digest.
  /// - Throws: ``ResultFileError/unreadable(path:reason:)`` for the first unreadable file.
  /// - Complexity: O(total file size).
  public static func digests(of urls: [URL]) throws -> [String: String] {
    var result: [String: String] = [:]
    for url in urls {
      result[url.path] = try SHA256.hash(contentsOf: url)
    }
    return result
  }
}
