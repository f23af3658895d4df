import Foundation
import Testing
@testable import LogMatching
@testable import LogInput
@testable import LogRules
@testable import LogAnalysis
@testable import LogFindings
@testable import LogReport
@testable import LogFollow

/// Parses a CMTrace date and time given as text.
private func parse(_ date: String, _ time: String) -> LogTimestamp? {
    let dateBytes = Array(date.utf8), timeBytes = Array(time.utf8)
    return dateBytes.withUnsafeBytes { d in timeBytes.withUnsafeBytes { t in LogTimestamp.parse(date: d, time: t) } }
}

private func parseCopy(_ date: String, _ time: String, bias: Int? = nil, dayFirst: Bool? = nil) -> LogTimestamp? {
    var order = dayFirst
    return parseCopy(date, time, bias: bias, order: &order)
}

private func parseCopy(_ date: String, _ time: String, bias: Int? = nil, order: inout Bool?) -> LogTimestamp? {
    let dateBytes = Array(date.utf8), timeBytes = Array(time.utf8)
    return dateBytes.withUnsafeBytes { d in
        timeBytes.withUnsafeBytes { t in CopyFormTime.parse(date: d, time: t, bias: bias, dayFirst: &order) }
    }
}

@Suite("Timestamps")
struct TimestampTests {
    @Test("Bias sign: UTC = local + bias", arguments: [
        ("02-28-2020", "10:00:00.000+480", "2020-02-28T18:00:00.000Z", 480),
        ("02-28-2020", "08:06:34.590-060", "2020-02-28T07:06:34.590Z", -60),
        ("02-28-2020", "16:20:31.497+480", "2020-02-29T00:20:31.497Z", 480),
        ("01-01-2021", "00:30:00.000+060", "2021-01-01T01:30:00.000Z", 60),
        ("01-01-2021", "00:30:00.000-060", "2020-12-31T23:30:00.000Z", -60),
        ("02-29-2020", "23:59:59.999+1", "2020-03-01T00:00:59.999Z", 1),
    ])
    func biasSign(date: String, time: String, expected: String, bias: Int) throws {
        let stamp = try #require(parse(date, time))
        #expect(stamp.bias == bias)
        #expect(stamp.utc?.iso8601 == expected)
        #expect(stamp.utc == utc(expected))
    }

    @Test("Bias padded or not: -060, +000, +0, -0, +60 all read")
    func biasPadding() throws {
        #expect(parse("02-28-2020", "08:00:00.000-060")?.bias == -60)
        #expect(parse("02-28-2020", "08:00:00.000+000")?.bias == 0)
        #expect(parse("02-28-2020", "08:00:00.000+0")?.bias == 0)
        #expect(parse("02-28-2020", "08:00:00.000-0")?.bias == 0)
        #expect(parse("02-28-2020", "08:00:00.000+60")?.bias == 60)
        #expect(parse("02-28-2020", "08:00:00.000+0")?.utc?.iso8601 == "2020-02-28T08:00:00.000Z")
        #expect(parse("02-28-2020", "08:00:00.000-060")?.utc == parse("02-28-2020", "07:00:00.000+000")?.utc)
    }

    @Test("Dates not zero-padded, / as separator")
    func loosDates() throws {
        let stamp = try #require(parse("9-23-2026", "7:05:01.000+0"))
        #expect(stamp.local == CivilTime(year: 2026, month: 9, day: 23, hour: 7, minute: 5, second: 1))
        #expect(parse("9/3/2026", "07:05:01.000+0")?.local.day == 3)
    }

    @Test("Seven fractional digits keep 100 ns precision; none, one and more also read")
    func fractions() throws {
        let seven = try #require(parse("02-28-2020", "10:00:00.1234567+480"))
        #expect(seven.local.fractionTicks == 1_234_567)
        #expect(seven.utc?.ticks == utc("2020-02-28T18:00:00Z")!.ticks + 1_234_567)
        #expect(seven.utc?.iso8601 == "2020-02-28T18:00:00.123Z")
        #expect(parse("02-28-2020", "10:00:00.0000000+480")?.utc?.iso8601 == "2020-02-28T18:00:00.000Z")
        #expect(parse("02-28-2020", "10:00:00+480")?.local.fractionTicks == 0)
        #expect(parse("02-28-2020", "10:00:00.5+480")?.local.fractionTicks == 5_000_000)
        #expect(parse("02-28-2020", "10:00:00.123456789+480")?.local.fractionTicks == 1_234_567)
    }

    @Test("No bias: local time known, UTC unknown")
    func noBias() throws {
        let stamp = try #require(parse("02-28-2020", "16:20:31.497"))
        #expect(stamp.bias == nil)
        #expect(stamp.utc == nil)
        #expect(stamp.local == CivilTime(year: 2020, month: 2, day: 28, hour: 16, minute: 20, second: 31, fractionTicks: 4_970_000))
    }

    @Test("Invalid dates and times give nil, never a crash", arguments: [
        ("13-45-2020", "10:00:00.000+480"),
        ("02-30-2020", "10:00:00.000+480"),
        ("02-29-2021", "10:00:00.000+480"),
        ("00-10-2020", "10:00:00.000+480"),
        ("02-28-20", "10:00:00.000+480"),
        ("02-28-2020", "24:00:00.000+480"),
        ("02-28-2020", "10:60:00.000+480"),
        ("02-28-2020", "10:00:00.000+"),
        ("02-28-2020", "10:00:00.000+480x"),
        ("02-28-2020", "10:00"),
        ("", ""),
        ("99999999999999999999-1-2020", "10:00:00.000+480"),
        ("02-28-2020", "99999999999999999999:00:00"),
    ])
    func invalid(date: String, time: String) {
        #expect(parse(date, time) == nil)
    }

