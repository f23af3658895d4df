import LogInput
import LogRules
import LogAnalysis
import LogFindings
import LogReport
import FoundationEssentials

/// The numbers `tail` judges by.
package struct TailSettings: Sendable {
    /// Slack allowed past an announced next run before the upload counts as overdue (`--grace`).
    package var grace: Double = 10 * 60
    /// Documented: an upload every 15 minutes. Used when no next run was announced.
    package var uploadInterval: Double = 15 * 60
    /// A quiet stretch inside an open cycle longer than this ends it (as in the review's timeline).
    package var cycleGap: Double = 7.5 * 60
    /// History shown before following: the events of each file's last N records; nil shows
    /// all of it (`--from-start`), 0 none. History is always read: it seeds the state.
    package var historyRecords: Int? = 0
    /// The first alert at or above this ends the session (`--exit-on`); nil never.
    package var exitOn: Severity?
    /// The zone of bias-less times (`--tz`; the command defaults to this machine's, the writer's clock
    /// when tail runs on the server). Nil leaves them on the log's local clock, and the overdue clock off.
    package var zone: ZoneRule?
    /// The viewer's time zone, for local times in words.
    package var timeZone: TimeZone = .current
    /// Failures of one log within this many records and `alertBlockSeconds` of the last one
    /// belong to the same failure (a response, its status line, the exception): one alert, not four.
    package var alertBlockRecords = 12
    package var alertBlockSeconds: Double = 60
    /// How long a log must stay quiet before an exception header still waiting for its
    /// message line (`joinNext`) is shown without it.
    package var joinWait: Double = 1
    /// How long a stream must stay quiet before clock alerts are judged: piped history read
    /// in bursts must not look overdue halfway through.
    package var streamQuiet: Double = 1
    /// History items held for merging several logs by time; past this they are written as they are.
    package var historyMergeLimit = 50_000

    package init() {}
}

