/// What a pattern's text says about how it can backtrack, read from the source
/// without compiling it. Two shapes are known to blow up: a back-reference (or
/// a subroutine call), whose every backtracking step compares a whole earlier
/// capture, so PCRE2's step count no longer bounds time; and a nested quantifier
/// (`(a+)+`, `(\w+\s?)*`), which gives exponentially many ways to split a run.
package struct PatternShape: Sendable, Equatable {
    package var hasBackReference = false
    package var hasNestedQuantifier = false

    /// Texts that make a pattern refer back into itself.
    static let references = ["\\1", "\\2", "\\3", "\\4", "\\5", "\\6", "\\7", "\\8", "\\9", "\\g", "\\k",
                             "(?P=", "(?P>", "(?R", "(?0", "(?1", "(?2", "(?3", "(?4", "(?5", "(?6", "(?7", "(?8", "(?9",
                             "(?+", "(?-1", "(?&"]

    package init(_ source: String) {
        hasBackReference = PatternShape.references.contains { source.utf8.contains(subsequence: $0.utf8) }
        hasNestedQuantifier = PatternShape.nestedQuantifier(Array(source.utf8))
    }

    /// Words for a report: "back-reference", "nested quantifier", both, or nil.
    package var risks: [String] {
        (hasBackReference ? ["back-reference"] : []) + (hasNestedQuantifier ? ["nested quantifier"] : [])
    }

    /// The index after the character class that opens at `index` (`[…]`, with a leading
    /// `^` or `]`, escapes and POSIX classes such as `[:alpha:]` inside).
    package static func classEnd(_ pattern: [UInt8], from index: Int) -> Int {
        let count = pattern.count
        var at = index + 1
        if at < count && pattern[at] == UInt8(ascii: "^") { at += 1 }
        if at < count && pattern[at] == UInt8(ascii: "]") { at += 1 }
        while at < count && pattern[at] != UInt8(ascii: "]") {
            if pattern[at] == UInt8(ascii: "\\") { at += 2; continue }
            if pattern[at] == UInt8(ascii: "[") && at + 1 < count && pattern[at + 1] == UInt8(ascii: ":") {
                var close = at + 2
                while close + 1 < count && !(pattern[close] == UInt8(ascii: ":") && pattern[close + 1] == UInt8(ascii: "]")) { close += 1 }
                at = close + 2
                continue
            }
            at += 1
        }
        return at + 1
    }

    /// Whether a group that holds an unbounded quantifier is itself repeated more than once.
    /// Conservative in the direction of saying yes: a possessive or atomic inner part
    /// (which cannot blow up) is still reported, as `rules --check` then measures it.
    static func nestedQuantifier(_ pattern: [UInt8]) -> Bool {
        var groups: [Bool] = []  // per open group: whether it holds an unbounded quantifier
        var index = 0
        let count = pattern.count
        // The quantifier starting at `at`, if any: (length, unbounded, repeats more than once).
        func quantifier(at: Int) -> (Int, Bool, Bool)? {
            guard at < count else { return nil }
            switch pattern[at] {
            case UInt8(ascii: "*"), UInt8(ascii: "+"): return (1, true, true)
            case UInt8(ascii: "?"): return (1, false, false)
            case UInt8(ascii: "{"):
                var end = at + 1
                var text: [UInt8] = []
                while end < count && pattern[end] != UInt8(ascii: "}") { text.append(pattern[end]); end += 1 }
                guard end < count, !text.isEmpty,
                      text.allSatisfy({ ($0 >= 48 && $0 <= 57) || $0 == UInt8(ascii: ",") }) else { return nil }
                let parts = text.split(separator: UInt8(ascii: ","), omittingEmptySubsequences: false)
                let high = parts.count == 1 ? Int(String(decoding: parts[0], as: UTF8.self)) : Int(String(decoding: parts[parts.count - 1], as: UTF8.self))
                return (end - at + 1, high == nil, high.map { $0 > 1 } ?? true)
            default: return nil
            }
        }
        func markUnbounded() { if !groups.isEmpty { groups[groups.count - 1] = true } }
        while index < count {
            let byte = pattern[index]
            switch byte {
            case UInt8(ascii: "\\"):
                if index + 1 < count && pattern[index + 1] == UInt8(ascii: "Q") {
                    var end = index + 2
                    while end + 1 < count && !(pattern[end] == UInt8(ascii: "\\") && pattern[end + 1] == UInt8(ascii: "E")) { end += 1 }
                    index = end + 2
                    continue
                }
                index += 2
                if let (length, unbounded, _) = quantifier(at: index) { if unbounded { markUnbounded() }; index += length }
                continue
            case UInt8(ascii: "["):
                index = PatternShape.classEnd(pattern, from: index)
                if let (length, unbounded, _) = quantifier(at: index) { if unbounded { markUnbounded() }; index += length }
                continue
            case UInt8(ascii: "("):
                groups.append(false)
                index += 1
                continue
            case UInt8(ascii: ")"):
                let inner = groups.popLast() ?? false
                index += 1
                if let (length, unbounded, repeats) = quantifier(at: index) {
                    if inner && repeats { return true }
                    if unbounded || inner { markUnbounded() }
                    index += length
                } else if inner {
                    markUnbounded()
                }
                continue
            default:
                index += 1
                if let (length, unbounded, _) = quantifier(at: index) { if unbounded { markUnbounded() }; index += length }
            }
        }
        return false
    }
}
