import LogMatching

/// `rules --check`: each enabled rule against lines made to provoke runaway
/// backtracking (runs of 60,000 bytes of one character, whitespace, CRLF pairs, the
/// rule's own literal characters, each ending in a character that fails the
/// match late). A rule is flagged when a search gives up at a limit or takes
/// longer than `slowSearch`; a linear pattern needs well under a millisecond
/// for any of these lines.
package struct RuleCheck {
    /// One flagged rule: what gave way, on which line.
    package struct Flag: Sendable, Equatable {
        package var rule: String
        /// Which test line, in words ("20,000 × 'a' then '!'").
        package var line: String
        /// "gave up at the match limit", "gave up at the deadline", or "took 73 ms".
        package var outcome: String
        /// What the pattern's text has that is known to blow up ("nested quantifier"), possibly nothing.
        package var risks: [String]
    }

    /// A search slower than this on one test line flags the rule.
    package static let slowSearch: Duration = .milliseconds(50)

    /// A test line and how a report names it.
    struct Line {
        var bytes: [UInt8]
        var name: String
    }

    /// The flagged rules of `compiled`, in catalog order (empty: every rule stayed fast), and how many were checked.
    package static func run(_ compiled: CompiledCatalog) -> (flags: [Flag], checked: Int) {
        (compiled.entries.compactMap { entry in check(entry.rule.id, entry.pattern) }, compiled.entries.count)
    }

    /// The first test line on which `pattern` gave way, or nil.
    static func check(_ id: String, _ pattern: Pattern) -> Flag? {
        let clock = ContinuousClock()
        for line in lines(for: pattern.source) {
            let matcher = pattern.matcher()
            var outcome = Matcher.Outcome.unmatched
            let elapsed = clock.measure { outcome = line.bytes.withUnsafeBytes { matcher.search($0) } }
            let what: String?
            if outcome == .limitHit {
                what = matcher.timeouts > 0 ? "gave up at the deadline (\(Matcher.searchTimeLimitNanoseconds / 1_000_000) ms)" : "gave up at the match limit"
            } else if elapsed > slowSearch {
                what = "took \(Int(elapsed / .milliseconds(1))) ms"
            } else {
                what = nil
            }
            if let what { return Flag(rule: id, line: line.name, outcome: what, risks: pattern.shape.risks) }
        }
        return nil
    }

    /// The lines: generic runs, then one run per literal character of the pattern,
    /// each followed by a byte the pattern is unlikely to accept and then its own
    /// literal characters, so that a required-character check does not end the search early.
    static func lines(for source: String) -> [Line] {
        let literals = literalBytes(source)
        let tail = [UInt8(0x01)] + literals
        func run(_ unit: String, _ count: Int, end: [UInt8] = [UInt8(ascii: "!")]) -> Line {
            let name = unit.unicodeScalars.map { $0.value < 0x20 ? "\\u{\(String($0.value, radix: 16))}" : String($0) }.joined()
            return Line(bytes: Array(String(repeating: unit, count: count).utf8) + end, name: "\(count) × '\(name)' then a mismatch")
        }
        var lines = [
            run("a", 40), run("a", 60_000), run(" ", 60_000, end: [UInt8(ascii: "x")] + tail),
            run("\r\n", 30_000, end: [UInt8(ascii: "x")] + tail), run(" \t", 30_000, end: tail),
            run("ab ", 20_000), run("7", 60_000, end: tail), run("a ", 30_000, end: tail),
        ]
        for byte in literals.prefix(24) {
            lines.append(run(String(UnicodeScalar(byte)), 60_000, end: tail))
        }
        if literals.count > 1 {
            lines.append(run(String(decoding: literals, as: UTF8.self), max(1, 60_000 / literals.count), end: tail))
        }
        return lines
    }

    /// The distinct printable ASCII characters the pattern's text names literally (outside escapes' letters).
    static func literalBytes(_ source: String) -> [UInt8] {
        let syntax = Set("\\^$.|?*+()[]{}".utf8)
        var seen = Set<UInt8>(), bytes: [UInt8] = []
        var escaped = false
        for byte in source.utf8 {
            if escaped {
                escaped = false
                if syntax.contains(byte) || byte == UInt8(ascii: " ") || byte == UInt8(ascii: "-") {
                    if seen.insert(byte).inserted { bytes.append(byte) }
                }
                continue
            }
            if byte == UInt8(ascii: "\\") { escaped = true; continue }
            guard byte >= 0x20, byte < 0x7F, !syntax.contains(byte) else { continue }
            if seen.insert(byte).inserted { bytes.append(byte) }
        }
        return bytes
    }
}
