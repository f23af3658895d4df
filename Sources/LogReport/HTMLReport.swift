import LogInput
import LogRules
import LogAnalysis
import LogFindings
/// `review --format html` (docs/html.md): one self-contained page, a view of the
/// same `Report` the text and JSON reports are written from. The verdict and the
/// answer first (the text report's own sentences), then the upload timeline as an
/// inline SVG, the findings with what to do and their evidence, the device actions
/// as a chain of steps each, the devices and the inputs; several servers get a
/// section each. Nothing is judged here.
///
/// The page loads nothing: no script, style sheet, font or image from anywhere, and
/// its Content-Security-Policy forbids it to (`default-src 'none'`: no script at
/// all, only the page's own `<style>` and `data:` images). Every text that comes
/// from a log or a file goes through `HTML.escape`.
package enum HTMLReport {
    package static let contentSecurityPolicy = "default-src 'none'; style-src 'unsafe-inline'; img-src data:"

    /// `time`: `--time`, the clock the page shows its times on (nil: `TimeChoice.standard`).
    package static func write(_ reports: ServerReports, settings: AnalysisSettings, time: TimeChoice? = nil, to out: Output) {
        out.write(page(reports, settings: settings, time: time))
    }

    package static func page(_ reports: ServerReports, settings: AnalysisSettings, time: TimeChoice? = nil) -> String {
        var body: [String] = []
        if reports.isSeveral {
            body += overview(reports)
            for (index, server) in reports.servers.enumerated() {
                let name = server.name ?? "-"
                let id = "server-\(index + 1)"
                body.append("<section class=\"server\" id=\"\(id)\">")
                body.append("<h1 class=\"server-name\">Server <span class=\"name\">\(HTML.escape(name))</span></h1>")
                body += report(server.report, settings: settings, ruleLimitHits: server.ruleLimitHits, window: reports.window, prefix: id + "-", time: time)
                body.append("</section>")
            }
        } else if let only = reports.servers.first {
            body.append("<h1>Tenant attach review</h1>")
            body += report(only.report, settings: settings, ruleLimitHits: only.ruleLimitHits, window: reports.window, prefix: "", time: time)
        }
        let verdict = verdictWord(reports.verdict)
        return """
        <!DOCTYPE html>
        <html lang="en">
        <head>
        <meta charset="utf-8">
        <meta http-equiv="Content-Security-Policy" content="\(contentSecurityPolicy)">
        <meta name="viewport" content="width=device-width, initial-scale=1">
        <meta name="generator" content="cmlogcheck review --format html">
        <title>cmlogcheck review: \(verdict)</title>
        <style>\(style)</style>
        </head>
        <body>
        \(body.joined(separator: "\n"))
        <footer><p>Written by <code>cmlogcheck review --format html</code>: the same review as <code>--format json</code> (schema version \(Report.schemaVersion), docs/report-json.md). This page runs no script and loads nothing.</p></footer>
        </body>
        </html>

        """
    }

    // MARK: Several servers

    static func overview(_ reports: ServerReports) -> [String] {
        var lines = ["<header class=\"overview\">",
                     "<h1>Tenant attach review: \(reports.servers.count) servers, reviewed apart</h1>",
                     "<p class=\"verdict v-\(reports.verdict.rawValue)\">\(verdictWord(reports.verdict))</p>",
                     "<p>The worst server's verdict. Each server's logs have their own timeline and clock (docs/clocks.md).</p>",
                     "<table class=\"servers\"><thead><tr><th>server</th><th>verdict</th><th>summary</th></tr></thead><tbody>"]
        for (index, server) in reports.servers.enumerated() {
            lines.append("<tr><td><a href=\"#server-\(index + 1)\">\(HTML.escape(server.name ?? "-"))</a></td>"
                         + "<td><span class=\"badge v-\(server.report.verdict.rawValue)\">\(verdictWord(server.report.verdict))</span></td>"
                         + "<td>\(HTML.escape(ServersReport.oneLine(server.report)))</td></tr>")
        }
        lines += ["</tbody></table>", "</header>"]
        return lines
    }

    // MARK: One report

    /// One server's report. `prefix` keeps element ids apart when several servers share the page.
    static func report(_ report: Report, settings: AnalysisSettings, ruleLimitHits: [RuleLimitHit], window: TimeWindow?, prefix: String,
                       time: TimeChoice? = nil) -> [String] {
        // Device and action words name times on the report's clock, as in the text report.
        Findings.$clock.withValue(report.clock) {
            var lines: [String] = []
            lines += headline(report, settings: settings, ruleLimitHits: ruleLimitHits, window: window, time: time)
            lines += timeline(report, prefix: prefix, time: time)
            lines += findings(report, prefix: prefix, time: time)
            lines += actions(report, time: time)
            lines += devices(report)
            lines += inputs(report, time: time)
            return lines
        }
    }

    /// The text report's sentences, without colour, on the page's clock.
    static func plain(_ time: TimeChoice?) -> TextReport { TextReport(style: Style(enabled: false), time: time) }

    static func verdictWord(_ verdict: Verdict) -> String {
        ServersReport.verdictWord(verdict, Style(enabled: false))
    }

    /// The verdict, the counts and span of the text report's headline, and its answer lines.
    static func headline(_ report: Report, settings: AnalysisSettings, ruleLimitHits: [RuleLimitHit], window: TimeWindow?,
                         time: TimeChoice? = nil) -> [String] {
        let plain = plain(time)
        var lines = ["<header class=\"answer\">",
                     "<p class=\"verdict v-\(report.verdict.rawValue)\">\(verdictWord(report.verdict))</p>"]
        // The text report's headline is `VERDICT  ·  counts  ·  span`: the verdict is shown above.
        let parts = (plain.headline(report).first ?? "").components(separatedBy: "  ·  ").dropFirst()
        if !parts.isEmpty { lines.append("<p class=\"counts\">\(parts.map { HTML.escape($0) }.joined(separator: " · "))</p>") }
        if let window { lines.append("<p class=\"window\">\(HTML.escape(WindowReport.line(window, report: report)))</p>") }
        if let note = ShownTimes(report, asked: time).fallbackNote { lines.append("<p class=\"clock-note\">\(HTML.escape(note))</p>") }
        lines.append("<ul class=\"answer-lines\">")
        for line in plain.answer(report, settings: settings) where !line.isEmpty {
            // The answer's marks: ✗ an error, ! a warning, ✓ nothing wrong.
            let kind = line.hasPrefix("✗") ? " class=\"error\"" : line.hasPrefix("! ") ? " class=\"warning\"" : line.hasPrefix("✓") ? " class=\"ok\"" : ""
            lines.append("<li\(kind)>\(HTML.escape(line))</li>")
        }
        lines.append("</ul>")
        for line in plain.limits(ruleLimitHits) where !line.isEmpty {
            lines.append("<p class=\"limits\">\(HTML.escape(line))</p>")
        }
        lines.append("</header>")
        return lines
    }

    static func timeline(_ report: Report, prefix: String, time: TimeChoice? = nil) -> [String] {
        let sync = report.sync
        guard !sync.cycles.isEmpty else { return [] }
        let times = ShownTimes(report, asked: time)
        let svg = SVGTimeline(report: report, times: times)
        var lines = ["<section class=\"timeline\" id=\"\(prefix)timeline\">",
                     "<h2>Upload timeline <small>(times \(HTML.escape(times.tableClock)))</small></h2>",
                     svg.render()]
        let swatches: [(String, String, String)] = [
            (SVGTimeline.okColour, "bar", "records uploaded by a cycle that ran on time"),
            (SVGTimeline.lateColour, "bar", "late cycle: started more than the grace after the run announced for it"),
            (SVGTimeline.failedColour, "bar", "failed cycle (an error inside it)"),
            (SVGTimeline.missedColour, "diamond", "missed run: announced, and no cycle within an upload interval"),
            (SVGTimeline.stallColour, "band", "stall: the last announced run had not come at the evaluation time"),
        ]
        lines.append("<ul class=\"legend\">")
        for (colour, shape, text) in swatches {
            lines.append("<li><span class=\"swatch \(shape)\" style=\"background:\(colour)\"></span>\(HTML.escape(text))</li>")
        }
        lines.append("</ul>")
        var note = "Hover a bar for its cycle's details."
        if svg.bucketed {
            note = "\(sync.cycles.count) cycles, drawn in \(svg.columns.count) columns of equal time: each column is as tall as its largest cycle and coloured by its worst; a column with a failed or late cycle keeps its mark. Hover a column for its counts."
        }
        lines.append("<p class=\"note\">\(HTML.escape(note))</p>")
        lines += notOkCycles(report, times: times.localOnly)
        lines.append("</section>")
        return lines
    }

    /// The failed and late cycles as a table (the bars show them; this lists their times and lines).
    static let notOkLimit = 200

    static func notOkCycles(_ report: Report, times: ShownTimes) -> [String] {
        let notOk = report.sync.cycles.failed + report.sync.cycles.late
        guard notOk > 0 else { return [] }
        // The first `notOkLimit` of them, walking the cycles once (they may be in a spool file).
        var cycles: [(offset: Int, element: UploadCycle)] = []
        for (index, cycle) in report.sync.cycles.enumerated() where cycle.status != .ok {
            cycles.append((index, cycle))
            if cycles.count == notOkLimit { break }
        }
        var lines = ["<details class=\"cycles\"\(notOk <= 20 ? " open" : "")><summary>\(notOk) cycle\(notOk == 1 ? "" : "s") not ok</summary>",
                     "<table><thead><tr><th>#</th><th>start</th><th>kind</th><th>records</th><th>due</th><th>delay</th><th>status</th><th>line</th></tr></thead><tbody>"]
        for (index, cycle) in cycles.prefix(notOkLimit) {
            let cells = [String(index + 1),
                         cycle.start.map { times.cell($0, seconds: true) } ?? "?",
                         cycle.kind.rawValue,
                         String(cycle.records),
                         cycle.dueAt.map { times.cell($0, seconds: true) } ?? "-",
                         cycle.delaySeconds.map { describe(seconds: $0) } ?? "-"]
            var row = "<tr>" + cells.map { "<td>\(HTML.escape($0))</td>" }.joined()
            row += "<td><span class=\"badge c-\(cycle.status.rawValue)\">\(cycle.status.rawValue)</span>"
            if let failure = cycle.failures.first { row += " <span class=\"failure\">\(HTML.escape(failure.text, limit: 300))</span>" }
            row += "</td><td><code>\(HTML.escape(cycle.firstEvidence.input)):\(cycle.firstEvidence.line)</code></td></tr>"
            lines.append(row)
        }
        lines.append("</tbody></table>")
        if notOk > notOkLimit { lines.append("<p class=\"note\">\(notOk - notOkLimit) more not shown: the JSON report lists every cycle.</p>") }
        lines.append("</details>")
        return lines
    }

    static func findings(_ report: Report, prefix: String, time: TimeChoice? = nil) -> [String] {
        guard !report.findings.isEmpty else { return [] }
        let times = ShownTimes(report, asked: time)
        var lines = ["<section class=\"findings\" id=\"\(prefix)findings\">", "<h2>Findings</h2>"]
        for (index, finding) in report.findings.enumerated() {
            let severity = finding.severity.name
            lines.append("<article class=\"finding s-\(severity)\" id=\"\(prefix)finding-\(index + 1)\" data-finding=\"\(HTML.escape(finding.id.rawValue))\">")
            lines.append("<h3><span class=\"badge s-\(severity)\">\(severity.uppercased())</span> <code class=\"id\">\(HTML.escape(finding.id.rawValue))</code> \(HTML.escape(finding.title))</h3>")
            lines.append("<p class=\"detail\">\(HTML.escape(finding.detail))</p>")
            lines.append("<p class=\"remediation\"><strong>What to do:</strong> \(HTML.escape(finding.remediation))</p>")
            if finding.count > 1 || finding.first != nil {
                var seen = "Seen \(finding.count) time\(finding.count == 1 ? "" : "s")"
                if let first = finding.first { seen += ", first at \(times.point(first, seconds: true))" }
                if let last = finding.last, last != finding.first { seen += ", last at \(times.point(last, seconds: true))" }
                lines.append("<p class=\"seen\">\(HTML.escape(seen)).</p>")
            }
            lines += evidence(finding.evidence, more: finding.count - finding.evidence.count)
            lines.append("</article>")
        }
        lines.append("</section>")
        return lines
    }

    /// Evidence lines as `file:line` and the text; `more` counted when not all are shown.
    static func evidence(_ items: [Evidence], more: Int = 0) -> [String] {
        guard !items.isEmpty else { return [] }
        var lines = ["<ol class=\"evidence\">"]
        for item in items {
            lines.append("<li><code class=\"where\">\(HTML.escape(item.input)):\(item.line)</code><pre>\(HTML.escape(item.text, limit: 4000))</pre></li>")
        }
        lines.append("</ol>")
        if more > 0 { lines.append("<p class=\"note\">(\(more) more)</p>") }
        return lines
    }

    // MARK: Device actions

    static func actions(_ report: Report, time: TimeChoice? = nil) -> [String] {
        let actions = report.actions
        guard !actions.isEmpty else { return [] }
        let times = ShownTimes(report, asked: time).localOnly
        var lines = ["<section class=\"actions\" id=\"actions\">",
                     "<h2>Device actions <small>(times \(HTML.escape(times.tableClock)))</small></h2>"]
        for line in ActionsText.answer(report, style: Style(enabled: false)) { lines.append("<p>\(HTML.escape(line))</p>") }
        for action in actions {
            lines += chain(action, report: report, times: times)
        }
        lines.append("</section>")
        return lines
    }

    /// One action as the steps it passes: received, authorized, forwarded, pushed,
    /// received by a client, answered. A step the logs do not show is listed as not seen.
    static func chain(_ action: DeviceAction, report: Report, times: ShownTimes) -> [String] {
        let clock = report.clock
        let coverage = report.actionCoverage
        func when(_ instant: Instant?) -> String { instant.map { times.cell($0, seconds: true) } ?? "" }
        struct Step { var name: String; var at: Instant?; var seen: Bool; var text: String; var bad = false }
        var steps: [Step] = []
        var received = "by the service connection point"
        if let user = action.aadUserId { received += ", user \(user)" }
        if let tenant = action.tenantId { received += ", tenant \(tenant)" }
        steps.append(Step(name: "received", at: action.received, seen: action.received != nil, text: received))
        if action.validatedAt != nil { steps.append(Step(name: "validated", at: action.validatedAt, seen: true, text: "message content validated")) }
        switch action.authorized {
        case true?: steps.append(Step(name: "authorized", at: action.decidedAt, seen: true, text: "the user may run the action"))
        case false?: steps.append(Step(name: "unauthorized", at: action.decidedAt, seen: true, text: "Configuration Manager refused the user", bad: true))
        case nil: steps.append(Step(name: "authorized", at: nil, seen: false, text: "no authorization line"))
        }
        if action.authorized != false {
            var forwarded = "to the management point"
            if let id = action.templateId { forwarded += ", TemplateID \(id)" }
            steps.append(Step(name: "forwarded", at: action.forwardedAt, seen: action.forwardedAt != nil,
                              text: action.forwardedAt != nil ? forwarded : "no 'Forwarded BGB remote task' line", bad: action.outcome == .notForwarded))
            var pushed = "by the management point"
            if let clients = action.pushedClients { pushed += " to \(clients) client\(clients == 1 ? "" : "s")" }
            if let id = action.pushId { pushed += ", PushID \(id)" }
            if let id = action.taskId { pushed += ", TaskID \(id)" }
            if let finished = action.pushFinishedAt {
                pushed += "; finished at \(when(finished))" + (action.pushFinishedClients.map { " (\($0) clients)" } ?? "")
            }
            if let failed = action.failedClients, failed > 0 { pushed += "; \(failed) of \(action.reportedClients ?? 0) clients failed" }
            let notPushed = coverage.bgbGiven ? "BgbServer.log holds no push for it" : "BgbServer.log not given"
            steps.append(Step(name: "pushed", at: action.pushedAt, seen: action.pushedAt != nil, text: action.pushedAt != nil ? pushed : notPushed,
                              bad: action.outcome == .notDelivered))
            if action.clients.isEmpty {
                steps.append(Step(name: "at the client", at: nil, seen: false, text: coverage.clientGiven ? "no given client log shows it" : "no client log given"))
            }
            for receipt in action.clients {
                var text = "by \(receipt.input)"
                if let id = receipt.pushId { text += ", PushID \(id)" }
                steps.append(Step(name: "at the client", at: receipt.receivedAt, seen: true, text: text))
                if receipt.respondedAt != nil || receipt.returnCode != nil {
                    var answered = "task response sent"
                    if let code = receipt.returnCode { answered += ", return code \(code)" }
                    if let match = receipt.matchedBy { answered += " (matched by \(match.rawValue))" }
                    steps.append(Step(name: "answered", at: receipt.respondedAt, seen: true, text: answered))
                } else {
                    steps.append(Step(name: "answered", at: nil, seen: false, text: "no task response in \(receipt.input)"))
                }
            }
        }

        var lines = ["<article class=\"action o-\(action.outcome.rawValue)\">",
                     "<h3>\(HTML.escape(action.templateName ?? "?")) <span class=\"badge o-\(action.outcome.rawValue)\">\(action.outcome.rawValue)</span> <small>\(HTML.escape(ActionsText.kindText(action)))</small></h3>"]
        if let guid = action.taskGuid { lines.append("<p class=\"task\">TaskGuid <code>\(HTML.escape(guid))</code></p>") }
        if let reason = action.reason { lines.append("<p class=\"reason\">\(HTML.escape(reason.sentence(on: clock)))</p>") }
        if !action.timesComparable { lines.append("<p class=\"note\">Its logs are on different clocks: the times are not compared across them (docs/clocks.md).</p>") }
        lines.append("<ol class=\"chain\">")
        var previous: Instant?
        for step in steps {
            var after = ""
            if let at = step.at, let before = previous, action.timesComparable {
                after = " <span class=\"after\">+\(HTML.escape(describe(seconds: at.seconds(since: before))))</span>"
            }
            if let at = step.at { previous = at }
            let state = step.bad ? "bad" : step.seen ? "seen" : "unseen"
            lines.append("<li class=\"\(state)\"><span class=\"step\">\(HTML.escape(step.name))</span> <time>\(HTML.escape(when(step.at)))</time>\(after) <span class=\"what\">\(HTML.escape(step.text))</span></li>")
        }
        lines.append("</ol>")
        if !action.evidence.isEmpty {
            lines.append("<details><summary>\(action.evidence.count) line\(action.evidence.count == 1 ? "" : "s")</summary>")
            lines += evidence(action.evidence)
            lines.append("</details>")
        }
        lines.append("</article>")
        return lines
    }

    // MARK: Devices

    static func devices(_ report: Report) -> [String] {
        guard report.deviceCheck != nil || !report.devices.isEmpty else { return [] }
        var lines = ["<section class=\"devices\" id=\"devices\">", "<h2>Devices</h2>"]
        if let check = report.deviceCheck {
            for line in DevicesText.summary(check) { lines.append("<p>\(HTML.escape(line))</p>") }
        }
        if !report.devices.isEmpty {
            lines.append("<table class=\"devices\"><thead><tr><th>device</th><th>resource ID</th><th>reason</th><th>state</th><th>check</th><th>why</th></tr></thead><tbody>")
            for device in report.devices {
                var state = device.state.rawValue
                if device.state == .dropped { state += " " + (device.droppedAt.map { TimeText.toMinute($0, on: report.clock, labelled: false) } ?? "(time not in the logs)") }
                var check = device.check.rawValue
                if let listed = device.inCloudExport { check += listed ? ", in cloud export" : ", not in cloud export" }
                var why = HTML.escape(device.why)
                for line in device.confirmations { why += "<br><span class=\"ok\">✓ \(HTML.escape(line.text))</span>" }
                for line in device.contradictions { why += "<br><span class=\"bad\">✗ \(HTML.escape(line.text))</span>" }
                let cells = [HTML.escape(device.name), HTML.escape(device.resourceId ?? "-"), HTML.escape(device.reason),
                             "<span class=\"badge d-\(HTML.token(device.state.rawValue))\">\(HTML.escape(state))</span>", HTML.escape(check), why]
                lines.append("<tr>" + cells.map { "<td>\($0)</td>" }.joined() + "</tr>")
            }
            lines.append("</tbody></table>")
        }
        if report.deviceCheck != nil {
            lines.append("<p>Causes no log shows, to check in the consoles for a device still missing (Microsoft documents them):</p><ul class=\"causes\">")
            for cause in UnloggedDeviceCause.all { lines.append("<li>\(HTML.escape(cause.check)) <small>[\(HTML.escape(cause.tag))]</small></li>") }
            lines.append("</ul>")
        }
        lines.append("</section>")
        return lines
    }

    // MARK: Inputs

    static func inputs(_ report: Report, time: TimeChoice? = nil) -> [String] {
        guard !report.inputs.isEmpty else { return [] }
        var lines = ["<section class=\"inputs\" id=\"inputs\">", "<h2>Inputs</h2>",
                     "<table><thead><tr><th>input</th><th>log</th><th>format</th><th>encoding</th><th>records</th><th>recognised</th><th>unrecognised lines</th><th>cut off</th><th>first → last</th></tr></thead><tbody>"]
        for input in report.inputs {
            let summary = input.summary
            var span = "-"
            if let first = summary.first, let last = summary.last, let clock = summary.clock {
                // Each input at its own writer's offset, labelled (a management point may be in another zone).
                let own = ShownTimes(clock: clock, biases: summary.biases, asked: time).localOnly
                span = "\(own.cell(first)) → \(own.cell(last)) \(own.label(at: last))"
            }
            let cells = [summary.name, summary.kind == .unknown ? "unknown log" : summary.kind.rawValue, summary.format?.rawValue ?? "-",
                         summary.encoding?.rawValue ?? "-", String(summary.records), String(input.events),
                         String(summary.unrecognizedLines), String(summary.incompleteRecords), span]
            lines.append("<tr>" + cells.map { "<td>\(HTML.escape($0))</td>" }.joined() + "</tr>")
        }
        lines += ["</tbody></table>"]
        if !report.otherClockInputs.isEmpty {
            lines.append("<p class=\"note\">\(HTML.escape("On another clock, not compared with the rest: " + report.otherClockInputs.joined(separator: ", ") + "."))</p>")
        }
        lines.append("</section>")
        return lines
    }

    // MARK: Style

    /// The page's only style sheet, inline (the Content-Security-Policy allows no other).
    static let style = """
    :root{color-scheme:light}
    body{font:14px/1.45 system-ui,-apple-system,"Segoe UI",sans-serif;margin:0 auto;padding:16px 24px;max-width:1200px;color:#1d1d1d;background:#fff}
    h1{font-size:20px;margin:16px 0 8px}h2{font-size:17px;margin:24px 0 8px;border-bottom:1px solid #ddd;padding-bottom:4px}h3{font-size:15px;margin:12px 0 4px}
    small{color:#555;font-weight:normal}
    code,pre{font:12px/1.4 ui-monospace,"DejaVu Sans Mono",Menlo,Consolas,monospace}
    pre{white-space:pre-wrap;overflow-wrap:anywhere;margin:2px 0 6px;padding:4px 6px;background:#f5f5f5;border-radius:3px}
    /* Before the colour classes: a badge takes its colour from them (v-, s-, c-, o-). */
    .badge{display:inline-block;font-size:11px;font-weight:bold;padding:1px 6px;border-radius:3px;background:#888;color:#fff;vertical-align:1px}
    .verdict{display:inline-block;font-size:22px;font-weight:bold;padding:4px 14px;border-radius:4px;margin:8px 0;color:#fff;background:#666}
    .v-failing{background:#c62828;color:#fff}.v-degraded{background:#e08a00;color:#fff}.v-healthy{background:#2e7d32;color:#fff}.v-no-data{background:#666;color:#fff}
    .answer-lines{list-style:none;padding:0;margin:6px 0}.answer-lines li{margin:2px 0}
    li.error{color:#b71c1c}li.warning{color:#8a5300}li.ok{color:#1b5e20}
    .s-error,.c-failed,.o-unauthorized{background:#c62828}.s-warning,.c-late,.o-not-forwarded,.o-not-delivered{background:#e08a00}.s-info{background:#607d8b}
    .d-dropped{background:#c62828}.d-at-risk{background:#e08a00}
    .o-completed{background:#2e7d32}.o-pushed,.o-forwarded,.o-pending{background:#607d8b}
    article.finding,article.action{border-left:4px solid #999;padding:2px 12px;margin:12px 0;background:#fff}
    article.s-error,article.o-unauthorized{border-color:#c62828}article.s-warning,article.o-not-forwarded,article.o-not-delivered{border-color:#e08a00}article.o-completed{border-color:#2e7d32}
    article.finding,article.action{background:none}
    .evidence{padding-left:20px}.evidence .where{color:#333}
    svg.timeline{width:100%;height:auto;max-width:1100px;display:block;background:#fcfcfc;border:1px solid #e3e3e3}
    svg.timeline g.cycle:hover rect{stroke:#000;stroke-width:0.5}
    .legend{list-style:none;padding:0;display:flex;flex-wrap:wrap;gap:4px 18px;margin:6px 0}
    .swatch{display:inline-block;width:12px;height:12px;margin-right:6px;vertical-align:-1px}.swatch.diamond{transform:rotate(45deg) scale(.8)}.swatch.band{opacity:.45;border:1px dashed #333}
    .note{color:#555;font-size:13px}
    table{border-collapse:collapse;margin:6px 0;font-size:13px}th,td{border:1px solid #ddd;padding:3px 6px;text-align:left;vertical-align:top}th{background:#f3f3f3}
    td{overflow-wrap:break-word}
    ol.chain{list-style:none;padding:0;margin:6px 0;border-left:2px solid #bbb}
    ol.chain li{position:relative;padding:2px 0 2px 16px}
    ol.chain li::before{content:"";position:absolute;left:-6px;top:8px;width:10px;height:10px;border-radius:50%;background:#2e7d32}
    ol.chain li.unseen{color:#777}ol.chain li.unseen::before{background:#fff;border:2px solid #aaa;width:6px;height:6px}
    ol.chain li.bad::before{background:#c62828}ol.chain li.bad .step{color:#b71c1c}
    .step{font-weight:bold;display:inline-block;min-width:7em}time{font-variant-numeric:tabular-nums}.after{color:#555;font-size:12px}
    .ok{color:#1b5e20}.bad{color:#b71c1c}
    footer{margin-top:32px;border-top:1px solid #ddd;color:#555;font-size:12px}
    section.server{border-top:3px solid #333;margin-top:28px}
    @media print{svg.timeline{max-width:100%}details{display:block}}
    """
}
