import Foundation
import Testing
@testable import CMLogCheckCLI
@testable import LogMatching
@testable import LogInput
@testable import LogRules
@testable import LogAnalysis
@testable import LogFindings
@testable import LogReport
@testable import LogFollow

/// Every folder under SampleLogs/ with an expected.json is reviewed, and the
/// report must say what the file expects: CI checks the samples on every change.
@Suite struct SampleScenarioTests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("SampleLogs")

    static var scenarios: [String] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: root.path)) ?? []
        return names.filter { FileManager.default.fileExists(atPath: root.appendingPathComponent($0).appendingPathComponent("expected.json").path) }.sorted()
    }

    struct Expected: Decodable {
        var args: [String]?
        var verdict: String
        var findingIds: [String]
        var cycles: Int
        var uploadedRecords: Int
        var lastNextRunUtc: String?
        var lastRecordUtc: String?
        var actions: [ExpectedAction]?
        var devices: [ExpectedDevice]?
    }

    struct ExpectedAction: Decodable { var taskGuid: String?; var outcome: String }
    struct ExpectedDevice: Decodable { var name: String; var state: String }

    static func expected(_ scenario: String) throws -> Expected {
        let data = try Data(contentsOf: root.appendingPathComponent(scenario).appendingPathComponent("expected.json"))
        return try JSONDecoder().decode(Expected.self, from: data)
    }

    /// Extra arguments with file names made relative to the scenario folder.
    static func arguments(_ scenario: String, _ expected: Expected) -> [String] {
        let folder = root.appendingPathComponent(scenario)
        return (expected.args ?? []).map { argument in
            let candidate = folder.appendingPathComponent(argument).path
            return FileManager.default.fileExists(atPath: candidate) ? candidate : argument
        }
    }

    static func review(_ arguments: [String], stdin: [UInt8]? = nil) throws -> (status: Int32, report: [String: Any], errors: String) {
        let out = Output(), err = Output()
        let context = CommandContext(standardOutput: out, standardError: err, standardInput: stdin ?? [], outputIsTerminal: false)
        let status = CMLogCheck.run(arguments: ["review", "--format", "json", "--fail-on", "never"] + arguments, context: context)
        let object = try JSONSerialization.jsonObject(with: Data(out.text.utf8)) as? [String: Any] ?? [:]
        return (status, object, err.text)
    }

    static func summary(_ report: [String: Any]) -> (verdict: String, ids: [String], cycles: Int, records: Int, actions: [String]) {
        let findings = report["findings"] as? [[String: Any]] ?? []
        let sync = report["sync"] as? [String: Any] ?? [:]
        let cycles = sync["cycles"] as? [[String: Any]] ?? []
        let actions = (report["actions"] as? [[String: Any]] ?? []).map { "\($0["taskGuid"] as? String ?? "-"):\($0["outcome"] as? String ?? "?")" }
        return (report["verdict"] as? String ?? "?", Array(Set(findings.compactMap { $0["id"] as? String })).sorted(),
                cycles.count, cycles.reduce(0) { $0 + ($1["records"] as? Int ?? 0) }, actions)
    }

    @Test("the review of each sample says what its expected.json says", arguments: scenarios)
    func sampleMatchesExpectation(_ scenario: String) throws {
        let expected = try Self.expected(scenario)
        let folder = Self.root.appendingPathComponent(scenario).path
        let (status, report, errors) = try Self.review([folder] + Self.arguments(scenario, expected))
        #expect(status == 0, "\(errors)")
        let got = Self.summary(report)
        #expect(got.verdict == expected.verdict)
        #expect(got.ids == expected.findingIds.sorted())
        #expect(got.cycles == expected.cycles)
        #expect(got.records == expected.uploadedRecords)
        let sync = report["sync"] as? [String: Any] ?? [:]
        if let nextRun = expected.lastNextRunUtc {
            #expect((sync["nextRun"] as? String)?.prefix(19) == nextRun.prefix(19))
        }
        if let last = expected.lastRecordUtc {
            let window = report["window"] as? [String: Any] ?? [:]
            #expect((window["end"] as? String)?.prefix(19) == last.prefix(19))
        }
        if let actions = expected.actions {
            let reported = report["actions"] as? [[String: Any]] ?? []
            #expect(reported.map { $0["outcome"] as? String ?? "" } == actions.map(\.outcome))
            for (want, have) in zip(actions, reported) where want.taskGuid != nil {
                #expect((have["taskGuid"] as? String)?.lowercased() == want.taskGuid?.lowercased())
            }
        }
        if let devices = expected.devices {
            let reported = report["devices"] as? [[String: Any]] ?? []
            let pairs = Set(reported.map { "\($0["name"] as? String ?? ""):\($0["state"] as? String ?? "")" })
            #expect(pairs == Set(devices.map { "\($0.name):\($0.state)" }))
        }
    }

    @Test("piping a sample's logs through stdin gives the same answer as naming them", arguments: scenarios)
    func stdinMatchesFiles(_ scenario: String) throws {
        let expected = try Self.expected(scenario)
        let folder = Self.root.appendingPathComponent(scenario).path
        let extra = Self.arguments(scenario, expected)
        let named = try Self.review([folder] + extra)
        var piped: [UInt8] = []
        for input in try InputResolver.resolve([folder]) {
            if case .file(let path) = input.location { piped += try [UInt8](Data(contentsOf: URL(fileURLWithPath: path))) }
        }
        let viaStdin = try Self.review(extra, stdin: piped)
        let a = Self.summary(named.report), b = Self.summary(viaStdin.report)
        #expect(a.verdict == b.verdict)
        #expect(a.ids == b.ids)
        #expect(a.cycles == b.cycles)
        #expect(a.records == b.records)
        #expect(a.actions == b.actions)
    }
}
