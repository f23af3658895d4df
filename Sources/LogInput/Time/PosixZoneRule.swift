/// A POSIX TZ rule as a TZif footer carries it (`CET-1CEST,M3.5.0,M10.5.0/3`):
/// the standard offset, and the daylight offset with the two days and times it
/// starts and ends, for instants past the file's last transition.
///
/// Offsets in the text count hours west of UTC (POSIX); here they are kept as
/// seconds east, as `ZoneFile` gives them.
package struct PosixZoneRule: Sendable, Equatable {
    struct Change: Sendable, Equatable {
        enum Day: Sendable, Equatable {
            /// `Jn`: day 1...365 of the year, February 29 never counted.
            case julianNoLeap(Int)
            /// `n`: day 0...365 of the year, February 29 counted.
            case zeroBased(Int)
            /// `Mm.w.d`: weekday d (0 Sunday) of week w (5: the last) of month m.
            case monthWeekDay(month: Int, week: Int, weekday: Int)
        }

        var day: Day
        /// Seconds after local midnight; may be negative or past 24 hours (RFC 8536, version 3).
        var time: Int
    }

    var standardOffset: Int
    var daylightOffset: Int?
    var start: Change?
    var end: Change?

    /// Parses the rule; nil when the text is not one.
    init?(_ text: String) {
        var scanner = PosixRuleScanner(Array(text.utf8))
        guard scanner.skipName(), let standard = scanner.offset() else { return nil }
        standardOffset = -standard
        if scanner.atEnd { return }
        guard scanner.skipName() else { return nil }
        if let daylight = scanner.offset() { daylightOffset = -daylight } else { daylightOffset = standardOffset + 3600 }
        if scanner.atEnd {
            // No rule given: POSIX's default is US rules; tzdata footers always give one.
            return nil
        }
        guard scanner.take(0x2C), let start = scanner.change(), scanner.take(0x2C), let end = scanner.change(), scanner.atEnd else {
            return nil
        }
        self.start = start
        self.end = end
    }

    /// The offset (seconds east) in force at `seconds` since 1970 UTC.
    func offsetSeconds(atUnixSeconds seconds: Int64) -> Int {
        guard let daylightOffset, let start, let end else { return standardOffset }
        let localStandard = seconds + Int64(standardOffset)
        let year = CivilTime.civil(fromDays: Self.floorDivide(localStandard, 86_400)).0
        // Start is written in standard time, end in daylight time.
        let startsAt = Self.localSeconds(of: start, year: year) - Int64(standardOffset)
        let endsAt = Self.localSeconds(of: end, year: year) - Int64(daylightOffset)
        let inDaylight = startsAt < endsAt
            ? seconds >= startsAt && seconds < endsAt
            : !(seconds >= endsAt && seconds < startsAt)  // southern hemisphere: daylight spans the new year
        return inDaylight ? daylightOffset : standardOffset
    }

    static func localSeconds(of change: Change, year: Int) -> Int64 {
        let yearStart = CivilTime.days(fromCivil: year, 1, 1)
        let day: Int64
        switch change.day {
        case .julianNoLeap(let n):
            // Day 60 is March 1 whatever the year.
            let leap = CivilTime.daysIn(month: 2, year: year) == 29
            day = yearStart + Int64(n - 1) + (leap && n >= 60 ? 1 : 0)
        case .zeroBased(let n):
            day = yearStart + Int64(n)
        case .monthWeekDay(let month, let week, let weekday):
            let first = CivilTime.days(fromCivil: year, month, 1)
            // 1970-01-01 was a Thursday (4).
            let firstWeekday = Int(((first % 7) + 7 + 4) % 7)
            var dayOfMonth = 1 + (weekday - firstWeekday + 7) % 7 + 7 * (week - 1)
            let length = CivilTime.daysIn(month: month, year: year)
            while dayOfMonth > length { dayOfMonth -= 7 }
            day = first + Int64(dayOfMonth - 1)
        }
        return day * 86_400 + Int64(change.time)
    }

    static func floorDivide(_ a: Int64, _ b: Int64) -> Int64 {
        a >= 0 ? a / b : -((-a + b - 1) / b)
    }
}

/// Reads the pieces of a POSIX TZ string.
private struct PosixRuleScanner {
    let bytes: [UInt8]
    var index = 0

    init(_ bytes: [UInt8]) { self.bytes = bytes }

    var atEnd: Bool { index >= bytes.count }

    mutating func take(_ byte: UInt8) -> Bool {
        guard index < bytes.count, bytes[index] == byte else { return false }
        index += 1
        return true
    }

    /// A zone abbreviation: three or more letters, or anything in `<...>` (`<+0330>`).
    mutating func skipName() -> Bool {
        if take(0x3C) {
            guard let close = bytes[index...].firstIndex(of: 0x3E) else { return false }
            index = close + 1
            return true
        }
        let start = index
        while index < bytes.count, (0x41...0x5A).contains(bytes[index] & 0xDF) { index += 1 }
        return index - start >= 3
    }

    /// `[+-]hh[:mm[:ss]]` as seconds, the sign as written.
    mutating func offset() -> Int? {
        let save = index
        var sign = 1
        if take(0x2D) { sign = -1 } else { _ = take(0x2B) }
        guard let value = clock() else { index = save; return nil }
        return sign * value
    }

    /// `/time` after a day: seconds, signed, hours up to 167.
    mutating func time() -> Int? {
        var sign = 1
        if take(0x2D) { sign = -1 } else { _ = take(0x2B) }
        return clock().map { sign * $0 }
    }

    mutating func clock() -> Int? {
        guard let hours = number(), hours <= 167 else { return nil }
        var seconds = hours * 3600
        if take(0x3A) {
            guard let minutes = number(), minutes < 60 else { return nil }
            seconds += minutes * 60
            if take(0x3A) {
                guard let rest = number(), rest < 60 else { return nil }
                seconds += rest
            }
        }
        return seconds
    }

    mutating func number() -> Int? {
        var value = 0, digits = 0
        while index < bytes.count, (0x30...0x39).contains(bytes[index]), digits < 4 {
            value = value * 10 + Int(bytes[index] - 0x30)
            index += 1
            digits += 1
        }
        return digits > 0 ? value : nil
    }

    mutating func change() -> PosixZoneRule.Change? {
        let day: PosixZoneRule.Change.Day
        if take(0x4D) {  // M
            guard let month = number(), (1...12).contains(month), take(0x2E), let week = number(), (1...5).contains(week),
                  take(0x2E), let weekday = number(), (0...6).contains(weekday) else { return nil }
            day = .monthWeekDay(month: month, week: week, weekday: weekday)
        } else if take(0x4A) {  // J
            guard let n = number(), (1...365).contains(n) else { return nil }
            day = .julianNoLeap(n)
        } else {
            guard let n = number(), (0...365).contains(n) else { return nil }
            day = .zeroBased(n)
        }
        var time = 7200
        if take(0x2F) {
            guard let given = self.time() else { return nil }
            time = given
        }
        return PosixZoneRule.Change(day: day, time: time)
    }
}
