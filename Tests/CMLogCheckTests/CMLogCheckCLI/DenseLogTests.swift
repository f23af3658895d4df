import Foundation
import Testing
@testable import CMLogCheckCLI
@testable import LogInput
@testable import LogAnalysis

/// A log as dense as a real upload worker's: a cycle every 15 minutes for months. The
/// cycles pass the spool's memory limit, so the report reads them back from its file.
@Suite struct DenseLogTests {
    /// `count` cycles from 2020-01-01 00:00 UTC, each a batch, a web request, its answer and the next run;
    /// every 97th cycle starts 20 minutes late, every 89th gets a 503.
    static func denseLog(cycles count: Int) -> String {
        var text = ""
        text.reserveCapacity(count * 700)
        var start = Instant(iso8601: "2020-01-01T00:00:00Z")!
        for index in 0..<count {
            if index % 97 == 50 { start = start + 20 * 60 }
            func at(_ seconds: Int64) -> (String, String) {
                let time = CivilTime(utc: start + seconds)
                return (String(format: "%02d-%02d-%04d", time.month, time.day, time.year),
                        String(format: "%02d:%02d:%02d.000", time.hour, time.minute, time.second))
            }
            let status = index % 89 == 30 ? "503 (ServiceUnavailable)" : "200 (OK)"
            let next = CivilTime(utc: start + 15 * 60)
            let nextText = String(format: "%02d/%02d/%04d %02d:%02d:%02d", next.month, next.day, next.year, next.hour, next.minute, next.second)
            for (offset, message) in [(0, "Batching \(index % 40 + 1) records"),
                                      (1, "[UploadDelta_HelpdeskUpload] Creating web request to: https://us.gateway.configmgr.manage.microsoft.com/api/gateway/DevicePost Method: POST"),
                                      (2, "[UploadDelta_HelpdeskUpload] Response from https://us.gateway.configmgr.manage.microsoft.com/api/gateway/DevicePost is: \(status)"),
                                      (3, "Next run time will be at approximately: \(nextText)")] {
                let (date, time) = at(Int64(offset))
                text += syncLine(message, date, time)
            }
            start = start + 15 * 60
        }
        return text
    }

    @Test("every cycle of a dense log is in the JSON report, in order, with its status")
    func everyCycleInJSON() throws {
        let count = 4_000
        let result = runCLI(["review", "--format", "json", "--fail-on", "never"], input: Array(Self.denseLog(cycles: count).utf8))
        #expect(result.status == 0, "\(result.standardError)")
        let report = try #require(try JSONSerialization.jsonObject(with: Data(result.standardOutput.utf8)) as? [String: Any])
        let sync = try #require(report["sync"] as? [String: Any])
        let cycles = try #require(sync["cycles"] as? [[String: Any]])
        #expect(cycles.count == count)
        let starts = cycles.compactMap { $0["start"] as? String }
        #expect(starts.count == count && starts == starts.sorted())
        #expect(cycles.first?["start"] as? String == "2020-01-01T00:00:00.000Z")
        #expect(cycles.map { $0["records"] as? Int } == (0..<count).map { $0 % 40 + 1 })
        let failed = (0..<count).filter { $0 % 89 == 30 }
        #expect(cycles.indices.filter { cycles[$0]["status"] as? String == "failed" } == failed)
        let late = (0..<count).filter { $0 % 97 == 50 && !failed.contains($0) }
        #expect(cycles.indices.filter { cycles[$0]["status"] as? String == "late" } == late)
        #expect(sync["recordsUploaded"] as? Int == (0..<count).filter { !failed.contains($0) }.map { $0 % 40 + 1 }.reduce(0, +))
    }

    @Test("the cycles of a dense log go to the spool's file and come back whole, for the text report too")
    func spilledCyclesInText() throws {
        let count = 4_000
        let report = try review(Self.denseLog(cycles: count))
        #expect(report.sync.cycles.count == count && report.sync.cycles.isSpilled)
        #expect(Array(report.sync.cycles).count == count)
        let result = runCLI(["review", "--fail-on", "never"], input: Array(Self.denseLog(cycles: count).utf8))
        #expect(result.standardOutput.contains("Upload: \(count) upload cycles"), "\(result.standardOutput.prefix(600))")
    }
}

@Suite struct PipedLogNameTests {
    @Test("piped lines whose component names the worker (the real shape): the input is named that worker's log")
    func pipedWorkerComponent() throws {
        let line = { (message: String, time: String) in
            "<![LOG[\(message)]LOG]!><time=\"\(time)\" date=\"11-20-2024\" component=\"SMS_SERVICE_CONNECTOR_CMGatewaySyncUploadWorker\" context=\"\" type=\"1\" thread=\"12\" file=\"\">\n"
        }
        let text = line("Batching 5 records", "08:00:00.1234567") + line("Next run time will be at approximately: 11/20/2024 08:15:00", "08:00:01.1234567")
        let result = runCLI(["review", "--format", "json", "--fail-on", "never"], input: Array(text.utf8))
        let report = try #require(try JSONSerialization.jsonObject(with: Data(result.standardOutput.utf8)) as? [String: Any])
        let inputs = try #require(report["inputs"] as? [[String: Any]])
        #expect(inputs.first?["log"] as? String == "CMGatewaySyncUploadWorker", "\(inputs)")
    }
}
