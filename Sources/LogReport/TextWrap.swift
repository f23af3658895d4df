/// Fitting report lines to a width (docs/terminal.md): prose wrapped at spaces, never
/// inside a word; a line cut short with an ellipsis. Widths are what a terminal shows:
/// colour sequences take no column, East Asian wide characters and emoji take two, a
/// combining mark none (it joins its base character).
package enum TextWrap {
    /// `line` as lines of at most `width` columns, broken at spaces. Continuation lines
    /// start two columns right of the line's own indent, so a wrapped paragraph or
    /// entry stays one block. A word longer than the room is left whole on its own line:
    /// the only way a line is longer than `width`.
    package static func wrap(_ line: String, width: Int) -> [String] {
        guard columns(line) > width else { return [line] }
        let indent = line.prefix { $0 == " " }.count
        let continuation = String(repeating: " ", count: min(indent + 2, max(0, width / 2)))
        var lines: [String] = []
        var rest = Substring(line)
        var prefix = ""
        while !rest.isEmpty {
            let room = width - prefix.count
            guard let cut = breakIndex(rest, room: room) else {
                lines.append(prefix + rest)
                break
            }
            lines.append(prefix + rest[..<cut])
            rest = rest[cut...].drop { $0 == " " }
            prefix = continuation
        }
        return lines
    }

    /// Where to end the next line of `text` within `room` columns: at the space after the
    /// last word that fits; after the first word when even that does not fit; nil when all
    /// of it fits (or it is one word).
    static func breakIndex(_ text: Substring, room: Int) -> Substring.Index? {
        var used = 0
        var escape = EscapeSkipper()
        var lastBreak: Substring.Index?
        var inWord = false
        var index = text.startIndex
        while index < text.endIndex {
            let character = text[index]
            if character == " " {
                // The space that ends a word; spaces before the first word (an indent) are no break.
                if inWord { lastBreak = index }
                inWord = false
            } else {
                inWord = true
            }
            used += escape.columns(character)
            if used > room {
                if character == " " { return lastBreak ?? index }
                if let lastBreak { return lastBreak }
                return text[index...].firstIndex(of: " ")
            }
            index = text.index(after: index)
        }
        return nil
    }

    /// `text` cut to at most `width` columns, with `…` at the end when something was cut.
    package static func truncate(_ text: String, to width: Int) -> String {
        guard columns(text) > width else { return text }
        var out = ""
        var used = 0
        var escape = EscapeSkipper()
        for character in text {
            let needed = escape.columns(character)
            if used + needed > width - 1 { break }
            out.append(character)
            used += needed
        }
        // A colour started in the part kept is ended, so the ellipsis is not coloured on.
        return out + (out.contains("\u{1B}[") ? "\u{1B}[0m" : "") + "…"
    }

    /// The columns `text` takes on a terminal.
    package static func columns(_ text: some StringProtocol) -> Int {
        var escape = EscapeSkipper()
        return text.reduce(0) { $0 + escape.columns($1) }
    }

    /// The columns one character takes: two for the wide ranges, none inside a colour sequence.
    static func characterColumns(_ character: Character) -> Int {
        guard let first = character.unicodeScalars.first else { return 0 }
        let value = first.value
        if value < 0x1100 { return value < 0x20 ? 0 : 1 }
        switch value {
        case 0x1100...0x115F, 0x2E80...0x303E, 0x3041...0x33FF, 0x3400...0x4DBF, 0x4E00...0x9FFF,
             0xA000...0xA4CF, 0xAC00...0xD7A3, 0xF900...0xFAFF, 0xFE30...0xFE4F, 0xFF00...0xFF60,
             0xFFE0...0xFFE6, 0x1F300...0x1F64F, 0x1F900...0x1F9FF, 0x20000...0x3FFFD:
            return 2
        default:
            return 1
        }
    }
}

/// Skips the colour sequences `Style` writes (ESC [ … m): log text never holds a raw
/// ESC (`Terminal.clean` shows it as `\x1B`), so every ESC in a report line is ours.
struct EscapeSkipper {
    private enum State { case text, escape, sequence }
    private var state = State.text

    mutating func columns(_ character: Character) -> Int {
        switch state {
        case .text:
            if character == "\u{1B}" {
                state = .escape
                return 0
            }
            return TextWrap.characterColumns(character)
        case .escape:
            state = character == "[" ? .sequence : .text
            return 0
        case .sequence:
            // Parameters and intermediates run to a final byte, @ to ~.
            if let scalar = character.unicodeScalars.first, (0x40...0x7E).contains(scalar.value) { state = .text }
            return 0
        }
    }
}
