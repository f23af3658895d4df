import LogMatching
import LogInput
/// Matches records against the rule catalog and turns matches into events.
/// Patterns are compiled once, and each record meets as few of them as can
/// match it: rules anchored at the start of the message are looked up by the
/// message's first byte, and the others sit behind one combined pattern (a
/// record it does not match matches none of them). Most records match
/// nothing, at the cost of a table lookup and one JIT search, with no allocation.
package final class Classifier {
    final class CompiledRule {
        let rule: Rule
        let matcher: Matcher
        /// Named groups, as (name, number), read out on a match.
        let groups: [(String, Int)]

        init(rule: Rule, pattern: Pattern) {
            self.rule = rule
            matcher = pattern.matcher()
            groups = pattern.groupNumbers.sorted { $0.value < $1.value }.map { ($0.key, $0.value) }
        }
    }

    /// The rules one log kind is tried against, arranged for speed.
    final class Plan {
        /// Anchored rules, by the first byte of the message they can start with.
        let anchoredByFirstByte: [[Int]]
        /// All anchored rules, for an empty message.
        let anchored: [Int]
        /// Rules that can match anywhere, and the alternation that gates them (nil: try each).
        let floating: [Int]
        let gate: Matcher?

        init(rules: [Int], compiled: [CompiledRule], firstBytes: [Int: [Bool]]) {
            let anchored = rules.filter { compiled[$0].matcher.pattern.isAnchored }
            let floating = rules.filter { !compiled[$0].matcher.pattern.isAnchored }
            self.anchored = anchored
            self.floating = floating
            anchoredByFirstByte = (0..<256).map { byte in anchored.filter { firstBytes[$0]![byte] } }
            gate = Classifier.gate(for: floating.map { compiled[$0].rule.pattern })
        }
    }

    package let catalog: RuleCatalog
    private let compiled: [CompiledRule]
    private let plans: [Plan]
    /// An event waiting for the next record of its input (`joinNext`).
    private var waiting: (event: Event, field: String)?
    /// Events recognised per input and log, to tell which log piped input was.
    package private(set) var kindVotes: [Int: [LogKind: Int]] = [:]
    /// Longest message text an event keeps.
    package static let maxTextBytes = 4096

    package init(catalog: RuleCatalog) throws(RuleError) {
        self.catalog = catalog
        var compiled: [CompiledRule] = []
        var firstBytes: [Int: [Bool]] = [:]
        for rule in catalog.rules where rule.enabled {
            let pattern: Pattern
            do { pattern = try Pattern(rule.pattern) } catch {
                throw RuleError(rule: rule.id, file: catalog.origins[rule.id], message: error.description)
            }
            if pattern.isAnchored { firstBytes[compiled.count] = pattern.possibleFirstBytes() }
            compiled.append(CompiledRule(rule: rule, pattern: pattern))
        }
        self.compiled = compiled
        plans = LogKind.allCases.map { kind in
            Plan(rules: compiled.indices.filter { compiled[$0].rule.applies(to: kind) }, compiled: compiled, firstBytes: firstBytes)
        }
    }

    /// The alternation of `patterns`, or nil when combining could change what one of them means.
    static func gate(for patterns: [String]) -> Matcher? {
        guard patterns.count > 1 else { return nil }
        // Numbered and named back-references would point elsewhere once combined.
        let references = ["\\1", "\\2", "\\3", "\\4", "\\5", "\\6", "\\7", "\\8", "\\9", "\\g", "\\k", "(?P=", "(?|", "(?R", "(?1", "(?&", "(*"]
        if patterns.contains(where: { pattern in references.contains { pattern.utf8.contains(subsequence: $0.utf8) } }) { return nil }
        let combined = "(?J)" + patterns.map { "(?:\($0))" }.joined(separator: "|")
        return (try? Pattern(combined))?.matcher()
    }

    /// Classifies one record of an input whose log is `kind`, handing on each
    /// event. Returns whether any rule matched the record.
    @discardableResult
    package func classify(_ record: Record, kind: LogKind, inputName: @autoclosure () -> String,
                         _ emit: (Event) throws -> Void) rethrows -> Bool {
        if var (event, field) = waiting {
            waiting = nil
            if record.input == event.input {
                event.fields[field] = text(of: record.message)
                event.endLine = record.endLine
                event.text += "\n" + event.fields[field]!
            }
            try emit(event)
        }
        let plan = plans[kind.ordinal]
        let message = record.message
        var matched = false
        let anchored = message.isEmpty ? plan.anchored : plan.anchoredByFirstByte[Int(message[0])]
        for index in anchored {
            matched = try apply(compiled[index], to: record, kind: kind, inputName: inputName, emit) || matched
        }
        if !plan.floating.isEmpty && (plan.gate?.matches(message, from: 0) ?? true) {
            for index in plan.floating {
                matched = try apply(compiled[index], to: record, kind: kind, inputName: inputName, emit) || matched
            }
        }
        return matched
    }

    /// Matches one rule; on a match, makes its event (or holds it for `joinNext`).
    private func apply(_ entry: CompiledRule, to record: Record, kind: LogKind, inputName: () -> String,
                       _ emit: (Event) throws -> Void) rethrows -> Bool {
        let message = record.message
        guard entry.matcher.matches(message, from: 0) else { return false }
        var fields = entry.rule.attributes
        for (name, number) in entry.groups {
            if let range = entry.matcher.range(number) {
                fields[name] = String(decoding: UnsafeRawBufferPointer(rebasing: message[range]), as: UTF8.self)
            }
        }
        let log = kind != .unknown ? kind
            : entry.rule.logs.count == 1 ? entry.rule.logs[0] : (dominantKind(ofInput: record.input) ?? .unknown)
        if log != .unknown { kindVotes[record.input, default: [:]][log, default: 0] += 1 }
        let event = Event(type: entry.rule.event, rule: entry.rule.id, input: record.input, inputName: inputName(),
                          log: log, line: record.line, endLine: record.endLine, time: record.time,
                          timestamp: record.timestamp, thread: record.thread,
                          severity: entry.rule.severity ?? record.severity, fields: fields, text: text(of: message))
        if let join = entry.rule.joinNext, (fields[join] ?? "").isEmpty {
            waiting = (event, join)
        } else {
            try emit(event)
        }
        return true
    }

    /// The input ended: hands on an event still waiting for its next record.
    package func finish(_ emit: (Event) throws -> Void) rethrows {
        if let (event, _) = waiting {
            waiting = nil
            try emit(event)
        }
    }

    /// The log that most of an input's events belong to, for input whose name does not say.
    package func dominantKind(ofInput input: Int) -> LogKind? {
        kindVotes[input]?.max { $0.value < $1.value || ($0.value == $1.value && $0.key.rawValue > $1.key.rawValue) }?.key
    }

    private func text(of bytes: UnsafeRawBufferPointer) -> String {
        let kept = bytes.count > Classifier.maxTextBytes ? UnsafeRawBufferPointer(rebasing: bytes[..<Classifier.maxTextBytes]) : bytes
        return String(decoding: kept, as: UTF8.self)
    }
}
