import FoundationEssentials

/// Texts as the lookup compares them, so that a message pasted from a browser, a
/// ticket or a log matches the source's wording.
package enum KnowledgeText {
    /// Lower case; curly quotes straight and `…` as `...` (the admin center and the docs
    /// print `don’t`, people type `don't`); runs of white space as one space; surrounding
    /// quotes, a leading `Error message:` or `Error:` label, and trailing punctuation dropped.
    package static func normalize(_ text: String) -> String {
        // Scalar by scalar into one view: a String per Character made this the largest
        // cost of loading knowledge.json.
        var scalars = String.UnicodeScalarView()
        var pendingSpace = false
        for scalar in text.lowercased().unicodeScalars {
            if scalar.properties.isWhitespace {
                pendingSpace = !scalars.isEmpty
                continue
            }
            if pendingSpace { scalars.append(" ") }
            pendingSpace = false
            switch scalar {
            case "\u{2018}", "\u{2019}", "\u{02BC}": scalars.append("'")
            case "\u{201C}", "\u{201D}": scalars.append("\"")
            case "\u{2026}": scalars.append(contentsOf: "...".unicodeScalars)
            default: scalars.append(scalar)
            }
        }
        var out = String(scalars)
        var changed = true
        while changed {
            changed = false
            for label in ["error message:", "error:"] where out.hasPrefix(label) {
                out = String(out.dropFirst(label.count)).trimmingWhitespace
                changed = true
            }
            if let first = out.first, let last = out.last, out.count >= 2,
               (first == "\"" && last == "\"") || (first == "'" && last == "'") || (first == "`" && last == "`") {
                out = String(out.dropFirst().dropLast()).trimmingWhitespace
                changed = true
            }
            while let last = out.last, ".,;:!?".contains(last) || last == " " {
                out.removeLast()
                changed = true
            }
        }
        return out
    }
}

/// One entry that answers a query, and how the query was read to find it.
package struct KnowledgeMatch: Sendable, Equatable {
    package enum How: String, Sendable {
        /// The code as written.
        case code
        /// The code read another way: a decimal HRESULT, HRESULT_FROM_WIN32, hex digits without `0x`.
        case readAs = "read-as"
        /// A code found inside a longer text (`(401) Unauthorized`).
        case codeInText = "code-in-text"
        /// The whole message (or a longer text that holds it).
        case message
        /// The start of the message, or its fragments around an ellipsis.
        case messagePrefix = "message-prefix"
    }

    package var entry: KnowledgeEntry
    package var how: How
    /// How the query was read, when not as written (`-2146233079 is 0x80131509 …`).
    package var note: String?
}

/// What a lookup found.
package struct KnowledgeAnswer: Sendable {
    package var query: String
    /// Whether the query was read as a code (else as a message).
    package var isCode: Bool
    package var matches: [KnowledgeMatch]
    /// Messages the query is the start of when it is the start of too many to answer:
    /// not distinctive, so the person is asked for more of the text.
    package var candidates: [KnowledgeEntry]
}

extension Knowledge {
    /// The shortest start of a message that is looked up, so that `Error` or `Un` does not
    /// answer with half the admin center.
    package static let prefixMinimum = 12
    /// More messages than this starting with the query: not distinctive.
    package static let prefixAnswers = 3

    /// Looks up a code (`0x80131509`, `-2146233079`, `1603`, `407`, `11412`) or a message
    /// ("Getting results timed out", case, white space and trailing punctuation aside).
    package func lookup(_ query: String) -> KnowledgeAnswer {
        let trimmed = query.trimmingWhitespace
        var answer = KnowledgeAnswer(query: trimmed, isCode: false, matches: [], candidates: [])
        let bare = KnowledgeText.normalize(trimmed)
        if let tiers = CodeQuery.tiers(bare) {
            answer.isCode = true
            answer.matches = codeMatches(tiers, how: .code)
            return answer
        }
        let (matches, candidates) = messageMatches(bare)
        answer.matches = matches
        answer.candidates = candidates
        if matches.isEmpty && candidates.isEmpty {
            // A pasted line with a code in it: "The remote server returned an error: (401) Unauthorized."
            var seen = Set<String>()
            for token in CodeQuery.codes(inText: trimmed) {
                guard let tiers = CodeQuery.tiers(token) else { continue }
                for var match in codeMatches(tiers, how: .codeInText) where seen.insert(match.entry.id).inserted {
                    match.note = ["read '\(token)' in the text as a code", match.note].compactMap { $0 }.joined(separator: "; ")
                    answer.matches.append(match)
                }
            }
        }
        return answer
    }

