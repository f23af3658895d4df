import Foundation
import Testing
@testable import LogInput
@testable import LogRules
@testable import LogAnalysis
@testable import LogFindings

// The device stage hands typed facts to the findings (issue 9, item 3): why a
// device has its state, what each source says and against what, and the kind
// of each evidence line. Checked as facts; `DeviceProse` words them.

@Suite("devices: typed facts") struct DeviceFactsTests {
    static let shared = "9F3C1A00112233445566778899AABBCCDDEEFF00"
    static let full = "2021-03-08T10:00:00Z"

    /// A full sync at 10:00, delta cycles at 10:15 (failed), 10:30 and 10:45.
    static let cycles = [Given.cycle(full, line: 1, kind: .full),
                         Given.cycle("2021-03-08T10:15:00Z", line: 10, status: .failed),
                         Given.cycle("2021-03-08T10:30:00Z", line: 20),
                         Given.cycle("2021-03-08T10:45:00Z", line: 30)]

    /// The devices DeviceAnalyzer judges from `rows` (name, resource ID, DP?, last change), the cloud export and device lines.
    static func judge(_ rows: [(String, String, Bool, String)], cloud: String? = nil, lines: [Event] = []) throws -> [String: DeviceStatus] {
        var csv = "Name,Resource ID,Is Distribution Point,Client Certificate Thumbprint,DP Certificate Thumbprint,Last Change,Client\n"
        for (name, id, isDP, change) in rows {
            csv += "\(name),\(id),\(isDP ? "Yes" : "No"),\(shared),\(isDP ? shared : ""),\(change),Yes\n"
        }
        let inventory = try Inventory.parse(Array(csv.utf8), file: "inventory.csv")
        let export = try cloud.map { try CloudExport.parse(Array($0.utf8), file: "cloud.csv") }
        let analyzer = DeviceAnalyzer(inventory: inventory, cloud: export)
        for line in lines { analyzer.consume(line) }
        var facts = AnalysisFacts()
        facts.sync.cycles = CycleLog(cycles)
        facts.sync.nextRun = Given.time("2021-03-08T11:00:00Z")
        analyzer.finish(into: &facts, settings: AnalysisSettings())
        return Dictionary(uniqueKeysWithValues: facts.devices.map { ($0.name, $0) })
    }

    static func named(_ device: String, removed: Bool, at time: String, line: Int) -> Event {
        Given.event(removed ? .deviceRemoved : .deviceUploaded, line: line, at: time, fields: ["device": device])
    }

