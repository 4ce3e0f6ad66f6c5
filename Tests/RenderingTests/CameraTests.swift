import Testing

@testable import Rendering

/// Camera and projection numbers of METHODS §8.1 (derived values; tolerance abs 1e-9, §8.8).
@Suite struct CameraTests {
  static let pose = CameraPose(azimuthDegrees: 30, elevationDegrees: 20, distance: 2.732)
  static let point = SIMD3<Double>(0.3, -0.2, 0.5)

  struct Expected: Sendable, CustomTestStringConvertible {
    var convention: CameraConvention
    var eye: SIMD3<Double>
    var x: SIMD3<Double>
    var y: SIMD3<Double>
    var z: SIMD3<Double>
    var view: SIMD3<Double>
    var uv: SIMD2<Double>
    var rowCol: SIMD2<Double>
    var testDescription: String { convention.rawValue }
  }

  static let expected: [Expected] = [
    Expected(
      convention: .pytorch3d,
      eye: SIMD3(1.2836201200, 0.9343990316, 2.2232952654),
      x: SIMD3(-0.8660254038, 0, 0.5),
      y: SIMD3(-0.1710100717, 0.9396926208, -0.2961981327),
      z: SIMD3(-0.4698463104, -0.3420201433, -0.8137976813),
      view: SIMD3(-0.0098076211, -0.3873406120, 2.2525512949),
      uv: SIMD2(0.0075413591, -0.2978372219),
      rowCol: SIMD2(144.8577688528, 112.3446322143)),
    Expected(
      convention: .nmr,
      eye: SIMD3(1.2836201200, 0.9343990316, -2.2232952654),
      x: SIMD3(0.8660254038, 0, 0.5),
      y: SIMD3(-0.1710100717, 0.9396926208, 0.2961981327),
      z: SIMD3(-0.4698463104, -0.3420201433, 0.8137976813),
      view: SIMD3(0.5098076211, -0.0911424793, 3.0663489762),
      uv: SIMD2(0.2879687566, -0.0514825306),
      rowCol: SIMD2(117.2660434223, 143.7525007358)),
  ]

  /// The reference values are printed to 10 decimals, so compare to half a unit of the last
  /// digit (the §8.8 tolerance of 1e-9 applies to Float64 values printed in full).
  static let printed = 0.6e-10

  @Test(
    "eye, frame, view coordinates and pixel position match METHODS §8.1",
    arguments: expected)
  func referenceValues(_ e: Expected) {
    let camera = Camera(convention: e.convention, pose: Self.pose)
    let tol = Self.printed
    for k in 0..<3 {
      #expect(abs(camera.eye[k] - e.eye[k]) <= tol, "eye[\(k)] \(camera.eye[k])")
      #expect(abs(camera.xAxis[k] - e.x[k]) <= tol, "x_c[\(k)] \(camera.xAxis[k])")
      #expect(abs(camera.yAxis[k] - e.y[k]) <= tol, "y_c[\(k)] \(camera.yAxis[k])")
      #expect(abs(camera.zAxis[k] - e.z[k]) <= tol, "z_c[\(k)] \(camera.zAxis[k])")
    }
    let view = camera.viewCoordinates(of: Self.point)
    for k in 0..<3 { #expect(abs(view[k] - e.view[k]) <= tol, "view[\(k)] \(view[k])") }
    let uv = camera.normalizedDeviceCoordinates(ofView: view)
    #expect(abs(uv.x - e.uv.x) <= tol && abs(uv.y - e.uv.y) <= tol, "uv \(uv)")
    let rc = camera.pixelCoordinates(of: Self.point, width: 224, height: 224)
    // Pixel coordinates scale the NDC by 112: half a unit of the 10th decimal there.
    #expect(abs(rc.x - e.rowCol.x) <= 1e-9 && abs(rc.y - e.rowCol.y) <= 1e-9, "row/col \(rc)")
  }

  @Test("the frame is right-handed and orthonormal, also past the pole")
  func frameIsOrthonormal() {
    for convention in CameraConvention.allCases {
      for e in stride(from: -170.0, through: 170, by: 20) {
        for a in stride(from: -180.0, through: 180, by: 45) {
          let c = Camera(
            convention: convention,
            pose: CameraPose(
              azimuthDegrees: a,
              elevationDegrees: e))
          let x = c.xAxis
          let y = c.yAxis
          let z = c.zAxis
          let crossXY = SIMD3(x.y * y.z - x.z * y.y, x.z * y.x - x.x * y.z, x.x * y.y - x.y * y.x)
          for k in 0..<3 { #expect(abs(crossXY[k] - z[k]) < 1e-12, "x × y ≠ z at a=\(a) e=\(e)") }
          #expect(abs((x * x).sum() - 1) < 1e-12 && abs((y * z).sum()) < 1e-12)
          // z_c points from the eye to the origin.
          let towardsOrigin = -c.eye / (c.eye * c.eye).sum().squareRoot()
          for k in 0..<3 { #expect(abs(towardsOrigin[k] - z[k]) < 1e-12) }
        }
      }
    }
  }

  @Test("azimuth identity: C_nmr(a, e) = C_default(180° − a, e) (METHODS §1.2)")
  func azimuthIdentity() {
    for a in stride(from: -360.0, through: 360, by: 37) {
      for e in [-10.0, 0, 20, 45, 89] {
        let nmr = Camera(convention: .nmr, pose: CameraPose(azimuthDegrees: a, elevationDegrees: e))
        let def = Camera(
          convention: .pytorch3d, pose: CameraPose(azimuthDegrees: 180 - a, elevationDegrees: e))
        for k in 0..<3 { #expect(abs(nmr.eye[k] - def.eye[k]) < 1e-12) }
      }
    }
  }

  @Test("mirror identity on a projected point (METHODS §8.1)")
  func mirrorIdentity() {
    let camera = Camera(
      convention: .pytorch3d, pose: CameraPose(azimuthDegrees: 150, elevationDegrees: 20))
    let rc = camera.pixelCoordinates(of: Self.point, width: 224, height: 224)
    #expect(abs(rc.x - 117.2660434223) < 1e-9)
    #expect(abs(rc.y - 79.2474992642) < 1e-9)
  }

  @Test(
    "orientation at a = e = 0: +X to the image right, +Y up, in both conventions",
    arguments: CameraConvention.allCases)
  func orientation(_ convention: CameraConvention) {
    let camera = Camera(convention: convention, pose: CameraPose(azimuth: 0, elevation: 0))
    let right = camera.pixelCoordinates(of: SIMD3(0.5, 0, 0), width: 224, height: 224)
    let up = camera.pixelCoordinates(of: SIMD3(0, 0.5, 0), width: 224, height: 224)
    #expect(abs(right.y - 147.0032376368) < 1e-9, "column of (0.5, 0, 0): \(right.y)")
    #expect(abs(up.x - 75.9967623632) < 1e-9, "row of (0, 0.5, 0): \(up.x)")
  }

  @Test("negative control: a wrong convention fails the reference check")
  func negativeControl() {
    let camera = Camera(convention: .nmr, pose: Self.pose)
    let rc = camera.pixelCoordinates(of: Self.point, width: 224, height: 224)
    #expect(abs(rc.y - Self.expected[0].rowCol.y) > 1)
  }
}
