import Foundation
import Testing
@testable import LogMatching
@testable import LogInput
@testable import LogRules
@testable import LogAnalysis
@testable import LogFindings
@testable import LogReport
@testable import LogFollow
@testable import CMLogCheckCLI

// MARK: Helpers

/// Appends to, renames and truncates files the way a log writer does.
private struct Writer {
    let dir: TemporaryDirectory

    func path(_ name: String) -> String { (dir.path as NSString).appendingPathComponent(name) }

    func append(_ name: String, _ bytes: [UInt8]) { appendFile(path(name), bytes) }

    func append(_ name: String, _ text: String) { append(name, Array(text.utf8)) }

    /// ConfigMgr's rotation: `X.log` renamed to `X.lo_` (replacing an older one).
    func rotate(_ name: String) {
        let rotated = String(name.dropLast(4)) + ".lo_"
        precondition(rename(path(name), path(rotated)) == 0)
    }

    func truncate(_ name: String) { precondition(Glibc.truncate(path(name), 0) == 0) }
}

/// A session over files in a temporary folder, driven step by step with a clock moved by hand.
private final class Harness {
    let dir = TemporaryDirectory()
    lazy var writer = Writer(dir: dir)
    let clock: ManualClock
    let sink = TailCollector()
    var follower: LogFollower!
    var session: TailSession!

    init(clock: String = "2020-02-28T10:05:00Z") { self.clock = ManualClock(utc(clock)!) }

    func start(_ names: [String], settings: TailSettings = Harness.settings(), streams: [FollowTarget] = []) throws {
        let targets = names.map { FollowTarget.file(writer.path($0)) } + streams
        follower = LogFollower(targets: targets)
        session = try TailSession(follower: follower, catalog: CompiledCatalog.bundled(), settings: settings, clock: clock, sink: sink)
        try session.start()
    }

    static func settings(history: Int? = 0, exitOn: Severity? = nil) -> TailSettings {
        var settings = TailSettings()
        settings.timeZone = TimeZone(identifier: "UTC")!
        settings.historyRecords = history
        settings.exitOn = exitOn
        return settings
    }

    var events: [String] { sink.items.map(\.event) }
    var summaries: [String] { sink.items.map(\.summary) }
    var alerts: [TailItem] { sink.items.filter { $0.kind == .alert } }

    func step() throws { try session.step() }
}

private let sync = "CMGatewaySyncUploadWorker.log"
private let notification = "CMGatewayNotificationWorker.log"

/// A simple-format line with bias +000, so local time is UTC.
private func line(_ message: String, _ time: String) -> String {
    simple(message, time: time + ".000+000") + "\r\n"
}

private func nextRun(_ when: String, at time: String) -> String {
    line("Next run time will be at approximately: \(when)", time)
}

/// The documented DevicePost 401 block (GenericUploadWorker.log's shape, in the sync worker's log).
private func unauthorizedBlock(at time: String) -> String {
    line("[UploadDelta_HelpdeskUpload] Response from https://us.gateway.configmgr.manage.microsoft.com/api/gateway/DevicePost is: 401 (Unauthorized)", time)
        + line("Response status code: 401 (Unauthorized) Activity ID: 6daac983-5f94-464e-b1bd-9b634a051d1d", time)
        + line("[WebException]: Failed to upload data to 'https://us.gateway.configmgr.manage.microsoft.com/api/gateway/DevicePost'", time)
        + "Exception details:\r\n[Warning][GenericUploadWorker][0][System.Net.WebException][0x80131509]\r\n"
        + line("The remote server returned an error: (401) Unauthorized.    at Microsoft.ConfigurationManager.ServiceConnector.ExtensionMethods.<GetResponseAsync>d__13.MoveNext()", time)
}

/// Records read straight from a follower, copied out (their bytes are borrowed).
private final class RecordLog {
    var records: [FramedRecord] = []
    var notices: [FollowNotice] = []

    func poll(_ follower: LogFollower) throws {
        try follower.pollOnce(records: { _, record in self.records.append(FramedRecord(record)) },
                              notices: { _, notice in self.notices.append(notice) })
    }
}

/// A small deterministic generator (SplitMix64), so failures reproduce.
struct Random {
    var state: UInt64
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
    mutating func below(_ bound: Int) -> Int { Int(next() % UInt64(bound)) }
}

