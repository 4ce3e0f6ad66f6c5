import Foundation

/// The parameters of soft mode (METHODS §1.10): a SoftRas / PyTorch3D-style soft rasteriser
/// whose image is a smooth function of the camera and light, for long-range gradients.
///
/// For a sample centre `q` and triangle `j`, with `d_j` the distance in NDC units from `q` to
/// the projected triangle's boundary and `δ_j = +1` inside, `−1` outside:
///
///     D_j = sigmoid(δ_j d_j² / σ)                     (faces with D_j < 1e-4 are skipped)
///     z̃_j = (far − Z_j(q)) / (far − near)             (Z_j with barycentrics clamped)
///     w_j = D_j exp(z̃_j / γ),   w_bg = exp(ε_bg / γ)
///     I(q) = (Σ_j w_j c_j(q) + w_bg c_bg) / (Σ_j w_j + w_bg)
///
/// `c_j(q)` is triangle `j`'s shaded colour (the preset's shading) at `q` with its screen
/// barycentrics clamped to [0, 1] and renormalised. Silhouettes grow by about the cut-off
/// radius `√(9.21 σ)` NDC (3.4 px at 224² with the defaults), so soft-mode scores are not
/// comparable with hard-mode ones.
public struct SoftRasterization: Sendable, Hashable, Codable {
  /// Transition width `σ` of the coverage sigmoid, NDC² (default 1e-4: √σ = 0.01 NDC, 1.12 px
  /// at 224²).
  public var sigma: Double
  /// Depth temperature `γ` of the aggregation (default 1e-4, in units of the normalised depth
  /// `z̃ ∈ [0, 1]`).
  public var gamma: Double
  /// Normalised depth `ε_bg` of the background in the aggregation (default 1e-3).
  public var backgroundEpsilon: Double

  /// Creates soft-mode parameters.
  ///
  /// - Parameters:
  ///   - sigma: `σ`, NDC² (default 1e-4).
  ///   - gamma: `γ` (default 1e-4).
  ///   - backgroundEpsilon: `ε_bg` (default 1e-3).
  public init(sigma: Double = 1e-4, gamma: Double = 1e-4, backgroundEpsilon: Double = 1e-3) {
    self.sigma = sigma
    self.gamma = gamma
    self.backgroundEpsilon = backgroundEpsilon
  }

  /// Coverage below which a face is skipped (METHODS §1.10).
  static let cutoff = 1e-4
  /// `ln(1/cutoff − 1)`: outside faces with `d²/σ` above it are skipped.
  static let cutoffExponent = log(1 / cutoff - 1)

  /// A one-line description of the first invalid field, or `nil`.
  public var problem: String? {
    if !(sigma > 0 && sigma <= 1) { return "soft-mode σ must be in (0, 1] NDC² (got \(sigma))" }
    if !(gamma > 0 && gamma <= 10) { return "soft-mode γ must be in (0, 10] (got \(gamma))" }
    if !(backgroundEpsilon >= 0 && backgroundEpsilon < 1) {
      return "soft-mode ε_bg must be in [0, 1) (got \(backgroundEpsilon))"
    }
    return nil
  }

  /// The cut-off radius in samples of an `n × n` grid: faces farther than this from a sample
  /// centre do not touch it.
  func cutoffRadius(gridSize n: Int) -> Double {
    (Self.cutoffExponent * sigma).squareRoot() * Double(n) / 2
  }
}

