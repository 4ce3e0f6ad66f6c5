/// The semrob version: the single source of `semrob --version` and of every result's provenance.
enum SemrobVersion {
  /// Semantic version string (checked against the README by a test).
  static let string = "0.1.0"
}
