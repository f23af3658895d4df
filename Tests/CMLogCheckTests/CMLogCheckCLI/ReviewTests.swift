import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif
import Testing
@testable import CMLogCheckCLI
@testable import LogMatching
@testable import LogInput
@testable import LogRules
@testable import LogAnalysis
@testable import LogFindings
@testable import LogReport
@testable import LogFollow

/// One simple-format line of the upload worker at a local time with a bias.
func syncLine(_ message: String, _ date: String, _ time: String, bias: String = "+000", thread: Int = 10) -> String {
    "\(message)  $$<SMS_SERVICE_CONNECTOR><\(date) \(time)\(bias)><thread=\(thread) (0x\(String(thread, radix: 16, uppercase: true)))>\n"
}

/// A healthy cycle: one batch, and the next run announced 15 minutes on (en-US date).
func cycle(at hour: Int, _ minute: Int, records: Int = 5, nextRunText: String? = nil, date: String = "03-04-2020") -> String {
    let time = String(format: "%02d:%02d:00.000", hour, minute)
    let next = nextRunText ?? {
        let total = hour * 60 + minute + 15
        return String(format: "03/04/2020 %02d:%02d:00", total / 60, total % 60)
    }()
    return syncLine("Batching \(records) records", date, time)
        + syncLine("Next run time will be at approximately: \(next)", date, String(format: "%02d:%02d:01.000", hour, minute))
}

func review(_ text: String, name: String = "CMGatewaySyncUploadWorker.log", settings: AnalysisSettings = AnalysisSettings(),
            catalog: RuleCatalog? = nil) throws -> Report {
    let stream = RecordStream(inputs: [InputSource(location: .standardInput, name: name, kind: LogKind(fileName: name))])
    stream.standardInput = { MemorySource(text) }
    return try Review(catalog: catalog ?? RuleCatalog.bundled(), settings: settings).run(stream)
}

@Suite struct NextRunResolverTests {
    func written(_ year: Int, _ month: Int, _ day: Int, _ hour: Int, _ minute: Int, bias: Int = 0) -> LogTimestamp {
        LogTimestamp(local: CivilTime(year: year, month: month, day: day, hour: hour, minute: minute, second: 0)!, bias: bias)
    }

    @Test("each culture's next-run date resolves to the same instant", arguments: [
        "02/28/2020 16:35:31", "2/28/2020 4:35:31 PM", "28-2-2020 16:35:31", "28.02.2020 16:35:31",
        "28/02/2020 16:35:31", "2020-02-28 16:35:31",
    ])
    func cultures(_ text: String) throws {
        let resolved = try #require(NextRunResolver.resolve(text, writtenAt: written(2020, 2, 28, 16, 20, bias: 480), interval: 900))
        #expect(resolved.utc?.iso8601 == "2020-02-29T00:35:31.000Z")
    }

    @Test("ambiguous day and month are settled by the line's own time, not by assuming en-US")
    func ambiguous() throws {
        // 3 April 2020, written by a British server: 03/04/2020 is day first.
        let british = try #require(NextRunResolver.resolve("03/04/2020 12:36:26", writtenAt: written(2020, 4, 3, 12, 21), interval: 900))
        #expect(british.order == .dayFirst)
        #expect(british.local.month == 4 && british.local.day == 3)
        // 4 March 2020, written by a US server: the same text is month first.
        let american = try #require(NextRunResolver.resolve("03/04/2020 12:36:26", writtenAt: written(2020, 3, 4, 12, 21), interval: 900))
        #expect(american.order == .monthFirst)
        #expect(american.local.month == 3 && american.local.day == 4)
    }

    @Test("the bias sign: UTC = local + bias, -060 is one hour east of UTC")
    func biasSign() throws {
        let resolved = try #require(NextRunResolver.resolve("1-3-2020 00:05:17", writtenAt: written(2020, 2, 29, 23, 50, bias: -60), interval: 900))
        #expect(resolved.utc?.iso8601 == "2020-02-29T23:05:17.000Z")
    }

    @Test("an ambiguous date with no time to judge by stays unresolved; garbage is nil")
    func unresolved() {
        #expect(NextRunResolver.resolve("03/04/2020 12:36:26", writtenAt: nil, interval: 900) == nil)
        #expect(NextRunResolver.resolve("soon", writtenAt: nil, interval: 900) == nil)
        #expect(NextRunResolver.resolve("31/31/2020 10:00:00", writtenAt: nil, interval: 900) == nil)
        #expect(NextRunResolver.resolve("2/28/2020 13:35:31 PM", writtenAt: nil, interval: 900) == nil)
    }
}

