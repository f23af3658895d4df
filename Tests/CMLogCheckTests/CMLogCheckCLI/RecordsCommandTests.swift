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

private let recordKeys = ["input", "log", "line", "endLine", "format", "component", "thread", "severity",
                          "localTime", "bias", "utc", "complete", "skippedBytes", "message", "tool"]

@Suite("records command")
struct RecordsCommandTests {
    @Test("piped records name their log by component; a named file or --log decides for every record")
    func logByComponent() throws {
        let piped = [simple("Completing request with response code [200] reason [OK]", component: "AdminService"),
                     simple("Batching 3 records", component: "SMS_SERVICE_CONNECTOR_CMGatewaySyncUploadWorker"),
                     simple("Batching 3 records", component: "SMS_SERVICE_CONNECTOR")].joined(separator: "\n") + "\n"
        let result = runCLI(["records"], input: Array(piped.utf8))
        #expect(result.status == 0)
        #expect(jsonLines(result.standardOutput).map { $0["log"] as? String } == ["AdminService", "CMGatewaySyncUploadWorker", "unknown"])
        let forced = runCLI(["records", "--log", "notification"], input: Array(piped.utf8))
        #expect(jsonLines(forced.standardOutput).map { $0["log"] as? String } == Array(repeating: "CMGatewayNotificationWorker", count: 3))
    }

