import FoundationEssentials
import LogMatching
import Synchronization
import LogInput

/// A rule that gave up on some records at PCRE2's match or depth limit. Those
/// records counted as not matching it, so an event the rule would have made
/// may be missing: reports name the rule so its pattern can be fixed.
package struct RuleLimitHit: Sendable, Equatable, CustomStringConvertible {
    package var rule: String
    /// Records on which the rule hit the limit.
    package var records: Int
    /// Whether the rule spent its budget (`CompiledCatalog.ruleLimitBudget`) and was
    /// switched off for the rest of the run: records after that were not tried.
    package var disabled: Bool

    package init(rule: String, records: Int, disabled: Bool = false) {
        self.rule = rule
        self.records = records
        self.disabled = disabled
    }

    package var description: String {
        "\(rule) (\(records) record\(records == 1 ? "" : "s")\(disabled ? ", then disabled" : ""))"
    }

    /// Several runs' hits (one per server) added up by rule, in the order first seen.
    package static func merged(_ runs: [[RuleLimitHit]]) -> [RuleLimitHit] {
        var merged: [RuleLimitHit] = []
        for hit in runs.joined() {
            if let index = merged.firstIndex(where: { $0.rule == hit.rule }) {
                merged[index].records += hit.records
                merged[index].disabled = merged[index].disabled || hit.disabled
            } else {
                merged.append(hit)
            }
        }
        return merged
    }

    /// One line for standard error, or nil when no rule hit a limit (no noise when all is well).
    package static func summary(_ hits: [RuleLimitHit]) -> String? {
        guard !hits.isEmpty else { return nil }
        let rules = hits.map(\.description).joined(separator: ", ")
        return "rule limits: \(rules) gave up at the match limit and counted as not matching, so events may be missing; simplify the pattern (nested quantifiers such as (a+)+ backtrack without end; cmlogcheck rules --check finds them)"
    }

    /// The warning when rule `id` is switched off, for standard error.
    package static func disabledWarning(rule id: String) -> String {
        "rule \(id) gave up at a limit on \(CompiledCatalog.ruleLimitBudget) records and is disabled for the rest of the run: its events from here on are missing (cmlogcheck rules --check shows what is slow)"
    }
}

