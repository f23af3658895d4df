import Foundation
import Testing
@testable import CMLogCheckCLI
@testable import LogInput
@testable import LogRules
@testable import LogAnalysis
@testable import LogFindings
@testable import LogReport

/// docs/schema/ is the machine contract: every sample's outputs and the bundled data files
/// must validate, and the schemas' closed sets must be the code's.
@Suite("machine contract: docs/schema")
struct SchemaConformanceTests {
    static let folder = repositoryRoot.appendingPathComponent("docs/schema")
    static let samples = SampleScenarioTests.scenarios

    static func schema(_ name: String) throws -> JSONSchemaValidator {
        try JSONSchemaValidator(file: folder.appendingPathComponent("\(name).schema.json"))
    }

    static func sampleArguments(_ scenario: String) throws -> [String] {
        let folder = SampleScenarioTests.root.appendingPathComponent(scenario).path
        return [folder] + SampleScenarioTests.arguments(scenario, try SampleScenarioTests.expected(scenario))
    }

    func expectValid(_ schema: JSONSchemaValidator, _ text: String, _ what: String, sourceLocation: SourceLocation = #_sourceLocation) throws {
        let value = try JSONValue.parse(text)
        let errors = schema.errors(value)
        #expect(errors.isEmpty, "\(what): \(errors.prefix(5).joined(separator: "; "))", sourceLocation: sourceLocation)
    }

    @Test("review --format json of every sample validates against report.schema.json", arguments: samples)
    func report(_ scenario: String) throws {
        let result = runCLI(["review", "--format", "json", "--fail-on", "never"] + (try Self.sampleArguments(scenario)))
        #expect(result.status == 0, "\(result.standardError)")
        try expectValid(try Self.schema("report"), result.standardOutput, scenario)
    }

    @Test("review --format sarif of every sample validates against sarif.schema.json", arguments: samples)
    func sarif(_ scenario: String) throws {
        let result = runCLI(["review", "--format", "sarif", "--fail-on", "never"] + (try Self.sampleArguments(scenario)))
        #expect(result.status == 0, "\(result.standardError)")
        try expectValid(try Self.schema("sarif"), result.standardOutput, scenario)
    }

    @Test("records of every sample: each JSON line validates against records.schema.json", arguments: samples)
    func records(_ scenario: String) throws {
        let result = runCLI(["records", SampleScenarioTests.root.appendingPathComponent(scenario).path])
        #expect(result.status == 0, "\(result.standardError)")
        let schema = try Self.schema("records")
        #expect(!result.outputLines.isEmpty)
        for (index, line) in result.outputLines.enumerated() { try expectValid(schema, line, "\(scenario) line \(index + 1)") }
    }

    @Test("tail --format jsonl of every sample's logs piped in: each line validates against tail.schema.json", arguments: samples)
    func tail(_ scenario: String) throws {
        let files = try FileManager.default.contentsOfDirectory(atPath: SampleScenarioTests.root.appendingPathComponent(scenario).path)
            .filter { $0.hasSuffix(".log") }.sorted()
        // two-servers keeps its logs in subfolders: its servers' upload logs, one after the other.
        let paths = files.isEmpty
            ? ["site-ps1", "site-ps2"].map { SampleScenarioTests.root.appendingPathComponent(scenario).appendingPathComponent($0).appendingPathComponent("CMGatewaySyncUploadWorker.log") }
            : files.map { SampleScenarioTests.root.appendingPathComponent(scenario).appendingPathComponent($0) }
        let input = try paths.flatMap { try [UInt8](Data(contentsOf: $0)) }
        let result = runCLI(["tail", "--format", "jsonl"], input: input)
        #expect(result.status == 0, "\(result.standardError)")
        let schema = try Self.schema("tail")
        #expect(result.outputLines.last?.contains("\"type\":\"summary\"") == true)
        for (index, line) in result.outputLines.enumerated() { try expectValid(schema, line, "\(scenario) line \(index + 1)") }
    }