@Suite struct TimelineTests {
    @Test("cycles every 15 minutes are on time and healthy")
    func healthy() throws {
        let report = try review((0..<4).map { cycle(at: 10, $0 * 15) }.joined())
        #expect(report.verdict == .healthy)
        #expect(report.sync.cycles.count == 4)
        #expect(report.sync.cycles.allSatisfy { $0.status == .ok })
        #expect(try Array(report.sync.cycles).at(1).delaySeconds == 0)
        #expect(report.sync.cycles.map(\.records).reduce(0, +) == 20)
        #expect(report.sync.nextRun?.iso8601 == "2020-03-04T11:00:00.000Z")
        #expect(!report.sync.stalled)
    }

    @Test("a cycle past the announced run plus grace is late; past a whole interval the run is missed")
    func lateAndMissed() throws {
        let text = cycle(at: 10, 0) + cycle(at: 10, 27) + cycle(at: 11, 10)
        let report = try review(text)
        #expect(report.sync.cycles.map(\.status) == [.ok, .late, .late])
        #expect(try Array(report.sync.cycles).at(1).delaySeconds.map { Int($0.rounded()) } == 12 * 60)
        #expect(report.sync.missedRuns.map(\.iso8601) == ["2020-03-04T10:42:00.000Z"])
        #expect(report.findings.map(\.id) == [.syncLate])
        #expect(report.verdict == .degraded)
        let lenient = try review(text, settings: { var s = AnalysisSettings(); s.grace = 50 * 60; return s }())
        #expect(lenient.sync.cycles.map(\.status) == [.ok, .ok, .ok])
    }

    @Test("no cycle after the announced run plus grace by the evaluation time is a stall")
    func stalled() throws {
        let text = cycle(at: 10, 0) + cycle(at: 10, 15) + syncLine("still here", "03-04-2020", "10:55:00.000")
        let report = try review(text)
        #expect(report.sync.stalled)
        #expect(report.findings.map(\.id) == [.syncStalled])
        #expect(report.verdict == .failing)
        // Judged earlier with --at, the same log is not stalled.
        var settings = AnalysisSettings()
        settings.evaluationTime = .instant(Instant(iso8601: "2020-03-04T10:35:00Z")!)
        #expect(try !review(text, settings: settings).sync.stalled)
    }

    @Test("an upload log with no cycle is no-sync-activity; no recognised line at all is no-data")
    func noActivity() throws {
        let report = try review(syncLine("starting up", "03-04-2020", "10:00:00.000"))
        #expect(report.findings.map(\.id) == [.noSyncActivity])
        let nothing = try review("hello\nworld\n", name: "notes.txt")
        #expect(nothing.verdict == .noData)
        #expect(nothing.findings.isEmpty)
    }

    @Test("scenario tags give the cycle kind")
    func kinds() throws {
        let text = syncLine("Batching 250 records", "03-04-2020", "10:00:00.000")
            + syncLine("[UploadFull_HelpdeskUpload] Response from https://x.manage.microsoft.com/api/gateway/DevicePost is: 200 (OK)", "03-04-2020", "10:00:01.000")
            + syncLine("Next run time will be at approximately: 03/04/2020 10:15:02", "03-04-2020", "10:00:02.000")
            + syncLine("Batching 3 records", "03-04-2020", "10:15:02.000")
            + syncLine("[UploadDelta_HelpdeskUpload] Response from https://x.manage.microsoft.com/api/gateway/DevicePost is: 200 (OK)", "03-04-2020", "10:15:03.000")
            + syncLine("Next run time will be at approximately: 03/04/2020 10:30:04", "03-04-2020", "10:15:04.000")
        let report = try review(text)
        #expect(report.sync.cycles.map(\.kind) == [.full, .delta])
    }

