import LogInput
import LogRules
/// The one place an upload cycle is opened, closed and judged, for `review`
/// (over finished inputs) and `tail` (live) alike, so both give the same
/// statuses for the same records.
///
/// What Microsoft documents: `Batching N records` for each upload, and `Next
/// run time will be at approximately: …` for the next one, every 15 minutes.
/// Cycle boundaries are not documented, so they are inferred: a cycle opens
/// at the first batch (or scenario tag) after the previous cycle closed, and
/// closes at its next-run line, or when the log goes quiet for longer than
/// `cycleGap`. Failures (HTTP errors, exceptions, network failures) inside an
/// open cycle mark it failed; they never open one, so a neighbouring log
/// piped in with it cannot invent cycles.
///
/// A cycle is judged when it opens: its delay is measured against the run
/// the previous cycle announced, which is known by then. So the tracker keeps
/// only the open cycle and the last closed one, whatever the length of the log.
package final class UploadCycleTracker {
    /// What one event did to the timeline, in order.
    package enum Change {
        /// A cycle began (`open`); its `dueAt`, `delaySeconds` and a late status are already set.
        case opened
        /// A cycle ended: at its next-run line, after a quiet gap, or at the end of the input.
        case closed(UploadCycle, CloseReason)
        /// A next-run line whose date could not be read (no late or missed cycle follows from it).
        case unreadableNextRun(Evidence)
    }

    package enum CloseReason: String, Sendable {
        case nextRunLine = "next-run-line"
        case quietGap = "quiet-gap"
        case endOfInput = "end-of-input"
    }

    package let settings: AnalysisSettings
    package private(set) var open: UploadCycle?
    /// What the timeline keeps of the last closed cycle: when it started and the run it announced.
    /// (Not the cycle itself: a copy per cycle would cost every consumer for nothing.)
    package private(set) var lastClosed: (start: Instant?, nextRun: Instant?)?
    private var lastEventTime: Instant?

    package init(settings: AnalysisSettings) { self.settings = settings }

    /// Whether the tracker reads this event at all: upload-log events, and events of an input whose log is unknown.
    package static func reads(_ event: Event) -> Bool { event.log == .syncUpload || event.log == .unknown }

    package func consume(_ event: Event, _ changed: (Change) -> Void) {
        guard Self.reads(event) else { return }
        if let time = event.time, let last = lastEventTime, open != nil,
           time.seconds(since: last) > settings.cycleGap, Self.opensCycle(event.type) {
            close(.quietGap, changed)
        }
        switch event.type {
        case .uploadBatch:
            openIfNeeded(event, changed)
            open!.batches.append(event.number("count") ?? 0)
        case .uploadScenario:
            openIfNeeded(event, changed)
            if let kind = event["kind"].flatMap(UploadCycle.Kind.init(rawValue:)), open!.kind == .unknown || kind == .full {
                open!.kind = kind
            }
        case .uploadNextRun:
            openIfNeeded(event, changed)
            let text = event["when"] ?? ""
            open!.nextRunText = text
            if let resolved = NextRunResolver.resolve(text, writtenAt: event.timestamp, interval: settings.uploadInterval) {
                open!.nextRun = Self.place(resolved.local, writtenBy: event.timestamp, zone: settings.zone)
            } else {
                changed(.unreadableNextRun(event.evidence))
            }
            extend(with: event)
            close(.nextRunLine, changed)
        case .httpResponse, .httpStatus, .exception, .networkFailure, .uploadFailed:
            guard open != nil, Self.isFailure(event), !Self.isOtherWorkersEndpoint(event) else { break }
            if open!.failures.count < settings.evidenceLimit { open!.failures.append(event.evidence) }
            open!.status = .failed
        default:
            break
        }
        if open != nil { extend(with: event) }
        if event.time != nil { lastEventTime = event.time }
    }

    /// The input ended: the open cycle, if any, closes.
    package func finish(_ changed: (Change) -> Void) {
        close(.endOfInput, changed)
    }

    /// The run expected after the last cycle: the one it announced, else its start plus the interval.
    package var expectedNextRun: Instant? {
        guard let last = open.map({ (start: $0.start, nextRun: $0.nextRun) }) ?? lastClosed else { return nil }
        return last.nextRun ?? last.start.map { $0 + Int64(settings.uploadInterval) }
    }

    /// Whether the next run was announced (rather than inferred from the interval).
    package var expectedRunIsAnnounced: Bool { open.map { $0.nextRun != nil } ?? (lastClosed?.nextRun != nil) }

    /// Whether the expected next run plus grace passed before `time` with no cycle.
    package func isStalled(at time: Instant?) -> Bool {
        guard let time, let expected = expectedNextRun else { return false }
        return time.seconds(since: expected) > settings.grace
    }

    /// Whether a cycle that started this late missed its announced run altogether.
    package func isMissedRun(_ cycle: UploadCycle) -> Bool {
        guard cycle.dueAt != nil, let delay = cycle.delaySeconds else { return false }
        return delay >= settings.uploadInterval
    }

    private func openIfNeeded(_ event: Event, _ changed: (Change) -> Void) {
        guard open == nil else { return }
        var cycle = UploadCycle(opening: event)
        if let due = lastClosed?.nextRun ?? nil {
            cycle.dueAt = due
            if let start = cycle.start {
                let delay = start.seconds(since: due)
                cycle.delaySeconds = delay
                if delay > settings.grace { cycle.status = .late }
            }
        }
        open = cycle
        changed(.opened)
    }

    private func extend(with event: Event) {
        guard open != nil else { return }
        if let time = event.time { open!.end = max(open!.end ?? time, time) }
        open!.lastLine = event.endLine
        open!.lastInput = event.inputName
    }

    private func close(_ reason: CloseReason, _ changed: (Change) -> Void) {
        guard let cycle = open else { return }
        open = nil
        lastClosed = (cycle.start, cycle.nextRun)
        changed(.closed(cycle, reason))
    }

    /// A next-run time, on the clock of the line that announced it: with its bias, or by the
    /// zone's rules when the bias came from `--tz` (the run may fall after a DST change).
    static func place(_ civil: CivilTime, writtenBy timestamp: LogTimestamp?, zone: ZoneRule?) -> Instant? {
        guard let timestamp else { return nil }
        if timestamp.biasFromZone, let zone { return zone.utc(forLocal: civil, after: timestamp.utc) }
        return timestamp.onSameClock(civil)
    }

    /// Events after which a long quiet stretch means a new cycle began.
    /// (A next-run line only ever closes a cycle, however long the upload took.)
    static func opensCycle(_ type: EventType) -> Bool {
        type == .uploadBatch || type == .uploadScenario
    }

    static func isFailure(_ event: Event) -> Bool {
        switch event.type {
        case .httpResponse, .httpStatus:
            return (Int(event["status"] ?? "") ?? 0) >= 400
        case .exception, .networkFailure, .uploadFailed:
            return true
        default:
            return false
        }
    }

    /// Onboarding and notification endpoints belong to other workers' stories.
    static func isOtherWorkersEndpoint(_ event: Event) -> Bool {
        guard let url = event["url"] else { return false }
        let endpoint = Endpoint(url: url)
        return endpoint == .onboarding || endpoint == .notification
    }
}
