/// Matches records against the rule catalog and turns matches into events.
/// Patterns are compiled once; each record is tried only against the rules
/// for its log. Most records match nothing and cost one JIT search per rule,
/// with no allocation.
public final class Classifier {
    struct CompiledRule {
        let rule: Rule
        let matcher: Matcher
        /// Named groups, as (name, number), read out on a match.
        let groups: [(String, Int)]
        /// The byte a `^literal…` pattern needs first: records without it skip the match.
        let firstByte: UInt8?
    }

    public let catalog: RuleCatalog
    private let compiled: [CompiledRule]
    /// Rule indices that apply to each log kind.
    private var byKind: [LogKind: [Int]] = [:]
    /// Per log kind, one pattern that is the alternation of all its rules: a
    /// record it does not match can match no rule, so most records cost one
    /// search. Absent when the rules cannot be combined (back-references).
    private var gates: [LogKind: Matcher] = [:]
    /// An event waiting for the next record of its input (`joinNext`).
    private var waiting: (event: Event, field: String)?
    /// Events recognised per input and log, to tell which log piped input was.
    public private(set) var kindVotes: [Int: [LogKind: Int]] = [:]
    /// Longest message text an event keeps.
    public static let maxTextBytes = 4096

    public init(catalog: RuleCatalog) throws(RuleError) {
        self.catalog = catalog
        var compiled: [CompiledRule] = []
        for rule in catalog.rules where rule.enabled {
            let pattern: Pattern
            do { pattern = try Pattern(rule.pattern) } catch {
                throw RuleError(rule: rule.id, file: catalog.origins[rule.id], message: "invalid pattern \(quoted(rule.pattern)) at offset \(error.offset): \(error.message)")
            }
            compiled.append(CompiledRule(rule: rule, matcher: pattern.matcher(),
                                         groups: pattern.groupNumbers.sorted { $0.value < $1.value }.map { ($0.key, $0.value) },
                                         firstByte: Classifier.anchoredFirstByte(rule.pattern)))
        }
        self.compiled = compiled
        for kind in LogKind.allCases {
            let indices = compiled.indices.filter { compiled[$0].rule.applies(to: kind) }
            byKind[kind] = indices
            gates[kind] = Classifier.gate(for: indices.map { compiled[$0].rule.pattern })
        }
    }

    /// The alternation of `patterns`, or nil when combining could change what one of them means.
    static func gate(for patterns: [String]) -> Matcher? {
        guard patterns.count > 1 else { return nil }
        // Numbered and named back-references would point elsewhere once combined.
        let references = ["\\1", "\\2", "\\3", "\\4", "\\5", "\\6", "\\7", "\\8", "\\9", "\\g", "\\k", "(?P=", "(?|", "(?R", "(?1", "(?&", "(*"]
        if patterns.contains(where: { pattern in references.contains { pattern.contains($0) } }) { return nil }
        let combined = "(?J)" + patterns.map { "(?:\($0))" }.joined(separator: "|")
        return (try? Pattern(combined))?.matcher()
    }

    /// For `^Batching…` or `^\[…`: the literal byte the pattern must start with.
    static func anchoredFirstByte(_ pattern: String) -> UInt8? {
        let bytes = Array(pattern.utf8)
        guard bytes.count >= 3, bytes[0] == UInt8(ascii: "^") else { return nil }
        let first = bytes[1]
        let isAlphanumeric = (first >= 0x30 && first <= 0x39) || (first | 0x20 >= 0x61 && first | 0x20 <= 0x7A)
        if isAlphanumeric {
            // A quantifier after the first character (`^B?`, `^B*`) makes it optional.
            let next = bytes[2]
            if next == UInt8(ascii: "?") || next == UInt8(ascii: "*") || next == UInt8(ascii: "{") { return nil }
            return first
        }
        if first == UInt8(ascii: "\\"), bytes.count >= 4 {
            let escaped = bytes[2]
            let isPunctuation = [UInt8]("[]().{}*+?|^$\\/-".utf8).contains(escaped)
            let next = bytes[3]
            if isPunctuation && next != UInt8(ascii: "?") && next != UInt8(ascii: "*") && next != UInt8(ascii: "{") { return escaped }
        }
        return nil
    }

    /// Classifies one record of an input whose log is `kind`, handing on each
    /// event. Returns whether any rule matched the record.
    @discardableResult
    public func classify(_ record: Record, kind: LogKind, inputName: String, _ emit: (Event) throws -> Void) rethrows -> Bool {
        if var (event, field) = waiting {
            waiting = nil
            if record.input == event.input {
                event.fields[field] = text(of: record.message)
                event.endLine = record.endLine
                event.text += "\n" + event.fields[field]!
            }
            try emit(event)
        }
        let message = record.message
        if let gate = gates[kind], !gate.matches(message, from: 0) { return false }
        let first: UInt8? = message.isEmpty ? nil : message[0]
        var matched = false
        for index in byKind[kind]! {
            let entry = compiled[index]
            if let needed = entry.firstByte, needed != first { continue }
            guard entry.matcher.matches(message, from: 0) else { continue }
            matched = true
            var fields = entry.rule.attributes
            for (name, number) in entry.groups {
                if let range = entry.matcher.range(number) {
                    fields[name] = String(decoding: UnsafeRawBufferPointer(rebasing: message[range]), as: UTF8.self)
                }
            }
            let log = kind != .unknown ? kind
                : entry.rule.logs.count == 1 ? entry.rule.logs[0] : (dominantKind(ofInput: record.input) ?? .unknown)
            if log != .unknown { kindVotes[record.input, default: [:]][log, default: 0] += 1 }
            let event = Event(type: entry.rule.event, rule: entry.rule.id, input: record.input, inputName: inputName,
                              log: log, line: record.line, endLine: record.endLine, time: record.utc,
                              timestamp: record.timestamp, thread: record.thread,
                              severity: entry.rule.severity ?? record.severity, fields: fields, text: text(of: message))
            if let join = entry.rule.joinNext, (fields[join] ?? "").isEmpty {
                waiting = (event, join)
            } else {
                try emit(event)
            }
        }
        return matched
    }

    /// The input ended: hands on an event still waiting for its next record.
    public func finish(_ emit: (Event) throws -> Void) rethrows {
        if let (event, _) = waiting {
            waiting = nil
            try emit(event)
        }
    }

    /// The log that most of an input's events belong to, for input whose name does not say.
    public func dominantKind(ofInput input: Int) -> LogKind? {
        kindVotes[input]?.max { $0.value < $1.value || ($0.value == $1.value && $0.key.rawValue > $1.key.rawValue) }?.key
    }

    private func text(of bytes: UnsafeRawBufferPointer) -> String {
        let kept = bytes.count > Classifier.maxTextBytes ? UnsafeRawBufferPointer(rebasing: bytes[..<Classifier.maxTextBytes]) : bytes
        return String(decoding: kept, as: UTF8.self)
    }
}