    @Test("a 401 block counts once, with its activity ID, and fails its cycle")
    func unauthorizedBlock() throws {
        let d = "03-04-2020"
        let text = syncLine("Batching 3 records", d, "10:00:00.000")
            + syncLine("[UploadDelta_HelpdeskUpload] Response from https://us.gateway.configmgr.manage.microsoft.com/api/gateway/DevicePost is: 401 (Unauthorized)", d, "10:00:01.000")
            + syncLine("Response status code: 401 (Unauthorized) Activity ID: 6daac983-5f94-464e-b1bd-9b634a051d1d", d, "10:00:01.100")
            + syncLine("[WebException]: Failed to upload data to 'https://us.gateway.configmgr.manage.microsoft.com/api/gateway/DevicePost'", d, "10:00:01.200")
            + "Exception details:\n[Warning][CMGatewaySyncUploadWorker][0][System.Net.WebException][0x80131509]\n"
            + syncLine("The remote server returned an error: (401) Unauthorized.    at Microsoft.ConfigurationManager.ServiceConnector.ExtensionMethods.<GetResponseAsync>d__13.MoveNext()", d, "10:00:01.300")
            + syncLine("Next run time will be at approximately: 03/04/2020 10:15:02", d, "10:00:02.000")
        let report = try review(text)
        let finding = try #require(report.findings.first)
        #expect(report.findings.map(\.id) == [.uploadUnauthorized])
        #expect(finding.count == 1)
        #expect(finding.detail.contains("6daac983-5f94-464e-b1bd-9b634a051d1d"))
        #expect(finding.remediation.contains("two hours"))
        #expect(finding.evidence.first?.line == 2)
        #expect(report.sync.cycles.first?.status == .failed)
    }

    @Test("other exceptions are grouped by type and HRESULT, with the HRESULT explained")
    func exceptions() throws {
        let d = "03-04-2020"
        var text = ""
        for minute in [0, 15] {
            text += syncLine("Batching 1 records", d, String(format: "10:%02d:00.000", minute))
            text += syncLine("Exception details:\n[Critical][CMGatewaySyncUploadWorker][0][System.InvalidOperationException][0x80131509]\nSequence contains no elements", d, String(format: "10:%02d:00.500", minute))
            text += syncLine("Next run time will be at approximately: 03/04/2020 10:\(minute + 15):01", d, String(format: "10:%02d:01.000", minute))
        }
        let report = try review(text)
        let finding = try #require(report.findings.first { $0.id == .uploadException })
        #expect(finding.count == 2)
        #expect(finding.severity == .error)
        #expect(finding.title.contains("System.InvalidOperationException"))
        #expect(finding.detail.contains("COR_E_INVALIDOPERATION"))
        #expect(finding.detail.contains("Sequence contains no elements"))
    }
}

