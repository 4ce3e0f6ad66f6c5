import ArgumentParser
import Foundation
import Geometry
import MeshFiles
import Plotting
import Rendering
import Tensors

/// `semrob shapes sheet`: a contact sheet of the catalogue's shapes.
struct ShapeSheet: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "sheet",
    abstract: "Draw a contact sheet: every classed shape of the catalogue at one pose.",
    discussion: """
      One row per class (in the order aeroplane, bathtub, bench, ...) labelled with its name, its
      shapes left to right by name (numbered along the top), rendered in the default preset
      with their material colours on light grey.
      """)

  @Option(
    help: ArgumentHelp("Directory of the shipped shapes (default: ./Meshes).", valueName: "dir"))
  var meshes: String?
  @Option(name: .customLong("class"), help: "Only the shapes of this class (one row).")
  var shapeClass: String?
  @Option(help: "Camera azimuth in degrees.") var azimuth = 30.0
  @Option(help: "Camera elevation in degrees.") var elevation = 20.0
  @Option(help: "Side of each tile in pixels (16…512).") var tile = 128
  @Option(name: .shortAndLong, help: ArgumentHelp("Output PNG file.", valueName: "file.png"))
  var output: String
  @Option(help: "Threads (default: all cores).") var threads: Int?
  @Flag(name: .shortAndLong, help: "Print no progress on standard error.") var quiet = false

  func validate() throws {
    if let threads, threads < 1 {
      throw ValidationError("--threads must be at least 1 (got \(threads)).")
    }
    guard (16...512).contains(tile) else {
      throw ValidationError("--tile must be in 16…512 (got \(tile)).")
    }
    guard output.lowercased().hasSuffix(".png") else {
      throw ValidationError("--output must name a .png file (got '\(output)').")
    }
    guard azimuth.isFinite, elevation.isFinite else {
      throw ValidationError("--azimuth and --elevation must be finite.")
    }
    try OutputFiles.checkWritableDirectory(of: output, option: "--output")
  }

  func run() throws {
    let threads = Parallelism.useOwnLoops(threads: threads)
    let catalog = try ShapeCatalog.load(explicit: meshes)
    var rows: [[ShapeCatalog.Entry]] = []
    for shapeClass in ShapeClass.allCases.map(\.rawValue)
    where self.shapeClass == nil || self.shapeClass == shapeClass {
      let entries = catalog.index.shapes.filter { $0.class == shapeClass }.sorted {
        $0.name < $1.name
      }
      if !entries.isEmpty { rows.append(entries) }
    }
    guard !rows.isEmpty else {
      throw CLIError(
        "the catalogue '\(catalog.directory.path)' has no shapes"
          + (shapeClass.map { " of class '\($0)'" } ?? " with a class")
          + "; `semrob shapes` lists what it has.")
    }
    var settings = RenderSettings.default
    settings.size = tile
    settings.materialColours = true
    settings.background = SIMD3(repeating: 0.82)
    // Tiles with a gap, a column of class names on the left and shape numbers along the top.
    let gap = max(1, tile / 32)
    let font = tile >= 96 ? BitmapFont.dejaVuSans14 : BitmapFont.dejaVuSans11
    let labelWidth = rows.map { font.width(of: $0[0].class ?? "") }.max()! + 2 * font.pixelSize / 2
    let header = font.ascent + font.descent + gap
    let columns = rows.map(\.count).max()!
    var canvas = Canvas(
      width: labelWidth + columns * (tile + gap) + gap,
      height: header + rows.count * (tile + gap) + gap)
    let ink = SIMD3<Float>(repeating: 0.1)
    let pose = CameraPose(azimuthDegrees: azimuth, elevationDegrees: elevation)
    for (r, row) in rows.enumerated() {
      let y0 = header + gap + r * (tile + gap)
      canvas.text(
        row[0].class ?? "", x: labelWidth - font.pixelSize / 2,
        y: y0 + tile / 2 + font.ascent / 3, font: font, colour: ink, alignment: .right)
      for (c, entry) in row.enumerated() {
        let loaded = try MeshFiles.load(contentsOf: catalog.url(of: entry))
        let renderer = Renderer<Float>(
          scene: SceneMesh(loaded.mesh.normalized(.shapeNet)), settings: settings)
        let image = renderer.render([pose], threads: threads)[0]
        canvas.paste(
          image.pixels, width: tile, height: tile, x: labelWidth + gap + c * (tile + gap), y: y0)
      }
      Diagnostics.note("rendered \(row[0].class ?? "") (\(row.count))", quiet: quiet)
    }
    // Column numbers: the shape's number within its class (01 … 10) when every row agrees.
    for c in 0..<columns {
      let suffixes = Set(
        rows.compactMap { $0.indices.contains(c) ? String($0[c].name.suffix(2)) : nil })
      guard suffixes.count == 1, let label = suffixes.first else { continue }
      canvas.text(
        label, x: labelWidth + gap + c * (tile + gap) + tile / 2, y: font.ascent, font: font,
        colour: ink, alignment: .centre)
    }
    try OutputFiles.writePNG(canvas.tensor, to: output)
    Diagnostics.note("wrote \(output) (\(rows.count) rows × \(columns) columns)", quiet: quiet)
  }
}
