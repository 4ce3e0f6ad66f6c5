import Foundation

/// A Float64 number with its first-order tangents along up to 8 directions (forward-mode
/// automatic differentiation): `value + Σ_k tangent[k] ε_k` with `ε_j ε_k = 0`.
///
/// The vertex stage of the tangent renderer runs the camera math (METHODS §1.3–§1.4) on these:
/// lane `k` of every tangent is the derivative with respect to the `k`-th requested render
/// parameter, in radians for angles.
struct Dual: Sendable, Equatable {
  /// The value.
  var value: Double
  /// The derivatives, one lane per direction (unused lanes are zero).
  var tangent: SIMD8<Double>

  /// A number with the given tangents (zero by default: a constant).
  @inline(__always)
  init(_ value: Double, tangent: SIMD8<Double> = .zero) {
    self.value = value
    self.tangent = tangent
  }

  /// An independent variable: tangent 1 in lane `lane`, 0 elsewhere; a constant when `lane`
  /// is `nil`.
  @inline(__always)
  static func variable(_ value: Double, lane: Int?) -> Dual {
    var tangent = SIMD8<Double>.zero
    if let lane { tangent[lane] = 1 }
    return Dual(value, tangent: tangent)
  }

  @inline(__always)
  static func + (a: Dual, b: Dual) -> Dual {
    Dual(a.value + b.value, tangent: a.tangent + b.tangent)
  }
  @inline(__always)
  static func - (a: Dual, b: Dual) -> Dual {
    Dual(a.value - b.value, tangent: a.tangent - b.tangent)
  }
  @inline(__always)
  static prefix func - (a: Dual) -> Dual { Dual(-a.value, tangent: -a.tangent) }
  @inline(__always)
  static func * (a: Dual, b: Dual) -> Dual {
    Dual(a.value * b.value, tangent: a.tangent * b.value + b.tangent * a.value)
  }
  @inline(__always)
  static func / (a: Dual, b: Dual) -> Dual {
    let q = a.value / b.value
    return Dual(q, tangent: (a.tangent - b.tangent * q) / b.value)
  }
  @inline(__always)
  static func + (a: Dual, b: Double) -> Dual { Dual(a.value + b, tangent: a.tangent) }
  @inline(__always)
  static func - (a: Dual, b: Double) -> Dual { Dual(a.value - b, tangent: a.tangent) }
  @inline(__always)
  static func * (a: Dual, b: Double) -> Dual { Dual(a.value * b, tangent: a.tangent * b) }
  @inline(__always)
  static func * (a: Double, b: Dual) -> Dual { b * a }
  @inline(__always)
  static func / (a: Dual, b: Double) -> Dual { Dual(a.value / b, tangent: a.tangent / b) }

  /// `sin x`.
  @inline(__always)
  static func sin(_ x: Dual) -> Dual {
    Dual(Foundation.sin(x.value), tangent: x.tangent * Foundation.cos(x.value))
  }
  /// `cos x`.
  @inline(__always)
  static func cos(_ x: Dual) -> Dual {
    Dual(Foundation.cos(x.value), tangent: x.tangent * -Foundation.sin(x.value))
  }
  /// `tan x`.
  @inline(__always)
  static func tan(_ x: Dual) -> Dual {
    let t = Foundation.tan(x.value)
    return Dual(t, tangent: x.tangent * (1 + t * t))
  }
}

/// A 3-vector of ``Dual`` numbers.
struct DualVector: Sendable, Equatable {
  var x: Dual
  var y: Dual
  var z: Dual

  @inline(__always)
  init(_ x: Dual, _ y: Dual, _ z: Dual) {
    self.x = x
    self.y = y
    self.z = z
  }

  /// A constant vector.
  init(_ v: SIMD3<Double>) { self.init(Dual(v.x), Dual(v.y), Dual(v.z)) }

  /// The values.
  var value: SIMD3<Double> { SIMD3(x.value, y.value, z.value) }

  /// The tangent along lane `k` of every component.
  func tangent(_ k: Int) -> SIMD3<Double> { SIMD3(x.tangent[k], y.tangent[k], z.tangent[k]) }

  @inline(__always)
  static func + (a: DualVector, b: DualVector) -> DualVector {
    DualVector(a.x + b.x, a.y + b.y, a.z + b.z)
  }
  @inline(__always)
  static func - (a: DualVector, b: DualVector) -> DualVector {
    DualVector(a.x - b.x, a.y - b.y, a.z - b.z)
  }
  @inline(__always)
  static prefix func - (a: DualVector) -> DualVector { DualVector(-a.x, -a.y, -a.z) }
  @inline(__always)
  static func * (s: Dual, a: DualVector) -> DualVector { DualVector(s * a.x, s * a.y, s * a.z) }
  @inline(__always)
  static func * (s: Double, a: DualVector) -> DualVector { DualVector(a.x * s, a.y * s, a.z * s) }

  /// `a · b`.
  @inline(__always)
  static func dot(_ a: DualVector, _ b: DualVector) -> Dual { a.x * b.x + a.y * b.y + a.z * b.z }
}
