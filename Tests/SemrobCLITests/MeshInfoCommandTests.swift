import Foundation
import Testing

@Suite struct MeshInfoCommandTests {
  static let ply = "/usr/share/assimp/models/PLY/cube.ply"
  static var modelsInstalled: Bool { FileManager.default.fileExists(atPath: ply) }

  @Test("mesh-info reports an assimp-imported mesh", .enabled(if: modelsInstalled))
  func reportsCounts() throws {
    let result = try CommandRunner.run(["mesh-info", "--mesh", Self.ply])
    #expect(result.status == 0, "stderr: \(result.stderr)")
    #expect(result.stdout.contains("vertices 8, triangles 12"))
  }

  @Test(
    "imports still work when the host program ignores SIGCHLD (the child is reaped for us)",
    .enabled(if: modelsInstalled))
  func ignoredSIGCHLD() throws {
    // The ignored disposition is inherited through exec by the semrob process only.
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/bin/bash")
    process.arguments = [
      "-c", "trap '' CHLD; exec \"$0\" mesh-info --mesh \"$1\"", CommandRunner.executable.path,
      Self.ply,
    ]
    let out = Pipe()
    process.standardOutput = out
    process.standardError = Pipe()
    try process.run()
    let data = out.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    #expect(process.terminationStatus == 0)
    #expect(String(decoding: data, as: UTF8.self).contains("vertices 8, triangles 12"))
  }
}
