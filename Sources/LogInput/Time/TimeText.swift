import LogMatching
/// The clock a time is on, for the marks written after it. Every `Instant` is
/// UTC, but a record without a bias is on the server's wall clock with its zone
/// unknown: such a time must be written without `Z` and never called UTC. So the
/// formatters below take the clock instead of assuming UTC; only their `Instant`
/// forms, whose clock is UTC by definition, fill it in.
package struct TimeClock: Equatable, Sendable {
    /// Written after an ISO 8601 time: `Z`, or nothing (ISO 8601's local time, zone not stated).
    package var isoSuffix: String
    /// Written after a time for people, after a space: `UTC`, `local`.
    package var label: String

    package init(isoSuffix: String, label: String) {
        self.isoSuffix = isoSuffix
        self.label = label
    }

    package static let utc = TimeClock(isoSuffix: "Z", label: "UTC")
    /// The time zone of whoever reads the output (tail's times).
    package static let viewer = TimeClock(isoSuffix: "", label: "local")
}

/// Every way cmlogcheck writes a time, in one place so the forms cannot drift
/// apart: ISO 8601 for machines, and to-the-minute, to-the-second and
/// viewer-and-UTC forms for people. Fixed-width ASCII digits, never a locale.
package enum TimeText {
    /// `2020-02-28T18:00:00.000Z` (milliseconds; the clock's ISO suffix last).
    package static func iso8601(_ time: CivilTime, clock: TimeClock) -> String {
        var out: [UInt8] = []
        out.reserveCapacity(24 + clock.isoSuffix.utf8.count)
        appendISO8601(time, clock: clock, to: &out)
        return String(decoding: out, as: UTF8.self)
    }

    /// `2020-02-28T18:00:00.000Z`.
    package static func iso8601(_ instant: Instant) -> String { iso8601(CivilTime(utc: instant), clock: .utc) }

    /// Appends the ISO 8601 form as bytes: for writers that build output without a String per time.
    package static func appendISO8601(_ time: CivilTime, clock: TimeClock, to out: inout [UInt8]) {
        appendDate(time, to: &out)
        out.append(UInt8(ascii: "T"))
        appendClock(time, seconds: true, to: &out)
        out.append(UInt8(ascii: "."))
        append(Int(time.fractionTicks / 10_000), width: 3, to: &out)
        out.append(contentsOf: clock.isoSuffix.utf8)
    }

    /// `2020-02-28 16:35`, then ` UTC` (the clock's label) when `label` is given; nil
    /// where the clock is named once for many times (a table header, the end of a range).
    package static func toMinute(_ time: CivilTime, label: TimeClock?) -> String { forPeople(time, seconds: false, label: label) }

    /// `2020-02-28 16:35 UTC`, or without ` UTC` when not `labelled`.
    package static func toMinute(_ instant: Instant, labelled: Bool) -> String {
        toMinute(CivilTime(utc: instant), label: labelled ? .utc : nil)
    }

    /// `2020-02-28 16:35:31`, then the clock's label when `label` is given.
    package static func toSecond(_ time: CivilTime, label: TimeClock?) -> String { forPeople(time, seconds: true, label: label) }

    /// `2020-02-28 16:35:31 UTC`, or without ` UTC` when not `labelled`.
    package static func toSecond(_ instant: Instant, labelled: Bool) -> String {
        toSecond(CivilTime(utc: instant), label: labelled ? .utc : nil)
    }

    /// `2020-02-28 16:35:31 local (2020-02-29 00:35:31 UTC)`: the viewer's time and UTC,
    /// the UTC date left out when it is the viewer's date too. `viewerOffsetSeconds` is
    /// the viewer's offset east of UTC at that instant (looking it up needs the zone
    /// database, which is the caller's: see `TailTimeFormat`).
    package static func both(_ instant: Instant, viewerOffsetSeconds: Int) -> String {
        let viewer = CivilTime(utc: instant + Int64(viewerOffsetSeconds))
        let utc = CivilTime(utc: instant)
        var out: [UInt8] = []
        out.reserveCapacity(48)
        appendDate(viewer, to: &out)
        out.append(0x20)
        appendClock(viewer, seconds: true, to: &out)
        appendLabel(.viewer, to: &out)
        out.append(contentsOf: " (".utf8)
        if (viewer.year, viewer.month, viewer.day) != (utc.year, utc.month, utc.day) {
            appendDate(utc, to: &out)
            out.append(0x20)
        }
        appendClock(utc, seconds: true, to: &out)
        appendLabel(.utc, to: &out)
        out.append(UInt8(ascii: ")"))
        return String(decoding: out, as: UTF8.self)
    }

    // MARK: Pieces

    private static func forPeople(_ time: CivilTime, seconds: Bool, label: TimeClock?) -> String {
        var out: [UInt8] = []
        out.reserveCapacity(24)
        appendDate(time, to: &out)
        out.append(0x20)
        appendClock(time, seconds: seconds, to: &out)
        if let label { appendLabel(label, to: &out) }
        return String(decoding: out, as: UTF8.self)
    }

    private static func appendLabel(_ clock: TimeClock, to out: inout [UInt8]) {
        out.append(0x20)
        out.append(contentsOf: clock.label.utf8)
    }

    /// `2020-02-28`.
    private static func appendDate(_ time: CivilTime, to out: inout [UInt8]) {
        appendYear(time.year, to: &out)
        out.append(UInt8(ascii: "-"))
        append(time.month, width: 2, to: &out)
        out.append(UInt8(ascii: "-"))
        append(time.day, width: 2, to: &out)
    }

    /// `16:35:31`, or `16:35`.
    private static func appendClock(_ time: CivilTime, seconds: Bool, to out: inout [UInt8]) {
        append(time.hour, width: 2, to: &out)
        out.append(UInt8(ascii: ":"))
        append(time.minute, width: 2, to: &out)
        if seconds {
            out.append(UInt8(ascii: ":"))
            append(time.second, width: 2, to: &out)
        }
    }

    /// Four digits for years 0-9999; outside them (an instant made by arithmetic past the
    /// years a log can hold: times read from logs are checked, `Instant.checked`) ISO 8601's
    /// expanded form, `+10000` or `-0001`: never year 10000 written as `0000`.
    package static func appendYear(_ year: Int, to out: inout [UInt8]) {
        if (0...9999).contains(year) { return append(year, width: 4, to: &out) }
        out.append(UInt8(ascii: year < 0 ? "-" : "+"))
        let digits = String(year.magnitude)
        if digits.count < 4 { out.append(contentsOf: repeatElement(UInt8(ascii: "0"), count: 4 - digits.count)) }
        out.append(contentsOf: digits.utf8)
    }

    /// Exactly `width` digits, zero-padded. A wider value keeps its low digits, so every
    /// form has a fixed width (a year past 9999 only comes from arithmetic, never a log).
    private static func append(_ value: Int, width: Int, to out: inout [UInt8]) {
        let start = out.count
        out.append(contentsOf: repeatElement(UInt8(ascii: "0"), count: width))
        var rest = value.magnitude
        for index in stride(from: start + width - 1, through: start, by: -1) {
            out[index] = UInt8(ascii: "0") + UInt8(rest % 10)
            rest /= 10
        }
    }
}

/// `45 s`, `12 min`, `2 h 5 min`, `3 d 4 h`.
package func describe(seconds value: Double) -> String {
    let seconds = Int(value.rounded())
    if abs(seconds) < 60 { return "\(seconds) s" }
    let minutes = seconds / 60
    if abs(minutes) < 60 { return "\(minutes) min" }
    let hours = minutes / 60
    if abs(hours) < 48 { return minutes % 60 == 0 ? "\(hours) h" : "\(hours) h \(abs(minutes % 60)) min" }
    let days = hours / 24
    return hours % 24 == 0 ? "\(days) d" : "\(days) d \(abs(hours % 24)) h"
}
