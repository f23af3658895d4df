import Foundation
import Testing
@testable import LogInput
@testable import LogReport
@testable import CMLogCheckCLI

/// Makes `path` a file this process cannot open. Not root: a file with mode 000. Root reads
/// whatever the mode, so there a link to /proc/1/mem, which the kernel refuses to open even
/// to root without ptrace access to process 1. False when neither works here.
func makeUnreadableFile(_ path: String) -> Bool {
    if geteuid() != 0 {
        FileManager.default.createFile(atPath: path, contents: Data(cmtrace("secret").utf8))
        return chmod(path, 0) == 0
    }
    let probe = open("/proc/1/mem", O_RDONLY)
    if probe >= 0 { close(probe); return false }
    return symlink("/proc/1/mem", path) == 0
}

/// Makes `path` a folder this process cannot list, with a log inside for a non-root run:
/// mode 000, or as root a link to /proc/1/map_files (listing it needs CAP_SYS_ADMIN).
func makeUnreadableFolder(_ path: String) -> Bool {
    if geteuid() != 0 {
        try? FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        FileManager.default.createFile(atPath: path + "/CMGatewaySyncUploadWorker.log", contents: Data(cmtrace("hidden").utf8))
        return chmod(path, 0) == 0
    }
    // It opens and lists . and .., then refuses the rest.
    if InputResolver.listingError("/proc/1/map_files") == nil { return false }
    return symlink("/proc/1/map_files", path) == 0
}

/// Undoes `makeUnreadable…` so that the temporary folder can be removed: the mode of a
/// file or folder made so; a link (root's way) is left alone, never followed into /proc.
func restoreReadable(_ path: String) {
    var info = stat()
    guard lstat(path, &info) == 0, (info.st_mode & S_IFMT) != S_IFLNK else { return }
    chmod(path, 0o755)
}

/// Whether this machine offers an unreadable file and folder (chmod as a user; /proc as root).
private let canMakeUnreadable: Bool = {
    let dir = TemporaryDirectory()
    defer { restoreReadable(dir.path + "/f"); restoreReadable(dir.path + "/d") }
    return makeUnreadableFile(dir.path + "/f") && makeUnreadableFolder(dir.path + "/d")
}()

/// A healthy upload log: two cycles, each announcing the next.
private let healthySync = [
    cmtrace("Batching 5 records", time: "10:00:00.000+000"),
    cmtrace("Next run time will be at approximately: 02/28/2020 10:15:00", time: "10:00:01.000+000"),
    cmtrace("Batching 3 records", time: "10:15:00.000+000"),
    cmtrace("Next run time will be at approximately: 02/28/2020 10:30:00", time: "10:15:01.000+000"),
].joined(separator: "\r\n") + "\r\n"

@Suite("Unreadable inputs: reported, the rest read, the report incomplete")
struct IncompleteReadingTests {
    /// A Logs folder with a readable upload log, an unreadable notification log and an
    /// unreadable subfolder (server-b).
    static func folder(_ dir: TemporaryDirectory) throws -> (logs: String, file: String, subfolder: String) {
        let logs = dir.path + "/Logs"
        try dir.write("Logs/CMGatewaySyncUploadWorker.log", healthySync)
        let file = logs + "/CMGatewayNotificationWorker.log"
        let subfolder = logs + "/server-b"
        try #require(makeUnreadableFile(file) && makeUnreadableFolder(subfolder))
        return (logs, file, subfolder)
    }

