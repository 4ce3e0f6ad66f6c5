import Foundation

/// How surface normals are formed (METHODS §1.6).
public enum Shading: String, Sendable, Hashable, CaseIterable, Codable {
  /// Interpolated, consistently oriented, area-weighted vertex normals (semrob default).
  case smooth
  /// One eye-facing normal per face, normalised with NMR's `eps = 1e-5` (the `nmr` preset).
  case flat
}

/// Which samples on a triangle edge belong to the triangle.
public enum FillRule: String, Sendable, Hashable, CaseIterable, Codable {
  /// Top-left rule: a sample exactly on an edge belongs to the triangle only when the edge is a
  /// top or a left edge, so a sample on an edge shared by two triangles is covered exactly once.
  case topLeft
  /// Edges inclusive (`λ_i ≥ 0`, NMR's rule, METHODS §1.5): a sample exactly on a shared edge is
  /// covered by both triangles and the depth test with its lower-index tie-break decides.
  case inclusive
}

/// What happens to a triangle that crosses the near plane.
public enum NearPlaneHandling: String, Sendable, Hashable, CaseIterable, Codable {
  /// Clip the triangle against `Z = near` (Sutherland–Hodgman in view space) and rasterise the
  /// part in front (semrob default).
  case clip
  /// Discard any triangle with a vertex at `Z < near` (NMR, METHODS §1.5).
  case discardTriangle
}

/// The frame in which the light direction is fixed.
public enum LightFrame: String, Sendable, Hashable, CaseIterable, Codable {
  /// The light direction is fixed in world space (default).
  case world
  /// A headlight: the light shines along the view direction, `ℓ = −z_c`.
  case camera
}

/// Ambient plus one directional white light (METHODS §1.6).
///
/// `colour = albedo · (ambient + diffuse · max(0, n̂ · ℓ))`, with `ℓ` the unit direction
/// **towards** the light.
public struct Light: Sendable, Hashable, Codable {
  /// Ambient intensity `k_a`.
  public var ambient: Double
  /// Directional intensity `k_d`.
  public var diffuse: Double
  /// Light azimuth, radians, in the pytorch3d convention of ``CameraPose`` (0 on +Z).
  public var azimuth: Double
  /// Light elevation above the XZ plane, radians (π/2: straight from above, +Y).
  public var elevation: Double
  /// World or camera frame.
  public var frame: LightFrame

  /// Creates a light.
  ///
  /// - Parameters:
  ///   - ambient: Ambient intensity (default 0.5).
  ///   - diffuse: Directional intensity (default 0.5).
  ///   - azimuth: Light azimuth in radians (default 0).
  ///   - elevation: Light elevation in radians (default π/2, light from +Y).
  ///   - frame: World (default) or camera (headlight; the angles are then ignored).
  public init(
    ambient: Double = 0.5, diffuse: Double = 0.5, azimuth: Double = 0,
    elevation: Double = Double.pi / 2, frame: LightFrame = .world
  ) {
    self.ambient = ambient
    self.diffuse = diffuse
    self.azimuth = azimuth
    self.elevation = elevation
    self.frame = frame
  }

  // File formats carry degrees (the library works in radians).
  private enum CodingKeys: String, CodingKey {
    case ambient, diffuse, azimuthDegrees, elevationDegrees, frame
  }

  /// Decodes a light whose angles are in degrees.
  ///
  /// - Parameter decoder: The decoder.
  /// - Throws: `DecodingError` for missing or mistyped fields.
  public init(from decoder: any Decoder) throws {
    let c = try decoder.container(keyedBy: CodingKeys.self)
    self.init(
      ambient: try c.decode(Double.self, forKey: .ambient),
      diffuse: try c.decode(Double.self, forKey: .diffuse),
      azimuth: try c.decode(Double.self, forKey: .azimuthDegrees) * Camera.radiansPerDegree,
      elevation: try c.decode(Double.self, forKey: .elevationDegrees) * Camera.radiansPerDegree,
      frame: try c.decode(LightFrame.self, forKey: .frame))
  }

  /// Encodes the light with its angles in degrees.
  ///
  /// - Parameter encoder: The encoder.
  /// - Throws: Errors of the encoder.
  public func encode(to encoder: any Encoder) throws {
    var c = encoder.container(keyedBy: CodingKeys.self)
    try c.encode(ambient, forKey: .ambient)
    try c.encode(diffuse, forKey: .diffuse)
    try c.encode(azimuth / Camera.radiansPerDegree, forKey: .azimuthDegrees)
    try c.encode(elevation / Camera.radiansPerDegree, forKey: .elevationDegrees)
    try c.encode(frame, forKey: .frame)
  }

