import Foundation
import Testing
@testable import CMLogCheckCLI
@testable import LogMatching
@testable import LogInput
@testable import LogRules
@testable import LogReport

/// The reproductions of issue 14 item 2: rules that run away are bounded, counted and named.
@Suite("Rules: bounded per search and per run")
struct RuleBudgetTests {
    static func input(_ lines: [String]) -> [UInt8] {
        Array(lines.map { syncLine($0, "03-04-2020", "10:00:00.000") }.joined().utf8)
    }

    static func report(_ result: RunResult) throws -> [String: Any] {
        try #require(try JSONSerialization.jsonObject(with: Data(result.standardOutput.utf8)) as? [String: Any])
    }

    @Test("(a+)+$ on 2,000 records: the rule spends its budget, is switched off with a warning naming it, the rest of the review goes on")
    func nestedQuantifierDisabled() throws {
        let directory = TemporaryDirectory()
        let file = try ruleFile(slowFloatingRule, in: directory)
        let lines = Array(repeating: catastrophicLine, count: 2_000) + LimitHitReportTests.healthy
        let result = runCLI(["review", "--format", "json", "--fail-on", "never", "--rules", file, "--log", "sync"], input: Self.input(lines))
        #expect(result.status == 0)
        let hits = try #require(try Self.report(result)["ruleLimitHits"] as? [[String: Any]])
        #expect(hits.count == 1)
        #expect(hits.first?["rule"] as? String == "mine.slow")
        #expect(hits.first?["records"] as? Int == CompiledCatalog.ruleLimitBudget)
        #expect(hits.first?["disabled"] as? Bool == true)
        let warnings = result.standardError.split(separator: "\n").filter { $0.contains("is disabled for the rest of the run") }
        #expect(warnings == ["cmlogcheck: rule mine.slow gave up at a limit on \(CompiledCatalog.ruleLimitBudget) records and is disabled for the rest of the run: its events from here on are missing (cmlogcheck rules --check shows what is slow)"])
        #expect(result.standardError.contains("mine.slow (\(CompiledCatalog.ruleLimitBudget) records, then disabled)"))
        // The batch after the 2,000 records was still read by the bundled rules.
        let sync = try #require(try Self.report(result)["sync"] as? [String: Any])
        #expect((sync["cycles"] as? [Any])?.isEmpty == false)

        let text = runCLI(["review", "--fail-on", "never", "--rules", file, "--log", "sync"], input: Self.input(lines))
        #expect(text.standardOutput.contains("Rule limits: mine.slow (\(CompiledCatalog.ruleLimitBudget) records, then disabled) gave up"))
    }

    @Test("a switched-off floating rule leaves the gate: the other floating rules still match after it")
    func gateRebuilt() throws {
        let directory = TemporaryDirectory()
        var catalog = try RuleCatalog.bundled()
        try catalog.merge(userFile: try ruleFile(slowFloatingRule, in: directory))
        let compiled = try CompiledCatalog(catalog)
        let classifier = compiled.classifier()
        let lines = Array(repeating: catastrophicLine, count: CompiledCatalog.ruleLimitBudget + 5) + [catastrophicLine + " The operation has timed out"]
        let stream = RecordStream(inputs: [InputSource(location: .standardInput, name: "CMGatewaySyncUploadWorker.log", kind: .syncUpload)])
        stream.standardInput = { MemorySource(String(decoding: Self.input(lines), as: UTF8.self)) }
        var rules: [String] = []
        try stream.run { record in classifier.classify(record, kind: .syncUpload, inputName: "x") { rules.append($0.rule) } }
        classifier.finish { rules.append($0.rule) }
        #expect(classifier.limitHits == [RuleLimitHit(rule: "mine.slow", records: CompiledCatalog.ruleLimitBudget, disabled: true)])
        #expect(rules.contains { $0.hasPrefix("network.") }, "the timeout was lost: \(rules)")
        let gateIndex = try #require(compiled.plans[LogKind.syncUpload.ordinal].gate)
        #expect(!classifier.gates[gateIndex].pattern.source.contains("(a+)+$"))
        #expect(classifier.gates[gateIndex].limitHits == 0)
    }

