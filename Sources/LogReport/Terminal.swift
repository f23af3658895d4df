import LogInput
import LogRules
import LogAnalysis
import LogFindings
/// Text for a terminal: log text made safe, and colour only when asked for.
package struct Style: Sendable {
    package let enabled: Bool

    package init(enabled: Bool) { self.enabled = enabled }

    package func red(_ text: String) -> String { wrap(text, "31") }
    package func yellow(_ text: String) -> String { wrap(text, "33") }
    package func green(_ text: String) -> String { wrap(text, "32") }
    package func bold(_ text: String) -> String { wrap(text, "1") }
    package func dim(_ text: String) -> String { wrap(text, "2") }

    package func severity(_ severity: Severity, _ text: String) -> String {
        switch severity {
        case .error: red(text)
        case .warning: yellow(text)
        case .info: text
        }
    }

    private func wrap(_ text: String, _ code: String) -> String {
        enabled ? "\u{1B}[\(code)m\(text)\u{1B}[0m" : text
    }

    /// Whether to colour: `--color always|never|auto`; auto colours a terminal unless NO_COLOR is set.
    package static func decide(_ choice: String, isTerminal: Bool, environment: [String: String]) -> Bool {
        switch choice {
        case "always": return true
        case "never": return false
        default:
            if let noColor = environment["NO_COLOR"], !noColor.isEmpty { return false }
            return isTerminal && environment["TERM"] != "dumb"
        }
    }
}

package enum Terminal {
    /// The one way log- and file-derived text reaches a terminal (stdout reports, stderr
    /// messages with file and folder names, tail lines): control characters (C0, DEL, C1,
    /// so ESC and every escape sequence it starts) shown as `\x1B`-style escapes; the
    /// invisible characters that reorder or hide text (bidi overrides and isolates U+202A–
    /// U+202E and U+2066–U+2069, the marks U+200E/U+200F/U+061C, zero-width U+200B–U+200D,
    /// U+2060, U+FEFF) and the line and paragraph separators U+2028/U+2029 shown as
    /// `\u{202E}`-style escapes; line breaks as ` ⏎ ` (kept as line breaks with
    /// `keepLineBreaks`, for multi-line messages); capped at `limit` characters.
    package static func clean(_ text: String, limit: Int = 240, keepLineBreaks: Bool = false) -> String {
        var out = ""
        out.reserveCapacity(min(text.utf8.count, limit) + 8)  // limit may be .max: no overflow
        var count = 0
        for scalar in text.unicodeScalars {
            if count >= limit {
                out += "…"
                break
            }
            switch scalar.value {
            case 0x0A:
                out += keepLineBreaks ? "\n" : " ⏎ "
            case 0x0D:
                continue
            case 0x09:
                out += keepLineBreaks ? "\t" : " "
            case 0x00..<0x20, 0x7F, 0x80..<0xA0:
                out += "\\x" + String(scalar.value, radix: 16, uppercase: true).leftPadded(to: 2)
            case PathName.escapedBytes:
                // A file name's byte that is not UTF-8 (PathName): shown as the byte.
                out += "\\x" + String(scalar.value - 0x10FE00, radix: 16, uppercase: true)
            case _ where isInvisible(scalar.value):
                out += "\\u{" + String(scalar.value, radix: 16, uppercase: true).leftPadded(to: 4) + "}"
            default:
                out.unicodeScalars.append(scalar)
            }
            count += 1
        }
        return out
    }

    /// Characters that change how the text around them is shown without showing
    /// themselves: a file name with U+202E reads backwards, U+200B hides a difference.
    @inline(__always)
    package static func isInvisible(_ value: UInt32) -> Bool {
        switch value {
        case 0x061C, 0x200B...0x200F, 0x2028...0x202E, 0x2060, 0x2066...0x2069, 0xFEFF: true
        default: false
        }
    }
}

extension String {
    package func leftPadded(to width: Int, with pad: Character = "0") -> String {
        count >= width ? self : String(repeating: pad, count: width - count) + self
    }

    package func rightPadded(to width: Int) -> String {
        count >= width ? self : self + String(repeating: " ", count: width - count)
    }
}
