import Foundation
import Testing
@testable import CMLogCheckCLI
@testable import LogInput
@testable import LogRules
@testable import LogAnalysis
@testable import LogFindings
@testable import LogFollow

/// `review` and `tail` share one upload-cycle tracker and one failure decision,
/// so on the same records they must give the same cycle statuses and name the
/// same findings. Checked on every sample.
@Suite struct ReviewTailAgreementTests {
    /// Findings that only a review over finished inputs can decide: they need
    /// every log to its end (an action never forwarded or pushed), the device
    /// inventory, or the absence of any cycle.
    static let reviewOnly: Set<FindingID> = [
        .actionNotForwarded, .actionNotDelivered, .noSyncActivity,
        .deviceSharedDPCertificate, .deviceEvidenceConflict, .deviceNotInCloud, .deviceNoDistributionPoint,
    ]

    struct Answer: Equatable {
        var statuses: [String]
        var findings: [String]
    }

    /// The review's answer; for several servers, their cycles one server after the other and the union of their findings.
    static func reviewAnswer(_ folder: String) throws -> (Answer, evaluatedAt: [Instant]) {
        let (_, report, errors) = try SampleScenarioTests.review([folder])
        let servers = report["servers"] as? [[String: Any]] ?? [report]
        var statuses: [String] = [], ids = Set<FindingID>(), evaluated: [Instant] = []
        for server in servers {
            let sync = try #require(server["sync"] as? [String: Any], "\(errors)")
            statuses += (sync["cycles"] as? [[String: Any]] ?? []).map { $0["status"] as? String ?? "?" }
            ids.formUnion((server["findings"] as? [[String: Any]] ?? []).compactMap { ($0["id"] as? String).flatMap(FindingID.init(rawValue:)) })
            if let at = (server["evaluatedAt"] as? String).flatMap(Instant.init(iso8601:)) { evaluated.append(at) }
        }
        return (Answer(statuses: statuses, findings: ids.subtracting(reviewOnly).map(\.rawValue).sorted()), evaluated)
    }

    /// Tail reads the folder's history (every record, `--from-start`), its clock standing at the
    /// review's evaluation time, then the inputs end.
    static func tailAnswer(_ folder: String, at now: Instant) throws -> Answer {
        let targets = try TailTargets.resolve([folder], withPrelude: true)
        // tail judges the overdue clock in UTC. A bias-less sample's times, read in the zone UTC,
        // are the same numbers as the review's local clock, so both judge the same instants.
        var options = ReadOptions()
        options.zone = ZoneRule("UTC")
        let follower = LogFollower(targets: targets, options: options)
        let sink = TailCollector()
        var settings = TailSettings()
        settings.zone = options.zone
        settings.historyRecords = nil
        settings.timeZone = TimeZone(identifier: "UTC")!
        let session = try TailSession(follower: follower, catalog: CompiledCatalog.bundled(), settings: settings,
                                      clock: ManualClock(now), sink: sink)
        try session.start()
        session.checkClock()
        session.finish(reason: .endOfInput)
        // Cycles by server (the folder of their log), in the folders' order, as the review lists them.
        var byFolder: [String: [String]] = [:]
        for item in sink.items {
            guard item.event == "upload.next-run" || item.event == "cycle.ended", case .string(let status)? = item.field("cycleStatus") else { continue }
            byFolder[((item.inputName ?? "") as NSString).deletingLastPathComponent, default: []].append(status)
        }
        let statuses = byFolder.keys.sorted().flatMap { byFolder[$0]! }
        let ids = Set(sink.items.compactMap(\.finding)).subtracting(reviewOnly)
        return Answer(statuses: statuses, findings: ids.map(\.rawValue).sorted())
    }

    /// A sample of several servers is compared one server at a time: tail has one wall clock, and
    /// the servers' logs are on clocks of their own.
    @Test("review and tail agree on cycle statuses and finding ids", arguments: SampleScenarioTests.pipedUnits)
    func agree(_ unit: String) throws {
        let folder = SampleScenarioTests.root.appendingPathComponent(unit).path
        let (review, evaluatedAt) = try Self.reviewAnswer(folder)
        // One clock for tail; servers of one sample end together, so the latest evaluation time stands for all.
        let tail = try Self.tailAnswer(folder, at: try #require(evaluatedAt.max()))
        #expect(tail.statuses == review.statuses)
        #expect(tail.findings == review.findings)
    }

    @Test("a cycle 25 minutes after its announced run is judged alike (on time within the grace) by both")
    func threeRecordLog() throws {
        let dir = TemporaryDirectory()
        let text = simple("Batching 3 records", time: "10:00:00.000+000") + "\r\n"
            + simple("Next run time will be at approximately: 02/28/2020 10:15:00", time: "10:00:05.000+000") + "\r\n"
            + simple("Batching 2 records", time: "10:25:00.000+000") + "\r\n"
        try dir.write("CMGatewaySyncUploadWorker.log", text)
        let (review, evaluatedAt) = try Self.reviewAnswer(dir.path)
        let tail = try Self.tailAnswer(dir.path, at: try #require(evaluatedAt.first))
        #expect(review.statuses == ["ok", "ok"])
        #expect(tail == review)
    }

    @Test("a network failure after 'Failed to upload' is service-unreachable in both")
    func networkFailureAfterFailedUpload() throws {
        let dir = TemporaryDirectory()
        let text = simple("Batching 3 records", time: "10:00:00.000+000") + "\r\n"
            + simple("[WebException]: Failed to upload data to 'https://us.gateway.configmgr.manage.microsoft.com/api/gateway/DevicePost'", time: "10:00:01.000+000") + "\r\n"
            + "Exception details:\r\n[Warning][CMGatewaySyncUploadWorker][0][System.Net.WebException][0x80131509]\r\n"
            + simple("The remote name could not be resolved: 'us.gateway.configmgr.manage.microsoft.com'", time: "10:00:01.000+000") + "\r\n"
            + simple("Next run time will be at approximately: 02/28/2020 10:15:00", time: "10:00:05.000+000") + "\r\n"
        try dir.write("CMGatewaySyncUploadWorker.log", text)
        let (review, evaluatedAt) = try Self.reviewAnswer(dir.path)
        let tail = try Self.tailAnswer(dir.path, at: try #require(evaluatedAt.first))
        #expect(review.findings == ["service-unreachable"])
        #expect(tail == review)
    }
}
