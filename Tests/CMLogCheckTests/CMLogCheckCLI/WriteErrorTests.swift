import Foundation
import Testing
@testable import LogInput
@testable import LogReport
@testable import CMLogCheckCLI

/// Runs `cmlogcheck arguments` in-process with standard output on `descriptor`.
private func runCLI(_ arguments: [String], standardOutput descriptor: Int32) -> RunResult {
    let out = Output(descriptor: descriptor, name: "standard output"), err = Output()
    let context = CommandContext(standardOutput: out, standardError: err, standardInput: [], outputIsTerminal: false)
    let status = CMLogCheck.run(arguments: arguments, context: context)
    return RunResult(status: status, standardOutput: "", standardError: err.text)
}

/// A sync log of `count` records: enough JSON Lines to fill several output buffers.
private func syncLog(_ dir: TemporaryDirectory, records count: Int = 2_000) throws -> String {
    var text = ""
    for n in 0..<count {
        text += cmtrace("Batching \(n) records", time: String(format: "10:%02d:%02d.000+000", n / 60 % 60, n % 60)) + "\r\n"
    }
    return try dir.write("CMGatewaySyncUploadWorker.log", text)
}

private var binary: String? { builtBinary }

@Suite("Write errors on standard output")
struct WriteErrorTests {
    static let commands: [[String]] = [
        ["records"], ["records", "--count"], ["review"], ["review", "--format", "json"],
        ["rules"], ["rules", "--json"], ["explain", "0x80131509"], ["--help"], ["records", "--help"],
    ]

    @Test("a full disk ends the command with a message on standard error and exit 2", arguments: commands)
    func fullDisk(_ arguments: [String]) throws {
        let dir = TemporaryDirectory()
        let log = try syncLog(dir, records: 50)
        let descriptor = try fullDevice()
        defer { close(descriptor) }
        let takesInput = ["records", "review"].contains(arguments[0]) && !arguments.contains("--help")
        let result = runCLI(arguments + (takesInput ? [log] : []), standardOutput: descriptor)
        #expect(result.status == 2, "\(arguments)")
        #expect(result.standardError.contains("cmlogcheck: cannot write to standard output: No space left on device"), "\(arguments): \(result.standardError)")
    }

    @Test("a closed reader ends records quietly with status 0; review keeps its verdict")
    func closedReader() throws {
        let dir = TemporaryDirectory()
        let log = try syncLog(dir)
        for arguments in [["records", log], ["records", "--grep", "Batching", log], ["review", "--fail-on", "never", log], ["rules"]] {
            let descriptor = try closedPipe()
            defer { close(descriptor) }
            let result = runCLI(arguments, standardOutput: descriptor)
            #expect(result.status == 0, "\(arguments)")
            #expect(result.standardError.isEmpty, "\(arguments): \(result.standardError)")
        }
        // A review whose finding is at --fail-on still says so by its status, reader or not.
        let descriptor = try closedPipe()
        defer { close(descriptor) }
        let failing = runCLI(["review", "--fail-on", "info", log], standardOutput: descriptor)
        #expect(failing.status == 1)
        #expect(failing.standardError.isEmpty)
    }

    @Test("records or tail of an endless input piped into head -1 stops at once, quietly, with status 0",
          .enabled(if: binary != nil, "the cmlogcheck executable is not built beside the tests (swift build --build-tests)"),
          .timeLimit(.minutes(1)),
          arguments: [["records"], ["tail", "--format", "jsonl", "--tz", "UTC"]])
    func headOfEndlessInput(_ command: [String]) throws {
        let binary = try #require(binary)
        // `yes` never ends: only a cmlogcheck that notices the closed pipe lets the pipeline
        // finish. `timeout` ends a regression (status 137) instead of hanging the test run: with
        // SIGKILL, as this process blocks SIGTERM and its children inherit the mask.
        let line = cmtrace("Batching 1 records", time: "10:00:00.000+000")
        // yes's own complaint is silenced: this process ignores SIGPIPE, and its children inherit that.
        let script = "yes '\(line)' 2>/dev/null | timeout -s KILL 30 '\(binary)' \(command.joined(separator: " ")) | head -1; echo \"status ${PIPESTATUS[1]}\""
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/bash")
        process.arguments = ["-c", script]
        let out = Pipe(), err = Pipe()
        process.standardOutput = out
        process.standardError = err
        let began = Date()
        try process.run()
        let output = String(decoding: out.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        let errors = String(decoding: err.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        #expect(Date().timeIntervalSince(began) < 30, "still running after 30 s")
        let lines = output.split(separator: "\n")
        #expect(lines.count == 2, "\(output)")
        #expect(lines.first?.hasPrefix(command[0] == "records" ? "{\"input\":\"stdin\"" : "{\"type\":\"event\"") == true, "\(output)")
        #expect(lines.last == "status 0")
        #expect(errors.isEmpty, "\(errors)")
    }
}
