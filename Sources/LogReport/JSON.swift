import LogInput
import LogRules
import LogAnalysis
import LogFindings
/// A JSON value whose objects keep their keys in the order written, so the
/// report's shape is stable and reads in a sensible order.
package indirect enum JSON: Sendable, Equatable {
    case null
    case bool(Bool)
    case int(Int)
    case number(Double)
    case string(String)
    case array([JSON])
    case object([(String, JSON)])
    /// An array made while it is written: the report's cycles, read from their spool one
    /// at a time, so a report of years never holds them all (`JSONStream`).
    case stream(JSONStream)

    package static func == (lhs: JSON, rhs: JSON) -> Bool {
        switch (lhs, rhs) {
        case (.null, .null): return true
        case let (.bool(a), .bool(b)): return a == b
        case let (.int(a), .int(b)): return a == b
        case let (.number(a), .number(b)): return a == b
        case let (.string(a), .string(b)): return a == b
        case let (.array(a), .array(b)): return a == b
        case let (.object(a), .object(b)): return a.count == b.count && zip(a, b).allSatisfy { $0.0 == $1.0 && $0.1 == $1.1 }
        case let (.stream(a), _): return JSON.array(a.elements) == rhs
        case let (_, .stream(b)): return lhs == JSON.array(b.elements)
        default: return false
        }
    }

    /// A time on the clock of the report being written (`Findings.clock`: UTC unless the logs carry no bias).
    package static func time(_ instant: Instant?) -> JSON { time(instant, Findings.clock) }

    /// A time on `clock`: ISO 8601 with `Z` for UTC, without an offset for a server's local clock.
    package static func time(_ instant: Instant?, _ clock: LogClock) -> JSON {
        instant.map { .string(TimeText.iso8601($0, on: clock)) } ?? .null
    }
    package static func string(_ text: String?) -> JSON { text.map { JSON.string($0) } ?? .null }
    package static func int(_ value: Int?) -> JSON { value.map { JSON.int($0) } ?? .null }

    /// An array of `elements`' values, made as it is written.
    package static func stream<S: Sequence & Sendable>(_ elements: S, _ value: @escaping @Sendable (S.Element) -> JSON) -> JSON {
        .stream(JSONStream { each in for element in elements { each(value(element)) } })
    }

    /// Writes the value, pretty-printed with two-space indents.
    package func write(to out: Output, indent: Int = 0) {
        var writer = JSONBytes(out)
        writer.value(self, indent: indent)
        writer.flush()
    }
}

/// Renders JSON into a local byte buffer and hands it to the `Output` in
/// large pieces: a report holds hundreds of thousands of values, and a
/// buffer of the writer's own costs no call and no exclusivity check per byte.
struct JSONBytes {
    private let out: Output
    private var bytes: [UInt8] = []
    private static let spaces = [UInt8](repeating: UInt8(ascii: " "), count: 64)

    init(_ out: Output) {
        self.out = out
        bytes.reserveCapacity(64 * 1024 + 4096)
    }

    mutating func flush() {
        bytes.withUnsafeBytes { out.write(bytes: $0) }
        bytes.removeAll(keepingCapacity: true)
    }

    private mutating func flushIfFull() { if bytes.count >= 64 * 1024 { flush() } }

    private mutating func literal(_ text: StaticString) {
        text.withUTF8Buffer { bytes.append(contentsOf: $0) }
    }

    private mutating func indent(_ level: Int) {
        var left = 2 * level
        while left > 0 {
            let now = Swift.min(left, Self.spaces.count)
            bytes.append(contentsOf: Self.spaces[..<now])
            left -= now
        }
    }

    private mutating func string(_ text: String) {
        bytes.append(UInt8(ascii: "\""))
        var text = text
        text.withUTF8 { JSONEscaping.append(UnsafeRawBufferPointer($0), to: &bytes) }
        bytes.append(UInt8(ascii: "\""))
    }

    mutating func value(_ value: JSON, indent level: Int) {
        switch value {
        case .null: literal("null")
        case .bool(let flag): flag ? literal("true") : literal("false")
        case .int(let number): JSONEscaping.appendInt(number, to: &bytes)
        case .number(let number):
            if number.isFinite {
                let text = number == number.rounded() && abs(number) < 1e15 ? String(Int(number)) : String(number)
                bytes.append(contentsOf: text.utf8)
            } else {
                literal("null")
            }
        case .string(let text): string(text)
        case .array(let items):
            guard !items.isEmpty else { literal("[]"); return }
            literal("[\n")
            for (index, item) in items.enumerated() {
                indent(level + 1)
                self.value(item, indent: level + 1)
                index == items.count - 1 ? literal("\n") : literal(",\n")
            }
            indent(level)
            bytes.append(UInt8(ascii: "]"))
        case .stream(let stream):
            var first = true
            stream.each { item in
                first ? literal("[\n") : literal(",\n")
                first = false
                indent(level + 1)
                self.value(item, indent: level + 1)
                flushIfFull()
            }
            if first {
                literal("[]")
            } else {
                literal("\n")
                indent(level)
                bytes.append(UInt8(ascii: "]"))
            }
        case .object(let members):
            guard !members.isEmpty else { literal("{}"); return }
            literal("{\n")
            for (index, (key, member)) in members.enumerated() {
                indent(level + 1)
                string(key)
                literal(": ")
                self.value(member, indent: level + 1)
                index == members.count - 1 ? literal("\n") : literal(",\n")
            }
            indent(level)
            bytes.append(UInt8(ascii: "}"))
        }
        flushIfFull()
    }
}

/// The elements of a streamed JSON array: a function that hands each to `each`, in
/// order, every time it is called (a report written in two formats walks it twice).
package struct JSONStream: Sendable {
    package let each: @Sendable ((JSON) -> Void) -> Void

    package init(_ each: @escaping @Sendable ((JSON) -> Void) -> Void) { self.each = each }

    /// Every element at once, for comparing and for tests: not for writing a large report.
    package var elements: [JSON] {
        nonisolated(unsafe) var all: [JSON] = []
        each { all.append($0) }
        return all
    }
}
