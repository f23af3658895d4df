import Foundation
import Testing
@testable import CMLogCheckCLI
@testable import LogInput
@testable import LogReport

/// A record of a real service connection point log: no bias, seven fractional digits.
private func unbiased(_ message: String, _ date: String, _ time: String) -> String {
    cmtrace(message, time: time + ".6721099", date: date, component: "SMS_SERVICE_CONNECTOR_CMGatewaySyncUploadWorker") + "\r\n"
}

private func unbiasedCycle(_ date: String, _ time: String, next: String) -> String {
    unbiased("Batching 5 records", date, time + ":01") + unbiased("Next run time will be at approximately: \(next)", date, time + ":02")
}

private func review(_ arguments: [String], input: String? = nil) -> String {
    let result = runCLI(["review", "--color", "never"] + arguments, input: input.map { Array($0.utf8) } ?? [])
    return result.standardOutput
}

@Suite("review --time: UTC, the server's local time, or both") struct TimeOptionTests {
    static let sample = repositoryRoot.appendingPathComponent("SampleLogs/healthy-cmtrace-nl").path

    @Test("a CMTrace log with a bias (-060: UTC+01:00): each choice, labelled with its clock")
    func biased() {
        let utc = review(["--time", "utc", Self.sample])
        #expect(utc.contains("Last successful upload: 2020-03-01 02:20 UTC (delta, 9 records)."), "\(utc)")
        #expect(utc.contains("Upload timeline (times UTC)"))
        #expect(utc.contains("  2020-02-29 19:04    delta   29"), "the timeline's rows in UTC")
        #expect(!utc.contains("+01:00"))

        let local = review(["--time", "local", Self.sample])
        #expect(local.contains("Last successful upload: 2020-03-01 03:20 +01:00 (delta, 9 records)."), "\(local)")
        #expect(local.contains("Upload timeline (times server local time, +01:00)"))
        #expect(local.contains("  2020-02-29 20:04    delta   29"), "the rows as CMTrace shows the log: 20:04:47.120-060")
        #expect(local.range(of: #"\d\d:\d\d UTC"#, options: .regularExpression) == nil, "no time in local is called UTC")

        let both = review(["--time", "both", Self.sample])
        #expect(both.contains("Last successful upload: 2020-03-01 03:20 +01:00 (02:20 UTC) (delta, 9 records)."), "\(both)")
        #expect(both.contains("logs cover 2020-02-29 20:04 to 2020-03-01 03:21 +01:00 (19:04 to 02:21 UTC)"))
        #expect(both.contains("Upload timeline (times server local time, +01:00, UTC is 1 h earlier)"))
        #expect(!both.contains("Times:"), "nothing to fall back from")
        #expect(review([Self.sample]) == both, "both is the default")
    }

    @Test("the HTML report follows --time too")
    func html() {
        let local = review(["--format", "html", "--time", "local", Self.sample])
        #expect(local.contains("2020-03-01 03:20 +01:00 (delta, 9 records)"))
        #expect(local.contains("time (server local time, +01:00)"), "the axis names the offset")
        let utc = review(["--format", "html", "--time", "utc", Self.sample])
        #expect(utc.contains("2020-03-01 02:20 UTC (delta, 9 records)"))
        #expect(!utc.contains("+01:00"))
    }

    @Test("the JSON report is not touched by --time")
    func json() {
        #expect(review(["--format", "json", "--time", "local", Self.sample]) == review(["--format", "json", "--time", "utc", Self.sample]))
    }

    @Test("a log without a bias with --tz: local as written, UTC from the zone, and the daylight saving change marked")
    func zoned() {
        // Europe/Amsterdam, 29 March 2020: 02:00 CET (+01:00) becomes 03:00 CEST (+02:00).
        let log = unbiasedCycle("03-29-2020", "01:30", next: "03/29/2020 01:45:02")
            + unbiasedCycle("03-29-2020", "01:45", next: "03/29/2020 03:00:02")
            + unbiasedCycle("03-29-2020", "03:00", next: "03/29/2020 03:15:02")
        let local = review(["--tz", "Europe/Amsterdam", "--time", "local", "--log", "sync"], input: log)
        #expect(local.contains("logs cover 2020-03-29 01:30 +01:00 to 2020-03-29 03:00 +02:00"), "\(local)")
        #expect(local.contains("(times server local time, +01:00 and +02:00 (the offset changed: each time at its own))"))
        #expect(local.contains("  — server clock now +02:00 —"))
        #expect(local.contains("  2020-03-29 03:00    unknown 5"), "the row as the log writes it")
        let both = review(["--tz", "Europe/Amsterdam", "--log", "sync"], input: log)
        #expect(both.contains("Last successful upload: 2020-03-29 03:00 +02:00 (01:00 UTC)"), "\(both)")
        let utc = review(["--tz", "Europe/Amsterdam", "--time", "utc", "--log", "sync"], input: log)
        #expect(utc.contains("Last successful upload: 2020-03-29 01:00 UTC"))
        #expect(!utc.contains("server clock now"))
    }

