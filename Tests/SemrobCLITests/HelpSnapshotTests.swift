import Foundation
import Testing

/// `--help` output of every command against committed snapshots.
///
/// Re-record after an intended change with `SEMROB_RECORD_SNAPSHOTS=1 swift test --filter
/// HelpSnapshotTests` and review the diff like code.
@Suite struct HelpSnapshotTests {
  static let commands: [[String]] = [
    [], ["render"], ["shapes"], ["shapes", "list"], ["shapes", "generate"], ["shapes", "sheet"],
    ["mesh-info"], ["train"], ["evaluate"], ["make-mesh"], ["classify"], ["score"], ["models"],
    ["bench"],
    ["map"], ["dsm"], ["bench", "render"], ["bench", "engine"], ["bench", "score"],
    ["bench", "map"],
  ]

  static let snapshots = CommandRunner.packageRoot.appending(path: "Tests/SemrobCLITests/Snapshots")

  @Test("--help matches its snapshot", arguments: commands)
  func help(command: [String]) throws {
    let result = try CommandRunner.run(command + ["--help"], environment: ["COLUMNS": "100"])
    #expect(result.status == 0)
    let name = (["semrob"] + command).joined(separator: "-") + ".txt"
    let url = Self.snapshots.appending(path: name)
    if ProcessInfo.processInfo.environment["SEMROB_RECORD_SNAPSHOTS"] == "1" {
      try Data(result.stdout.utf8).write(to: url)
      return
    }
    let expected = try String(contentsOf: url, encoding: .utf8)
    #expect(
      result.stdout == expected,
      "help of '\(command.joined(separator: " "))' changed; re-record with SEMROB_RECORD_SNAPSHOTS=1"
    )
  }
}
