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
        switch self {
        case .null: out.write("null")
        case .bool(let value): out.write(value ? "true" : "false")
        case .int(let value): out.write(int: value)
        case .number(let value):
            if value.isFinite {
                out.write(value == value.rounded() && abs(value) < 1e15 ? String(Int(value)) : String(value))
            } else {
                out.write("null")
            }
        case .string(let value): out.write(jsonString: value)
        case .array(let items):
            guard !items.isEmpty else { out.write("[]"); return }
            out.write("[\n")
            for (index, item) in items.enumerated() {
                JSON.indent(indent + 1, out)
                item.write(to: out, indent: indent + 1)
                out.write(index == items.count - 1 ? "\n" : ",\n")
            }
            JSON.indent(indent, out)
            out.write(byte: UInt8(ascii: "]"))
        case .stream(let stream):
            var first = true
            stream.each { item in
                out.write(first ? "[\n" : ",\n")
                first = false
                JSON.indent(indent + 1, out)
                item.write(to: out, indent: indent + 1)
            }
            if first {
                out.write("[]")
            } else {
                out.write(byte: UInt8(ascii: "\n"))
                JSON.indent(indent, out)
                out.write(byte: UInt8(ascii: "]"))
            }
        case .object(let members):
            guard !members.isEmpty else { out.write("{}"); return }
            out.write("{\n")
            for (index, (key, value)) in members.enumerated() {
                JSON.indent(indent + 1, out)
                out.write(jsonString: key)
                out.write(": ")
                value.write(to: out, indent: indent + 1)
                out.write(index == members.count - 1 ? "\n" : ",\n")
            }
            JSON.indent(indent, out)
            out.write(byte: UInt8(ascii: "}"))
        }
    }

    private static let spaces = [UInt8](repeating: UInt8(ascii: " "), count: 64)

    private static func indent(_ level: Int, _ out: Output) {
        var left = 2 * level
        while left > 0 {
            let now = min(left, spaces.count)
            spaces.withUnsafeBytes { out.write(bytes: UnsafeRawBufferPointer(rebasing: $0[..<now])) }
            left -= now
        }
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
