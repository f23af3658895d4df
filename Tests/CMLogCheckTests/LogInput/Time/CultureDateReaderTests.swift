import Testing
@testable import LogInput
@testable import LogAnalysis

private func civil(_ year: Int, _ month: Int, _ day: Int, _ hour: Int, _ minute: Int, _ second: Int = 0) -> CivilTime {
    CivilTime(year: year, month: month, day: day, hour: hour, minute: minute, second: second)!
}

private func written(_ year: Int, _ month: Int, _ day: Int, _ hour: Int, _ minute: Int, bias: Int? = 0) -> LogTimestamp {
    LogTimestamp(local: civil(year, month, day, hour, minute), bias: bias)
}

/// The next run announced by a line written at `at`, with the 15-minute interval.
private func nextRun(_ text: String, at stamp: LogTimestamp?) -> CivilTime? {
    NextRunResolver.resolve(text, writtenAt: stamp, interval: 900)?.local
}

private func copyForm(_ date: String, _ time: String, order: inout DateOrder?) -> CivilTime? {
    let dateBytes = Array(date.utf8), timeBytes = Array(time.utf8)
    return dateBytes.withUnsafeBytes { d in
        timeBytes.withUnsafeBytes { t in CopyFormTime.parse(date: d, time: t, bias: nil, order: &order)?.local }
    }
}

@Suite("Time: the culture date reader")
struct CultureDateReaderTests {
    @Test("layouts by the numbers' widths; separators -, / and ., spaces after them, hu-HU's closing dot")
    func layouts() throws {
        #expect(CultureDateReader.read("2020/02/28")?.date == .yearFirst(year: 2020, month: 2, day: 28))
        #expect(CultureDateReader.read("2020-02-28")?.date == .yearFirst(year: 2020, month: 2, day: 28))
        #expect(CultureDateReader.read("2020.02.28")?.date == .yearFirst(year: 2020, month: 2, day: 28))
        #expect(CultureDateReader.read("2020. 02. 28.")?.date == .yearFirst(year: 2020, month: 2, day: 28))
        #expect(CultureDateReader.read("28. 2. 2020")?.date == .yearLast(first: 28, second: 2, year: 2020))
        #expect(CultureDateReader.read("03/04/2020")?.date == .yearLast(first: 3, second: 4, year: 2020))
        #expect(CultureDateReader.read("28.02.20")?.date == .twoDigitYear(28, 2, 20))
        for bad in ["", "soon", "2020-02", "2020-02/28", "123/4/2020", "1/2/345", "20200/1/2", "2020-02-28x"] {
            #expect(CultureDateReader.read(bad) == nil, "\(bad)")
        }
    }

    @Test("12-hour designators in either place, any case, with or without dots, in Korean, Chinese and Japanese")
    func designators() throws {
        let cases: [(String, CultureDateText.HalfDay)] = [
            ("4:35:31 PM", .pm), ("4:35:31 pm", .pm), ("4:35:31 p.m.", .pm), ("4:35:31 P.M.", .pm), ("4:35:31 p. m.", .pm),
            ("4:35:31 AM", .am), ("4:35:31 am", .am), ("4:35:31 a.m.", .am), ("4:35:31 A.M.", .am),
            ("4:35:31\u{202F}PM", .pm), ("4:35:31\u{00A0}PM", .pm),
            ("오후 4:35:31", .pm), ("오전 4:35:31", .am), ("下午 04:35:31", .pm), ("上午 04:35:31", .am),
            ("午後 4:35:31", .pm), ("午前 4:35:31", .am), ("下午04:35:31", .pm),
        ]
        for (time, half) in cases {
            let read = try #require(CultureDateReader.read("2020/02/28 " + time), "\(time)")
            #expect(read.clock?.halfDay == half, "\(time)")
            #expect(read.unreadWords == 0, "\(time)")
            #expect(read.hours?.first == (half == .pm ? 16 : 4) && read.hours?.second == nil, "\(time)")
        }
        // A word that merely starts like a designator is not one.
        #expect(CultureDateReader.read("2020/02/28 4:35:31 amanhã")?.unreadWords == 1)
        #expect(CultureDateReader.read("2020/02/28 4:35:31 PMX")?.clock?.halfDay == nil)
    }

