import LogInput
import LogRules
import LogAnalysis
/// A conclusion the review draws, with what supports it and what to do.
package struct Finding: Sendable {
    /// Stable id, documented in docs/findings.md.
    package var id: FindingID
    package var severity: Severity
    package var title: String
    package var detail: String
    package var remediation: String
    package var count: Int
    package var first: Instant?
    package var last: Instant?
    package var evidence: [Evidence]
    /// How the strongest line behind the finding is known: the best provenance among the
    /// rules that recognised its evidence; nil when no rule did (cmlogcheck's own reading,
    /// such as a late cycle). Set by `FindingBasis` once the finding is decided.
    package var basis: Provenance?

    package init(id: FindingID, severity: Severity, title: String, detail: String, remediation: String,
                count: Int, first: Instant?, last: Instant?, evidence: [Evidence]) {
        self.id = id; self.severity = severity; self.title = title; self.detail = detail
        self.remediation = remediation; self.count = count; self.first = first; self.last = last
        self.evidence = evidence
    }
}

/// The overall answer.
package enum Verdict: String, Sendable {
    case healthy, degraded, failing
    case noData = "no-data"

    /// failing on any error finding, degraded on any warning, healthy when
    /// anything was recognised, no-data when nothing was.
    package static func of(_ findings: [Finding], recognizedEvents: Int) -> Verdict {
        if findings.contains(where: { $0.severity == .error }) { return .failing }
        if findings.contains(where: { $0.severity == .warning }) { return .degraded }
        return recognizedEvents > 0 ? .healthy : .noData
    }
}
