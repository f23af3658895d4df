import LogMatching
/// The two ConfigMgr on-disk formats, and the two shapes pasted text arrives in.
package enum LogFormat: String, Sendable, CaseIterable, Codable {
    /// `<![LOG[message]LOG]!><time="…" date="…" component="…" … type="1" thread="…" file="…">`
    case cmtrace
    /// `message  $$<component><02-28-2020 16:20:31.497+480><thread=6344 (0x18C8)>`
    case simple
    /// CMTrace's copy form: `message<TAB>component<TAB>date time<TAB>thread`
    case copy
    /// Bare messages, one per line, no metadata.
    case plain
}

package enum Severity: Int, Comparable, Sendable, Codable {
    case info = 1, warning = 2, error = 3

    package static func < (a: Severity, b: Severity) -> Bool { a.rawValue < b.rawValue }

    package var name: String {
        switch self {
        case .info: "info"
        case .warning: "warning"
        case .error: "error"
        }
    }

    package init?(name: String) {
        switch name.lowercased() {
        case "info", "information": self = .info
        case "warning", "warn": self = .warning
        case "error": self = .error
        default: return nil
        }
    }

    /// CMTrace's `type` attribute: 1 information, 2 warning, 3 error; 0 (success) reads as information.
    init?(cmtraceType bytes: UnsafeRawBufferPointer) {
        guard bytes.count == 1 else { return nil }
        switch bytes[0] {
        case UInt8(ascii: "0"), UInt8(ascii: "1"): self = .info
        case UInt8(ascii: "2"): self = .warning
        case UInt8(ascii: "3"): self = .error
        default: return nil
        }
    }
}

/// One log record, as framed from one or more physical lines.
/// Its byte fields are borrowed: valid only while the handler that receives
/// the record runs. Copy what you keep.
package struct Record {
    /// Index of the input in the reading session's input list.
    package var input: Int
    /// First and last physical line of the record.
    package var line: Int
    package var endLine: Int
    package var format: LogFormat
    /// The message, its physical lines joined with `\n`.
    package var message: UnsafeRawBufferPointer
    package var component: UnsafeRawBufferPointer
    package var thread: Int?
    package var severity: Severity
    /// The date and time as written (`02-28-2020`, `16:20:31.497+480`), empty when absent.
    package var dateText: UnsafeRawBufferPointer
    package var timeText: UnsafeRawBufferPointer
    package var timestamp: LogTimestamp?
    /// Bytes of this record dropped because it exceeded the record cap.
    package var skippedBytes: Int
    /// False for a record cut off: the input ended, or a new record began, before its end.
    package var isComplete: Bool

    package var utc: Instant? { timestamp?.utc }
    /// The time on the record's own clock (`LogClock`): UTC when known, else the server's local wall clock.
    package var time: Instant? { timestamp?.time }

    /// A record of a timed format cut off before its trailer (a live copy ends mid-record): it
    /// has no time of its own, so it must open no cycle and replace nothing the log said before.
    package var isCutOffWithoutTime: Bool {
        !isComplete && timestamp == nil && (format == .cmtrace || format == .simple)
    }
}