/// Record `n` of a generated log: CMTrace, every fifth one spanning three physical lines, CRLF.
private func generatedRecord(_ n: Int) -> String {
    let seconds = n % 60, minutes = (n / 60) % 60
    let time = "10:\(minutes < 10 ? "0" : "")\(minutes):\(seconds < 10 ? "0" : "")\(seconds).000+000"
    let message = n % 5 == 0 ? "record \(n) begins\r\nits middle line\r\nrecord \(n) ends" : "record \(n) Heartbeat queue length \(n % 17)"
    return cmtrace(message, time: time) + "\r\n"
}

/// The record number in a message written by `generatedRecord`.
private func recordNumber(_ message: String) -> Int? {
    guard message.hasPrefix("record ") else { return nil }
    return Int(message.dropFirst(7).prefix { $0.isNumber })
}

// MARK: Tests

@Suite("tail: following logs")
struct TailTests {
    @Test("appended records are read as they come; a partial last line waits for its end")
    func appends() throws {
        let harness = Harness()
        harness.writer.append(sync, line("Batching 5 records", "10:00:00"))
        try harness.start([sync])
        #expect(harness.sink.items.isEmpty)  // history seeds the state but is not shown by default
        #expect(harness.session.summary.cycles == 1)

        harness.writer.append(sync, line("Batching 7 records", "10:00:01") + "Batching 9 rec")
        try harness.step()
        #expect(harness.summaries == ["Batching 7 records"])

        harness.writer.append(sync, "ords  $$<SMS_SERVICE_CONNECTOR><02-28-2020 10:00:02.000+000><thread=1 (0x1)>\r\n")
        try harness.step()
        #expect(harness.summaries == ["Batching 7 records", "Batching 9 records"])
        #expect(harness.sink.items.allSatisfy { $0.source == "sync" && !$0.history })
        #expect(harness.sink.items.last?.line == 3)
        #expect(harness.session.summary.recordsUploaded == 21)

        try harness.step()  // nothing new: nothing repeated
        #expect(harness.sink.items.count == 2)
    }

    @Test("a record split across the rotation is joined: no record lost, none repeated")
    func rotationInTheMiddleOfARecord() throws {
        let dir = TemporaryDirectory()
        let writer = Writer(dir: dir)
        writer.append(sync, cmtrace("one") + "\r\n")
        let follower = LogFollower(targets: [.file(writer.path(sync))])
        let log = RecordLog()
        try log.poll(follower)
        #expect(log.records.map(\.message) == ["one"])

        // A multi-line record begins, and its first line is cut in the middle, when the file is rotated;
        // a few bytes reach the old file after the last read and before the rename.
        writer.append(sync, "<![LOG[two begins\r\ntwo mid")
        try log.poll(follower)
        writer.append(sync, "dle")
        writer.rotate(sync)
        writer.append(sync, " line\r\ntwo ends]LOG]!><time=\"10:00:02.000+000\" date=\"02-28-2020\" component=\"SMS_SERVICE_CONNECTOR\" context=\"\" type=\"1\" thread=\"1\" file=\"\">\r\n" + cmtrace("three") + "\r\n")
        try log.poll(follower)
        #expect(log.records.map(\.message) == ["one", "two begins\ntwo middle line\ntwo ends", "three"])
        #expect(try log.records.at(1).isComplete)
        #expect(log.notices == [.rotated])
        #expect(try follower.logs.at(0).rotations == 1)
        // Line numbers are each file's own: "three" is line 3 of the new file.
        #expect(try follower.logs.at(0).fileLine(log.records.at(2).line) == 3)

        // A second rotation replaces the older X.lo_; still nothing lost or repeated.
        writer.append(sync, cmtrace("four") + "\r\n")
        writer.rotate(sync)
        try log.poll(follower)  // the path is gone for a moment: keep the old file
        writer.append(sync, cmtrace("five") + "\r\n")
        try log.poll(follower)
        try log.poll(follower)
        #expect(log.records.map(\.message) == ["one", "two begins\ntwo middle line\ntwo ends", "three", "four", "five"])
        #expect(log.notices == [.rotated, .rotated])
    }

