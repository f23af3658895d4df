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
    /// The first and last record times, on the input's clock.
    package var first: Instant?
    package var last: Instant?
    /// The clock of the input's times (nil: no record had a time).
    package var clock: LogClock?
    /// Timed records on the other clock (logs with and without a bias piped together): left out of `first` and `last`.
    package var otherClockRecords = 0

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

    package init(inputs: [InputSource], options: ReadOptions = ReadOptions()) {
        self.inputs = inputs
        self.options = options
        summaries = inputs.map { InputSummary(name: $0.name, kind: $0.kind == .unknown ? (options.kind ?? .unknown) : $0.kind) }
    }

    /// Reads every input in order and hands each record to `body`.
    package func run(_ body: (Record) throws -> Void) throws {
        for index in inputs.indices {
            switch inputs[index].location {
            case .file(let path):
                let source = try FileSource(path: path, name: inputs[index].name)
                try read(index, from: source, body)
            case .standardInput:
                try read(index, from: standardInput(), body)
            }
        }
    }

    /// Reads one input from any byte source (tests hand in memory).
    package func read<S: ByteSource>(_ index: Int, from source: S, _ body: (Record) throws -> Void) throws {
        var decoder = DecodingSource(source)
        defer { decoder.close() }
        let lines = LineReader(maxLineBytes: options.maxRecordBytes)
        let framer = RecordFramer(input: index, format: options.format, maxRecordBytes: options.maxRecordBytes,
                                  assumedBias: options.assumedBias, zone: options.zone)
        // `body` is handed straight down: a wrapping closure here cost a retain and
        // release per line and an exclusivity check per record.
        _ = try lines.readAvailable(from: &decoder) { line in try framer.accept(line, body) }
        try lines.finish { line in try framer.accept(line, body) }
        try framer.finish(body)
        var summary = summaries[index]
        summary.format = framer.firstFormat
        summary.formatSwitches = framer.formatSwitches
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
        summaries[index] = summary
    }
}
