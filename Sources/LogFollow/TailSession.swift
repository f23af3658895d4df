import LogInput
import LogRules
import LogAnalysis
import LogFindings
import LogReport
import Foundation

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

    struct OpenCycle {
        var start: Instant?
        var kind: UploadCycle.Kind = .unknown
        var batches = 0
        var records = 0
        var failed = false
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

    /// One classifier per log: an event waiting for its log's next record must not be cut short by another log's.
    private let classifiers: [Classifier]

    // Upload state.
    private var cycle: OpenCycle?
    private var lastSyncTime: Instant?
    /// When the next cycle is due: the announced next run, or the last cycle's start plus the interval.
    package private(set) var expectedRun: Instant?
    package private(set) var expectedIsAnnounced = false
    private var expectedInput: Int?
    private var overdueAlerted = false

    // Per log.
    private var lastFailure: [(seq: Int, time: Instant?)?]
    private var lastURL: [String?]
    private var lastRecordAt: [Instant?]
    private var mayHaveWaiting: [Bool]
    private var lastStreamData: Instant?

    // History shown with -n / --from-start, per log, for merging by time.
    private var history: [[HistoryEntry]]
    private var historyHeads: [Int]
    private var historyHeld = 0
    private var ordinal = 0

    package init(follower: LogFollower, catalog: RuleCatalog, settings: TailSettings, clock: any TailClock,
                sink: any TailSink) throws(RuleError) {
        self.follower = follower
        self.settings = settings
        self.clock = clock
        self.sink = sink
        format = TailTimeFormat(timeZone: settings.timeZone)
        var classifiers: [Classifier] = []
        for _ in follower.logs { classifiers.append(try Classifier(catalog: catalog)) }
        self.classifiers = classifiers
        tags = TailSession.tags(for: follower.logs.map(\.target))
        let count = follower.logs.count
        lastFailure = Array(repeating: nil, count: count)
        lastURL = Array(repeating: nil, count: count)
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
        try follower.pollOnce(include: { !$0.isStream }, records: handle, notices: notice)
        endHistory()
        phase = .live
        try step()
    }

    /// One step: reads what is new in every log, then checks the clock.
    @discardableResult
    package func step() throws -> Int {
        if phase == .notStarted { try start(); return 0 }
        let streamBytesBefore = streamBytes
        let count = try follower.pollOnce(records: handle, notices: notice)
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
        guard let deadline = overdueDeadline, now > deadline else { return }
        if let quietFrom = streamQuietUntil, now < quietFrom { return }
        raiseOverdue(now: now)
    }

    /// When the announced (or expected) run plus grace passes, unless already alerted.
    private var overdueDeadline: Instant? {
        guard !overdueAlerted, let expected = expectedRun else { return nil }
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
        if var overdue = overdueDeadline {
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

    private func handle(_ log: FollowedLog, _ record: Record) {
        guard stopReason == nil else { return }  // stopped at an alert: the rest is not looked at
        let index = log.index
        let seq = log.records
        let inHistory = phase == .history
        summary.records += 1
        lastRecordAt[index] = clock.now
        mayHaveWaiting[index] = true
        var joined = false
        let matched = classifiers[index].classify(record, kind: log.kind, inputName: log.name) { event in
            if event.line < record.line && event.endLine == record.endLine { joined = true }
            process(event, log: log, seq: seq, inHistory: inHistory)
        }
        if !matched && !joined && record.severity == .error {
            let text = String(decoding: record.message.prefix(Classifier.maxTextBytes), as: UTF8.self)
            emit(TailItem(kind: .event, event: "log.error", severity: .error, time: record.utc, input: index,
                          source: tags[index], inputName: log.name, log: log.kind, line: log.fileLine(record.line),
                          history: inHistory, summary: "error (no rule): \(firstLine(text))", message: text), seq: seq)
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
        }
        emit(TailItem(kind: .notice, event: notice.rawValue, time: clock.now, input: log.index, source: tags[log.index],
                      inputName: log.name, log: log.kind, history: phase == .history, summary: words), seq: log.records)
    }

    /// Hands on an event the log's classifier holds for the next record.
    private func flushClassifier(_ log: FollowedLog) {
        mayHaveWaiting[log.index] = false
        let inHistory = phase == .history
        classifiers[log.index].finish { event in process(event, log: log, seq: log.records, inHistory: inHistory) }
    }

    private func process(_ event: Event, log: FollowedLog, seq: Int, inHistory: Bool) {
        let index = log.index
        let url = lastURL[index]
        switch event.type {
        case .httpRequest, .httpResponse, .uploadFailed:
            if let eventURL = event["url"] { lastURL[index] = eventURL }
        default:
            break
        }
        var item = TailItem(kind: .event, event: event.type.rawValue, severity: event.severity, time: event.time,
                            input: index, source: tags[index], inputName: log.name, log: event.log,
                            line: log.fileLine(event.line), history: inHistory, summary: "",
                            fields: event.fields.sorted { $0.key < $1.key }.map { ($0.key, JSON.string($0.value)) },
                            message: event.text)
        if event.log == .syncUpload || event.log == .unknown {
            if let replaced = upload(event, item: item, seq: seq) {
                emit(replaced, seq: seq)
                return
            }
        }
        if let (id, severity) = TailWords.alert(for: event, lastURL: url) {
            var sameFailure = false
            if let last = lastFailure[index], seq - last.seq <= settings.alertBlockRecords {
                sameFailure = true
                if let then = last.time, let now = event.time, now.seconds(since: then) > settings.alertBlockSeconds { sameFailure = false }
            }
            lastFailure[index] = (seq, event.time)
            item.severity = max(item.severity, severity)
            if !sameFailure && !inHistory {
                item.kind = .alert
                item.alert = id
                item.severity = severity
            }
        }
        guard TailWords.isShown(event) else { return }
        item.summary = TailWords.describe(event, lastURL: url)
        emit(item, seq: seq)
    }

    /// The upload state. Returns the item to show instead of the event's own (the next-run line).
    private func upload(_ event: Event, item: TailItem, seq: Int) -> TailItem? {
        if let time = event.time, let last = lastSyncTime, cycle != nil, time.seconds(since: last) > settings.cycleGap,
           SyncTimeline.opensCycle(event.type) {
            cycle = nil  // the log went quiet: that cycle ended without a next-run line
        }
        if let time = event.time { lastSyncTime = time }
        switch event.type {
        case .uploadBatch, .uploadScenario:
            if cycle == nil { openCycle(event, item: item, seq: seq, quiet: false) }
            if event.type == .uploadBatch {
                let count = event.number("count") ?? 0
                cycle!.batches += 1
                cycle!.records += count
                summary.recordsUploaded += count
            } else if let kind = event["kind"].flatMap(UploadCycle.Kind.init(rawValue:)),
                      cycle!.kind == .unknown || kind == .full {
                cycle!.kind = kind
            }
            return nil
        case .uploadNextRun:
            if cycle == nil { openCycle(event, item: item, seq: seq, quiet: true) }
            let ended = cycle!
            cycle = nil
            return nextRunItem(event, item: item, cycle: ended)
        case .httpResponse, .httpStatus, .exception, .networkFailure, .uploadFailed:
            if cycle != nil, SyncTimeline.isFailure(event), !SyncTimeline.isOtherWorkersEndpoint(event) { cycle!.failed = true }
            return nil
        default:
            return nil
        }
    }

    private func openCycle(_ event: Event, item: TailItem, seq: Int, quiet: Bool) {
        cycle = OpenCycle(start: event.time)
        summary.cycles += 1
        if !item.history { summary.liveCycles += 1 }
        var words = "upload cycle started"
        var severity = Severity.info
        var fields: [(String, JSON)] = []
        let resumed = overdueAlerted
        if let start = event.time, let due = expectedRun {
            let delay = start.seconds(since: due)
            fields = [("due", .time(due)), ("delaySeconds", .number(delay.rounded()))]
            if resumed {
                words = "upload resumed: cycle started \(describe(seconds: delay)) after the \(expectedIsAnnounced ? "announced" : "expected") run at \(format.both(due))"
            } else if delay > settings.grace {
                words += ", \(describe(seconds: delay)) after the \(expectedIsAnnounced ? "announced" : "expected") run (late)"
                severity = .warning
            }
        }
        expectedRun = event.time.map { $0.adding(seconds: settings.uploadInterval) }
        expectedIsAnnounced = false
        expectedInput = item.input
        overdueAlerted = false
        guard !quiet || resumed else { return }
        var started = item
        started.event = "cycle.started"
        started.severity = severity
        started.summary = words
        started.fields = fields
        started.message = nil
        emit(started, seq: seq)
    }

    private func nextRunItem(_ event: Event, item: TailItem, cycle: OpenCycle) -> TailItem {
        var result = item
        let text = event["when"] ?? ""
        let resolved = NextRunResolver.resolve(text, writtenAt: event.timestamp, interval: settings.uploadInterval)
        var words: String
        var fields: [(String, JSON)] = [("when", .string(text))]
        if let utc = resolved?.utc {
            words = "next run at \(format.both(utc))"
            fields.append(("nextRun", .time(utc)))
            expectedRun = utc
            expectedIsAnnounced = true
            expectedInput = item.input
            overdueAlerted = false
        } else if resolved != nil {
            words = "next run at \(text) server time (the line carries no bias: UTC unknown)"
        } else {
            words = "next run at '\(text)' (the date could not be read)"
        }
        var parts: [String] = []
        if cycle.kind != .unknown { parts.append(cycle.kind.rawValue) }
        if cycle.batches > 0 {
            parts.append("\(cycle.records) record\(cycle.records == 1 ? "" : "s") in \(cycle.batches) batch\(cycle.batches == 1 ? "" : "es")")
        } else {
            parts.append("no batches")
        }
        if cycle.failed { parts.append("with failures") }
        words += "; cycle: " + parts.joined(separator: ", ")
        fields += [("cycleKind", .string(cycle.kind.rawValue)), ("cycleRecords", .int(cycle.records)),
                   ("cycleBatches", .int(cycle.batches)), ("cycleFailed", .bool(cycle.failed))]
        result.summary = words
        result.fields = fields
        return result
    }

    private func raiseOverdue(now: Instant) {
        guard let due = expectedRun else { return }
        overdueAlerted = true
        let late = now.seconds(since: due)
        let words: String
        if expectedIsAnnounced {
            words = "upload overdue: the next run was announced for \(format.both(due)); \(describe(seconds: late)) later no new upload cycle has started (grace \(describe(seconds: settings.grace)))"
        } else {
            words = "upload overdue: no next run was announced, and no upload cycle has started since \(format.both(due.adding(seconds: -settings.uploadInterval))); one was expected every \(describe(seconds: settings.uploadInterval)) (grace \(describe(seconds: settings.grace)))"
        }
        let index = expectedInput
        emit(TailItem(kind: .alert, event: "upload.overdue", alert: "upload-overdue", severity: .error, time: now,
                      input: index, source: index.map { tags[$0] }, inputName: index.map { follower.logs[$0].name },
                      log: .syncUpload, summary: words,
                      fields: [("due", .time(due)), ("announced", .bool(expectedIsAnnounced)),
                               ("deadline", .time(due.adding(seconds: settings.grace))),
                               ("overdueSeconds", .number(late.rounded()))]),
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
