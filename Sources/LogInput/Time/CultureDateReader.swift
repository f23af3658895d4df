import LogMatching
/// Date-and-time text in a culture's shape, read into numbers: what a .NET
/// `DateTime.ToString()` writes on the server (the upload worker's next run), what
/// a log viewer shows (CMTrace's copy form) and what a spreadsheet exports
/// (inventory dates). For example `02/28/2020 16:35:31` (en-US), `28-2-2020 16:35:31`
/// (nl-NL), `28.02.2020 16:35:31` (de-DE), `2020/02/28 16:35:31` (ja-JP, zh-CN),
/// `2/28/2020 4:35:31 PM`, `4:35:31 p.m.`, `2020-03-03 오후 11:15:02` (ko-KR),
/// `下午 04:35:31` (zh-TW), `午後 4:35:31` (ja-JP), `3.3.2020 16.35.31` (fi-FI),
/// `2020. 02. 28. 16:35:31` (hu-HU), `2020-02-28T16:35:31.5+01:00` (ISO 8601).
///
/// What the text alone cannot tell is left open, for the caller to settle from its
/// own context, never by assuming a culture: which of `03/04/2020`'s first two
/// numbers is the day (`DateOrder`), where a two-digit year sits, and which half of
/// the day a 12-hour clock shows when its designator is in a language not listed here
/// (`unreadWords`). Nothing here knows which clock the time is on either: a zone is
/// reported only when the text itself names one.
package struct CultureDateText: Equatable, Sendable {
    package enum Date: Equatable, Sendable {
        /// `2020-02-28`, `2020/02/28`, `2020.02.28`: year, month, day in every culture.
        case yearFirst(year: Int, month: Int, day: Int)
        /// `28-2-2020`, `02/28/2020`: the day is the first or the second number, by culture.
        case yearLast(first: Int, second: Int, year: Int)
        /// `28.02.20`, `20/02/28`: a two-digit year, whose place is not known either.
        case twoDigitYear(Int, Int, Int)
    }

    package enum HalfDay: Equatable, Sendable { case am, pm }

    package struct Clock: Equatable, Sendable {
        /// As written: 0...23 on a 24-hour clock, 1...12 on a 12-hour one.
        package var hour: Int
        package var minute: Int
        package var second: Int
        package var fractionTicks: Int64
        /// The designator, when it is one this reader knows.
        package var halfDay: HalfDay?
    }

    package var date: Date
    /// Nil for a date alone.
    package var clock: Clock?
    /// Minutes east of UTC, when the text names its zone (`Z`, `UTC`, `+01:00`);
    /// .NET's `ToString()` never does.
    package var offsetMinutes: Int?
    /// Words the reader does not know: a designator in another language (`μ.μ.`, `م`),
    /// a marker such as bg-BG's `г.`, or text that is no part of a time at all.
    package var unreadWords = 0
}