    @Test("a CR-only log is followed record by record, across a rotation")
    func crOnlyLog() throws {
        let dir = TemporaryDirectory()
        let writer = Writer(dir: dir)
        writer.append(sync, cmtrace("one") + "\r" + cmtrace("two"))
        let follower = LogFollower(targets: [.file(writer.path(sync))])
        let log = RecordLog()
        try log.poll(follower)
        #expect(log.records.map(\.message) == ["one"])
        writer.append(sync, "\r<![LOG[three begins\rthree ends]LOG]!><time=\"10:00:02.000+000\" date=\"02-28-2020\" component=\"C\" context=\"\" type=\"1\" thread=\"1\" file=\"\">\r")
        try log.poll(follower)
        #expect(log.records.map(\.message) == ["one", "two", "three begins\nthree ends"])
        writer.rotate(sync)
        writer.append(sync, cmtrace("four") + "\r" + cmtrace("five") + "\r")
        try log.poll(follower)
        try log.poll(follower)
        #expect(log.records.map(\.message) == ["one", "two", "three begins\nthree ends", "four", "five"])
        #expect(try follower.logs.at(0).fileLine(log.records.at(4).line) == 2)
    }

    @Test("rotation of a UTF-8 BOM log mid-record: the new file's BOM is dropped, a U+FEFF in the text is kept")
    func rotationUTF8BOM() throws {
        let dir = TemporaryDirectory()
        let writer = Writer(dir: dir)
        writer.append(sync, [0xEF, 0xBB, 0xBF] + Array((cmtrace("zero\u{FEFF}width") + "\r\n<![LOG[split ").utf8))
        let follower = LogFollower(targets: [.file(writer.path(sync))])
        let log = RecordLog()
        try log.poll(follower)
        writer.rotate(sync)
        writer.append(sync, [0xEF, 0xBB, 0xBF] + Array("record]LOG]!><time=\"10:00:02.000+000\" date=\"02-28-2020\" component=\"C\" context=\"\" type=\"1\" thread=\"1\" file=\"\">\r\n".utf8))
        try log.poll(follower)
        try log.poll(follower)
        #expect(log.records.map(\.message) == ["zero\u{FEFF}width", "split record"])
    }

    @Test("rotation of a UTF-16 log: the new file's BOM does not leak into the text")
    func rotationUTF16() throws {
        let dir = TemporaryDirectory()
        let writer = Writer(dir: dir)
        writer.append(sync, utf16(cmtrace("één") + "\r\n<![LOG[split "))
        let follower = LogFollower(targets: [.file(writer.path(sync))])
        let log = RecordLog()
        try log.poll(follower)
        writer.rotate(sync)
        writer.append(sync, utf16("record]LOG]!><time=\"10:00:02.000+000\" date=\"02-28-2020\" component=\"C\" context=\"\" type=\"1\" thread=\"1\" file=\"\">\r\n"))
        try log.poll(follower)
        #expect(log.records.map(\.message) == ["één", "split record"])
        #expect(try follower.logs.at(0).encoding == .utf16LE)
    }

    @Test("truncation: the file is read again from the start")
    func truncation() throws {
        let harness = Harness()
        harness.writer.append(sync, line("Batching 1 records", "10:00:00") + line("Batching 2 records", "10:00:01") + line("Batching 3 records", "10:00:02"))
        try harness.start([sync])
        harness.writer.truncate(sync)
        harness.writer.append(sync, line("Batching 4 records", "10:01:00"))
        try harness.step()
        #expect(harness.events == ["file.truncated", "upload.batch"])
        #expect(try harness.sink.items.at(1).summary == "Batching 4 records")
        #expect(try harness.sink.items.at(1).line == 1)
        #expect(try harness.follower.logs.at(0).truncations == 1)
        harness.writer.append(sync, line("Batching 5 records", "10:01:01"))
        try harness.step()
        #expect(harness.summaries.last == "Batching 5 records")
        #expect(harness.session.summary.recordsUploaded == 15)

        // Truncated and written past the old offset before the next look: the size does not show
        // it, the bytes last read do.
        harness.writer.truncate(sync)
        harness.writer.append(sync, line("Batching 6 records", "10:02:00") + line("Batching 7 records", "10:02:01") + line("Batching 8 records", "10:02:02"))
        try harness.step()
        #expect(Array(harness.events.suffix(4)) == ["file.truncated", "upload.batch", "upload.batch", "upload.batch"])
        #expect(Array(harness.summaries.suffix(3)) == ["Batching 6 records", "Batching 7 records", "Batching 8 records"])
        #expect(try harness.follower.logs.at(0).truncations == 2)
    }

