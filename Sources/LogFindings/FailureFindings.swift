import LogInput
import LogRules
import LogAnalysis
import Foundation

/// Decides the failure findings: `upload-unauthorized`, `onboarding-rejected`,
/// `notification-unauthorized`, `http-error`, `service-unreachable`,
/// `upload-exception`. The reset remediation is Microsoft's documented fix
/// for these data synchronization failures.
package enum FailureFindings {
    static let documentedReset = "Microsoft documents this as a data synchronization failure that needs the tenant attach configuration reset: offboard the hierarchy, wait at least two hours for the service to clean up, then onboard again. One documented cause is onboarding a hierarchy that is already onboarded."

    /// Which finding an HTTP failure is: the documented cases by endpoint and
    /// status, a proxy's 407 as a network failure, anything else `http-error`.
    /// `review` and `tail` both decide by this.
    package static func findingID(endpoint: Endpoint, status: Int) -> FindingID {
        switch (endpoint, status) {
        case (.upload, 401), (.other, 401): .uploadUnauthorized
        case (.onboarding, 400): .onboardingRejected
        case (.notification, 401): .notificationUnauthorized
        case (_, 407): .serviceUnreachable
        default: .httpError
        }
    }

    static func decide(_ collected: FailureFacts) -> [Finding] {
        var findings: [Finding] = []
        for key in collected.httpOrder {
            guard let seen = collected.http[key] else { continue }
            let activity = collected.activityIDs[key].map { " Activity IDs: \($0.joined(separator: ", "))." } ?? ""
            let span = spanText(seen)
            switch findingID(endpoint: key.endpoint, status: key.status) {
            case .uploadUnauthorized:
                findings.append(seen.finding(
                    id: .uploadUnauthorized, severity: .error,
                    title: "Device upload rejected: 401 Unauthorized",
                    detail: "The gateway answered 401 (Unauthorized) to \(seen.count) upload request\(seen.count == 1 ? "" : "s")\(span).\(activity)",
                    remediation: documentedReset + " Quote the activity IDs if you open a case with Microsoft."))
            case .onboardingRejected:
                findings.append(seen.finding(
                    id: .onboardingRejected, severity: .error,
                    title: "Onboarding rejected: 400 Bad Request from AccountOnboardingInfo",
                    detail: "The gateway answered 400 (Bad Request) to \(seen.count) onboarding request\(seen.count == 1 ? "" : "s")\(span).\(activity)",
                    remediation: documentedReset))
            case .notificationUnauthorized:
                findings.append(seen.finding(
                    id: .notificationUnauthorized, severity: .error,
                    title: "Device action notifications rejected: 401 from the Notification endpoint",
                    detail: "The gateway answered 401 (Unauthorized) to \(seen.count) request\(seen.count == 1 ? "" : "s") for new notifications\(span); while this lasts the service connection point gets no device actions from the admin center.\(activity)",
                    remediation: documentedReset))
            default:
                findings.append(seen.finding(
                    id: .httpError, severity: .error,
                    title: "The gateway answered HTTP \(key.status) (\(key.endpoint.rawValue) endpoint)",
                    detail: "\(seen.count) request\(seen.count == 1 ? "" : "s") to the \(key.endpoint.rawValue) endpoint failed with HTTP \(key.status)\(span).\(activity)",
                    remediation: "Microsoft documents 400 from onboarding and 401 from upload and notification requests (fixed by resetting tenant attach); it documents nothing for HTTP \(key.status) here. Read the lines around the evidence, and quote the activity IDs if you open a case with Microsoft."))
            }
        }
        if !collected.network.isEmpty {
            var all = Occurrences(limit: collected.evidenceLimit)
            var causes: [String] = []
            for cause in collected.network.keys.sorted() {
                let seen = collected.network[cause]!
                let hosts = collected.networkHosts[cause].map { " (" + $0.sorted().joined(separator: ", ") + ")" } ?? ""
                causes.append("\(causeName(cause))\(hosts): \(seen.count)")
            }
            for cause in collected.network.keys.sorted() {
                for item in collected.network[cause]!.sample { all.add(item, at: nil) }
            }
            let first = collected.network.values.compactMap(\.first).min()
            let last = collected.network.values.compactMap(\.last).max()
            let count = collected.network.values.reduce(0) { $0 + $1.count }
            findings.append(Finding(
                id: .serviceUnreachable, severity: .error,
                title: "The service connection point could not reach the cloud service",
                detail: "\(count) network failure\(count == 1 ? "" : "s"): \(causes.joined(separator: "; ")).",
                remediation: "Microsoft documents two internet endpoints the service connection point must reach: https://aka.ms/configmgrgateway and https://*.manage.microsoft.com. Check name resolution for the host named, the firewall, and the proxy the site system uses. The failure messages are .NET's own; the tenant attach documentation does not list them.",
                count: count, first: first, last: last, evidence: Array(all.sample.prefix(collected.evidenceLimit))))
        }

        for key in collected.exceptionOrder {
            guard let group = collected.exceptions[key] else { continue }
            let seen = group.occurrences
            let explained = group.explanation.map { " \(key.hresult): \($0)." } ?? (key.hresult.isEmpty ? "" : " \(key.hresult) is not in cmlogcheck's HRESULT table.")
            let logs = group.logs.filter { $0 != .unknown }.map(\.rawValue).sorted().joined(separator: ", ")
            findings.append(seen.finding(
                id: .uploadException, severity: group.worst,
                title: "\(key.type) \(key.hresult)".trimmingCharacters(in: .whitespaces) + " in the service connector",
                detail: "\(seen.count) exception\(seen.count == 1 ? "" : "s")\(logs.isEmpty ? "" : " in \(logs)")\(spanText(seen)): \(group.message)\(explained)",
                remediation: "Microsoft's tenant attach documentation does not cover this exception. Read the log around the evidence for the request or step that failed; if it repeats in every cycle, the upload is not getting through."))
        }
        return findings
    }

    package static func causeName(_ cause: String) -> String {
        switch cause {
        case "name-resolution": "name resolution failed"
        case "connect": "could not connect"
        case "timeout": "timed out"
        case "proxy": "proxy failure"
        case "tls": "TLS or connection closed"
        default: cause
        }
    }

    static func spanText(_ seen: Occurrences) -> String {
        guard let first = seen.first, let last = seen.last else { return "" }
        return first == last ? " at \(first.iso8601)" : " between \(first.iso8601) and \(last.iso8601)"
    }
}
