import Foundation
import Testing
@testable import LogInput
@testable import LogRules
@testable import LogFollow
@testable import CMLogCheckCLI

/// Whether this machine offers a file this process cannot open: mode 000 for a user; for root
/// (who reads any mode) a link to /proc/1/mem, which the kernel refuses to open without ptrace
/// access to process 1 (`makeUnreadableFile`). What is exercised is the same either way: a
/// regular file at the followed path whose open() fails (EACCES).
private let unreadableFileAvailable: Bool = {
    let dir = TemporaryDirectory()
    defer { restoreReadable(dir.path + "/f") }
    return makeUnreadableFile(dir.path + "/f")
}()

private func record(_ message: String, _ time: String) -> String { cmtrace(message, time: time + ".000+000") + "\r\n" }

/// Replaces whatever is at `path` (an unreadable file or link) with a readable log.
private func replaceReadable(_ path: String, _ text: String) {
    unlink(path)
    FileManager.default.createFile(atPath: path, contents: Data(text.utf8))
}

@Suite("tail: a followed log that cannot be opened is an alert at once, told once per change",
       .enabled(if: unreadableFileAvailable, "this machine offers no unreadable file (root without a guarded /proc/1/mem)"))
struct TailUnreadableTests {
    private func session(_ targets: [FollowTarget], exitOn: Severity? = nil) throws -> (TailSession, TailCollector) {
        var settings = TailSettings()
        settings.timeZone = TimeZone(identifier: "UTC")!
        settings.exitOn = exitOn
        let sink = TailCollector()
        let session = try TailSession(follower: LogFollower(targets: targets), catalog: CompiledCatalog.bundled(), settings: settings,
                                      clock: ManualClock(utc("2020-02-28T10:05:00Z")!), sink: sink)
        return (session, sink)
    }

    /// A Logs folder (named `folder`) with a readable upload log and a notification log that cannot be opened.
    private func logsFolder(_ dir: TemporaryDirectory, named folder: String = "Logs") throws -> (logs: String, blocked: String) {
        try dir.write(folder + "/CMGatewaySyncUploadWorker.log", record("Batching 5 records", "10:00:00"))
        let logs = dir.path + "/" + folder
        let blocked = logs + "/CMGatewayNotificationWorker.log"
        try #require(makeUnreadableFile(blocked))
        return (logs, blocked)
    }

    @Test("in a followed folder: alerted at the first look, not again at the next ones; read from its start once it opens")
    func inFolder() throws {
        let dir = TemporaryDirectory()
        let (logs, blocked) = try logsFolder(dir)
        defer { restoreReadable(blocked) }
        let (session, sink) = try session(TailTargets.resolve([logs]))
        var told: [UnreadInput] = []
        session.onUnreadable = { told.append($0) }
        try session.start()
        let alerts = sink.items.filter { $0.kind == .alert }
        try #require(alerts.count == 1, "\(sink.items.map(\.summary))")
        let alert = try alerts.at(0)
        #expect(alert.event == "file.unreadable" && alert.alert == "log-unreadable" && alert.severity == .error)
        #expect(alert.inputName == blocked && alert.history == false)
        #expect(alert.field("reason") == .string("Permission denied"))
        #expect(alert.summary.hasPrefix("\(blocked) cannot be read (Permission denied)"))
        #expect(told == [UnreadInput(path: blocked, reason: "Permission denied")])
        #expect(session.summary.errorAlerts == 1)

        // The next looks find it the same: nothing more is told.
        try session.step()
        try session.step()
        #expect(sink.items.filter { $0.kind == .alert }.count == 1)
        #expect(told.count == 1)

        // It opens: read from its start; unreadable again later: told again.
        replaceReadable(blocked, record("Received new notification", "10:06:00"))
        try session.step()
        #expect(sink.items.last?.event == "file.appeared", "\(sink.items.map(\.event))")
        let log = try #require(session.follower.logs.first { $0.target.path == blocked })
        #expect(log.records == 1 && log.unreadable == nil && log.state == .open)
    }

    @Test("rotated to a file that cannot be opened: the old file read to its end, alerted once; the new one read when it opens")
    func rotatedToUnreadable() throws {
        let dir = TemporaryDirectory()
        let path = try dir.write("CMGatewaySyncUploadWorker.log", record("Batching 5 records", "10:00:00"))
        let (session, sink) = try session([.file(path)])
        var told: [UnreadInput] = []
        session.onUnreadable = { told.append($0) }
        try session.start()
        #expect(sink.items.isEmpty)
        let handle = try #require(FileHandle(forWritingAtPath: path))
        handle.seekToEndOfFile()
        handle.write(Data(record("Batching 6 records", "10:06:00").utf8))
        handle.closeFile()
        try #require(rename(path, String(path.dropLast(4)) + ".lo_") == 0)
        try #require(makeUnreadableFile(path))
        defer { restoreReadable(path) }
        try session.step()
        #expect(sink.items.map(\.event) == ["upload.batch", "file.unreadable"], "the old file's last record first")
        #expect(told == [UnreadInput(path: path, reason: "Permission denied")])
        try session.step()
        try session.step()
        #expect(sink.items.filter { $0.kind == .alert }.count == 1)

        replaceReadable(path, record("Batching 7 records", "10:07:00"))
        try session.step()
        #expect(sink.items.suffix(2).map(\.event) == ["file.rotated", "upload.batch"], "\(sink.items.map(\.event))")
        #expect(session.summary.recordsUploaded == 18)
    }

    @Test("--exit-on error stops at it")
    func exitOn() throws {
        let dir = TemporaryDirectory()
        let (logs, blocked) = try logsFolder(dir)
        defer { restoreReadable(blocked) }
        let (session, _) = try session(TailTargets.resolve([logs]), exitOn: .error)
        try session.start()
        #expect(session.stopReason == .alert)
    }

    @Test("cmlogcheck tail: named on standard error (made safe), a JSON Lines alert, exit 1 under --exit-on error")
    func command() throws {
        let dir = TemporaryDirectory()
        let (logs, blocked) = try logsFolder(dir, named: "Logs\u{1B}]0;x\u{07}")
        defer { restoreReadable(blocked) }
        let result = runCLI(["tail", "--format", "jsonl", "--exit-on", "error", "--tz", "UTC", logs])
        #expect(result.status == 1, "\(result.standardError)")
        let shown = dir.path + "/Logs\\x1B]0;x\\x07/CMGatewayNotificationWorker.log"
        #expect(result.standardError.contains("cmlogcheck: cannot read \(shown): Permission denied\n"), "\(result.standardError)")
        #expect(!result.standardError.contains("\u{1B}"))
        let objects = jsonLines(result.standardOutput)
        let alert = try #require(objects.first { $0["type"] as? String == "alert" })
        #expect(alert["event"] as? String == "file.unreadable" && alert["alert"] as? String == "log-unreadable")
        #expect(alert["input"] as? String == blocked)
        #expect((alert["fields"] as? [String: Any])?["reason"] as? String == "Permission denied")
        #expect((objects.last?["fields"] as? [String: Any])?["reason"] as? String == "exit-on")
    }
}
