import LogMatching
import LogInput
/// A record that a rule recognised: what happened, when, where, with the
/// fields the rule's named groups captured. Events are few (documented lines
/// among many ordinary ones), so they own their text.
package struct Event: Sendable {
    package var type: EventType
    package var rule: String
    /// How the line the rule reads is known (documented, seen, reported, assumed).
    package var provenance: Provenance
    /// Index of the input, and its name for evidence.
    package var input: Int
    package var inputName: String
    /// The log the event belongs to: the input's, or the rule's when the input does not say.
    package var log: LogKind
    package var line: Int
    package var endLine: Int
    package var time: Instant?
    package var timestamp: LogTimestamp?
    package var thread: Int?
    package var severity: Severity
    package var fields: EventFields
    /// The record's message (capped), for evidence.
    package var text: String

    package init(type: EventType, rule: String, provenance: Provenance, input: Int, inputName: String, log: LogKind, line: Int, endLine: Int,
                time: Instant?, timestamp: LogTimestamp?, thread: Int?, severity: Severity, fields: EventFields, text: String) {
        self.type = type; self.rule = rule; self.provenance = provenance; self.input = input; self.inputName = inputName; self.log = log
        self.line = line; self.endLine = endLine; self.time = time; self.timestamp = timestamp; self.thread = thread
        self.severity = severity; self.fields = fields; self.text = text
    }

    /// The clock `time` is on: UTC, or the server's local wall clock (`LogClock`).
    package var clock: LogClock? { timestamp?.clock }

    package subscript(field: String) -> String? {
        guard let value = fields[field], !value.isEmpty else { return nil }
        return value
    }

    /// A field read as a whole number, capped at `limit`: log text may hold any
    /// number of digits, and sums of counts must never overflow.
    package func number(_ field: String, limit: Int = 1_000_000_000) -> Int? {
        guard let text = self[field], text.utf8.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }) else { return nil }
        return text.utf8.count > 10 ? limit : min(Int(text) ?? limit, limit)
    }

    /// Where the event was read, for a report's evidence.
    package var evidence: Evidence { Evidence(input: inputName, line: line, text: text, rule: rule, provenance: provenance) }
}

/// A piece of log that supports a finding: input name, line number, text, and
/// the rule that recognised the line, when a rule did (cmlogcheck's own lines,
/// such as a cycle's summary or an inventory row, have none).
package struct Evidence: Sendable, Equatable, Codable {
    package var input: String
    package var line: Int
    package var text: String
    package var rule: String?
    package var provenance: Provenance?

    package init(input: String, line: Int, text: String, rule: String? = nil, provenance: Provenance? = nil) {
        self.input = input
        self.line = line
        self.text = text
        self.rule = rule
        self.provenance = provenance
    }
}