  /// The unit world direction towards the light for a world-frame light:
  /// `(cos e sin a, sin e, cos e cos a)`; exactly `(0, 1, 0)` at the default elevation.
  public var worldDirection: SIMD3<Double> {
    if elevation == Double.pi / 2 { return SIMD3(0, 1, 0) }
    let ce = cos(elevation)
    return SIMD3(ce * sin(azimuth), sin(elevation), ce * cos(azimuth))
  }
}

/// Everything about a render except the mesh and the pose.
///
/// The two presets of METHODS §1.8 are ``default`` and ``nmr``; every field can be changed
/// afterwards. Images are square, `size × size`, rasterised on a `(size·supersampling)²` grid
/// and box-filtered down.
public struct RenderSettings: Sendable, Hashable, Codable {
  /// Camera convention (eye placement and image x direction).
  public var convention: CameraConvention
  /// Output image side in pixels, 16…1024.
  public var size: Int
  /// Supersampling factor `k_ss` (1…8, with `size · supersampling ≤ 4096`).
  public var supersampling: Int
  /// Full vertical field of view, radians.
  public var fieldOfView: Double
  /// Near plane depth.
  public var near: Double
  /// Far plane depth.
  public var far: Double
  /// Smooth or flat shading.
  public var shading: Shading
  /// Whether the analytic edge-antialiasing pass (METHODS §1.7) runs on the fine grid.
  public var edgeAntialiasing: Bool
  /// Sample ownership on triangle edges.
  public var fillRule: FillRule
  /// Near-plane handling.
  public var nearPlane: NearPlaneHandling
  /// The light.
  public var light: Light
  /// Background colour, linear RGB in [0, 1].
  public var background: SIMD3<Double>
  /// Use the mesh's per-face material colours as albedo (otherwise white, as both presets).
  public var materialColours: Bool
  /// Soft mode (METHODS §1.10) when set; `nil` (both presets) renders hard.
  ///
  /// The image is then the SoftRas-style aggregate of every face near each sample instead of
  /// the point-sampled nearest face, and the edge pass is not used (whatever
  /// ``edgeAntialiasing`` says).
  public var soft: SoftRasterization?

  /// The semrob default preset: pytorch3d camera, 224², 2× supersampling, smooth shading, edge
  /// pass on, top-left fill rule, near-plane clipping, white mesh on black.
  public static let `default` = RenderSettings(
    convention: .pytorch3d, size: 224, supersampling: 2, fieldOfView: Double.pi / 3, near: 0.1,
    far: 100, shading: .smooth, edgeAntialiasing: true, fillRule: .topLeft, nearPlane: .clip,
    light: Light(), background: .zero, materialColours: false)

  /// The `nmr` preset reproducing the original study's renders (Hamdi & Ghanem 2020 with NMR):
  /// NMR camera, 224², 2× supersampling, flat shading, no edge pass, inclusive edges,
  /// triangles crossing the near plane discarded.
  public static let nmr = RenderSettings(
    convention: .nmr, size: 224, supersampling: 2, fieldOfView: Double.pi / 3, near: 0.1,
    far: 100, shading: .flat, edgeAntialiasing: false, fillRule: .inclusive,
    nearPlane: .discardTriangle, light: Light(), background: .zero, materialColours: false)

  /// Creates settings from every field; prefer starting from ``default`` or ``nmr``.
  ///
  /// - Parameters:
  ///   - convention: Camera convention.
  ///   - size: Output side in pixels.
  ///   - supersampling: Supersampling factor.
  ///   - fieldOfView: Full vertical field of view, radians.
  ///   - near: Near plane depth.
  ///   - far: Far plane depth.
  ///   - shading: Shading mode.
  ///   - edgeAntialiasing: Whether the edge pass runs.
  ///   - fillRule: Edge sample ownership.
  ///   - nearPlane: Near-plane handling.
  ///   - light: The light.
  ///   - background: Background colour.
  ///   - materialColours: Whether face materials colour the mesh.
  ///   - soft: Soft-mode parameters, or `nil` (default) for hard rendering.
  public init(
    convention: CameraConvention, size: Int, supersampling: Int, fieldOfView: Double,
    near: Double, far: Double, shading: Shading, edgeAntialiasing: Bool, fillRule: FillRule,
    nearPlane: NearPlaneHandling, light: Light, background: SIMD3<Double>,
    materialColours: Bool, soft: SoftRasterization? = nil
  ) {
    self.convention = convention
    self.size = size
    self.supersampling = supersampling
    self.fieldOfView = fieldOfView
    self.near = near
    self.far = far
    self.shading = shading
    self.edgeAntialiasing = edgeAntialiasing
    self.fillRule = fillRule
    self.nearPlane = nearPlane
    self.light = light
    self.background = background
    self.materialColours = materialColours
    self.soft = soft
  }