    @Test("a log that does not exist yet is waited for and read from its start")
    func lateCreatedFile() throws {
        let harness = Harness()
        harness.writer.append(sync, line("Batching 1 records", "10:00:00"))
        try harness.start([sync, notification])
        #expect(try harness.follower.logs.at(1).state == .waiting)
        try harness.step()
        #expect(harness.sink.items.isEmpty)

        harness.writer.append(notification, line("Received new notification. Validating basic notification details...", "10:02:00")
                                + line("Unauthorized to perform client action. TemplateID: RequestMachinePolicy TenantId: a1b2c3a1-b2c3-d4a1-b2c3-d4a1b2c3a1b2 AADUserID: 3a1e89e6-e190-4615-9d38-a208b0eb1c78", "10:02:01"))
        try harness.step()
        #expect(harness.events == ["file.appeared", "action.received", "action.unauthorized"])
        #expect(try harness.sink.items.at(1).source == "notification")
        let alert = try #require(harness.alerts.first)
        #expect(alert.alert == "action-unauthorized")
        #expect(alert.severity == .error)
        #expect(alert.summary.contains("RequestMachinePolicy"))
    }

    @Test("overdue upload: the alert fires from the clock, once, and the next cycle says the upload resumed")
    func overdueAlertFromTheClock() throws {
        let harness = Harness(clock: "2020-02-28T10:05:00Z")
        harness.writer.append(sync, line("Batching 5 records", "10:00:00") + nextRun("02/28/2020 10:15:00", at: "10:00:05"))
        try harness.start([sync])
        #expect(harness.session.expectedRun == utc("2020-02-28T10:15:00Z"))
        #expect(harness.session.expectedIsAnnounced)
        #expect(harness.session.nextDeadline == utc("2020-02-28T10:25:00Z"))  // announced + 10 min grace

        harness.clock.now = utc("2020-02-28T10:24:59Z")!
        harness.session.checkClock()
        #expect(harness.alerts.isEmpty)

        // No line arrives: the clock alone raises the alert.
        harness.clock.now = utc("2020-02-28T10:25:01Z")!
        harness.session.checkClock()
        let alert = try #require(harness.alerts.first)
        #expect(alert.alert == "sync-stalled")
        #expect(alert.event == "upload.overdue")
        #expect(alert.severity == .error)
        #expect(alert.time == utc("2020-02-28T10:25:01Z"))
        #expect(alert.summary.contains("announced for 2020-02-28 10:15:00 local (10:15:00 UTC)"))
        #expect(alert.field("due") == .string("2020-02-28T10:15:00.000Z"))
        #expect(harness.session.nextDeadline == nil)

        harness.clock.now = utc("2020-02-28T11:00:00Z")!
        harness.session.checkClock()
        try harness.step()
        #expect(harness.alerts.count == 1)  // once per announced run

        harness.writer.append(sync, line("Batching 3 records", "11:00:00") + nextRun("02/28/2020 11:15:00", at: "11:00:02"))
        try harness.step()
        #expect(harness.events == ["upload.overdue", "cycle.started", "upload.batch", "upload.next-run"])
        #expect(try harness.sink.items.at(1).summary.hasPrefix("upload resumed: cycle started 45 min after the announced run"))
        #expect(try harness.sink.items.at(3).summary == "next run at 2020-02-28 11:15:00 local (11:15:00 UTC); cycle: 3 records in 1 batch, late")
        #expect(try harness.sink.items.at(3).field("nextRun") == .string("2020-02-28T11:15:00.000Z"))

        harness.clock.now = utc("2020-02-28T11:25:01Z")!
        harness.session.checkClock()
        #expect(harness.alerts.count == 2)
        #expect(harness.session.summary.alerts == 2)
        #expect(harness.session.summary.liveCycles == 1 && harness.session.summary.cycles == 2)
    }

    @Test("no next run announced: the cycle's start plus the interval is expected")
    func overdueWithoutAnnouncement() throws {
        let harness = Harness(clock: "2020-02-28T10:01:00Z")
        harness.writer.append(sync, line("Batching 5 records", "10:00:00"))
        try harness.start([sync])
        #expect(harness.session.expectedIsAnnounced == false)
        #expect(harness.session.nextDeadline == utc("2020-02-28T10:25:00Z"))
        harness.clock.now = utc("2020-02-28T10:25:01Z")!
        harness.session.checkClock()
        #expect(harness.alerts.map(\.alert) == ["sync-stalled"])
        #expect(try harness.alerts.at(0).summary.contains("no next run was announced"))
    }