    @Test("a log without a bias and no --tz: UTC is not known, said once, times labelled local")
    func utcUnknown() {
        let log = unbiasedCycle("11-29-2022", "13:00", next: "11/29/2022 13:15:02")
            + unbiasedCycle("11-29-2022", "13:15", next: "11/29/2022 13:30:02")
        for choice in ["utc", "both"] {
            let text = review(["--time", choice, "--log", "sync"], input: log)
            #expect(text.components(separatedBy: "Times: UTC is not known (--time \(choice))").count == 2, "\(text)")
            #expect(text.contains("Last successful upload: 2022-11-29 13:15 local"))
            #expect(text.range(of: #"\d\d:\d\d UTC"#, options: .regularExpression) == nil, "a local time is never called UTC")
        }
        let local = review(["--time", "local", "--log", "sync"], input: log)
        #expect(!local.contains("Times:"), "local is what was asked, and what is shown")
        #expect(!review(["--log", "sync"], input: log).contains("Times:"), "the default: the headline already says the zone is unknown")
    }

    @Test("records whose bias flips like two servers' piped together: local is not known, said once, times UTC")
    func localUnknown() {
        var log = ""
        for index in 0...BiasHistory.limit {
            let minute = String(format: "%02d", index)
            log += cmtrace(index % 2 == 0 ? "Batching 5 records" : "Next run time will be at approximately: 02/28/2020 17:\(minute):00",
                           time: "09:\(minute):00.000" + (index % 2 == 0 ? "+480" : "-060"), date: "02-28-2020") + "\n"
        }
        for choice in ["local", "both"] {
            let text = review(["--time", choice, "--log", "sync"], input: log)
            #expect(text.components(separatedBy: "Times: the server's local time is not known (--time \(choice)").count == 2, "\(text)")
            #expect(text.contains("the records' biases change too often to be one server's clock, so times are UTC, labelled UTC."))
            #expect(!text.contains("+08:00") && !text.contains("-08:00") && !text.contains("+01:00"))
        }
        #expect(!review(["--time", "utc", "--log", "sync"], input: log).contains("Times:"))
    }
}

@Suite("How a report writes its times") struct ShownTimesTests {
    let instant = Instant(seconds: 1_582_936_531)   // 2020-02-29T00:35:31Z
    let pacific = BiasHistory([.init(since: Instant(seconds: 0), bias: 480)])

    @Test("offsets as ISO 8601 writes them")
    func offsets() {
        #expect(ShownTimes.offsetText(60) == "+01:00")
        #expect(ShownTimes.offsetText(-480) == "-08:00")
        #expect(ShownTimes.offsetText(330) == "+05:30")
        #expect(ShownTimes.offsetText(0) == "+00:00")
    }

    @Test("both: the local date, UTC's only when it differs; +00:00 once, as UTC")
    func both() {
        let times = ShownTimes(clock: .utc, biases: pacific, asked: .both)
        #expect(times.point(instant) == "2020-02-28 16:35 -08:00 (2020-02-29 00:35 UTC)")
        #expect(times.localOnly.point(instant, seconds: true) == "2020-02-28 16:35:31 -08:00")
        let london = ShownTimes(clock: .utc, biases: BiasHistory([.init(since: instant, bias: 0)]), asked: .both)
        #expect(london.point(instant) == "2020-02-29 00:35 UTC")
    }

    @Test("UTC with no bias known: local falls back to UTC, labelled UTC")
    func noBias() {
        let times = ShownTimes(clock: .utc, biases: BiasHistory(), asked: .local)
        #expect(times.shown == .utc)
        #expect(times.point(instant) == "2020-02-29 00:35 UTC")
        #expect(times.fallbackNote == "Times: the server's local time is not known (--time local): no record carried a bias, so times are UTC, labelled UTC.")
        #expect(ShownTimes(clock: .utc, biases: BiasHistory(), asked: .local, hasTimes: false).fallbackNote == nil)
    }
}
