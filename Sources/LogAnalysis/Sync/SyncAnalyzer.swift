import LogInput
import LogRules
/// The upload timeline as an analysis stage: builds it, judges it at the
/// evaluation time, and leaves the findings to `SyncFindings`.
package final class SyncAnalyzer: Analyzer {
    package let timeline: SyncTimeline

    package init(settings: AnalysisSettings) { timeline = SyncTimeline(settings: settings) }

    package func consume(_ event: Event) { timeline.consume(event) }

    package func finish(into facts: inout AnalysisFacts, settings: AnalysisSettings) {
        timeline.finish()
        var sync = SyncReport()
        sync.cycles = timeline.cycles
        sync.missedRuns = timeline.missedRuns
        sync.uploadLogPresent = facts.inputs.contains { $0.summary.kind == .syncUpload }
        sync.lastUpload = timeline.cycles.last?.end
        sync.nextRun = timeline.cycles.last?.nextRun
        sync.stalled = timeline.isStalled(at: facts.evaluatedAt)
        if sync.stalled, let expected = timeline.expectedNextRun, timeline.cycles.last?.nextRun != nil {
            sync.missedRuns.append(expected)
        }
        sync.expectedNextRun = timeline.expectedNextRun
        sync.unreadableNextRuns = timeline.unreadableNextRuns
        facts.sync = sync
    }
}