/// Reads `CultureDateText` from UTF-8 bytes, without building Strings: the copy
/// form calls it once per record.
package enum CultureDateReader {
    /// Date and time in one text, separated by spaces or ISO 8601's `T`.
    package static func read(_ text: String) -> CultureDateText? {
        var copy = text
        return copy.withUTF8 { read(UnsafeRawBufferPointer($0)) }
    }

    package static func read(_ bytes: UnsafeRawBufferPointer) -> CultureDateText? {
        var reader = DigitReader(bytes)
        reader.skipTextSpaces()
        guard let date = reader.cultureDate() else { return nil }
        var text = CultureDateText(date: date)
        if reader.skip("T") {
            guard reader.atDigit else { return nil }  // ISO 8601's `T` must have a time after it
        } else if !reader.atEnd {
            guard reader.skipTextSpaces() else { return nil }
        }
        return reader.timeOfDay(into: &text) ? text : nil
    }

    /// Date and time given apart, as in CMTrace's copy form; the time is required.
    package static func read(date: UnsafeRawBufferPointer, time: UnsafeRawBufferPointer) -> CultureDateText? {
        var dateReader = DigitReader(date)
        dateReader.skipTextSpaces()
        guard let fields = dateReader.cultureDate() else { return nil }
        dateReader.skipTextSpaces()
        guard dateReader.atEnd else { return nil }
        var text = CultureDateText(date: fields)
        var timeReader = DigitReader(time)
        guard timeReader.timeOfDay(into: &text), text.clock != nil else { return nil }
        return text
    }

    /// A zone alone, as minutes east of UTC: `+01:00`, `-0530`, `UTC+2`, `Z`, `0`.
    package static func offset(_ text: String) -> Int? {
        var copy = text
        return copy.withUTF8 { buffer in
            var reader = DigitReader(UnsafeRawBufferPointer(buffer))
            reader.skipTextSpaces()
            var zone = reader.zone()
            if zone == nil, let (value, _) = reader.digits(), value == 0 { zone = 0 }   // a bare 0
            reader.skipTextSpaces()
            return reader.atEnd ? zone : nil
        }
    }

    /// 12-hour designators other than Latin `AM`/`PM` (read apart, in any case and with
    /// or without dots): Korean, Chinese, Japanese. Any other language's designator is an
    /// unread word, which a caller with context settles.
    static let halfDayWords: [(bytes: [UInt8], halfDay: CultureDateText.HalfDay)] = [
        (Array("오전".utf8), .am), (Array("오후".utf8), .pm),
        (Array("上午".utf8), .am), (Array("下午".utf8), .pm),
        (Array("午前".utf8), .am), (Array("午後".utf8), .pm),
    ]
}

// MARK: - Settling what the text leaves open

extension CultureDateText {
    /// One way of reading the text: a calendar time, with the day/month order it
    /// took (nil where none was needed).
    package struct Reading: Equatable, Sendable {
        package var local: CivilTime
        package var order: DateOrder?
    }

    /// Whether `order` makes a year-last date a real day; false for other layouts.
    package func allows(_ order: DateOrder) -> Bool {
        guard case .yearLast(let first, let second, let year) = date else { return false }
        let (month, day) = order == .monthFirst ? (first, second) : (second, first)
        return CivilTime(year: year, month: month, day: day, hour: 0, minute: 0, second: 0) != nil
    }

    /// The orders that make a year-last date a real day: both, one, or none.
    package var possibleOrders: [DateOrder] { [DateOrder.monthFirst, .dayFirst].filter(allows) }

    /// Both orders make a day, and different days (`03/04` is, `05/05` is not).
    package var isAmbiguousOrder: Bool {
        guard case .yearLast(let first, let second, _) = date, first != second else { return false }
        return allows(.monthFirst) && allows(.dayFirst)
    }

    /// The hour on a 24-hour clock: one reading, or two (`second`) when the text holds a
    /// word not read (a designator in another language, perhaps) and the hour could be
    /// either half of the day. Nil without a clock, or when the clock contradicts its
    /// designator (`13:00 PM`).
    package var hours: (first: Int, second: Int?)? {
        guard let clock else { return nil }
        let hour = clock.hour
        if let half = clock.halfDay {
            guard (1...12).contains(hour) else { return nil }
            return (hour % 12 + (half == .pm ? 12 : 0), nil)
        }
        guard (0...23).contains(hour) else { return nil }
        if unreadWords > 0 && (1...12).contains(hour) { return (hour % 12, hour % 12 + 12) }
        return (hour, nil)
    }

    /// A two-digit year (.NET's `yy`) in full: in 20xx, as the logs are from this
    /// century; a caller that judges readings by time finds a wrong one far off anyway.
    package static func fullYear(_ twoDigits: Int) -> Int { 2000 + twoDigits }

