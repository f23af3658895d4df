import LogInput
import LogRules
import LogAnalysis

/// Decides the findings of failures whose cause and fix are written down
/// (documented-knowledge.md): `signing-certificate-mismatch`, `sql-connection-closed`,
/// `adminservice-upn-mismatch`, `adminservice-sql-timeout`, `provider-forbidden`,
/// `endpoint-check-failed`, `tls-failure`, `push-partially-failed`. One finding per kind,
/// from the facts `FailureCollector` grouped; the words, the causes and fixes with their
/// sources, are in finding-texts.json; what a status or status message means is read
/// from the knowledge (knowledge.json, the entries `cmlogcheck explain` answers with).
package enum KnownFailureFindings {
    static func decide(_ collected: FailureFacts, actions: [DeviceAction]) -> [Finding] {
        collected.knownOrder.compactMap { kind in
            guard kind.isFailure, let group = collected.known[kind], group.occurrences.count > 0,
                  let id = FindingID(rawValue: kind.rawValue) else { return nil }
            return finding(id, group, actions: actions, limit: collected.evidenceLimit)
        }
    }

    static func finding(_ id: FindingID, _ group: KnownFailureGroup, actions: [DeviceAction], limit: Int) -> Finding {
        let text = FindingTexts.text(id)
        let logs = group.logs.filter { $0 != .unknown }.map(\.rawValue).sorted().joined(separator: ", ")
        var values: TextValues = [
            "count": TextValue(group.occurrences.count),
            "span": TextValue(FailureFindings.spanText(group.occurrences)),
        ]
        switch id {
        case .signingCertificateMismatch:
            values["ignored"] = TextValue(group.ignoredNotifications)
        case .providerForbidden:
            let hosts = group.partOrder.filter { $0.hasPrefix("host:") }.map { String($0.dropFirst(5)) }
            values["providers"] = TextValue(hosts.joined(separator: ", "))
            values["logs"] = TextValue(logs)
        case .tlsFailure, .adminServiceUPNMismatch, .adminServiceSQLTimeout, .sqlConnectionClosed:
            values["logs"] = TextValue(logs)
        case .endpointCheckFailed:
            let items = group.partOrder.map { part in
                text.fragment(.item, ["what": TextValue(partName(part)), "meaning": TextValue(meaning(of: part)),
                                      "partCount": TextValue(group.parts[part] ?? 0)])
            }
            values["parts"] = TextValue(items.joined(separator: "; "))
            values["logs"] = TextValue(logs)
        case .pushPartiallyFailed:
            let items = group.pushes.map { push -> String in
                let action = actions.first { $0.pushId == push.pushId && $0.taskGuid != nil }
                return text.fragment(.item, [
                    "pushId": TextValue(push.pushId), "failed": TextValue(push.failed), "reported": TextValue(push.reported),
                    "taskGuid": TextValue(action?.taskGuid), "action": TextValue(action.map(ActionKind.of)?.rawValue),
                ])
            }
            values["pushes"] = TextValue(items.joined(separator: "; "))
        default:
            break
        }
        let evidence = Array((group.context + group.occurrences.sample).prefix(limit + group.context.count))
        return text.finding(values, count: group.occurrences.count, first: group.occurrences.first,
                            last: group.occurrences.last, evidence: evidence)
    }

    /// An endpoint check's part in words: `HTTP 407`, `status message 11412`, `timeout`, `TLS failure`.
    static func partName(_ part: String) -> String {
        if part.hasPrefix("http:") { return "HTTP " + part.dropFirst(5) }
        if part.hasPrefix("message:") { return "status message " + part.dropFirst(8) }
        switch part {
        case "timeout": return "connection timeout"
        case "tls": return "SSL/TLS failure"
        default: return part
        }
    }

    /// What the knowledge says a status or status message means (its entry's title); empty when it has none.
    static func meaning(of part: String) -> String? {
        let id: String
        if part.hasPrefix("http:") { id = "http." + part.dropFirst(5) }
        else if part.hasPrefix("message:") { id = "status." + part.dropFirst(8) }
        else { return nil }
        return knowledge?.entries.first { $0.id == id }?.title
    }

    /// The bundled knowledge, read once; nil when it cannot be read (the finding then names the code alone).
    static let knowledge: Knowledge? = try? Knowledge.bundled()
}
