import LogInput
import LogRules
import LogAnalysis
import LogFindings
/// How a report says which window (`--since`, `--until`) it was read in: the text
/// report's line under the verdict, the JSON report's `filter` (docs/report-json.md).
package enum WindowReport {
    /// Records the window left out, over the report's inputs.
    static func outside(_ report: Report) -> Int {
        report.inputs.reduce(0) { $0 + $1.summary.outsideWindow }
    }

    /// A bound on the report's clock; an instant on a local-clock report with nothing to
    /// place it on (no record on that clock was met) is shown on UTC.
    static func place(_ bound: TimeWindow.Bound, _ clock: LogClock) -> (Instant, LogClock) {
        bound.on(clock).map { ($0, clock) } ?? (bound.utc, .utc)
    }

    /// `Window: 2020-03-04 10:15:00 UTC to 2020-03-04 11:00:00 UTC (--since, --until); 12 records outside left out.`
    /// With one end: `Window: from … on (--since)`, `Window: up to … (--until)`.
    package static func line(_ window: TimeWindow, report: Report) -> String {
        func text(_ bound: TimeWindow.Bound) -> String {
            let (instant, clock) = place(bound, report.clock)
            return TimeText.toSecond(instant, on: clock, labelled: true)
        }
        let span: String
        switch (window.since, window.until) {
        case let (since?, until?): span = "\(text(since)) to \(text(until)) (--since, --until)"
        case let (since?, nil): span = "from \(text(since)) on (--since)"
        case let (nil, until?): span = "up to \(text(until)) (--until)"
        case (nil, nil): span = "the whole logs"
        }
        let outside = outside(report)
        return "Window: \(span); \(outside) record\(outside == 1 ? "" : "s") outside left out."
    }

    /// `{"since": …, "until": …, "recordsOutside": 12}`, or null when no window was given.
    package static func json(_ window: TimeWindow?, report: Report) -> JSON {
        guard let window else { return .null }
        func time(_ bound: TimeWindow.Bound?) -> JSON {
            guard let bound else { return .null }
            let (instant, clock) = place(bound, report.clock)
            return .time(instant, clock)
        }
        return .object([
            ("since", time(window.since)),
            ("until", time(window.until)),
            ("recordsOutside", .int(outside(report))),
        ])
    }
}
