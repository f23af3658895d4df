import Foundation
import Testing
@testable import LogInput
@testable import LogAnalysis
@testable import LogFindings
@testable import LogFollow

@Suite("Time: one place for time text")
struct TimeTextTests {
    let instant = Instant(iso8601: "2020-02-29T00:35:31.497Z")!

    @Test("the forms: ISO 8601 with milliseconds, to the minute, to the second, labelled or not")
    func forms() {
        #expect(TimeText.iso8601(instant) == "2020-02-29T00:35:31.497Z")
        #expect(instant.iso8601 == "2020-02-29T00:35:31.497Z")
        #expect(TimeText.toMinute(instant, labelled: true) == "2020-02-29 00:35 UTC")
        #expect(TimeText.toMinute(instant, labelled: false) == "2020-02-29 00:35")
        #expect(TimeText.toSecond(instant, labelled: true) == "2020-02-29 00:35:31 UTC")
        #expect(TimeText.toSecond(instant, labelled: false) == "2020-02-29 00:35:31")
        #expect(DeviceProse.when(instant) == "2020-02-29 00:35 UTC")
        var bytes: [UInt8] = Array("at ".utf8)
        TimeText.appendISO8601(CivilTime(utc: instant), clock: .utc, to: &bytes)
        #expect(String(decoding: bytes, as: UTF8.self) == "at 2020-02-29T00:35:31.497Z")
    }

    @Test("a clock other than UTC: no Z, its own label, never UTC")
    func otherClocks() throws {
        let wall = try #require(CivilTime(year: 2020, month: 2, day: 28, hour: 16, minute: 35, second: 31))
        let server = TimeClock(isoSuffix: "", label: "server time")
        #expect(TimeText.iso8601(wall, clock: server) == "2020-02-28T16:35:31.000")
        #expect(TimeText.toMinute(wall, label: server) == "2020-02-28 16:35 server time")
        #expect(TimeText.toSecond(wall, label: nil) == "2020-02-28 16:35:31")
        #expect(TimeText.toSecond(wall, label: .viewer) == "2020-02-28 16:35:31 local")
    }

    @Test("both: the viewer's time and UTC, the UTC date only when it differs")
    func both() {
        #expect(TimeText.both(instant, viewerOffsetSeconds: -8 * 3600) == "2020-02-28 16:35:31 local (2020-02-29 00:35:31 UTC)")
        #expect(TimeText.both(instant, viewerOffsetSeconds: 3600) == "2020-02-29 01:35:31 local (00:35:31 UTC)")
        let pacific = TailTimeFormat(timeZone: TimeZone(identifier: "America/Los_Angeles")!)
        #expect(pacific.both(instant) == "2020-02-28 16:35:31 local (2020-02-29 00:35:31 UTC)")
        #expect(pacific.local(instant) == "2020-02-28 16:35:31")
        #expect(pacific.utc(instant) == "2020-02-29 00:35:31")
        // Daylight saving: the offset is looked up for each instant.
        let summer = Instant(iso8601: "2020-07-01T12:00:00Z")!
        #expect(pacific.both(summer) == "2020-07-01 05:00:00 local (12:00:00 UTC)")
    }

    @Test("fixed-width digits everywhere, checked against Foundation over four centuries")
    func againstFoundation() {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "UTC")
        formatter.dateFormat = "yyyy-MM-dd'T'HH:mm:ss.SSS'Z'"
        var generator = SystemRandomNumberGenerator()
        for _ in 0..<2000 {
            // 1800 to 2200, to the millisecond (Foundation rounds finer fractions).
            let milliseconds = Int64.random(in: -5_364_662_400_000...7_258_118_400_000, using: &generator)
            let instant = Instant(ticks: milliseconds * 10_000)
            let expected = formatter.string(from: Date(timeIntervalSince1970: Double(milliseconds) / 1000))
            #expect(TimeText.iso8601(instant) == expected)
            #expect(TimeText.toMinute(instant, labelled: true) == String(expected.prefix(10)) + " " + String(expected.dropFirst(11).prefix(5)) + " UTC")
            #expect(TimeText.toSecond(instant, labelled: false) == String(expected.prefix(10)) + " " + String(expected.dropFirst(11).prefix(8)))
        }
    }
}
