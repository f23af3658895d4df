import Foundation
import Testing
@testable import LogMatching
@testable import LogInput
@testable import LogRules

@Suite("Rules: the literal prefilter")
struct RulePrefilterTests {
    static func literal(_ source: String) -> String? {
        RulePrefilter.requiredLiteral(source, isUTF: Pattern.needsUTF(source)).map { String(decoding: $0, as: UTF8.self) }
    }

    @Test("the required literal is the longest text every match must contain, folded to lower case")
    func literals() {
        #expect(Self.literal(#"^Batching\s+(?<count>\d+)\s+records"#) == "batching")
        #expect(Self.literal(#"The operation has timed out"#) == "the operation has timed out")
        #expect(Self.literal(#"Unable to connect to the remote server"#) == "unable to connect to the remote server")
        #expect(Self.literal(#"colou?r code (?<c>\d+) failed"#) == "r code ")  // the first of two longest runs
        #expect(Self.literal(#"Error\.Code=(?<c>\d+)"#) == "error.code=")
        #expect(Self.literal(#"abc+def"#) == "abc")  // c once, then the run breaks
        #expect(Self.literal(#"abcx{0,2}def"#) == "abc")
        #expect(Self.literal(#"(?i)TIMEOUT"#) == "timeout")
    }

    @Test("no literal where one cannot be told safely: alternation, extended mode, escapes' arguments, short runs")
    func noLiteral() {
        #expect(Self.literal("timeout|refused") == nil)
        #expect(Self.literal("(?x) time out") == nil)
        #expect(Self.literal(#"\p{Greek}\x41"#) == nil)
        #expect(Self.literal(#"\pLab\d"#) == nil)
        #expect(Self.literal(#"\Q(a|b)\E"#) == nil)
        #expect(Self.literal("a.b.c") == nil)
        #expect(Self.literal("[abc]+(xyz)") == nil)
        #expect(Self.literal(#"(?i)\w+ task"#) == " task")  // ASCII caseless: k and s are plain letters
    }

    @Test("caseless UTF patterns keep k and s out of literals (they also match K and ſ)")
    func caselessUTF() {
        #expect(RulePrefilter.requiredLiteral("(?i)Gerät task", isUTF: true).map { String(decoding: $0, as: UTF8.self) } == "t ta")
    }

    @Test("the automaton finds every literal present, overlapping or nested, case-folded, and nothing else")
    func automaton() {
        let words = ["upload", "load", "failed", "ail", "xyz"].map { Array($0.utf8) }
        let prefilter = RulePrefilter(words.enumerated().map { ($0.offset * 10, $0.element) })
        let scan = RulePrefilter.Scan(prefilter)
        func found(_ text: String) -> [Int] { Array(text.utf8).withUnsafeBytes { Array(scan.run(prefilter, over: $0)) } }
        #expect(found("UPLOAD FAILED") == [0, 10, 20, 30])
        #expect(found("nothing here") == [])
        #expect(found("loa") == [])
        #expect(found("x xy xyz xyz") == [40])
        #expect(found("") == [])
    }

    @Test("with the prefilter forced on, every sample log gives the same events as the gate")
    func samplesAgree() throws {
        let gated = try CompiledCatalog.bundled()
        let filtered = try CompiledCatalog(try RuleCatalog.bundled(), prefilterFrom: 1)
        #expect(filtered.prefilter != nil && filtered.plans.contains { $0.prefiltered != nil })
        let files = try FileManager.default.subpathsOfDirectory(atPath: repositoryRoot.appendingPathComponent("SampleLogs").path)
            .filter { $0.hasSuffix(".log") || $0.hasSuffix(".lo_") }
        #expect(files.count > 10)
        var events = 0
        for file in files {
            let path = repositoryRoot.appendingPathComponent("SampleLogs").appendingPathComponent(file).path
            func classify(_ compiled: CompiledCatalog) throws -> [[String]] {
                let source = InputSource(location: .file(path), name: path, kind: LogKind(fileName: (path as NSString).lastPathComponent))
                let stream = RecordStream(inputs: [source])
                let classifier = compiled.classifier()
                var perRecord: [[String]] = []
                try stream.run { record in
                    var rules: [String] = []
                    classifier.classify(record, kind: source.kind, inputName: path) { rules.append("\($0.rule)@\($0.line):\($0.fields.sorted { $0.key < $1.key })") }
                    perRecord.append(rules.sorted())
                }
                return perRecord
            }
            let expected = try classify(gated), actual = try classify(filtered)
            #expect(expected == actual, "\(file)")
            events += expected.joined().count
        }
        #expect(events > 100)
    }

    @Test("1,000 generated floating rules: each generated line meets its own rule, lines of none meet none")
    func manyRules() throws {
        let rules = (0..<1_000).map { #"{"id": "gen.\#($0)", "event": "worker.exception", "pattern": "Widget\#($0) reported fault (?<message>\\w+)", "source": "test"}"# }
        let directory = TemporaryDirectory()
        var catalog = try RuleCatalog.bundled()
        try catalog.merge(userFile: try ruleFile(rules.joined(separator: ","), in: directory))
        let compiled = try CompiledCatalog(catalog)
        let plan = compiled.plans[LogKind.syncUpload.ordinal]
        #expect(compiled.prefilter != nil && plan.prefiltered != nil && plan.floating.count < 20)
        let lines = [7, 999, 10, 100].map { "step: Widget\($0) reported fault overheat" } + ["Batching 5 records", "Widget12 reported nothing"]
        let text = lines.map { syncLine($0, "03-04-2020", "10:00:00.000") }.joined()
        let stream = RecordStream(inputs: [InputSource(location: .standardInput, name: "CMGatewaySyncUploadWorker.log", kind: .syncUpload)])
        stream.standardInput = { MemorySource(text) }
        let classifier = compiled.classifier()
        var found: [String] = []
        try stream.run { record in classifier.classify(record, kind: .syncUpload, inputName: "x") { found.append($0.rule) } }
        #expect(found == ["gen.7", "gen.999", "gen.10", "gen.100", "upload.batching"])
    }
}
