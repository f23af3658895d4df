import LogMatching
import LogInput
/// Matches records against the rule catalog and turns matches into events.
/// The patterns are compiled once per run, in the shared `CompiledCatalog`; a
/// classifier owns only match data. Each record meets as few patterns as can
/// match it: rules anchored at the start of the message are looked up by the
/// message's first byte, and the others sit behind one combined pattern (a
/// record it does not match matches none of them). Most records match
/// nothing, at the cost of a table lookup and one JIT search, with no allocation.
/// Not thread-safe: one per reading loop.
package final class Classifier {
    package let compiled: CompiledCatalog
    package var catalog: RuleCatalog { compiled.catalog }
    /// One per compiled rule, same order: the shared pattern with this classifier's match data.
    let matchers: [Matcher]
    /// One per compiled gate; a gate is rebuilt without a rule that is switched off (`RuleBudget`).
    var gates: [Matcher]
    /// Rules switched off for the rest of the run after spending their limit budget.
    var disabled: [Bool]
    /// This classifier's scratch for the catalog's `RulePrefilter`, if it has one.
    let scan: RulePrefilter.Scan?
    /// An event waiting for the next record of its input (`joinNext`).
    private var waiting: (event: Event, field: String)?
    /// Events recognised per input and log (`votes[input][kind.ordinal]`), to tell which log piped
    /// input was: counted for every event, in a flat table, so a vote costs no hashing.
    private var votes: [[Int]] = []
    /// Longest message text an event keeps.
    package static let maxTextBytes = 4096

    /// Match data for every shared pattern; compiles nothing. `compiled.classifier()` reads better.
    package init(_ compiled: CompiledCatalog) {
        self.compiled = compiled
        matchers = compiled.entries.map { $0.pattern.matcher() }
        gates = compiled.gates.map { $0.matcher() }
        disabled = [Bool](repeating: false, count: compiled.entries.count)
        scan = compiled.prefilter.map { RulePrefilter.Scan($0) }
    }

    /// Rules of this classifier that hit PCRE2's match or depth limit, with how many records each, in catalog order.
    package var limitHits: [RuleLimitHit] {
        matchers.indices.compactMap { index in
            matchers[index].limitHits > 0 ? RuleLimitHit(rule: compiled.entries[index].rule.id, records: matchers[index].limitHits, disabled: disabled[index]) : nil
        }
    }

    /// Classifies one record of an input whose log is `kind`, handing on each
    /// event. Returns whether any rule matched the record.
    @discardableResult
    package func classify(_ record: Record, kind: LogKind, inputName: @autoclosure () -> String,
                         _ emit: (Event) throws -> Void) rethrows -> Bool {
        if case (var event, let field)? = waiting {
            waiting = nil
            if record.input == event.input {
                let joined = text(of: record.message)
                event.fields[field] = joined
                event.endLine = record.endLine
                event.text += "\n" + joined
            }
            try emit(event)
        }
        let plan = compiled.plans[kind.ordinal]
        let message = record.message
        var matched = false
        let anchored = message.isEmpty ? plan.anchored : plan.anchoredByFirstByte[Int(message[0])]
        for index in anchored {
            matched = try apply(index, to: record, kind: kind, inputName: inputName, emit) || matched
        }
        // A gate that gave up at a limit says nothing: try each rule, so that the rule
        // to blame hits its own limit and is reported, and the others still match.
        var gateOpen = !plan.floating.isEmpty
        if gateOpen, let gate = plan.gate { gateOpen = gates[gate].search(message, from: 0) != .unmatched }
        if gateOpen {
            for index in plan.floating {
                matched = try apply(index, to: record, kind: kind, inputName: inputName, emit) || matched
            }
        }
        if let prefiltered = plan.prefiltered, let prefilter = compiled.prefilter, let scan {
            for index in scan.run(prefilter, over: message) where prefiltered[index] {
                matched = try apply(index, to: record, kind: kind, inputName: inputName, emit) || matched
            }
        }
        return matched
    }

    /// Matches rule `index`; on a match, makes its event (or holds it for `joinNext`).
    private func apply(_ index: Int, to record: Record, kind: LogKind, inputName: () -> String,
                       _ emit: (Event) throws -> Void) rethrows -> Bool {
        let message = record.message
        let matcher = matchers[index]
        if disabled[index] { return false }
        switch matcher.search(message, from: 0) {
        case .matched:
            break
        case .unmatched:
            return false
        case .limitHit:
            if compiled.noteLimitHit(rule: index) { switchOff(index) }
            return false
        }
        let entry = compiled.entries[index]
        var fields = entry.attributes
        fields.reserve(entry.groups.count)
        for (name, number) in entry.groups {
            if let range = matcher.range(number) {
                fields[name] = String(decoding: UnsafeRawBufferPointer(rebasing: message[range]), as: UTF8.self)
            }
        }
        let log = kind != .unknown ? kind
            : entry.rule.logs.count == 1 ? entry.rule.logs[0] : (dominantKind(ofInput: record.input) ?? .unknown)
        if log != .unknown { vote(log, input: record.input) }
        let event = Event(type: entry.rule.event, rule: entry.rule.id, provenance: entry.rule.provenance, input: record.input, inputName: inputName(),
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

    private func vote(_ log: LogKind, input: Int) {
        while votes.count <= input { votes.append([Int](repeating: 0, count: LogKind.allCases.count)) }
        votes[input][log.ordinal] += 1
    }

    /// The log that most of an input's events belong to, for input whose name does not say.
    package func dominantKind(ofInput input: Int) -> LogKind? {
        guard input >= 0, input < votes.count else { return nil }
        let counts = votes[input]
        return LogKind.allCases.filter { $0 != .unknown && counts[$0.ordinal] > 0 }
            .max { counts[$0.ordinal] < counts[$1.ordinal] || (counts[$0.ordinal] == counts[$1.ordinal] && $0.rawValue > $1.rawValue) }
    }

    private func text(of bytes: UnsafeRawBufferPointer) -> String {
        let kept = bytes.count > Classifier.maxTextBytes ? UnsafeRawBufferPointer(rebasing: bytes[..<Classifier.maxTextBytes]) : bytes
        return String(decoding: kept, as: UTF8.self)
    }
}