    @Test("a failure alerts at once, one alert per failure block; --exit-on stops at it")
    func failureAlerts() throws {
        let harness = Harness(clock: "2020-02-28T10:01:00Z")
        harness.writer.append(sync, line("Batching 5 records", "10:00:00"))
        try harness.start([sync], settings: Harness.settings(exitOn: .error))
        harness.writer.append(sync, unauthorizedBlock(at: "10:00:01"))
        try harness.step()
        #expect(harness.alerts.count == 1)
        #expect(try harness.alerts.at(0).alert == "upload-unauthorized")
        #expect(try harness.alerts.at(0).summary == "upload failed: HTTP 401 (Unauthorized) from DevicePost [UploadDelta_HelpdeskUpload]")
        #expect(harness.session.stopReason == .alert)
        #expect(harness.sink.items.last?.kind == .alert)  // nothing after the alert that stops it

        let watch = Harness(clock: "2020-02-28T10:01:00Z")
        watch.writer.append(sync, line("Batching 5 records", "10:00:00"))
        try watch.start([sync])
        watch.writer.append(sync, unauthorizedBlock(at: "10:00:01") + line("Batching 2 records", "10:15:00") + unauthorizedBlock(at: "10:15:01"))
        try watch.step()
        #expect(watch.alerts.count == 2)  // two failures, fifteen minutes apart
        #expect(watch.events.filter { $0 == "http.status" || $0 == "upload.failed" || $0 == "exception" }.count == 6)
        #expect(watch.session.stopReason == nil)
    }

    @Test("an exception header waiting for its message is shown once the log stays quiet")
    func joinWaitIsClockDriven() throws {
        let harness = Harness(clock: "2020-02-28T10:01:00Z")
        harness.writer.append(sync, "")
        try harness.start([sync])
        harness.writer.append(sync, cmtrace("Exception details:\r\n[Critical][CMGatewaySyncUploadWorker][0][System.Net.WebException][0x80131509]", time: "10:01:00.000+000") + "\r\n")
        try harness.step()
        #expect(harness.sink.items.isEmpty)  // its message may be the next record
        #expect(harness.session.nextDeadline == utc("2020-02-28T10:01:01Z"))
        harness.clock.advance(seconds: 1.5)
        harness.session.checkClock()
        #expect(harness.events == ["exception"])
        #expect(harness.alerts.first?.severity == .error)
    }

    @Test("-n N shows the events of the last N records, logs merged by time; history raises no alert")
    func historyLastRecords() throws {
        let harness = Harness(clock: "2020-02-28T10:05:00Z")
        harness.writer.append(sync, line("Batching 1 records", "10:00:00") + line("Batching 2 records", "10:00:02")
                                  + unauthorizedBlock(at: "10:00:04") + line("Batching 3 records", "10:00:06"))
        harness.writer.append(notification, line("Received new notification. Validating basic notification details...", "10:00:01")
                                          + line("Validating device action message content...", "10:00:05"))
        try harness.start([sync, notification], settings: Harness.settings(history: 2))
        // sync's last two records: the exception and the last batch; notification's two.
        #expect(harness.events == ["action.received", "exception", "action.validating", "upload.batch"])
        #expect(harness.sink.items.allSatisfy { $0.history })
        #expect(harness.alerts.isEmpty)
        #expect(harness.session.summary.recordsUploaded == 6)

        let all = Harness(clock: "2020-02-28T10:05:00Z")
        all.writer.append(sync, line("Batching 1 records", "10:00:00") + nextRun("02/28/2020 10:15:00", at: "10:00:03"))
        try all.start([sync], settings: Harness.settings(history: nil))
        #expect(all.events == ["cycle.started", "upload.batch", "upload.next-run"])
    }

    @Test("piped input: read to its end, events in order, no clock judgement at the end")
    func streamInput() throws {
        let text = line("Batching 5 records", "10:00:00") + unauthorizedBlock(at: "10:00:01") + nextRun("02/28/2020 10:15:00", at: "10:00:05")
        let harness = Harness(clock: "2030-01-01T00:00:00Z")
        let stream = FollowTarget.stream(MemorySource(Array(text.utf8), readSize: 7), descriptor: nil)
        try harness.start([], streams: [stream])
        #expect(harness.follower.allEnded)
        #expect(harness.events == ["cycle.started", "upload.batch", "http.response", "http.status", "upload.failed", "exception", "upload.next-run"])
        #expect(harness.sink.items.last?.summary == "next run at 2020-02-28 10:15:00 local (10:15:00 UTC); cycle: delta, 5 records in 1 batch, with failures")
        #expect(harness.alerts.count == 1)  // the 401; not the overdue run: the input ended
        #expect(harness.session.summary.cycles == 1)
        #expect(harness.sink.items.allSatisfy { $0.source == "stdin" && !$0.history })
    }

