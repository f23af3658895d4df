import LogInput
import LogRules
import LogAnalysis
import LogFindings
/// The device actions parts of the reports: the text section and answer line,
/// and the JSON `actions` array (docs/actions.md).

/// The device actions section of the text report, and its line in the answer.
enum ActionsText {
    /// Completed actions shown in full when there are many; earlier ones fold into a count.
    static let recentCompleted = 10
    /// Above this many actions, completed ones fold.
    static let foldAbove = 20

    /// `Device actions: 4 followed: 1 completed, 2 unauthorized, 1 not forwarded.`, only when one did not complete.
    static func answer(_ report: Report, style: Style) -> [String] {
        let actions = report.actions
        guard actions.contains(where: { $0.outcome != .completed }) else { return [] }
        var parts: [String] = []
        for outcome in DeviceAction.Outcome.allCases {
            let count = actions.filter { $0.outcome == outcome }.count
            guard count > 0 else { continue }
            parts.append(colour("\(count) \(outcome.rawValue.replacing("-", with: " "))", outcome, style))
        }
        let followed = "\(actions.count) followed"
        return ["Device actions: \(followed): " + parts.joined(separator: ", ") + "."]
    }

    /// `times`: the clock the rows are on (`ShownTimes`, without UTC beside: a row is tight).
    static func section(_ report: Report, style: Style, times: ShownTimes) -> [String] {
        let actions = report.actions
        guard !actions.isEmpty else { return [] }
        let templateWidth = min(24, max(6, actions.map { Terminal.clean($0.templateName ?? "?", limit: 24).count }.max() ?? 6))
        let userWidth = min(36, max(4, actions.map { Terminal.clean($0.aadUserId ?? "-", limit: 36).count }.max() ?? 4))
        var lines = [style.bold("Device actions") + " (times \(times.tableClock))"]
        lines.append("  " + ["received".rightPadded(to: 19), "action".rightPadded(to: templateWidth), "user".rightPadded(to: userWidth),
                             "outcome".rightPadded(to: 13), "to client".rightPadded(to: 16), "task".rightPadded(to: 36), "kind"].joined(separator: "  "))
        var foldable = Set<Int>()
        if actions.count > foldAbove {
            let completed = actions.indices.filter { actions[$0].outcome == .completed }
            foldable = Set(completed.dropLast(recentCompleted))
        }
        var folded: [DeviceAction] = []
        func flushFold() {
            guard !folded.isEmpty else { return }
            let from = folded.first?.start.map { times.cell($0, seconds: true) } ?? "?"
            let to = folded.last?.start.map { times.cell($0, seconds: true) } ?? "?"
            lines.append(style.dim("  … \(folded.count) completed action\(folded.count == 1 ? "" : "s"), \(from) → \(to)"))
            folded = []
        }
        for (index, action) in actions.enumerated() {
            if foldable.contains(index) {
                folded.append(action)
                continue
            }
            flushFold()
            lines.append("  " + row(action, templateWidth: templateWidth, userWidth: userWidth, style: style, times: times))
        }
        flushFold()
        return lines + [""]
    }

    static func row(_ action: DeviceAction, templateWidth: Int, userWidth: Int, style: Style, times: ShownTimes) -> String {
        let when = (action.received ?? action.start).map { times.cell($0, seconds: true) } ?? "?"
        var toClient = "-"
        if let received = action.received, let client = action.clientReceivedAt, action.timesComparable {
            toClient = describe(seconds: client.seconds(since: received))
        } else if action.clientReceivedAt != nil {
            toClient = "?"
        }
        if let code = action.clientReturnCode { toClient += " rc=\(code)" }
        let outcome = colour(action.outcome.rawValue.rightPadded(to: 13), action.outcome, style)
        return [when.rightPadded(to: 19),
                Terminal.clean(action.templateName ?? "?", limit: templateWidth).rightPadded(to: templateWidth),
                Terminal.clean(action.aadUserId ?? "-", limit: userWidth).rightPadded(to: userWidth),
                outcome,
                toClient.rightPadded(to: 16),
                Terminal.clean(action.taskGuid ?? "-", limit: 36).rightPadded(to: 36),
                kindText(action)].joined(separator: "  ")
    }

    /// `policy`, `script (assumed)`, with the push's failed clients and the SMS Provider when known.
    static func kindText(_ action: DeviceAction) -> String {
        var text = action.kind.rawValue.replacing("-", with: " ") + (action.kindDocumented ? "" : " (assumed)")
        if let failed = action.failedClients, failed > 0 { text += ", \(failed) of \(action.reportedClients ?? 0) clients failed" }
        if let provider = action.provider { text += ", provider " + Terminal.clean(provider, limit: 64) }
        return text
    }

