import LogInput
import LogRules
import LogAnalysis
/// Everything a review concluded: the facts the analysis stages found, the
/// findings decided from them, and the verdict. The text and JSON reports are
/// written from it (docs/report-json.md documents the JSON). The facts' fields
/// read as the report's own (`report.sync`, `report.inputs`).
@dynamicMemberLookup
package struct Report: Sendable {
    /// 2: times on a server's local clock are written without an offset, and `clock` says which; several servers' reports sit in `servers`.
    package static let schemaVersion = 2

    package var facts = AnalysisFacts()
    package var verdict: Verdict = .noData
    package var findings: [Finding] = []

    package init() {}

    package subscript<Value>(dynamicMember path: WritableKeyPath<AnalysisFacts, Value>) -> Value {
        get { facts[keyPath: path] }
        set { facts[keyPath: path] = newValue }
    }

    /// Findings most severe first, then by id, then by first time.
    package mutating func sortFindings() {
        findings.sort { lhs, rhs in
            if lhs.severity != rhs.severity { return lhs.severity > rhs.severity }
            if lhs.id != rhs.id { return lhs.id < rhs.id }
            return (lhs.first ?? Instant(ticks: .min)) < (rhs.first ?? Instant(ticks: .min))
        }
    }
}