    @Test("Invalid dates inside records: the record is framed, its timestamp is nil")
    func invalidInRecords() throws {
        let framed = try frame(cmtrace("bad date", date: "13-45-2020") + "\n" + cmtrace("good") + "\n")
        #expect(framed.messages == ["bad date", "good"])
        #expect(try framed.records.at(0).utc == nil && framed.records.at(0).local == nil)
        #expect(try framed.records.at(0).dateText == "13-45-2020")
        #expect(try framed.records.at(1).utc != nil)
        let simpleFramed = try frame(simple("bad", date: "13-45-2020") + "\n")
        #expect(simpleFramed.messages == ["bad"])
        #expect(try simpleFramed.records.at(0).utc == nil)
    }

    @Test("Framed records carry the quirks through")
    func quirksInRecords() throws {
        let text = [
            cmtrace("padded", time: "08:06:34.590-060"),
            cmtrace("zero", time: "08:06:34.590+000"),
            cmtrace("short", time: "08:06:34.590+0", date: "9-23-2026"),
            cmtrace("seven", time: "10:00:00.0000001+480"),
            cmtrace("none", time: "10:00:00.000"),
        ].joined(separator: "\n")
        let framed = try frame(text)
        #expect(framed.records.map(\.utcText) == [
            "2020-02-28T07:06:34.590Z", "2020-02-28T08:06:34.590Z", "2026-09-23T08:06:34.590Z",
            "2020-02-28T18:00:00.000Z", nil,
        ])
        #expect(try framed.records.at(3).utc?.ticks == utc("2020-02-28T18:00:00Z")!.ticks + 1)
        #expect(framed.records.map(\.bias) == [-60, 0, 0, 480, nil])
        // An assumed bias fills in only where the text has none.
        let assumed = try frame(text, options: ReadOptions(assumedBias: 60))
        #expect(assumed.records.map(\.bias) == [-60, 0, 0, 480, 60])
        #expect(try assumed.records.at(4).utcText == "2020-02-28T11:00:00.000Z")
    }

    @Test("Copy-form dates and 12-hour clocks")
    func copyForm() throws {
        #expect(parseCopy("2/28/2020", "4:20:31 PM")?.local == CivilTime(year: 2020, month: 2, day: 28, hour: 16, minute: 20, second: 31))
        #expect(parseCopy("2/28/2020", "12:00:00 AM")?.local.hour == 0)
        #expect(parseCopy("2/28/2020", "12:00:00 PM")?.local.hour == 12)
        #expect(parseCopy("28-2-2020", "16:20:31")?.local.month == 2)
        #expect(parseCopy("28.02.2020", "16:20:31")?.local.day == 28)
        // Ambiguous day and month: no time until the input has shown its order, never en-US by default.
        #expect(parseCopy("02/03/2020", "16:20:31") == nil)
        var order: Bool?
        #expect(parseCopy("28-2-2020", "16:20:31", order: &order)?.local.day == 28)
        #expect(order == true)
        #expect(parseCopy("02/03/2020", "16:20:31", order: &order)?.local.month == 3)
        var american: Bool?
        _ = parseCopy("2/28/2020", "16:20:31", order: &american)
        #expect(parseCopy("02/03/2020", "16:20:31", order: &american)?.local.month == 2)
        #expect(parseCopy("05/05/2020", "16:20:31")?.local.month == 5, "day and month alike: no ambiguity")
        #expect(parseCopy("2/28/2020", "4:20:31 PM")?.utc == nil)
        #expect(parseCopy("2/28/2020", "4:20:31 PM", bias: 480)?.utc?.iso8601 == "2020-02-29T00:20:31.000Z")
        #expect(parseCopy("13/13/2020", "4:20:31") == nil)
        #expect(parseCopy("2/28/2020", "16:20:31 PM") == nil)
    }

    @Test("Instant: ISO 8601 both ways, offsets with the ISO sign")
    func instant() throws {
        #expect(utc("2020-02-28T18:00:00Z")?.iso8601 == "2020-02-28T18:00:00.000Z")
        #expect(utc("2020-02-28T19:00:00+01:00") == utc("2020-02-28T18:00:00Z"))
        #expect(utc("2020-02-28T17:00:00.5-01:00")?.iso8601 == "2020-02-28T18:00:00.500Z")
        #expect(utc("2020-02-28 18:00:00") == utc("2020-02-28T18:00:00Z"))
        #expect(utc("1969-12-31T23:59:59Z")?.ticks == -Instant.ticksPerSecond)
        #expect(utc("2020-02-30T00:00:00Z") == nil)
        #expect(utc("yesterday") == nil)
        let instant = try #require(utc("2020-02-29T23:59:59.999Z"))
        #expect((instant + 1).iso8601 == "2020-03-01T00:00:00.999Z")
        #expect(CivilTime(utc: Instant(ticks: 0)) == CivilTime(year: 1970, month: 1, day: 1, hour: 0, minute: 0, second: 0))
    }
}
