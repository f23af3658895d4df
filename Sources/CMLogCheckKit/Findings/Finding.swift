/// A conclusion the review draws, with what supports it and what to do.
public struct Finding: Sendable {
    /// Stable id, documented in docs/findings.md.
    public var id: String
    public var severity: Severity
    public var title: String
    public var detail: String
    public var remediation: String
    public var count: Int
    public var first: Instant?
    public var last: Instant?
    public var evidence: [Evidence]

    public init(id: String, severity: Severity, title: String, detail: String, remediation: String,
                count: Int, first: Instant?, last: Instant?, evidence: [Evidence]) {
        self.id = id; self.severity = severity; self.title = title; self.detail = detail
        self.remediation = remediation; self.count = count; self.first = first; self.last = last
        self.evidence = evidence
    }
}

/// Gathers the occurrences behind one finding: how many, first and last time,
/// and a bounded sample of evidence (the first few and the last one).
public struct Occurrences: Sendable {
    public private(set) var count = 0
    public private(set) var first: Instant?
    public private(set) var last: Instant?
    public private(set) var evidence: [Evidence] = []
    private var latest: Evidence?
    let limit: Int

    public init(limit: Int = 5) { self.limit = max(1, limit) }

    public mutating func add(_ event: Event) { add(event.evidence, at: event.time) }

    public mutating func add(_ item: Evidence, at time: Instant?) {
        count += 1
        if let time {
            if first == nil || time < first! { first = time }
            if last == nil || time > last! { last = time }
        }
        if evidence.count < limit - 1 { evidence.append(item) } else { latest = item }
    }

    /// Evidence to show: the first few, then the latest.
    public var sample: [Evidence] {
        guard let latest else { return evidence }
        return evidence + [latest]
    }

    public func finding(id: String, severity: Severity, title: String, detail: String, remediation: String) -> Finding {
        Finding(id: id, severity: severity, title: title, detail: detail, remediation: remediation,
                count: count, first: first, last: last, evidence: sample)
    }
}

/// The overall answer.
public enum Verdict: String, Sendable {
    case healthy, degraded, failing
    case noData = "no-data"

    /// failing on any error finding, degraded on any warning, healthy when
    /// anything was recognised, no-data when nothing was.
    public static func of(_ findings: [Finding], recognizedEvents: Int) -> Verdict {
        if findings.contains(where: { $0.severity == .error }) { return .failing }
        if findings.contains(where: { $0.severity == .warning }) { return .degraded }
        return recognizedEvents > 0 ? .healthy : .noData
    }
}
