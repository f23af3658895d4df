import LogInput
import LogRules
/// The upload timeline for `review`: the tracker's closed cycles in order,
/// and what the timeline says at the evaluation time. The findings are the
/// findings stage's (`SyncFindings`).
package final class SyncAnalyzer: Analyzer {
    package let tracker: UploadCycleTracker
    private var cycles: [UploadCycle] = []
    private var missedRuns: [Instant] = []
    private var unreadableNextRuns: [Evidence] = []

    package init(settings: AnalysisSettings) { tracker = UploadCycleTracker(settings: settings) }

    package func consume(_ event: Event) { tracker.consume(event, take) }

    private func take(_ change: UploadCycleTracker.Change) {
        switch change {
        case .opened:
            break
        case .closed(let cycle, _):
            if tracker.isMissedRun(cycle), let due = cycle.dueAt { missedRuns.append(due) }
            cycles.append(cycle)
        case .unreadableNextRun(let evidence):
            unreadableNextRuns.append(evidence)
        }
    }

    package func finish(into facts: inout AnalysisFacts, settings: AnalysisSettings) {
        tracker.finish(take)
        var sync = SyncReport()
        sync.cycles = cycles
        sync.missedRuns = missedRuns
        sync.uploadLogPresent = facts.inputs.contains { $0.summary.kind == .syncUpload }
        sync.lastUpload = cycles.last?.end
        sync.nextRun = cycles.last?.nextRun
        sync.stalled = tracker.isStalled(at: facts.evaluatedAt)
        if sync.stalled, let expected = tracker.expectedNextRun, cycles.last?.nextRun != nil {
            sync.missedRuns.append(expected)
        }
        sync.expectedNextRun = tracker.expectedNextRun
        sync.unreadableNextRuns = unreadableNextRuns
        if !cycles.isEmpty && cycles.allSatisfy({ $0.start == nil }) {
            sync.timing = .noTimes
        } else if !cycles.isEmpty && cycles.allSatisfy({ $0.nextRun == nil }) && !unreadableNextRuns.isEmpty {
            sync.timing = .noReadableNextRun
        }
        facts.sync = sync
    }
}
