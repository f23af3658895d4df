import LogInput
import LogRules
import LogAnalysis
/// Decides the upload findings from the timeline: `no-sync-activity`,
/// `sync-stalled`, `sync-late`, `next-run-unreadable`. Each computes its
/// values from the facts; the words are in finding-texts.json.
enum SyncFindings {
    static func decide(_ facts: AnalysisFacts, settings: AnalysisSettings) -> [Finding] {
        var findings: [Finding] = []
        if let finding = noActivity(facts, settings: settings) { findings.append(finding) }
        if let finding = stalled(facts, settings: settings) { findings.append(finding) }
        if let finding = late(facts.sync, settings: settings) { findings.append(finding) }
        if let finding = unreadable(facts.sync, settings: settings) { findings.append(finding) }
        return findings
    }

    static func noActivity(_ facts: AnalysisFacts, settings: AnalysisSettings) -> Finding? {
        guard facts.sync.uploadLogPresent && facts.sync.cycles.isEmpty else { return nil }
        let text = FindingTexts.text(.noSyncActivity)
        var seen = Occurrences(limit: settings.evidenceLimit)
        for input in facts.inputs where input.summary.kind == .syncUpload {
            seen.add(Evidence(input: input.summary.name, line: max(1, input.summary.lines),
                              text: text.fragment(.evidence, ["records": TextValue(input.summary.records)])),
                     at: input.summary.last)
        }
        return text.finding([:], occurrences: seen)
    }

    static func stalled(_ facts: AnalysisFacts, settings: AnalysisSettings) -> Finding? {
        let sync = facts.sync
        guard sync.stalled, let expected = sync.expectedNextRun, let at = facts.evaluatedAt, let last = sync.cycles.last else { return nil }
        let text = FindingTexts.text(.syncStalled)
        var seen = Occurrences(limit: settings.evidenceLimit)
        seen.add(Evidence(input: last.lastInput, line: last.lastLine,
                          text: text.fragment(.evidence, ["nextRunText": TextValue(last.nextRunText)])),
                 at: last.end)
        let announced = last.nextRun != nil
        return text.finding([
            "lastEnd": TextValue(last.end),
            "announcedRun": TextValue(announced ? expected : nil),
            "dueBy": TextValue(announced ? nil : expected),
            "evaluatedAt": TextValue(at),
            "overdue": TextValue(describe(seconds: at.seconds(since: expected))),
            "grace": TextValue(describe(seconds: settings.grace)),
        ], occurrences: seen)
    }

    static func late(_ sync: SyncReport, settings: AnalysisSettings) -> Finding? {
        // One pass over the cycles (they may be in a spool file), skipped when none is late enough.
        guard sync.cycles.largestDelay > settings.grace else { return nil }
        let text = FindingTexts.text(.syncLate)
        var seen = Occurrences(limit: settings.evidenceLimit)
        var late = 0
        var worst: UploadCycle?
        for cycle in sync.cycles where (cycle.delaySeconds ?? 0) > settings.grace {
            late += 1
            if (cycle.delaySeconds ?? 0) > (worst?.delaySeconds ?? -.infinity) { worst = cycle }
            let line = text.fragment(.evidence, [
                "delay": TextValue(describe(seconds: cycle.delaySeconds ?? 0)),
                "dueAt": TextValue(cycle.dueAt),
                "line": TextValue(cycle.firstEvidence.text),
            ])
            seen.add(Evidence(input: cycle.firstEvidence.input, line: cycle.firstEvidence.line, text: line), at: cycle.start)
        }
        guard let worst else { return nil }
        return text.finding([
            "late": TextValue(late),
            "cycles": TextValue(sync.cycles.count),
            "grace": TextValue(describe(seconds: settings.grace)),
            "worstDelay": TextValue(describe(seconds: worst.delaySeconds ?? 0)),
            "worstStart": TextValue(worst.start),
            "missed": TextValue(sync.missedRuns.count),
        ], occurrences: seen)
    }

    static func unreadable(_ sync: SyncReport, settings: AnalysisSettings) -> Finding? {
        let seen = sync.unreadableNextRuns
        guard seen.count > 0 else { return nil }
        return FindingTexts.text(.nextRunUnreadable).finding(["count": TextValue(seen.count)], occurrences: seen)
    }
}