/// The rule catalog compiled for matching, built once per run and shared by
/// every classifier of the run (each followed log in `tail` has its own).
/// It holds what is the same for all of them: every enabled rule's compiled
/// pattern (parse's own, not compiled again), the first bytes an anchored rule
/// can start with, and per log the rules to try and the gate in front of the
/// floating ones. A `Pattern` is safe to share between threads; match data is
/// not, so each `Classifier` makes its own `Matcher`s from these patterns.
package final class CompiledCatalog: Sendable {
    /// One enabled rule with its pattern.
    final class Entry: Sendable {
        let rule: Rule
        let pattern: Pattern
        /// Named groups, as (name, number), read out on a match.
        let groups: [(String, Int)]
        /// The rule's attributes, made once: each event starts from this copy.
        let attributes: EventFields

        init(rule: Rule, pattern: Pattern) {
            self.rule = rule
            self.pattern = pattern
            groups = pattern.groupNumbers.sorted { $0.value < $1.value }.map { ($0.key, $0.value) }
            attributes = EventFields(rule.attributes)
        }
    }

    /// The rules one log kind is tried against, arranged for speed.
    final class Plan: Sendable {
        /// Anchored rules, by the first byte of the message they can start with.
        let anchoredByFirstByte: [[Int]]
        /// All anchored rules, for an empty message.
        let anchored: [Int]
        /// Rules that can match anywhere.
        let floating: [Int]
        /// The alternation of the floating rules, as an index into `gates`; nil: try each.
        let gate: Int?
        /// With many floating rules, those with a required literal are not in `floating`
        /// but behind the catalog's `prefilter`: only the rules whose literal a message
        /// contains are tried, those marked here (by catalog index) as this log's.
        let prefiltered: [Bool]?

        init(anchoredByFirstByte: [[Int]], anchored: [Int], floating: [Int], gate: Int?, prefiltered: [Bool]? = nil) {
            self.anchoredByFirstByte = anchoredByFirstByte
            self.anchored = anchored
            self.floating = floating
            self.gate = gate
            self.prefiltered = prefiltered
        }
    }

    package let catalog: RuleCatalog
    let entries: [Entry]
    /// By `LogKind.ordinal`.
    let plans: [Plan]
    /// Distinct gate patterns: logs with the same floating rules share one.
    let gates: [Pattern]
    /// The literal prefilter of every plan that has `prefiltered` rules.
    let prefilter: RulePrefilter?
    private let tally: LimitTally

    /// Compiles what `catalog.parse` has not already: patterns of rules built in code,
    /// the gates, and the first-byte tables. Throws for a pattern that does not compile.
    /// A log with `prefilterFrom` floating rules or more puts them behind a `RulePrefilter`.
    package init(_ catalog: RuleCatalog, prefilterFrom: Int = RulePrefilter.minimumRules) throws(RuleError) {
        self.catalog = catalog
        var entries: [Entry] = []
        for rule in catalog.rules where rule.enabled {
            if rule.pattern.isEmpty { throw RuleError(rule: rule.id, file: catalog.origins[rule.id], message: Rule.emptyPatternMessage) }
            let pattern: Pattern
            if let checked = catalog.checkedPattern(for: rule) {
                pattern = checked
            } else {
                do { pattern = try Pattern(rule.pattern) } catch {
                    throw RuleError(rule: rule.id, file: catalog.origins[rule.id], message: error.description)
                }
            }
            entries.append(Entry(rule: rule, pattern: pattern))
        }
        self.entries = entries
        // Asking PCRE2 about all 256 first bytes is the costly part of a plan: once per rule, not per log.
        let firstBytes = entries.map { $0.pattern.isAnchored ? $0.pattern.possibleFirstBytes() : [] }
        var gates: [Pattern] = []
        var gateIndex: [String: Int] = [:]
        var literals: [Int: [UInt8]?] = [:]
        var filteredRules = Set<Int>()
        plans = LogKind.allCases.map { kind in
            let rules = entries.indices.filter { entries[$0].rule.applies(to: kind) }
            let anchored = rules.filter { entries[$0].pattern.isAnchored }
            var floating = rules.filter { !entries[$0].pattern.isAnchored }
            var prefiltered: [Bool]?
            if floating.count >= prefilterFrom {
                func literal(_ index: Int) -> [UInt8]? {
                    if let known = literals[index] { return known }
                    let found = RulePrefilter.requiredLiteral(entries[index].rule.pattern, isUTF: entries[index].pattern.isUTF)
                    literals[index] = found
                    return found
                }
                let filtered = floating.filter { literal($0) != nil }
                if !filtered.isEmpty {
                    var marks = [Bool](repeating: false, count: entries.count)
                    for index in filtered { marks[index] = true }
                    prefiltered = marks
                    filteredRules.formUnion(filtered)
                    floating = floating.filter { literal($0) == nil }
                }
            }
            var gate: Int?
            if let source = CompiledCatalog.gateSource(for: floating.map { entries[$0].rule.pattern }) {
                if let known = gateIndex[source] {
                    gate = known
                } else if let pattern = try? Pattern(source) {
                    gate = gates.count
                    gateIndex[source] = gates.count
                    gates.append(pattern)
                }
            }
            return Plan(anchoredByFirstByte: (0..<256).map { byte in anchored.filter { firstBytes[$0][byte] } },
                        anchored: anchored, floating: floating, gate: gate, prefiltered: prefiltered)
        }
        self.gates = gates
        prefilter = filteredRules.isEmpty ? nil : RulePrefilter(filteredRules.sorted().map { ($0, literals[$0]!!) })
        tally = LimitTally(ids: entries.map(\.rule.id))
    }

    /// The bundled catalog, compiled.
    package static func bundled() throws(RuleError) -> CompiledCatalog { try CompiledCatalog(RuleCatalog.bundled()) }

    /// The alternation of `patterns`, or nil when combining could change what one of them means.
    static func gateSource(for patterns: [String]) -> String? {
        guard patterns.count > 1 else { return nil }
        // Numbered and named back-references would point elsewhere once combined.
        let references = ["\\1", "\\2", "\\3", "\\4", "\\5", "\\6", "\\7", "\\8", "\\9", "\\g", "\\k", "(?P=", "(?|", "(?R", "(?1", "(?&", "(*"]
        if patterns.contains(where: { pattern in references.contains { pattern.utf8.contains(subsequence: $0.utf8) } }) { return nil }
        return "(?J)" + patterns.map { "(?:\($0))" }.joined(separator: "|")
    }

    /// The pattern every classifier shares for the enabled rule `id`.
    package func pattern(forRule id: String) -> Pattern? { entries.first { $0.rule.id == id }?.pattern }

    /// A new classifier over these patterns, with match data of its own.
    package func classifier() -> Classifier { Classifier(self) }

    /// Limit hits of every classifier made from this catalog so far, per rule, in catalog
    /// order. Read it when they are done: `tail` reports it as the session ends.
    package var limitHits: [RuleLimitHit] {
        tally.counts.enumerated().compactMap { index, records in
            records > 0 ? RuleLimitHit(rule: entries[index].rule.id, records: records, disabled: records >= CompiledCatalog.ruleLimitBudget) : nil
        }
    }

    /// Limit hits a rule may have in one run, over all its classifiers, before it is
    /// switched off. Each hit is bounded (the match limit, or a timed search's
    /// deadline), so a rule costs at most this many bounded searches more than a sane one.
    package static let ruleLimitBudget = 20

    /// `handler` is called once per rule that is switched off, with the rule's id,
    /// on the thread that switched it off.
    package func onRuleDisabled(_ handler: @escaping @Sendable (String) -> Void) { tally.setHandler(handler) }

    /// Called by a classifier when rule `index` hit a limit: rare, as each hit costs
    /// millions of backtracking steps, so a lock here costs nothing that matters.
    /// Returns whether the rule has spent its budget and is now off.
    func noteLimitHit(rule index: Int) -> Bool { tally.add(index) }

    /// Counts shared by classifiers that may run on different threads.
    private final class LimitTally: Sendable {
        private struct State {
            var values: [Int]
            var handler: (@Sendable (String) -> Void)?
        }

        private let state: Mutex<State>
        private let ids: [String]

        init(ids: [String]) {
            self.ids = ids
            state = Mutex(State(values: [Int](repeating: 0, count: ids.count)))
        }

        func setHandler(_ handler: @escaping @Sendable (String) -> Void) {
            state.withLock { $0.handler = handler }
        }

        /// Counts a hit; whether the rule is over its budget.
        func add(_ index: Int) -> Bool {
            let (count, warn) = state.withLock { state -> (Int, (@Sendable (String) -> Void)?) in
                state.values[index] += 1
                let count = state.values[index]
                return (count, count == CompiledCatalog.ruleLimitBudget ? state.handler : nil)
            }
            warn?(ids[index])
            return count >= CompiledCatalog.ruleLimitBudget
        }

        var counts: [Int] { state.withLock { $0.values } }
    }
}