    static func colour(_ text: String, _ outcome: DeviceAction.Outcome, _ style: Style) -> String {
        switch outcome {
        case .completed: style.green(text)
        case .unauthorized: style.red(text)
        case .notForwarded, .notDelivered: style.yellow(text)
        case .pushed, .forwarded, .pending: text
        }
    }
}

/// The `actions` array's entries. The keys up to `evidence` are the ones issue 4
/// lists (with `clientRespondedAt`); the rest were added after them.
enum ActionsJSON {
    static func value(_ action: DeviceAction, clock: LogClock) -> JSON {
        .object([
            ("received", .time(action.received)),
            ("template", .string(action.template)),
            ("tenantId", .string(action.tenantId)),
            ("aadUserId", .string(action.aadUserId)),
            ("authorized", action.authorized.map { .bool($0) } ?? .null),
            ("taskGuid", .string(action.taskGuid)),
            ("targetDeviceIds", .string(action.targetDeviceIds)),
            ("forwardedAt", .time(action.forwardedAt)),
            ("pushedAt", .time(action.pushedAt)),
            ("pushId", .string(action.pushId)),
            ("taskId", .string(action.taskId)),
            ("clientReceivedAt", .time(action.clientReceivedAt)),
            ("clientRespondedAt", .time(action.clientRespondedAt)),
            ("clientReturnCode", .int(action.clientReturnCode)),
            ("outcome", .string(action.outcome.rawValue)),
            ("evidence", .array(action.evidence.map(ReportJSON.evidence))),
            // Added after the keys issue 4 lists.
            ("reason", .string(action.reason?.sentence(on: clock))),
            ("validatedAt", .time(action.validatedAt)),
            ("decidedAt", .time(action.decidedAt)),
            ("templateId", .string(action.templateId)),
            ("pushedClients", .int(action.pushedClients)),
            ("seconds", seconds(action)),
            // False when the logs it passed through are on different clocks (docs/clocks.md): times across them are not compared.
            ("timesComparable", .bool(action.timesComparable)),
            ("clients", .array(action.clients.map(client))),
            // Added for issue 12 item 3 (docs/actions.md, "Kinds").
            ("kind", .string(action.kind.rawValue)),
            ("kindDocumented", .bool(action.kindDocumented)),
            ("taskType", .string(action.taskType)),
            ("pushFinishedAt", .time(action.pushFinishedAt)),
            ("pushFinishedClients", .int(action.pushFinishedClients)),
            ("reportedClients", .int(action.reportedClients)),
            ("failedClients", .int(action.failedClients)),
            ("provider", .string(action.provider)),
            // Added with the typed reason: `reason` as a stable code (docs/actions.md, "Outcomes").
            ("reasonCode", .string(action.reason?.code)),
        ])
    }

    /// The time spent between stages, in seconds (null when either end is unknown).
    static func seconds(_ action: DeviceAction) -> JSON {
        func between(_ from: Instant?, _ to: Instant?) -> JSON {
            guard let from, let to, action.timesComparable else { return .null }
            return .number((to.seconds(since: from) * 1000).rounded() / 1000)
        }
        return .object([
            ("receivedToDecided", between(action.received, action.decidedAt)),
            ("decidedToForwarded", between(action.decidedAt, action.forwardedAt)),
            ("receivedToForwarded", between(action.received, action.forwardedAt)),
            ("forwardedToPushed", between(action.forwardedAt, action.pushedAt)),
            ("pushedToClientReceived", between(action.pushedAt, action.clientReceivedAt)),
            ("clientReceivedToResponded", between(action.clientReceivedAt, action.clientRespondedAt)),
            ("receivedToClientReceived", between(action.received, action.clientReceivedAt)),
        ])
    }

    static func client(_ receipt: DeviceAction.ClientReceipt) -> JSON {
        .object([
            ("input", .string(receipt.input)),
            ("receivedAt", .time(receipt.receivedAt)),
            ("pushId", .string(receipt.pushId)),
            ("taskId", .string(receipt.taskId)),
            ("respondedAt", .time(receipt.respondedAt)),
            ("returnCode", .int(receipt.returnCode)),
            ("matchedBy", .string(receipt.matchedBy?.rawValue)),
        ])
    }
}

extension DeviceAction {
    /// The action's name for people: the template, else the forwarded TemplateID.
    var templateName: String? { template ?? templateId.map { "TemplateID \($0)" } }
}
