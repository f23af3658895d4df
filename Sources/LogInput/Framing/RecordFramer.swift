import LogMatching
/// Turns physical lines into records. One framer per input: the format is
/// detected from the input's first decisive line (or forced), and records
/// that span lines are assembled here.
///
/// Detection: a line starting `<![LOG[` means CMTrace; a `$$<…><…><thread=…>`
/// trailer means simple; `message TAB component TAB date time TAB thread`
/// means the copy form. Lines seen before the first decisive one are held
/// (bounded) and replayed once the format is known; if none is decisive
/// within `detectionLines`, the input is plain text.
package final class RecordFramer {
    package let input: Int
    package private(set) var format: LogFormat?
    package let maxRecordBytes: Int
    /// Bias applied to records whose text carries none (copy form, plain); nil leaves their UTC unknown.
    package let assumedBias: Int?
    /// The zone (`--tz`) that gives bias-less times a bias; a bias in the line or `--bias` wins.
    package let zone: ZoneRule?
    /// The previous record's UTC, which settles local times repeated when clocks fall back.
    private var lastZonedUTC: Instant?
    package static let detectionLines = 256

    package var recordCount: Int { tally.records }
    package var incompleteRecords: Int { tally.incomplete }
    package private(set) var unrecognizedLines = 0
    /// The first few unrecognized line numbers, for the message that reports them.
    package private(set) var unrecognizedSamples: [Int] = []
    package var skippedBytes: Int { tally.skippedBytes }
    /// The earliest and latest UTC time of the records handed on.
    /// The first and last record times on the input's clock (`clock`).
    package var firstTime: Instant? { tally.first }
    package var lastTime: Instant? { tally.last }
    package var clock: LogClock? { tally.clock }
    /// Timed records on the other clock than the input's first (logs of two writers piped together).
    package var otherClockRecords: Int { tally.otherClock }
    /// The biases the input's records carried (from the line, `--bias` or `--tz`), as changes.
    package var biases: BiasHistory { tally.biases }

    /// What the records handed on add up to; one struct so that each record
    /// costs one (exclusivity-checked) access to the framer, not five.
    private struct Tally {
        var records = 0
        var incomplete = 0
        var skippedBytes = 0
        var first: Instant?
        var last: Instant?
        /// The clock of the first timed record, and how many timed records were on the other one.
        var clock: LogClock?
        var otherClock = 0
        var biases = BiasHistory()

        @inline(__always)
        mutating func count(_ record: Record) {
            records += 1
            skippedBytes += record.skippedBytes
            if !record.isComplete { incomplete += 1 }
            if let timestamp = record.timestamp {
                let recordClock = timestamp.clock
                if clock == nil { clock = recordClock }
                guard recordClock == clock else {
                    otherClock += 1
                    return
                }
                let time = timestamp.time
                if first == nil || time < first! { first = time }
                if last == nil || time > last! { last = time }
                // An integer compare per record; a change (daylight saving time) appends.
                if let bias = timestamp.bias { biases.note(bias, at: time) }
            }
        }
    }
    private var tally = Tally()
    /// The format first detected (or forced), and how often it changed since.
    package private(set) var firstFormat: LogFormat?
    package private(set) var formatSwitches = 0
    /// Records whose time, with its bias, falls outside years 1-9999: read as having no time.
    package private(set) var outOfRangeTimes = 0
    private let isForced: Bool
    /// The copy form's day and month order, once a date of this input showed it.
    private var copyDayFirst: Bool?

    /// The groups of the simple trailer `simpleTrailerStart` found last (read by `emitSimple`).
    private var simpleGroups: TrailerReader.Groups?
    private let copyLine = FramingPatterns.copyLine.matcher()

    /// A record that spans lines: its message so far.
    private let pending: ByteBuffer
    private var pendingOpen = false
    private var pendingFirstLine = 0
    private var pendingLastLine = 0
    private var pendingSkipped = 0
    /// Lines held while the format is undecided.
    private var heldLines: [(number: Int, skipped: Int, bytes: [UInt8])] = []
    private var heldBytes = 0

    package init(input: Int, format: LogFormat? = nil, maxRecordBytes: Int = 1 << 20, assumedBias: Int? = nil,
                 zone: ZoneRule? = nil) {
        self.zone = zone
        self.input = input
        self.format = format
        firstFormat = format
        isForced = format != nil
        self.maxRecordBytes = maxRecordBytes
        self.assumedBias = assumedBias
        pending = ByteBuffer(capacity: maxRecordBytes)
    }

    /// Frames one line, handing on every record it completes.
    package func accept(_ line: Line, _ emit: (Record) throws -> Void) rethrows {
        guard let format else {
            try detect(line, emit)
            return
        }
        // Logs of several writers piped together can change format midway
        // (a simple-format worker log, then a CMTrace BgbServer.log): an
        // unmistakable line of another format switches, unless forced.
        if !isForced && format != .cmtrace && line.bytes.starts(with: Markers.logOpen) {
            try switchFormat(to: .cmtrace, line, emit)
            return
        }
        switch format {
        case .cmtrace: try acceptCMTrace(line, emit)
        case .simple: try acceptSimple(line, emit)
        case .copy, .plain:
            if !isForced && simpleTrailerStart(in: line.bytes) != nil {
                try switchFormat(to: .simple, line, emit)
            } else if format == .copy {
                try acceptCopy(line, emit)
            } else {
                try acceptPlain(line, emit)
            }
        }
    }

    /// Ends what the old format had open (kept, marked incomplete) and frames `line` in the new one.
    private func switchFormat(to newFormat: LogFormat, _ line: Line, _ emit: (Record) throws -> Void) rethrows {
        if pendingOpen { try emitPending(complete: false, emit) }
        format = newFormat
        formatSwitches += 1
        try accept(line, emit)
    }

    /// The input ended: hands on a record left open (as incomplete) and any held lines.
    package func finish(_ emit: (Record) throws -> Void) rethrows {
        if format == nil { try decide(.plain, emit) }
        if pendingOpen { try emitPending(complete: false, emit) }
    }

    // MARK: Detection

    private func detect(_ line: Line, _ emit: (Record) throws -> Void) rethrows {
        let bytes = line.bytes
        var decided: LogFormat?
        if bytes.starts(with: Markers.logOpen) {
            decided = .cmtrace
        } else if simpleTrailerStart(in: bytes) != nil {
            decided = .simple
        } else if copyLine.matches(bytes) {
            decided = .copy
        }
        heldLines.append((line.number, line.skippedBytes, Array(bytes)))
        heldBytes += bytes.count
        if let decided {
            try decide(decided, emit)
        } else if heldLines.count >= RecordFramer.detectionLines || heldBytes >= maxRecordBytes {
            try decide(.plain, emit)
        }
    }

    private func decide(_ decided: LogFormat, _ emit: (Record) throws -> Void) rethrows {
        format = decided
        firstFormat = decided
        let held = heldLines
        heldLines = []
        heldBytes = 0
        for entry in held {
            try entry.bytes.withUnsafeBytes { bytes in
                try accept(Line(bytes: bytes, number: entry.number, skippedBytes: entry.skipped), emit)
            }
        }
    }

    // MARK: CMTrace

    private func acceptCMTrace(_ line: Line, _ emit: (Record) throws -> Void) rethrows {
        var bytes = line.bytes
        if bytes.starts(with: Markers.logOpen) {
            if pendingOpen { try emitPending(complete: false, emit) }
            bytes = UnsafeRawBufferPointer(rebasing: bytes[Markers.logOpen.count...])
            if let end = cmtraceEnd(in: bytes) {
                try emitCMTrace(message: UnsafeRawBufferPointer(rebasing: bytes[..<end]),
                                trailer: UnsafeRawBufferPointer(rebasing: bytes[(end + Markers.logClose.count)...]),
                                firstLine: line.number, lastLine: line.number, skipped: line.skippedBytes, emit)
            } else {
                openPending(at: line.number)
                appendPending(bytes, skipped: line.skippedBytes)
            }
            return
        }
        guard pendingOpen else {
            if !isForced && simpleTrailerStart(in: bytes) != nil {
                try switchFormat(to: .simple, line, emit)
            } else {
                noteUnrecognized(line)
            }
            return
        }
        pendingLastLine = line.number
        if let end = cmtraceEnd(in: bytes) {
            appendPending(UnsafeRawBufferPointer(rebasing: bytes[..<end]), skipped: line.skippedBytes, newline: true)
            let trailer = UnsafeRawBufferPointer(rebasing: bytes[(end + Markers.logClose.count)...])
            pendingOpen = false
            try pending.withBytes { message in
                try emitCMTrace(message: message, trailer: trailer, firstLine: pendingFirstLine,
                                lastLine: line.number, skipped: pendingSkipped, emit)
            }
        } else {
            appendPending(bytes, skipped: line.skippedBytes, newline: true)
        }
    }

    /// Where `]LOG]!><time=` starts in the line, searching back from the end where it sits.
    @inline(__always)
    private func cmtraceEnd(in bytes: UnsafeRawBufferPointer) -> Int? {
        let marker = Markers.logCloseTime
        // `!` is the marker's sixth byte: find it from the end, it is rare in text.
        var upper = bytes.count - marker.count + 6
        while let bang = lastIndex(of: UInt8(ascii: "!"), in: bytes, from: 5, to: upper) {
            let index = bang - 5
            if bytes[index] == UInt8(ascii: "]") && bytesMatch(bytes, at: index, marker) { return index }
            upper = bang
        }
        return nil
    }

    private func emitCMTrace(message: UnsafeRawBufferPointer, trailer: UnsafeRawBufferPointer,
                             firstLine: Int, lastLine: Int, skipped: Int, _ emit: (Record) throws -> Void) rethrows {
        var record = Record(input: input, line: firstLine, endLine: lastLine, format: .cmtrace, message: message,
                            component: Markers.empty, thread: nil, severity: .info, dateText: Markers.empty, timeText: Markers.empty,
                            timestamp: nil, skippedBytes: skipped, isComplete: true)
        if let groups = TrailerReader.cmtrace(trailer) {
            let time = slice(trailer, groups.time)
            let date = slice(trailer, groups.date)
            record.component = slice(trailer, groups.component)
            record.thread = parseInt(slice(trailer, groups.thread))
            record.timestamp = LogTimestamp.parse(date: date, time: time)
            record.dateText = date
            record.timeText = time
            record.severity = Severity(cmtraceType: slice(trailer, groups.type)) ?? severityFromText(message)
        } else {
            record.severity = severityFromText(message)
            // No closing `>`: the input ended (or the writer stopped) inside the trailer.
            if !isClosedTrailer(trailer) { record.isComplete = false }
        }
        try deliver(&record, emit)
    }

    // MARK: Simple

    private func acceptSimple(_ line: Line, _ emit: (Record) throws -> Void) rethrows {
        let bytes = line.bytes
        guard let trailerStart = simpleTrailerStart(in: bytes) else {
            // A line of a multi-line message: it belongs to the next line with a trailer.
            if !pendingOpen {
                if isBlank(bytes) { return }
                openPending(at: line.number)
                appendPending(bytes, skipped: line.skippedBytes)
            } else {
                pendingLastLine = line.number
                appendPending(bytes, skipped: line.skippedBytes, newline: true)
            }
            return
        }
        let trailer = UnsafeRawBufferPointer(rebasing: bytes[trailerStart...])
        var messageEnd = trailerStart
        while messageEnd > 0 && (bytes[messageEnd - 1] == 0x20 || bytes[messageEnd - 1] == 0x09) { messageEnd -= 1 }
        let messagePart = UnsafeRawBufferPointer(rebasing: bytes[..<messageEnd])
        if pendingOpen {
            appendPending(messagePart, skipped: line.skippedBytes, newline: true)
            pendingOpen = false
            try pending.withBytes { message in
                try emitSimple(message: message, trailer: trailer, firstLine: pendingFirstLine, lastLine: line.number,
                               skipped: pendingSkipped, emit)
            }
        } else {
            try emitSimple(message: messagePart, trailer: trailer, firstLine: line.number, lastLine: line.number,
                           skipped: line.skippedBytes, emit)
        }
    }

    /// Where a valid `$$<…>` trailer starts, searching back from the end of the line.
    @inline(__always)
    private func simpleTrailerStart(in bytes: UnsafeRawBufferPointer) -> Int? {
        // The last `$$<`: find its second `$` from the end.
        var upper = bytes.count - 1
        while let dollar = lastIndex(of: UInt8(ascii: "$"), in: bytes, from: 1, to: upper) {
            if bytes[dollar - 1] == UInt8(ascii: "$") && bytes[dollar + 1] == UInt8(ascii: "<") {
                let index = dollar - 1
                simpleGroups = TrailerReader.simple(UnsafeRawBufferPointer(rebasing: bytes[index...]))
                return simpleGroups != nil ? index : nil
            }
            upper = dollar
        }
        return nil
    }

    /// Emits a simple record; `trailer` was matched by `simpleTrailerStart` just before.
    private func emitSimple(message: UnsafeRawBufferPointer, trailer: UnsafeRawBufferPointer,
                            firstLine: Int, lastLine: Int, skipped: Int, _ emit: (Record) throws -> Void) rethrows {
        guard let groups = simpleGroups else { return }  // never: the trailer was just read
        let date = slice(trailer, groups.date)
        let time = slice(trailer, groups.time)
        var record = Record(input: input, line: firstLine, endLine: lastLine, format: .simple, message: message,
                            component: slice(trailer, groups.component),
                            thread: parseInt(slice(trailer, groups.thread)),
                            severity: severityFromText(message), dateText: date, timeText: time,
                            timestamp: LogTimestamp.parse(date: date, time: time), skippedBytes: skipped, isComplete: true)
        try deliver(&record, emit)
    }

    // MARK: Copy form and plain

    private func acceptCopy(_ line: Line, _ emit: (Record) throws -> Void) rethrows {
        let bytes = line.bytes
        guard copyLine.matches(bytes) else {
            if !isBlank(bytes) { noteUnrecognized(line) }
            return
        }
        let message = slice(bytes, copyLine.range(1))
        let date = slice(bytes, copyLine.range(3))
        let time = slice(bytes, copyLine.range(4))
        var record = Record(input: input, line: line.number, endLine: line.number, format: .copy, message: message,
                            component: slice(bytes, copyLine.range(2)), thread: parseInt(slice(bytes, copyLine.range(5))),
                            severity: severityFromText(message),
                            dateText: date, timeText: time,
                            timestamp: CopyFormTime.parse(date: date, time: time, bias: assumedBias, dayFirst: &copyDayFirst),
                            skippedBytes: line.skippedBytes, isComplete: true)
        try deliver(&record, emit)
    }

    private func acceptPlain(_ line: Line, _ emit: (Record) throws -> Void) rethrows {
        let bytes = line.bytes
        if isBlank(bytes) { return }
        var record = Record(input: input, line: line.number, endLine: line.number, format: .plain, message: bytes,
                            component: Markers.empty, thread: nil, severity: severityFromText(bytes),
                            dateText: Markers.empty, timeText: Markers.empty, timestamp: nil, skippedBytes: line.skippedBytes, isComplete: true)
        try deliver(&record, emit)
    }

    // MARK: Shared

    @inline(__always)
    private func deliver(_ record: inout Record, _ emit: (Record) throws -> Void) rethrows {
        if record.timestamp != nil && record.timestamp!.bias == nil {
            if let assumedBias {
                record.timestamp!.bias = assumedBias
            } else if let zone {
                record.timestamp!.bias = zone.bias(forLocal: record.timestamp!.local, after: lastZonedUTC)
                record.timestamp!.biasFromZone = true
                lastZonedUTC = record.timestamp!.utc
            }
        }
        if let timestamp = record.timestamp, timestamp.bias != nil, timestamp.utc == nil {
            // Out of years 1-9999 with its bias: unreadable, like a date that names no day.
            record.timestamp = nil
            outOfRangeTimes += 1
        }
        tally.count(record)
        try emit(record)
    }

    private func openPending(at number: Int) {
        pending.removeAll()
        pendingOpen = true
        pendingFirstLine = number
        pendingLastLine = number
        pendingSkipped = 0
    }

    private func appendPending(_ bytes: UnsafeRawBufferPointer, skipped: Int, newline: Bool = false) {
        pendingSkipped += skipped
        if newline { pendingSkipped += pending.append(Markers.newline) }
        pendingSkipped += pending.append(bytes)
    }

    /// Hands on the open record without metadata: its end never came.
    private func emitPending(complete: Bool, _ emit: (Record) throws -> Void) rethrows {
        pendingOpen = false
        let format = self.format ?? .plain
        try pending.withBytes { message in
            var record = Record(input: input, line: pendingFirstLine, endLine: pendingLastLine, format: format,
                                message: message, component: Markers.empty, thread: nil,
                                severity: severityFromText(message), dateText: Markers.empty, timeText: Markers.empty, timestamp: nil,
                                skippedBytes: pendingSkipped, isComplete: complete)
            try deliver(&record, emit)
        }
    }

    private func noteUnrecognized(_ line: Line) {
        if isBlank(line.bytes) { return }
        unrecognizedLines += 1
        if unrecognizedSamples.count < 10 { unrecognizedSamples.append(line.number) }
    }

    @inline(__always)
    private func severityFromText(_ message: UnsafeRawBufferPointer) -> Severity {
        SeverityScanner.severity(of: message)
    }
}

