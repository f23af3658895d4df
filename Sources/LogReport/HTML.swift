/// Text made safe to put in an HTML page (`review --format html`, docs/html.md):
/// in element content, in a quoted attribute value, and in SVG `<title>`s alike.
/// Every piece of log- or file-derived text goes through here before it reaches
/// the page; the page's own markup is the only text written around it.
package enum HTML {
    /// `&`, `<`, `>`, `"` and `'` as character references, so the text can neither
    /// open a tag nor leave an attribute value whichever quote it is in. Control
    /// characters (C0 but tab and line feed, DEL, C1) are shown as `\x1B`-style
    /// text, as `Terminal.clean` shows them: the HTML parser would drop or replace
    /// some of them silently, and the reader should see that the log held them.
    /// The bidirectional controls that reorder what is shown (U+202A–U+202E,
    /// U+2066–U+2069) are shown as `\u{202E}`-style text for the same reason, and so are
    /// U+FFFE and U+FFFF, which an XML document may not hold.
    /// A carriage return is dropped (CRLF logs), as the terminal report drops it.
    /// `limit`: at most this many characters of the text, then `…`.
    package static func escape(_ text: String, limit: Int = .max) -> String {
        var out = ""
        out.reserveCapacity(min(text.utf8.count, limit) + 16)
        var count = 0
        for scalar in text.unicodeScalars {
            if count >= limit {
                out += "…"
                break
            }
            count += 1
            switch scalar.value {
            case 0x26: out += "&amp;"
            case 0x3C: out += "&lt;"
            case 0x3E: out += "&gt;"
            case 0x22: out += "&quot;"
            case 0x27: out += "&#39;"
            case 0x09, 0x0A: out.unicodeScalars.append(scalar)
            case 0x0D: continue
            case 0x00..<0x20, 0x7F, 0x80..<0xA0:
                out += "\\x" + String(scalar.value, radix: 16, uppercase: true).leftPadded(to: 2)
            case 0x202A...0x202E, 0x2066...0x2069, 0xFFFE, 0xFFFF:
                // Noncharacters too: XML (the JUnit report shares this escaper) cannot hold them.
                out += "\\u{" + String(scalar.value, radix: 16, uppercase: true) + "}"
            default:
                out.unicodeScalars.append(scalar)
            }
        }
        return out
    }

    /// A value for an `id` or `class` attribute made from text that is not the page's
    /// own (a finding id is, but a server's folder name is not): letters, digits, `-`
    /// and `_` kept, anything else as `-`, so it never needs escaping and never
    /// collides with markup.
    package static func token(_ text: String) -> String {
        var out = ""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "a"..."z", "A"..."Z", "0"..."9", "-", "_": out.unicodeScalars.append(scalar)
            default: out += "-"
            }
        }
        return out.isEmpty ? "-" : out
    }
}
