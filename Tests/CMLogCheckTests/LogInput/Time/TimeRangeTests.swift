import Foundation
import Testing
@testable import LogInput
@testable import LogReport
@testable import CMLogCheckCLI

/// Times outside years 1-9999 (issue 14 item 11): unreadable, never printed wrong.
@Suite("Time: years 1 to 9999")
struct TimeRangeTests {
    @Test("a bias that moves a time past year 9999 or before year 1 leaves the record without a time, counted")
    func biasPastTheEnds() throws {
        let text = [
            cmtrace("past the end", time: "23:00:00.000+9999", date: "12-31-9999"),
            cmtrace("before the start", time: "00:30:00.000-60", date: "01-01-0001"),
            cmtrace("last instant", time: "23:59:59.999+0", date: "12-31-9999"),
            cmtrace("first instant", time: "00:00:00.000+0", date: "01-01-0001"),
        ].joined(separator: "\n") + "\n"
        let framed = try frame(text)
        try #require(framed.records.count == 4)
        let past = try framed.records.at(0), before = try framed.records.at(1)
        #expect(past.utc == nil && past.local == nil && past.dateText == "12-31-9999" && past.timeText == "23:00:00.000+9999")
        #expect(before.utc == nil && before.local == nil)
        #expect(try framed.records.at(2).utcText == "9999-12-31T23:59:59.999Z")
        #expect(try framed.records.at(3).utcText == "0001-01-01T00:00:00.000Z")
        #expect(framed.summary.outOfRangeTimes == 2)
        #expect(framed.summary.last == utc("9999-12-31T23:59:59.999Z"))
    }

    @Test("--bias on a bias-less time at the end of year 9999 is the same: no time")
    func assumedBias() throws {
        var options = ReadOptions()
        options.assumedBias = 1440
        let framed = try frame(cmtrace("late", time: "23:00:00.000", date: "12-31-9999") + "\n", options: options)
        #expect(try framed.records.at(0).utc == nil)
        #expect(framed.summary.outOfRangeTimes == 1)
    }

    @Test("records and review say so on standard error and print no wrong year")
    func commands() throws {
        let dir = TemporaryDirectory()
        let path = try dir.write("CMGatewaySyncUploadWorker.log",
                                 cmtrace("Batching 3 records", time: "23:00:00.000+9999", date: "12-31-9999") + "\r\n")
        let records = runCLI(["records", path])
        #expect(records.status == 0)
        #expect(records.standardError.contains("\(path): 1 record has a time outside years 1-9999 once its bias is applied: unreadable, read as having no time"))
        let object = try #require(jsonLines(records.standardOutput).first)
        #expect(object["utc"] is NSNull && object["bias"] is NSNull)
        #expect(object["localTime"] as? String == "12-31-9999 23:00:00.000")
        let review = runCLI(["review", "--format", "json", "--fail-on", "never", path])
        #expect(!review.standardOutput.contains("\"0000-") && !review.standardOutput.contains("10000"))
        #expect(review.standardError.contains("outside years 1-9999"))
    }

    @Test("an instant past year 9999 made by arithmetic is written in ISO 8601's expanded form, not as year 0000")
    func printers() throws {
        let past = Instant(ticks: Instant.representable.upperBound + 1)
        #expect(TimeText.iso8601(past) == "+10000-01-01T00:00:00.000Z")
        let out = Output()
        out.write(instant: past)
        #expect(out.text == "\"+10000-01-01T00:00:00.000Z\"")
        #expect(TimeText.iso8601(Instant(ticks: Instant.representable.upperBound)) == "9999-12-31T23:59:59.999Z")
        #expect(Instant.checked(ticks: Instant.representable.upperBound + 1) == nil)
        #expect(Instant.checked(ticks: Instant.representable.lowerBound - 1) == nil)
        #expect(Instant(iso8601: "9999-12-31T23:30:00-05:00") == nil)
        #expect(Instant(iso8601: "9999-12-31T23:30:00+05:00") != nil)
    }
}