/// The soft-mode image and its tangents on the fine grid (METHODS §1.10), in Float64 whatever
/// the render scalar.
///
/// Faces are visited in index order; each touches the samples of its screen bounds grown by
/// the cut-off radius. The depth softmax runs online per sample (the running maximum of
/// `z̃`, starting at `ε_bg`, rescales the sums when it grows), so `exp(z̃/γ)` never
/// overflows. Faces with a vertex in front of the near plane are left out (soft mode does not
/// clip); faces of zero screen area too.
///
/// Tangents differentiate the whole soft image, including the colour term inside faces
/// (SoftRas omits it): the screen barycentrics through the edge functions at the fixed sample
/// centre, the clamp (a clamped weight has no tangent), the distance to the nearest boundary
/// segment (its closest point moves with the segment), the sigmoid, the perspective-correct
/// depth and weights, the smooth or flat shading, and the softmax quotient.
enum SoftRasterizer {
  /// Writes the soft image into `ws.colour` and, with `tangents`, its tangents along the
  /// chunk's parameters into `tangents.workspace.colour` (after the tangent vertex and face
  /// stages have filled the per-vertex and per-face tangents).
  ///
  /// - Parameters:
  ///   - renderer: The renderer; its settings carry the soft-mode parameters.
  ///   - ws: A workspace after the vertex and face stages of the view.
  ///   - light: Unit direction towards the light (world).
  ///   - tangents: The tangent workspace and the light direction's tangent, or `nil` for the
  ///     image alone.
  ///   - contributor: Called with (sample, face, branch) for every face that passes the
  ///     cut-off at a sample, where `branch` encodes the piecewise choices the image is smooth
  ///     between (the nearest boundary segment, which barycentrics are clamped, whether the
  ///     light clamp is active); tests use it to find samples at a cut-off or a kink.
  static func apply<Scalar: RenderScalar>(
    renderer: Renderer<Scalar>, workspace ws: RenderWorkspace<Scalar>, light: SIMD3<Double>,
    tangents: (workspace: TangentWorkspace<Scalar>, light: TangentVector<Double>)?,
    contributor: ((Int, Int, Int) -> Void)? = nil
  ) {
    let settings = renderer.settings
    let soft = settings.soft ?? SoftRasterization()
    let n = ws.fineSize
    let count = n * n
    let half = Double(n) / 2
    // σ in squared samples; the cut-off exponent in the same units.
    let sigma = soft.sigma * half * half
    let limit = SoftRasterization.cutoffExponent
    let radius = soft.cutoffRadius(gridSize: n)
    let gamma = soft.gamma
    let depthScale = 1 / (settings.far - settings.near)
    let ambient = settings.light.ambient
    let diffuse = settings.light.diffuse
    let background = settings.background
    var top = [Double](repeating: soft.backgroundEpsilon, count: count)
    var weightSum = [Double](repeating: 0, count: count)
    var colourSum = [SIMD3<Double>](repeating: .zero, count: count)
    let tw = tangents?.workspace
    let lightTangent = tangents?.light ?? .zero
    var weightSumTangent = [SIMD4<Double>](repeating: .zero, count: tw == nil ? 0 : count)
    var colourSumTangent = [SIMD4<Double>](repeating: .zero, count: tw == nil ? 0 : 3 * count)
    let flat = settings.shading == .flat

    func double(_ v: SIMD3<Scalar>) -> SIMD3<Double> {
      SIMD3(v.x.doubleValue, v.y.doubleValue, v.z.doubleValue)
    }
    func double(_ v: SIMD4<Scalar>) -> SIMD4<Double> {
      SIMD4(v.x.doubleValue, v.y.doubleValue, v.z.doubleValue, v.w.doubleValue)
    }

    renderer.scene.triangles.withUnsafeBufferPointer { triangles in
      renderer.vertexNormals.withUnsafeBufferPointer { normals in
        for f in triangles.indices {
          let t = triangles[f]
          let index = (Int(t.x), Int(t.y), Int(t.z))
          guard ws.viewZ[index.0] >= settings.near, ws.viewZ[index.1] >= settings.near,
            ws.viewZ[index.2] >= settings.near
          else { continue }
          // Screen positions (col, row) and inverse depths of the three vertices.
          let s0 = double(ws.projected[index.0])
          let s1 = double(ws.projected[index.1])
          let s2 = double(ws.projected[index.2])
          let x = SIMD3(s0.x, s1.x, s2.x)
          let y = SIMD3(s0.y, s1.y, s2.y)
          let inverse = SIMD3(s0.z, s1.z, s2.z)
          let area = (x[1] - x[0]) * (y[2] - y[0]) - (y[1] - y[0]) * (x[2] - x[0])
          guard area != 0, area.isFinite else { continue }
          // The heights onto the edges opposite each vertex: λ_i h_i is the distance from
          // the edge's line.
          var heights = SIMD3<Double>.zero
          for i in 0..<3 {
            let (j, k) = ((i + 1) % 3, (i + 2) % 3)
            let length = ((x[k] - x[j]) * (x[k] - x[j]) + (y[k] - y[j]) * (y[k] - y[j]))
              .squareRoot()
            heights[i] = abs(area) / length
          }
          // The samples within the cut-off radius of the screen bounds.
          func sample(_ v: Double, _ rule: FloatingPointRoundingRule) -> Int {
            Int(Swift.min(Swift.max(v, -1), Double(n)).rounded(rule))
          }
          let c0 = Swift.max(0, sample(x.min() - radius, .up))
          let c1 = Swift.min(n - 1, sample(x.max() + radius, .down))
          let r0 = Swift.max(0, sample(y.min() - radius, .up))
          let r1 = Swift.min(n - 1, sample(y.max() + radius, .down))
          guard c0 <= c1, r0 <= r1 else { continue }

          // Per-face constants: shading inputs and, with tangents, the vertex tangents.
          let (n0, n1, n2) = renderer.shadingNormals(of: f, triangles: triangles, normals: normals)
          let vertexNormal = (double(n0), double(n1), double(n2))
          let facing = Double(ws.facing[f])
          let albedo = double(renderer.albedo[f])
          let flatColour = double(ws.flatColour[f])
          typealias Lanes = InlineArray<3, SIMD4<Double>>
          var xt = Lanes(repeating: .zero)
          var yt = Lanes(repeating: .zero)
          var it = Lanes(repeating: .zero)
          var flatTangent = Lanes(repeating: .zero)
          if let tw {
            for i in 0..<3 {
              let v = i == 0 ? index.0 : (i == 1 ? index.1 : index.2)
              xt[i] = double(tw.column[v])
              yt[i] = double(tw.row[v])
              it[i] = double(tw.inverseDepth[v])
              flatTangent[i] = double(tw.flatColour[3 * f + i])
            }
          }
          let areaTangent0 = (xt[1] - xt[0]) * (y[2] - y[0]) + (x[1] - x[0]) * (yt[2] - yt[0])
          let areaTangent1 = (yt[1] - yt[0]) * (x[2] - x[0]) + (y[1] - y[0]) * (xt[2] - xt[0])
          let areaTangent = areaTangent0 - areaTangent1

          for row in r0...r1 {
            for col in c0...c1 {
              let q = SIMD2(Double(col), Double(row))
              // Screen barycentrics: λ_i = E_i / A with E_i the edge function opposite vertex i.
              var lambda = SIMD3<Double>.zero
              for i in 0..<2 {
                let (j, k) = ((i + 1) % 3, (i + 2) % 3)
                lambda[i] = ((x[j] - q.x) * (y[k] - q.y) - (y[j] - q.y) * (x[k] - q.x)) / area
              }
              lambda[2] = 1 - lambda[0] - lambda[1]
              // Farther than the cut-off radius from an edge's line: farther from the face.
              if (-lambda * heights).max() > radius { continue }
              let inside = lambda.min() >= 0
              // Squared distance to the nearest boundary segment, its closest point's
              // parameter and the segment.
              var distance = Double.infinity
              var nearest = (edge: 0, s: 0.0)
              for e in 0..<3 {
                let (a, b) = (e, (e + 1) % 3)
                let u = SIMD2(x[a], y[a])
                let v = SIMD2(x[b], y[b]) - u
                let length = (v * v).sum()
                let s = length > 0 ? Swift.min(Swift.max(((q - u) * v).sum() / length, 0), 1) : 0
                let r = q - (u + s * v)
                let squared = (r * r).sum()
                if squared < distance {
                  distance = squared
                  nearest = (e, s)
                }
              }
              let exponent = (inside ? distance : -distance) / sigma
              if exponent < -limit { continue }
              let coverage = 1 / (1 + Foundation.exp(-exponent))
              // Clamped, renormalised barycentrics; perspective-correct depth and weights.
              let raw = lambda.clamped(lowerBound: .zero, upperBound: SIMD3(repeating: 1))
              let total = raw.sum()
              let clampedLambda = raw / total
              let inverseDepth = (clampedLambda * inverse).sum()
              let depth = 1 / inverseDepth
              let normalisedDepth = (settings.far - depth) * depthScale
              let mu = clampedLambda * inverse / inverseDepth
              // Shaded colour at q.
              var colour = flatColour
              var normal = SIMD3<Double>.zero
              var lit = false
              if !flat {
                normal = mu[0] * vertexNormal.0 + mu[1] * vertexNormal.1 + mu[2] * vertexNormal.2
                let cosine = Renderer<Double>.cosine(normal, facing: facing, light: light)
                lit = cosine > 0
                colour = albedo * (ambient + diffuse * Swift.max(0, cosine))
              }
              // Online softmax over z̃.
              let p = row * n + col
              if let contributor {
                var branch = nearest.edge + (lit ? 4 : 0)
                for i in 0..<3 {
                  if lambda[i] <= 0 { branch |= 8 << i }
                  if lambda[i] >= 1 { branch |= 64 << i }
                }
                contributor(p, f, branch)
              }
              if normalisedDepth > top[p] {
                let scale = Foundation.exp((top[p] - normalisedDepth) / gamma)
                weightSum[p] *= scale
                colourSum[p] *= scale
                if tw != nil {
                  weightSumTangent[p] *= scale
                  for c in 0..<3 { colourSumTangent[3 * p + c] *= scale }
                }
                top[p] = normalisedDepth
              }
              let e = Foundation.exp((normalisedDepth - top[p]) / gamma)
              let w = coverage * e
              weightSum[p] += w
              colourSum[p] += w * colour
              guard tw != nil else { continue }

              // Tangents. λ̇_i = (Ė_i − λ_i Ȧ)/A at the fixed sample centre.
              var lambdaTangent = Lanes(repeating: .zero)
              for i in 0..<2 {
                let (j, k) = ((i + 1) % 3, (i + 2) % 3)
                let plus = xt[j] * (y[k] - q.y) + (x[j] - q.x) * yt[k]
                let minus = yt[j] * (x[k] - q.x) + (y[j] - q.y) * xt[k]
                lambdaTangent[i] = (plus - minus - lambda[i] * areaTangent) / area
              }
              lambdaTangent[2] = -lambdaTangent[0] - lambdaTangent[1]
              // d(d²) = −2 (q − P)·Ṗ with P = u + s(v − u): s is optimal or clamped.
              let (a, b) = (nearest.edge, (nearest.edge + 1) % 3)
              let s = nearest.s
              let closest = SIMD2(x[a] + s * (x[b] - x[a]), y[a] + s * (y[b] - y[a]))
              let closestX = xt[a] + s * (xt[b] - xt[a])
              let closestY = yt[a] + s * (yt[b] - yt[a])
              let distanceTangent =
                -2 * ((q.x - closest.x) * closestX + (q.y - closest.y) * closestY)
              let exponentTangent = (inside ? distanceTangent : -distanceTangent) / sigma
              let coverageTangent = coverage * (1 - coverage) * exponentTangent
              // The clamp, the renormalisation, 1/Z and μ.
              var rawTangent = SIMD4<Double>.zero
              var clampedTangent = Lanes(repeating: .zero)
              for i in 0..<3 where lambda[i] > 0 && lambda[i] < 1 {
                clampedTangent[i] = lambdaTangent[i]
                rawTangent += lambdaTangent[i]
              }
              var inverseDepthTangent = SIMD4<Double>.zero
              for i in 0..<3 {
                clampedTangent[i] = (clampedTangent[i] - clampedLambda[i] * rawTangent) / total
                inverseDepthTangent += clampedTangent[i] * inverse[i] + clampedLambda[i] * it[i]
              }
              // z̃ = (far − 1/ι)/(far − near): ż̃ = ι̇ / ι² · scale.
              let depthTangent = inverseDepthTangent * (depth * depth * depthScale)
              var colourTangent = flatTangent
              if !flat {
                colourTangent = Lanes(repeating: .zero)
                if lit {
                  var normalTangent = TangentVector<Double>.zero
                  for i in 0..<3 {
                    let muTangent =
                      (clampedTangent[i] * inverse[i] + clampedLambda[i] * it[i] - mu[i]
                        * inverseDepthTangent) / inverseDepth
                    let ni = i == 0 ? vertexNormal.0 : (i == 1 ? vertexNormal.1 : vertexNormal.2)
                    normalTangent.x += muTangent * ni.x
                    normalTangent.y += muTangent * ni.y
                    normalTangent.z += muTangent * ni.z
                  }
                  let change =
                    diffuse
                    * Renderer<Double>.cosineTangent(
                      normal, normalTangent, facing: facing, light: light,
                      lightTangent: lightTangent)
                  for c in 0..<3 { colourTangent[c] = change * albedo[c] }
                }
              }
              let weightTangent = e * (coverageTangent + coverage * depthTangent / gamma)
              weightSumTangent[p] += weightTangent
              for c in 0..<3 {
                colourSumTangent[3 * p + c] += weightTangent * colour[c] + w * colourTangent[c]
              }
            }
          }
        }
      }
    }

    // I = (Σ w c + w_bg c_bg) / (Σ w + w_bg);  İ = (Σ (w c)˙ − I Σ ẇ) / (Σ w + w_bg).
    for p in 0..<count {
      let backgroundWeight = Foundation.exp((soft.backgroundEpsilon - top[p]) / gamma)
      let denominator = weightSum[p] + backgroundWeight
      let value = (colourSum[p] + backgroundWeight * background) / denominator
      for c in 0..<3 {
        ws.colour[3 * p + c] = Scalar(value[c])
        guard let tw else { continue }
        let tangent = (colourSumTangent[3 * p + c] - value[c] * weightSumTangent[p]) / denominator
        tw.colour[3 * p + c] = SIMD4(
          Scalar(tangent.x), Scalar(tangent.y), Scalar(tangent.z), Scalar(tangent.w))
      }
    }
  }
}
