import Foundation
import Testing
@testable import LogInput
@testable import LogRules
@testable import LogAnalysis
@testable import LogFindings

/// A record in the shape of a real service connection point log: CMTrace,
/// seven fractional digits, no bias, the worker in the component.
private func real(_ message: String, _ date: String, _ time: String,
                  worker: String = "CMGatewaySyncUploadWorker") -> String {
    cmtrace(message, time: time + ".6721099", date: date, component: "SMS_SERVICE_CONNECTOR_\(worker)") + "\r\n"
}

/// One upload cycle written at `time` (HH:MM) that announces the next run at `next` (MM/DD/YYYY HH:MM:SS).
private func realCycle(_ date: String, _ time: String, next: String, records: Int = 5) -> String {
    real("Batching \(records) records", date, time + ":01") + real("Next run time will be at approximately: \(next)", date, time + ":02")
}

private func review(_ text: String, zone: String? = nil, evaluatedAt: Instant? = nil) throws -> Report {
    var options = ReadOptions()
    options.zone = zone.flatMap(ZoneRule.init)
    let stream = RecordStream(inputs: [InputSource(location: .standardInput, name: "CMGatewaySyncUploadWorker.log", kind: .syncUpload)],
                              options: options)
    stream.standardInput = { MemorySource(text) }
    var settings = AnalysisSettings()
    settings.zone = options.zone
    settings.evaluationTime = evaluatedAt.map { .instant($0) }
    return try Review(catalog: RuleCatalog.bundled(), settings: settings).run(stream)
}

@Suite("The log's own clock") struct LogClockTests {
    @Test("a log without a bias is judged on its local clock: a late cycle is late")
    func lateOnLocalClock() throws {
        let text = realCycle("11-29-2022", "13:00", next: "11/29/2022 13:15:02")
            + realCycle("11-29-2022", "13:15", next: "11/29/2022 13:30:02")
            + realCycle("11-29-2022", "13:53", next: "11/29/2022 14:08:02")
        let report = try review(text)
        #expect(report.sync.cycles.count == 3)
        #expect(report.sync.cycles.allSatisfy { $0.start != nil })
        #expect(report.sync.cycles.map(\.status) == [.ok, .ok, .late])
        #expect(try report.inputs.at(0).summary.clock == .local)
        #expect(report.findings.map(\.id) == [.syncLate])
    }

    @Test("a log without a bias that stops uploading is stalled at the end of the logs")
    func stallOnLocalClock() throws {
        var text = realCycle("11-29-2022", "13:00", next: "11/29/2022 13:15:02")
        for minute in stride(from: 5, through: 55, by: 10) { text += real("Worker heartbeat", "11-29-2022", "14:\(minute):00") }
        let report = try review(text)
        #expect(report.sync.stalled)
        #expect(report.findings.map(\.id) == [.syncStalled])
    }

    @Test("--tz: the spring-forward hour costs no cycle its punctuality")
    func springForward() throws {
        // Europe/Amsterdam, 29 March 2020: 02:00 CET becomes 03:00 CEST. A run due at 02:00 local
        // (a time that does not exist) comes at 03:00 CEST, the same instant.
        let text = realCycle("03-29-2020", "01:30", next: "03/29/2020 01:45:02")
            + realCycle("03-29-2020", "01:45", next: "03/29/2020 02:00:02")
            + realCycle("03-29-2020", "03:00", next: "03/29/2020 03:15:02")
            + realCycle("03-29-2020", "03:15", next: "03/29/2020 03:30:02")
        let zoned = try review(text, zone: "Europe/Amsterdam")
        #expect(zoned.sync.cycles.map(\.status) == [.ok, .ok, .ok, .ok])
        #expect(zoned.sync.cycles.compactMap(\.delaySeconds).allSatisfy { abs($0) < 60 })
        #expect(try Array(zoned.sync.cycles).at(2).start?.iso8601 == "2020-03-29T01:00:01.672Z")
        #expect(try zoned.inputs.at(0).summary.clock == .utc)
        #expect(zoned.findings.isEmpty)
        // Without the zone the local clock shows an hour that never passed: the third cycle looks late.
        let local = try review(text)
        #expect(local.sync.cycles.map(\.status) == [.ok, .ok, .late, .ok])
    }

