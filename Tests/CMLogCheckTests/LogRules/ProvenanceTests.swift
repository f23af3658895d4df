import Foundation
import Testing
@testable import CMLogCheckCLI
@testable import LogMatching
@testable import LogInput
@testable import LogRules
@testable import LogAnalysis
@testable import LogFindings

@Suite("Rules: provenance")
struct ProvenanceTests {
    /// The rules parsed from one rule's JSON: an array, read with `.first`, so a parser that
    /// drops the rule fails the expectation instead of crashing the test process.
    static func parse(_ rule: String) throws(RuleError) -> [Rule] {
        let data = Data((#"{"schemaVersion": 1, "rules": ["# + rule + "]}").utf8)
        let catalog = try RuleCatalog.parse(data, origin: "test", file: "test.json")
        return catalog.rules
    }

    static let base = #""id": "r", "event": "worker.exception", "pattern": "^x""#

    @Test("old files: documented true is documented, false or absent is assumed; provenance is read as given")
    func reading() throws {
        #expect(try Self.parse("{\(Self.base), \"documented\": true}").first?.provenance == .documented)
        #expect(try Self.parse("{\(Self.base), \"documented\": false}").first?.provenance == .assumed)
        #expect(try Self.parse("{\(Self.base)}").first?.provenance == .assumed)
        for provenance in Provenance.allCases {
            #expect(try Self.parse("{\(Self.base), \"provenance\": \"\(provenance.rawValue)\", \"source\": \"a log\"}").first?.provenance == provenance)
        }
        #expect(try Self.parse("{\(Self.base), \"provenance\": \"seen\", \"documented\": false, \"source\": \"a log\"}").first?.provenance == .seen)
    }

    @Test("refused: an unknown provenance, one that contradicts documented, seen or reported without a source", arguments: [
        (#""provenance": "rumoured""#, "unknown provenance 'rumoured' (use documented, seen, reported, assumed)"),
        (#""provenance": "seen", "documented": true, "source": "x""#, "contradicts"),
        (#""provenance": "documented", "documented": false"#, "contradicts"),
        (#""provenance": "seen""#, "needs a \"source\""),
        (#""provenance": "reported", "source": "  ""#, "needs a \"source\""),
    ])
    func refused(_ members: String, _ message: String) {
        do {
            _ = try Self.parse("{\(Self.base), \(members)}")
            Issue.record("accepted \(members)")
        } catch {
            #expect(error.rule == "r")
            #expect(error.description.contains(message), "\(error)")
        }
    }

    @Test("every bundled rule says its provenance honestly")
    func bundled() throws {
        let catalog = try RuleCatalog.bundled()
        let byId = Dictionary(uniqueKeysWithValues: catalog.rules.map { ($0.id, $0) })
        #expect(byId["upload.batching"]?.provenance == .documented)
        #expect(byId["upload.next-run"]?.provenance == .documented)
        #expect(byId["upload.scenario.full"]?.provenance == .assumed)
        for rule in catalog.rules where rule.id.hasPrefix("network.") { #expect(rule.provenance == .assumed, "\(rule.id)") }
        // Shapes documented for other workers and applied to the sync worker's log say so.
        for rule in catalog.rules where rule.provenance == .documented && rule.logs.contains(.syncUpload)
            && !["upload.batching", "upload.next-run"].contains(rule.id) {
            let source = rule.source ?? ""
            #expect(source.contains("CMGatewaySyncUploadWorker.log by assumption"), "\(rule.id): \(source)")
            #expect(source.contains("only"), "\(rule.id): \(source)")
        }
        for rule in catalog.rules where rule.provenance == .seen || rule.provenance == .reported {
            #expect(rule.source?.contains(".log") == true, "\(rule.id) must name the log it was seen in")
        }
    }

    @Test("rules lists the provenance: a column in the table, a field in JSON (and no documented field)")
    func listing() throws {
        let table = runCLI(["rules"])
        #expect(table.status == 0)
        let lines = table.standardOutput.split(separator: "\n").map(String.init)
        #expect(lines.first?.contains("provenance") == true)
        let full = try #require(lines.first { $0.hasPrefix("upload.scenario.full ") })
        #expect(full.contains(" assumed "))
        let starting = try #require(lines.first { $0.hasPrefix("worker.starting ") })
        #expect(starting.contains("worker.run-started") && starting.contains(" seen "))
        #expect(table.standardOutput.contains("documented, ") && table.standardOutput.contains(" seen, ") && table.standardOutput.contains(" assumed"))

        let json = runCLI(["rules", "--json"])
        let object = try #require(try JSONSerialization.jsonObject(with: Data(json.standardOutput.utf8)) as? [String: Any])
        let rules = try #require(object["rules"] as? [[String: Any]])
        #expect(rules.allSatisfy { ($0["provenance"] as? String).flatMap(Provenance.init(rawValue:)) != nil })
        #expect(rules.allSatisfy { $0["documented"] == nil })
        // The listing is itself a rule file, read back the same.
        let directory = TemporaryDirectory()
        let path = try directory.write("catalog.json", json.standardOutput)
        let reread = try RuleCatalog.parse(Data(contentsOf: URL(fileURLWithPath: path)), origin: path, file: path)
        #expect(reread.rules.map(\.provenance) == (try RuleCatalog.bundled()).rules.map(\.provenance))
    }
}

@Suite("Rules: worker lifecycle")
struct WorkerLifecycleTests {
    /// The real GenericDownloadWorker.log lines of the reference: seven fractional digits, no bias.
    static let real = [
        ("Successfully subscribed listener to registry key.", "13:59:35.6721099", "153"),
        ("Waiting for CommonWorker to be ready...", "13:59:35.6721099", "153"),
        ("GenericWorkerConfig initializing...", "13:59:35.6721099", "153"),
        ("Starting worker GenericDownloadWorker_ANY...", "13:59:35.6771034", "137"),
        ("[GenericDownloadWorker_ANY] Worker is \"run-once\" and no timers will be created.", "13:59:35.6771034", "137"),
        ("Worker GenericDownloadWorker_ANY was triggered by timer.", "13:59:35.6771034", "137"),
        ("Triggered GenericDownloadWorker_ANY::ExecuteAsync()", "13:59:35.6771034", "137"),
    ].map { cmtrace($0.0, time: $0.1, date: "11-29-2022", component: "SMS_SERVICE_CONNECTOR_GenericDownloadWorker", thread: $0.2) + "\n" }.joined()

    static func events(_ text: String, name: String, kind: LogKind) throws -> [Event] {
        let stream = RecordStream(inputs: [InputSource(location: .standardInput, name: name, kind: kind)])
        stream.standardInput = { MemorySource(text) }
        let classifier = try CompiledCatalog.bundled().classifier()
        var events: [Event] = []
        try stream.run { record in classifier.classify(record, kind: kind, inputName: name) { events.append($0) } }
        classifier.finish { events.append($0) }
        return events
    }

    @Test("the three lines of a worker run are worker.run-started events naming the worker", arguments: [LogKind.unknown, .syncUpload, .notification, .genericUpload])
    func lifecycle(_ kind: LogKind) throws {
        let events = try Self.events(Self.real, name: "GenericDownloadWorker.log", kind: kind)
        #expect(events.map(\.type) == [.workerRunStarted, .workerRunStarted, .workerRunStarted])
        #expect(events.map { $0["worker"] } == ["GenericDownloadWorker_ANY", "GenericDownloadWorker_ANY", "GenericDownloadWorker_ANY"])
        #expect(events.map { $0["step"] } == ["start", "timer", "execute"])
        #expect(events.map(\.rule) == ["worker.starting", "worker.triggered-by-timer", "worker.execute"])
    }

    @Test("not the management point's or the client's logs")
    func otherLogs() throws {
        #expect(try Self.events(Self.real, name: "BgbServer.log", kind: .bgbServer).isEmpty)
        #expect(try Self.events(Self.real, name: "CcmNotificationAgent.log", kind: .notificationAgent).isEmpty)
    }

    @Test("lifecycle lines in the upload log change no verdict, cycle or finding")
    func verdictUnchanged() throws {
        let plain = cycle(at: 10, 0) + cycle(at: 10, 15) + cycle(at: 10, 30)
        let starts = ["Starting worker CMGatewaySyncUploadWorker...", "Worker CMGatewaySyncUploadWorker was triggered by timer.",
                      "Triggered CMGatewaySyncUploadWorker::ExecuteAsync()"]
        func withStarts(_ hour: Int, _ minute: Int) -> String {
            starts.map { syncLine($0, "03-04-2020", String(format: "%02d:%02d:00.000", hour, minute)) }.joined() + cycle(at: hour, minute)
        }
        let annotated = withStarts(10, 0) + withStarts(10, 15) + withStarts(10, 30)
        let before = try review(plain), after = try review(annotated)
        #expect(after.verdict == before.verdict)
        #expect(after.verdict == .healthy)
        #expect(after.sync.cycles.count == before.sync.cycles.count)
        #expect(after.findings.map(\.id) == before.findings.map(\.id))
        #expect(after.inputs.first?.events == (before.inputs.first?.events ?? 0) + 9)
    }

    @Test("tail tells a worker run start in words")
    func tailWords() {
        let text = syncLine("Worker CMGatewaySyncUploadWorker was triggered by timer.", "03-04-2020", "10:00:00.000")
        let result = runCLI(["tail", "-n", "5", "--log", "sync", "--color", "never"], input: Array(text.utf8))
        #expect(result.standardOutput.contains("worker CMGatewaySyncUploadWorker run started (timer)"), "\(result.standardOutput)")
    }
}
