import ArgumentParser

@main
struct Semrob: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "semrob",
    abstract: "Render meshes, probe classifiers and measure semantic robustness.",
    version: SemrobVersion.string,
    subcommands: [
      Render.self, ShapesCommand.self, MeshInfo.self, MakeMesh.self, Classify.self, Score.self,
      Models.self, Train.self, Evaluate.self, MapCommand.self, DSMCommand.self, Bench.self,
    ])
}
