import LogInput
import LogRules
import LogAnalysis
/// Decides the device action findings from the assembled actions:
/// `action-unauthorized` (one per user and template), `action-not-forwarded`,
/// `action-not-delivered`. 401s from the Notification endpoint are
/// `notification-unauthorized`, decided by `FailureFindings`.
/// Severities and their reasons are in docs/actions.md; the words in finding-texts.json.
enum ActionFindings {
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

    /// TaskGuids named in full in `action-not-delivered`; the rest are elided.
    static let taskGuidsShown = 5

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
        let text = FindingTexts.text(.actionUnauthorized)
        return order.map { key in
            let (seen, tenants) = groups[key]!
            return text.finding([
                "user": TextValue(key.user),
                "template": TextValue(key.template),
                "tenants": TextValue(tenants.sorted().joined(separator: ", ")),
                "count": TextValue(seen.count),
                "span": TextValue(FailureFindings.spanText(seen)),
            ], occurrences: seen)
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
        return FindingTexts.text(.actionNotForwarded).finding([
            "count": TextValue(lost.count),
            "authorized": TextValue(authorized),
            "undecided": TextValue(lost.count - authorized),
            "span": TextValue(FailureFindings.spanText(seen)),
            "grace": TextValue(describe(seconds: settings.grace)),
        ], occurrences: seen)
    }

    static func notDelivered(_ actions: [DeviceAction], coverage: ActionCoverage, settings: AnalysisSettings) -> Finding? {
        let lost = actions.filter { $0.outcome == .notDelivered }
        guard !lost.isEmpty else { return nil }
        var seen = Occurrences(limit: settings.evidenceLimit)
        for action in lost {
            if let line = action.evidence.last { seen.add(line, at: action.forwardedAt ?? action.start) }
        }
        let guids = lost.compactMap(\.taskGuid)
        return FindingTexts.text(.actionNotDelivered).finding([
            "count": TextValue(lost.count),
            "taskGuids": TextValue(guids.prefix(taskGuidsShown).joined(separator: ", ")),
            "moreTaskGuids": TextValue(max(0, guids.count - taskGuidsShown)),
            "bgbInputs": TextValue(coverage.bgbInputs.joined(separator: ", ")),
            "bgbEnd": TextValue(coverage.bgbEnd),
            "grace": TextValue(describe(seconds: settings.grace)),
        ], occurrences: seen)
    }
}