    @Test("JSON Lines: one object per record, every key, in order, with the right values")
    func jsonShape() throws {
        let dir = TemporaryDirectory()
        let path = try dir.write("CMGatewaySyncUploadWorker.log",
                                 cmtrace("Batching 27 records") + "\n" +
                                 "<![LOG[Exception details:\nline \"two\"\\]LOG]!><time=\"08:06:34.590-060\" date=\"09-23-2026\" component=\"SMS_SERVICE_CONNECTOR\" context=\"\" type=\"3\" thread=\"12\" file=\"\">\n" +
                                 cmtrace("no bias", time: "10:00:00.0000000") + "\n" +
                                 "<![LOG[cut off")
        let result = runCLI(["records", path])
        #expect(result.status == 0)
        let lines = result.outputLines
        #expect(lines.count == 4)
        for line in lines {
            // Keys always appear, in the documented order.
            let positions = recordKeys.compactMap { line.range(of: "\"\($0)\":")?.lowerBound }
            #expect(positions.count == recordKeys.count)
            #expect(positions == positions.sorted())
            #expect(line.hasPrefix("{\"input\":") && line.hasSuffix("}"))
        }
        let objects = jsonLines(result.standardOutput)
        try #require(objects.count == 4)
        for object in objects { #expect(Set(object.keys) == Set(recordKeys)) }

        let first = try objects.at(0)
        #expect(first["input"] as? String == path)
        #expect(first["log"] as? String == "CMGatewaySyncUploadWorker")
        #expect(first["line"] as? Int == 1)
        #expect(first["endLine"] as? Int == 1)
        #expect(first["format"] as? String == "cmtrace")
        #expect(first["component"] as? String == "SMS_SERVICE_CONNECTOR")
        #expect(first["thread"] as? Int == 6344)
        #expect(first["severity"] as? String == "info")
        #expect((first["tool"] as? [String: Any])?["version"] as? String == ToolVersion.version)
        #expect(first["localTime"] as? String == "02-28-2020 16:20:31.497")
        #expect(first["bias"] as? Int == 480)
        #expect(first["utc"] as? String == "2020-02-29T00:20:31.497Z")
        #expect(first["complete"] as? Bool == true)
        #expect(first["skippedBytes"] as? Int == 0)
        #expect(first["message"] as? String == "Batching 27 records")

        let second = try objects.at(1)
        #expect(second["message"] as? String == "Exception details:\nline \"two\"\\")
        #expect(second["line"] as? Int == 2 && second["endLine"] as? Int == 3)
        #expect(second["severity"] as? String == "error")
        #expect(second["bias"] as? Int == -60)
        #expect(second["utc"] as? String == "2026-09-23T07:06:34.590Z")
        #expect(second["localTime"] as? String == "09-23-2026 08:06:34.590")

        let third = try objects.at(2)
        #expect(third["bias"] is NSNull)
        #expect(third["utc"] is NSNull)
        #expect(third["localTime"] as? String == "02-28-2020 10:00:00.0000000")

        let fourth = try objects.at(3)
        #expect(fourth["complete"] as? Bool == false)
        #expect(fourth["thread"] is NSNull)
        #expect(fourth["localTime"] is NSNull)
        #expect(fourth["component"] as? String == "")
        #expect(result.standardError.contains("1 record was cut off"))
    }

    @Test("--grep keeps matching records; --count counts them")
    func grepAndCount() throws {
        let dir = TemporaryDirectory()
        let text = [cmtrace("Batching 27 records"), cmtrace("Heartbeat"), cmtrace("Batching 3 records"),
                    cmtrace("batching lowercase 4 records")].joined(separator: "\n") + "\n"
        let path = try dir.write("CMGatewaySyncUploadWorker.log", text)
        let grep = runCLI(["records", "--grep", #"Batching (\d+) records"#, path])
        #expect(grep.status == 0)
        #expect(jsonLines(grep.standardOutput).compactMap { $0["message"] as? String } == ["Batching 27 records", "Batching 3 records"])
        let count = runCLI(["records", "--count", "--grep", #"Batching \d+ records"#, path])
        #expect(count.status == 0)
        #expect(count.standardOutput == "2\n")
        let caseless = runCLI(["records", "--count", "--grep", #"(?i)batching"#, path])
        #expect(caseless.standardOutput == "3\n")
        let all = runCLI(["records", "--count", path])
        #expect(all.standardOutput == "4\n")
        // A dot is one character, not one byte, in a --grep pattern.
        let umlaut = try dir.write("CMGatewayNotificationWorker.log", cmtrace("Gerät PC-0658 erreicht") + "\n")
        let dot = runCLI(["records", "--count", "--grep", "Ger.t PC", umlaut])
        #expect(dot.standardOutput == "1\n")
        let none = runCLI(["records", "--grep", "nothing like this", path])
        #expect(none.status == 0)
        #expect(none.standardOutput.isEmpty)
    }

    @Test("Standard input: from the context, with no path or with -")
    func standardInput() throws {
        let bytes = utf16(simple("Batching 5 records") + "\r\n" + simple("Next") + "\r\n")
        let implicit = runCLI(["records"], input: bytes)
        #expect(implicit.status == 0)
        let objects = jsonLines(implicit.standardOutput)
        #expect(objects.compactMap { $0["message"] as? String } == ["Batching 5 records", "Next"])
        #expect(objects.first?["input"] as? String == "stdin")
        #expect(objects.first?["log"] as? String == "unknown")
        #expect(objects.first?["format"] as? String == "simple")
        let dash = runCLI(["records", "--count", "-"], input: bytes)
        #expect(dash.standardOutput == "2\n")
        let named = runCLI(["records", "--log", "sync", "-"], input: bytes)
        #expect(jsonLines(named.standardOutput).first?["log"] as? String == "CMGatewaySyncUploadWorker")
    }

    @Test("Unrecognized lines are reported on standard error with the count and first line numbers")
    func unrecognizedReported() throws {
        let text = "garbage 1\n" + cmtrace("a") + "\ngarbage 3\n" + (4...20).map { "junk \($0)" }.joined(separator: "\n") + "\n" + cmtrace("b") + "\n"
        let result = runCLI(["records", "--count"], input: Array(text.utf8))
        #expect(result.status == 0)
        #expect(result.standardOutput == "2\n")
        #expect(result.standardError.contains("stdin: 19 lines fit no cmtrace record (lines 1, 3, 4, 5, 6, 7, 8, 9, 10, 11, …)"))
        let one = runCLI(["records", "--count"], input: Array(("junk\n" + cmtrace("a") + "\n").utf8))
        #expect(one.standardError.contains("stdin: 1 line fit no cmtrace record (line 1)\n"))
    }

    @Test("The size cap is reported on standard error")
    func capReported() throws {
        let text = cmtrace(String(repeating: "z", count: 100_000)) + "\n"
        let result = runCLI(["records", "--max-record-bytes", "4096"], input: Array(text.utf8))
        #expect(result.status == 0)
        let object = try #require(jsonLines(result.standardOutput).first)
        let skipped = try #require(object["skippedBytes"] as? Int)
        #expect(skipped == text.utf8.count - 1 - 4096 - 2048)
        #expect(object["thread"] as? Int == 6344)
        #expect(result.standardError.contains("stdin: \(skipped) bytes dropped from records over the size cap"))
        let tooSmall = runCLI(["records", "--max-record-bytes", "100"], input: Array(text.utf8))
        #expect(tooSmall.status == 2)
        #expect(tooSmall.standardError.contains("--max-record-bytes must be at least 1024"))
        for huge in ["99999999999999", "9223372036854775807"] {
            let tooBig = runCLI(["records", "--max-record-bytes", huge], input: Array(text.utf8))
            #expect(tooBig.status == 2, "no allocation of \(huge) bytes")
            #expect(tooBig.standardError.contains("--max-record-bytes must be at most 268435456"))
        }
    }

    @Test("Control characters in messages are escaped; no raw ESC byte reaches the output")
    func controlCharacters() throws {
        let message = "red \u{1B}[31mALERT\u{1B}[0m bell \u{07} del \u{7F} c1 \u{9B}2J tab\tend"
        let result = runCLI(["records"], input: Array((cmtrace(message) + "\n").utf8))
        #expect(result.status == 0)
        let raw = Array(result.standardOutput.utf8)
        #expect(!raw.contains(0x1B))
        #expect(!raw.contains(0x07))
        #expect(!raw.contains(0x7F))
        #expect(!result.standardOutput.unicodeScalars.contains("\u{9B}"))
        #expect(result.standardOutput.contains(#"red \u001b[31mALERT\u001b[0m bell \u0007 del \u007f c1 \u009b2J tab\tend"#))
        #expect(jsonLines(result.standardOutput).first?["message"] as? String == message)
    }

    @Test("Bytes that are not UTF-8 never reach the JSON raw")
    func invalidBytesInJSON() throws {
        // Windows-1252 is decoded by the reader; a byte cut by the cap is replaced by the writer.
        let bytes = Array("<![LOG[Caf".utf8) + [0xE9] + Array("]LOG]!><time=\"10:00:00.000+0\" date=\"1-1-2020\" component=\"C\" context=\"\" type=\"1\" thread=\"1\" file=\"\">\n".utf8)
        let result = runCLI(["records"], input: bytes)
        #expect(jsonLines(result.standardOutput).first?["message"] as? String == "Café")
        let out = Output()
        let cut: [UInt8] = Array("ab".utf8) + [0xE2, 0x82] + Array("c".utf8)
        cut.withUnsafeBytes { out.write(jsonString: $0) }
        #expect(out.text == "\"ab\u{FFFD}\u{FFFD}c\"")
    }

    @Test("Several inputs: history first, each named, input index per record")
    func severalInputs() throws {
        let dir = TemporaryDirectory()
        try dir.write("Logs/CMGatewaySyncUploadWorker.log", simple("new") + "\n")
        try dir.write("Logs/CMGatewaySyncUploadWorker.lo_", simple("old") + "\n")
        try dir.write("Logs/CMGatewayNotificationWorker.log", cmtrace("notified") + "\n")
        let result = runCLI(["records", dir.path + "/Logs"])
        #expect(result.status == 0)
        let objects = jsonLines(result.standardOutput)
        #expect(objects.compactMap { $0["message"] as? String } == ["old", "new", "notified"])
        #expect(objects.compactMap { ($0["input"] as? String).map { ($0 as NSString).lastPathComponent } } ==
                ["CMGatewaySyncUploadWorker.lo_", "CMGatewaySyncUploadWorker.log", "CMGatewayNotificationWorker.log"])
        #expect(objects.compactMap { $0["log"] as? String } == ["CMGatewaySyncUploadWorker", "CMGatewaySyncUploadWorker", "CMGatewayNotificationWorker"])
    }

    @Test("--format forces a format; a bad value is refused with the choices")
    func formatOption() throws {
        let input = Array((cmtrace("x") + "\n").utf8)
        let plain = runCLI(["records", "--format", "plain"], input: input)
        #expect(jsonLines(plain.standardOutput).first?["format"] as? String == "plain")
        let long = runCLI(["records", "--log-format", "simple"], input: input)
        #expect(long.status == 0)
        // Forced simple: a line without a `$$<…>` trailer waits for one, and is cut off at the end.
        #expect(jsonLines(long.standardOutput).first?["format"] as? String == "simple")
        #expect(jsonLines(long.standardOutput).first?["complete"] as? Bool == false)
        #expect(long.standardError.contains("1 record was cut off"))
        for option in ["--format", "--log-format"] {
            let bad = runCLI(["records", option, "xml"], input: input)
            #expect(bad.status == 2)
            #expect(bad.standardError.contains("The value 'xml' is invalid for '\(option) <format>'"))
            #expect(bad.standardError.contains("Please provide one of 'auto', 'cmtrace', 'simple', 'copy' or 'plain'"))
            #expect(bad.standardOutput.isEmpty)
        }
        let badLog = runCLI(["records", "--log", "nope"], input: input)
        #expect(badLog.status == 2)
        #expect(badLog.standardError.contains("The value 'nope' is invalid for '--log <log>'"))
        #expect(badLog.standardError.contains("  - sync\n  - notification\n"))
    }

    @Test("--bias fills in UTC for copy-form records")
    func biasOption() throws {
        let input = Array("Batching 1 records\tSMS_SERVICE_CONNECTOR\t2/28/2020 4:20:31 PM\t1\n".utf8)
        let without = runCLI(["records"], input: input)
        #expect(jsonLines(without.standardOutput).first?["utc"] is NSNull)
        #expect(jsonLines(without.standardOutput).first?["localTime"] as? String == "2/28/2020 4:20:31 PM")
        let with = runCLI(["records", "--bias", "480"], input: input)
        #expect(jsonLines(with.standardOutput).first?["utc"] as? String == "2020-02-29T00:20:31.000Z")
        #expect(jsonLines(with.standardOutput).first?["bias"] as? Int == 480)
        let west = runCLI(["records", "--bias=-720"], input: input)
        #expect(jsonLines(west.standardOutput).first?["utc"] as? String == "2020-02-28T04:20:31.000Z")
        for absurd in ["99999999999", "9223372036854775807", "-1441"] {
            let result = runCLI(["records", "--bias=\(absurd)"], input: input)
            #expect(result.status == 2, "no overflow for --bias \(absurd)")
            #expect(result.standardError.contains("--bias must be between -1440 and 1440 minutes"))
        }
    }
}

@Suite("Bad input messages")
struct BadInputTests {
    @Test("A path that does not exist: exit 2, named")
    func missingPath() {
        let result = runCLI(["records", "/nonexistent/CMGatewaySyncUploadWorker.log"])
        #expect(result.status == 2)
        #expect(result.standardError == "cmlogcheck: no such file or folder: /nonexistent/CMGatewaySyncUploadWorker.log\n")
        #expect(result.standardOutput.isEmpty)
    }

    @Test("A folder with no known logs: exit 2, lists the names looked for")
    func folderWithoutLogs() throws {
        let dir = TemporaryDirectory()
        try dir.write("other.log", "x\n")
        let result = runCLI(["records", dir.path])
        #expect(result.status == 2)
        #expect(result.standardError.hasPrefix("cmlogcheck: no tenant attach logs in folder \(dir.path): looked for "))
        for name in InputResolver.knownNames { #expect(result.standardError.contains(name)) }
    }

    @Test("Empty input: exit 2, for standard input and for an empty file")
    func emptyInput() throws {
        let stdin = runCLI(["records"], input: [])
        #expect(stdin.status == 2)
        #expect(stdin.standardError == "cmlogcheck: empty input: stdin holds no bytes\n")
        let dir = TemporaryDirectory()
        let path = try dir.write("CMGatewaySyncUploadWorker.log", [UInt8]())
        let file = runCLI(["records", "--count", path])
        #expect(file.status == 2)
        #expect(file.standardError.contains("empty input: \(path) holds no bytes"))
        // A BOM alone is empty too.
        let bomOnly = runCLI(["records"], input: [0xEF, 0xBB, 0xBF])
        #expect(bomOnly.status == 2)
        // One empty file among others is only a note.
        let other = try dir.write("CMGatewayNotificationWorker.log", cmtrace("x") + "\n")
        let mixed = runCLI(["records", "--count", path, other])
        #expect(mixed.status == 0)
        #expect(mixed.standardOutput == "1\n")
        #expect(mixed.standardError.contains("\(path) is empty"))
    }

    @Test("An unreadable file: exit 2, named")
    func unreadable() throws {
        let dir = TemporaryDirectory()
        let path = dir.path + "/CMGatewaySyncUploadWorker.log"
        try #require(makeUnreadableFile(path), "no unreadable file can be made here (root without a guarded /proc/1/mem)")
        defer { restoreReadable(path) }
        let result = runCLI(["records", path])
        #expect(result.status == 2)
        #expect(result.standardError == "cmlogcheck: cannot read \(path): Permission denied\n")
    }

    @Test("A file that cannot be opened (even as root: /proc/1/mem): exit 2, named",
          .enabled(if: FileManager.default.fileExists(atPath: "/proc/1/mem")))
    func cannotOpen() {
        let result = runCLI(["records", "/proc/1/mem"])
        #expect(result.status == 2)
        #expect(result.standardError.hasPrefix("cmlogcheck: cannot "))
        #expect(result.standardError.contains("/proc/1/mem: "))
    }

    @Test("A read error: exit 2, named, with the system's reason", .enabled(if: FileManager.default.fileExists(atPath: "/proc/self/mem")))
    func readError() {
        let result = runCLI(["records", "--count", "/proc/self/mem"])
        #expect(result.status == 2)
        #expect(result.standardError == "cmlogcheck: cannot read /proc/self/mem: Input/output error\n")
        #expect(result.standardOutput.isEmpty)
    }

    @Test("FileSource errors name the path and the reason")
    func fileSourceErrors() {
        #expect(throws: InputError("cannot open /nonexistent/x.log: No such file or directory")) {
            try FileSource(path: "/nonexistent/x.log")
        }
    }

    @Test("A directory given where its logs are a file type: reading a folder path inside works; a FileSource on a folder is refused")
    func directoryAsFile() throws {
        let dir = TemporaryDirectory()
        try dir.mkdir("CMGatewaySyncUploadWorker.log")
        #expect(throws: InputError("cannot read \(dir.path): it is a directory")) { try FileSource(path: dir.path) }
        let result = runCLI(["records", dir.path])
        #expect(result.status == 2, "a folder named like a log is not a log")
    }

    @Test("A bad --grep pattern: exit 2, names the pattern and the offset")
    func badGrep() throws {
        let result = runCLI(["records", "--grep", "Batching (\\d+ records"], input: Array((cmtrace("x") + "\n").utf8))
        #expect(result.status == 2)
        #expect(result.standardError.hasPrefix("cmlogcheck: --grep: invalid pattern 'Batching (\\d+ records' at offset 21: "))
        #expect(result.standardError.contains("missing closing parenthesis"))
        #expect(result.standardOutput.isEmpty)
    }

    @Test("Unknown options and subcommands: exit 2 with usage on standard error")
    func usageErrors() {
        let result = runCLI(["records", "--frobnicate"])
        #expect(result.status == 2)
        #expect(result.standardError.contains("--frobnicate"))
        let help = runCLI(["records", "--help"])
        #expect(help.status == 0)
        #expect(help.standardOutput.contains("--max-record-bytes"))
    }
}
