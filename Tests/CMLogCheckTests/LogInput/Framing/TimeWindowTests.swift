import Foundation
import Testing
@testable import CMLogCheckCLI
@testable import LogMatching
@testable import LogInput
@testable import LogRules
@testable import LogAnalysis
@testable import LogFindings
@testable import LogReport

/// An upload log of seven cycles on 03-04-2020, `bias` "+000" (UTC) or "" (the server's
/// local clock): 10:00, 10:15 with a 401 block (a failed cycle), 10:30, 10:45, 11:00, then
/// 11:40 (late: 11:15 and 11:30 passed) and 11:55.
private func windowLog(bias: String) -> String {
    let d = "03-04-2020"
    func line(_ message: String, _ time: String) -> String { syncLine(message, d, time, bias: bias) }
    var text = ""
    for (hour, minute) in [(10, 0), (10, 15), (10, 30), (10, 45), (11, 0), (11, 40), (11, 55)] {
        let at = String(format: "%02d:%02d", hour, minute)
        let next = hour * 60 + minute + 15
        text += line("Batching 5 records", "\(at):00.000")
        if (hour, minute) == (10, 15) {
            text += line("[UploadDelta_HelpdeskUpload] Response from https://us.gateway.configmgr.manage.microsoft.com/api/gateway/DevicePost is: 401 (Unauthorized)", "\(at):00.500")
            text += line("Response status code: 401 (Unauthorized) Activity ID: 6daac983-5f94-464e-b1bd-9b634a051d1d", "\(at):00.600")
        }
        text += line(String(format: "Next run time will be at approximately: 03/04/2020 %02d:%02d:00", next / 60, next % 60), "\(at):01.000")
    }
    return text
}

/// Runs `review --format json` on the log written to a temporary upload log.
private func reviewJSON(_ text: String, _ arguments: [String]) throws -> (RunResult, [String: Any]) {
    let folder = TemporaryDirectory()
    let path = try folder.write("CMGatewaySyncUploadWorker.log", text)
    let result = runCLI(["review", "--format", "json", "--fail-on", "never"] + arguments + [path])
    let object = (try? JSONSerialization.jsonObject(with: Data(result.standardOutput.utf8))) as? [String: Any] ?? [:]
    return (result, object)
}

private func cycleStarts(_ report: [String: Any]) -> [String] {
    let cycles = (report["sync"] as? [String: Any])?["cycles"] as? [[String: Any]] ?? []
    return cycles.compactMap { $0["start"] as? String }
}

private func findingIDs(_ report: [String: Any]) -> [String] {
    (report["findings"] as? [[String: Any]] ?? []).compactMap { $0["id"] as? String }
}

@Suite("--since and --until") struct TimeWindowTests {
    @Test("the whole log: seven cycles, the 401 and the late cycle")
    func whole() throws {
        let (result, report) = try reviewJSON(windowLog(bias: "+000"), [])
        #expect(result.status == 0)
        #expect(cycleStarts(report).count == 7)
        #expect(Set(findingIDs(report)) == ["upload-unauthorized", "sync-late"])
        #expect(report["filter"] is NSNull)
    }

