import LogMatching
/// How inputs are read and framed.
package struct ReadOptions: Sendable {
    /// Forces one format for every input; nil detects it per input.
    package var format: LogFormat?
    /// The most bytes one record keeps; the rest is dropped and counted.
    package var maxRecordBytes: Int
    /// Bias (minutes, UTC = local + bias) for records whose text has none.
    package var assumedBias: Int?
    /// Forces the writer of inputs that do not say it by name (standard input, renamed files).
    package var kind: LogKind?
    /// The zone of bias-less times (`--tz`); nil leaves them on the server's local clock.
    package var zone: ZoneRule?
    /// `--since`/`--until`: records outside are left out while reading (`TimeWindow`).
    package var window: TimeWindow?

    package init(format: LogFormat? = nil, maxRecordBytes: Int = 1 << 20, assumedBias: Int? = nil, kind: LogKind? = nil) {
        self.format = format
        self.maxRecordBytes = maxRecordBytes
        self.assumedBias = assumedBias
        self.kind = kind
    }
}

/// What reading one input found.
package struct InputSummary: Sendable {
    package var name: String
    package var kind: LogKind
    /// The format detected first; `formatSwitches` counts changes after it (logs piped together).
    package var format: LogFormat?
    package var formatSwitches = 0
    package var encoding: TextEncoding?
    package var bytes = 0
    package var lines = 0
    package var records = 0
    package var incompleteRecords = 0
    package var unrecognizedLines = 0
    package var unrecognizedSamples: [Int] = []
    package var skippedBytes = 0
    package var windows1252Lines = 0
    /// The first and last record times, on the input's clock (inside the window, when one applies).
    package var first: Instant?
    package var last: Instant?
    /// The clock of the input's times (nil: no record had a time).
    package var clock: LogClock?
    /// Timed records on the other clock (logs with and without a bias piped together): left out of `first` and `last`.
    package var otherClockRecords = 0
    /// The biases its records carried, as changes: the server's offset from UTC over time.
    package var biases = BiasHistory()
    /// Records left out because they fell outside `ReadOptions.window` (counted in `records`).
    package var outsideWindow = 0
    /// Why the input could not be read, or not to its end (nil: read whole).
    package var unreadReason: String?
    /// Records whose time with its bias falls outside years 1-9999: read as having no time.
    package var outOfRangeTimes = 0

    package init(name: String, kind: LogKind) {
        self.name = name
        self.kind = kind
    }
}

