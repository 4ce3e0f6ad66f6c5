import Foundation

/// The camera and light of one view with their derivatives with respect to the requested
/// render parameters (METHODS §1.9): the closed-form frame of METHODS §1.3 evaluated on
/// ``Dual`` numbers, lane `k` holding `∂/∂θ_k` in internal units (radians, world units).
///
/// The values equal ``Camera``'s (the same formulas in the same order); only the tangents are
/// new.
struct TangentCamera: Sendable {
  /// The eye `C`.
  let eye: DualVector
  /// Camera axes `x_c`, `y_c`, `z_c`.
  let xAxis: DualVector
  let yAxis: DualVector
  let zAxis: DualVector
  /// `t = tan(fov / 2)`.
  let tanHalfFieldOfView: Dual
  /// `σ_x`: −1 (pytorch3d, camera +x drawn left) or +1 (nmr).
  let imageXSign: Double
  /// The unit direction towards the light.
  let light: DualVector

  /// The camera of `view` under `settings`, differentiated along `lanes` (lane k is
  /// `lanes[k]`; at most 8).
  init(view: SceneView, settings: RenderSettings, lanes: [RenderParameter]) {
    precondition(lanes.count <= 8, "TangentCamera: at most 8 parameters")
    func variable(_ p: RenderParameter) -> Dual {
      Dual.variable(p.internalValue(in: view), lane: lanes.firstIndex(of: p))
    }
    let a = variable(.azimuth)
    let e = variable(.elevation)
    let d = variable(.distance)
    let fov = variable(.fieldOfView)
    let (sa, ca, se, ce) = (Dual.sin(a), Dual.cos(a), Dual.sin(e), Dual.cos(e))
    // s_e = sign(cos e) is locally constant (METHODS §1.3): no tangent.
    let s: Double = ce.value >= 0 ? 1 : -1
    let zero = Dual(0)
    switch settings.convention {
    case .pytorch3d:
      let outward = DualVector(ce * sa, se, ce * ca)
      eye = d * outward
      zAxis = -outward
      xAxis = s * DualVector(-ca, zero, sa)
      yAxis = s * DualVector(-(se * sa), ce, -(se * ca))
    case .nmr:
      eye = d * DualVector(ce * sa, se, -(ce * ca))
      zAxis = DualVector(-(ce * sa), -se, ce * ca)
      xAxis = s * DualVector(ca, zero, sa)
      yAxis = s * DualVector(-(se * sa), ce, se * ca)
    }
    tanHalfFieldOfView = Dual.tan(fov / 2)
    imageXSign = settings.convention == .pytorch3d ? -1 : 1
    switch settings.light.frame {
    case .world:
      let la = variable(.lightAzimuth)
      let le = variable(.lightElevation)
      let cle = Dual.cos(le)
      var direction = DualVector(cle * Dual.sin(la), Dual.sin(le), cle * Dual.cos(la))
      // The forward pass uses exactly (0, 1, 0) at the default elevation (``Light``).
      if le.value == Double.pi / 2 {
        direction.x.value = 0
        direction.y.value = 1
        direction.z.value = 0
      }
      light = direction
    case .camera:
      light = -zAxis
    }
  }

  /// View coordinates `(X, Y, Z)` of a world point (METHODS §1.3).
  func viewCoordinates(of point: SIMD3<Double>) -> DualVector {
    let r = DualVector(point) - eye
    return DualVector(
      DualVector.dot(r, xAxis), DualVector.dot(r, yAxis), DualVector.dot(r, zAxis))
  }

  /// Fine-grid `(col, row)` of a world point in front of the camera on an `n × n` grid:
  /// `col = (σ_x X/(Z t) + 1) n/2 − 1/2`, `row = (1 − Y/(Z t)) n/2 − 1/2` (METHODS §1.4),
  /// and the inverse view depth `1/Z`.
  func screenPosition(of point: SIMD3<Double>, gridSize n: Double) -> (
    col: Dual, row: Dual, inverseDepth: Dual
  ) {
    let v = viewCoordinates(of: point)
    let scale = Dual(1) / (v.z * tanHalfFieldOfView)
    let half = n / 2
    let col = (imageXSign * (v.x * scale) + 1) * half - 0.5
    let row = ((v.y * scale) * -1 + 1) * half - 0.5
    return (col, row, Dual(1) / v.z)
  }

  /// The world-space direction of the ray through normalised device coordinates `(u, v)`,
  /// scaled so its component along `z_c` is 1: `D = σ_x u t x_c + v t y_c + z_c`, written as
  /// `u·A + v·B + z_c`; returns `(A, B)`.
  var rayBasis: (a: DualVector, b: DualVector) {
    (imageXSign * (tanHalfFieldOfView * xAxis), tanHalfFieldOfView * yAxis)
  }
}
