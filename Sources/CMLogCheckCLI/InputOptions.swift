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
        "The log line format: auto (detect per input), or force one.",
        valueName: "format"))
    var logFormat: LogFormatChoice = .auto

    @Option(help: ArgumentHelp(
        "Which log piped or renamed input is, when its name does not say.",
        valueName: "log"))
    var log: LogChoice?

    @Option(help: ArgumentHelp(
        "Bias in minutes (UTC = local + bias) for records whose text has none, such as CMTrace's copy form.",
        valueName: "minutes"))
    var bias: Int?

    @Option(help: ArgumentHelp(
        "The servers' time zone for times written without a bias: an IANA name (Europe/Amsterdam) or local (this machine's). Turns them into UTC with the zone's rules, daylight saving time included; a bias in the record always wins (docs/clocks.md).",
        valueName: "zone"))
    var tz: ZoneChoice?

    @Option(help: ArgumentHelp("The most bytes one record keeps; the rest is dropped and counted.", valueName: "bytes"))
    var maxRecordBytes: Int = 1 << 20

    func validate() throws {
        if let bias, !(-1440...1440).contains(bias) {
            throw ValidationError("--bias must be between -1440 and 1440 minutes (UTC = local + bias), not \(bias)")
        }
        if bias != nil && tz != nil {
            throw ValidationError("--bias and --tz both give bias-less times a bias: give one (--bias one fixed bias for every record, --tz each record its zone's bias at its time)")
        }
        guard maxRecordBytes >= 1024 else { throw ValidationError("--max-record-bytes must be at least 1024") }
        // The reader allocates a few times the cap up front: a typo must not become a failed allocation.
        guard maxRecordBytes <= 1 << 28 else { throw ValidationError("--max-record-bytes must be at most 268435456 (256 MiB)") }
    }

    func readOptions() -> ReadOptions {
        var options = ReadOptions(maxRecordBytes: maxRecordBytes, assumedBias: bias)
        options.format = logFormat.forced
        options.kind = log?.kind
        options.zone = tz?.rule
        return options
    }

    /// The inputs to read and what cannot be read, or a failure naming what is wrong with
    /// them (a path that does not exist, a folder without logs). What cannot be read and the
    /// special files skipped in folders are told on `errors` at once.
    func resolved(context: CommandContext, errors: Output) throws -> ResolvedInputs {
        if paths.isEmpty {
            guard !context.standardInputIsTerminal else {
                throw CommandFailure("no input: name log files or a Logs folder, or pipe logs in (see --help)")
            }
            return ResolvedInputs(inputs: [.standardInput])
        }
        let resolved = try InputResolver.resolveAll(paths)
        for skipped in resolved.skipped { errors.write("cmlogcheck: \(Terminal.clean(skipped.path, limit: 500)): \(Terminal.clean(skipped.reason))\n") }
        tellUnread(resolved.unread, to: errors)
        return resolved
    }

    /// A stream over some of the inputs (one server's), reading only inside `window`.
    func stream(_ inputs: [InputSource], context: CommandContext, window: TimeWindow? = nil) -> RecordStream {
        var options = readOptions()
        options.window = window
        let stream = RecordStream(inputs: inputs, options: options)
        if let bytes = context.standardInput { stream.standardInput = { MemorySource(bytes) } }
        return stream
    }
}

/// `cmlogcheck: cannot read X: Permission denied`, one line each, the names made safe.
func tellUnread(_ unread: [UnreadInput], to errors: Output) {
    for item in unread {
        errors.write("cmlogcheck: cannot read \(Terminal.clean(item.path, limit: 500)): \(Terminal.clean(item.reason, limit: 200))\n")
    }
}

/// Tells, on standard error, what reading left aside; fails when the input was empty, and
/// with exit 2 (the reasons already told) when nothing could be read at all.
func reportReading(_ summaries: [InputSummary], unread: [UnreadInput] = [], to errors: Output) throws {
    for var summary in summaries {
        summary.name = Terminal.clean(summary.name, limit: 500)  // a file name may hold ESC or U+202E
        if summary.bytes == 0 && summaries.count > 1 && summary.unreadReason == nil {
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
        if summary.outOfRangeTimes > 0 {
            let records = summary.outOfRangeTimes == 1 ? "1 record has" : "\(summary.outOfRangeTimes) records have"
            errors.write("cmlogcheck: \(summary.name): \(records) a time outside years 1-9999 once its bias is applied: unreadable, read as having no time\n")
        }
        if summary.skippedBytes > 0 {
            errors.write("cmlogcheck: \(summary.name): \(summary.skippedBytes) bytes dropped from records over the size cap\n")
        }
    }
    if summaries.allSatisfy({ $0.bytes == 0 }) {
        if !unread.isEmpty || summaries.contains(where: { $0.unreadReason != nil }) { throw ExitCode(2) }
        let names = summaries.map { Terminal.clean($0.name, limit: 500) }.joined(separator: ", ")
        throw CommandFailure("empty input: \(names) \(summaries.count == 1 ? "holds" : "hold") no bytes")
    }
}

/// `--since` and `--until` (`review`, `records`): only records inside are read. Same forms
/// and rules as `--at` (docs/clocks.md): an offset time is an instant; one without an
/// offset is the server's local time on a log without a bias.
struct WindowOptions: ParsableArguments {
    @Option(help: ArgumentHelp(
        "Read only records at or after this time: 'now', an ISO 8601 time with an offset (2026-09-23T12:00:00Z), or, for logs without a bias, the server's local time without one. Records outside are not analysed.",
        valueName: "time"))
    var since: EvaluationTime?

    @Option(help: ArgumentHelp(
        "Read only records at or before this time (forms as --since). The default --at is then the last record inside.",
        valueName: "time"))
    var until: EvaluationTime?

    func validate() throws {
        guard let since, let until else { return }
        // Compared when both are of one kind; an instant and a wall-clock time meet only on the logs' clock.
        let start: Int64, end: Int64
        switch (since.moment, until.moment) {
        case (.instant(let a), .instant(let b)): (start, end) = (a.ticks, b.ticks)
        case (.wallClock(let a), .wallClock(let b)): (start, end) = (a.ticksAsIfUTC, b.ticksAsIfUTC)
        default: return
        }
        if start > end { throw ValidationError("--since is after --until: no record could be inside the window") }
    }

    /// The window, each bound placed on both clocks the way `Review` resolves `--at`
    /// (`EvaluationMoment.resolved`); nil when neither option is given.
    func window(zone: ZoneRule?) -> TimeWindow? {
        func bound(_ time: EvaluationTime?, _ option: String) -> TimeWindow.Bound? {
            guard let moment = time?.moment else { return nil }
            // Every moment has a place on the UTC clock; an instant has none on an unknown local one.
            let utc = (try? moment.resolved(on: .utc, zone: zone)) ?? Instant(ticks: 0)
            return TimeWindow.Bound(option: option, utc: utc, local: try? moment.resolved(on: .local, zone: zone))
        }
        guard since != nil || until != nil else { return nil }
        return TimeWindow(since: bound(since, "--since"), until: bound(until, "--until"))
    }
}
