import LogInput
import LogRules
import LogAnalysis
/// Decides the device action findings from the assembled actions:
/// `action-unauthorized` (one per user and template), `action-not-forwarded`,
/// `action-not-delivered`. 401s from the Notification endpoint are
/// `notification-unauthorized`, decided by `FailureFindings`.
/// Severities and their reasons are in docs/actions.md.
enum ActionFindings {
    /// Microsoft's documented requirements for the user who starts a device action.
    static let documentedPermission = "Microsoft documents that the user who starts a device action must be discovered by both Azure AD user discovery and Active Directory user discovery (a synced user) and must hold the 'Initiate Configuration Manager action' permission under Remote tasks in the admin center."

    static func decide(_ actions: [DeviceAction], coverage: ActionCoverage, settings: AnalysisSettings) -> [Finding] {
        var findings: [Finding] = []
        findings += unauthorized(actions, settings: settings)
        if let finding = notForwarded(actions, settings: settings) { findings.append(finding) }
        if let finding = notDelivered(actions, coverage: coverage, settings: settings) { findings.append(finding) }
        return findings
    }

    struct UserTemplate: Hashable {
        var user: String
        var template: String
    }

    static func unauthorized(_ actions: [DeviceAction], settings: AnalysisSettings) -> [Finding] {
        var groups: [UserTemplate: (seen: Occurrences, tenants: Set<String>)] = [:]
        var order: [UserTemplate] = []
        for action in actions where action.outcome == .unauthorized {
            let key = UserTemplate(user: action.aadUserId?.lowercased() ?? "unknown", template: action.template ?? "unknown")
            if groups[key] == nil {
                order.append(key)
                groups[key] = (Occurrences(limit: settings.evidenceLimit), [])
            }
            if let line = action.evidence.last { groups[key]!.seen.add(line, at: action.decidedAt ?? action.start) }
            if let tenant = action.tenantId { groups[key]!.tenants.insert(tenant) }
        }
        return order.map { key in
            let (seen, tenants) = groups[key]!
            let times = seen.count == 1 ? "1 time" : "\(seen.count) times"
            let tenant = tenants.isEmpty ? "" : " (tenant \(tenants.sorted().joined(separator: ", ")))"
            return seen.finding(
                id: .actionUnauthorized, severity: .error,
                title: "Device action refused: user \(key.user) may not run \(key.template)",
                detail: "Configuration Manager refused \(key.template) for Azure AD user \(key.user)\(tenant) \(times)\(FailureFindings.spanText(seen)): 'Unauthorized to perform client action'. The action went no further than the service connection point.",
                remediation: documentedPermission + " Check that user \(key.user) (the AADUserID in the log: the user's Azure AD object ID) is found by both discovery methods and holds that permission, then start the action again.")
        }
    }

    static func notForwarded(_ actions: [DeviceAction], settings: AnalysisSettings) -> Finding? {
        let lost = actions.filter { $0.outcome == .notForwarded }
        guard !lost.isEmpty else { return nil }
        var seen = Occurrences(limit: settings.evidenceLimit)
        for action in lost {
            if let line = action.evidence.last { seen.add(line, at: action.start) }
        }
        let authorized = lost.filter { $0.authorized == true }.count
        let undecided = lost.count - authorized
        var parts: [String] = []
        if authorized > 0 { parts.append("\(authorized) authorized") }
        if undecided > 0 { parts.append("\(undecided) with no authorization line") }
        let count = lost.count == 1 ? "1 device action" : "\(lost.count) device actions"
        return seen.finding(
            id: .actionNotForwarded, severity: .warning,
            title: "\(count) received but never forwarded to the management point",
            detail: "\(count) (\(parts.joined(separator: ", "))) reached the service connection point\(FailureFindings.spanText(seen)), but no 'Forwarded BGB remote task' line followed within the \(describe(seconds: settings.grace)) grace: the actions did not leave the service connection point.",
            remediation: "Microsoft documents the lines of an action that goes through (received, validating, authorized, 'Forwarded BGB remote task') but no cause for one that stops before it is forwarded. Read CMGatewayNotificationWorker.log after the evidence lines for errors, check that the SMS_SERVICE_CONNECTOR component is running on the service connection point, and start the action again from the admin center. If these logs are an older copy, pass --at; if forwarding takes longer here, raise --grace.")
    }

    static func notDelivered(_ actions: [DeviceAction], coverage: ActionCoverage, settings: AnalysisSettings) -> Finding? {
        let lost = actions.filter { $0.outcome == .notDelivered }
        guard !lost.isEmpty else { return nil }
        var seen = Occurrences(limit: settings.evidenceLimit)
        for action in lost {
            if let line = action.evidence.last { seen.add(line, at: action.forwardedAt ?? action.start) }
        }
        let guids = lost.compactMap(\.taskGuid)
        let shown = guids.prefix(5).joined(separator: ", ") + (guids.count > 5 ? ", …" : "")
        let logs = coverage.bgbInputs.isEmpty ? "BgbServer.log" : coverage.bgbInputs.joined(separator: ", ")
        let one = lost.count == 1
        return seen.finding(
            id: .actionNotDelivered, severity: .warning,
            title: one ? "1 forwarded device action never pushed by the management point"
                : "\(lost.count) forwarded device actions never pushed by the management point",
            detail: "The service connection point forwarded \(one ? "an action" : "\(lost.count) actions") to the management point (TaskGuid \(shown)), but \(logs), which runs to \(coverage.bgbEnd?.iso8601 ?? "an unknown time"), holds no 'Starting to send push task' line for \(one ? "it" : "them"), though it goes on for more than the \(describe(seconds: settings.grace)) grace after the forward.",
            remediation: "Microsoft documents the push as 'Starting to send push task (... TaskGUID: ...)' in BgbServer.log on the management point, and no cause for a missing one. Not from Microsoft's tenant attach documentation, but worth checking: if the site has several management points, the push may be in another one's BgbServer.log, so check that the log given comes from the management point the target device (TargetDeviceIDs in the forwarded line) uses and that it covers the time after the forward; then read it for errors around that time.")
    }
}
