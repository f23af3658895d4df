import LogInput
import LogRules
/// Builds the upload timeline from CMGatewaySyncUploadWorker.log events.
///
/// What Microsoft documents: `Batching N records` for each upload, and `Next
/// run time will be at approximately: …` for the next one, every 15 minutes.
/// Cycle boundaries are not documented, so they are inferred: a cycle opens
/// at the first batch (or scenario tag) after the previous cycle closed, and
/// closes at its next-run line, or when the log goes quiet for longer than
/// `cycleGap`. Failures (HTTP errors, exceptions, network failures) inside an
/// open cycle mark it failed; they never open one, so a neighbouring log
/// piped in with it cannot invent cycles.
package final class SyncTimeline {
    package let settings: AnalysisSettings
    package private(set) var cycles: [UploadCycle] = []
    private var open: UploadCycle?
    private var lastEventTime: Instant?
    /// Next-run lines whose date could not be read.
    package private(set) var unreadableNextRuns: [Evidence] = []

    package init(settings: AnalysisSettings) { self.settings = settings }

    package func consume(_ event: Event) {
        guard event.log == .syncUpload || event.log == .unknown else { return }
        if let time = event.time, let last = lastEventTime, open != nil,
           time.seconds(since: last) > settings.cycleGap, Self.opensCycle(event.type) {
            close()
        }
        switch event.type {
        case .uploadBatch:
            openIfNeeded(event)
            open!.batches.append(event.number("count") ?? 0)
        case .uploadScenario:
            openIfNeeded(event)
            if let kind = event["kind"].flatMap(UploadCycle.Kind.init(rawValue:)), open!.kind == .unknown || kind == .full {
                open!.kind = kind
            }
        case .uploadNextRun:
            openIfNeeded(event)
            let text = event["when"] ?? ""
            open!.nextRunText = text
            if let resolved = NextRunResolver.resolve(text, writtenAt: event.timestamp, interval: settings.uploadInterval) {
                open!.nextRun = resolved.utc
            } else {
                unreadableNextRuns.append(event.evidence)
            }
            extend(with: event)
            close()
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

    /// Closes the last open cycle and judges every cycle's punctuality.
    package func finish() {
        close()
        var previous: UploadCycle?
        for index in cycles.indices {
            if let due = previous?.nextRun {
                cycles[index].dueAt = due
                if let start = cycles[index].start {
                    let delay = start.seconds(since: due)
                    cycles[index].delaySeconds = delay
                    if delay > settings.grace && cycles[index].status == .ok { cycles[index].status = .late }
                }
            }
            previous = cycles[index]
        }
    }

    /// Announced runs that no cycle came for within one upload interval.
    package var missedRuns: [Instant] {
        cycles.compactMap { cycle in
            guard let due = cycle.dueAt, let delay = cycle.delaySeconds, delay >= settings.uploadInterval else { return nil }
            return due
        }
    }

    /// The run expected after the last cycle: the one it announced, else its start plus the interval.
    package var expectedNextRun: Instant? {
        guard let last = cycles.last else { return nil }
        return last.nextRun ?? last.start.map { $0 + Int64(settings.uploadInterval) }
    }

    /// Whether the expected next run plus grace passed before `time` with no cycle.
    package func isStalled(at time: Instant?) -> Bool {
        guard let time, let expected = expectedNextRun else { return false }
        return time.seconds(since: expected) > settings.grace
    }

    private func openIfNeeded(_ event: Event) {
        if open == nil { open = UploadCycle(opening: event) }
    }

    private func extend(with event: Event) {
        guard open != nil else { return }
        if let time = event.time { open!.end = max(open!.end ?? time, time) }
        open!.lastLine = event.endLine
        open!.lastInput = event.inputName
    }

    private func close() {
        guard let cycle = open else { return }
        cycles.append(cycle)
        open = nil
    }

    /// Events after which a long quiet stretch means a new cycle began.
    /// (A next-run line only ever closes a cycle, however long the upload took.)
    package static func opensCycle(_ type: EventType) -> Bool {
        type == .uploadBatch || type == .uploadScenario
    }

    package static func isFailure(_ event: Event) -> Bool {
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
    package static func isOtherWorkersEndpoint(_ event: Event) -> Bool {
        guard let url = event["url"] else { return false }
        let endpoint = Endpoint(url: url)
        return endpoint == .onboarding || endpoint == .notification
    }
}

/// The gateway endpoints cmlogcheck tells apart, by the last segment of the URL.
package enum Endpoint: String, Sendable {
    case upload, onboarding, notification, other

    package init(url: String) {
        let path = url.split(separator: "?").first.map(String.init) ?? url
        let last = path.split(separator: "/").last.map { $0.lowercased() } ?? ""
        switch last {
        case "accountonboardinginfo": self = .onboarding
        case "notification", "notifications": self = .notification
        case "devicepost": self = .upload
        default: self = .other
        }
    }
}

extension Endpoint {
    /// The endpoint a failure belongs to: by its URL, else the notification worker's own.
    package init(url: String?, log: LogKind) {
        let endpoint = url.map(Endpoint.init(url:)) ?? .other
        self = endpoint == .other && log == .notification ? .notification : endpoint
    }
}
