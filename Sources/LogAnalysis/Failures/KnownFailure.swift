import LogInput
import LogRules
/// A failure whose cause and fix are written down (documented-knowledge.md): the `kind`
/// a `failure.known` rule names, and the push status report with failed clients. The
/// raw value is the finding id it supports, except `notificationIgnored`, which is only
/// the line before a failure (`Error occured when process notification …`) and supports none.
package enum KnownFailure: String, CaseIterable, Sendable {
    case signingCertificateMismatch = "signing-certificate-mismatch"
    case sqlConnectionClosed = "sql-connection-closed"
    case adminServiceUPNMismatch = "adminservice-upn-mismatch"
    case adminServiceSQLTimeout = "adminservice-sql-timeout"
    case providerForbidden = "provider-forbidden"
    case endpointCheckFailed = "endpoint-check-failed"
    case tlsFailure = "tls-failure"
    case pushPartiallyFailed = "push-partially-failed"
    case notificationIgnored = "notification-ignored"

    /// Whether it is a failure of its own (every kind but the line before one).
    package var isFailure: Bool { self != .notificationIgnored }
}

/// What the known failures of one kind hold: their occurrences, where, and the parts that
/// tell them apart (an endpoint check's HTTP status or status message, a provider's host,
/// a push's counts), each counted in the order first seen.
package struct KnownFailureGroup: Sendable {
    package var occurrences: Occurrences
    package var logs: Set<LogKind> = []
    /// `http:407`, `timeout`, `tls`, `message:11412`, `host:provider.contoso.com`, and so on.
    package var parts: [String: Int] = [:]
    package var partOrder: [String] = []
    /// Push status reports with failed clients, earliest first.
    package var pushes: [PushReport] = []
    /// `Error occured when process notification …` lines that came right before these failures.
    package var ignoredNotifications = 0
    /// Those lines, as evidence beside the failures' own (bounded).
    package var context: [Evidence] = []

    package init(limit: Int) { occurrences = Occurrences(limit: limit) }

    mutating func count(part: String) {
        if parts[part] == nil { partOrder.append(part) }
        parts[part, default: 0] += 1
    }
}

/// One `Generated BGB task status report` line, with the counts it gives.
package struct PushReport: Sendable, Equatable {
    package var pushId: String
    package var reported: Int
    package var failed: Int
    package var time: Instant?
    package var evidence: Evidence

    package init(pushId: String, reported: Int, failed: Int, time: Instant?, evidence: Evidence) {
        self.pushId = pushId; self.reported = reported; self.failed = failed; self.time = time; self.evidence = evidence
    }
}

extension KnownFailure {
    /// The part of a known failure that tells it apart from others of its kind, if any.
    static func part(of event: Event) -> String? {
        if let status = event["status"] { return "http:\(status)" }
        if let code = event["code"] { return "message:\(code)" }
        if let cause = event["cause"], cause != "http", cause != "status-message" { return cause }
        return nil
    }
}
