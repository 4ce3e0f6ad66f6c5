import Geometry
import Tensors

/// The training and validation shapes: generated from the class generators with seeds from
/// ``Geometry/ShapeClass/trainingSeeds`` (never an evaluation seed), split by shape.
public enum TrainingShapes {
  /// A shape of the split: its class (label = the class's index in
  /// ``Geometry/ShapeClass/allCases``) and seed.
  public struct Entry: Sendable, Hashable {
    /// The class.
    public var shapeClass: ShapeClass
    /// The generator seed.
    public var seed: UInt64
    /// The label: the class's index in `ShapeClass.allCases`.
    public var label: Int { ShapeClass.allCases.firstIndex(of: shapeClass)! }
  }

  /// Seeds `1000 ..< 1000 + perClass` of every class, the last `validation` of each class
  /// held out for validation.
  ///
  /// - Parameters:
  ///   - perClass: Shapes per class (≥ 2).
  ///   - validation: Validation shapes per class (1 ..< perClass).
  /// - Returns: Training and validation shapes, class-major.
  public static func split(perClass: Int, validation: Int) -> (
    training: [Entry], validation: [Entry]
  ) {
    precondition(perClass >= 2 && (1..<perClass).contains(validation), "TrainingShapes: bad split")
    let first = ShapeClass.trainingSeeds.lowerBound
    var training: [Entry] = []
    var held: [Entry] = []
    for shapeClass in ShapeClass.allCases {
      for k in 0..<perClass {
        let entry = Entry(shapeClass: shapeClass, seed: first + UInt64(k))
        if k < perClass - validation { training.append(entry) } else { held.append(entry) }
      }
    }
    return (training, held)
  }

  /// The entry's mesh, as `semrob shapes generate` writes it.
  public static func mesh(_ entry: Entry) -> Mesh {
    entry.shapeClass.generate(seed: entry.seed, random: RandomGenerator(seed: entry.seed)).mesh
  }
}
