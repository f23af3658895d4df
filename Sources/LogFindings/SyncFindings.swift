import LogInput
import LogRules
import LogAnalysis
/// Decides the upload findings from the timeline: `no-sync-activity`,
/// `sync-stalled`, `sync-late`, `next-run-unreadable`.
enum SyncFindings {
    static func decide(_ facts: AnalysisFacts, settings: AnalysisSettings) -> [Finding] {
        let sync = facts.sync
        var findings: [Finding] = []
        let grace = describe(seconds: settings.grace)

        if sync.uploadLogPresent && sync.cycles.isEmpty {
            var seen = Occurrences(limit: settings.evidenceLimit)
            for input in facts.inputs where input.summary.kind == .syncUpload {
                seen.add(Evidence(input: input.summary.name, line: max(1, input.summary.lines),
                                  text: "\(input.summary.records) records, none of them an upload cycle"), at: input.summary.last)
            }
            findings.append(seen.finding(
                id: .noSyncActivity, severity: .error,
                title: "No device upload cycle in CMGatewaySyncUploadWorker.log",
                detail: "The upload log is there, but it holds no 'Batching N records' and no 'Next run time will be at approximately' line: no upload cycle ran in the time it covers.",
                remediation: "Check that device upload is turned on: in the Configuration Manager console, Administration > Cloud Services > Co-management, Properties, Configure upload tab, 'Upload to Microsoft Endpoint Manager admin center'. Check that the service connection point is online and its SMS_SERVICE_CONNECTOR component is running. Then read this log's latest lines for errors."))
        }

        if sync.stalled, let expected = sync.expectedNextRun, let at = facts.evaluatedAt, let last = sync.cycles.last {
            var seen = Occurrences(limit: settings.evidenceLimit)
            seen.add(Evidence(input: last.lastInput, line: last.lastLine,
                              text: last.nextRunText.map { "Next run time will be at approximately: \($0)" } ?? "last upload cycle"),
                     at: last.end)
            let announced = last.nextRun != nil ? "announced the next run for \(expected.iso8601)" : "announced no next run; one was due by \(expected.iso8601), one upload interval after it started"
            findings.append(seen.finding(
                id: .syncStalled, severity: .error,
                title: "Device upload has stalled",
                detail: "The last upload cycle ended at \(last.end?.iso8601 ?? "an unknown time") and \(announced). At \(at.iso8601), the evaluation time, no cycle had come: \(describe(seconds: at.seconds(since: expected))) overdue, more than the \(grace) grace.",
                remediation: "Check that the SMS_SERVICE_CONNECTOR component is running on the service connection point and that the server can reach https://aka.ms/configmgrgateway and https://*.manage.microsoft.com. Read CMGatewaySyncUploadWorker.log after the line shown for errors. If these logs are older copies, pass --at with the time to judge at."))
        }

        let late = sync.cycles.filter { ($0.delaySeconds ?? 0) > settings.grace }
        if !late.isEmpty {
            var seen = Occurrences(limit: settings.evidenceLimit)
            for cycle in late {
                seen.add(Evidence(input: cycle.firstEvidence.input, line: cycle.firstEvidence.line,
                                  text: "started \(describe(seconds: cycle.delaySeconds ?? 0)) after the announced \(cycle.dueAt?.iso8601 ?? "run"): \(cycle.firstEvidence.text)"),
                         at: cycle.start)
            }
            let worst = late.max { ($0.delaySeconds ?? 0) < ($1.delaySeconds ?? 0) }!
            let missed = sync.missedRuns.count
            let missedText = missed > 0 ? " \(missed) announced run\(missed == 1 ? " was" : "s were") missed altogether (no cycle within an upload interval)." : ""
            findings.append(seen.finding(
                id: .syncLate, severity: .warning,
                title: "\(late.count) upload cycle\(late.count == 1 ? "" : "s") started late",
                detail: "\(late.count) of \(sync.cycles.count) cycles started more than \(grace) after the run the previous cycle announced; the worst \(describe(seconds: worst.delaySeconds ?? 0)) late, at \(worst.start?.iso8601 ?? "an unknown time").\(missedText)",
                remediation: "Microsoft documents an upload every 15 minutes and does not document why a cycle starts late. A late cycle that succeeds still uploads the changes, later than announced. Read CMGatewaySyncUploadWorker.log between the announced time and the late cycle (evidence), and check that the SMS_SERVICE_CONNECTOR component on the service connection point was running then. If your site's cycles run on another rhythm, --grace and --interval set what counts as late."))
        }

        if !sync.unreadableNextRuns.isEmpty {
            var seen = Occurrences(limit: settings.evidenceLimit)
            for evidence in sync.unreadableNextRuns { seen.add(evidence, at: nil) }
            findings.append(seen.finding(
                id: .nextRunUnreadable, severity: .info,
                title: "Next run times that could not be read",
                detail: "\(sync.unreadableNextRuns.count) next-run line\(sync.unreadableNextRuns.count == 1 ? "" : "s") had a date cmlogcheck could not read, or one whose day and month order stayed ambiguous because the line carries no time of its own. Punctuality was not judged for the cycles after them.",
                remediation: "The date is written in the server's culture. If these lines come from a copy without timestamps, give the original log file instead."))
        }
        return findings
    }
}