    @Test("the resolver keeps what cannot be read apart: a subfolder, a dangling link, a link loop; a FIFO is skipped")
    func resolver() throws {
        let dir = TemporaryDirectory()
        try dir.write("Logs/CMGatewaySyncUploadWorker.log", healthySync)
        let logs = dir.path + "/Logs"
        try #require(symlink(logs + "/nowhere", logs + "/CMGatewayNotificationWorker.log") == 0)
        try #require(symlink("CcmNotificationAgent.log", logs + "/CcmNotificationAgent.log") == 0)   // itself: a loop
        try #require(mkfifo(logs + "/BgbServer.log", 0o644) == 0)
        let folderOK = makeUnreadableFolder(logs + "/server-b")
        defer { restoreReadable(logs + "/server-b") }
        let resolved = try InputResolver.resolveAll([logs])
        #expect(resolved.inputs.map(\.name) == [logs + "/CMGatewaySyncUploadWorker.log"])
        let unread = Dictionary(uniqueKeysWithValues: resolved.unread.map { ($0.path, $0.reason) })
        #expect(unread[logs + "/CMGatewayNotificationWorker.log"] == "No such file or directory")
        #expect(unread[logs + "/CcmNotificationAgent.log"] == "Too many levels of symbolic links")
        if folderOK { #expect(unread[logs + "/server-b"] == "folder not listed: Permission denied") }
        #expect(resolved.skipped.map(\.path) == [logs + "/BgbServer.log"])
        #expect(resolved.skipped.first?.reason.contains("FIFO") == true)
        #expect(resolved.unread.allSatisfy { !$0.named })
        // Named explicitly, a link loop is unread by name, not "no such file".
        let named = try InputResolver.resolveAll([logs + "/CcmNotificationAgent.log", logs + "/CMGatewaySyncUploadWorker.log"])
        #expect(named.unread == [UnreadInput(path: logs + "/CcmNotificationAgent.log", reason: "Too many levels of symbolic links", named: true)])
        #expect(named.inputs.count == 1)
    }

    @Test("review (text): each unread input named on standard error, a line under the verdict, exit 1 under the default --fail-on",
          .enabled(if: canMakeUnreadable, "this machine offers no unreadable file or folder (root without a guarded /proc)"))
    func reviewText() throws {
        let dir = TemporaryDirectory()
        let (logs, file, subfolder) = try Self.folder(dir)
        defer { restoreReadable(file); restoreReadable(subfolder) }
        let result = runCLI(["review", "--at", "2020-02-28T10:20:00Z", logs])
        #expect(result.status == 1, "incomplete: exit 1 under --fail-on error")
        #expect(result.standardError.contains("cmlogcheck: cannot read \(file): Permission denied"), "\(result.standardError)")
        #expect(result.standardError.contains("cmlogcheck: cannot read \(subfolder): folder not listed: Permission denied"), "\(result.standardError)")
        let lines = result.outputLines
        try #require(lines.count > 2)
        #expect(try lines.at(0).hasPrefix("HEALTHY"), "the logs that were read are healthy: \(lines)")
        #expect(try lines.at(1).hasPrefix("Incomplete: 2 inputs could not be read and are left out: "))
        #expect(try lines.at(1).contains("\(file) (Permission denied)") && lines.at(1).contains(subfolder))
        #expect(result.standardOutput.contains("Upload: 2 upload cycles, 8 records uploaded"))
        // --fail-on never: the report still says it, the status does not.
        let lenient = runCLI(["review", "--fail-on", "never", "--at", "2020-02-28T10:20:00Z", logs])
        #expect(lenient.status == 0)
        #expect(lenient.standardOutput.contains("Incomplete: 2 inputs"))
    }

    @Test("review (JSON): reading.complete and reading.unread with path and reason; complete when all was read",
          .enabled(if: canMakeUnreadable, "this machine offers no unreadable file or folder (root without a guarded /proc)"))
    func reviewJSON() throws {
        let dir = TemporaryDirectory()
        let (logs, file, subfolder) = try Self.folder(dir)
        defer { restoreReadable(file); restoreReadable(subfolder) }
        let result = runCLI(["review", "--format", "json", "--at", "2020-02-28T10:20:00Z", logs])
        #expect(result.status == 1)
        let object = try #require(try JSONSerialization.jsonObject(with: Data(result.standardOutput.utf8)) as? [String: Any])
        let reading = try #require(object["reading"] as? [String: Any])
        #expect(reading["complete"] as? Bool == false)
        let unread = try #require(reading["unread"] as? [[String: Any]])
        #expect(Set(unread.compactMap { $0["path"] as? String }) == [file, subfolder])
        #expect(unread.allSatisfy { ($0["reason"] as? String)?.contains("Permission denied") == true })
        #expect(Set(unread.flatMap(\.keys)) == ["path", "reason"])
        #expect(object["verdict"] as? String == "healthy")

        let whole = runCLI(["review", "--format", "json", "SampleLogs/lf"])
        let complete = try #require(try JSONSerialization.jsonObject(with: Data(whole.standardOutput.utf8)) as? [String: Any])
        let wholeReading = try #require(complete["reading"] as? [String: Any])
        #expect(wholeReading["complete"] as? Bool == true)
        #expect((wholeReading["unread"] as? [Any])?.isEmpty == true)
        // The last top-level key: new keys are added at the end (docs/report-json.md).
        let keys = whole.standardOutput.split(separator: "\n").filter { $0.hasPrefix("  \"") }.compactMap { $0.split(separator: "\"").dropFirst().first }
        #expect(keys.suffix(2) == ["reading", "tool"], "\(keys)")
    }

    @Test("several servers: one reading for the run, at the end of the top level; the text line under the summary",
          .enabled(if: canMakeUnreadable, "this machine offers no unreadable file or folder (root without a guarded /proc)"))
    func severalServers() throws {
        let dir = TemporaryDirectory()
        try dir.write("copies/site-a/CMGatewaySyncUploadWorker.log", healthySync)
        try dir.write("copies/site-b/CMGatewaySyncUploadWorker.log", healthySync)
        let file = dir.path + "/copies/site-b/CMGatewayNotificationWorker.log"
        try #require(makeUnreadableFile(file))
        defer { restoreReadable(file) }
        let json = runCLI(["review", "--format", "json", "--at", "2020-02-28T10:20:00Z", dir.path + "/copies"])
        let object = try #require(try JSONSerialization.jsonObject(with: Data(json.standardOutput.utf8)) as? [String: Any])
        try #require(object["servers"] != nil, "two servers expected: \(json.standardOutput.prefix(300))")
        #expect((object["reading"] as? [String: Any])?["complete"] as? Bool == false)
        let text = runCLI(["review", "--at", "2020-02-28T10:20:00Z", dir.path + "/copies"])
        #expect(try text.outputLines.at(1).hasPrefix("Incomplete: 1 input could not be read and is left out: \(file)"))
        #expect(text.status == 1)
    }

    @Test("records: the readable records are written, each unread input named, exit 2",
          .enabled(if: canMakeUnreadable, "this machine offers no unreadable file or folder (root without a guarded /proc)"))
    func records() throws {
        let dir = TemporaryDirectory()
        let (logs, file, subfolder) = try Self.folder(dir)
        defer { restoreReadable(file); restoreReadable(subfolder) }
        let result = runCLI(["records", logs])
        #expect(result.status == 2)
        #expect(jsonLines(result.standardOutput).count == 4)
        #expect(result.standardError.contains("cmlogcheck: cannot read \(file): Permission denied"))
        #expect(result.standardError.contains("cmlogcheck: cannot read \(subfolder): folder not listed"))
        #expect(result.standardError.contains("2 inputs could not be read (named above); the records of the rest were written"))
        let counted = runCLI(["records", "--count", logs])
        #expect(counted.standardOutput == "4\n" && counted.status == 2)
    }

    @Test("a file that fails mid-read (/proc/self/mem: EIO) is named; the review goes on with the rest",
          .enabled(if: FileManager.default.fileExists(atPath: "/proc/self/mem")))
    func readError() throws {
        let dir = TemporaryDirectory()
        try dir.write("Logs/CMGatewaySyncUploadWorker.log", healthySync)
        let broken = dir.path + "/Logs/CMGatewayNotificationWorker.log"
        try #require(symlink("/proc/self/mem", broken) == 0)
        let result = runCLI(["review", "--format", "json", "--at", "2020-02-28T10:20:00Z", dir.path + "/Logs"])
        #expect(result.status == 1)
        #expect(result.standardError.contains("cmlogcheck: cannot read \(broken): Input/output error"))
        let object = try #require(try JSONSerialization.jsonObject(with: Data(result.standardOutput.utf8)) as? [String: Any])
        let unread = (object["reading"] as? [String: Any])?["unread"] as? [[String: Any]]
        #expect(unread?.count == 1 && unread?.first?["path"] as? String == broken && unread?.first?["reason"] as? String == "Input/output error")
        let sync = try #require(object["sync"] as? [String: Any])
        #expect((sync["cycles"] as? [Any])?.count == 2)
        // The text report marks the input itself too.
        let text = runCLI(["review", "--at", "2020-02-28T10:20:00Z", dir.path + "/Logs"])
        #expect(text.standardOutput.contains("not read whole: Input/output error"))
    }

    @Test("nothing readable: each input named, exit 2, no report")
    func nothingReadable() throws {
        let dir = TemporaryDirectory()
        let loop = dir.path + "/CMGatewaySyncUploadWorker.log"
        try #require(symlink(loop, loop) == 0)
        for arguments in [["review"], ["review", "--format", "json"], ["records"], ["records", "--count"]] {
            let result = runCLI(arguments + [loop])
            #expect(result.status == 2, "\(arguments)")
            #expect(result.standardOutput.isEmpty, "\(arguments)")
            #expect(result.standardError == "cmlogcheck: cannot read \(loop): Too many levels of symbolic links\n", "\(arguments)")
        }
        let folder = runCLI(["review", dir.path])
        #expect(folder.status == 2 && folder.standardError.contains("cannot read \(loop): Too many levels of symbolic links"))
    }

    @Test("a FIFO in a folder is skipped with a note (no hang); named, a FIFO is read as a stream", .timeLimit(.minutes(1)))
    func fifo() throws {
        let dir = TemporaryDirectory()
        try dir.write("Logs/CMGatewaySyncUploadWorker.log", healthySync)
        let pipePath = dir.path + "/Logs/CMGatewayNotificationWorker.log"
        try #require(mkfifo(pipePath, 0o644) == 0)
        let review = runCLI(["review", "--at", "2020-02-28T10:20:00Z", dir.path + "/Logs"])
        #expect(review.status == 0, "a skipped special file leaves the review complete")
        #expect(review.standardError.contains("cmlogcheck: \(pipePath): a named pipe (FIFO), not a file: skipped"))
        #expect(!review.standardOutput.contains("Incomplete"))

        // Named: read as a stream, like standard input, to the writer's end.
        let writer = Thread {
            let descriptor = open(pipePath, O_WRONLY)
            guard descriptor >= 0 else { return }
            let bytes = Array(healthySync.utf8)
            _ = bytes.withUnsafeBytes { write(descriptor, $0.baseAddress, $0.count) }
            close(descriptor)
        }
        writer.start()
        let records = runCLI(["records", "--count", pipePath])
        #expect(records.status == 0)
        #expect(records.standardOutput == "4\n")
    }
}