    /// The text with a two-digit year taken as the last number of the date, for a
    /// caller with nothing to judge its place by but the shapes cultures use: the
    /// cultures whose short date puts the year first write it with four digits.
    package var twoDigitYearLast: CultureDateText {
        guard case .twoDigitYear(let a, let b, let c) = date else { return self }
        var copy = self
        copy.date = .yearLast(first: a, second: b, year: CultureDateText.fullYear(c))
        return copy
    }

    /// The calendar time with `order` for a year-last date (not needed when day and
    /// month are the same number, ignored for a year-first one) and `hour` (24-hour).
    /// Nil for a two-digit year, whose place only `readings()` tries.
    package func local(order: DateOrder?, hour: Int) -> CivilTime? {
        let year, month, day: Int
        switch date {
        case .yearFirst(let y, let m, let d):
            (year, month, day) = (y, m, d)
        case .yearLast(let first, let second, let y):
            if first == second {
                (year, month, day) = (y, first, second)
            } else {
                guard let order else { return nil }
                (year, month, day) = order == .monthFirst ? (y, first, second) : (y, second, first)
            }
        case .twoDigitYear:
            return nil
        }
        return CivilTime(year: year, month: month, day: day, hour: hour, minute: clock?.minute ?? 0,
                         second: clock?.second ?? 0, fractionTicks: clock?.fractionTicks ?? 0)
    }

    /// The calendar time with `order`, when the clock has one reading (midnight for a date alone).
    package func local(order: DateOrder?) -> CivilTime? {
        guard clock != nil else { return local(order: order, hour: 0) }
        guard let hours, hours.second == nil else { return nil }
        return local(order: order, hour: hours.first)
    }

    /// Every time the text can mean, each once: both day/month orders, a two-digit year
    /// in each place (in 20xx), both halves of the day when a designator was not read.
    /// For a caller that can judge them against the time it expects.
    package func readings() -> [Reading] {
        let hourChoices: [Int]
        if clock == nil {
            hourChoices = [0]
        } else if let hours {
            hourChoices = [hours.first] + (hours.second.map { [$0] } ?? [])
        } else {
            return []
        }
        let dates: [(year: Int, month: Int, day: Int, order: DateOrder?)]
        switch date {
        case .yearFirst(let year, let month, let day):
            dates = [(year, month, day, nil)]
        case .yearLast(let first, let second, let year):
            dates = [(year, first, second, .monthFirst), (year, second, first, .dayFirst)]
        case .twoDigitYear(let a, let b, let c):
            let (yearLast, yearFirst) = (CultureDateText.fullYear(c), CultureDateText.fullYear(a))
            dates = [(yearLast, a, b, .monthFirst), (yearLast, b, a, .dayFirst), (yearFirst, b, c, nil)]
        }
        var found: [Reading] = []
        for date in dates {
            for hour in hourChoices {
                guard let local = CivilTime(year: date.year, month: date.month, day: date.day, hour: hour,
                                            minute: clock?.minute ?? 0, second: clock?.second ?? 0,
                                            fractionTicks: clock?.fractionTicks ?? 0),
                      !found.contains(where: { $0.local == local }) else { continue }
                found.append(Reading(local: local, order: date.order))
            }
        }
        return found
    }
}

// MARK: - The cursor

extension DigitReader {
    /// Every digit here, as a value (of the first nine) and a count; more digits
    /// only fail the layout checks.
    mutating func digits() -> (value: Int, count: Int)? {
        var value = 0, seen = 0
        while index < count, case let b = byte(index), b >= 0x30, b <= 0x39 {
            if seen < 9 { value = value * 10 + Int(b - 0x30) }
            seen += 1
            index += 1
        }
        return seen > 0 ? (value, seen) : nil
    }

    var atDigit: Bool { index < count && byte(index) >= 0x30 && byte(index) <= 0x39 }

