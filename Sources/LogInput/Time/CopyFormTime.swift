import LogMatching
/// The date and time in CMTrace's copy form are the viewer's display text,
/// in the viewer's culture, with no bias: `2/28/2020 4:20:31 PM`,
/// `28-2-2020 16:20:31`. The order of day and month is never assumed: it is
/// read from a date where one number exceeds 12, and remembered for the rest
/// of the input (`dayFirst`); until one is seen, an ambiguous date has no time.
enum CopyFormTime {
    static func parse(date: UnsafeRawBufferPointer, time: UnsafeRawBufferPointer, bias: Int?,
                      dayFirst: inout Bool?) -> LogTimestamp? {
        var reader = DigitReader(date)
        guard let first = reader.number(max: 4), reader.skipSeparator(),
              let second = reader.number(max: 2), reader.skipSeparator(),
              let third = reader.number(max: 4), reader.atEnd else { return nil }
        var year = third, month = first, day = second
        if first > 31 {                       // 2020-02-28
            year = first; month = second; day = third
        } else if first > 12 {                // 28-2-2020: day first, from now on
            month = second; day = first
            dayFirst = true
        } else if second > 12 {               // 2/28/2020: month first, from now on
            dayFirst = false
        } else if first != second {           // 3/4/2020: as the input showed before, if it did
            guard let order = dayFirst else { return nil }
            if order { month = second; day = first }
        }
        if year < 100 { year += 2000 }
        var clockReader = DigitReader(time)
        guard var clock = clockReader.clock() else { return nil }
        clockReader.skipSpaces()
        if let marker = clockReader.peek {
            let isPM = marker | 0x20 == UInt8(ascii: "p")
            if clock.hour == 12 { clock.hour = 0 }
            if isPM { clock.hour += 12 }
        }
        guard let local = CivilTime(year: year, month: month, day: day, hour: clock.hour, minute: clock.minute,
                                    second: clock.second, fractionTicks: clock.fraction) else { return nil }
        return LogTimestamp(local: local, bias: bias)
    }
}

extension DigitReader {
    mutating func skipSeparator() -> Bool { skip("-") || skip("/") || skip(".") }
}