    /// The entries of the first tier of readings that finds any.
    private func codeMatches(_ tiers: [[CodeQuery.Reading]], how: KnowledgeMatch.How) -> [KnowledgeMatch] {
        for tier in tiers {
            var found: [KnowledgeMatch] = []
            for reading in tier {
                for entry in entries where !entry.kind.isText && entry.lookupKeys.contains(reading.key) {
                    if !found.contains(where: { $0.entry.id == entry.id }) {
                        found.append(KnowledgeMatch(entry: entry, how: reading.note == nil ? how : (how == .code ? .readAs : how), note: reading.note))
                    }
                }
            }
            if !found.isEmpty { return found }
        }
        return []
    }

    /// Whole messages first (a longer text holding the message counts: a pasted log line),
    /// then starts of messages; among texts that hold several messages, the longest wins
    /// ("An unexpected error occurred on a receive" is the TLS line, not "Unexpected error occurred").
    private func messageMatches(_ query: String) -> ([KnowledgeMatch], [KnowledgeEntry]) {
        guard !query.isEmpty else { return ([], []) }
        var exact: [KnowledgeMatch] = []
        var holding: [(match: KnowledgeMatch, key: String)] = []
        var starts: [KnowledgeMatch] = []
        let fragments = query.split(separator: "...", omittingEmptySubsequences: false).map { String($0).trimmingWhitespace }
        for entry in entries where entry.kind.isText {
            var best: (rank: Int, key: String)?
            for key in entry.lookupKeys {
                let rank: Int
                if key == query {
                    rank = 0
                } else if fragments.count > 1 {
                    guard Knowledge.fragments(fragments, match: key) else { continue }
                    rank = 2
                } else if key.count >= Knowledge.prefixMinimum && query.contains(key) {
                    rank = 1
                } else if query.count >= Knowledge.prefixMinimum && key.hasPrefix(query) {
                    rank = 2
                } else {
                    continue
                }
                if best == nil || rank < best!.rank || (rank == best!.rank && key.count > best!.key.count) { best = (rank, key) }
            }
            guard let best else { continue }
            switch best.rank {
            case 0: exact.append(KnowledgeMatch(entry: entry, how: .message))
            case 1: holding.append((KnowledgeMatch(entry: entry, how: .message), best.key))
            default: starts.append(KnowledgeMatch(entry: entry, how: .messagePrefix))
            }
        }
        if !exact.isEmpty { return (exact, []) }
        if !holding.isEmpty {
            let keys = holding.map(\.key)
            return (holding.filter { held in !keys.contains { $0 != held.key && $0.contains(held.key) } }.map(\.match), [])
        }
        if starts.count > Knowledge.prefixAnswers { return ([], starts.map(\.entry)) }
        return (starts, [])
    }

    /// Fragments around an ellipsis, in order: the first starts the message unless the query
    /// starts with the ellipsis. Together they must be long enough to be distinctive.
    static func fragments(_ fragments: [String], match key: String) -> Bool {
        let parts = fragments.enumerated().filter { !$0.element.isEmpty }
        guard parts.map(\.element.count).reduce(0, +) >= prefixMinimum else { return false }
        var rest = Substring(key)
        for (index, part) in parts {
            if index == 0 {
                guard rest.hasPrefix(part) else { return false }
                rest = rest.dropFirst(part.count)
            } else {
                guard let range = rest.firstRange(of: part) else { return false }
                rest = rest[range.upperBound...]
            }
        }
        return true
    }
}

