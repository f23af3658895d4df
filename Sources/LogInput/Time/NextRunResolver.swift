import LogMatching
/// Reads the next-run date that the upload worker writes in the server's
/// culture (.NET `DateTime.ToString()`): `02/28/2020 16:35:31` (en-US,
/// documented), `2/28/2020 4:35:31 PM`, `28-2-2020 16:35:31` (nl-NL),
/// `28.02.2020 16:35:31` (de-DE), `28/02/2020 16:35:31` (en-GB),
/// `2020-02-28 16:35:31`. Day and month order is never assumed: of the
/// readings that make a valid date, the one nearest the line's own local time
/// plus the upload interval wins (the next run follows by about 15 minutes).
package enum NextRunResolver {
    package enum Order: String, Sendable { case monthDayYear = "M/D/Y", dayMonthYear = "D/M/Y", yearMonthDay = "Y/M/D" }

    package struct Resolution: Sendable, Equatable {
        package var local: CivilTime
        package var order: Order
        /// The instant, when the record carries a bias.
        package var utc: Instant?
    }

    package static func resolve(_ text: String, writtenAt timestamp: LogTimestamp?, interval: Double) -> Resolution? {
        guard let parts = split(text) else { return nil }
        var candidates: [(CivilTime, Order)] = []
        func add(_ year: Int, _ month: Int, _ day: Int, _ order: Order) {
            let fullYear = year < 100 ? year + 2000 : year
            if let time = CivilTime(year: fullYear, month: month, day: day, hour: parts.hour, minute: parts.minute,
                                    second: parts.second) {
                candidates.append((time, order))
            }
        }
        let (a, b, c) = parts.date
        if parts.firstIsYear {
            add(a, b, c, .yearMonthDay)
        } else {
            add(c, a, b, .monthDayYear)
            if a != b { add(c, b, a, .dayMonthYear) }
        }
        guard !candidates.isEmpty else { return nil }
        var best = candidates[0]
        if candidates.count > 1 {
            guard let written = timestamp?.local else { return nil }  // ambiguous, and nothing to judge by
            let expected = Double(written.ticksAsIfUTC) / Double(Instant.ticksPerSecond) + interval
            best = candidates.min { lhs, rhs in
                abs(Double(lhs.0.ticksAsIfUTC) / Double(Instant.ticksPerSecond) - expected)
                    < abs(Double(rhs.0.ticksAsIfUTC) / Double(Instant.ticksPerSecond) - expected)
            }!
        }
        let utc = timestamp?.bias.map { Instant(ticks: best.0.ticksAsIfUTC + Int64($0) * 60 * Instant.ticksPerSecond) }
        return Resolution(local: best.0, order: best.1, utc: utc)
    }

    struct Parts {
        var date: (Int, Int, Int)
        var firstIsYear: Bool
        var hour: Int, minute: Int, second: Int
    }

    /// Three date numbers and a clock, whatever the separators; `AM`/`PM` (and `a.m.`) honoured.
    static func split(_ text: String) -> Parts? {
        var numbers: [(value: Int, digits: Int)] = []
        var current = 0, digits = 0
        var clockStart: Int?
        var pm: Bool?
        let characters = Array(text.lowercased().unicodeScalars)
        for (index, scalar) in characters.enumerated() {
            if let digit = Int(String(scalar)), scalar.isASCII {
                current = current * 10 + digit
                digits += 1
                guard digits <= 4 else { return nil }
                continue
            }
            if digits > 0 {
                numbers.append((current, digits))
                current = 0; digits = 0
            }
            if scalar == ":" && clockStart == nil { clockStart = numbers.count - 1 }
            if scalar == "p" && (index + 1 < characters.count && (characters[index + 1] == "m" || characters[index + 1] == ".")) { pm = true }
            if scalar == "a" && (index + 1 < characters.count && (characters[index + 1] == "m" || characters[index + 1] == ".")) { pm = false }
        }
        if digits > 0 { numbers.append((current, digits)) }
        guard let clock = clockStart, clock == 3, numbers.count >= 5 else { return nil }
        var hour = numbers[3].value
        let minute = numbers[4].value
        let second = numbers.count > 5 ? numbers[5].value : 0
        if let pm {
            guard (1...12).contains(hour) else { return nil }
            if hour == 12 { hour = 0 }
            if pm { hour += 12 }
        }
        return Parts(date: (numbers[0].value, numbers[1].value, numbers[2].value), firstIsYear: numbers[0].digits == 4,
                     hour: hour, minute: minute, second: second)
    }
}
