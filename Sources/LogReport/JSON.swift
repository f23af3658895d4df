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

    package static func == (lhs: JSON, rhs: JSON) -> Bool {
        switch (lhs, rhs) {
        case (.null, .null): return true
        case let (.bool(a), .bool(b)): return a == b
        case let (.int(a), .int(b)): return a == b
        case let (.number(a), .number(b)): return a == b
        case let (.string(a), .string(b)): return a == b
        case let (.array(a), .array(b)): return a == b
        case let (.object(a), .object(b)): return a.count == b.count && zip(a, b).allSatisfy { $0.0 == $1.0 && $0.1 == $1.1 }
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
                out.write(String(repeating: "  ", count: indent + 1))
                item.write(to: out, indent: indent + 1)
                out.write(index == items.count - 1 ? "\n" : ",\n")
            }
            out.write(String(repeating: "  ", count: indent) + "]")
        case .object(let members):
            guard !members.isEmpty else { out.write("{}"); return }
            out.write("{\n")
            for (index, (key, value)) in members.enumerated() {
                out.write(String(repeating: "  ", count: indent + 1))
                out.write(jsonString: key)
                out.write(": ")
                value.write(to: out, indent: indent + 1)
                out.write(index == members.count - 1 ? "\n" : ",\n")
            }
            out.write(String(repeating: "  ", count: indent) + "}")
        }
    }
}