    /// The bytes of a space at `at`: ASCII space or tab, no-break space (U+00A0), narrow
    /// no-break space (U+202F, which ICU puts before AM/PM), or a BOM; 0 for anything else.
    func spaceLength(at: Int) -> Int {
        guard at < count else { return 0 }
        switch byte(at) {
        case 0x20, 0x09: return 1
        case 0xC2 where at + 1 < count && byte(at + 1) == 0xA0: return 2
        case 0xE2 where at + 2 < count && byte(at + 1) == 0x80 && byte(at + 2) == 0xAF: return 3
        case 0xEF where at + 2 < count && byte(at + 1) == 0xBB && byte(at + 2) == 0xBF: return 3
        default: return 0
        }
    }

    /// The bytes of a sign at `at`: `+`, `-`, or the minus sign U+2212; 0 for anything else.
    func signLength(at: Int) -> Int {
        guard at < count else { return 0 }
        if byte(at) == UInt8(ascii: "+") || byte(at) == UInt8(ascii: "-") { return 1 }
        if byte(at) == 0xE2 && at + 2 < count && byte(at + 1) == 0x88 && byte(at + 2) == 0x92 { return 3 }
        return 0
    }

    /// Skips spaces of any kind `spaceLength` knows; whether there were any.
    @discardableResult
    mutating func skipTextSpaces() -> Bool {
        let start = index
        while case let length = spaceLength(at: index), length > 0 { index += length }
        return index > start
    }

    /// Where a designator or zone may end: the end, a space, a digit or a sign.
    var atWordEnd: Bool { atEnd || spaceLength(at: index) > 0 || atDigit || signLength(at: index) > 0 }

    /// `letters`, ASCII, in any case, ending at a word end; nothing consumed if not.
    mutating func word(_ letters: StaticString) -> Bool {
        let start = index
        let length = letters.utf8CodeUnitCount
        guard index + length <= count else { return false }
        for offset in 0..<length where byte(index + offset) | 0x20 != letters.utf8Start[offset] | 0x20 { return false }
        index += length
        if atWordEnd { return true }
        index = start
        return false
    }

    /// Skips a word not read: everything up to a space, a digit or the end. False if there is none here.
    mutating func skipUnreadWord() -> Bool {
        let start = index
        while !atEnd && spaceLength(at: index) == 0 && !atDigit { index += 1 }
        return index > start
    }

    /// `2020-02-28`, `28/02/2020`, `28.2.2020`, `2020. 02. 28.`: three numbers and one
    /// separator (`-`, `/` or `.`, spaces allowed after it), laid out by their widths.
    mutating func cultureDate() -> CultureDateText.Date? {
        guard let (a, aDigits) = digits(), let separator = peek,
              separator == UInt8(ascii: "-") || separator == UInt8(ascii: "/") || separator == UInt8(ascii: ".") else { return nil }
        advance()
        skipTextSpaces()
        guard let (b, bDigits) = digits(), peek == separator else { return nil }
        advance()
        skipTextSpaces()
        guard let (c, cDigits) = digits() else { return nil }
        // hu-HU and others end a dotted date with a dot too: `2020. 02. 28.`
        if separator == UInt8(ascii: "."), peek == separator, index + 1 == count || spaceLength(at: index + 1) > 0 { advance() }
        switch (aDigits, bDigits, cDigits) {
        case (4, 1...2, 1...2): return .yearFirst(year: a, month: b, day: c)
        case (1...2, 1...2, 4): return .yearLast(first: a, second: b, year: c)
        case (1...2, 1...2, 1...2): return .twoDigitYear(a, b, c)
        default: return nil
        }
    }