    @Test("12 AM is midnight, 12 PM noon; a designator that contradicts the hour is no reading")
    func twelve() {
        #expect(CultureDateReader.read("2/28/2020 12:05:00 AM")?.hours?.first == 0)
        #expect(CultureDateReader.read("2/28/2020 12:05:00 PM")?.hours?.first == 12)
        #expect(CultureDateReader.read("2/28/2020 13:05:00 PM")?.hours == nil)
        #expect(CultureDateReader.read("2/28/2020 0:05:00 AM")?.hours == nil)
    }

    @Test("an unread designator leaves both halves of the day open; a 24-hour hour needs none")
    func unreadDesignator() throws {
        let greek = try #require(CultureDateReader.read("28/2/2020 4:35:31 μ.μ."))
        #expect(greek.unreadWords == 1 && greek.clock?.halfDay == nil)
        #expect(greek.hours?.first == 4 && greek.hours?.second == 16)
        let arabic = try #require(CultureDateReader.read("28/02/2020 04:35:31 م"))
        #expect(arabic.hours?.first == 4 && arabic.hours?.second == 16)
        #expect(CultureDateReader.read("28.2.2020 г. 16:35:31 ч.")?.hours.map { [$0.first] + ($0.second.map { [$0] } ?? []) } == [16])
    }

    @Test("clocks: . as the time separator (fi-FI), no seconds, fractions after . or ,; zones")
    func clocks() throws {
        let finnish = try #require(CultureDateReader.read("3.3.2020 16.35.31"))
        #expect(finnish.clock == CultureDateText.Clock(hour: 16, minute: 35, second: 31, fractionTicks: 0, halfDay: nil))
        #expect(CultureDateReader.read("2020-02-28 16:35")?.clock?.second == 0)
        #expect(CultureDateReader.read("2020-02-28T16:35:31.5Z")?.clock?.fractionTicks == 5_000_000)
        #expect(CultureDateReader.read("2020-02-28 16:35:31,25")?.clock?.fractionTicks == 2_500_000)
        #expect(CultureDateReader.read("2020-02-28T16:35:31+01:00")?.offsetMinutes == 60)
        #expect(CultureDateReader.read("2020-02-28 16:35:31 UTC-5")?.offsetMinutes == -300)
        #expect(CultureDateReader.read("2020-02-28 16:35:31 \u{2212}0530")?.offsetMinutes == -330)
        #expect(CultureDateReader.read("2/28/2020 4:35:31 PM +01:00")?.offsetMinutes == 60)
        for bad in ["2020-02-28T", "2020-02-28 16:60", "2020-02-28 16:35:61", "2020-02-28 16:35:31 17", "2020-02-28 PM",
                    "2020-02-28 16:35:31 +99:00", "2020-02-28 banana"] {
            #expect(CultureDateReader.read(bad) == nil, "\(bad)")
        }
        #expect(CultureDateReader.offset("+01:00") == 60)
        #expect(CultureDateReader.offset(" -0530 ") == -330)
        #expect(CultureDateReader.offset("GMT") == 0)
        #expect(CultureDateReader.offset("0") == 0)
        #expect(CultureDateReader.offset("1") == nil)
        #expect(CultureDateReader.offset("CET") == nil)
    }

    @Test("readings: both orders, a two-digit year in each place, both halves of the day, each time once")
    func readings() throws {
        let ambiguous = try #require(CultureDateReader.read("03/04/2020 10:00"))
        #expect(ambiguous.isAmbiguousOrder && ambiguous.possibleOrders == [.monthFirst, .dayFirst])
        #expect(ambiguous.readings().map(\.local) == [civil(2020, 3, 4, 10, 0), civil(2020, 4, 3, 10, 0)])
        #expect(ambiguous.local(order: nil) == nil, "never guessed")
        #expect(ambiguous.local(order: .dayFirst) == civil(2020, 4, 3, 10, 0))
        let same = try #require(CultureDateReader.read("05/05/2020 10:00"))
        #expect(!same.isAmbiguousOrder && same.readings().count == 1 && same.local(order: nil) == civil(2020, 5, 5, 10, 0))
        #expect(CultureDateReader.read("28/02/2020 10:00")?.possibleOrders == [.dayFirst])
        #expect(CultureDateReader.read("31/31/2020 10:00")?.readings() == [])
        let short = try #require(CultureDateReader.read("03/04/05 10:00"))
        #expect(short.readings().map(\.local) == [civil(2005, 3, 4, 10, 0), civil(2005, 4, 3, 10, 0), civil(2003, 4, 5, 10, 0)])
        #expect(CultureDateReader.read("3/4/2020 1:00 μ.μ.")?.readings().count == 4)
    }
}

