import LogMatching
import LogInput
/// What a rule's match means to the analysis. Rules are data; this list is
/// the vocabulary the analysis understands.
package enum EventType: String, CaseIterable, Sendable, Codable {
    /// `Batching N records`; field `count`.
    case uploadBatch = "upload.batch"
    /// `Next run time will be at approximately: …`; field `when` (server culture).
    case uploadNextRun = "upload.next-run"
    /// A scenario tag that tells the cycle kind; attribute `kind`: `full` or `delta`.
    case uploadScenario = "upload.scenario"
    /// `[WebException]: Failed to upload data to '…'`; field `url`.
    case uploadFailed = "upload.failed"
    /// Fields `url`, `method`, `activity`, `scenario`.
    case httpRequest = "http.request"
    /// Fields `url`, `status`, `reason`, `scenario`.
    case httpResponse = "http.response"
    /// `Response status code: …`; fields `status`, `reason`, `activity`.
    case httpStatus = "http.status"
    /// An exception header and its message; fields `level`, `worker`, `type`, `hresult`, `message`.
    case exception = "exception"
    /// `Unexpected exception for worker …` and the like: a worker reports that an exception follows.
    case workerException = "worker.exception"
    /// A service connector worker begins a run (`Starting worker X...`, `Worker X was triggered
    /// by timer.`, `Triggered X::ExecuteAsync()`); field `worker`, attribute `step`: `start`,
    /// `timer` or `execute`. Seen in a real GenericDownloadWorker.log, not documented.
    case workerRunStarted = "worker.run-started"
    /// Name resolution, connect, timeout, proxy or TLS failure; attribute `cause`, field `host`.
    case networkFailure = "network.failure"
    case actionReceived = "action.received"
    case actionValidating = "action.validating"
    /// Fields `template`, `tenant`, `user`.
    case actionAuthorized = "action.authorized"
    /// Fields `template`, `tenant`, `user`.
    case actionUnauthorized = "action.unauthorized"
    /// Fields `templateId`, `taskGuid`, `taskParam`, `targets`.
    case actionForwarded = "action.forwarded"
    /// The management point took a push message from its database.
    case pushFetched = "push.fetched"
    /// Fields `pushId`, `taskId`, `taskGuid`, `taskType`, `taskParam`, `clients`.
    case pushSent = "push.sent"
    /// Fields `pushId`, `taskId`, `taskGuid`, `taskType`, `taskParam`.
    case clientTaskReceived = "client.task-received"
    /// Fields `pushId`, `taskId`, `returnCode`.
    case clientTaskResponse = "client.task-response"
    /// A failure Microsoft (or a public report) names, with its cause and fix: attribute `kind`
    /// (`signing-certificate-mismatch`, `sql-connection-closed`, `tls-failure`, `adminservice-upn-mismatch`,
    /// `adminservice-sql-timeout`, `provider-forbidden`, `endpoint-check-failed`, `notification-ignored`),
    /// optional `cause`, fields `status`, `code`, `notification` (documented-knowledge.md §1).
    case knownFailure = "failure.known"
    /// `Finished sending push task (PushID: … TaskID: …) to N clients`; fields `pushId`, `taskId`, `clients`.
    case pushFinished = "push.finished"
    /// `Generated BGB task status report … (PushID: … ReportedClients: … FailedClients: …)`;
    /// fields `pushId`, `reported`, `failed`, `report`.
    case pushReport = "push.report"
    /// `Sending AdminService request with URL: …`: which SMS Provider serves an admin-center
    /// request; fields `url`, `provider` (its host).
    case adminServiceRequest = "adminservice.request"
    /// A device named in an upload; fields `device` and/or `resourceId`. No bundled rule: not documented.
    case deviceUploaded = "device.uploaded"
    /// A device removed from (or skipped by) the upload; fields `device` and/or `resourceId`, `reason`.
    case deviceRemoved = "device.removed"
}

/// How much the line a rule reads is known to exist, strongest first
/// (docs/rules.md). Findings built on an `assumed` rule rest on a guess, so
/// the catalog says which is which instead of one yes/no.
package enum Provenance: String, CaseIterable, Sendable, Codable {
    /// Microsoft documents the line (the source names the page).
    case documented
    /// The line appears in a real log someone published (the source names which log).
    case seen
    /// A third party (a blog, a forum, a support case) reports the line; not documented, not seen first-hand.
    case reported
    /// No evidence: the shape is inferred by analogy and may be wrong.
    case assumed
}

