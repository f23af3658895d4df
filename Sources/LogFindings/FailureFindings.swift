import LogInput
import LogRules
import LogAnalysis

/// Decides the failure findings: `upload-unauthorized`, `onboarding-rejected`,
/// `notification-unauthorized`, `http-error`, `service-unreachable`,
/// `upload-exception`. Each computes its values from the facts; the words,
/// Microsoft's documented reset among them, are in finding-texts.json.
package enum FailureFindings {
    /// Which finding an HTTP failure is: the documented cases by endpoint and
    /// status, a proxy's 407 as a network failure, anything else `http-error`.
    /// `review` and `tail` both decide by this.
    package static func findingID(endpoint: Endpoint, status: Int) -> FindingID {
        switch (endpoint, status) {
        case (.upload, 401), (.other, 401): .uploadUnauthorized
        case (.onboarding, 400): .onboardingRejected
        case (.notification, 401): .notificationUnauthorized
        case (.adminService, 403): .providerForbidden
        case (_, 407): .serviceUnreachable
        default: .httpError
        }
    }

    static func decide(_ collected: FailureFacts) -> [Finding] {
        var findings = http(collected)
        if let finding = network(collected) { findings.append(finding) }
        findings += exceptions(collected)
        return findings
    }

    static func http(_ collected: FailureFacts) -> [Finding] {
        collected.httpOrder.compactMap { key in
            guard let seen = collected.http[key] else { return nil }
            // A 407 never gets here (the collector counts it as a network failure); any
            // other id than the three documented ones is worded as http-error.
            let documented: Set<FindingID> = [.uploadUnauthorized, .onboardingRejected, .notificationUnauthorized]
            let decided = findingID(endpoint: key.endpoint, status: key.status)
            let id = documented.contains(decided) ? decided : .httpError
            var values: TextValues = [
                "count": TextValue(seen.count),
                "span": TextValue(spanText(seen)),
                "activityIds": TextValue(collected.activityIDs[key]?.joined(separator: ", ")),
            ]
            if id == .httpError {
                values["status"] = TextValue(key.status)
                values["endpoint"] = TextValue(key.endpoint.rawValue)
            }
            return FindingTexts.text(id).finding(values, occurrences: seen)
        }
    }

    static func network(_ collected: FailureFacts) -> Finding? {
        guard !collected.network.isEmpty else { return nil }
        let text = FindingTexts.text(.serviceUnreachable)
        let causes = collected.network.keys.sorted()
        let items = causes.map { cause in
            text.fragment(.item, [
                "cause": TextValue(causeName(cause)),
                "hosts": TextValue(collected.networkHosts[cause]?.sorted().joined(separator: ", ")),
                "causeCount": TextValue(collected.network[cause]!.count),
            ])
        }
        var all = Occurrences(limit: collected.evidenceLimit)
        for cause in causes {
            for item in collected.network[cause]!.sample { all.add(item, at: nil) }
        }
        let count = collected.network.values.reduce(0) { $0 + $1.count }
        return text.finding(["count": TextValue(count), "causes": TextValue(items.joined(separator: "; "))],
                            count: count,
                            first: collected.network.values.compactMap(\.first).min(),
                            last: collected.network.values.compactMap(\.last).max(),
                            evidence: Array(all.sample.prefix(collected.evidenceLimit)))
    }

    static func exceptions(_ collected: FailureFacts) -> [Finding] {
        collected.exceptionOrder.compactMap { key in
            guard let group = collected.exceptions[key] else { return nil }
            let logs = group.logs.filter { $0 != .unknown }.map(\.rawValue).sorted().joined(separator: ", ")
            // The log's own level decides, not the entry: a [Warning] exception is a warning.
            return FindingTexts.text(.uploadException).finding([
                "count": TextValue(group.occurrences.count),
                "type": TextValue(key.type),
                "hresult": TextValue(key.hresult),
                "logs": TextValue(logs),
                "span": TextValue(spanText(group.occurrences)),
                "message": TextValue(group.message),
                "explanation": TextValue(group.explanation),
            ], severity: group.worst, occurrences: group.occurrences)
        }
    }

    /// A network failure's cause as the findings and `tail` name it.
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

    /// When the occurrences happened, as the `span` value of a finding's detail:
    /// ` at T` for one time, ` between T1 and T2` for several, empty without times.
    static func spanText(_ seen: Occurrences) -> String {
        guard let first = seen.first, let last = seen.last else { return "" }
        let clock = Findings.clock
        func text(_ time: Instant) -> String { TimeText.iso8601(time, on: clock) }
        return first == last ? " at \(text(first))" : " between \(text(first)) and \(text(last))"
    }
}