@Suite("Time: the next run in any .NET culture")
struct NextRunCultureTests {
    @Test("every culture's shape resolves to 28 February 2020 16:35:31, written at 16:20", arguments: [
        "02/28/2020 16:35:31", "28-2-2020 16:35:31", "28.02.2020 16:35:31", "28/02/2020 16:35:31",
        "2020/02/28 16:35:31", "2020-02-28 16:35:31", "2020.02.28 16:35:31", "2020. 02. 28. 16:35:31",
        "2/28/2020 4:35:31 PM", "2/28/2020 4:35:31 pm", "28/02/2020 4:35:31 p.m.", "28/02/2020 4:35:31 P.M.",
        "28/02/2020 4:35:31 p. m.", "2/28/2020 4:35:31\u{202F}PM",
        "2020-02-28 오후 4:35:31", "2020/2/28 下午 04:35:31", "2020/02/28 午後 4:35:31",
        "28.2.2020 16.35.31", "28.02.20 16:35:31",
        // Designators not known here: settled by the time the run is due.
        "28/2/2020 4:35:31 μ.μ.", "28/02/2020 04:35:31 م", "28.2.2020 г. 16:35:31 ч.",
    ])
    func afternoon(_ text: String) throws {
        let resolved = try #require(NextRunResolver.resolve(text, writtenAt: written(2020, 2, 28, 16, 20, bias: 480), interval: 900))
        #expect(resolved.local == civil(2020, 2, 28, 16, 35, 31))
        #expect(resolved.utc?.iso8601 == "2020-02-29T00:35:31.000Z")
    }

    @Test("the morning forms resolve to 04:35:31, written at 04:20", arguments: [
        "2/28/2020 4:35:31 AM", "2/28/2020 4:35:31 am", "28/02/2020 4:35:31 a.m.", "2020-02-28 오전 4:35:31",
        "2020/2/28 上午 04:35:31", "2020/02/28 午前 4:35:31", "28.2.2020 4.35.31", "28/2/2020 4:35:31 π.μ.",
    ])
    func morning(_ text: String) {
        #expect(nextRun(text, at: written(2020, 2, 28, 4, 20)) == civil(2020, 2, 28, 4, 35, 31))
    }

    @Test("Korean: 2020-03-03 오후 11:15:02 written at 23:00 is 23:15:02, not 11:15")
    func korean() throws {
        let resolved = try #require(NextRunResolver.resolve("2020-03-03 오후 11:15:02", writtenAt: written(2020, 3, 3, 23, 0), interval: 900))
        #expect(resolved.local == civil(2020, 3, 3, 23, 15, 2))
        #expect(resolved.order == nil, "year first: no day/month order was needed")
        #expect(resolved.utc?.iso8601 == "2020-03-03T23:15:02.000Z")
        // The designator read wins over the context: 오전 is the morning even when the evening is nearer.
        #expect(nextRun("2020-03-03 오전 11:15:02", at: written(2020, 3, 3, 23, 0)) == civil(2020, 3, 3, 11, 15, 2))
    }

    @Test("Finnish: 3.3.2020 16.35.31")
    func finnish() {
        #expect(nextRun("3.3.2020 16.35.31", at: written(2020, 3, 3, 16, 20)) == civil(2020, 3, 3, 16, 35, 31))
        #expect(nextRun("3.3.2020 16.35.31", at: nil) == civil(2020, 3, 3, 16, 35, 31), "unambiguous: no context needed")
    }

    @Test("12 AM just after midnight, 12 PM at noon")
    func twelve() {
        #expect(nextRun("2/28/2020 12:05:00 AM", at: written(2020, 2, 27, 23, 50)) == civil(2020, 2, 28, 0, 5))
        #expect(nextRun("2/28/2020 12:05:00 PM", at: written(2020, 2, 28, 11, 50)) == civil(2020, 2, 28, 12, 5))
    }

    @Test("ambiguity in both the order and the half of the day is settled together")
    func bothOpen() {
        // 3 April 2020 at 13:00, on a culture whose designator is not known here.
        #expect(nextRun("03/04/2020 1:00:00 μ.μ.", at: written(2020, 4, 3, 12, 45)) == civil(2020, 4, 3, 13, 0))
        #expect(nextRun("03/04/2020 1:00:00 μ.μ.", at: written(2020, 3, 4, 0, 45)) == civil(2020, 3, 4, 1, 0))
    }

