/// The ten object classes of the original study, each with its procedural generator.
///
/// A generator draws a documented set of parameters from a seeded random stream
/// (``ShapeBuilder``) and builds the object from parts (``Part``): the same class and seed
/// give the same mesh, bit for bit.
/// Shapes are normalised like ShapeNet: +Y up, front towards +Z, centred, longest side spanning
/// [−1, 1]. The shipped evaluation shapes use seeds 1–10 (`chair01` … `chair10`); training
/// shapes use seeds from ``trainingSeeds``, never an evaluation seed.
public enum ShapeClass: String, Sendable, Hashable, CaseIterable, Codable {
  case aeroplane, bathtub, bench, bottle, chair, cup, piano, rifle, vase, toilet

  /// The seeds of the shipped evaluation shapes (`<class>01` … `<class>10`).
  public static let evaluationSeeds: ClosedRange<UInt64> = 1...10
  /// Seeds reserved for training shapes (disjoint from ``evaluationSeeds``).
  public static let trainingSeeds: PartialRangeFrom<UInt64> = 1000...

  /// A generated shape: its mesh (ShapeNet-normalised, one material per coloured role) and the
  /// parameters drawn for it.
  public struct Generated: Sendable {
    /// The class.
    public var shapeClass: ShapeClass
    /// The seed.
    public var seed: UInt64
    /// The mesh.
    public var mesh: Mesh
    /// The parameters, by name (see each generator).
    public var parameters: [String: Double]
    /// The parts before merging, in shape units (for validity tests).
    public var parts: [Part]
  }

  /// Generates the shape of this class for `seed`, drawing from `random`.
  ///
  /// - Parameters:
  ///   - seed: The shape's seed (recorded with the shape).
  ///   - random: semrob's generator seeded with `seed` (`RandomGenerator(seed: seed)` from
  ///     Tensors, METHODS §0); Geometry depends on no other module, so callers pass it in.
  /// - Returns: The shape, its parameters and parts.
  public func generate(seed: UInt64, random: some RandomNumberGenerator) -> Generated {
    var builder = ShapeBuilder(random: random)
    switch self {
    case .aeroplane: AeroplaneGenerator.build(&builder)
    case .bathtub: BathtubGenerator.build(&builder)
    case .bench: BenchGenerator.build(&builder)
    case .bottle: BottleGenerator.build(&builder)
    case .chair: ChairGenerator.build(&builder)
    case .cup: CupGenerator.build(&builder)
    case .piano: PianoGenerator.build(&builder)
    case .rifle: RifleGenerator.build(&builder)
    case .toilet: ToiletGenerator.build(&builder)
    case .vase: VaseGenerator.build(&builder)
    }
    return Generated(
      shapeClass: self, seed: seed, mesh: builder.mesh(), parameters: builder.parameters,
      parts: builder.builtParts)
  }

  /// The name of the evaluation shape with `seed`: `chair01` for seed 1.
  public func evaluationName(seed: UInt64) -> String {
    rawValue + (seed < 10 ? "0" : "") + String(seed)
  }
}
