import Foundation

/// Which way azimuth runs and which way the image x-axis points (METHODS §1.2–§1.4).
///
/// See `Rendering.docc/Conventions.md` for the full convention page.
public enum CameraConvention: String, Sendable, Hashable, CaseIterable, Codable {
  /// semrob default, PyTorch3D-compatible: the eye is `d(cos e sin a, sin e, cos e cos a)`
  /// (azimuth 0 on +Z) and camera +x is drawn to the image left, which gives the physical,
  /// non-mirrored view.
  case pytorch3d
  /// The original study's NMR camera: the eye is `d(cos e sin a, sin e, −cos e cos a)`
  /// (azimuth 0 on −Z) and camera +x is drawn to the image right (images are horizontally
  /// mirrored relative to a physical camera).
  case nmr
}

/// A point in the semantic pose space: where the camera sits on its sphere around the object.
///
/// Angles are stored in **radians**; ``init(azimuthDegrees:elevationDegrees:distance:)`` takes
/// degrees (converted with `ρ = π/180` in Float64). Azimuth and elevation are never wrapped.
public struct CameraPose: Sendable, Hashable, Codable {
  /// Azimuth `a`, radians.
  public var azimuth: Double
  /// Elevation `e` above the XZ plane, radians (positive raises the camera).
  public var elevation: Double
  /// Distance `d` from the eye to the origin, world units (> 0).
  public var distance: Double

  /// Creates a pose from angles in radians.
  ///
  /// - Parameters:
  ///   - azimuth: Azimuth in radians.
  ///   - elevation: Elevation in radians.
  ///   - distance: Eye distance from the origin (> 0).
  public init(azimuth: Double, elevation: Double, distance: Double = 2.732) {
    self.azimuth = azimuth
    self.elevation = elevation
    self.distance = distance
  }

  /// Creates a pose from angles in degrees.
  ///
  /// - Parameters:
  ///   - azimuthDegrees: Azimuth in degrees.
  ///   - elevationDegrees: Elevation in degrees.
  ///   - distance: Eye distance from the origin (> 0).
  public init(azimuthDegrees: Double, elevationDegrees: Double, distance: Double = 2.732) {
    self.init(
      azimuth: azimuthDegrees * Camera.radiansPerDegree,
      elevation: elevationDegrees * Camera.radiansPerDegree, distance: distance)
  }
}

/// A look-at perspective camera on a sphere around the origin, with +Y up (METHODS §1.2–§1.4).
///
/// The frame is the closed form of `z_c = normalize(at − C)`, `x_c = normalize(up × z_c)`,
/// `y_c = z_c × x_c` (right-handed, `z_c` into the scene), which also holds at `e = ±90°` and
/// flips like the look-at construction for `|e| > 90°`. All camera math is Float64.
public struct Camera: Sendable, Hashable {
  /// `π/180`, the degree-to-radian factor.
  public static let radiansPerDegree = Double.pi / 180

  /// The convention (eye placement and image x direction).
  public var convention: CameraConvention
  /// The pose.
  public var pose: CameraPose
  /// Full vertical field of view, radians (default 60°).
  public var fieldOfView: Double
  /// Near plane depth (view Z), world units.
  public var near: Double
  /// Far plane depth, world units.
  public var far: Double

  /// The eye position `C`.
  public let eye: SIMD3<Double>
  /// Camera x axis `x_c` (unit).
  public let xAxis: SIMD3<Double>
  /// Camera y axis `y_c` (unit, image up).
  public let yAxis: SIMD3<Double>
  /// Camera z axis `z_c` (unit, into the scene).
  public let zAxis: SIMD3<Double>
  /// `tan(fieldOfView / 2)`.
  public let tanHalfFieldOfView: Double