    @Test("the bundled rule catalog, rules --json, the bundled knowledge and explain --list --format json validate")
    func dataFiles() throws {
        let rules = try Self.schema("rules"), knowledge = try Self.schema("knowledge")
        let sources = repositoryRoot.appendingPathComponent("Sources/LogRules")
        try expectValid(rules, String(decoding: try Data(contentsOf: sources.appendingPathComponent("default-rules.json")), as: UTF8.self), "default-rules.json")
        try expectValid(knowledge, String(decoding: try Data(contentsOf: sources.appendingPathComponent("knowledge.json")), as: UTF8.self), "knowledge.json")
        let listed = runCLI(["rules", "--json"])
        #expect(listed.status == 0)
        try expectValid(rules, listed.standardOutput, "rules --json")
        let explained = runCLI(["explain", "--list", "--format", "json"])
        #expect(explained.status == 0)
        try expectValid(knowledge, explained.standardOutput, "explain --list --format json")
    }

    @Test("the schemas refuse what the tool would refuse or never writes")
    func schemasReject() throws {
        let rules = try Self.schema("rules")
        #expect(!rules.errors(try JSONValue.parse(#"{"rules": [{"id": "x", "event": "upload.batch", "pattern": "a", "provenance": "seen"}]}"#)).isEmpty,
                "seen needs a source")
        #expect(!rules.errors(try JSONValue.parse(#"{"rules": [{"id": "x", "event": "no.such", "pattern": "a"}]}"#)).isEmpty)
        let records = try Self.schema("records")
        let line = runCLI(["records", SampleScenarioTests.root.appendingPathComponent("upload-401").path]).outputLines.first ?? ""
        guard case .object(var members) = try JSONValue.parse(line) else { Issue.record("not an object"); return }
        members["utc"] = .string("2021-01-07T18:02:11.612")
        #expect(!records.errors(.object(members)).isEmpty, "a records utc time ends in Z")
        members["utc"] = nil
        #expect(!records.errors(.object(members)).isEmpty, "every key is present")
    }

    /// The schema's enum at `pointer` (a path of keys from the root).
    static func enumeration(_ schema: JSONSchemaValidator, _ path: [String]) -> Set<String> {
        var node = schema.root
        for key in path { node = node[key] ?? .null }
        return Set((node["enum"]?.items ?? []).compactMap(\.text))
    }

    @Test("the schemas' closed sets are the code's: finding ids, logs, events, outcomes, kinds, states, provenances, tags")
    func closedSets() throws {
        let report = try Self.schema("report"), rules = try Self.schema("rules"), knowledge = try Self.schema("knowledge")
        let sarif = try Self.schema("sarif"), tail = try Self.schema("tail"), records = try Self.schema("records")
        let ids = Set(FindingID.allCases.map(\.rawValue))
        #expect(Self.enumeration(report, ["$defs", "findingId"]) == ids)
        #expect(Self.enumeration(sarif, ["$defs", "findingId"]) == ids)
        #expect(Self.enumeration(tail, ["$defs", "findingId"]) == ids)
        #expect(Self.enumeration(report, ["$defs", "severity"]) == Set([Severity.info, .warning, .error].map(\.name)))
        #expect(Self.enumeration(records, ["properties", "log"]) == Set(LogKind.allCases.map(\.rawValue)))
        #expect(Self.enumeration(rules, ["$defs", "rule", "properties", "logs", "items"]) == Set(LogKind.allCases.filter { $0 != .unknown }.map(\.rawValue)))
        #expect(Self.enumeration(rules, ["$defs", "rule", "properties", "event"]) == Set(EventType.allCases.map(\.rawValue)))
        #expect(Self.enumeration(rules, ["$defs", "rule", "properties", "provenance"]) == Set(Provenance.allCases.map(\.rawValue)))
        #expect(Self.enumeration(report, ["$defs", "action", "properties", "outcome"]) == Set(DeviceAction.Outcome.allCases.map(\.rawValue)))
        #expect(Self.enumeration(report, ["$defs", "action", "properties", "kind"]) == Set(ActionKind.allCases.map(\.rawValue)))
        #expect(Self.enumeration(report, ["$defs", "device", "properties", "state"]) == Set(DeviceStatus.State.allCases.map(\.rawValue)))
        #expect(Self.enumeration(knowledge, ["$defs", "entry", "properties", "kind"]) == Set(KnowledgeKind.allCases.map(\.rawValue)))
        let tags = Set(KnowledgeTag.allCases.map(\.rawValue))
        #expect(Self.enumeration(knowledge, ["$defs", "entry", "properties", "tag"]) == tags.union(tags.map { "[\($0)]" }))
        #expect(Self.enumeration(sarif, ["properties", "runs", "items", "properties", "tool", "properties", "driver", "properties", "rules", "items", "properties", "properties", "properties", "source"])
                == Set(TextSource.allCases.map(\.rawValue)))
    }
}
