import LogInput
import LogRules
import LogAnalysis
import LogFindings
import LogReport
/// Writes tail items as text (one line each, for people) or JSON Lines (one
/// object each, keys always present and in the documented order, docs/tail.md).
package final class TailWriter: TailSink {
    package enum Format: String, Sendable {
        case text, jsonl
    }

    package let output: Output
    package let format: Format
    /// Text: show the records themselves instead of words (alerts and notices stay in words).
    package let raw: Bool
    package let style: Style
    package let times: TailTimeFormat
    private let sourceWidth: Int

    package init(output: Output, format: Format, raw: Bool = false, style: Style = Style(enabled: false),
                times: TailTimeFormat, sources: [String] = []) {
        self.output = output
        self.format = format
        self.raw = raw
        self.style = style
        self.times = times
        sourceWidth = min(24, sources.map(\.count).max() ?? 0)
    }

    package func flush() { output.flush() }

    /// A closed pipe (`| head`) or a full disk: the session stops reading piped input at once.
    package func check() throws { try output.check() }

    package func emit(_ item: TailItem) {
        switch format {
        case .text: writeText(item)
        case .jsonl: writeJSON(item)
        }
    }

    // MARK: Text

    private func writeText(_ item: TailItem) {
        if item.kind == .summary {
            output.write(style.bold(Terminal.clean(item.summary, limit: 400)) + "\n")
            return
        }
        var body: String
        // Alerts made up by tail (the clock's, an unreadable file) have no record: in words even with --raw.
        if raw && item.kind != .notice && !(item.kind == .alert && item.message == nil) {
            // The record itself. Events made up by tail (a cycle starting) have none.
            guard let message = item.message else { return }
            body = Terminal.clean(message, limit: 2000)
        } else {
            body = Terminal.clean(item.summary, limit: 600)
        }
        switch item.kind {
        case .alert:
            body = style.bold(style.severity(item.severity, (item.severity == .error ? "ALERT " : "WARNING ") + body))
        case .notice:
            body = style.dim(body)
        case .event, .summary:
            body = style.severity(item.severity, body)
        }
        let time = item.time.map { times.local($0) } ?? String(repeating: " ", count: 19)
        let source = Terminal.clean(item.source ?? "", limit: 40).rightPadded(to: sourceWidth)
        output.write("\(style.dim(time))  \(source)  \(body)\n")
    }

    // MARK: JSON Lines

    private func writeJSON(_ item: TailItem) {
        let out = output
        out.write("{\"type\":\"")
        out.write(item.kind.rawValue)
        out.write("\",\"event\":")
        out.write(jsonString: item.event)
        out.write(",\"alert\":")
        if let alert = item.alert { out.write(jsonString: alert) } else { out.write("null") }
        out.write(",\"finding\":")
        writeOptional(item.finding?.rawValue)
        out.write(",\"severity\":\"")
        out.write(item.severity.name)
        out.write("\",\"time\":")
        if let time = item.time { out.write(instant: time) } else { out.write("null") }
        out.write(",\"source\":")
        writeOptional(item.source)
        out.write(",\"input\":")
        writeOptional(item.inputName)
        out.write(",\"log\":")
        writeOptional(item.log.map(\.rawValue))
        out.write(",\"line\":")
        if let line = item.line { out.write(int: line) } else { out.write("null") }
        out.write(",\"history\":")
        out.write(item.history ? "true" : "false")
        out.write(",\"summary\":")
        out.write(jsonString: item.summary)
        out.write(",\"fields\":{")
        for (index, (key, value)) in item.fields.enumerated() {
            if index > 0 { out.write(",") }
            out.write(jsonString: key)
            out.write(":")
            writeCompact(value)
        }
        out.write("},\"message\":")
        writeOptional(item.message)
        out.write(ToolVersion.jsonLineEnd)
    }

    private func writeOptional(_ text: String?) {
        if let text { output.write(jsonString: text) } else { output.write("null") }
    }

    /// A JSON value on one line.
    private func writeCompact(_ value: JSON) {
        switch value {
        case .null, .bool, .int, .number, .string:
            value.write(to: output)
        case .array(let items):
            output.write("[")
            for (index, item) in items.enumerated() {
                if index > 0 { output.write(",") }
                writeCompact(item)
            }
            output.write("]")
        case .stream(let stream):
            writeCompact(.array(stream.elements))
        case .object(let members):
            output.write("{")
            for (index, (key, item)) in members.enumerated() {
                if index > 0 { output.write(",") }
                output.write(jsonString: key)
                output.write(":")
                writeCompact(item)
            }
            output.write("}")
        }
    }
}