  // File formats carry degrees (the library works in radians).
  private enum CodingKeys: String, CodingKey {
    case convention, size, supersampling, fieldOfViewDegrees, near, far, shading
    case edgeAntialiasing, fillRule, nearPlane, light, background, materialColours, soft
  }

  /// Decodes settings whose field of view is in degrees.
  ///
  /// - Parameter decoder: The decoder.
  /// - Throws: `DecodingError` for missing or mistyped fields.
  public init(from decoder: any Decoder) throws {
    let c = try decoder.container(keyedBy: CodingKeys.self)
    self.init(
      convention: try c.decode(CameraConvention.self, forKey: .convention),
      size: try c.decode(Int.self, forKey: .size),
      supersampling: try c.decode(Int.self, forKey: .supersampling),
      fieldOfView: try c.decode(Double.self, forKey: .fieldOfViewDegrees)
        * Camera.radiansPerDegree,
      near: try c.decode(Double.self, forKey: .near), far: try c.decode(Double.self, forKey: .far),
      shading: try c.decode(Shading.self, forKey: .shading),
      edgeAntialiasing: try c.decode(Bool.self, forKey: .edgeAntialiasing),
      fillRule: try c.decode(FillRule.self, forKey: .fillRule),
      nearPlane: try c.decode(NearPlaneHandling.self, forKey: .nearPlane),
      light: try c.decode(Light.self, forKey: .light),
      background: try c.decode(SIMD3<Double>.self, forKey: .background),
      materialColours: try c.decode(Bool.self, forKey: .materialColours),
      soft: try c.decodeIfPresent(SoftRasterization.self, forKey: .soft))
  }

  /// Encodes the settings with the field of view in degrees.
  ///
  /// - Parameter encoder: The encoder.
  /// - Throws: Errors of the encoder.
  public func encode(to encoder: any Encoder) throws {
    var c = encoder.container(keyedBy: CodingKeys.self)
    try c.encode(convention, forKey: .convention)
    try c.encode(size, forKey: .size)
    try c.encode(supersampling, forKey: .supersampling)
    try c.encode(fieldOfView / Camera.radiansPerDegree, forKey: .fieldOfViewDegrees)
    try c.encode(near, forKey: .near)
    try c.encode(far, forKey: .far)
    try c.encode(shading, forKey: .shading)
    try c.encode(edgeAntialiasing, forKey: .edgeAntialiasing)
    try c.encode(fillRule, forKey: .fillRule)
    try c.encode(nearPlane, forKey: .nearPlane)
    try c.encode(light, forKey: .light)
    try c.encode(background, forKey: .background)
    try c.encode(materialColours, forKey: .materialColours)
    try c.encodeIfPresent(soft, forKey: .soft)
  }

  /// Accepted image sides.
  public static let sizeRange = 16...1024
  /// Accepted supersampling factors.
  public static let supersamplingRange = 1...8
  /// Largest fine-grid side `size · supersampling`.
  public static let maximumFineSize = 4096

  /// A one-line description of the first invalid field, or `nil` when the settings are usable.
  public var problem: String? {
    if !Self.sizeRange.contains(size) {
      return "image size must be in \(Self.sizeRange) pixels (got \(size))"
    }
    if !Self.supersamplingRange.contains(supersampling) {
      return "supersampling must be in \(Self.supersamplingRange) (got \(supersampling))"
    }
    if size * supersampling > Self.maximumFineSize {
      return "size × supersampling must be at most \(Self.maximumFineSize) "
        + "(got \(size) × \(supersampling))"
    }
    if !(fieldOfView > 0 && fieldOfView < Double.pi) {
      return "field of view must be in (0°, 180°) (got \(fieldOfView * 180 / Double.pi)°)"
    }
    if !(near > 0 && far > near && far.isFinite) {
      return "need 0 < near < far < ∞ (got near \(near), far \(far))"
    }
    if !(background.min() >= 0 && background.max() <= 1) {
      return "background components must be in [0, 1] (got \(background))"
    }
    return soft?.problem
  }

  /// The camera these settings use at `pose`.
  ///
  /// - Parameter pose: The camera pose.
  /// - Returns: The camera.
  public func camera(at pose: CameraPose) -> Camera {
    Camera(convention: convention, pose: pose, fieldOfView: fieldOfView, near: near, far: far)
  }
}
