import LogInput
import LogRules
import LogAnalysis
import LogFindings
/// Writes records as JSON Lines, one object per record, in the shape
/// documented in docs/records.md. Keys always appear, in this order.
package struct RecordLineWriter {
    package let output: Output
    private let inputNames: [[UInt8]]
    private let inputKinds: [String]

    package init(output: Output, inputs: [InputSummary]) {
        self.output = output
        inputNames = inputs.map { Array($0.name.utf8) }
        inputKinds = inputs.map { $0.kind.rawValue }
    }

    package func write(_ record: Record) {
        let out = output
        out.write("{\"input\":")
        inputNames[record.input].withUnsafeBytes { out.write(jsonString: $0) }
        out.write(",\"log\":\"")
        // Piped input says its log record by record, through the component, as a review reads it.
        if inputKinds[record.input] == LogKind.unknown.rawValue, let named = LogKind(component: record.component) {
            out.write(named.rawValue)
        } else {
            out.write(inputKinds[record.input])
        }
        out.write("\",\"line\":")
        out.write(int: record.line)
        out.write(",\"endLine\":")
        out.write(int: record.endLine)
        out.write(",\"format\":\"")
        out.write(record.format.rawValue)
        out.write("\",\"component\":")
        out.write(jsonString: record.component)
        out.write(",\"thread\":")
        if let thread = record.thread { out.write(int: thread) } else { out.write("null") }
        out.write(",\"severity\":\"")
        out.write(record.severity.name)
        out.write("\",\"localTime\":")
        if record.dateText.isEmpty && record.timeText.isEmpty {
            out.write("null")
        } else {
            Self.writeLocalTime(date: record.dateText, time: record.timeText, to: out)
        }
        out.write(",\"bias\":")
        if let bias = record.timestamp?.bias { out.write(int: bias) } else { out.write("null") }
        out.write(",\"utc\":")
        if let utc = record.utc { out.write(instant: utc) } else { out.write("null") }
        out.write(",\"complete\":")
        out.write(record.isComplete ? "true" : "false")
        out.write(",\"skippedBytes\":")
        out.write(int: record.skippedBytes)
        out.write(",\"message\":")
        out.write(jsonString: record.message)
        out.write(ToolVersion.jsonLineEnd)
    }

    /// `"02-28-2020 16:20:31.497"`: the date and time as written, without the bias.
    static func writeLocalTime(date: UnsafeRawBufferPointer, time: UnsafeRawBufferPointer, to out: Output) {
        var end = time.count
        while end > 0, time[end - 1] >= 0x30 && time[end - 1] <= 0x39 { end -= 1 }
        if end > 0, time[end - 1] == UInt8(ascii: "+") || time[end - 1] == UInt8(ascii: "-") { end -= 1 } else { end = time.count }
        out.write(byte: UInt8(ascii: "\""))
        out.write(jsonEscaped: date)
        if !date.isEmpty { out.write(byte: 0x20) }
        out.write(jsonEscaped: UnsafeRawBufferPointer(rebasing: time[..<end]))
        out.write(byte: UInt8(ascii: "\""))
    }
}