  /// Creates a camera.
  ///
  /// - Parameters:
  ///   - convention: Eye placement and image x direction.
  ///   - pose: Azimuth, elevation (radians) and distance.
  ///   - fieldOfView: Full vertical field of view in radians, in (0, π).
  ///   - near: Near plane depth (> 0).
  ///   - far: Far plane depth (> near).
  public init(
    convention: CameraConvention, pose: CameraPose, fieldOfView: Double = Double.pi / 3,
    near: Double = 0.1, far: Double = 100
  ) {
    precondition(
      fieldOfView > 0 && fieldOfView < Double.pi,
      "Camera: field of view must be in (0, π) radians (got \(fieldOfView))")
    precondition(near > 0 && far > near, "Camera: need 0 < near < far (got \(near), \(far))")
    precondition(
      pose.distance > 0 && pose.distance.isFinite,
      "Camera: the distance must be positive and finite (got \(pose.distance))")
    self.convention = convention
    self.pose = pose
    self.fieldOfView = fieldOfView
    self.near = near
    self.far = far
    let (a, e, d) = (pose.azimuth, pose.elevation, pose.distance)
    let (sa, ca, se, ce) = (sin(a), cos(a), sin(e), cos(e))
    let s: Double = ce >= 0 ? 1 : -1
    switch convention {
    case .pytorch3d:
      eye = d * SIMD3(ce * sa, se, ce * ca)
      zAxis = -SIMD3(ce * sa, se, ce * ca)
      xAxis = s * SIMD3(-ca, 0, sa)
      yAxis = s * SIMD3(-se * sa, ce, -se * ca)
    case .nmr:
      eye = d * SIMD3(ce * sa, se, -ce * ca)
      zAxis = SIMD3(-ce * sa, -se, ce * ca)
      xAxis = s * SIMD3(ca, 0, sa)
      yAxis = s * SIMD3(-se * sa, ce, se * ca)
    }
    tanHalfFieldOfView = tan(fieldOfView / 2)
  }

  /// `σ_x`: −1 when camera +x is drawn to the image left (pytorch3d), +1 otherwise (nmr).
  public var imageXSign: Double { convention == .pytorch3d ? -1 : 1 }

  /// View coordinates `(X, Y, Z)` of a world point: `X = (P − C)·x_c`, `Y = (P − C)·y_c`,
  /// `Z = (P − C)·z_c` (Z > 0 in front of the camera; Z is the view depth).
  ///
  /// - Parameter point: A world point.
  /// - Returns: Its view coordinates.
  @inlinable
  public func viewCoordinates(of point: SIMD3<Double>) -> SIMD3<Double> {
    let r = point - eye
    return SIMD3(
      r.x * xAxis.x + r.y * xAxis.y + r.z * xAxis.z,
      r.x * yAxis.x + r.y * yAxis.y + r.z * yAxis.z,
      r.x * zAxis.x + r.y * zAxis.y + r.z * zAxis.z)
  }

  /// Normalised device coordinates `(u, v)` of a view-space point: `u = σ_x X/(Z t)`,
  /// `v = Y/(Z t)`; `(+1, +1)` is the top-right image corner.
  ///
  /// - Parameter view: View coordinates with `Z ≠ 0`.
  /// - Returns: `(u, v)`.
  @inlinable
  public func normalizedDeviceCoordinates(ofView view: SIMD3<Double>) -> SIMD2<Double> {
    let scale = 1 / (view.z * tanHalfFieldOfView)
    return SIMD2(imageXSign * view.x * scale, view.y * scale)
  }

  /// Continuous pixel coordinates `(row, col)` of a world point in a `height × width` image:
  /// `col = (u + 1) W/2 − 1/2`, `row = (1 − v) H/2 − 1/2` (integer values are pixel centres,
  /// row 0 at the top).
  ///
  /// - Parameters:
  ///   - point: A world point in front of the camera.
  ///   - width: Image width in pixels.
  ///   - height: Image height in pixels.
  /// - Returns: `(row, col)`.
  public func pixelCoordinates(of point: SIMD3<Double>, width: Int, height: Int) -> SIMD2<Double> {
    let uv = normalizedDeviceCoordinates(ofView: viewCoordinates(of: point))
    return SIMD2((1 - uv.y) * Double(height) / 2 - 0.5, (uv.x + 1) * Double(width) / 2 - 0.5)
  }
}
