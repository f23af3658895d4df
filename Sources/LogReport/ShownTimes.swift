import LogInput
import LogAnalysis
import LogFindings
/// How one report writes its times for people, after `--time` (`TimeChoice`) and what the
/// logs let it know. UTC is known when the records carry a bias (or `--bias`/`--tz` gave
/// one); the server's local time when they carry one too (`BiasHistory`: its offset at
/// each instant), or when they carry none (a local clock: then UTC is the unknown one).
/// What is asked for but not known is never made up: the clock that is known is shown,
/// labelled as what it is, and `fallbackNote` says so once.
package struct ShownTimes: Sendable {
    /// The clock the times are written on.
    package enum Shown: Equatable, Sendable {
        case utc
        /// The server's wall clock with its zone unknown (records without a bias, no `--tz`).
        case wallClock
        /// The server's local time at its known offset.
        case local
        /// The server's local time at its known offset, UTC beside it.
        case both
    }

    package let shown: Shown
    package let asked: TimeChoice
    /// Whether `--time` was given (a default that cannot be kept is only said where no other line says it).
    let explicit: Bool
    let clock: LogClock
    let biases: BiasHistory
    /// Whether the report shows any time at all (no note about clocks for a report without one).
    let hasTimes: Bool

    package init(clock: LogClock, biases: BiasHistory, asked: TimeChoice?, hasTimes: Bool = true) {
        self.asked = asked ?? .standard
        explicit = asked != nil
        self.clock = clock
        self.biases = biases
        self.hasTimes = hasTimes
        if clock == .local {
            shown = .wallClock
        } else if biases.isEmpty {
            shown = .utc
        } else {
            shown = switch self.asked { case .utc: .utc; case .local: .local; case .both: .both }
        }
    }

    package init(_ report: Report, asked: TimeChoice?) {
        self.init(clock: report.clock, biases: report.biases, asked: asked,
                  hasTimes: report.windowStart != nil || report.evaluatedAt != nil)
    }

    /// The same times without UTC beside them: for table cells and other tight places.
    package var localOnly: ShownTimes {
        ShownTimes(clock: clock, biases: biases, asked: asked == .both ? .local : asked, hasTimes: hasTimes)
    }

    // MARK: Writing a time

    /// The offset east of UTC in minutes that local times are written at; nil on UTC or a wall clock.
    func offset(at instant: Instant) -> Int? {
        shown == .local || shown == .both ? biases.offsetMinutes(at: instant) : nil
    }

    /// The calendar time shown for an instant.
    func civil(_ instant: Instant) -> CivilTime {
        CivilTime(utc: instant + Int64((offset(at: instant) ?? 0) * 60))
    }

    /// What a time is labelled with: `UTC`, `local` (zone unknown) or its offset, `-08:00`.
    package func label(at instant: Instant) -> String {
        switch shown {
        case .utc: "UTC"
        case .wallClock: "local"
        case .local, .both: Self.offsetText(offset(at: instant) ?? 0)
        }
    }

    /// `+01:00`, `-08:00`, `+05:30`, `+00:00`: ISO 8601's offset.
    package static func offsetText(_ minutes: Int) -> String {
        let hours = String(minutes.magnitude / 60), rest = String(minutes.magnitude % 60)
        return (minutes < 0 ? "-" : "+") + String(repeating: "0", count: 2 - min(2, hours.count)) + hours + ":"
            + String(repeating: "0", count: 2 - rest.count) + rest
    }

    /// The time on the shown clock with no label: a table cell under a header that names the clock.
    package func cell(_ instant: Instant, seconds: Bool = false) -> String {
        seconds ? TimeText.toSecond(civil(instant), label: nil) : TimeText.toMinute(civil(instant), label: nil)
    }

    /// A time for a sentence, labelled: `2020-02-28 08:35 -08:00 (16:35 UTC)` with both, the
    /// UTC date left out when it is the local date too.
    /// A server whose offset is +00:00 has one time for both: written once, as UTC.
    package func point(_ instant: Instant, seconds: Bool = false) -> String {
        if shown == .both && offset(at: instant) == 0 { return cell(instant, seconds: seconds) + " UTC" }
        var text = cell(instant, seconds: seconds) + " " + label(at: instant)
        if shown == .both { text += " (" + utcBeside(instant, seconds: seconds) + " UTC)" }
        return text
    }

    /// `A to B -08:00`, each end labelled when their labels differ; with both, UTC's range beside.
    package func range(_ start: Instant, _ end: Instant, seconds: Bool = false) -> String {
        if shown == .both && offset(at: start) == 0 && offset(at: end) == 0 {
            return "\(cell(start, seconds: seconds)) to \(cell(end, seconds: seconds)) UTC"
        }
        let first = label(at: start) == label(at: end) ? cell(start, seconds: seconds) : cell(start, seconds: seconds) + " " + label(at: start)
        var text = "\(first) to \(cell(end, seconds: seconds)) \(label(at: end))"
        if shown == .both {
            text += " (\(utcBeside(start, seconds: seconds)) to \(utcBeside(end, seconds: seconds)) UTC)"
        }
        return text
    }

    /// UTC beside a local time, without its date when that is the local date.
    private func utcBeside(_ instant: Instant, seconds: Bool) -> String {
        let utc = CivilTime(utc: instant)
        let local = civil(instant)
        let text = seconds ? TimeText.toSecond(utc, label: nil) : TimeText.toMinute(utc, label: nil)
        return (utc.year, utc.month, utc.day) == (local.year, local.month, local.day) ? String(text.dropFirst(11)) : text
    }

    // MARK: Saying which clock

    /// What a table's header says its times are: `UTC`, `server local time, -08:00, UTC is 8 h
    /// later`, or the wall clock's `server local time, zone unknown: pass --tz`.
    package var tableClock: String {
        switch shown {
        case .utc: return "UTC"
        case .wallClock: return clock.explanation
        case .local, .both:
            let offsets = biases.biases.map { -$0 }
            guard offsets.count == 1, let only = offsets.first else {
                return "server local time, " + offsets.map(Self.offsetText).joined(separator: " and ") + " (the offset changed: each time at its own)"
            }
            var text = "server local time, " + Self.offsetText(only)
            if shown == .both {
                text += only == 0 ? ", which is UTC" : ", UTC is \(describe(seconds: Double(abs(only) * 60))) \(only > 0 ? "earlier" : "later")"
            }
            return text
        }
    }

    /// A line for a table where the offset changes between two of its times (daylight saving
    /// time), naming the new one; nil when it does not change or no offset is shown.
    package func change(from previous: Instant, to next: Instant) -> String? {
        guard let before = offset(at: previous), let after = offset(at: next), before != after else { return nil }
        return "— server clock now \(Self.offsetText(after)) —"
    }

    /// Once per report, when the clock asked for (`--time`, or the default both) cannot be
    /// shown: which clock is shown instead, and why. Nil when everything asked is shown, or
    /// the report shows no time. A local clock's headline already says its zone is unknown,
    /// so the default is not repeated there.
    package var fallbackNote: String? {
        guard hasTimes else { return nil }
        let option = explicit ? "--time \(asked.rawValue)" : "--time \(asked.rawValue), the default"
        switch shown {
        case .wallClock where asked != .local && explicit:
            return "Times: UTC is not known (\(option)): the logs carry no bias, so times are the server's local time, labelled local; pass --tz with the server's zone."
        case .utc where asked != .utc:
            let why = biases.isSettled ? "no record carried a bias" : "the records' biases change too often to be one server's clock"
            return "Times: the server's local time is not known (\(option)): \(why), so times are UTC, labelled UTC."
        default:
            return nil
        }
    }
}
