import LogMatching

/// One pass over a message that tells which of many floating rules can match it.
/// Each rule contributes a literal its every match must contain (`requiredLiteral`);
/// the literals, folded to lower case, make one Aho-Corasick automaton over byte
/// classes. A message meets the automaton once, a byte a step, whatever the number
/// of rules, and only the rules whose literal occurred are searched. A literal
/// found is necessary, not sufficient: the rule's own pattern decides.
///
/// The combined gate (`CompiledCatalog.gateSource`) costs about one JIT search
/// per alternative and message position; the automaton costs a table step per
/// byte. So it pays for itself only with many floating rules: a plan uses it
/// from `minimumRules` on, and the bundled catalog stays on the gate. One
/// automaton serves every log: a plan tries only the rules found that apply to it.
package final class RulePrefilter: Sendable {
    /// Floating rules of one log from which on a plan uses the prefilter.
    package static let minimumRules = 24
    /// Shorter literals occur in too many messages to filter anything.
    package static let minimumLiteral = 3

    /// Catalog indices of the rules, by the automaton's rule number.
    let rules: [Int]
    /// Byte to class; class 0 is every byte no literal has.
    private let classOf: [UInt8]
    private let classCount: Int
    /// `next[state * classCount + class]`: a full transition table, failure links folded in.
    private let next: [Int32]
    /// Rules whose literal ends at a state (its own and those of its suffix states):
    /// `output[outputStart[state]..<outputStart[state + 1]]`.
    private let outputStart: [Int32]
    private let output: [Int32]

    /// `literals`: per rule, its catalog index and its required literal.
    init(_ literals: [(rule: Int, literal: [UInt8])]) {
        rules = literals.map(\.rule)
        var classOf = [UInt8](repeating: 0, count: 256)
        var classCount = 1
        for (_, literal) in literals {
            for byte in literal where classOf[Int(byte)] == 0 {
                classOf[Int(byte)] = UInt8(classCount)
                classCount += 1
            }
        }
        // Upper-case ASCII meets the automaton as its lower-case letter.
        for byte in UInt8(ascii: "A")...UInt8(ascii: "Z") { classOf[Int(byte)] = classOf[Int(byte | 0x20)] }
        self.classOf = classOf
        self.classCount = classCount

        // The trie, as one flat table (a row of `classCount` per state; -1: no edge yet).
        var table = [Int32](repeating: -1, count: classCount)
        var ends: [[Int32]] = [[]]
        for (number, (_, literal)) in literals.enumerated() {
            var state = 0
            for byte in literal {
                let cell = state * classCount + Int(classOf[Int(byte)])
                if table[cell] < 0 {
                    table[cell] = Int32(ends.count)
                    table.append(contentsOf: repeatElement(-1, count: classCount))
                    ends.append([])
                }
                state = Int(table[cell])
            }
            ends[state].append(Int32(number))
        }
        // Breadth first: failure links, outputs inherited from them, missing edges filled.
        var failure = [Int](repeating: 0, count: ends.count)
        var queue: [Int] = []
        queue.reserveCapacity(ends.count)
        for symbol in 0..<classCount {
            if table[symbol] < 0 { table[symbol] = 0 } else { queue.append(Int(table[symbol])) }
        }
        var head = 0
        while head < queue.count {
            let state = queue[head]
            head += 1
            let fallback = failure[state]
            if !ends[fallback].isEmpty { ends[state] += ends[fallback] }
            for symbol in 0..<classCount {
                let child = Int(table[state * classCount + symbol])
                let inherited = table[fallback * classCount + symbol]
                if child < 0 {
                    table[state * classCount + symbol] = inherited
                } else {
                    failure[child] = Int(inherited)
                    queue.append(child)
                }
            }
        }
        next = table
        var start: [Int32] = [0]
        var flat: [Int32] = []
        for state in ends.indices {
            flat += ends[state]
            start.append(Int32(flat.count))
        }
        outputStart = start
        output = flat
    }

    /// Per classifier: which rules a scan found, without clearing between messages.
    package final class Scan {
        /// The scan number in which each rule was last found.
        private var stamps: [UInt32]
        private var number: UInt32 = 0
        /// Catalog indices found by the last scan, in catalog order.
        private(set) var found: [Int] = []

        init(_ prefilter: RulePrefilter) {
            stamps = [UInt32](repeating: 0, count: prefilter.rules.count)
            found.reserveCapacity(16)
        }

        /// The catalog indices of the rules whose literal occurs in `message`.
        func run(_ prefilter: RulePrefilter, over message: UnsafeRawBufferPointer) -> [Int] {
            number &+= 1
            if number == 0 {  // wrapped: old stamps could look current
                for index in stamps.indices { stamps[index] = 0 }
                number = 1
            }
            found.removeAll(keepingCapacity: true)
            prefilter.classOf.withUnsafeBufferPointer { classOf in
                prefilter.next.withUnsafeBufferPointer { next in
                    prefilter.outputStart.withUnsafeBufferPointer { outputStart in
                        let classCount = prefilter.classCount
                        var state = 0
                        for byte in message {
                            state = Int(next[state &* classCount &+ Int(classOf[Int(byte)])])
                            let first = Int(outputStart[state]), end = Int(outputStart[state &+ 1])
                            guard first != end else { continue }
                            for position in first..<end {
                                let rule = Int(prefilter.output[position])
                                if stamps[rule] != number {
                                    stamps[rule] = number
                                    found.append(prefilter.rules[rule])
                                }
                            }
                        }
                    }
                }
            }
            if found.count > 1 { found.sort() }
            return found
        }
    }

    static func isWordByte(_ byte: UInt8) -> Bool {
        (byte | 0x20 >= UInt8(ascii: "a") && byte | 0x20 <= UInt8(ascii: "z")) || (byte >= 48 && byte <= 57) || byte == UInt8(ascii: "_")
    }

    /// A text that every match of `source` contains, folded to lower case, or nil when
    /// none of at least `minimumLiteral` bytes can be told from the pattern's text
    /// alone. Conservative: only characters outside groups and classes that no
    /// quantifier can repeat zero times; any top-level `|`, `(?x)` (where spaces are not
    /// literal) or non-ASCII text gives nil or a shorter literal, never a wrong one.
    package static func requiredLiteral(_ source: String, isUTF: Bool) -> [UInt8]? {
        let pattern = Array(source.utf8)
        let count = pattern.count
        // \Q…\E may hide parentheses and bars from the scan below.
        if source.utf8.contains(subsequence: "\\Q".utf8) { return nil }
        // Inline options: extended mode makes spaces and # syntax; caseless in UTF mode
        // lets k and s match non-ASCII characters (K, ſ), so those cannot be literals.
        var caseless = false
        for index in pattern.indices where pattern[index] == UInt8(ascii: "(") && index + 1 < count && pattern[index + 1] == UInt8(ascii: "?") {
            var end = index + 2
            while end < count, pattern[end] == UInt8(ascii: "-") || pattern[end] == UInt8(ascii: "^") || (pattern[end] | 0x20 >= UInt8(ascii: "a") && pattern[end] | 0x20 <= UInt8(ascii: "z")) {
                if pattern[end] == UInt8(ascii: "x") { return nil }
                if pattern[end] == UInt8(ascii: "i") { caseless = true }
                end += 1
            }
        }
        var best: [UInt8] = [], run: [UInt8] = []
        func breakRun() {
            if run.count > best.count { best = run }
            run = []
        }
        /// The index after the group or class that opens at `index`.
        func skipGroup(_ index: Int) -> Int {
            var depth = 0, at = index
            while at < count {
                switch pattern[at] {
                case UInt8(ascii: "\\"): at += 1
                case UInt8(ascii: "["): at = skipClass(at) - 1
                case UInt8(ascii: "("): depth += 1
                case UInt8(ascii: ")"):
                    depth -= 1
                    if depth == 0 { return at + 1 }
                default: break
                }
                at += 1
            }
            return count
        }
        func skipClass(_ index: Int) -> Int { PatternShape.classEnd(pattern, from: index) }
        /// Whether the item just read may occur zero times, and the index after its quantifier.
        func quantifier(_ index: Int) -> (optional: Bool, repeated: Bool, after: Int) {
            guard index < count else { return (false, false, index) }
            var after = index + 1
            let optional: Bool, repeated: Bool
            switch pattern[index] {
            case UInt8(ascii: "?"), UInt8(ascii: "*"): optional = true; repeated = pattern[index] == UInt8(ascii: "*")
            case UInt8(ascii: "+"): optional = false; repeated = true
            case UInt8(ascii: "{"):
                // A repeat count (`{2}`, `{0,3}`) is taken as optional, which is conservative;
                // braces around anything else are literal text to PCRE2, and syntax here.
                var end = index + 1
                while end < count && (pattern[end] == UInt8(ascii: ",") || (pattern[end] >= 48 && pattern[end] <= 57)) { end += 1 }
                guard end < count, pattern[end] == UInt8(ascii: "}"), end > index + 1 else { return (false, false, index) }
                after = end + 1
                if after < count && (pattern[after] == UInt8(ascii: "?") || pattern[after] == UInt8(ascii: "+")) { after += 1 }
                return (true, true, after)
            default: return (false, false, index)
            }
            if after < count && (pattern[after] == UInt8(ascii: "?") || pattern[after] == UInt8(ascii: "+")) { after += 1 }
            return (optional, repeated, after)
        }
        var index = 0
        while index < count {
            let byte = pattern[index]
            var literal: UInt8?
            switch byte {
            case UInt8(ascii: "|"): return nil
            case UInt8(ascii: "("):
                breakRun()
                index = quantifier(skipGroup(index)).after
                continue
            case UInt8(ascii: "["):
                breakRun()
                index = quantifier(skipClass(index)).after
                continue
            case UInt8(ascii: "\\"):
                guard index + 1 < count else { return nil }
                let escaped = pattern[index + 1]
                index += 2
                if !isWordByte(escaped) {
                    if escaped < 0x80 { literal = escaped }
                } else {
                    // An escape's argument follows it: \pL, \x41, \cA, \g1, \k<name>, \p{Greek}.
                    // Whatever follows in brackets or as letters and digits is not literal text.
                    breakRun()
                    if index < count, let close = [UInt8(ascii: "{"): UInt8(ascii: "}"), UInt8(ascii: "<"): UInt8(ascii: ">"), UInt8(ascii: "'"): UInt8(ascii: "'")][pattern[index]] {
                        index += 1
                        while index < count && pattern[index] != close { index += 1 }
                        index += 1
                    }
                    while index < count && isWordByte(pattern[index]) { index += 1 }
                    index = quantifier(index).after
                    continue
                }
            case UInt8(ascii: "."), UInt8(ascii: "^"), UInt8(ascii: "$"), UInt8(ascii: "{"), UInt8(ascii: "}"):
                index += 1
            default:
                index += 1
                if byte < 0x80 { literal = byte }
            }
            if let value = literal, caseless && isUTF && (value | 0x20 == UInt8(ascii: "k") || value | 0x20 == UInt8(ascii: "s")) {
                literal = nil
            }
            let (optional, repeated, after) = quantifier(index)
            index = after
            guard let literal, !optional else { breakRun(); continue }
            run.append(literal >= UInt8(ascii: "A") && literal <= UInt8(ascii: "Z") ? literal | 0x20 : literal)
            if repeated { breakRun() }
        }
        breakRun()
        return best.count >= minimumLiteral ? best : nil
    }
}