    @Test("--since and --until keep the cycles, findings and evidence inside; --at defaults to the last record inside")
    func pinsCyclesAndFindings() throws {
        let text = windowLog(bias: "+000")
        // Until 11:10: the late cycle is gone, the 401 stays.
        let (_, early) = try reviewJSON(text, ["--until", "2020-03-04T11:10:00Z"])
        #expect(cycleStarts(early) == ["2020-03-04T10:00:00.000Z", "2020-03-04T10:15:00.000Z", "2020-03-04T10:30:00.000Z",
                                       "2020-03-04T10:45:00.000Z", "2020-03-04T11:00:00.000Z"])
        #expect(findingIDs(early) == ["upload-unauthorized"])
        #expect(early["evaluatedAt"] as? String == "2020-03-04T11:00:01.000Z")
        let filter = try #require(early["filter"] as? [String: Any])
        #expect(filter["since"] is NSNull)
        #expect(filter["until"] as? String == "2020-03-04T11:10:00.000Z")
        #expect(filter["recordsOutside"] as? Int == 4)
        let window = try #require(early["window"] as? [String: Any])
        #expect(window["end"] as? String == "2020-03-04T11:00:01.000Z")

        // Since 10:20: the 401 is gone (its lines are outside), the late cycle stays; evidence is inside.
        let (_, late) = try reviewJSON(text, ["--since", "2020-03-04T10:20:00Z"])
        #expect(cycleStarts(late).first == "2020-03-04T10:30:00.000Z")
        #expect(cycleStarts(late).count == 5)
        #expect(findingIDs(late) == ["sync-late"])
        let evidence = (late["findings"] as? [[String: Any]])?.flatMap { $0["evidence"] as? [[String: Any]] ?? [] } ?? []
        #expect(!evidence.isEmpty)
        // Line 7 is the first record at or after 10:20 (10:30's Batching).
        #expect(evidence.allSatisfy { ($0["line"] as? Int ?? 0) >= 7 })

        // Both ends: only 10:30 to 11:00, healthy.
        let (_, middle) = try reviewJSON(text, ["--since", "2020-03-04T10:20:00Z", "--until", "2020-03-04T11:10:00Z"])
        #expect(cycleStarts(middle).count == 3)
        #expect(findingIDs(middle).isEmpty)
        #expect(middle["verdict"] as? String == "healthy")
    }

    @Test("the text report says the window under the verdict")
    func textLine() throws {
        let folder = TemporaryDirectory()
        let path = try folder.write("CMGatewaySyncUploadWorker.log", windowLog(bias: "+000"))
        let result = runCLI(["review", "--since", "2020-03-04T10:20:00Z", "--until", "2020-03-04T11:10:00+00:00", path])
        #expect(result.status == 0)
        #expect(try result.outputLines.at(1) == "Window: 2020-03-04 10:20:00 UTC to 2020-03-04 11:10:00 UTC (--since, --until); 10 records outside left out.")
        let whole = runCLI(["review", path])
        #expect(!whole.standardOutput.contains("Window:"))
    }

    @Test("a local-clock log takes the window as the server's local time")
    func localWindow() throws {
        let (result, report) = try reviewJSON(windowLog(bias: ""), ["--since", "2020-03-04T10:20:00", "--until", "2020-03-04T11:50:00"])
        #expect(result.status == 0, "\(result.standardError)")
        #expect(report["clock"] as? String == "local")
        #expect(cycleStarts(report) == ["2020-03-04T10:30:00.000", "2020-03-04T10:45:00.000", "2020-03-04T11:00:00.000", "2020-03-04T11:40:00.000"])
        #expect(findingIDs(report) == ["sync-late"])
        #expect(report["evaluatedAt"] as? String == "2020-03-04T11:40:01.000")
        let filter = try #require(report["filter"] as? [String: Any])
        #expect(filter["since"] as? String == "2020-03-04T10:20:00.000")
        #expect(filter["until"] as? String == "2020-03-04T11:50:00.000")
    }

    @Test("an offset window on a local-clock log is refused with exit 2, as --at is; with --tz it is placed")
    func offsetOnLocalRefused() throws {
        for option in ["--since", "--until"] {
            let (result, _) = try reviewJSON(windowLog(bias: ""), [option, "2020-03-04T10:20:00Z"])
            #expect(result.status == 2)
            #expect(result.standardError.contains("\(option) names an instant"))
            #expect(result.standardError.contains("--tz"))
            #expect(result.standardOutput.isEmpty)
        }
        let (now, _) = try reviewJSON(windowLog(bias: ""), ["--until", "now"])
        #expect(now.status == 2)
        // With the zone the bias-less times are UTC, and the offset time has its place: 10:20Z is 11:20 in Amsterdam (CET).
        let (zoned, report) = try reviewJSON(windowLog(bias: ""), ["--tz", "Europe/Amsterdam", "--since", "2020-03-04T10:20:00Z"])
        #expect(zoned.status == 0, "\(zoned.standardError)")
        #expect(cycleStarts(report) == ["2020-03-04T10:40:00.000Z", "2020-03-04T10:55:00.000Z"])
        // And records refuses it the same way.
        let folder = TemporaryDirectory()
        let path = try folder.write("CMGatewaySyncUploadWorker.log", windowLog(bias: ""))
        let records = runCLI(["records", "--since", "2020-03-04T10:20:00+01:00", path])
        #expect(records.status == 2)
        #expect(records.standardError.contains("--since names an instant"))
    }

    @Test("--since after --until is a usage error")
    func reversed() {
        let result = runCLI(["review", "--since", "2020-03-04T11:00:00Z", "--until", "2020-03-04T10:00:00Z", "x.log"])
        #expect(result.status == 2)
        #expect(result.standardError.contains("--since is after --until"))
    }

    @Test("records: the same window, with --count and --grep")
    func recordsFiltered() throws {
        let folder = TemporaryDirectory()
        let path = try folder.write("CMGatewaySyncUploadWorker.log", windowLog(bias: "+000"))
        let all = runCLI(["records", "--count", path])
        #expect(all.standardOutput == "16\n")
        let counted = runCLI(["records", "--count", "--since", "2020-03-04T10:15:00Z", "--until", "2020-03-04T10:30:00Z", path])
        #expect(counted.standardOutput == "5\n")  // 10:15's four records and 10:30's Batching
        let lines = runCLI(["records", "--since", "2020-03-04T11:00:00Z", "--grep", "Batching", path])
        #expect(jsonLines(lines.standardOutput).compactMap { $0["utc"] as? String } == [
            "2020-03-04T11:00:00.000Z", "2020-03-04T11:40:00.000Z", "2020-03-04T11:55:00.000Z"])
        // A local-clock log takes local times.
        let local = try folder.write("local/CMGatewaySyncUploadWorker.log", windowLog(bias: ""))
        let localCount = runCLI(["records", "--count", "--until", "2020-03-04T10:00:01", local])
        #expect(localCount.standardOutput == "2\n")
    }
}

