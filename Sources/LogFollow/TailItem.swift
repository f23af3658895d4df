import LogInput
import LogRules
import LogAnalysis
import LogFindings
import LogReport
import FoundationEssentials

/// One line of `tail` output: an event read from a log, an alert, a notice
/// about a file, or the closing summary. Text and JSON Lines are both written
/// from it (docs/tail.md documents the JSON shape).
package struct TailItem: Sendable {
    package enum Kind: String, Sendable {
        case event, alert, notice, summary
    }

    package var kind: Kind
    /// What happened: an event type (`upload.batch`), `cycle.started`, `upload.overdue`,
    /// `log.error`, a file notice (`file.rotated`), or `summary`.
    package var event: String
    /// For alerts, the alert id (`upload-overdue`, `upload-unauthorized`, …).
    package var alert: String?
    package var severity: Severity
    /// The record's time (UTC); for clock alerts and notices, the clock's.
    package var time: Instant?
    /// Index of the log among those followed.
    package var input: Int?
    /// The short source tag shown in the merged stream (`sync`, `notification`, …).
    package var source: String?
    package var inputName: String?
    package var log: LogKind?
    /// The record's first line, within the file it was read from.
    package var line: Int?
    /// Read from what the file held when tail started.
    package var history: Bool
    /// The event in words.
    package var summary: String
    package var fields: [(String, JSON)]
    /// The finding of `review` this item is evidence of (`sync-late`, `upload-unauthorized`, …), for
    /// events and alerts alike: `tail` and `review` name one problem the same way.
    package var finding: FindingID?
    /// The record's message as written, for `--raw` and JSON (capped at `Classifier.maxTextBytes`).
    package var message: String?

    package init(kind: Kind, event: String, alert: String? = nil, severity: Severity = .info, time: Instant? = nil,
                input: Int? = nil, source: String? = nil, inputName: String? = nil, log: LogKind? = nil, line: Int? = nil,
                history: Bool = false, summary: String, fields: [(String, JSON)] = [], message: String? = nil,
                finding: FindingID? = nil) {
        self.kind = kind; self.event = event; self.alert = alert; self.severity = severity; self.time = time
        self.input = input; self.source = source; self.inputName = inputName; self.log = log; self.line = line
        self.history = history; self.summary = summary; self.fields = fields; self.message = message
        self.finding = finding
    }

    package func field(_ name: String) -> JSON? { fields.first { $0.0 == name }?.1 }
}

/// Where items go. The session calls `flush` before it waits.
package protocol TailSink: AnyObject {
    func emit(_ item: TailItem)
    func flush()
    /// Throws once the sink can take nothing more (its output closed or failed), so that
    /// the session stops reading at once: checked after every record.
    func check() throws
}

extension TailSink {
    package func check() throws {}
}

/// Collects items in memory, for tests.
package final class TailCollector: TailSink {
    package private(set) var items: [TailItem] = []
    package init() {}
    package func emit(_ item: TailItem) { items.append(item) }
    package func flush() {}
    package func removeAll() { items.removeAll() }
}

/// What a tail session saw, for the closing summary.
package struct TailSummary: Sendable {
    /// Upload cycles seen, history included, and those that started while following.
    package var cycles = 0
    package var liveCycles = 0
    /// The sum of every `Batching N records` read.
    package var recordsUploaded = 0
    package var alerts = 0
    package var errorAlerts = 0
    package var warningAlerts = 0
    /// Records read, all logs.
    package var records = 0
    package var reason: TailSession.StopReason?
}

/// Times for people: the viewer's local time zone, and UTC. The forms are
/// `TimeText`'s; what is tail's own is the viewer's zone, looked up in the
/// zone database for each instant (offsets change with daylight saving).
package struct TailTimeFormat: Sendable {
    package let timeZone: TimeZone

    package init(timeZone: TimeZone) { self.timeZone = timeZone }

    /// `2020-02-28 16:20:31` in the viewer's time zone.
    package func local(_ instant: Instant) -> String {
        TimeText.toSecond(CivilTime(utc: instant + Int64(offsetSeconds(instant))), label: nil)
    }

    /// `2020-02-29 00:20:31` (UTC, no zone letter).
    package func utc(_ instant: Instant) -> String { TimeText.toSecond(instant, labelled: false) }

    /// `2020-02-28 16:35:31 local (2020-02-29 00:35:31 UTC)`; the UTC date is left out when it is the same day.
    package func both(_ instant: Instant) -> String { TimeText.both(instant, viewerOffsetSeconds: offsetSeconds(instant)) }

    private func offsetSeconds(_ instant: Instant) -> Int {
        timeZone.secondsFromGMT(for: Date(timeIntervalSince1970: Double(instant.ticks) / Double(Instant.ticksPerSecond)))
    }
}
