import LogInput
import LogRules
/// The upload timeline for `review`: the tracker's closed cycles in order,
/// and what the timeline says at the evaluation time. The findings are the
/// findings stage's (`SyncFindings`).
package final class SyncAnalyzer: Analyzer {
    package let tracker: UploadCycleTracker
    private let cycles = CycleLog()
    private let missedRuns = Spool<Instant>(memoryLimit: 64 * 1024)
    private var unreadableNextRuns: Occurrences

    package init(settings: AnalysisSettings) {
        tracker = UploadCycleTracker(settings: settings)
        unreadableNextRuns = Occurrences(limit: settings.evidenceLimit)
    }

    package func consume(_ event: Event) { tracker.consume(event, take) }

    private func take(_ change: UploadCycleTracker.Change) {
        switch change {
        case .opened:
            break
        case .closed(let cycle, _):
            if tracker.isMissedRun(cycle), let due = cycle.dueAt { missedRuns.append(due) }
            cycles.append(cycle)
        case .unreadableNextRun(let evidence):
            unreadableNextRuns.add(evidence, at: nil)
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
        if !cycles.isEmpty && cycles.timed == 0 {
            sync.timing = .noTimes
        } else if !cycles.isEmpty && cycles.withNextRun == 0 && unreadableNextRuns.count > 0 {
            sync.timing = .noReadableNextRun
        }
        facts.sync = sync
    }
}