@inline(__always)
func slice(_ bytes: UnsafeRawBufferPointer, _ range: Range<Int>?) -> UnsafeRawBufferPointer {
    guard let range else { return Markers.empty }
    return UnsafeRawBufferPointer(rebasing: bytes[range])
}

@inline(__always)
func parseInt(_ bytes: UnsafeRawBufferPointer) -> Int? {
    guard !bytes.isEmpty, bytes.count <= 18 else { return nil }
    var value = 0
    for byte in bytes {
        guard byte >= 0x30 && byte <= 0x39 else { return nil }
        value = value * 10 + Int(byte - 0x30)
    }
    return value
}

@inline(__always)
func bytesMatch(_ bytes: UnsafeRawBufferPointer, at index: Int, _ literal: StaticBytes) -> Bool {
    guard index >= 0, index + literal.count <= bytes.count else { return false }
    for offset in 0..<literal.count where bytes[index + offset] != literal[offset] { return false }
    return true
}

/// Whether a CMTrace trailer ends with its `>` (trailing blanks aside).
func isClosedTrailer(_ bytes: UnsafeRawBufferPointer) -> Bool {
    var end = bytes.count
    while end > 0 && (bytes[end - 1] == 0x20 || bytes[end - 1] == 0x09) { end -= 1 }
    return end > 0 && bytes[end - 1] == UInt8(ascii: ">")
}

func isBlank(_ bytes: UnsafeRawBufferPointer) -> Bool {
    for byte in bytes where byte != 0x20 && byte != 0x09 && byte != 0x0D { return false }
    return true
}

extension UnsafeRawBufferPointer {
    @inline(__always)
    func starts(with literal: StaticBytes) -> Bool { bytesMatch(self, at: 0, literal) }
}
