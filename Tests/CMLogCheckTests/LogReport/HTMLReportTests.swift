import Foundation
import Testing
@testable import CMLogCheckCLI
@testable import LogInput
@testable import LogRules
@testable import LogAnalysis
@testable import LogFindings
@testable import LogReport

/// `review --format html` (docs/html.md): the escaping, the page's contents for the
/// samples, the timeline's columns, and a hostile log that must stay text.
@Suite("the HTML report") struct HTMLReportTests {
    // MARK: Escaping

    @Test("the five characters that end text or an attribute become character references")
    func escapesMarkup() {
        #expect(HTML.escape("a & b") == "a &amp; b")
        #expect(HTML.escape("<script>alert(1)</script>") == "&lt;script&gt;alert(1)&lt;/script&gt;")
        #expect(HTML.escape("x=\"1\" y='2'") == "x=&quot;1&quot; y=&#39;2&#39;")
        // Already-escaped text is escaped again: the page shows what the log holds.
        #expect(HTML.escape("&lt;") == "&amp;lt;")
        #expect(HTML.escape("plain text, ünïcödé ✓") == "plain text, ünïcödé ✓")
    }

    @Test("control characters show as escapes; tab and line feed stay, a carriage return goes")
    func neutralisesControls() {
        #expect(HTML.escape("a\u{1B}[31mb") == "a\\x1B[31mb")
        #expect(HTML.escape("nul\u{0}del\u{7F}c1\u{85}") == "nul\\x00del\\x7Fc1\\x85")
        #expect(HTML.escape("one\r\ntwo\tthree") == "one\ntwo\tthree")
        #expect(HTML.escape("abc\u{202E}fed") == "abc\\u{202E}fed")
        #expect(HTML.escape("\u{2066}x\u{2069}") == "\\u{2066}x\\u{2069}")
        // Nothing the escaper writes holds a raw control character.
        let all = String(String.UnicodeScalarView((0..<0xA0).compactMap(Unicode.Scalar.init)))
        #expect(!HTML.escape(all).unicodeScalars.contains { ($0.value < 0x20 && $0 != "\n" && $0 != "\t") || (0x7F..<0xA0).contains($0.value) })
    }

    @Test("a limit cuts the text (counting characters, not escapes) and says so")
    func limits() {
        #expect(HTML.escape("<<<<", limit: 2) == "&lt;&lt;…")
        #expect(HTML.escape("abc", limit: 3) == "abc")
    }

    @Test("tokens for ids keep letters, digits, - and _ only")
    func tokens() {
        #expect(HTML.token("sync-late") == "sync-late")
        #expect(HTML.token("a\"b c<d>") == "a-b-c-d-")
        #expect(HTML.token("") == "-")
    }

    // MARK: The samples

    static func html(_ arguments: [String]) -> RunResult {
        runCLI(["review", "--format", "html", "--fail-on", "never"] + arguments)
    }

    /// The attribute values of `name="…"` in the page, in order.
    static func attributes(_ name: String, in page: String) -> [String] {
        var values: [String] = []
        var rest = page[...]
        let marker = " \(name)=\""
        while let start = rest.range(of: marker) {
            let after = rest[start.upperBound...]
            guard let end = after.firstIndex(of: "\"") else { break }
            values.append(String(after[..<end]))
            rest = after[end...]
        }
        return values
    }

    static func count(_ needle: String, in page: String) -> Int {
        page.components(separatedBy: needle).count - 1
    }