    @Test("a generated log appended to, rotated and truncated while tail runs: every record exactly once",
          arguments: [42, 7, 2024] as [UInt64])
    func everyRecordExactlyOnce(seed: UInt64) throws {
        let dir = TemporaryDirectory()
        let writer = Writer(dir: dir)
        let follower = LogFollower(targets: [.file(writer.path(sync))])
        var random = Random(state: seed)
        var seen: [Int: Int] = [:]
        var notices: [FollowNotice] = []
        var written = 0
        var pending: [UInt8] = []  // bytes of the current record not yet written
        func poll() throws {
            try follower.pollOnce(records: { _, record in
                let message = String(decoding: record.message, as: UTF8.self)
                if let number = recordNumber(message) { seen[number, default: 0] += 1 }
                #expect(record.isComplete, "cut record: \(message)")
            }, notices: { _, notice in notices.append(notice) })
        }
        try poll()  // the file does not exist yet
        var rotations = 0, truncations = 0, rotationsSincePoll = 0
        var pathExisted = false  // at the last look
        func pollCounting() throws {
            try poll()
            rotationsSincePoll = 0
            pathExisted = FileManager.default.fileExists(atPath: writer.path(sync))
        }
        func writeRest() {
            if !pending.isEmpty { writer.append(sync, pending) }
            pending = []
        }
        func fileSize() -> Int {
            (try? FileManager.default.attributesOfItem(atPath: writer.path(sync))[.size] as? Int) ?? 0
        }
        for _ in 0..<600 {
            // Write a few records in pieces of random size, so lines and records are split anywhere.
            for _ in 0..<(1 + random.below(4)) {
                if pending.isEmpty {
                    written += 1
                    pending = Array(generatedRecord(written).utf8)
                }
                let size = min(pending.count, 1 + random.below(120))
                writer.append(sync, Array(pending.prefix(size)))
                pending.removeFirst(size)
            }
            switch random.below(12) {
            case 0, 1, 2:
                // Rotation, possibly in the middle of a record: the rest goes to the new file. Between two
                // looks the follower catches one renamed file it never opened (read from X.lo_): two
                // rotations when the file was there at the last look, one when it was not.
                if rotationsSincePoll == (pathExisted ? 2 : 1) { try pollCounting() }
                writer.rotate(sync)
                rotations += 1
                rotationsSincePoll += 1
                if random.below(3) == 0 { try poll() }  // the reader looks between the rename and the new file
            case 3 where fileSize() > 400:
                // Truncation: what was written was read; the writer starts again at 0 and writes a little.
                writeRest()
                try pollCounting()
                writer.truncate(sync)
                truncations += 1
                written += 1
                pending = Array(generatedRecord(written).utf8)
                let size = 1 + random.below(60)
                writer.append(sync, Array(pending.prefix(size)))
                pending.removeFirst(size)
                try pollCounting()
            default:
                break
            }
            if random.below(3) > 0 { try pollCounting() }
        }
        writeRest()
        try poll()
        try poll()
        #expect(rotations > 100 && truncations > 10, "rotations \(rotations), truncations \(truncations)")
        #expect(notices.filter { $0 == .rotated }.count == rotations)
        #expect(notices.filter { $0 == .truncated }.count == truncations)
        let missing = (1...written).filter { seen[$0] == nil }
        let repeated = seen.filter { $0.value > 1 }.map(\.key).sorted()
        #expect(missing.isEmpty, "missing records: \(missing.prefix(20))")
        #expect(repeated.isEmpty, "repeated records: \(repeated.prefix(20))")
        #expect(seen.count == written)
    }