@Suite struct RuleCatalogTests {
    func writeTemporary(_ text: String) throws -> String {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("rules-\(UUID().uuidString).json").path
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    @Test("every bundled rule compiles, has a unique id, and says where it comes from")
    func bundled() throws {
        let catalog = try RuleCatalog.bundled()
        #expect(catalog.rules.count >= 20)
        #expect(Set(catalog.rules.map(\.id)).count == catalog.rules.count)
        #expect(catalog.rules.allSatisfy { $0.source != nil })
        _ = try CompiledCatalog(catalog).classifier()
    }

    @Test("documented variants match: runs of spaces, two or three dots, GUIDs in either case")
    func variants() throws {
        let lines = [
            "Received new notification. Validating basic notification details..",
            "Received new notification. Validating basic notification details...",
            "Authorized to perform client action. TemplateID: RequestMachinePolicy TenantId: A1B2C3A1-B2C3-D4A1-B2C3-D4A1B2C3A1B2 AADUserID:     a1b2c3a1-b2c3-d4a1-b2c3-d4a1b2c3a1b2",
        ]
        let text = lines.map { syncLine($0, "03-04-2020", "10:00:00.000") }.joined()
        let report = try review(text, name: "CMGatewayNotificationWorker.log")
        #expect(report.inputs.first?.events == 3)
    }

    @Test("a bad user rule stops the run with exit 2, naming the rule, the pattern and the offset")
    func badRule() throws {
        let path = try writeTemporary(#"{"rules":[{"id":"mine.broken","event":"upload.batch","pattern":"Batching (\\d+"}]}"#)
        let result = runCLI(["rules", "--rules", path])
        #expect(result.status == 2)
        #expect(result.standardError.contains("mine.broken"))
        #expect(result.standardError.contains("Batching (\\d+"))
        #expect(result.standardError.contains("offset 13"))
        let unknownEvent = try writeTemporary(#"{"rules":[{"id":"mine.odd","event":"upload.teleport","pattern":"x"}]}"#)
        let second = runCLI(["review", "--rules", unknownEvent, "SampleLogs/lf"])
        #expect(second.status == 2)
        #expect(second.standardError.contains("mine.odd") && second.standardError.contains("upload.teleport"))
        let missing = runCLI(["rules", "--rules", "/nonexistent/rules.json"])
        #expect(missing.status == 2 && missing.standardError.contains("/nonexistent/rules.json"))
    }

    @Test("a user rule replaces a bundled one by id, adds new ones, and can switch one off")
    func override() throws {
        let path = try writeTemporary("""
        {"rules":[
          {"id":"upload.batching","logs":["CMGatewaySyncUploadWorker"],"event":"upload.batch","pattern":"^Uploading (?<count>\\\\d+) devices"},
          {"id":"upload.scenario.full","event":"upload.scenario","pattern":"x","enabled":false}
        ]}
        """)
        var catalog = try RuleCatalog.bundled()
        try catalog.merge(userFile: path)
        #expect(catalog.origins["upload.batching"] == path)
        let text = syncLine("Uploading 7 devices", "03-04-2020", "10:00:00.000")
            + syncLine("Batching 5 records", "03-04-2020", "10:00:00.500")
            + syncLine("Next run time will be at approximately: 03/04/2020 10:15:01", "03-04-2020", "10:00:01.000")
        let report = try review(text, catalog: catalog)
        #expect(report.sync.cycles.map(\.records) == [7])
        let listing = runCLI(["rules", "--rules", path])
        #expect(listing.status == 0)
        #expect(listing.standardOutput.contains("[disabled]"))
    }
}

@Suite struct ReviewCommandTests {
    @Test("exit status follows --fail-on; JSON carries the documented keys")
    func exitCodes() throws {
        #expect(runCLI(["review", "SampleLogs/late-cycles"]).status == 0)
        #expect(runCLI(["review", "--fail-on", "warning", "SampleLogs/late-cycles"]).status == 1)
        #expect(runCLI(["review", "SampleLogs/upload-401"]).status == 1)
        #expect(runCLI(["review", "--fail-on", "never", "SampleLogs/upload-401"]).status == 0)
        #expect(runCLI(["review", "--fail-on", "sometimes", "SampleLogs/lf"]).status == 2)
        // No tenant attach data is no pass, whatever the threshold but never.
        let unrelated = Array((cmtrace("Some other component started") + "\n").utf8)
        for threshold in ["error", "warning", "info"] {
            let result = runCLI(["review", "--fail-on", threshold], input: unrelated)
            #expect(result.status == 1, "--fail-on \(threshold)")
            #expect(result.standardOutput.hasPrefix("NO DATA"), "\(result.standardOutput)")
        }
        #expect(runCLI(["review"], input: unrelated).status == 1)
        #expect(runCLI(["review", "--fail-on", "never"], input: unrelated).status == 0)
        #expect(runCLI(["review", "--at", "yesterday", "SampleLogs/lf"]).status == 2)
        #expect(runCLI(["review", "--grace", "ten", "SampleLogs/lf"]).status == 2)
        let json = runCLI(["review", "--format", "json", "SampleLogs/lf"])
        let object = try #require(try JSONSerialization.jsonObject(with: Data(json.standardOutput.utf8)) as? [String: Any])
        for key in ["schemaVersion", "verdict", "window", "inputs", "sync", "actions", "devices", "findings"] {
            #expect(object[key] != nil, "missing \(key)")
        }
        let cycle = try #require(((object["sync"] as? [String: Any])?["cycles"] as? [[String: Any]])?.first)
        for key in ["start", "end", "kind", "batches", "records", "nextRun", "dueAt", "delaySeconds", "status"] {
            #expect(cycle.keys.contains(key), "cycle missing \(key)")
        }
        #expect((cycle["start"] as? String)?.hasSuffix("Z") == true)
    }

    @Test("the text report puts the verdict first and never prints raw control characters")
    func textReport() throws {
        let line = syncLine("Batching 1 records", "03-04-2020", "10:00:00.000")
            + syncLine("Failed \u{1B}[31mbadly\u{07} here", "03-04-2020", "10:00:00.500")
            + syncLine("Next run time will be at approximately: 03/04/2020 10:15:01", "03-04-2020", "10:00:01.000")
        let result = runCLI(["review", "--log", "sync"], input: Array(line.utf8))
        #expect(result.standardOutput.hasPrefix("HEALTHY"))
        #expect(!result.standardOutput.contains("\u{1B}"))
        #expect(!result.standardOutput.contains("\u{07}"))
        #expect(result.standardOutput.contains("\\x1B[31mbadly\\x07"))
        let coloured = runCLI(["review", "--color", "always", "--log", "sync"], input: Array(line.utf8))
        #expect(coloured.standardOutput.hasPrefix("\u{1B}["))
    }

@Suite("tool version in JSON")
struct ToolVersionTests {
    @Test("every JSON document says which build wrote it, as --version does", arguments: [
        ["review", "--format", "json", "SampleLogs/lf"], ["review", "--format", "json", "SampleLogs/two-servers"],
        ["rules", "--json"], ["explain", "--format", "json", "407"], ["explain", "--list", "--format", "json"],
    ])
    func version(_ arguments: [String]) throws {
        let result = runCLI(arguments)
        let object = try #require(JSONSerialization.jsonObject(with: Data(result.standardOutput.utf8)) as? [String: Any])
        let tool = try #require(object["tool"] as? [String: String])
        #expect(tool == ["name": "cmlogcheck", "version": ToolVersion.version])
        #expect(runCLI(["--version"]).standardOutput == ToolVersion.version + "\n")
    }
}


@Suite("the last successful upload")
struct LastSuccessfulUploadTests {
    @Test("failed cycles are not the last upload, and their records are counted apart, in text and JSON")
    func failedCyclesApart() throws {
        let text = runCLI(["review", "SampleLogs/upload-401"]).standardOutput
        #expect(text.contains("Upload: 10 upload cycles, 186 records uploaded by the cycles that did not fail, 4 failed (with 102 more records batched)."))
        #expect(text.contains("Last successful upload: 2021-01-07 14:17 -05:00 (19:17 UTC) (delta, 32 records)."))
        let json = runCLI(["review", "--format", "json", "SampleLogs/upload-401"]).standardOutput
        let object = try #require(JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: Any])
        let sync = try #require(object["sync"] as? [String: Any])
        #expect(sync["lastUpload"] as? String == "2021-01-07T20:17:25.669Z")  // the last cycle, which failed
        #expect(sync["lastSuccessfulUpload"] as? String == "2021-01-07T19:17:21.870Z")
        #expect(sync["recordsUploaded"] as? Int == 186 && sync["recordsInFailedCycles"] as? Int == 102)
    }

    @Test("when every cycle failed, the answer says there was no successful upload")
    func noneSucceeded() throws {
        let lines = [
            simple("Batching 5 records", time: "10:00:00.000+000"),
            simple("[DevicePost] Response from https://us.gateway.configmgr.manage.microsoft.com/api/gateway/DevicePost is: 401 (Unauthorized)", time: "10:00:01.000+000"),
            simple("Next run time will be at approximately: 02/28/2020 10:15:00", time: "10:00:02.000+000"),
        ].joined(separator: "\n") + "\n"
        let dir = TemporaryDirectory()
        let path = try dir.write("CMGatewaySyncUploadWorker.log", lines)
        let result = runCLI(["review", "--at", "2020-02-28T10:05:00Z", path])
        #expect(result.standardOutput.contains("No successful upload in these logs: every cycle failed."), "\(result.standardOutput)")
        let json = runCLI(["review", "--format", "json", "--at", "2020-02-28T10:05:00Z", path]).standardOutput
        let sync = try #require((try JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: Any])?["sync"] as? [String: Any])
        #expect(sync["lastSuccessfulUpload"] is NSNull)
        #expect(sync["recordsUploaded"] as? Int == 0 && sync["recordsInFailedCycles"] as? Int == 5)
    }
}


@Suite("review --output")
struct ReportFilesTests {
    @Test("one run: text on standard output, JSON and HTML in files, the same review in each")
    func extraFormats() throws {
        let dir = TemporaryDirectory()
        let json = dir.path + "/review.json", html = dir.path + "/review.html"
        let result = runCLI(["review", "--output", "json=" + json, "--output", "html=" + html, "SampleLogs/upload-401"])
        #expect(result.status == 1)  // the sample's error finding, as without --output
        #expect(result.standardOutput.hasPrefix("FAILING"))
        #expect(result.standardOutput == runCLI(["review", "SampleLogs/upload-401"]).standardOutput)
        let written = try String(contentsOfFile: json, encoding: .utf8)
        #expect(written == runCLI(["review", "--format", "json", "SampleLogs/upload-401"]).standardOutput)
        let page = try String(contentsOfFile: html, encoding: .utf8)
        #expect(page.hasPrefix("<!DOCTYPE html>") && page.contains("upload-unauthorized"))
    }

    @Test("a file that cannot be written stops the run before any log is read, exit 2; a bad FORMAT=FILE is a usage error")
    func refusals() {
        let missing = runCLI(["review", "--output", "json=/nonexistent-folder/review.json", "SampleLogs/lf"])
        #expect(missing.status == 2)
        #expect(missing.standardOutput.isEmpty)
        #expect(missing.standardError == "cmlogcheck: cannot write the json report to /nonexistent-folder/review.json: No such file or directory\n")
        #expect(runCLI(["review", "--output", "xml=review.xml", "SampleLogs/lf"]).status == 2)
        #expect(runCLI(["review", "--output", "json", "SampleLogs/lf"]).status == 2)
        #expect(ReportFileRequest(argument: "HTML=a=b.html") == ReportFileRequest(argument: "html=a=b.html"))
        #expect(ReportFileRequest(argument: "html=a=b.html")?.path == "a=b.html")
        let full = runCLI(["review", "--output", "json=/dev/full", "SampleLogs/lf"])
        #expect(full.status == 2 && full.standardError.contains("cannot write to /dev/full"))
    }
}


@Suite("review --format github")
struct GitHubFormatTests {
    @Test("one annotation per evidence line at its file and line, severities mapped, the verdict last")
    func annotations() {
        let result = runCLI(["review", "--format", "github", "SampleLogs/upload-401"])
        #expect(result.status == 1)
        let lines = result.outputLines
        #expect(lines.count == 5)
        #expect(lines.first?.hasPrefix("::error file=SampleLogs/upload-401/CMGatewaySyncUploadWorker.log,line=45,title=upload-unauthorized%3A Device upload rejected%3A 401 Unauthorized::The gateway answered 401") == true)
        #expect(lines.last == "::error title=cmlogcheck review::Verdict: failing; 1 finding.")
        let late = runCLI(["review", "--format", "github", "SampleLogs/late-cycles"]).outputLines
        #expect(late.contains { $0.hasPrefix("::warning file=SampleLogs/late-cycles/CMGatewaySyncUploadWorker.log,line=43,title=sync-late") })
        #expect(runCLI(["review", "--format", "github", "SampleLogs/lf"]).outputLines.last == "::notice title=cmlogcheck review::Verdict: healthy; 0 findings.")
    }

    @Test("log text cannot end an annotation or start a command: line breaks, % and controls are escaped")
    func hostileText() throws {
        let dir = TemporaryDirectory()
        let message = "[WebException]: Failed to upload: boom 100%\n::error file=x::injected\u{1B}[31m"
        let path = try dir.write("CMGatewaySyncUploadWorker.log", cmtrace(message, type: "3") + "\n")
        let lines = runCLI(["review", "--format", "github", path]).outputLines
        #expect(!lines.isEmpty)
        for line in lines {
            #expect(line.hasPrefix("::error ") || line.hasPrefix("::warning ") || line.hasPrefix("::notice "), "\(line)")
            #expect(!line.contains("\u{1B}"))
        }
        #expect(lines.contains { $0.contains("100%25") })
    }
}


@Suite("review --format junit")
struct JUnitFormatTests {
    /// Element names with their attributes, read by Foundation's XML parser: a document it refuses fails the test.
    final class Elements: NSObject, XMLParserDelegate {
        var found: [(name: String, attributes: [String: String])] = []
        func parser(_ parser: XMLParser, didStartElement name: String, namespaceURI: String?, qualifiedName: String?, attributes: [String: String] = [:]) {
            found.append((name, attributes))
        }
    }

    func parse(_ xml: String) throws -> [(name: String, attributes: [String: String])] {
        let parser = XMLParser(data: Data(xml.utf8))
        let elements = Elements()
        parser.delegate = elements
        #expect(parser.parse(), "\(parser.parserError.map { "\($0)" } ?? "")")
        return elements.found
    }

    @Test("one case per check and per finding kind; raised warnings and errors fail, absent checks skip; well-formed XML")
    func cases() throws {
        let result = runCLI(["review", "--format", "junit", "SampleLogs/upload-401"])
        #expect(result.status == 1)
        let elements = try parse(result.standardOutput)
        let cases = elements.filter { $0.name == "testcase" }.map { $0.attributes["name"] ?? "" }
        #expect(cases.count == 5 + FindingID.allCases.count)
        #expect(Array(cases.prefix(5)) == ["verdict", "upload running", "device actions", "devices", "every input read"])
        #expect(elements.filter { $0.name == "failure" }.map { $0.attributes["message"] ?? "" }
                == ["failing", "upload-unauthorized: Device upload rejected: 401 Unauthorized"])
        #expect(elements.filter { $0.name == "skipped" }.count == 2)
        #expect(elements.first { $0.name == "testsuites" }?.attributes["failures"] == "2")
    }

    static let xmllintRequired = ProcessInfo.processInfo.environment["CMLOGCHECK_REQUIRE_XMLLINT"] == "1"
    static let xmllint: String? = ["/usr/bin/xmllint", "/usr/local/bin/xmllint", "/bin/xmllint"]
        .first { FileManager.default.isExecutableFile(atPath: $0) }

    /// What `xmllint --noout` says of `xml`: nil when it is well-formed XML.
    static func xmllintProblem(_ xml: String, in directory: TemporaryDirectory, name: String) throws -> String? {
        let path = try directory.write(name + ".xml", xml)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: try #require(xmllint))
        process.arguments = ["--noout", path]
        let errors = Pipe()
        process.standardError = errors
        try process.run()
        let said = String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        return process.terminationStatus == 0 ? nil : "status \(process.terminationStatus): \(said)"
    }

    @Test("every sample's JUnit report and a hostile one are well-formed XML by xmllint",
          .enabled(if: JUnitFormatTests.xmllint != nil || JUnitFormatTests.xmllintRequired,
                   "xmllint not found: scripts/ensure-xmllint.sh installs it (scripts/test.sh runs it and requires it)"))
    func xmllintOnEverySample() throws {
        let directory = TemporaryDirectory()
        var checked = 0
        for scenario in SampleScenarioTests.scenarios {
            let expected = try SampleScenarioTests.expected(scenario)
            let arguments = [SampleScenarioTests.root.appendingPathComponent(scenario).path] + SampleScenarioTests.arguments(scenario, expected)
            let xml = runCLI(["review", "--format", "junit"] + arguments).standardOutput
            #expect(xml.contains("<testsuites"), "\(scenario): no JUnit document")
            #expect(try Self.xmllintProblem(xml, in: directory, name: scenario) == nil, "\(scenario)")
            checked += 1
        }
        let hostile = try directory.write("CMGatewaySyncUploadWorker.log",
                                          cmtrace("[WebException]: Failed to upload: <script>alert(1)</script> & ]]> \u{1}\u{1B}[31m \u{FFFE}", type: "3") + "\n")
        #expect(try Self.xmllintProblem(runCLI(["review", "--format", "junit", hostile]).standardOutput, in: directory, name: "hostile") == nil)
        #expect(checked == SampleScenarioTests.scenarios.count && checked > 20)
    }

    @Test("log text with markup and controls stays text in well-formed XML")
    func hostileText() throws {
        let dir = TemporaryDirectory()
        let message = "[WebException]: Failed to upload: <script>alert(1)</script> & ]]> \u{1}\u{1B}[31m"
        let path = try dir.write("CMGatewaySyncUploadWorker.log", cmtrace(message, type: "3") + "\n")
        let xml = runCLI(["review", "--format", "junit", path]).standardOutput
        let elements = try parse(xml)
        #expect(!elements.contains { $0.name == "script" })
        #expect(xml.contains("&lt;script&gt;"))
    }
}


@Suite("section headings name the report's clock")
struct ClockHeadingTests {
    @Test("a log without a bias: the device actions are on the server's local time, and the heading says so")
    func actionsOnLocalClock() {
        let text = runCLI(["review", "SampleLogs/real-notification"]).standardOutput
        #expect(text.contains("Device actions (times server local time, zone unknown: pass --tz)"))
        #expect(!text.contains("Device actions (times UTC)"))
    }
}

}