    @Test("each sample's page: the policy, no script, the verdict, the answer, every finding, the timeline", arguments: SampleScenarioTests.scenarios)
    func samplePage(_ scenario: String) throws {
        let expected = try SampleScenarioTests.expected(scenario)
        let arguments = [SampleScenarioTests.root.appendingPathComponent(scenario).path] + SampleScenarioTests.arguments(scenario, expected)
        let result = Self.html(arguments)
        #expect(result.status == 0, "\(result.standardError)")
        let page = result.standardOutput
        #expect(page.hasPrefix("<!DOCTYPE html>\n<html lang=\"en\">"))
        #expect(page.hasSuffix("</html>\n"))
        #expect(page.contains("<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'; img-src data:\">"))
        #expect(!page.lowercased().contains("<script"))
        // Nothing is fetched: no link, no external reference in src or href (the only hrefs are the page's own #anchors).
        #expect(!page.contains("<link"))
        #expect(Self.attributes("src", in: page).isEmpty)
        #expect(Self.attributes("href", in: page).allSatisfy { $0.hasPrefix("#") })

        // The verdict and the findings are the JSON report's.
        let json = try SampleScenarioTests.review(arguments)
        let summary = SampleScenarioTests.summary(json.report)
        #expect(summary.verdict == expected.verdict)
        let verdicts = Self.attributes("class", in: page).filter { $0.hasPrefix("verdict ") }
        #expect(verdicts.first == "verdict v-\(expected.verdict)")
        let shown = Self.attributes("data-finding", in: page)
        #expect(Set(shown) == Set(expected.findingIds))
        let servers = json.report["servers"] as? [[String: Any]] ?? [json.report]
        let findingCount = servers.reduce(0) { $0 + (($1["findings"] as? [Any])?.count ?? 0) }
        #expect(shown.count == findingCount)

        // One upload timeline per server with cycles, one column per cycle (the samples are short).
        let withCycles = servers.filter { !((($0["sync"] as? [String: Any])?["cycles"] as? [Any]) ?? []).isEmpty }.count
        #expect(Self.count("<svg class=\"timeline\"", in: page) == withCycles)
        #expect(Self.count("<g class=\"cycle ", in: page) == expected.cycles)

        // One server: the text report's answer lines, each escaped, are the page's answer.
        if expected.servers == nil {
            let text = runCLI(["review", "--color", "never", "--fail-on", "never"] + arguments).outputLines
            let answer = text.drop { $0.hasPrefix("Window:") || !$0.isEmpty }.dropFirst().prefix { !$0.isEmpty }
            #expect(!answer.isEmpty)
            for line in answer {
                #expect(page.contains(">\(HTML.escape(line))</li>"), "answer line not on the page: \(line)")
            }
        } else {
            #expect(Self.count("<section class=\"server\"", in: page) == expected.servers?.count)
        }
    }

    @Test("a failing sample names its cycles' failures and marks them in the failed row")
    func failedCyclesMarked() throws {
        let folder = SampleScenarioTests.root.appendingPathComponent("network-failure").path
        let page = Self.html([folder]).standardOutput
        let json = try SampleScenarioTests.review([folder])
        let cycles = (json.report["sync"] as? [String: Any])?["cycles"] as? [[String: Any]] ?? []
        let failed = cycles.filter { $0["status"] as? String == "failed" }.count
        #expect(failed > 0)
        #expect(Self.count("<rect class=\"mark-failed\"", in: page) == failed)
        #expect(Self.count("<g class=\"cycle failed\"", in: page) == failed)
        #expect(page.contains("<title>Cycle "))
        #expect(page.contains("failure at "))
    }

    @Test("a stalled sample draws the stall and its missed run")
    func stallDrawn() {
        let page = Self.html([SampleScenarioTests.root.appendingPathComponent("real-upload-stalled").path]).standardOutput
        #expect(Self.count("<g class=\"stall\">", in: page) == 1)
        #expect(Self.count("<g class=\"missed\">", in: page) == 1)
        // A local-clock log: the axis says so, and no time on the page is called UTC.
        #expect(page.contains("time (server local time, zone unknown)"))
        #expect(!page.contains(" UTC"))
    }

