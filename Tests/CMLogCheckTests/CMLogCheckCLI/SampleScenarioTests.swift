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
    static let root = repositoryRoot.appendingPathComponent("SampleLogs")

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
        /// `local` for bias-less logs, whose times are checked as local times without an offset.
        var clock: String?
        var lastNextRunLocal: String?
        var lastRecordLocal: String?
        var actions: [ExpectedAction]?
        var devices: [ExpectedDevice]?
        var servers: [ExpectedServer]?
    }

    struct ExpectedServer: Decodable {
        var server: String
        var verdict: String
        var findingIds: [String]
        var cycles: Int
        var uploadedRecords: Int
        var clock: String?
        var lastNextRunUtc: String?
        var lastRecordUtc: String?
        var lastNextRunLocal: String?
        var lastRecordLocal: String?
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

    /// The answer of a report; a report of several servers adds theirs up (worst verdict, union of findings, sums).
    static func summary(_ report: [String: Any]) -> (verdict: String, ids: [String], cycles: Int, records: Int, actions: [String]) {
        let servers = report["servers"] as? [[String: Any]] ?? [report]
        var ids = Set<String>(), cycleCount = 0, records = 0, actions: [String] = []
        for server in servers {
            ids.formUnion((server["findings"] as? [[String: Any]] ?? []).compactMap { $0["id"] as? String })
            let cycles = (server["sync"] as? [String: Any])?["cycles"] as? [[String: Any]] ?? []
            cycleCount += cycles.count
            records += cycles.reduce(0) { $0 + ($1["records"] as? Int ?? 0) }
            actions += (server["actions"] as? [[String: Any]] ?? []).map { "\($0["taskGuid"] as? String ?? "-"):\($0["outcome"] as? String ?? "?")" }
        }
        return (report["verdict"] as? String ?? "?", ids.sorted(), cycleCount, records, actions)
    }

    /// The clock and the last times one server's report must show.
    static func checkTimes(_ report: [String: Any], clock: String?, nextRunUtc: String?, recordUtc: String?,
                           nextRunLocal: String?, recordLocal: String?) {
        let sync = report["sync"] as? [String: Any] ?? [:]
        let window = report["window"] as? [String: Any] ?? [:]
        #expect(report["clock"] as? String == (clock ?? "utc"))
        if let nextRunUtc { #expect((sync["nextRun"] as? String)?.prefix(19) == nextRunUtc.prefix(19)) }
        if let recordUtc { #expect((window["end"] as? String)?.prefix(19) == recordUtc.prefix(19)) }
        // Local times are written without an offset: no Z, never a zone nobody named.
        if let nextRunLocal {
            #expect((sync["nextRun"] as? String)?.prefix(19) == nextRunLocal.prefix(19))
            #expect((sync["nextRun"] as? String)?.hasSuffix("Z") == false)
        }
        if let recordLocal { #expect((window["end"] as? String)?.prefix(19) == recordLocal.prefix(19)) }
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
        if let servers = expected.servers {
            let reported = report["servers"] as? [[String: Any]] ?? []
            #expect(reported.map { $0["server"] as? String ?? "" } == servers.map(\.server))
            for (want, have) in zip(servers, reported) {
                let got = Self.summary(have)
                #expect(got.verdict == want.verdict && got.ids == want.findingIds.sorted(), "\(want.server)")
                #expect(got.cycles == want.cycles && got.records == want.uploadedRecords, "\(want.server)")
                Self.checkTimes(have, clock: want.clock, nextRunUtc: want.lastNextRunUtc, recordUtc: want.lastRecordUtc,
                                nextRunLocal: want.lastNextRunLocal, recordLocal: want.lastRecordLocal)
            }
        } else {
            Self.checkTimes(report, clock: expected.clock, nextRunUtc: expected.lastNextRunUtc, recordUtc: expected.lastRecordUtc,
                            nextRunLocal: expected.lastNextRunLocal, recordLocal: expected.lastRecordLocal)
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

    /// Piped input is one stream: it cannot say which server a line came from, so a sample of
    /// several servers is piped one server at a time, each compared with that server's folder.
    static var pipedUnits: [String] {
        scenarios.flatMap { scenario -> [String] in
            guard let servers = try? expected(scenario).servers else { return [scenario] }
            return servers.map { scenario + "/" + $0.server }
        }
    }

    @Test("piping a sample's logs through stdin gives the same answer as naming them", arguments: pipedUnits)
    func stdinMatchesFiles(_ unit: String) throws {
        let scenario = try String(unit.split(separator: "/").at(0))
        let expected = try Self.expected(scenario)
        let folder = Self.root.appendingPathComponent(unit).path
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
