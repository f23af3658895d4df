/// The upload timeline as an analysis stage: builds it, judges it at the
/// evaluation time, and leaves the findings to `SyncFindings`.
public final class SyncAnalyzer: Analyzer {
    public let timeline: SyncTimeline

    public init(settings: AnalysisSettings) { timeline = SyncTimeline(settings: settings) }

    public func consume(_ event: Event) { timeline.consume(event) }

    public func finish(into report: inout Report, settings: AnalysisSettings) {
        timeline.finish()
        var sync = SyncReport()
        sync.cycles = timeline.cycles
        sync.missedRuns = timeline.missedRuns
        sync.uploadLogPresent = report.inputs.contains { $0.summary.kind == .syncUpload }
        sync.lastUpload = timeline.cycles.last?.end
        sync.nextRun = timeline.cycles.last?.nextRun
        sync.stalled = timeline.isStalled(at: report.evaluatedAt)
        if sync.stalled, let expected = timeline.expectedNextRun, timeline.cycles.last?.nextRun != nil {
            sync.missedRuns.append(expected)
        }
        report.sync = sync
        report.findings += SyncFindings.decide(sync: sync, timeline: timeline, report: report, settings: settings)
    }
}
