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
    package static func value(of report: Report, ruleLimitHits: [RuleLimitHit] = []) -> JSON {
        .object([
            ("schemaVersion", .int(Report.schemaVersion)),
            ("verdict", .string(report.verdict.rawValue)),
            ("window", .object([("start", .time(report.windowStart)), ("end", .time(report.windowEnd))])),
            ("evaluatedAt", .time(report.evaluatedAt)),
            ("inputs", .array(report.inputs.map(input))),
            ("sync", sync(report.sync)),
            ("actions", .array(report.actions.map(ActionsJSON.value))),
            ("devices", .array(report.devices.map(DevicesJSON.value))),
            ("findings", .array(report.findings.map(finding))),
            // Added after schema version 1 was first written: docs/devices.md.
            ("deviceCheck", DevicesJSON.check(report.deviceCheck)),
            // Added after schema version 1 was first written: docs/report-json.md.
            ("ruleLimitHits", .array(ruleLimitHits.map { .object([("rule", .string($0.rule)), ("records", .int($0.records))]) })),
        ])
    }

    package static func write(_ report: Report, ruleLimitHits: [RuleLimitHit] = [], to out: Output) {
        value(of: report, ruleLimitHits: ruleLimitHits).write(to: out)
        out.write("\n")
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
            ("first", .time(summary.first)),
            ("last", .time(summary.last)),
        ])
    }

    static func sync(_ sync: SyncReport) -> JSON {
        .object([
            ("cycles", .array(sync.cycles.map(cycle))),
            ("missedRuns", .array(sync.missedRuns.map { .object([("dueAt", .time($0))]) })),
            ("stalled", .bool(sync.stalled)),
            ("lastUpload", .time(sync.lastUpload)),
            ("nextRun", .time(sync.nextRun)),
        ])
    }

    static func cycle(_ cycle: UploadCycle) -> JSON {
        .object([
            ("start", .time(cycle.start)),
            ("end", .time(cycle.end)),
            ("kind", .string(cycle.kind.rawValue)),
            ("batches", .array(cycle.batches.map { .int($0) })),
            ("records", .int(cycle.records)),
            ("nextRun", .time(cycle.nextRun)),
            ("dueAt", .time(cycle.dueAt)),
            ("delaySeconds", cycle.delaySeconds.map { .int(Int($0.rounded())) } ?? .null),
            ("status", .string(cycle.status.rawValue)),
            ("input", .string(cycle.firstEvidence.input)),
            ("line", .int(cycle.firstEvidence.line)),
        ])
    }

    static func finding(_ finding: Finding) -> JSON {
        .object([
            ("id", .string(finding.id.rawValue)),
            ("severity", .string(finding.severity.name)),
            ("title", .string(finding.title)),
            ("detail", .string(finding.detail)),
            ("remediation", .string(finding.remediation)),
            ("count", .int(finding.count)),
            ("first", .time(finding.first)),
            ("last", .time(finding.last)),
            ("evidence", .array(finding.evidence.map(evidence))),
        ])
    }

    static func evidence(_ evidence: Evidence) -> JSON {
        .object([("input", .string(evidence.input)), ("line", .int(evidence.line)), ("text", .string(evidence.text))])
    }
}