/// One entry of the rule catalog, as written in the JSON file.
package struct Rule: Sendable, Codable, Equatable {
    /// Stable id; a user rule with the same id replaces the bundled one.
    package var id: String
    /// The logs it applies to (`CMGatewaySyncUploadWorker` …); empty for any.
    package var logs: [LogKind]
    package var event: EventType
    /// PCRE2 pattern, matched against each record's message; named groups become event fields.
    package var pattern: String
    /// An empty pattern matches every record: a mistake (a rule file built by a script
    /// with a missing value), never a rule, so parsing refuses it.
    static let emptyPatternMessage = "the pattern is empty, which would match every record: give the text the rule recognises"
    /// Fixed fields added to every event (for example `kind: delta`).
    package var attributes: [String: String]
    /// Overrides the record's severity for the event.
    package var severity: Severity?
    /// When this named group matched empty, the next record's message fills it
    /// (an exception header written on its own line, its message on the next).
    package var joinNext: String?
    /// How the line this rule reads is known.
    package var provenance: Provenance
    /// Where the rule's shape comes from; for `seen` and `reported`, which log or report.
    package var source: String?
    /// False disables a bundled rule from a user file.
    package var enabled: Bool

    package init(id: String, logs: [LogKind] = [], event: EventType, pattern: String, attributes: [String: String] = [:],
                severity: Severity? = nil, joinNext: String? = nil, provenance: Provenance = .assumed, source: String? = nil,
                enabled: Bool = true) {
        self.id = id; self.logs = logs; self.event = event; self.pattern = pattern; self.attributes = attributes
        self.severity = severity; self.joinNext = joinNext; self.provenance = provenance; self.source = source
        self.enabled = enabled
    }

    /// Whether Microsoft documents the line: the old yes/no, kept for readers that only need that.
    package var documented: Bool { provenance == .documented }

    enum CodingKeys: String, CodingKey {
        case id, logs, event, pattern, attributes, severity, joinNext, provenance, documented, source, enabled
    }

    package init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        let id = try container.decode(String.self, forKey: .id)
        self.id = id
        let logNames = try container.decodeIfPresent([String].self, forKey: .logs) ?? []
        logs = try logNames.map { name in
            guard let kind = LogKind(rawValue: name) ?? LogKind(argument: name), kind != .unknown else {
                throw RuleError(rule: id, message: "unknown log '\(name)' (use \(LogKind.known.map(\.rawValue).joined(separator: ", ")))")
            }
            return kind
        }
        let eventName = try container.decode(String.self, forKey: .event)
        guard let event = EventType(rawValue: eventName) else {
            throw RuleError(rule: id, message: "unknown event '\(eventName)' (use one of \(EventType.allCases.map(\.rawValue).joined(separator: ", ")))")
        }
        self.event = event
        pattern = try container.decode(String.self, forKey: .pattern)
        attributes = try container.decodeIfPresent([String: String].self, forKey: .attributes) ?? [:]
        if let name = try container.decodeIfPresent(String.self, forKey: .severity) {
            guard let value = Severity(name: name) else {
                throw RuleError(rule: id, message: "unknown severity '\(name)' (use info, warning or error)")
            }
            severity = value
        } else {
            severity = nil
        }
        joinNext = try container.decodeIfPresent(String.self, forKey: .joinNext)
        // Files written before `provenance` say only `documented`: true is documented, and
        // false is all that was known, so assumed (the weakest claim, never an overstatement).
        let documented = try container.decodeIfPresent(Bool.self, forKey: .documented)
        if let name = try container.decodeIfPresent(String.self, forKey: .provenance) {
            guard let value = Provenance(rawValue: name) else {
                throw RuleError(rule: id, message: "unknown provenance '\(name)' (use \(Provenance.allCases.map(\.rawValue).joined(separator: ", ")))")
            }
            if let documented, documented != (value == .documented) {
                throw RuleError(rule: id, message: "\"documented\": \(documented) contradicts \"provenance\": \"\(name)\" (give provenance alone)")
            }
            provenance = value
        } else {
            provenance = documented == true ? .documented : .assumed
        }
        source = try container.decodeIfPresent(String.self, forKey: .source)
        enabled = try container.decodeIfPresent(Bool.self, forKey: .enabled) ?? true
    }

    package func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(id, forKey: .id)
        try container.encode(logs.map(\.rawValue), forKey: .logs)
        try container.encode(event.rawValue, forKey: .event)
        try container.encode(pattern, forKey: .pattern)
        if !attributes.isEmpty { try container.encode(attributes, forKey: .attributes) }
        try container.encodeIfPresent(severity?.name, forKey: .severity)
        try container.encodeIfPresent(joinNext, forKey: .joinNext)
        try container.encode(provenance.rawValue, forKey: .provenance)
        try container.encodeIfPresent(source, forKey: .source)
        if !enabled { try container.encode(enabled, forKey: .enabled) }
    }

    package func applies(to kind: LogKind) -> Bool { logs.isEmpty || kind == .unknown || logs.contains(kind) }
}

/// A rule that cannot be used: the message names the rule and what is wrong.
package struct RuleError: Error, CustomStringConvertible, Sendable {
    package var rule: String?
    package var file: String?
    package var message: String

    package init(rule: String? = nil, file: String? = nil, message: String) {
        self.rule = rule
        self.file = file
        self.message = message
    }

    package var description: String {
        var parts: [String] = []
        if let file { parts.append(file) }
        if let rule { parts.append("rule '\(rule)'") }
        return (parts.isEmpty ? "" : parts.joined(separator: ": ") + ": ") + message
    }
}
