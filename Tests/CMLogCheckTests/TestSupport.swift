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

/// The package's root folder, found from this file's place so that tests in
/// any subfolder name SampleLogs/ and docs/ the same way.
let repositoryRoot = URL(fileURLWithPath: #filePath)
    .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

/// The built `cmlogcheck` beside the test bundle, for end-to-end tests that need a process of its own.
let builtBinary: String? = {
    let beside = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent().appendingPathComponent("cmlogcheck").path
    let debug = repositoryRoot.appendingPathComponent(".build/debug/cmlogcheck").path
    return [beside, debug].first { FileManager.default.isExecutableFile(atPath: $0) }
}()

extension Collection {
    /// The element `offset` places from the start, read through `#require`: a regression that
    /// yields fewer elements fails the one test ("Index out of range" would end the whole test
    /// process and hide every other result).
    func at(_ offset: Int, sourceLocation: SourceLocation = #_sourceLocation) throws -> Element {
        try #require(offset >= 0 && offset < count,
                     "no element \(offset): \(count) element\(count == 1 ? "" : "s")", sourceLocation: sourceLocation)
        return self[index(startIndex, offsetBy: offset)]
    }
}

/// A record copied out of the framer: `Record`'s byte fields are borrowed,
/// valid only inside the handler, so tests keep plain Swift values.
struct FramedRecord: Equatable, CustomStringConvertible {
    var input: Int
    var line: Int
    var endLine: Int
    var format: LogFormat
    var messageBytes: [UInt8]
    var component: String
    var thread: Int?
    var severity: Severity
    var dateText: String
    var timeText: String
    var local: CivilTime?
    var bias: Int?
    var utc: Instant?
    var skippedBytes: Int
    var isComplete: Bool

    var message: String { String(decoding: messageBytes, as: UTF8.self) }
    var utcText: String? { utc?.iso8601 }

    init(_ record: Record) {
        input = record.input
        line = record.line
        endLine = record.endLine
        format = record.format
        messageBytes = Array(record.message)
        component = String(decoding: record.component, as: UTF8.self)
        thread = record.thread
        severity = record.severity
        dateText = String(decoding: record.dateText, as: UTF8.self)
        timeText = String(decoding: record.timeText, as: UTF8.self)
        local = record.timestamp?.local
        bias = record.timestamp?.bias
        utc = record.utc
        skippedBytes = record.skippedBytes
        isComplete = record.isComplete
    }

    var description: String {
        "#\(line)-\(endLine) \(format) [\(component)|\(thread.map(String.init) ?? "-")|\(severity.name)|\(utcText ?? "nil")] \(message.debugDescription) skipped=\(skippedBytes) complete=\(isComplete)"
    }
}

/// What framing one input produced.
struct Framed {
    var records: [FramedRecord]
    var summary: InputSummary

    var messages: [String] { records.map(\.message) }
}

/// Frames `bytes` as one input through `RecordStream`, the same path the
/// commands use, serving the bytes `readSize` at a time.
func frame(_ bytes: [UInt8], options: ReadOptions = ReadOptions(), readSize: Int = .max) throws -> Framed {
    try frame(source: MemorySource(bytes, readSize: readSize), options: options)
}

func frame(_ text: String, options: ReadOptions = ReadOptions(), readSize: Int = .max) throws -> Framed {
    try frame(Array(text.utf8), options: options, readSize: readSize)
}

func frame<S: ByteSource>(source: S, options: ReadOptions = ReadOptions()) throws -> Framed {
    let stream = RecordStream(inputs: [InputSource(location: .standardInput, name: "test", kind: .unknown)], options: options)
    var records: [FramedRecord] = []
    try stream.read(0, from: source) { records.append(FramedRecord($0)) }
    return try Framed(records: records, summary: stream.summaries.at(0))
}

/// Encodes text as UTF-16 code units in either byte order, optionally with a BOM.
func utf16(_ text: String, littleEndian: Bool = true, bom: Bool = true) -> [UInt8] {
    var bytes: [UInt8] = []
    let units = (bom ? [UInt16(0xFEFF)] : []) + Array(text.utf16)
    for unit in units {
        let low = UInt8(unit & 0xFF), high = UInt8(unit >> 8)
        bytes += littleEndian ? [low, high] : [high, low]
    }
    return bytes
}

/// One CMTrace record as ConfigMgr writes it.
func cmtrace(_ message: String, time: String = "16:20:31.497+480", date: String = "02-28-2020",
             component: String = "SMS_SERVICE_CONNECTOR", type: String = "1", thread: String = "6344") -> String {
    "<![LOG[\(message)]LOG]!><time=\"\(time)\" date=\"\(date)\" component=\"\(component)\" context=\"\" type=\"\(type)\" thread=\"\(thread)\" file=\"\">"
}