/// Makes a record with borrowed empty bytes and the given time, for the gate alone.
private func record(_ local: CivilTime?, bias: Int? = 0) -> Record {
    let empty = UnsafeRawBufferPointer(start: nil, count: 0)
    return Record(input: 0, line: 1, endLine: 1, format: .simple, message: empty, component: empty, thread: nil,
                  severity: .info, dateText: empty, timeText: empty,
                  timestamp: local.map { LogTimestamp(local: $0, bias: bias) }, skippedBytes: 0, isComplete: true)
}

@Suite("The window's gate") struct TimeWindowGateTests {
    func civil(_ hour: Int, _ minute: Int) -> CivilTime {
        CivilTime(year: 2020, month: 3, day: 4, hour: hour, minute: minute, second: 0, fractionTicks: 0)!
    }

    func window(_ since: CivilTime?, _ until: CivilTime?) -> TimeWindow {
        func bound(_ civil: CivilTime?, _ option: String) -> TimeWindow.Bound? {
            civil.map { .init(option: option, utc: Instant(ticks: $0.ticksAsIfUTC), local: Instant(ticks: $0.ticksAsIfUTC)) }
        }
        return TimeWindow(since: bound(since, "--since"), until: bound(until, "--until"))
    }

    @Test("records without a time follow the last timed record before them; before any, they are kept")
    func untimedFollow() throws {
        var gate = TimeWindowGate(window: window(civil(10, 0), civil(11, 0)), inputName: "test")
        let verdicts = try [record(nil), record(civil(9, 0)), record(nil), record(civil(10, 0)), record(nil),
                            record(civil(11, 0)), record(civil(11, 1)), record(nil)].map { try gate.admits($0) }
        #expect(verdicts == [true, false, false, true, true, true, false, false])
        #expect(gate.outside == 4)
        #expect(gate.first == Instant(ticks: civil(10, 0).ticksAsIfUTC))
        #expect(gate.last == Instant(ticks: civil(11, 0).ticksAsIfUTC))
    }

    @Test("an instant bound meets a local-clock record: refused, naming the option and the input")
    func instantOnLocal() throws {
        let bound = TimeWindow.Bound(option: "--until", utc: Instant(ticks: civil(11, 0).ticksAsIfUTC), local: nil)
        var gate = TimeWindowGate(window: TimeWindow(until: bound), inputName: "scp.log")
        #expect(throws: InputError.self) { try gate.admits(record(civil(10, 0), bias: nil)) }
        // The same bound is fine for a record with a bias.
        var utcGate = TimeWindowGate(window: TimeWindow(until: bound), inputName: "scp.log")
        #expect(try utcGate.admits(record(civil(10, 0), bias: 0)))
    }

    @Test("the summary's first and last are the window's, the record count every framed record")
    func summary() throws {
        var options = ReadOptions()
        options.window = window(civil(10, 20), nil)
        let framed = try frame(windowLog(bias: "+000"), options: options)
        #expect(framed.summary.records == 16)
        #expect(framed.summary.outsideWindow == 6)
        #expect(framed.records.count == 10)
        #expect(framed.summary.first?.iso8601 == "2020-03-04T10:30:00.000Z")
        #expect(framed.summary.last?.iso8601 == "2020-03-04T11:55:01.000Z")
    }
}