    @Test("a zone named in the text gives the instant even without a bias")
    func zone() {
        let resolved = NextRunResolver.resolve("2020-02-28T16:35:31+01:00", writtenAt: written(2020, 2, 28, 16, 20, bias: nil), interval: 900)
        #expect(resolved?.utc?.iso8601 == "2020-02-28T15:35:31.000Z")
    }

    @Test("what cannot be read is nil: the caller reports it, it never becomes a late cycle")
    func unreadable() {
        let at = written(2020, 2, 28, 16, 20)
        for text in ["", "soon", "28/02/2020", "16:35:31", "2/28/2020 16:35:31 PM", "13/13/2020 10:00:00",
                     "2/28/2020 4:35:31 PM PM 5", "2020-02-28 16:35:31 at the latest 17"] {
            #expect(NextRunResolver.resolve(text, writtenAt: at, interval: 900) == nil, "\(text)")
        }
        // Another calendar read as Gregorian is centuries away from the line: refused, not late.
        #expect(nextRun("1398/12/08 16:35:31", at: at) == nil, "fa-IR, Persian calendar")
        #expect(nextRun("28/2/2563 16:35:31", at: at) == nil, "th-TH, Buddhist calendar")
        #expect(nextRun("04/07/1441 04:35:31 م", at: at) == nil, "ar-SA, Hijri calendar")
        // Open readings and nothing to judge by.
        #expect(nextRun("28/2/2020 4:35:31 μ.μ.", at: nil) == nil)
        #expect(nextRun("28.02.20 16:35:31", at: nil) == nil)
    }
}

@Suite("Time: copy form and inventory dates on the one reader")
struct CultureCallersTests {
    @Test("copy form: the order learned from an unambiguous date, the new designators, unread ones refused")
    func copyFormOrder() {
        var order: DateOrder?
        #expect(copyForm("03/04/2020", "10:00:00", order: &order) == nil, "ambiguous, nothing learned yet")
        #expect(copyForm("28/02/2020", "10:00:00", order: &order) == civil(2020, 2, 28, 10, 0))
        #expect(order == .dayFirst)
        #expect(copyForm("03/04/2020", "10:00:00", order: &order) == civil(2020, 4, 3, 10, 0))
        #expect(copyForm("2/28/2020", "10:00:00", order: &order) == civil(2020, 2, 28, 10, 0))
        #expect(order == .monthFirst, "a later unambiguous date shows the order again")
        var none: DateOrder?
        #expect(copyForm("2020/02/28", "午後 4:20:31", order: &none) == civil(2020, 2, 28, 16, 20, 31))
        #expect(copyForm("2020-02-28", "오전 11:20:31", order: &none) == civil(2020, 2, 28, 11, 20, 31))
        #expect(copyForm("2/28/2020", "4:20:31 p.m.", order: &none) == civil(2020, 2, 28, 16, 20, 31))
        #expect(copyForm("28.2.2020", "16.20.31", order: &none) == civil(2020, 2, 28, 16, 20, 31))
        #expect(copyForm("2/28/2020", "4:20:31 μ.μ.", order: &none) == nil, "no context for the half of the day")
        #expect(copyForm("2/28/2020", "16:20:31 μ.μ.", order: &none) == civil(2020, 2, 28, 16, 20, 31))
        #expect(none == .monthFirst)
    }

    @Test("inventory dates: the new shapes read; unread words and two-digit years still refused")
    func inventory() {
        func at(_ text: String, _ order: DateOrder? = nil) -> String? {
            ExportTime.parse(text)?.instant(order: order, defaultOffset: 0)?.iso8601
        }
        #expect(at("2021-03-08 오후 4:20:31") == "2021-03-08T16:20:31.000Z")
        #expect(at("2021/03/08 下午 04:20") == "2021-03-08T16:20:00.000Z")
        #expect(at("28.3.2021 16.20.31") == "2021-03-28T16:20:31.000Z")
        #expect(at("2021-03-08 23:59:60") == "2021-03-08T23:59:59.000Z", "a leap second stays in its minute")
        #expect(at("03/04/2021 10:00") == nil, "ambiguous and no order: never guessed")
        #expect(at("03/04/2021 10:00", .dayFirst) == "2021-04-03T10:00:00.000Z")
        #expect(at("2021-03-04 10:00", .dayFirst) == "2021-03-04T10:00:00.000Z", "a column's order does not touch year-first dates")
        #expect(at("28/03/2021 10:00", .monthFirst) == nil)
        #expect(at("2021-03-08 4:20:31 μ.μ.") == nil)
        #expect(at("08.03.21 16:20") == nil)
    }
}
