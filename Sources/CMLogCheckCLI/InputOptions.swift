import ArgumentParser
import LogMatching
import LogInput
import LogRules
import LogAnalysis
import LogFindings
import LogReport
import LogFollow

/// The options every reading command shares: where the logs are and how to read them.
struct InputOptions: ParsableArguments {
    @Argument(help: ArgumentHelp(
        "Log files, Logs folders, or - for standard input. With none, standard input is read.",
        valueName: "path"))
    var paths: [String] = []

    @Option(help: ArgumentHelp(
        "The log line format: auto (detect per input), cmtrace, simple, copy or plain.",
        valueName: "format"))
    var logFormat: String = "auto"

    @Option(help: ArgumentHelp(
        "Which log piped or renamed input is (sync, notification, generic, bgb, client), when its name does not say.",
        valueName: "log"))
    var log: String?

    @Option(help: ArgumentHelp(
        "Bias in minutes (UTC = local + bias) for records whose text has none, such as CMTrace's copy form.",
        valueName: "minutes"))
    var bias: Int?

    @Option(help: ArgumentHelp("The most bytes one record keeps; the rest is dropped and counted.", valueName: "bytes"))
    var maxRecordBytes: Int = 1 << 20

    func readOptions() throws -> ReadOptions {
        var options = ReadOptions(maxRecordBytes: maxRecordBytes, assumedBias: bias)
        if logFormat != "auto" {
            guard let forced = LogFormat(rawValue: logFormat) else {
                throw CommandFailure("unknown log format '\(logFormat)': use auto, cmtrace, simple, copy or plain")
            }
            options.format = forced
        }
        if let log {
            guard let kind = LogKind(argument: log) else {
                throw CommandFailure("unknown --log '\(log)': use sync, notification, generic, bgb or client")
            }
            options.kind = kind
        }
        if let bias, !(-1440...1440).contains(bias) {
            throw CommandFailure("--bias must be between -1440 and 1440 minutes (UTC = local + bias), not \(bias)")
        }
        guard maxRecordBytes >= 1024 else { throw CommandFailure("--max-record-bytes must be at least 1024") }
        // The reader allocates a few times the cap up front: a typo must not become a failed allocation.
        guard maxRecordBytes <= 1 << 28 else { throw CommandFailure("--max-record-bytes must be at most 268435456 (256 MiB)") }
        return options
    }

    /// The inputs to read, or a failure naming what is wrong with them.
    func inputs(context: CommandContext) throws -> [InputSource] {
        if paths.isEmpty {
            guard !context.standardInputIsTerminal else {
                throw CommandFailure("no input: name log files or a Logs folder, or pipe logs in (see --help)")
            }
            return [.standardInput]
        }
        do {
            return try InputResolver.resolve(paths)
        } catch {
            throw CommandFailure(error.message)
        }
    }

    /// Opens a stream over the inputs, serving standard input from the context.
    func stream(context: CommandContext) throws -> RecordStream {
        let stream = RecordStream(inputs: try inputs(context: context), options: try readOptions())
        if let bytes = context.standardInput { stream.standardInput = { MemorySource(bytes) } }
        return stream
    }
}

/// Tells, on standard error, what reading left aside; fails when the input was empty.
func reportReading(_ summaries: [InputSummary], to errors: Output) throws {
    for summary in summaries {
        if summary.bytes == 0 && summaries.count > 1 {
            errors.write("cmlogcheck: \(summary.name) is empty\n")
        }
        if summary.unrecognizedLines > 0 {
            let samples = summary.unrecognizedSamples.map(String.init).joined(separator: ", ")
            let more = summary.unrecognizedLines > summary.unrecognizedSamples.count ? ", …" : ""
            errors.write("cmlogcheck: \(summary.name): \(summary.unrecognizedLines) line\(summary.unrecognizedLines == 1 ? "" : "s") fit no \(summary.format?.rawValue ?? "") record (line\(summary.unrecognizedLines == 1 ? "" : "s") \(samples)\(more))\n")
        }
        if summary.incompleteRecords > 0 {
            errors.write("cmlogcheck: \(summary.name): \(summary.incompleteRecords) record\(summary.incompleteRecords == 1 ? " was" : "s were") cut off before its end (kept, marked incomplete)\n")
        }
        if summary.skippedBytes > 0 {
            errors.write("cmlogcheck: \(summary.name): \(summary.skippedBytes) bytes dropped from records over the size cap\n")
        }
    }
    if summaries.allSatisfy({ $0.bytes == 0 }) {
        let names = summaries.map(\.name).joined(separator: ", ")
        throw CommandFailure("empty input: \(names) \(summaries.count == 1 ? "holds" : "hold") no bytes")
    }
}