    @Test("--tz: the repeated fall-back hour is read in record order, so no delay is negative")
    func fallBack() throws {
        // Europe/Amsterdam, 25 October 2020: 03:00 CEST becomes 02:00 CET; 02:00-02:59 happens twice.
        let text = realCycle("10-25-2020", "02:30", next: "10/25/2020 02:45:02")
            + realCycle("10-25-2020", "02:45", next: "10/25/2020 02:00:02")
            + realCycle("10-25-2020", "02:00", next: "10/25/2020 02:15:02")
            + realCycle("10-25-2020", "02:15", next: "10/25/2020 02:30:02")
        let report = try review(text, zone: "Europe/Amsterdam")
        let starts = report.sync.cycles.compactMap(\.start)
        #expect(starts.map(\.iso8601) == ["2020-10-25T00:30:01.672Z", "2020-10-25T00:45:01.672Z",
                                          "2020-10-25T01:00:01.672Z", "2020-10-25T01:15:01.672Z"])
        #expect(report.sync.cycles.compactMap(\.delaySeconds).allSatisfy { abs($0) < 60 })  // not -3600: the hour is not read backwards
        #expect(report.findings.isEmpty)
    }

    @Test("a bias written in the record wins over --tz")
    func writtenBiasWins() throws {
        let text = cmtrace("Batching 3 records", time: "10:00:00.000+480", date: "02-28-2020") + "\r\n"
        let report = try review(text, zone: "Europe/Amsterdam")
        #expect(report.sync.cycles.first?.start?.iso8601 == "2020-02-28T18:00:00.000Z")
    }

    @Test("a record cut off before its time opens no cycle and keeps the announced next run")
    func cutOffRecord() throws {
        let text = realCycle("11-29-2022", "13:00", next: "11/29/2022 13:15:02")
            + "<![LOG[Batching 7 records]LOG]!><time=\"13:1"
        let report = try review(text)
        #expect(report.sync.cycles.count == 1)
        #expect(report.sync.nextRun != nil)
        #expect(try report.inputs.at(0).summary.incompleteRecords == 1)
    }

    @Test("cycles without times: timing is not judged, and the facts say so")
    func noTimes() throws {
        let text = "Batching 5 records\nNext run time will be at approximately: 02/28/2020 16:35:31\nBatching 2 records\n"
        let report = try review(text)
        #expect(report.sync.cycles.count == 2)
        #expect(report.sync.timing == .noTimes)
        #expect(!report.sync.stalled)
    }

    @Test("piped logs of two workers are told apart by their components")
    func workerFromComponent() throws {
        let upload = realCycle("11-29-2022", "13:00", next: "11/29/2022 13:15:02")
        let notification = real("[GetNotifications] Response from https://us.gateway.configmgr.manage.microsoft.com/api/gateway/Notification is: 401 (Unauthorized)",
                                "11-29-2022", "13:05:00", worker: "CMGatewayNotificationWorker")
        let stream = RecordStream(inputs: [InputSource.standardInput])
        stream.standardInput = { MemorySource(upload + notification) }
        let report = try Review(catalog: RuleCatalog.bundled(), settings: AnalysisSettings()).run(stream)
        #expect(report.sync.cycles.count == 1)
        #expect(report.findings.map(\.id) == [.notificationUnauthorized])
    }

    @Test("a component names its worker, in any letter case; the bare component names none")
    func componentKinds() {
        func kind(_ text: String) -> LogKind? { Array(text.utf8).withUnsafeBytes { LogKind(component: $0) } }
        #expect(kind("SMS_SERVICE_CONNECTOR_CMGatewayNotificationWorker") == .notification)
        #expect(kind("sms_service_connector_cmgatewaysyncuploadworker") == .syncUpload)
        #expect(kind("SMS_SERVICE_CONNECTOR_GenericDownloadWorker") == nil)
        #expect(kind("SMS_SERVICE_CONNECTOR") == nil)
        #expect(kind("BgbAgent") == .notificationAgent)
        #expect(kind("SMS_SERVICE_CONNECTOR_EndpointConnectivityCheckWorker") == .endpointCheck)
        #expect(kind("SMS_REST_PROVIDER") == .restProvider)
        #expect(kind("AdminService") == .adminService)
        #expect(kind("SmsAdminUI") == .adminConsole)
        #expect(kind("Scripts") == .scripts)
        #expect(kind("AdminServiceX") == nil)
        #expect(kind("SMS_REST_PROVIDER_X") == nil)
    }

    @Test("piped SMS Provider and endpoint-check lines raise their findings")
    func relatedLogsFromComponent() throws {
        let forbidden = simple("Completing request with response code [403] reason [Forbidden]",
                               date: "03-01-2024", time: "10:00:00.000+000", component: "AdminService")
        let endpoint = simple("Check of endpoint https://login.microsoftonline.com failed with HTTP status 407 (Proxy Authentication Required)",
                              date: "03-01-2024", time: "10:05:00.000+000", component: "SMS_SERVICE_CONNECTOR_EndpointConnectivityCheckWorker")
        let stream = RecordStream(inputs: [InputSource.standardInput])
        stream.standardInput = { MemorySource(forbidden + "\n" + endpoint + "\n") }
        let report = try Review(catalog: RuleCatalog.bundled(), settings: AnalysisSettings()).run(stream)
        #expect(Set(report.findings.map(\.id)) == [.providerForbidden, .endpointCheckFailed])
    }

    @Test("zone rules: offsets with daylight saving time, and unknown zone names refused")
    func zoneRules() throws {
        let zone = try #require(ZoneRule("Europe/Amsterdam"))
        let summer = try #require(CivilTime(year: 2020, month: 7, day: 1, hour: 12, minute: 0, second: 0))
        let winter = try #require(CivilTime(year: 2020, month: 1, day: 1, hour: 12, minute: 0, second: 0))
        #expect(zone.bias(forLocal: summer, after: nil) == -120)
        #expect(zone.bias(forLocal: winter, after: nil) == -60)
        #expect(ZoneRule("Mars/Olympus_Mons") == nil)
        #expect(ZoneRule("local") != nil)
    }
}

