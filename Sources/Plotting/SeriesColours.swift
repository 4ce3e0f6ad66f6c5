/// Qualitative colours for telling series apart.
public enum SeriesColours {
  /// matplotlib's default cycle, Tableau's `tab10`: blue #1f77b4, orange #ff7f0e, green
  /// #2ca02c, red #d62728, purple #9467bd, brown #8c564b, pink #e377c2, grey #7f7f7f, olive
  /// #bcbd22 and cyan #17becf; sRGB in [0, 1].
  public static let standard: [SIMD3<Float>] = [
    0x1f77b4, 0xff7f0e, 0x2ca02c, 0xd62728, 0x9467bd, 0x8c564b, 0xe377c2, 0x7f7f7f, 0xbcbd22,
    0x17becf,
  ].map(colour(hex:))

  /// The colour of a 24-bit `0xRRGGBB` code, sRGB in [0, 1].
  ///
  /// - Parameter hex: The code, such as `0x1f77b4`.
  /// - Returns: `(RR, GG, BB) / 255`.
  public static func colour(hex: UInt32) -> SIMD3<Float> {
    SIMD3(Float((hex >> 16) & 0xff), Float((hex >> 8) & 0xff), Float(hex & 0xff)) / 255
  }
}
