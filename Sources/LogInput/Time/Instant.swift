import LogMatching
/// A point in time: 100-nanosecond ticks since 1970-01-01T00:00:00Z, the
/// precision of the seven fractional digits some writers use.
package struct Instant: Comparable, Hashable, Sendable, CustomStringConvertible {
    package var ticks: Int64
    package static let ticksPerSecond: Int64 = 10_000_000

    package init(ticks: Int64) { self.ticks = ticks }
    package init(seconds: Int64) { ticks = seconds * Instant.ticksPerSecond }

    package static func < (a: Instant, b: Instant) -> Bool { a.ticks < b.ticks }
    package static func + (a: Instant, seconds: Int64) -> Instant { Instant(ticks: a.ticks + seconds * ticksPerSecond) }
    package static func - (a: Instant, b: Instant) -> Duration { .seconds(Double(a.ticks - b.ticks) / Double(ticksPerSecond)) }

    /// Seconds between two instants, fractional.
    package func seconds(since other: Instant) -> Double { Double(ticks - other.ticks) / Double(Instant.ticksPerSecond) }

    package func adding(seconds: Double) -> Instant { Instant(ticks: ticks + Int64(seconds * Double(Instant.ticksPerSecond))) }

    /// UTC ISO 8601 with milliseconds: `2020-02-28T18:00:00.000Z`.
    package var iso8601: String {
        let fields = CivilTime(utc: self)
        return fields.formatted(millisecondsSuffix: "Z")
    }

    package var description: String { iso8601 }

    /// Parses `2020-02-28T18:00:00Z`, `2020-02-28T18:00:00.5+01:00`, `2020-02-28 18:00:00` (taken as UTC).
    package init?(iso8601 text: String) {
        let bytes = Array(text.utf8)
        guard let ticks = bytes.withUnsafeBytes({ Instant.parseISO8601($0) }) else { return nil }
        self.init(ticks: ticks)
    }

    private static func parseISO8601(_ bytes: UnsafeRawBufferPointer) -> Int64? {
        var reader = DigitReader(bytes)
        guard let year = reader.number(exactly: 4), reader.skip("-"),
              let month = reader.number(exactly: 2), reader.skip("-"),
              let day = reader.number(exactly: 2) else { return nil }
        var hour = 0, minute = 0, second = 0, fraction: Int64 = 0
        if reader.skip("T") || reader.skip(" ") {
            guard let h = reader.number(exactly: 2), reader.skip(":"), let m = reader.number(exactly: 2) else { return nil }
            hour = h; minute = m
            if reader.skip(":") {
                guard let s = reader.number(exactly: 2) else { return nil }
                second = s
                if reader.skip(".") || reader.skip(",") { fraction = reader.fractionTicks() }
            }
        }
        var offsetMinutes = 0
        if reader.skip("Z") || reader.skip("z") {
        } else if let sign = reader.peek, sign == UInt8(ascii: "+") || sign == UInt8(ascii: "-") {
            reader.advance()
            guard let oh = reader.number(exactly: 2) else { return nil }
            _ = reader.skip(":")
            let om = reader.number(exactly: 2) ?? 0
            offsetMinutes = (oh * 60 + om) * (sign == UInt8(ascii: "-") ? -1 : 1)
        }
        guard reader.atEnd, let local = CivilTime(year: year, month: month, day: day, hour: hour, minute: minute, second: second, fractionTicks: fraction) else { return nil }
        // ISO offsets are the opposite sign of a Windows bias: UTC = local - offset.
        return local.ticksAsIfUTC - Int64(offsetMinutes) * 60 * Instant.ticksPerSecond
    }
}

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

    /// `2020-02-28T18:00:00.000` followed by `suffix`.
    package func formatted(millisecondsSuffix suffix: String) -> String {
        var out = [UInt8]()
        out.reserveCapacity(24 + suffix.utf8.count)
        func pad(_ value: Int, _ width: Int) {
            var digits = [UInt8](repeating: UInt8(ascii: "0"), count: width)
            var rest = value
            for index in stride(from: width - 1, through: 0, by: -1) {
                digits[index] = UInt8(ascii: "0") + UInt8(rest % 10)
                rest /= 10
            }
            out.append(contentsOf: digits)
        }
        pad(year, 4); out.append(UInt8(ascii: "-")); pad(month, 2); out.append(UInt8(ascii: "-")); pad(day, 2)
        out.append(UInt8(ascii: "T"))
        pad(hour, 2); out.append(UInt8(ascii: ":")); pad(minute, 2); out.append(UInt8(ascii: ":")); pad(second, 2)
        out.append(UInt8(ascii: ".")); pad(Int(fractionTicks / 10_000), 3)
        out.append(contentsOf: suffix.utf8)
        return String(decoding: out, as: UTF8.self)
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

/// Reads digits and punctuation from bytes; a small cursor for timestamp text.
struct DigitReader {
    let bytes: UnsafeRawBufferPointer
    var index = 0
    let count: Int

    init(_ bytes: UnsafeRawBufferPointer) { self.bytes = bytes; count = bytes.count }

    @inline(__always) func byte(_ at: Int) -> UInt8 { bytes[at] }
    var atEnd: Bool { index >= count }
    var peek: UInt8? { index < count ? byte(index) : nil }
    mutating func advance() { index += 1 }

    mutating func skip(_ character: Unicode.Scalar) -> Bool {
        guard index < count, byte(index) == UInt8(ascii: character) else { return false }
        index += 1
        return true
    }

    mutating func skipSpaces() { while index < count, byte(index) == 0x20 || byte(index) == 0x09 { index += 1 } }

    /// Between `min` and `max` digits, as a number.
    mutating func number(min: Int = 1, max: Int) -> Int? {
        var value = 0, digits = 0
        while index < count, digits < max, case let b = byte(index), b >= 0x30, b <= 0x39 {
            value = value &* 10 &+ Int(b &- 0x30)  // at most `max` digits: no overflow
            digits += 1; index += 1
        }
        return digits >= min ? value : nil
    }

    mutating func number(exactly digits: Int) -> Int? { number(min: digits, max: digits) }

    /// Fractional digits as 100 ns ticks; digits past the seventh are read and ignored.
    mutating func fractionTicks() -> Int64 {
        var value: Int64 = 0, digits = 0
        while index < count, case let b = byte(index), b >= 0x30, b <= 0x39 {
            if digits < 7 { value = value &* 10 &+ Int64(b &- 0x30); digits += 1 }
            index += 1
        }
        while digits < 7 { value *= 10; digits += 1 }
        return value
    }
}