    @Test("device actions are a chain of steps each")
    func actionChains() throws {
        let folder = SampleScenarioTests.root.appendingPathComponent("action-interleaved").path
        let page = Self.html([folder]).standardOutput
        let json = try SampleScenarioTests.review([folder])
        let actions = json.report["actions"] as? [[String: Any]] ?? []
        #expect(Self.count("<ol class=\"chain\">", in: page) == actions.count)
        for action in actions {
            let outcome = try #require(action["outcome"] as? String)
            #expect(page.contains("<span class=\"badge o-\(outcome)\">\(outcome)</span>"))
            if let guid = action["taskGuid"] as? String { #expect(page.contains("<code>\(guid)</code>")) }
        }
        #expect(page.contains("<span class=\"step\">answered</span>"))
    }

    // MARK: Hostile text

    static let script = "<script>alert(1)</script>"
    static let image = "<img src=x onerror=alert(1)>"

    /// An upload log whose failing cycle, unexplained error and folder name hold markup.
    static func hostileLog(in directory: TemporaryDirectory) throws -> String {
        let lines = [
            cmtrace("Batching 12 records", time: "16:20:31.497+480"),
            cmtrace("[WebException]: Failed to upload data to 'https://x.example/\(script)'", time: "16:20:32.000+480", type: "3"),
            cmtrace("Exception details:\n[Warning][CMGatewaySyncUploadWorker][0][System.Net.WebException][0x80131509]\nThe remote name could not be resolved: '\(image)'", time: "16:20:32.100+480", type: "3"),
            cmtrace("Next run time will be at approximately: 02/28/2020 16:35:33", time: "16:20:33.000+480"),
            cmtrace("Batching 3 records", time: "16:35:33.497+480"),
            cmtrace("Something broke: \(script) \(image) \u{1B}[31m\"quoted\" 'single' & more", time: "16:35:34.000+480", type: "3"),
            cmtrace("Next run time will be at approximately: 02/28/2020 16:50:34", time: "16:35:35.000+480"),
        ]
        return try directory.write("srv\"<b>'&x/CMGatewaySyncUploadWorker.log", lines.joined(separator: "\n") + "\n")
    }

    @Test("markup in a log message or a file name reaches the page as text only")
    func hostileTextEscaped() throws {
        let directory = TemporaryDirectory()
        let path = try Self.hostileLog(in: directory)
        let result = Self.html([path])
        #expect(result.status == 0, "\(result.standardError)")
        let page = result.standardOutput
        #expect(!page.lowercased().contains("<script"))
        #expect(!page.lowercased().contains("<img"))
        #expect(!page.contains("<b>"))
        #expect(!page.contains("\u{1B}"))
        #expect(page.contains(HTML.escape(Self.script)))
        #expect(page.contains(HTML.escape(Self.image)))
        #expect(page.contains("srv&quot;&lt;b&gt;&#39;&amp;x"))
        // The failing cycle's hover title carries the failure's text, escaped like the rest.
        let titles = page.components(separatedBy: "<title>").dropFirst().map { $0.prefix { $0 != "<" } }
        #expect(titles.contains { $0.contains("&lt;script&gt;") })
    }

    // MARK: The timeline's columns

    /// `count` cycles every 15 minutes from 2020-01-01, some failed and late.
    /// `adjust` changes a cycle before it is added (the cycles are a spool: added once, never edited).
    static func longReport(cycles count: Int, failedEvery: Int, lateEvery: Int,
                           adjust: (Int, inout UploadCycle) -> Void = { _, _ in }) -> Report {
        var report = Report()
        let start = Given.time("2020-01-01T00:00:00Z")
        report.sync.cycles = CycleLog((0..<count).map { index in
            let at = start.adding(seconds: Double(index) * 900)
            var cycle = UploadCycle(opening: Event(type: .uploadBatch, rule: "test", provenance: .documented, input: 0, inputName: Given.upload, log: .syncUpload,
                                                   line: index * 6 + 1, endLine: index * 6 + 1, time: at, timestamp: nil, thread: nil,
                                                   severity: .info, fields: [:], text: "Batching \(index % 50) records"))
            cycle.end = at.adding(seconds: 30)
            cycle.batches = [index % 50]
            cycle.kind = .delta
            if index % failedEvery == 7 { cycle.status = .failed }
            else if index % lateEvery == 3 { cycle.status = .late }
            adjust(index, &cycle)
            return cycle
        })
        report.windowStart = start
        report.windowEnd = start.adding(seconds: Double(count) * 900)
        return report
    }

    @Test("months of cycles go into at most 400 columns and no failed or late cycle loses its mark")
    func bucketsKeepMarks() throws {
        let report = Self.longReport(cycles: 17_280, failedEvery: 997, lateEvery: 1_301)  // 180 days
        let timeline = SVGTimeline(report: report)
        #expect(timeline.bucketed)
        #expect(timeline.columns.count <= SVGTimeline.maxColumns)
        #expect(timeline.columns.count > SVGTimeline.maxColumns - 5)
        let cycles = report.sync.cycles
        // Every cycle is in exactly one column, in order.
        #expect(timeline.columns.map(\.cycles.count).reduce(0, +) == cycles.count)
        for (a, b) in zip(timeline.columns, timeline.columns.dropFirst()) { #expect(a.cycles.upperBound == b.cycles.lowerBound) }
        let failed = cycles.filter { $0.status == .failed }.count
        let late = cycles.filter { $0.status == .late }.count
        #expect(timeline.columns.map(\.failed).reduce(0, +) == failed)
        #expect(timeline.columns.map(\.late).reduce(0, +) == late)
        let svg = timeline.render()
        #expect(Self.count("<rect class=\"mark-failed\"", in: svg) == timeline.columns.filter { $0.failed > 0 }.count)
        #expect(Self.count("<rect class=\"mark-late\"", in: svg) == timeline.columns.filter { $0.late > 0 }.count)
        #expect(Self.count("<g class=\"cycle ", in: svg) == timeline.columns.count)
        // A column's title says what it holds.
        let column = try #require(timeline.columns.first { $0.failed > 0 })
        #expect(timeline.title(column).contains("\(column.cycles.count) cycles"))
        #expect(timeline.title(column).contains("\(column.failed) failed"))
        // The axis is in days over half a year, each tick a date.
        let ticks = timeline.ticks()
        #expect((2...12).contains(ticks.count))
        #expect(ticks.allSatisfy { $0.label.count == 10 })
    }

    @Test("times that go back never make more than 400 columns")
    func timesGoingBack() {
        // Every other cycle a month earlier: the times zigzag across the window.
        let report = Self.longReport(cycles: 5_000, failedEvery: 100, lateEvery: 100) { index, cycle in
            if index % 2 == 1 { cycle.start = cycle.start?.adding(seconds: -30 * 86400) }
        }
        let timeline = SVGTimeline(report: report)
        #expect(timeline.columns.count <= SVGTimeline.maxColumns)
        #expect(timeline.columns.map(\.cycles.count).reduce(0, +) == 5_000)
        #expect(timeline.columns.map(\.failed).reduce(0, +) == report.sync.cycles.filter { $0.status == .failed }.count)
    }

    @Test("up to 400 cycles, one column each, placed in time order")
    func oneColumnPerCycle() {
        let report = Self.longReport(cycles: 400, failedEvery: 50, lateEvery: 60)
        let timeline = SVGTimeline(report: report)
        #expect(!timeline.bucketed)
        #expect(timeline.columns.count == 400)
        #expect(zip(timeline.columns, timeline.columns.dropFirst()).allSatisfy { $0.position < $1.position })
        #expect(timeline.columns.allSatisfy { $0.cycles.count == 1 })
    }

    @Test("cycles without times are drawn in log order and the axis says so")
    func untimedCycles() {
        let report = Self.longReport(cycles: 5, failedEvery: 100, lateEvery: 100) { _, cycle in cycle.start = nil }
        let timeline = SVGTimeline(report: report)
        #expect(!timeline.timed)
        #expect(timeline.columns.count == 5)
        #expect(timeline.render().contains("cycles in log order"))
    }

    @Test("coordinates are written with one decimal and no locale")
    func coordinates() {
        #expect(String(format1: 12) == "12")
        #expect(String(format1: 12.25) == "12.3")
        #expect(String(format1: -0.5) == "-0.5")
        #expect(String(format1: -12.5) == "-12.5")
    }
}