    /// `16:35:31`, `4:35`, `16.35.31` (fi-FI), with a fraction after `.` or `,`.
    mutating func cultureClock() -> CultureDateText.Clock? {
        guard let (hour, hourDigits) = digits(), hourDigits <= 2, let separator = peek,
              separator == UInt8(ascii: ":") || separator == UInt8(ascii: ".") else { return nil }
        advance()
        guard let (minute, minuteDigits) = digits(), minuteDigits == 2, minute < 60 else { return nil }
        var clock = CultureDateText.Clock(hour: hour, minute: minute, second: 0, fractionTicks: 0)
        if peek == separator, index + 1 < count, byte(index + 1) >= 0x30, byte(index + 1) <= 0x39 {
            advance()
            guard let (second, secondDigits) = digits(), secondDigits == 2, second <= 60 else { return nil }
            clock.second = second
            if let mark = peek, mark == UInt8(ascii: ".") || mark == UInt8(ascii: ","),
               index + 1 < count, byte(index + 1) >= 0x30, byte(index + 1) <= 0x39 {
                advance()
                clock.fractionTicks = fractionTicks()
            }
        }
        return clock
    }

    /// `AM`/`PM` in any case, with or without dots and a space (`a.m.`, `p. m.`), or a
    /// Korean, Chinese or Japanese designator; nil, nothing consumed, for anything else.
    mutating func halfDay() -> CultureDateText.HalfDay? {
        let start = index
        if let first = peek, first | 0x20 == UInt8(ascii: "a") || first | 0x20 == UInt8(ascii: "p") {
            advance()
            if skip(".") { skipTextSpaces() }
            if let m = peek, m | 0x20 == UInt8(ascii: "m") {
                advance()
                _ = skip(".")
                if atWordEnd { return first | 0x20 == UInt8(ascii: "a") ? .am : .pm }
            }
            index = start
            return nil
        }
        for (word, half) in CultureDateReader.halfDayWords where index + word.count <= count {
            guard (0..<word.count).allSatisfy({ byte(index + $0) == word[$0] }) else { continue }
            index += word.count
            if atWordEnd { return half }
            index = start
        }
        return nil
    }

    /// `Z`, `UTC`, `GMT`, and either of these (or nothing) before `+01:00`, `+0100`,
    /// `+1`, `−5`: minutes east of UTC. Nil, nothing consumed, when this is not a zone.
    mutating func zone() -> Int? {
        let start = index
        func fail() -> Int? { index = start; return nil }
        if word("Z") { return 0 }
        let named = word("UTC") || word("GMT")
        let afterName = index
        skipTextSpaces()
        let signBytes = signLength(at: index)
        guard signBytes > 0 else {
            if named { index = afterName; return 0 }
            return fail()
        }
        let negative = byte(index) != UInt8(ascii: "+")
        index += signBytes
        guard let (value, digitCount) = digits() else { return fail() }
        var hours = value, minutes = 0
        if digitCount == 4 {
            hours = value / 100
            minutes = value % 100
        } else if digitCount <= 2 {
            if skip(":") {
                guard let (m, mDigits) = digits(), mDigits == 2 else { return fail() }
                minutes = m
            }
        } else {
            return fail()
        }
        guard hours <= 14, minutes < 60, atWordEnd else { return fail() }
        return (hours * 60 + minutes) * (negative ? -1 : 1)
    }

    /// What follows a date: a clock, its designator before it (ko, zh, ja) or after it,
    /// a zone, and words not known (counted), in any spacing. False when the text holds
    /// anything else: numbers after the clock, a word or designator with no clock.
    mutating func timeOfDay(into text: inout CultureDateText) -> Bool {
        var halfDay: CultureDateText.HalfDay?
        while true {
            skipTextSpaces()
            if atEnd { break }
            if atDigit {
                guard text.clock == nil, text.offsetMinutes == nil, let clock = cultureClock() else { return false }
                text.clock = clock
            } else if halfDay == nil, let half = self.halfDay() {
                halfDay = half
            } else if text.offsetMinutes == nil, let zone = zone() {
                text.offsetMinutes = zone
            } else {
                guard skipUnreadWord() else { return false }
                text.unreadWords += 1
            }
        }
        if text.clock == nil { return halfDay == nil && text.unreadWords == 0 }
        text.clock!.halfDay = halfDay
        return true
    }
}
