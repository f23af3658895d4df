import LogMatching
/// Calendar fields without a zone. Validated on creation.
package struct CivilTime: Equatable, Sendable {
    package var year, month, day, hour, minute, second: Int
    package var fractionTicks: Int64

    package init?(year: Int, month: Int, day: Int, hour: Int, minute: Int, second: Int, fractionTicks: Int64 = 0) {
        guard (1...9999).contains(year), (1...12).contains(month),
              (1...CivilTime.daysIn(month: month, year: year)).contains(day),
              (0...23).contains(hour), (0...59).contains(minute), (0...60).contains(second),
              (0..<Instant.ticksPerSecond).contains(fractionTicks) else { return nil }
        self.year = year; self.month = month; self.day = day
        self.hour = hour; self.minute = minute; self.second = second
        self.fractionTicks = fractionTicks
    }

    package init(utc instant: Instant) {
        let perDay = 86_400 * Instant.ticksPerSecond
        var days = instant.ticks / perDay
        var rest = instant.ticks % perDay
        if rest < 0 { rest += perDay; days -= 1 }
        let (y, m, d) = CivilTime.civil(fromDays: days)
        let seconds = Int(rest / Instant.ticksPerSecond)
        year = y; month = m; day = d
        hour = seconds / 3600; minute = seconds / 60 % 60; second = seconds % 60
        fractionTicks = rest % Instant.ticksPerSecond
    }

    package static func daysIn(month: Int, year: Int) -> Int {
        switch month {
        case 2: return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 ? 29 : 28
        case 4, 6, 9, 11: return 30
        default: return 31
        }
    }

    /// The instant these fields name when read as UTC.
    package var ticksAsIfUTC: Int64 {
        let days = CivilTime.days(fromCivil: year, month, day)
        let seconds = days * 86_400 + Int64(hour * 3600 + minute * 60 + second)
        return seconds * Instant.ticksPerSecond + fractionTicks
    }

    // Howard Hinnant's days_from_civil / civil_from_days.
    static func days(fromCivil year: Int, _ month: Int, _ day: Int) -> Int64 {
        let y = Int64(month <= 2 ? year - 1 : year)
        let era = (y >= 0 ? y : y - 399) / 400
        let yoe = y - era * 400
        let m = Int64(month)
        let doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + Int64(day) - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        return era * 146_097 + doe - 719_468
    }

    static func civil(fromDays value: Int64) -> (Int, Int, Int) {
        let z = value + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let doe = z - era * 146_097
        let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let d = doy - (153 * mp + 2) / 5 + 1
        let m = mp < 10 ? mp + 3 : mp - 9
        let y = yoe + era * 400 + (m <= 2 ? 1 : 0)
        return (Int(y), Int(m), Int(d))
    }
}