    @Test("^(a+)\\1+b on long lines: each search stops at its deadline, so the review finishes and names the rule")
    func backReferenceDeadline() throws {
        let pattern = try Pattern(#"^(a+)\1+b"#)
        #expect(pattern.shape.hasBackReference)
        let matcher = pattern.matcher()
        let subject = [UInt8](repeating: UInt8(ascii: "a"), count: 1 << 20)
        #expect(subject.withUnsafeBytes { matcher.search($0) } == .limitHit)
        #expect(matcher.timeouts == 1 && matcher.limitHits == 1)

        let directory = TemporaryDirectory()
        let file = try ruleFile(#"{"id": "mine.backref", "event": "worker.exception", "pattern": "^(a+)\\1+b", "source": "test"}"#, in: directory)
        // A b after the run: without one, PCRE2 sees the required b is missing and fails at once.
        let long = String(repeating: "a", count: 200_000) + "xb"
        let result = runCLI(["review", "--format", "json", "--fail-on", "never", "--rules", file, "--log", "sync"],
                            input: Self.input([long, long] + LimitHitReportTests.healthy))
        let hits = try #require(try Self.report(result)["ruleLimitHits"] as? [[String: Any]])
        #expect(hits.first?["rule"] as? String == "mine.backref")
        #expect(hits.first?["records"] as? Int == 2)
        #expect(hits.first?["disabled"] as? Bool == false)
        // A back-reference that matches is still found, deadline or not.
        #expect(Array("aaaab".utf8).withUnsafeBytes { matcher.search($0) } == .matched)
    }

    @Test("^(?:(a|aa)+$|a+!) finds nothing where ^(?:a+!) finds every line: the limit hit is reported, not silent")
    func ambiguousAlternation() throws {
        let line = String(repeating: "a", count: 60) + "!"
        let input = Array((Array(repeating: line, count: 10).joined(separator: "\n") + "\n").utf8)
        let plain = runCLI(["records", "--count", "--grep", "^(?:a+!)"], input: input)
        #expect(plain.standardOutput == "10\n")
        #expect(!plain.standardError.contains("limit"))
        let ambiguous = runCLI(["records", "--count", "--grep", "^(?:(a|aa)+$|a+!)"], input: input)
        #expect(ambiguous.standardOutput == "0\n")
        #expect(ambiguous.standardError.contains("--grep hit the match limit on 10 records"))

        let directory = TemporaryDirectory()
        let file = try ruleFile(#"{"id": "mine.ambiguous", "event": "worker.exception", "pattern": "^(?:(a|aa)+$|a+!)", "source": "test"}"#, in: directory)
        let review = runCLI(["review", "--format", "json", "--fail-on", "never", "--rules", file, "--log", "sync"],
                            input: Self.input(Array(repeating: line, count: 3) + LimitHitReportTests.healthy))
        let hits = try #require(try Self.report(review)["ruleLimitHits"] as? [[String: Any]])
        #expect(hits.first?["rule"] as? String == "mine.ambiguous" && hits.first?["records"] as? Int == 3)
        #expect(review.standardError.contains("mine.ambiguous (3 records) gave up at the match limit"))
    }

    @Test("an empty pattern is refused, naming the rule, in a rule file and in a catalog built in code")
    func emptyPattern() throws {
        let directory = TemporaryDirectory()
        let file = try ruleFile(#"{"id": "mine.empty", "event": "worker.exception", "pattern": "", "source": "test"}"#, in: directory)
        let result = runCLI(["rules", "--rules", file])
        #expect(result.status == 2)
        #expect(result.standardError.contains("mine.empty"))
        #expect(result.standardError.contains("the pattern is empty, which would match every record"))
        #expect(throws: RuleError.self) { try CompiledCatalog(RuleCatalog(rules: [Rule(id: "e", event: .workerException, pattern: "")])) }
    }

    @Test("the shape of a pattern: back-references and nested quantifiers, not their look-alikes")
    func shapes() {
        #expect(PatternShape("(a+)+$").hasNestedQuantifier)
        #expect(PatternShape(#"(\w+\s?)*$"#).hasNestedQuantifier)
        #expect(PatternShape("(?:x+x+){2,}y").hasNestedQuantifier)
        #expect(!PatternShape(#"^Batching\s+(?<count>\d+)\s+records"#).hasNestedQuantifier)
        #expect(!PatternShape("(a+)?b").hasNestedQuantifier)
        #expect(!PatternShape(#"\(a+\)+"#).hasNestedQuantifier)
        #expect(!PatternShape("[(a+)]+").hasNestedQuantifier)
        #expect(PatternShape(#"^(a+)\1"#).hasBackReference)
        #expect(PatternShape(#"(?<x>a)\k<x>"#).hasBackReference)
        #expect(!PatternShape(#"^a\d+"#).hasBackReference)
    }
}

@Suite("Rules: rules --check")
struct RuleCheckTests {
    @Test("the bundled rules stay fast on every test line")
    func bundled() {
        let result = runCLI(["rules", "--check"])
        #expect(result.status == 0, "\(result.standardOutput)")
        #expect(result.standardOutput.hasSuffix("none gave up at a limit or took more than 50 ms on a test line.\n"))
    }

    @Test("nested quantifiers, a back-reference and an ambiguous alternation are flagged by id; a sane user rule is not")
    func flagged() throws {
        let directory = TemporaryDirectory()
        let file = try ruleFile([
            #"{"id": "mine.nested", "event": "worker.exception", "pattern": "(a+)+$", "source": "test"}"#,
            #"{"id": "mine.backref", "event": "worker.exception", "pattern": "^(a+)\\1+b", "source": "test"}"#,
            #"{"id": "mine.ambiguous", "event": "worker.exception", "pattern": "^(?:(a|aa)+$|a+!)", "source": "test"}"#,
            #"{"id": "mine.fine", "event": "worker.exception", "pattern": "^Worker (?<worker>\\w+) stopped", "source": "test"}"#,
        ].joined(separator: ","), in: directory)
        let result = runCLI(["rules", "--check", "--rules", file])
        #expect(result.status == 1)
        let lines = result.outputLines
        #expect(lines.contains { $0.hasPrefix("mine.nested: gave up at") && $0.hasSuffix("(the pattern has a nested quantifier)") })
        #expect(lines.contains { $0.hasPrefix("mine.backref: ") && $0.hasSuffix("(the pattern has a back-reference)") })
        #expect(lines.contains { $0.hasPrefix("mine.ambiguous: ") })
        #expect(!lines.contains { $0.hasPrefix("mine.fine") })
        #expect(lines.last == "3 of \(try CompiledCatalog(try RuleOptions.parse(["--rules", file]).catalog()).entries.count) enabled rules gave way: in a review each such search counts as no match, and after 20 the rule is disabled (docs/rules.md).")
    }
}
