extension Renderer {
  /// The same renderer with another background and, optionally, other material colours: for
  /// training sets that vary a scene's colours from image to image without rebuilding it.
  ///
  /// - Parameters:
  ///   - background: The background colour, linear RGB in [0, 1].
  ///   - materials: One colour per material of the mesh (faces without a material stay
  ///     white); implies material colours. `nil` keeps the current colours.
  /// - Returns: The restyled renderer (the geometry is shared, not copied).
  public func restyled(background: SIMD3<Double>, materials: [SIMD3<Double>]? = nil) -> Renderer {
    var copy = self
    copy.settings.background = background
    if let materials {
      copy.settings.materialColours = true
      copy.albedo = scene.faceMaterials.map { m in
        guard m >= 0, Int(m) < materials.count else { return SIMD3(repeating: 1) }
        let c = materials[Int(m)]
        return Scalar.vector(
          SIMD3(min(max(c.x, 0), 1), min(max(c.y, 0), 1), min(max(c.z, 0), 1)))
      }
    }
    return copy
  }
}