@Suite("Servers reviewed apart") struct ServerGroupTests {
    func file(_ path: String) -> InputSource { .file(path) }

    @Test("one folder's logs are one server")
    func oneServer() throws {
        let groups = ServerGroups.group([file("/logs/CMGatewaySyncUploadWorker.lo_"), file("/logs/CMGatewaySyncUploadWorker.log"),
                                         file("/logs/CMGatewayNotificationWorker.log")])
        #expect(groups.count == 1)
        #expect(try groups.at(0).name == nil)
    }

    @Test("two folders with a service connection point's logs are two servers; a management point's folder goes with both")
    func twoServers() throws {
        let groups = ServerGroups.group([file("/copies/site-ps1/CMGatewaySyncUploadWorker.log"),
                                         file("/copies/site-ps2/CMGatewaySyncUploadWorker.log"),
                                         file("/copies/mp/BgbServer.log")])
        #expect(groups.map(\.name) == ["site-ps1", "site-ps2"])
        #expect(try groups.at(0).inputs.map(\.name) == ["/copies/site-ps1/CMGatewaySyncUploadWorker.log", "/copies/mp/BgbServer.log"])
        #expect(try groups.at(1).inputs.map(\.name) == ["/copies/site-ps2/CMGatewaySyncUploadWorker.log", "/copies/mp/BgbServer.log"])
    }

    @Test("the worst server's verdict is the review's")
    func worstVerdict() {
        var healthy = Report(), failing = Report()
        healthy.verdict = .healthy
        failing.verdict = .failing
        let reports = ServerReports(servers: [.init(name: "a", report: healthy), .init(name: "b", report: failing)])
        #expect(reports.verdict == .failing)
        #expect(reports.isSeveral)
    }
}