    @Test("the blocking loop: a writer thread appends and rotates, the session sees every record once (inotify, then polling)")
    func runLoopWithWatcher() throws {
        for forcePolling in [false, true] {
            let dir = TemporaryDirectory()
            let path = (dir.path as NSString).appendingPathComponent(sync)
            appendFile(path, Array((cmtrace("Batching 0 records", time: "10:00:00.000+000") + "\r\n").utf8))
            let follower = LogFollower(targets: [.file(path)])
            let sink = CountingSink()
            let session = try TailSession(follower: follower, catalog: CompiledCatalog.bundled(), settings: Harness.settings(),
                                          clock: SystemClock(), sink: sink)
            sink.session = session
            let watcher = ChangeWatcher(files: [path], forcePolling: forcePolling, pollInterval: 0.01)
            #expect(watcher.mode == (forcePolling ? .polling : .inotify))
            var ends: [Int32] = [-1, -1]
            #expect(pipe(&ends) == 0)
            defer { close(ends[0]); close(ends[1]) }
            let total = 300
            let stopWriteEnd = ends[1]
            let thread = Thread {
                for n in 1...total {
                    let bytes = Array((cmtrace("Batching \(n) records", time: "10:00:01.000+000") + "\r\n").utf8)
                    let cut = bytes.count / 2
                    appendFile(path, Array(bytes.prefix(cut)))
                    if n % 50 == 0 {  // in the middle of a record
                        precondition(rename(path, String(path.dropLast(4)) + ".lo_") == 0)
                    }
                    appendFile(path, Array(bytes.dropFirst(cut)))
                    if n % 25 == 0 { sink.waitUntil(batches: n, timeout: 5) }  // let the reader catch up now and then
                }
                sink.waitUntil(batches: total, timeout: 5)
                var byte: UInt8 = 1
                _ = write(stopWriteEnd, &byte, 1)
            }
            let began = Date()
            try session.start()
            thread.start()
            let reason = try session.run(watcher: watcher, stopDescriptor: ends[0], longestWait: 5)
            #expect(reason == .interrupted)
            #expect(Date().timeIntervalSince(began) < 4, "the watcher did not wake the loop (\(watcher.mode))")
            #expect(sink.batchCounts == Array(1...total))  // batch 0 is history: read, not shown
            #expect(try follower.logs.at(0).rotations == total / 50)
            #expect(session.summary.recordsUploaded == total * (total + 1) / 2)
        }
    }

    @Test("folders: the known logs, followed or waited for; X.lo_ read once; --from-start reads X.lo_ first")
    func targets() throws {
        let dir = TemporaryDirectory()
        try dir.write("Logs/CMGatewaySyncUploadWorker.log", cmtrace("newer") + "\r\n")
        try dir.write("Logs/CMGatewaySyncUploadWorker.lo_", cmtrace("older") + "\r\n")
        try dir.write("Logs/server2/CMGatewaySyncUploadWorker.log", cmtrace("elsewhere") + "\r\n")
        let logs = dir.path + "/Logs"
        let targets = try TailTargets.resolve([logs + "/"])
        #expect(targets.map { ($0.path! as NSString).lastPathComponent }
                == LogKind.known.map { $0.rawValue + ".log" } + ["CMGatewaySyncUploadWorker.log"])
        #expect(targets.allSatisfy { $0.follow && $0.prelude == nil })
        #expect(TailSession.tags(for: targets) == ["Logs/sync", "notification", "generic", "bgb", "client", "server2/sync"])

        let once = try TailTargets.resolve([logs + "/CMGatewaySyncUploadWorker.lo_"])
        #expect(try once.count == 1 && once.at(0).follow == false && once.at(0).kind == .syncUpload)
        #expect(throws: InputError.self) { try TailTargets.resolve([dir.path + "/nowhere/x.log"]) }