/// One simple-format line as ConfigMgr writes it.
func simple(_ message: String, date: String = "02-28-2020", time: String = "16:20:31.497+480",
            component: String = "SMS_SERVICE_CONNECTOR", thread: Int = 6344) -> String {
    "\(message)  $$<\(component)><\(date) \(time)><thread=\(thread) (0x\(String(thread, radix: 16, uppercase: true)))>"
}

/// The outcome of one in-process run of the command line.
struct RunResult {
    var status: Int32
    var standardOutput: String
    var standardError: String

    /// Standard output split into lines, without the empty string after the last newline.
    var outputLines: [String] {
        standardOutput.split(separator: "\n", omittingEmptySubsequences: false).dropLast().map(String.init)
    }
}

/// Runs `cmlogcheck arguments` in-process, with `input` (if any) as standard input.
/// Without `input`, standard input is served empty so a test never blocks on the terminal.
/// `columns` stands for `COLUMNS` (the process's own is never read, so a test does not
/// depend on the shell it runs in).
func runCLI(_ arguments: [String], input: [UInt8]? = [], columns: Int? = nil) -> RunResult {
    let out = Output(), err = Output()
    let context = CommandContext(standardOutput: out, standardError: err, standardInput: input, outputIsTerminal: false,
                                 columns: columns.map(String.init))
    let status = CMLogCheck.run(arguments: arguments, context: context)
    return RunResult(status: status, standardOutput: out.text, standardError: err.text)
}

/// Parses JSON Lines output into dictionaries, failing the test on a line that is not a JSON object.
func jsonLines(_ text: String, sourceLocation: SourceLocation = #_sourceLocation) -> [[String: Any]] {
    var objects: [[String: Any]] = []
    for line in text.split(separator: "\n") {
        let data = Data(line.utf8)
        guard let object = (try? JSONSerialization.jsonObject(with: data)) as? [String: Any] else {
            Issue.record("not a JSON object: \(line)", sourceLocation: sourceLocation)
            continue
        }
        objects.append(object)
    }
    return objects
}

/// A fresh directory under the system temporary directory, removed on deinit.
final class TemporaryDirectory {
    let path: String

    init() {
        var template = Array((NSTemporaryDirectory() + "/cmlogcheck-tests-XXXXXX").utf8CString)
        let made = template.withUnsafeMutableBufferPointer { mkdtemp($0.baseAddress!) }
        precondition(made != nil, "mkdtemp failed")
        path = String(cString: template.withUnsafeBufferPointer { $0.baseAddress! })
    }

    deinit { try? FileManager.default.removeItem(atPath: path) }

    /// Writes a file (creating folders on the way) and returns its full path.
    @discardableResult
    func write(_ relative: String, _ bytes: [UInt8]) throws -> String {
        let full = (path as NSString).appendingPathComponent(relative)
        try FileManager.default.createDirectory(atPath: (full as NSString).deletingLastPathComponent,
                                                withIntermediateDirectories: true)
        try Data(bytes).write(to: URL(fileURLWithPath: full))
        return full
    }

    @discardableResult
    func write(_ relative: String, _ text: String) throws -> String { try write(relative, Array(text.utf8)) }

    func mkdir(_ relative: String) throws {
        try FileManager.default.createDirectory(atPath: (path as NSString).appendingPathComponent(relative),
                                                withIntermediateDirectories: true)
    }
}

/// The instant written as ISO 8601, for compact expectations.
func utc(_ text: String) -> Instant? { Instant(iso8601: text) }

/// Runs `executable` with `arguments` in `directory`, with `environment` added to this
/// process's; standard input is empty.
func runProcess(_ executable: String, _ arguments: [String], in directory: String, environment: [String: String] = [:]) throws -> RunResult {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: executable)
    process.arguments = arguments
    process.currentDirectoryURL = URL(fileURLWithPath: directory)
    process.environment = ProcessInfo.processInfo.environment.merging(environment) { _, new in new }
    let out = Pipe(), err = Pipe()
    process.standardOutput = out
    process.standardError = err
    process.standardInput = FileHandle.nullDevice
    try process.run()
    // Standard error is read on another thread, so neither pipe can fill up and stall the child.
    nonisolated(unsafe) var errors = Data()
    let group = DispatchGroup()
    DispatchQueue.global().async(group: group) { errors = err.fileHandleForReading.readDataToEndOfFile() }
    let output = out.fileHandleForReading.readDataToEndOfFile()
    group.wait()
    process.waitUntilExit()
    return RunResult(status: process.terminationStatus, standardOutput: String(decoding: output, as: UTF8.self),
                     standardError: String(decoding: errors, as: UTF8.self))
}
