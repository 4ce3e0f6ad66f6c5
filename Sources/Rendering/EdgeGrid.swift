/// The edge pass's silhouette edges binned on the fine grid.
///
/// Cells of ``cellSize`` × ``cellSize`` samples each list the edges whose screen bounding box,
/// grown by one sample, meets it: a pair of neighbouring samples looks up the cell of its first
/// sample and finds every edge that can cross its segment. Built once per render by the face
/// stage; owned by the ``RenderWorkspace``.
final class EdgeGrid {
  /// Samples per cell side (a power of two).
  static let cellShift = 2
  static var cellSize: Int { 1 << cellShift }
  /// Cells per grid side.
  let side: Int
  /// `start[c] ..< start[c + 1]` indexes cell c's entries in ``entries``.
  let start: UnsafeMutableBufferPointer<Int32>
  /// Edges as `face · 4 + local edge`, with their two vertices (mesh indices).
  private(set) var entries: UnsafeMutableBufferPointer<Int32>
  private(set) var vertexA: UnsafeMutableBufferPointer<Int32>
  private(set) var vertexB: UnsafeMutableBufferPointer<Int32>
  /// Per cell, the count while filling.
  private let fill: UnsafeMutableBufferPointer<Int32>

  init(fineSize: Int) {
    side = (fineSize + Self.cellSize - 1) / Self.cellSize
    start = .allocate(capacity: side * side + 1)
    start.initialize(repeating: 0)
    fill = .allocate(capacity: side * side)
    fill.initialize(repeating: 0)
    entries = .allocate(capacity: 1024)
    entries.initialize(repeating: 0)
    vertexA = .allocate(capacity: 1024)
    vertexA.initialize(repeating: 0)
    vertexB = .allocate(capacity: 1024)
    vertexB.initialize(repeating: 0)
  }

  deinit {
    start.deallocate()
    fill.deallocate()
    entries.deallocate()
    vertexA.deallocate()
    vertexB.deallocate()
  }

  /// The cell of fine sample `(row, col)`.
  @inline(__always)
  func cell(row: Int, col: Int) -> Int { (row >> Self.cellShift) * side + col >> Self.cellShift }

  /// Rebuilds the grid from `edges` (`face · 4 + k`, its vertices, and its screen bounding box
  /// `(colMin, colMax, rowMin, rowMax)` in fine samples).
  func build(_ edges: [(entry: Int32, a: Int32, b: Int32, box: SIMD4<Double>)], fineSize: Int) {
    let cells = side * side
    for c in 0..<cells { fill[c] = 0 }
    var ranges: [SIMD4<Int32>] = []
    ranges.reserveCapacity(edges.count)
    let last = Double(side - 1)
    for edge in edges {
      let b = edge.box
      // Grown by one sample: a pair's segment starts in the cell of its first sample and
      // reaches one sample further.
      let c0 = Int32(max(0, min(last, ((b.x - 1) / Double(Self.cellSize)).rounded(.down))))
      let c1 = Int32(max(0, min(last, ((b.y + 1) / Double(Self.cellSize)).rounded(.down))))
      let r0 = Int32(max(0, min(last, ((b.z - 1) / Double(Self.cellSize)).rounded(.down))))
      let r1 = Int32(max(0, min(last, ((b.w + 1) / Double(Self.cellSize)).rounded(.down))))
      ranges.append(SIMD4(c0, c1, r0, r1))
      for r in r0...r1 { for c in c0...c1 { fill[Int(r) * side + Int(c)] += 1 } }
    }
    var total: Int32 = 0
    for c in 0..<cells {
      start[c] = total
      total += fill[c]
      fill[c] = start[c]
    }
    start[cells] = total
    if Int(total) > entries.count {
      for buffer in [entries, vertexA, vertexB] { buffer.deallocate() }
      entries = .allocate(capacity: Int(total) * 2)
      entries.initialize(repeating: 0)
      vertexA = .allocate(capacity: Int(total) * 2)
      vertexA.initialize(repeating: 0)
      vertexB = .allocate(capacity: Int(total) * 2)
      vertexB.initialize(repeating: 0)
    }
    for (edge, range) in zip(edges, ranges) {
      for r in range.z...range.w {
        for c in range.x...range.y {
          let cell = Int(r) * side + Int(c)
          let i = Int(fill[cell])
          entries[i] = edge.entry
          vertexA[i] = edge.a
          vertexB[i] = edge.b
          fill[cell] += 1
        }
      }
    }
  }
}
