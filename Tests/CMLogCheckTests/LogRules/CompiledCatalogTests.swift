import Foundation
import Testing
@testable import CMLogCheckCLI
@testable import LogMatching
@testable import LogInput
@testable import LogRules
@testable import LogAnalysis
@testable import LogFindings
@testable import LogReport

/// A rule file in a temporary folder.
func ruleFile(_ rules: String, in directory: TemporaryDirectory, name: String = "rules.json") throws -> String {
    try directory.write(name, #"{"schemaVersion": 1, "rules": ["# + rules + "]}")
}

/// A rule whose pattern backtracks without end on a run of `a`s that does not end the message.
let slowRule = #"{"id": "mine.slow", "event": "worker.exception", "pattern": "^(a+)+$", "source": "test"}"#
/// The same, floating (not anchored), so that it sits behind the gate with the other floating rules.
let slowFloatingRule = #"{"id": "mine.slow", "event": "worker.exception", "pattern": "(a+)+$", "source": "test"}"#
/// Forty `a`s and a `!`: 2^40 ways to split the run, far past the match limit.
let catastrophicLine = String(repeating: "a", count: 40) + "!"

@Suite("Rules: compiled once, shared")
struct CompiledCatalogTests {
    @Test("the compiled catalog keeps the patterns parsing compiled; classifiers share them and own their match data")
    func sharedPatterns() throws {
        let catalog = try RuleCatalog.bundled()
        let compiled = try CompiledCatalog(catalog)
        for rule in catalog.rules where rule.enabled {
            let parsed = try #require(catalog.checkedPattern(for: rule), "\(rule.id) not compiled by parse")
            #expect(compiled.pattern(forRule: rule.id) === parsed, "\(rule.id) compiled twice")
        }
        let first = compiled.classifier(), second = compiled.classifier()
        #expect(first.matchers.count == compiled.entries.count && !first.matchers.isEmpty)
        for (a, b) in zip(first.matchers, second.matchers) {
            #expect(a.pattern === b.pattern)
            #expect(a !== b)
        }
        #expect(!compiled.gates.isEmpty)
        for (a, b) in zip(first.gates, second.gates) { #expect(a.pattern === b.pattern && a !== b) }
        // Logs with the same floating rules share one gate instead of compiling their own.
        let gateSources = compiled.gates.map(\.source)
        #expect(Set(gateSources).count == gateSources.count)
        #expect(compiled.plans.compactMap(\.gate).count >= compiled.gates.count)
    }

    @Test("a user rule file's patterns are compiled once too, and a replaced rule's new pattern is the one used")
    func mergedPatterns() throws {
        let directory = TemporaryDirectory()
        var catalog = try RuleCatalog.bundled()
        try catalog.merge(userFile: try ruleFile(#"{"id": "upload.batching", "event": "upload.batch", "pattern": "^Batched (?<count>\\d+)"}"#, in: directory))
        let compiled = try CompiledCatalog(catalog)
        let pattern = try #require(compiled.pattern(forRule: "upload.batching"))
        #expect(pattern.source == #"^Batched (?<count>\d+)"#)
        #expect(pattern === catalog.checkedPattern(for: try #require(catalog.rules.first { $0.id == "upload.batching" })))
    }

    @Test("rules built in code, never parsed, are compiled by the compiled catalog; a bad one names the rule")
    func codeRules() throws {
        let good = RuleCatalog(rules: [Rule(id: "a", event: .uploadBatch, pattern: #"^Batching (?<count>\d+)"#)])
        #expect(try CompiledCatalog(good).pattern(forRule: "a") != nil)
        let bad = RuleCatalog(rules: [Rule(id: "b", event: .uploadBatch, pattern: "(")])
        #expect(throws: RuleError.self) { try CompiledCatalog(bad) }
        do { _ = try CompiledCatalog(bad) } catch { #expect(error.rule == "b") }
    }

    @Test("a rule that hits the match limit is counted per record, by the classifier and by the shared catalog")
    func classifierCounts() throws {
        let directory = TemporaryDirectory()
        var catalog = try RuleCatalog.bundled()
        try catalog.merge(userFile: try ruleFile(slowRule, in: directory))
        let compiled = try CompiledCatalog(catalog)
        let text = [catastrophicLine, "Batching 5 records", catastrophicLine].map { syncLine($0, "03-04-2020", "10:00:00.000") }.joined()
        func classify(_ classifier: Classifier) throws -> Int {
            let stream = RecordStream(inputs: [InputSource(location: .standardInput, name: "CMGatewaySyncUploadWorker.log", kind: .syncUpload)])
            stream.standardInput = { MemorySource(text) }
            var events = 0
            try stream.run { record in classifier.classify(record, kind: .syncUpload, inputName: "x") { _ in events += 1 } }
            return events
        }
        let first = compiled.classifier(), second = compiled.classifier()
        #expect(try classify(first) == 1)
        #expect(first.limitHits == [RuleLimitHit(rule: "mine.slow", records: 2)])
        #expect(second.limitHits.isEmpty)
        _ = try classify(second)
        #expect(compiled.limitHits == [RuleLimitHit(rule: "mine.slow", records: 4)])
    }

    @Test("a gate that gives up at the limit hides no rule: the floating rules are tried one by one")
    func gateFallback() throws {
        let directory = TemporaryDirectory()
        let file = try ruleFile(slowFloatingRule, in: directory)
        let line = syncLine(catastrophicLine + " The operation has timed out", "03-04-2020", "10:00:00.000")
        let result = runCLI(["review", "--format", "json", "--fail-on", "never", "--rules", file, "--log", "sync"], input: Array(line.utf8))
        let report = try #require(try JSONSerialization.jsonObject(with: Data(result.standardOutput.utf8)) as? [String: Any])
        let ids = (report["findings"] as? [[String: Any]] ?? []).compactMap { $0["id"] as? String }
        #expect(ids.contains("service-unreachable"), "the timeout was lost behind the gate: \(ids)")
        let hits = report["ruleLimitHits"] as? [[String: Any]]
        #expect(hits?.count == 1 && hits?.first?["rule"] as? String == "mine.slow" && hits?.first?["records"] as? Int == 1)
    }
}

@Suite("Rules: limit hits reported")
struct LimitHitReportTests {
    static func input(_ lines: [String]) -> [UInt8] {
        Array(lines.map { syncLine($0, "03-04-2020", "10:00:00.000") }.joined().utf8)
    }

    static let healthy = ["Batching 5 records", "Next run time will be at approximately: 03/04/2020 10:15:01"]

    @Test("review: the rule and its count in the text report, the JSON report and one line on standard error")
    func review() throws {
        let directory = TemporaryDirectory()
        let file = try ruleFile(slowRule, in: directory)
        let input = Self.input([catastrophicLine] + Self.healthy + [catastrophicLine, catastrophicLine])
        let text = runCLI(["review", "--rules", file, "--log", "sync"], input: input)
        #expect(text.status == 0)
        #expect(text.standardOutput.hasPrefix("HEALTHY"))
        #expect(text.standardOutput.contains("Rule limits: mine.slow (3 records) gave up at the match limit"))
        let notes = text.standardError.split(separator: "\n").filter { $0.contains("match limit") }
        #expect(notes.count == 1)
        #expect(notes.first?.hasPrefix("cmlogcheck: rule limits: mine.slow (3 records) gave up at the match limit") == true && notes.first?.contains("mine.slow (3 records)") == true)

        let json = runCLI(["review", "--format", "json", "--rules", file, "--log", "sync"], input: input)
        let report = try #require(try JSONSerialization.jsonObject(with: Data(json.standardOutput.utf8)) as? [String: Any])
        let hits = try #require(report["ruleLimitHits"] as? [[String: Any]])
        #expect(hits.count == 1)
        #expect(hits.first?["rule"] as? String == "mine.slow")
        #expect(hits.first?["records"] as? Int == 3)
        #expect(json.standardError.contains("mine.slow (3 records)"))
    }

    @Test("review without limit hits: no line in the text report or on standard error, an empty list in JSON")
    func quiet() throws {
        let text = runCLI(["review", "--log", "sync"], input: Self.input(Self.healthy))
        #expect(!text.standardOutput.contains("Rule limits"))
        #expect(!text.standardError.contains("match limit"))
        let json = runCLI(["review", "--format", "json", "--log", "sync"], input: Self.input(Self.healthy))
        let report = try #require(try JSONSerialization.jsonObject(with: Data(json.standardOutput.utf8)) as? [String: Any])
        #expect((report["ruleLimitHits"] as? [Any])?.isEmpty == true)
        // Added at the end: the keys before it keep their order (docs/report-json.md).
        #expect(json.standardOutput.range(of: "\"deviceCheck\"")!.lowerBound < json.standardOutput.range(of: "\"ruleLimitHits\"")!.lowerBound)
    }

    @Test("tail: the rule and its count on standard error as the session ends")
    func tail() throws {
        let directory = TemporaryDirectory()
        let file = try ruleFile(slowRule, in: directory)
        let result = runCLI(["tail", "--rules", file, "--log", "sync", "--color", "never"], input: Self.input([catastrophicLine] + Self.healthy))
        #expect(result.status == 0)
        #expect(result.standardError.contains("cmlogcheck: rule limits: mine.slow (1 record) gave up at the match limit"))
        let quiet = runCLI(["tail", "--log", "sync"], input: Self.input(Self.healthy))
        #expect(!quiet.standardError.contains("match limit"))
    }

    @Test("records --grep: the records the pattern gave up on are counted on standard error")
    func records() {
        let input = Array(([catastrophicLine, "aaaa", catastrophicLine].joined(separator: "\n") + "\n").utf8)
        let result = runCLI(["records", "--count", "--grep", "^(a+)+$"], input: input)
        #expect(result.status == 0)
        #expect(result.standardOutput == "1\n")
        #expect(result.standardError.contains("cmlogcheck: --grep hit the match limit on 2 records and left them out as not matching"))
        let quiet = runCLI(["records", "--count", "--grep", "^a+$"], input: input)
        #expect(!quiet.standardError.contains("match limit"))
    }
}
