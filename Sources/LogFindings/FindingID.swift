import LogInput
import LogRules
import LogAnalysis
/// Every finding cmlogcheck can raise, by its stable id (docs/findings.md).
/// Review findings and tail alerts share these ids: an admin who runs both
/// sees one name for one problem.
package enum FindingID: String, CaseIterable, Sendable, Comparable, Codable, CustomStringConvertible {
    // Upload timeline.
    case noSyncActivity = "no-sync-activity"
    case syncStalled = "sync-stalled"
    case syncLate = "sync-late"
    case nextRunUnreadable = "next-run-unreadable"
    // Failures on the service connection point.
    case uploadUnauthorized = "upload-unauthorized"
    case onboardingRejected = "onboarding-rejected"
    case notificationUnauthorized = "notification-unauthorized"
    case httpError = "http-error"
    case serviceUnreachable = "service-unreachable"
    case uploadException = "upload-exception"
    // Failures whose cause and fix are written down (documented-knowledge.md; KnownFailureFindings).
    case signingCertificateMismatch = "signing-certificate-mismatch"
    case sqlConnectionClosed = "sql-connection-closed"
    case adminServiceUPNMismatch = "adminservice-upn-mismatch"
    case adminServiceSQLTimeout = "adminservice-sql-timeout"
    case providerForbidden = "provider-forbidden"
    case endpointCheckFailed = "endpoint-check-failed"
    case tlsFailure = "tls-failure"
    case pushPartiallyFailed = "push-partially-failed"
    // Device actions.
    case actionUnauthorized = "action-unauthorized"
    case actionNotForwarded = "action-not-forwarded"
    case actionNotDelivered = "action-not-delivered"
    // Devices (`--inventory`).
    case deviceSharedDPCertificate = "device-shared-dp-certificate"
    case deviceEvidenceConflict = "device-evidence-conflict"
    case deviceNotInCloud = "device-not-in-cloud"
    case deviceNoDistributionPoint = "device-no-distribution-point"
    // Everything else the logs call an error.
    case unrecognizedErrors = "unrecognized-errors"

    package static func < (lhs: FindingID, rhs: FindingID) -> Bool { lhs.rawValue < rhs.rawValue }

    /// The documented id, so that a report interpolating a finding's id writes `http-error`, not the case name.
    package var description: String { rawValue }
}
