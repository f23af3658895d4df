import LogInput
import LogRules
import LogAnalysis
import LogFindings
/// Reports for several servers: a one-line answer per server first, then
/// each server's full report under its name. One server's inputs give the
/// one-server report unchanged.
package enum ServersReport {
    package static func writeText(_ reports: ServerReports, text: TextReport, settings: AnalysisSettings, to out: Output) {
        guard reports.isSeveral else {
            if let only = reports.servers.first {
                text.write(only.report, settings: settings, ruleLimitHits: only.ruleLimitHits, window: reports.window,
                           unread: reports.unread, to: out)
            }
            return
        }
        let style = text.style
        text.emit(style.bold("\(reports.servers.count) servers, reviewed apart") + "  ·  worst verdict: " + verdictWord(reports.verdict, style), to: out)
        for line in TextReport.readingLines(reports.unread, style: style) { text.emit(line, to: out) }
        let width = reports.servers.map { ($0.name ?? "-").count }.max() ?? 1
        for server in reports.servers {
            let name = Terminal.clean(server.name ?? "-", limit: 60)
            text.emit("  " + name.rightPadded(to: min(width, 60)) + "  " + verdictWord(server.report.verdict, style) + "  " + oneLine(server.report), to: out)
        }
        for server in reports.servers {
            out.write("\n")
            text.emit(style.bold("== server \(Terminal.clean(server.name ?? "-", limit: 60)) =="), to: out)
            out.write("\n")
            text.write(server.report, settings: settings, ruleLimitHits: server.ruleLimitHits, window: reports.window, to: out)
        }
    }

    /// `14 cycles, 395 records, 2 late; findings: sync-late`.
    static func oneLine(_ report: Report) -> String {
        let cycles = report.sync.cycles
        let records = cycles.recordsUploaded + cycles.recordsInFailedCycles
        var parts = ["\(cycles.count) cycle\(cycles.count == 1 ? "" : "s")", "\(records) record\(records == 1 ? "" : "s") uploaded"]
        let late = cycles.late
        let failed = cycles.failed
        if failed > 0 { parts.append("\(failed) failed") }
        if late > 0 { parts.append("\(late) late") }
        let ids = Array(Set(report.findings.map(\.id))).sorted().map(\.rawValue)
        return parts.joined(separator: ", ") + (ids.isEmpty ? "" : "; findings: " + ids.joined(separator: ", "))
    }

    static func verdictWord(_ verdict: Verdict, _ style: Style) -> String {
        switch verdict {
        case .failing: style.bold(style.red("FAILING"))
        case .degraded: style.bold(style.yellow("DEGRADED"))
        case .healthy: style.bold(style.green("HEALTHY"))
        case .noData: style.bold("NO DATA")
        }
    }

    /// One server: the report as `ReportJSON` writes it. Several: `schemaVersion`, the worst
    /// `verdict`, and `servers`, each a full report with its `server` name first (docs/report-json.md).
    package static func json(_ reports: ServerReports) -> JSON {
        let reading = ReportJSON.reading(reports.unread)
        guard reports.isSeveral else {
            guard let only = reports.servers.first,
                  case .object(var fields) = ReportJSON.value(of: only.report, ruleLimitHits: only.ruleLimitHits, window: reports.window)
            else { return .null }
            // New keys go at the end of an object (docs/report-json.md): after `filter`, and
            // `tool` stays last, as in the several-servers shape.
            fields.removeAll { $0.0 == "tool" }
            fields += [("reading", reading), ("tool", ToolVersion.json)]
            return .object(fields)
        }
        let servers: [JSON] = reports.servers.map { server in
            guard case .object(let fields) = ReportJSON.value(of: server.report, ruleLimitHits: server.ruleLimitHits, window: reports.window) else { return .null }
            return .object([("server", .string(server.name))] + fields.filter { $0.0 != "schemaVersion" && $0.0 != "tool" })
        }
        return .object([
            ("schemaVersion", .int(Report.schemaVersion)),
            ("verdict", .string(reports.verdict.rawValue)),
            ("servers", .array(servers)),
            // Once for all servers (a folder that could not be listed belongs to none), at the end.
            ("reading", reading),
            ("tool", ToolVersion.json),
        ])
    }

    package static func writeJSON(_ reports: ServerReports, to out: Output) {
        json(reports).write(to: out)
        out.write("\n")
    }
}
