import LogInput
import LogRules
import LogAnalysis
import LogFindings
/// The JSON report (`review --format json`), schema version 1, documented in
/// docs/report-json.md. Keys are always present (null when unknown) and in
/// the order given here; new keys may be added, none removed or renamed
/// without raising `schemaVersion`.
package enum ReportJSON {
    /// `ruleLimitHits`: rules that gave up at the match limit during the review (`Review.ruleLimitHits`).
    /// `window`: the `--since`/`--until` the report was read in, written as `filter`.
    package static func value(of report: Report, ruleLimitHits: [RuleLimitHit] = [], window: TimeWindow? = nil) -> JSON {
        Findings.$clock.withValue(report.clock) { valueOnClock(of: report, ruleLimitHits: ruleLimitHits, window: window) }
    }

    private static func valueOnClock(of report: Report, ruleLimitHits: [RuleLimitHit], window: TimeWindow?) -> JSON {
        .object([
            ("schemaVersion", .int(Report.schemaVersion)),
            ("verdict", .string(report.verdict.rawValue)),
            ("clock", .string(report.clock.rawValue)),
            ("window", .object([("start", .time(report.windowStart, report.clock)), ("end", .time(report.windowEnd, report.clock))])),
            ("evaluatedAt", .time(report.evaluatedAt, report.clock)),
            ("inputs", .array(report.inputs.map(input))),
            ("sync", sync(report.sync, clock: report.clock)),
            // Actions and devices streamed, as the cycles are: a log of years holds tens of
            // thousands of actions, an inventory as many devices.
            ("actions", .stream(report.actions) { [clock = report.clock] in ActionsJSON.value($0, clock: clock) }),
            ("devices", .stream(report.devices, DevicesJSON.value)),
            ("findings", .array(report.findings.map { finding($0, clock: report.clock) })),
            // Added after schema version 1 was first written: docs/devices.md.
            ("deviceCheck", DevicesJSON.check(report.deviceCheck)),
            // Added after schema version 1 was first written: docs/report-json.md.
            ("ruleLimitHits", .array(ruleLimitHits.map { .object([("rule", .string($0.rule)), ("records", .int($0.records)), ("disabled", .bool($0.disabled))]) })),
            // Added after schema version 2 was first written: `--since`/`--until`, null without (docs/report-json.md).
            ("filter", WindowReport.json(window, report: report)),
            // Added after schema version 2 was first written: which build wrote the report.
            ("tool", ToolVersion.json),
        ])
    }

    package static func write(_ report: Report, ruleLimitHits: [RuleLimitHit] = [], window: TimeWindow? = nil, to out: Output) {
        // On the report's clock while written too: streamed arrays make their values then.
        Findings.$clock.withValue(report.clock) { value(of: report, ruleLimitHits: ruleLimitHits, window: window).write(to: out) }
        out.write("\n")
    }

    /// `reading`: whether every input was read whole, and what was not, with the reason
    /// (added after schema version 2 was first written: docs/report-json.md).
    package static func reading(_ unread: [UnreadInput]) -> JSON {
        .object([
            ("complete", .bool(unread.isEmpty)),
            ("unread", .array(unread.map { .object([("path", .string($0.path)), ("reason", .string($0.reason))]) })),
        ])
    }

    static func input(_ input: InputReport) -> JSON {
        let summary = input.summary
        return .object([
            ("name", .string(summary.name)),
            ("log", .string(summary.kind.rawValue)),
            ("format", .string(summary.format?.rawValue)),
            ("encoding", .string(summary.encoding?.rawValue)),
            ("bytes", .int(summary.bytes)),
            ("records", .int(summary.records)),
            ("events", .int(input.events)),
            ("unrecognizedLines", .int(summary.unrecognizedLines)),
            ("incompleteRecords", .int(summary.incompleteRecords)),
            ("clock", .string(summary.clock?.rawValue)),
            ("first", .time(summary.first, summary.clock ?? .utc)),
            ("last", .time(summary.last, summary.clock ?? .utc)),
        ])
    }

    static func sync(_ sync: SyncReport, clock: LogClock) -> JSON {
        .object([
            ("cycles", .stream(sync.cycles) { cycle($0, clock: clock) }),
            ("missedRuns", .stream(sync.missedRuns) { .object([("dueAt", .time($0, clock))]) }),
            ("stalled", .bool(sync.stalled)),
            ("lastUpload", .time(sync.lastUpload, clock)),
            ("nextRun", .time(sync.nextRun, clock)),
            ("timing", .string(sync.timing.rawValue)),
            // Added after schema version 2 was first written: when the cloud last got data.
            ("lastSuccessfulUpload", .time(sync.lastSuccessfulCycle?.end, clock)),
            ("recordsUploaded", .int(sync.recordsUploaded)),
            ("recordsInFailedCycles", .int(sync.recordsInFailedCycles)),
        ])
    }

    static func cycle(_ cycle: UploadCycle, clock: LogClock) -> JSON {
        .object([
            ("start", .time(cycle.start, clock)),
            ("end", .time(cycle.end, clock)),
            ("kind", .string(cycle.kind.rawValue)),
            ("batches", .array(cycle.batches.map { .int($0) })),
            ("records", .int(cycle.records)),
            ("nextRun", .time(cycle.nextRun, clock)),
            ("dueAt", .time(cycle.dueAt, clock)),
            ("delaySeconds", cycle.delaySeconds.map { .int(Int($0.rounded())) } ?? .null),
            ("status", .string(cycle.status.rawValue)),
            ("input", .string(cycle.firstEvidence.input)),
            ("line", .int(cycle.firstEvidence.line)),
        ])
    }

    static func finding(_ finding: Finding, clock: LogClock) -> JSON {
        .object([
            ("id", .string(finding.id.rawValue)),
            ("severity", .string(finding.severity.name)),
            ("title", .string(finding.title)),
            ("detail", .string(finding.detail)),
            ("remediation", .string(finding.remediation)),
            ("count", .int(finding.count)),
            ("first", .time(finding.first, clock)),
            ("last", .time(finding.last, clock)),
            ("evidence", .array(finding.evidence.map(evidence))),
            ("basis", .string(finding.basis?.rawValue)),
        ])
    }

    static func evidence(_ evidence: Evidence) -> JSON {
        .object([("input", .string(evidence.input)), ("line", .int(evidence.line)), ("text", .string(evidence.text))])
    }
}
