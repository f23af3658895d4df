import LogMatching

/// Which clock a log's times are on. ConfigMgr writes local wall-clock time,
/// usually followed by a bias (UTC = local + bias); real service connection
/// point logs write none (seen: seven fractional digits and no bias), and
/// then the zone is not in the file. Such times are never given a zone that
/// nobody named: they stay on the server's local clock, and every timeline
/// judgement (delays, late and missed runs, the stall) works on that clock,
/// which is as good as UTC for differences between the same server's lines.
package enum LogClock: String, Sendable, Codable {
    /// Times are instants: the record carries a bias (or `--bias`/`--tz` gave one).
    case utc
    /// Times are the server's local wall clock, zone unknown.
    case local
}

extension LogTimestamp {
    package var clock: LogClock { bias != nil ? .utc : .local }

    /// The time on the record's own clock: UTC when the bias is known, else the
    /// local wall-clock fields read as if they were UTC (a `local` clock).
    package var time: Instant {
        if let utc { return utc }
        return Instant(ticks: local.ticksAsIfUTC)
    }

    /// A civil time written by the same writer as this record (a next-run date): placed on
    /// this record's clock, with this record's bias.
    package func onSameClock(_ civil: CivilTime) -> Instant {
        Instant(ticks: civil.ticksAsIfUTC + Int64(bias ?? 0) * 60 * Instant.ticksPerSecond)
    }
}

extension LogClock {
    /// How times on this clock are written: `Z` and `UTC`, or no zone suffix and `local`.
    package var text: TimeClock { self == .utc ? .utc : .serverLocal }

    /// What a person is told about times on this clock.
    package var explanation: String {
        self == .utc ? "UTC" : "server local time, zone unknown: pass --tz"
    }
}

extension TimeClock {
    /// A server's wall clock whose zone is not known: ISO 8601 without an offset.
    package static let serverLocal = TimeClock(isoSuffix: "", label: "local")
}

extension TimeText {
    /// `2020-02-28T18:00:00.000Z` on UTC, `2020-02-28T18:00:00.000` on a local clock.
    package static func iso8601(_ instant: Instant, on clock: LogClock) -> String {
        iso8601(CivilTime(utc: instant), clock: clock.text)
    }

    /// `2020-02-28 16:35 UTC` / `2020-02-28 16:35 local`, or without the label.
    package static func toMinute(_ instant: Instant, on clock: LogClock, labelled: Bool) -> String {
        toMinute(CivilTime(utc: instant), label: labelled ? clock.text : nil)
    }

    package static func toSecond(_ instant: Instant, on clock: LogClock, labelled: Bool) -> String {
        toSecond(CivilTime(utc: instant), label: labelled ? clock.text : nil)
    }
}
