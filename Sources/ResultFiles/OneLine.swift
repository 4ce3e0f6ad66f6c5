/// Makes text safe to print as one line of an error message.
package enum OneLine {
  /// Collapses any whitespace run (including newlines) to one space, drops other control
  /// characters, trims, and truncates to `limit` characters (marking the cut with `…`).
  ///
  /// - Parameters:
  ///   - text: Any text, for example a path or a library's message.
  ///   - limit: Maximum number of characters kept.
  /// - Returns: The text on one line.
  package static func make(_ text: String, limit: Int = 300) -> String {
    var out = ""
    out.reserveCapacity(min(text.utf8.count, limit))
    var pendingSpace = false
    var count = 0
    for scalar in text.unicodeScalars {
      if scalar.properties.isWhitespace || scalar.value < 0x20 || scalar.value == 0x7F {
        pendingSpace = !out.isEmpty
        continue
      }
      if count >= limit {
        out += "…"
        return out
      }
      if pendingSpace {
        out.unicodeScalars.append(" ")
        count += 1
        pendingSpace = false
      }
      out.unicodeScalars.append(scalar)
      count += 1
    }
    return out
  }
}