        let withHistory = try TailTargets.resolve([logs + "/CMGatewaySyncUploadWorker.log"], withPrelude: true)
        #expect(try withHistory.at(0).prelude == logs + "/CMGatewaySyncUploadWorker.lo_")
        let follower = LogFollower(targets: withHistory)
        let log = RecordLog()
        try log.poll(follower)
        #expect(log.records.map(\.message) == ["older", "newer"])
        #expect(log.notices.isEmpty)
    }

    // MARK: Command line

    @Test("cmlogcheck tail on piped input: JSON Lines, every key in order, a closing summary")
    func commandJSONLines() throws {
        let text = line("Batching 5 records", "10:00:00") + nextRun("02/28/2020 10:15:00", at: "10:00:05")
        let result = runCLI(["tail", "--format", "jsonl", "--log", "sync"], input: Array(text.utf8))
        #expect(result.status == 0, "\(result.standardError)")
        let keys = ["type", "event", "alert", "severity", "time", "source", "input", "log", "line", "history", "summary", "fields", "message", "tool"]
        for line in result.outputLines.dropLast() {
            let positions = keys.compactMap { line.range(of: "\"\($0)\":")?.lowerBound }
            #expect(positions.count == keys.count && positions == positions.sorted(), "\(line)")
        }
        let objects = jsonLines(result.standardOutput)
        #expect(objects.map { $0["event"] as? String } == ["cycle.started", "upload.batch", "upload.next-run", "summary"])
        #expect(try objects.at(1)["time"] as? String == "2020-02-28T10:00:00.000Z")
        #expect(try objects.at(1)["log"] as? String == "CMGatewaySyncUploadWorker")
        #expect(try (objects.at(1)["fields"] as? [String: Any])?["count"] as? String == "5")
        #expect(try (objects.at(2)["fields"] as? [String: Any])?["nextRun"] as? String == "2020-02-28T10:15:00.000Z")
        #expect(try objects.at(3)["type"] as? String == "summary")
        #expect(objects.allSatisfy { ($0["tool"] as? [String: Any])?["name"] as? String == ToolVersion.name })
        #expect(try (objects.at(3)["fields"] as? [String: Any])?["reason"] as? String == "end-of-input")
        #expect(try (objects.at(3)["fields"] as? [String: Any])?["recordsUploaded"] as? Int == 5)
    }

    @Test("cmlogcheck tail --exit-on error: exit 1 at the first alert; text and --raw")
    func commandWatchdogAndText() throws {
        let text = line("Batching 5 records", "10:00:00") + unauthorizedBlock(at: "10:00:01") + line("Batching 6 records", "10:00:09")
        let watchdog = runCLI(["tail", "--exit-on", "error", "--color", "never"], input: Array(text.utf8))
        #expect(watchdog.status == 1)
        let lines = watchdog.outputLines
        #expect(lines.count == 4)
        #expect(try lines.at(2).hasSuffix("ALERT upload failed: HTTP 401 (Unauthorized) from DevicePost [UploadDelta_HelpdeskUpload]"))
        #expect(try lines.at(3).hasPrefix("stopped at the first --exit-on alert: 1 upload cycle seen, 5 records uploaded, 1 alert (1 error)"))

        let raw = runCLI(["tail", "--raw", "--color", "never"], input: Array(text.utf8))
        #expect(raw.status == 0)
        #expect(raw.outputLines.first?.hasSuffix("stdin  Batching 5 records") == true)
        #expect(raw.outputLines.contains { $0.hasSuffix("ALERT [UploadDelta_HelpdeskUpload] Response from https://us.gateway.configmgr.manage.microsoft.com/api/gateway/DevicePost is: 401 (Unauthorized)") })

        let both = runCLI(["tail", "--from-start", "-n", "3"])
        #expect(both.status == 2)
        #expect(both.standardError.contains("either --from-start or -n"))
    }
}

/// Appends bytes to a file (creating it), from any thread.
private func appendFile(_ path: String, _ bytes: [UInt8]) {
    let fd = open(path, O_WRONLY | O_CREAT | O_APPEND, 0o644)
    precondition(fd >= 0, "cannot open \(path)")
    bytes.withUnsafeBytes { buffer in
        var offset = 0
        while offset < buffer.count {
            let written = write(fd, buffer.baseAddress! + offset, buffer.count - offset)
            precondition(written > 0)
            offset += written
        }
    }
    close(fd)
}

/// Collects the counts of `Batching N records` events from a session running on another thread,
/// and publishes how many it has each time the session flushes (before it waits).
private final class CountingSink: TailSink, @unchecked Sendable {
    private let condition = NSCondition()
    private var published = 0
    private(set) var batchCounts: [Int] = []
    weak var session: TailSession?

    func emit(_ item: TailItem) {
        guard item.event == "upload.batch", case .string(let count)? = item.field("count") else { return }
        condition.lock()
        batchCounts.append(Int(count) ?? -1)
        condition.unlock()
    }

    func flush() {
        condition.lock()
        published = batchCounts.count
        condition.broadcast()
        condition.unlock()
    }

    func waitUntil(batches: Int, timeout: Double) {
        let deadline = Date().addingTimeInterval(timeout)
        condition.lock()
        while published < batches && condition.wait(until: deadline) {}
        condition.unlock()
    }
}
