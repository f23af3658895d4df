import LogInput
import LogRules
import LogAnalysis
/// The findings stage: a pure function of the analysis facts. Each area
/// decides its own findings (`SyncFindings`, `FailureFindings`,
/// `ActionFindings`, `DeviceFindings`, `UnexplainedFindings`) by computing
/// values from the facts and rendering the words from finding-texts.json
/// (`FindingTexts`); the verdict follows from them.
package enum Findings {
    /// The clock the findings being written speak in: their times are the report's, which are
    /// UTC or the server's local wall clock (`LogClock`). Set for the length of `decide`.
    @TaskLocal package static var clock: LogClock = .utc

    package static func decide(_ facts: AnalysisFacts, settings: AnalysisSettings) -> [Finding] {
        Findings.$clock.withValue(facts.clock) { decideOnClock(facts, settings: settings) }
    }

    private static func decideOnClock(_ facts: AnalysisFacts, settings: AnalysisSettings) -> [Finding] {
        var findings = SyncFindings.decide(facts, settings: settings)
        findings += FailureFindings.decide(facts.failures) + KnownFailureFindings.decide(facts.failures, actions: facts.actions)
        findings += ActionFindings.decide(facts.actions, coverage: facts.actionCoverage, settings: settings)
        if let inventory = facts.inventory, let check = facts.deviceCheck {
            findings += DeviceFindings.decide(facts.devices, check: check, inventory: inventory, settings: settings)
        }
        if let finding = UnexplainedFindings.decide(facts.unexplained) { findings.append(finding) }
        return findings.map(FindingBasis.mark)
    }

    /// The report of a finished analysis: findings decided, sorted, and the verdict.
    package static func report(from facts: AnalysisFacts, settings: AnalysisSettings) -> Report {
        var report = Report()
        report.facts = facts
        report.findings = decide(facts, settings: settings)
        report.sortFindings()
        report.verdict = Verdict.of(report.findings, recognizedEvents: facts.recognizedEvents)
        return report
    }
}

/// `unrecognized-errors`: error records no rule explains.
enum UnexplainedFindings {
    static func decide(_ facts: UnexplainedFacts) -> Finding? {
        guard facts.seen.count > 0 else { return nil }
        return FindingTexts.text(.unrecognizedErrors).finding([
            "count": TextValue(facts.seen.count),
            "distinct": TextValue(facts.distinctMessages),
            "capped": TextValue(facts.distinctCapped),
        ], occurrences: facts.seen)
    }
}