/// The read loop: each input's bytes are decoded, split into lines and
/// framed into records, one input after the other, in bounded memory.
package final class RecordStream {
    package let inputs: [InputSource]
    package let options: ReadOptions
    package private(set) var summaries: [InputSummary]
    /// Where standard input's bytes come from; tests replace it.
    package var standardInput: () -> any ByteSource = { FileSource(descriptor: 0, name: "stdin") }
    /// Told how far reading has come, every few chunks (`review`'s progress line).
    package var progress: (any ReadProgress)?
    /// Inputs that could not be opened, or failed mid-read, in reading order: the rest was
    /// still read (`run` goes on), and the reports say they are incomplete.
    package private(set) var unread: [UnreadInput] = []

    package init(inputs: [InputSource], options: ReadOptions = ReadOptions()) {
        self.inputs = inputs
        self.options = options
        summaries = inputs.map { InputSummary(name: $0.name, kind: $0.kind == .unknown ? (options.kind ?? .unknown) : $0.kind) }
    }

    /// Reads every input in order and hands each record to `body`. An input that cannot be
    /// opened or fails mid-read is noted in `unread` (and its summary) and the next is read:
    /// one unreadable file must not cost the review of the readable ones.
    package func run(_ body: (Record) throws -> Void) throws {
        for index in inputs.indices {
            switch inputs[index].location {
            case .file(let path):
                let source: FileSource
                do {
                    source = try FileSource(path: path, name: inputs[index].name)
                } catch {
                    noteUnread(index, error)
                    continue
                }
                // Up to its size at open: a file still growing does not keep the run going; one
                // truncated under us is reported as not read whole.
                try read(index, from: SizeAtOpenSource(source), totalBytes: progress == nil ? nil : source.regularFileSize, body)
            case .standardInput:
                let source = standardInput()
                try read(index, from: source, totalBytes: progress == nil ? nil : (source as? FileSource)?.regularFileSize, body)
            }
        }
    }

    /// Reads one input, telling `progress` (when set) how far it has come.
    private func read<S: ByteSource>(_ index: Int, from source: S, totalBytes: Int?, _ body: (Record) throws -> Void) throws {
        guard let progress else { return try read(index, from: source, body) }
        progress.started(input: index, of: inputs.count, name: inputs[index].name, totalBytes: totalBytes)
        try read(index, from: MeteredSource(source, progress: progress), body)
    }

    private func noteUnread(_ index: Int, _ error: InputError) {
        let reason = error.reason ?? error.message
        unread.append(UnreadInput(path: inputs.indices.contains(index) ? inputs[index].name : "input \(index + 1)", reason: reason))
        if summaries.indices.contains(index) { summaries[index].unreadReason = reason }
    }

    /// Reads one input from any byte source (tests hand in memory). A failure of the source
    /// itself (a read error) ends this input only: what was read stands, the input is noted
    /// in `unread`. Errors of `body` (a closed output) end the run.
    package func read<S: ByteSource>(_ index: Int, from source: S, _ body: (Record) throws -> Void) throws {
        let failure = SourceFailure()
        var decoder = DecodingSource(FailureNotingSource(source, failure: failure))
        defer { decoder.close() }
        let lines = LineReader(maxLineBytes: options.maxRecordBytes)
        let framer = RecordFramer(input: index, format: options.format, maxRecordBytes: options.maxRecordBytes,
                                  assumedBias: options.assumedBias, zone: options.zone)
        var gate = options.window.map { TimeWindowGate(window: $0, inputName: inputs.indices.contains(index) ? inputs[index].name : "input \(index + 1)") }
        if gate != nil {
            // The one window predicate of `review` and `records`: a record outside is dropped
            // here, before anything copies or classifies it.
            func admitted(_ record: Record) throws {
                if try gate!.admits(record) { try body(record) }
            }
            try frame(&decoder, lines, framer, admitted)
        } else {
            // `body` is handed straight down: a wrapping closure here cost a retain and
            // release per line and an exclusivity check per record.
            try frame(&decoder, lines, framer, body)
        }
        var summary = summaries[index]
        summary.format = framer.firstFormat
        summary.formatSwitches = framer.formatSwitches
        summary.outOfRangeTimes = framer.outOfRangeTimes
        summary.encoding = decoder.encoding
        summary.bytes = lines.bytesRead
        summary.lines = lines.lineCount
        summary.records = framer.recordCount
        summary.incompleteRecords = framer.incompleteRecords
        summary.unrecognizedLines = framer.unrecognizedLines
        summary.unrecognizedSamples = framer.unrecognizedSamples
        summary.skippedBytes = framer.skippedBytes
        summary.windows1252Lines = lines.windows1252Lines
        summary.first = framer.firstTime
        summary.last = framer.lastTime
        summary.clock = framer.clock
        summary.otherClockRecords = framer.otherClockRecords
        summary.biases = framer.biases
        if let gate {
            summary.first = gate.first
            summary.last = gate.last
            summary.outsideWindow = gate.outside
        }
        summaries[index] = summary
    }

    private func frame<S: ByteSource>(_ decoder: inout DecodingSource<FailureNotingSource<S>>, _ lines: LineReader,
                                      _ framer: RecordFramer, _ body: (Record) throws -> Void) throws {
        do {
            _ = try lines.readAvailable(from: &decoder) { line in try framer.accept(line, body) }
        } catch let error as InputError where decoder.source.failure.error == error {
            // The file failed under us: the records read so far still count (the last partial
            // one is kept, marked as cut off when it is), and the input is noted as unread.
            noteUnread(framer.input, error)
        }
        try lines.finish { line in try framer.accept(line, body) }
        try framer.finish(body)
    }
}

/// Where `FailureNotingSource` keeps the error its source threw.
final class SourceFailure {
    var error: InputError?
}

/// A source that remembers its own failure, so that the reader can tell a file that failed
/// mid-read (the input ends there, the run goes on) from an error of the record handler.
package struct FailureNotingSource<Source: ByteSource>: ByteSource {
    var source: Source
    let failure: SourceFailure

    init(_ source: Source, failure: SourceFailure) {
        self.source = source
        self.failure = failure
    }

    package mutating func read(into buffer: UnsafeMutableRawBufferPointer) throws(InputError) -> Int {
        do {
            return try source.read(into: buffer)
        } catch {
            failure.error = error
            throw error
        }
    }
}