    @Test("the reasoning: where the last change falls on the timeline, failed cycles passed over")
    func reasoning() throws {
        let devices = try Self.judge([("DP-DROPPED", "1", true, "2021-03-08T10:05:00Z"),
                                      ("DP-AT-RISK", "2", true, "2021-03-07T09:00:00Z"),
                                      ("DP-PENDING", "3", true, "2021-03-08T10:50:00Z"),
                                      ("DP-NO-TIME", "4", true, ""),
                                      ("PC-1", "5", false, "2021-03-08T10:05:00Z")])
        #expect(devices["PC-1"] == nil)                                   // not affected, and no cloud export to be missing from
        let dropped = try #require(devices["DP-DROPPED"])
        #expect(dropped.state == .dropped && dropped.droppedAt == Given.time("2021-03-08T10:30:00Z"))
        #expect(dropped.reasoning == .changedAfterFullSync(change: Given.time("2021-03-08T10:05:00Z"), fullSync: Given.time(Self.full),
                                                           droppedAt: Given.time("2021-03-08T10:30:00Z"), failed: [Given.time("2021-03-08T10:15:00Z")]))
        #expect(dropped.evidence.map(\.kind) == [.inventory, .fullSync, .firstDeltaAfterChange])
        #expect(dropped.evidence.map(\.evidence.line) == [2, 1, 20])
        #expect(devices["DP-AT-RISK"]?.reasoning == .changedBeforeFullSync(change: Given.time("2021-03-07T09:00:00Z"), fullSync: Given.time(Self.full)))
        #expect(devices["DP-PENDING"]?.state == .atRisk)
        #expect(devices["DP-PENDING"]?.reasoning == .changedAfterLastCycle(change: Given.time("2021-03-08T10:50:00Z"), fullSync: Given.time(Self.full),
                                                                          lastCycle: Given.time("2021-03-08T10:45:00Z"),
                                                                          nextRun: Given.time("2021-03-08T11:00:00Z"), failed: []))
        #expect(devices["DP-PENDING"]?.evidence.map(\.kind) == [.inventory, .lastCycle])
        #expect(devices["DP-NO-TIME"]?.state == .undetermined && devices["DP-NO-TIME"]?.reasoning == .noChangeTime)
        #expect(devices.values.allSatisfy { $0.check == .unchecked && $0.settlement == nil })
    }

    @Test("observations: each source, and what it is weighed against, as a confirmation or a contradiction")
    func observations() throws {
        let cloud = "Device name,Managed by\nDP-DROPPED,ConfigMgr\n"
        let lines = [Self.named("DP-DROPPED", removed: true, at: "2021-03-08T10:30:05Z", line: 21),
                     Self.named("DP-DROPPED", removed: false, at: "2021-03-08T10:45:05Z", line: 31),
                     Self.named("DP-AT-RISK", removed: false, at: "2021-03-08T10:00:05Z", line: 2)]
        let devices = try Self.judge([("DP-DROPPED", "1", true, "2021-03-08T10:05:00Z"), ("DP-AT-RISK", "2", true, "2021-03-07T09:00:00Z"),
                                      ("PC-GONE", "3", false, "2021-03-08T09:00:00Z")],
                                     cloud: cloud, lines: lines)
        let dropped = try #require(devices["DP-DROPPED"])
        let drop = Given.time("2021-03-08T10:30:00Z")
        #expect(dropped.check == .contradicted)
        #expect(dropped.contradictions == [
            .init(.cloudExport(listed: true, managedBy: "ConfigMgr"), .afterDrop(drop)),
            .init(.deviceLine(removed: false, at: Given.time("2021-03-08T10:45:05Z"), rule: "test.rule"), .afterDrop(drop)),
        ])
        #expect(dropped.confirmations == [.init(.deviceLine(removed: true, at: Given.time("2021-03-08T10:30:05Z"), rule: "test.rule"))])
        #expect(dropped.evidence.map(\.kind) == [.inventory, .fullSync, .firstDeltaAfterChange, .cloudExport, .logLine, .logLine])

        let atRisk = try #require(devices["DP-AT-RISK"])
        #expect(atRisk.contradictions == [.init(.cloudExport(listed: false, managedBy: nil), .unchangedSinceFullSync(Given.time(Self.full)))])
        #expect(atRisk.confirmations == [.init(.deviceLine(removed: false, at: Given.time("2021-03-08T10:00:05Z"), rule: "test.rule"), .inFullSync)])

        let gone = try #require(devices["PC-GONE"])
        #expect(gone.state == .missing && gone.reasoning == .notInCloudExport(client: true))
        #expect(gone.evidence.map(\.kind) == [.inventory, .cloudExport])
    }

    @Test("an undetermined device settled by the sources: the settlement names what it rests on")
    func settlement() throws {
        let lines = [Self.named("DP-LEFT", removed: true, at: "2021-03-08T10:30:05Z", line: 21)]
        let devices = try Self.judge([("DP-LEFT", "1", true, ""), ("DP-KEPT", "2", true, "")],
                                     cloud: "Device name\nDP-KEPT\n", lines: lines)
        let left = try #require(devices["DP-LEFT"])
        let by: [DeviceStatus.Observation] = [.init(.cloudExport(listed: false, managedBy: nil)),
                                              .init(.deviceLine(removed: true, at: Given.time("2021-03-08T10:30:05Z"), rule: "test.rule"), .lastWord)]
        #expect(left.state == .dropped && left.droppedAt == Given.time("2021-03-08T10:30:05Z"))
        #expect(left.settlement == .leftOut(by: by, removedAt: Given.time("2021-03-08T10:30:05Z")))
        #expect(left.confirmations == by && left.check == .confirmed)
        let kept = try #require(devices["DP-KEPT"])
        #expect(kept.state == .atRisk && kept.settlement == .stillUploaded(by: [.init(.cloudExport(listed: true, managedBy: nil))]))
    }

    @Test("the words for the facts: the why carries the settlement, the cycle lines their label")
    func prose() throws {
        let devices = try Self.judge([("DP-LEFT", "1", true, ""), ("DP-DROPPED", "2", true, "2021-03-08T10:05:00Z")], cloud: "Device name\n")
        let left = try #require(devices["DP-LEFT"])
        #expect(left.why.hasSuffix("Left out, by the cloud export does not list it: dropped, at a time these logs do not show."))
        #expect(left.stateText == "dropped, at a time these logs do not show")
        let dropped = try #require(devices["DP-DROPPED"])
        #expect(dropped.stateText == "dropped at 2021-03-08 10:30 UTC")
        #expect(dropped.why.contains("The delta cycle at 2021-03-08 10:15 UTC failed and is not counted"))
        #expect(dropped.evidence.map(\.text)[1...2] == ["full sync: Batching 5 records", "first delta cycle after the change: Batching 5 records"])
    }

    @Test("device-file rows are handed on as facts, no words; the findings stage writes them")
    func fileRows() throws {
        let devices = try Self.judge([("DP-DROPPED", "1", true, "2021-03-08T10:20:00Z"), ("PC-GONE", "2", false, "2021-03-08T09:00:00Z")],
                                cloud: "Device name,Managed by\nDP-DROPPED,ConfigMgr\nPC-OTHER,\n")
        let dropped = try #require(devices["DP-DROPPED"])
        let rows = dropped.evidence.compactMap(\.row)
        guard case .inventory(let row)? = rows.first else { Issue.record("no inventory row: \(rows)"); return }
        #expect(row.name == "DP-DROPPED" && row.sharesCertificate && row.line == 2)
        #expect(rows.dropFirst().first == .listed(name: "DP-DROPPED", managedBy: "ConfigMgr"))
        #expect(dropped.evidence.filter { $0.row != nil }.allSatisfy { $0.evidence.text.isEmpty })
        #expect(dropped.evidence.first?.text == "DP-DROPPED: distribution point, client certificate 9F3C…FF00 = distribution point certificate (one certificate); last change 2021-03-08T10:20:00Z; Client: Yes; resource ID 1")
        let gone = try #require(devices["PC-GONE"])
        #expect(gone.evidence.compactMap(\.row).last == .notListed(listed: 2))
        #expect(gone.evidence.last?.text == "not among the 2 devices the export lists")
        #expect(gone.evidence.first?.text.hasPrefix("PC-GONE: not a distribution point, client certificate 9F3C…FF00") == true)
    }
}
