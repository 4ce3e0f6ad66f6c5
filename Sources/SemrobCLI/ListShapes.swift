import ArgumentParser
import Foundation
import ResultFiles

/// `semrob shapes`: the shipped shapes and their generators.
struct ShapesCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "shapes",
    abstract: "List, generate and draw the shapes (Meshes/index.json).",
    subcommands: [ListShapes.self, GenerateShape.self, ShapeSheet.self],
    defaultSubcommand: ListShapes.self)
}

/// `semrob shapes [list]`: lists the shipped shapes.
struct ListShapes: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "list",
    abstract: "List the shipped shapes (Meshes/index.json).",
    discussion: "One line per shape: name, class, triangle count and file.")

  @Option(
    help: ArgumentHelp(
      "Directory of the shipped shapes (default: ./Meshes).",
      valueName: "dir"))
  var meshes: String?
  @Option(name: .customLong("class"), help: "Only the shapes of this class.") var shapeClass:
    String?
  @Flag(help: "Print only the shape names, one per line.") var names = false
  @Flag(help: "Print the index as JSON.") var json = false

  func validate() throws {
    if names && json { throw ValidationError("Give --names or --json, not both.") }
  }

  func run() throws {
    let catalog = try ShapeCatalog.load(explicit: meshes)
    var index = catalog.index
    if let shapeClass {
      let classes = Set(index.shapes.compactMap(\.class)).sorted()
      guard classes.contains(shapeClass) else {
        throw CLIError(
          "no shapes of class '\(shapeClass)' (classes: \(classes.joined(separator: ", "))).")
      }
      index.shapes.removeAll { $0.class != shapeClass }
    }
    if json {
      let data = try ResultJSON.makeDocumentEncoder().encode(index)
      print(String(decoding: data, as: UTF8.self))
      return
    }
    let nameWidth = (index.shapes.map(\.name.count).max() ?? 0) + 2
    let classWidth = (index.shapes.map { ($0.class ?? "-").count }.max() ?? 0) + 2
    for entry in index.shapes {
      if names {
        print(entry.name)
      } else {
        print(
          entry.name.padding(toLength: nameWidth, withPad: " ", startingAt: 0)
            + (entry.class ?? "-").padding(toLength: classWidth, withPad: " ", startingAt: 0)
            + String(format: "%8d triangles  ", entry.triangles) + entry.file)
      }
    }
  }
}