/// The ways a code can be written, read into the keys the entries use.
enum CodeQuery {
    struct Reading: Equatable {
        /// `0x%08X` or a plain decimal number.
        var key: String
        /// How the code was read, when not as written.
        var note: String?
    }

    /// Readings of a query that is a code and nothing else, in tiers: a later tier is tried
    /// only when no entry answers an earlier one. Nil when the query is not a code.
    static func tiers(_ query: String) -> [[Reading]]? {
        let text = query.trimmingWhitespace
        if let value = CodeText.hex(text) {
            var tiers = hexTiers(value, note: nil)
            if value <= 0xFFFF { tiers.append([Reading(key: String(value), note: "\(text) is \(value) in decimal")]) }
            return tiers
        }
        if text.hasPrefix("-"), let magnitude = CodeText.decimal(String(text.dropFirst())) {
            // A signed 32-bit HRESULT, as .NET prints Exception.HResult.
            guard magnitude <= 1 << 31, magnitude > 0 else { return [] }
            let value = UInt32(bitPattern: Int32(truncatingIfNeeded: -magnitude))
            return hexTiers(value, note: "\(text) is the HRESULT \(CodeText.hexKey(value)) written as a signed decimal")
        }
        if let value = CodeText.decimal(text) {
            var tiers = [[Reading(key: String(value), note: nil)]]
            if value <= Int(UInt32.max) {
                let hex = UInt32(value)
                let note = value >= 1 << 31 ? "\(text) is the HRESULT \(CodeText.hexKey(hex)) written as an unsigned decimal"
                                            : "\(text) is \(CodeText.hexKey(hex)) in hexadecimal"
                tiers += hexTiers(hex, note: note)
            }
            // Eight digits are as often an HRESULT without its 0x (80070005) as a number.
            if text.count == 8, let hex = UInt32(text, radix: 16) {
                tiers += hexTiers(hex, note: "read \(text) as the hexadecimal \(CodeText.hexKey(hex))")
            }
            return tiers
        }
        if text.count == 8, text.allSatisfy(\.isHexDigit), let hex = UInt32(text, radix: 16) {
            return hexTiers(hex, note: "read \(text) as \(CodeText.hexKey(hex))")
        }
        return nil
    }

    /// An HRESULT, then (for a Win32 failure, 0x8007xxxx) the Windows error it wraps.
    static func hexTiers(_ value: UInt32, note: String?) -> [[Reading]] {
        var tiers = [[Reading(key: CodeText.hexKey(value), note: note)]]
        if value & 0xFFFF_0000 == 0x8007_0000 {
            let win32 = value & 0xFFFF
            let wrapped = "\(CodeText.hexKey(value)) is the HRESULT form of Windows error \(win32) (HRESULT_FROM_WIN32)"
            tiers.append([Reading(key: String(win32), note: [note, wrapped].compactMap { $0 }.joined(separator: "; "))])
        }
        return tiers
    }

    /// The codes in a longer text: `0x…` words, numbers of three digits or more
    /// (`(401)`, `Error = 12007.`), and a shorter number right after "code" (`error code 3`).
    /// Digits inside dates, times, GUIDs and versions are not codes.
    static func codes(inText text: String) -> [String] {
        let words = text.split { $0.isWhitespace || "()[]{}<>,;=\"'".contains($0) }.map(String.init)
        var codes: [String] = []
        var previous = ""
        for word in words {
            var token = Substring(word)
            while let last = token.last, ".:!?".contains(last) { token.removeLast() }
            let candidate = String(token)
            let isDigits = !candidate.isEmpty && candidate.allSatisfy { $0.isASCII && $0.isNumber }
            if CodeText.hex(candidate) != nil
                || (isDigits && (candidate.count >= 3 || ["code", "code:"].contains(previous.lowercased()))) {
                if !codes.contains(candidate) { codes.append(candidate) }
            }
            previous = word
        }
        return codes
    }
}

extension String {
    /// Without white space or line breaks at either end.
    var trimmingWhitespace: String {
        guard let first = firstIndex(where: { !$0.isWhitespace }), let last = lastIndex(where: { !$0.isWhitespace }) else { return "" }
        return String(self[first...last])
    }
}