/// Follows logs, turns their records into events in words, keeps the upload
/// state (cycles, the announced next run) in bounded memory, and raises
/// alerts: at once for failures, and from the clock when an announced run
/// plus the grace passes with no new cycle.
///
/// Drive it step by step (`start`, then `step` whenever files may have
/// changed and `checkClock` when the clock moved), or let `run` wait with a
/// `ChangeWatcher` between steps.
package final class TailSession {
    package enum Phase: Sendable { case notStarted, history, live }

    package enum StopReason: String, Sendable {
        /// Ctrl-C or SIGTERM.
        case interrupted
        /// Every input ended (piped standard input read to its end).
        case endOfInput = "end-of-input"
        /// An alert at or above `--exit-on`.
        case alert = "exit-on"
    }

    struct HistoryEntry {
        var seq: Int
        var ordinal: Int
        var item: TailItem
    }

    package let follower: LogFollower
    package let settings: TailSettings
    package let clock: any TailClock
    package let sink: any TailSink
    /// The source tag of each log, as shown.
    package let tags: [String]
    package let format: TailTimeFormat
    package private(set) var phase: Phase = .notStarted
    package private(set) var stopReason: StopReason?
    package private(set) var summary = TailSummary()

    /// Told at once of a followed log that cannot be opened (the command writes it on standard error).
    package var onUnreadable: (UnreadInput) -> Void = { _ in }

    /// One classifier per log: an event waiting for its log's next record must not be cut short by another log's.
    private let classifiers: [Classifier]

    /// The upload state of one server: the same tracker as the review's, and the overdue clock.
    /// Logs of several servers followed at once keep one each, as the review keeps one timeline each.
    final class UploadWatch {
        let name: String?
        let cycles: UploadCycleTracker
        /// The log whose cycle set the expected run, for the overdue alert.
        var expectedInput: Int?
        var overdueAlerted = false
        /// The run the overdue alert waited for, and whether it was announced: the next cycle says it resumed after it.
        var overdueDue: Instant?
        var overdueAnnounced: Bool?
        /// Set between the tracker's word that a next-run date is unreadable and the item that shows the line.
        var nextRunUnreadable = false
        /// The clock of the server's upload events: on a local clock of unknown zone the wall clock cannot judge them.
        var clock: LogClock?

        init(name: String?, settings: AnalysisSettings) {
            self.name = name
            cycles = UploadCycleTracker(settings: settings)
        }

        /// Whether the run the last cycle set was announced; read before a new cycle replaces it.
        var previousWasAnnounced: Bool { overdueAnnounced ?? ((cycles.lastClosed?.nextRun ?? nil) != nil) }
    }

    private let watches: [UploadWatch]
    /// The watch of each log.
    private let watchOf: [Int]
    /// The same failure decision as the review's.
    private let failures = FailureTracker()

    /// When the next cycle is due (the first server's, when several): the announced next run, or the last cycle's start plus the interval.
    package var expectedRun: Instant? { watches.first?.cycles.expectedNextRun }
    package var expectedIsAnnounced: Bool { watches.first?.cycles.expectedRunIsAnnounced ?? false }

    // Per log.
    private var lastFailure: [(seq: Int, time: Instant?)?]
    /// An exception's item, shown once the failure decision knows whether it is a failure of its own.
    private var pendingException: [(item: TailItem, seq: Int, line: Int)?]
    private var lastRecordAt: [Instant?]
    private var mayHaveWaiting: [Bool]
    private var lastStreamData: Instant?

    // History shown with -n / --from-start, per log, for merging by time.
    private var history: [[HistoryEntry]]
    private var historyHeads: [Int]
    private var historyHeld = 0
    private var ordinal = 0

    package init(follower: LogFollower, catalog: CompiledCatalog, settings: TailSettings, clock: any TailClock,
                sink: any TailSink) {
        self.follower = follower
        self.settings = settings
        self.clock = clock
        self.sink = sink
        var analysis = AnalysisSettings()
        analysis.uploadInterval = settings.uploadInterval
        analysis.grace = settings.grace
        analysis.cycleGap = settings.cycleGap
        analysis.zone = settings.zone
        let groups = ServerGroups.group(follower.logs.map { log in
            log.target.path.map { InputSource(location: .file($0), name: $0, kind: log.target.kind) }
                ?? InputSource(location: .standardInput, name: log.name, kind: log.target.kind)
        })
        watches = groups.map { UploadWatch(name: $0.name, settings: analysis) }
        watchOf = follower.logs.map { log in
            groups.firstIndex { group in group.inputs.contains { $0.name == (log.target.path ?? log.name) } } ?? 0
        }
        format = TailTimeFormat(timeZone: settings.timeZone)
        // The patterns are the run's, compiled once; each classifier only adds its match data.
        classifiers = follower.logs.map { _ in catalog.classifier() }
        tags = TailSession.tags(for: follower.logs.map(\.target))
        let count = follower.logs.count
        lastFailure = Array(repeating: nil, count: count)
        pendingException = Array(repeating: nil, count: count)
        lastRecordAt = Array(repeating: nil, count: count)
        mayHaveWaiting = Array(repeating: false, count: count)
        history = Array(repeating: [], count: count)
        historyHeads = Array(repeating: 0, count: count)
    }

    /// Short names for the merged stream: `sync`, `notification`, `generic`, `bgb`, `client`,
    /// or the file name; prefixed with the folder when two logs would share one.
    package static func tags(for targets: [FollowTarget]) -> [String] {
        func short(_ target: FollowTarget) -> String {
            switch target.kind {
            case .syncUpload: return "sync"
            case .notification: return "notification"
            case .genericUpload: return "generic"
            case .bgbServer: return "bgb"
            case .notificationAgent: return "client"
            case .adminService: return "adminservice"
            case .restProvider: return "provider"
            case .endpointCheck: return "endpoints"
            case .adminConsole: return "console"
            case .scripts: return "scripts"
            case .unknown:
                guard let path = target.path else { return target.name }
                return ChangeWatcher.split(path).1
            }
        }
        let shortTags = targets.map(short)
        var tags = shortTags
        for (index, tag) in shortTags.enumerated() where shortTags.filter({ $0 == tag }).count > 1 {
            if let path = targets[index].path {
                let folder = ChangeWatcher.split(ChangeWatcher.split(path).0).1
                tags[index] = folder + "/" + tag
            }
        }
        let prefixed = tags
        for (index, tag) in prefixed.enumerated() where prefixed.filter({ $0 == tag }).count > 1 {
            tags[index] = tag + "#\(index + 1)"
        }
        return tags
    }

    // MARK: Driving

    /// Reads the history (what the files hold now), seeding the state; shows the part
    /// `historyRecords` asks for, merged by time; then reads the streams' first bytes.
    package func start() throws {
        guard phase == .notStarted else { return }
        phase = .history
        try follower.pollOnce(include: { !$0.isStream }, records: handleAndCheck, notices: notice)
        endHistory()
        phase = .live
        try step()
    }

    /// One step: reads what is new in every log, then checks the clock.
    @discardableResult
    package func step() throws -> Int {
        if phase == .notStarted { try start(); return 0 }
        let streamBytesBefore = streamBytes
        let count = try follower.pollOnce(records: handleAndCheck, notices: notice)
        if streamBytes != streamBytesBefore { lastStreamData = clock.now }
        checkClock()
        return count
    }

    private var streamBytes: Int { follower.logs.reduce(0) { $0 + ($1.isStream ? $1.bytes : 0) } }

    /// What the clock decides: an exception still waiting for its message is shown, and the
    /// overdue alert fires once the announced next run plus the grace has passed with no new cycle.
    package func checkClock() {
        guard phase == .live, stopReason == nil else { return }
        let now = clock.now
        for log in follower.logs where mayHaveWaiting[log.index] {
            guard let last = lastRecordAt[log.index], now.seconds(since: last) >= settings.joinWait else { continue }
            flushClassifier(log)
        }
        // Nothing more can come (piped input read to its end): the clock judges nothing.
        guard !follower.allEnded else { return }
        if let quietFrom = streamQuietUntil, now < quietFrom { return }
        for watch in watches {
            guard let deadline = overdueDeadline(watch), now > deadline else { continue }
            raiseOverdue(watch, now: now)
        }
    }

    /// When the announced (or expected) run plus grace passes, unless already alerted.
    private func overdueDeadline(_ watch: UploadWatch) -> Instant? {
        // A bias-less log without --tz is on a clock this machine's cannot be compared with.
        guard !watch.overdueAlerted, watch.clock != .local, let expected = watch.cycles.expectedNextRun else { return nil }
        return expected.adding(seconds: settings.grace)
    }

    /// While a stream delivers, clock alerts wait until it has been quiet for `streamQuiet`.
    private var streamQuietUntil: Instant? {
        guard let last = lastStreamData, follower.logs.contains(where: { $0.isStream && $0.state == .open }) else { return nil }
        return last.adding(seconds: settings.streamQuiet)
    }

    /// The next time `checkClock` has something to do, if any.
    package var nextDeadline: Instant? {
        var deadlines: [Instant] = []
        for watch in watches {
            guard var overdue = overdueDeadline(watch) else { continue }
            if let quiet = streamQuietUntil, quiet > overdue { overdue = quiet }
            deadlines.append(overdue)
        }
        for log in follower.logs where mayHaveWaiting[log.index] {
            if let last = lastRecordAt[log.index] { deadlines.append(last.adding(seconds: settings.joinWait)) }
        }
        return deadlines.min()
    }

    /// Waits and steps until interrupted (a byte on `stopDescriptor`, `interrupted()`, or an
    /// error on `outputDescriptor`: the reader of the output went away), until every input
    /// ended, or until an alert at or above `exitOn`.
    package func run(watcher: ChangeWatcher, stopDescriptor: Int32? = nil, outputDescriptor: Int32? = nil,
                    interrupted: () -> Bool = { false }, longestWait: Double = 3600) throws -> StopReason {
        if phase == .notStarted { try start() }
        while true {
            if let reason = stopReason { return reason }
            if interrupted() { return .interrupted }
            if follower.allEnded { return .endOfInput }
            sink.flush()
            var timeout = longestWait
            if let deadline = nextDeadline {
                timeout = min(timeout, max(0.01, deadline.seconds(since: clock.now) + 0.005))
            }
            let descriptors = follower.streamDescriptors + (stopDescriptor.map { [$0] } ?? [])
            let closing = outputDescriptor.map { [$0] } ?? []
            if case .descriptor(let descriptor) = watcher.wait(timeout: timeout, descriptors: descriptors, closing: closing),
               descriptor == stopDescriptor || descriptor == outputDescriptor {
                return .interrupted
            }
            try step()
        }
    }

    /// Writes the closing summary.
    @discardableResult
    package func finish(reason: StopReason) -> TailSummary {
        if reason == .endOfInput {
            // Every input ended: as in a review, the open cycle closes with them.
            for watch in watches { watch.cycles.finish { change in self.take(change, watch: watch, item: nil, seq: nil) } }
        }
        summary.reason = reason
        let cycles = summary.cycles
        var words = "\(cycles) upload cycle\(cycles == 1 ? "" : "s") seen"
        if follower.logs.contains(where: { !$0.isStream }) {
            words += " (\(summary.liveCycles) while following)"
        }
        words += ", \(summary.recordsUploaded) record\(summary.recordsUploaded == 1 ? "" : "s") uploaded, "
        if summary.alerts == 0 {
            words += "no alerts"
        } else {
            var parts: [String] = []
            if summary.errorAlerts > 0 { parts.append("\(summary.errorAlerts) error\(summary.errorAlerts == 1 ? "" : "s")") }
            if summary.warningAlerts > 0 { parts.append("\(summary.warningAlerts) warning\(summary.warningAlerts == 1 ? "" : "s")") }
            words += "\(summary.alerts) alert\(summary.alerts == 1 ? "" : "s") (\(parts.joined(separator: ", ")))"
        }
        let ended: String
        switch reason {
        case .interrupted: ended = "stopped"
        case .endOfInput: ended = "end of input"
        case .alert: ended = "stopped at the first --exit-on alert"
        }
        sink.emit(TailItem(kind: .summary, event: "summary", time: clock.now, summary: "\(ended): \(words)", fields: [
            ("reason", .string(reason.rawValue)),
            ("cycles", .int(summary.cycles)),
            ("liveCycles", .int(summary.liveCycles)),
            ("recordsUploaded", .int(summary.recordsUploaded)),
            ("alerts", .int(summary.alerts)),
            ("errorAlerts", .int(summary.errorAlerts)),
            ("warningAlerts", .int(summary.warningAlerts)),
            ("records", .int(summary.records)),
        ]))
        sink.flush()
        return summary
    }

    // MARK: Records and events

    /// One record, then whether the sink still takes output: a 1 GiB piped log stops at the
    /// first record after its reader went away, not at its end.
    private func handleAndCheck(_ log: FollowedLog, _ record: Record) throws {
        handle(log, record)
        try sink.check()
    }

    private func handle(_ log: FollowedLog, _ record: Record) {
        guard stopReason == nil else { return }  // stopped at an alert: the rest is not looked at
        guard !record.isCutOffWithoutTime else { return }  // a live copy's last record, cut off before its time
        let index = log.index
        let seq = log.records
        let inHistory = phase == .history
        summary.records += 1
        lastRecordAt[index] = clock.now
        mayHaveWaiting[index] = true
        var joined = false
        var kind = log.kind
        if kind == .unknown, let named = LogKind(component: record.component) { kind = named }  // piped logs, record by record
        let matched = classifiers[index].classify(record, kind: kind, inputName: log.name) { event in
            if event.line < record.line && event.endLine == record.endLine { joined = true }
            process(event, log: log, seq: seq, inHistory: inHistory)
        }
        // The record's events are all out: an exception it holds is a network failure or a failure of its own
        // now, as it would be at the review's next event of this input.
        if failures.isHolding(input: index) {
            failures.flush(input: index) { fact in decided(fact, log: log, inHistory: inHistory) }
            releasePendingException(of: index)
        }
        if !matched && !joined && record.severity == .error {
            let text = String(decoding: record.message.prefix(Classifier.maxTextBytes), as: UTF8.self)
            emit(TailItem(kind: .event, event: "log.error", severity: .error, time: record.utc, input: index,
                          source: tags[index], inputName: log.name, log: log.kind, line: log.fileLine(record.line),
                          history: inHistory, summary: "error (no rule): \(firstLine(text))", message: text,
                          finding: .unrecognizedErrors), seq: seq)
        }
    }

    private func notice(_ log: FollowedLog, _ notice: FollowNotice) {
        let words: String
        switch notice {
        case .appeared: words = "\(log.name) appeared: reading it from the start"
        case .rotated: words = "\(log.name) was rotated: the old file was read to its end, reading the new one"
        case .truncated: words = "\(log.name) was truncated (or written over): reading it again from the start"
        case .ended:
            flushClassifier(log)  // the summary says the input ended
            return
        case .unreadable:
            unreadable(log)
            return
        }
        emit(TailItem(kind: .notice, event: notice.rawValue, time: clock.now, input: log.index, source: tags[log.index],
                      inputName: log.name, log: log.kind, history: phase == .history, summary: words), seq: log.records)
    }

    /// A followed log that cannot be opened: the watchdog is blind to it, so it is an alert at
    /// once (`--exit-on error` stops at it), during the history too, since it is the state now and
    /// not something the file held; and it is said on standard error. The follower tells it once
    /// per change (unreadable, gone, unreadable again), not at every look.
    private func unreadable(_ log: FollowedLog) {
        guard let unread = log.unreadable else { return }
        onUnreadable(unread)
        deliver(TailItem(kind: .alert, event: FollowNotice.unreadable.rawValue, alert: TailSession.unreadableAlert, severity: .error,
                         time: clock.now, input: log.index, source: tags[log.index], inputName: log.name, log: log.kind,
                         summary: "\(log.name) cannot be read (\(unread.reason)): nothing written to it is seen until it can; tried at every look",
                         fields: [("reason", .string(unread.reason))]))
    }

    /// The alert id of a followed log that cannot be opened. Not a finding of `review`, which
    /// marks its report incomplete for the same cause instead.
    package static let unreadableAlert = "log-unreadable"

    /// Hands on an event the log's classifier holds for the next record.
    private func flushClassifier(_ log: FollowedLog) {
        mayHaveWaiting[log.index] = false
        let inHistory = phase == .history
        classifiers[log.index].finish { event in process(event, log: log, seq: log.records, inHistory: inHistory) }
        failures.flush(input: log.index) { fact in decided(fact, log: log, inHistory: inHistory) }
        releasePendingException(of: log.index)
    }

    private func process(_ event: Event, log: FollowedLog, seq: Int, inHistory: Bool) {
        let index = log.index
        let url = failures.lastURL(ofInput: index)  // the URL before this event, for lines that name none
        var item = TailItem(kind: .event, event: event.type.rawValue, severity: event.severity, time: event.time,
                            input: index, source: tags[index], inputName: log.name, log: event.log,
                            line: log.fileLine(event.line), history: inHistory, summary: "",
                            fields: event.fields.sorted { $0.key < $1.key }.map { ($0.key, JSON.string($0.value)) },
                            message: event.text)
        item.summary = TailWords.describe(event, lastURL: url)
        var replaced: TailItem?
        if event.type == .uploadBatch && UploadCycleTracker.reads(event) { summary.recordsUploaded += event.number("count") ?? 0 }
        let watch = watches[watchOf[index]]
        if UploadCycleTracker.reads(event), let clock = event.clock { watch.clock = clock }
        watch.cycles.consume(event) { change in
            if let shown = take(change, watch: watch, item: item, seq: seq) { replaced = shown }
        }
        var ownFinding: (id: FindingID, severity: Severity)?
        failures.consume(event) { fact in
            if let pending = pendingException[index], case .exception(_, _, _, let source) = fact, source.line == pending.line {
                decided(fact, log: log, inHistory: inHistory)
            } else if let decision = FailureDecision.finding(for: fact) {
                ownFinding = decision
            }
        }
        releasePendingException(of: index)
        if event.type == .actionUnauthorized { ownFinding = (.actionUnauthorized, .error) }
        if let replaced {
            emit(replaced, seq: seq)
            return
        }
        if event.type == .exception && failures.isHolding(input: index) {
            pendingException[index] = (item, seq, event.line)
            return
        }
        if let (id, severity) = ownFinding { mark(&item, id: id, severity: severity, index: index, seq: seq, inHistory: inHistory) }
        guard TailWords.isShown(event) else { return }
        emit(item, seq: seq)
    }

    /// The failure decision has come for a held exception: shown now, as an alert if it is one.
    private func decided(_ fact: FailureTracker.Fact, log: FollowedLog, inHistory: Bool) {
        guard let pending = pendingException[log.index] else { return }
        pendingException[log.index] = nil
        var item = pending.item
        if let (id, severity) = FailureDecision.finding(for: fact) {
            mark(&item, id: id, severity: severity, index: log.index, seq: pending.seq, inHistory: item.history)
        }
        emit(item, seq: pending.seq)
    }

    /// A held exception the failure decision dropped (its record is a network failure): shown as it is.
    private func releasePendingException(of index: Int) {
        guard let pending = pendingException[index], !failures.isHolding(input: index) else { return }
        pendingException[index] = nil
        emit(pending.item, seq: pending.seq)
    }

    /// Gives an item the finding it supports; live, and not part of the failure just alerted, it is an alert.
    private func mark(_ item: inout TailItem, id: FindingID, severity: Severity, index: Int, seq: Int, inHistory: Bool) {
        item.finding = id
        var sameFailure = false
        if let last = lastFailure[index], seq - last.seq <= settings.alertBlockRecords {
            sameFailure = true
            if let then = last.time, let now = item.time, now.seconds(since: then) > settings.alertBlockSeconds { sameFailure = false }
        }
        lastFailure[index] = (seq, item.time)
        item.severity = max(item.severity, severity)
        if !sameFailure && !inHistory {
            item.kind = .alert
            item.alert = id.rawValue
            item.severity = severity
        }
    }

    /// What a change of the upload timeline shows. Returns the item to show instead of the event's own (the next-run line).
    @discardableResult
    private func take(_ change: UploadCycleTracker.Change, watch: UploadWatch, item: TailItem?, seq: Int?) -> TailItem? {
        switch change {
        case .opened:
            guard let cycle = watch.cycles.open else { return nil }
            summary.cycles += 1
            let inHistory = item?.history ?? (phase == .history)
            if !inHistory { summary.liveCycles += 1 }
            guard let item else { return nil }
            cycleStarted(cycle, watch: watch, item: item, seq: seq ?? 0)
            return nil
        case .closed(let cycle, let reason):
            switch reason {
            case .nextRunLine:
                guard let item else { return nil }
                return nextRunItem(cycle, watch: watch, item: item)
            case .quietGap, .endOfInput:
                emit(cycleEndedItem(cycle, watch: watch, reason: reason, like: item), seq: seq)
                return nil
            }
        case .unreadableNextRun:
            watch.nextRunUnreadable = true  // the next-run item says so, with its finding
            return nil
        }
    }

    private func cycleStarted(_ cycle: UploadCycle, watch: UploadWatch, item: TailItem, seq: Int) {
        var words = "upload cycle started"
        var severity = Severity.info
        var fields: [(String, JSON)] = [("status", .string(cycle.status.rawValue))]
        let resumed = watch.overdueAlerted
        let wasAnnounced = watch.previousWasAnnounced
        var finding: FindingID?
        if let start = cycle.start, let due = resumed ? watch.overdueDue : cycle.dueAt {
            let delay = start.seconds(since: due)
            fields += [("due", .time(due)), ("delaySeconds", .number(delay.rounded()))]
            if resumed {
                words = "upload resumed: cycle started \(describe(seconds: delay)) after the \(wasAnnounced ? "announced" : "expected") run at \(format.both(due))"
            } else if cycle.status == .late {
                words += ", \(describe(seconds: delay)) after the announced run (late)"
                severity = .warning
                finding = .syncLate
            }
        }
        watch.expectedInput = item.input
        watch.overdueAlerted = false
        watch.overdueDue = nil
        watch.overdueAnnounced = nil
        // A cycle that opens on its next-run line alone (no batch) is told by that line, unless it ends an overdue wait.
        guard event(item) != .uploadNextRun || resumed else { return }
        var started = item
        started.event = "cycle.started"
        started.severity = severity
        started.summary = words
        started.fields = fields
        started.message = nil
        started.finding = finding
        emit(started, seq: seq)
    }

    private func event(_ item: TailItem) -> EventType? { EventType(rawValue: item.event) }

    private func nextRunItem(_ cycle: UploadCycle, watch: UploadWatch, item: TailItem) -> TailItem {
        var result = item
        let text = cycle.nextRunText ?? ""
        var words: String
        var fields: [(String, JSON)] = [("when", .string(text))]
        if let utc = cycle.nextRun {
            words = "next run at \(format.both(utc))"
            fields.append(("nextRun", .time(utc)))
            watch.expectedInput = item.input
            watch.overdueAlerted = false
        } else if !watch.nextRunUnreadable {
            words = "next run at \(text) server time (the line carries no bias: UTC unknown)"
        } else {
            words = "next run at '\(text)' (the date could not be read)"
            result.finding = .nextRunUnreadable
        }
        words += "; cycle: " + cycleWords(cycle)
        fields += [("cycleKind", .string(cycle.kind.rawValue)), ("cycleRecords", .int(cycle.records)),
                   ("cycleBatches", .int(cycle.batches.count)), ("cycleFailed", .bool(cycle.status == .failed)),
                   ("cycleStatus", .string(cycle.status.rawValue))]
        result.summary = words
        result.fields = fields
        watch.nextRunUnreadable = false
        return result
    }

    private func cycleWords(_ cycle: UploadCycle) -> String {
        var parts: [String] = []
        if cycle.kind != .unknown { parts.append(cycle.kind.rawValue) }
        if !cycle.batches.isEmpty {
            parts.append("\(cycle.records) record\(cycle.records == 1 ? "" : "s") in \(cycle.batches.count) batch\(cycle.batches.count == 1 ? "" : "es")")
        } else {
            parts.append("no batches")
        }
        if cycle.status == .failed { parts.append("with failures") }
        if cycle.status == .late { parts.append("late") }
        return parts.joined(separator: ", ")
    }

    /// A cycle that ended without its next-run line: the log went quiet, or the input ended.
    private func cycleEndedItem(_ cycle: UploadCycle, watch: UploadWatch, reason: UploadCycleTracker.CloseReason,
                                like item: TailItem?) -> TailItem {
        let index = cycle.firstEvidence.input == item?.inputName ? item?.input : watch.expectedInput
        let why = reason == .quietGap ? "the log went quiet for more than \(describe(seconds: settings.cycleGap))" : "the input ended"
        return TailItem(kind: .event, event: "cycle.ended", severity: .info, time: cycle.end, input: index,
                        source: index.map { tags[$0] }, inputName: cycle.lastInput, log: .syncUpload,
                        history: item?.history ?? (phase == .history),
                        summary: "upload cycle ended without a next-run line (\(why)); cycle: \(cycleWords(cycle))",
                        fields: [("cycleKind", .string(cycle.kind.rawValue)), ("cycleRecords", .int(cycle.records)),
                                 ("cycleBatches", .int(cycle.batches.count)), ("cycleFailed", .bool(cycle.status == .failed)),
                                 ("cycleStatus", .string(cycle.status.rawValue)), ("reason", .string(reason.rawValue))])
    }

    private func raiseOverdue(_ watch: UploadWatch, now: Instant) {
        guard let due = watch.cycles.expectedNextRun else { return }
        let expectedIsAnnounced = watch.cycles.expectedRunIsAnnounced
        watch.overdueAlerted = true
        watch.overdueDue = due
        watch.overdueAnnounced = expectedIsAnnounced
        let late = now.seconds(since: due)
        let words: String
        if expectedIsAnnounced {
            words = "upload overdue\(watch.name.map { " on \($0)" } ?? ""): the next run was announced for \(format.both(due)); \(describe(seconds: late)) later no new upload cycle has started (grace \(describe(seconds: settings.grace)))"
        } else {
            words = "upload overdue\(watch.name.map { " on \($0)" } ?? ""): no next run was announced, and no upload cycle has started since \(format.both(due.adding(seconds: -settings.uploadInterval))); one was expected every \(describe(seconds: settings.uploadInterval)) (grace \(describe(seconds: settings.grace)))"
        }
        let index = watch.expectedInput
        emit(TailItem(kind: .alert, event: "upload.overdue", alert: FindingID.syncStalled.rawValue, severity: .error, time: now,
                      input: index, source: index.map { tags[$0] }, inputName: index.map { follower.logs[$0].name },
                      log: .syncUpload, summary: words,
                      fields: [("due", .time(due)), ("announced", .bool(expectedIsAnnounced)),
                               ("deadline", .time(due.adding(seconds: settings.grace))),
                               ("overdueSeconds", .number(late.rounded()))],
                      finding: .syncStalled),
             seq: nil)
    }

    // MARK: Output

    private func emit(_ item: TailItem, seq: Int?) {
        if item.history {
            hold(item, seq: seq ?? 0)
            return
        }
        deliver(item)
    }

    private func deliver(_ item: TailItem) {
        guard stopReason == nil else { return }
        if item.kind == .alert {
            summary.alerts += 1
            if item.severity == .error { summary.errorAlerts += 1 } else { summary.warningAlerts += 1 }
        }
        sink.emit(item)
        if item.kind == .alert, let threshold = settings.exitOn, item.severity >= threshold { stopReason = .alert }
    }

    /// Keeps a history item if it is among what `historyRecords` shows.
    private func hold(_ item: TailItem, seq: Int) {
        guard let index = item.input, settings.historyRecords != 0 else { return }
        ordinal += 1
        history[index].append(HistoryEntry(seq: seq, ordinal: ordinal, item: item))
        historyHeld += 1
        if let keep = settings.historyRecords {
            // Only the events of the log's last `keep` records so far.
            let oldest = follower.logs[index].records - keep
            while historyHeads[index] < history[index].count, history[index][historyHeads[index]].seq <= oldest {
                historyHeads[index] += 1
                historyHeld -= 1
            }
            if historyHeads[index] > 1024 && historyHeads[index] * 2 > history[index].count {
                history[index].removeFirst(historyHeads[index])
                historyHeads[index] = 0
            }
        } else if historyHeld >= settings.historyMergeLimit {
            writeHistory()
        }
    }

    /// Writes the held history, logs merged by time (an item without a time stays after its log's previous one).
    private func writeHistory() {
        var entries: [(key: Instant, entry: HistoryEntry)] = []
        for index in history.indices {
            var key = Instant(ticks: .min)
            for entry in history[index][historyHeads[index]...] {
                if let time = entry.item.time { key = time }
                entries.append((key, entry))
            }
            history[index] = []
            historyHeads[index] = 0
        }
        historyHeld = 0
        entries.sort { $0.key != $1.key ? $0.key < $1.key : $0.entry.ordinal < $1.entry.ordinal }
        for (_, entry) in entries { deliver(entry.item) }
    }

    private func endHistory() {
        // An exception header that ended the history is shown now, as history, not later as news.
        for log in follower.logs where !log.isStream && mayHaveWaiting[log.index] { flushClassifier(log) }
        writeHistory()
    }
}
