import FoundationEssentials
import LogInput
import LogRules
/// Follows device actions from the admin center: assembles each action from
/// CMGatewayNotificationWorker.log, joins the management point's push
/// (BgbServer.log) and the client's receipt and response
/// (CcmNotificationAgent.log), and decides each action's outcome. The
/// pairing and joining rules are in docs/actions.md.
///
/// Notification and client events are kept (a few per action), of the
/// management point's pushes only the earliest per task, and everything is decided in `finish`, on
/// UTC instants: inputs may come in any order, piped together, from machines
/// whose clocks carry different biases.
package final class ActionTracker: Analyzer {
    let settings: AnalysisSettings
    private var notificationEvents: [Event] = []
    /// Per lower-case TaskGUID, the earliest push only (all that joining uses), so a
    /// long BgbServer.log costs one entry per task, not one per line.
    private var earliestPush: [String: (event: Event, time: Instant?)] = [:]
    /// The last push time per input, standing in for a push line without a time.
    private var lastPushTime: [Int: Instant] = [:]
    private var clientEvents: [Event] = []
    /// Which logs any event came from: piped input's summary names one log only
    /// (the majority), so events tell the rest.
    private var logsSeen: Set<LogKind> = []
    private var lastLogSeen: LogKind?
    /// Inputs that hold BgbServer.log events (a piped input may hold it among others).
    private var bgbInputs: Set<Int> = []
    /// The management point's `Finished sending push task` and status report lines, by PushID (the first of each).
    private var pushFinished: [String: Event] = [:]
    private var pushReports: [String: Event] = [:]
    /// `Sending AdminService request with URL: …` lines of the notification worker, in line order.
    private var adminServiceRequests: [Event] = []

    package init(settings: AnalysisSettings) { self.settings = settings }

    package func consume(_ event: Event) {
        if event.log != lastLogSeen {  // the same log event after event, mostly: skip the hashing then
            logsSeen.insert(event.log)
            lastLogSeen = event.log
        }
        if event.log == .bgbServer { bgbInputs.insert(event.input) }
        switch event.type {
        case .actionReceived, .actionValidating, .actionAuthorized, .actionUnauthorized, .actionForwarded:
            notificationEvents.append(event)
        case .pushSent:
            keepIfEarliest(push: event)
        case .clientTaskReceived, .clientTaskResponse:
            clientEvents.append(event)
        case .pushFinished:
            if let id = event["pushId"], pushFinished[id] == nil { pushFinished[id] = event }
        case .pushReport:
            if let id = event["pushId"], pushReports[id] == nil { pushReports[id] = event }
        case .adminServiceRequest:
            if adminServiceRequests.count < 10_000 { adminServiceRequests.append(event) }
        default:
            break
        }
    }

    package func finish(into facts: inout AnalysisFacts, settings: AnalysisSettings) {
        let coverage = ActionCoverage(inputs: facts.inputs, logsSeen: logsSeen, bgbInputs: bgbInputs)
        let ordered = ActionTracker.chronological(notificationEvents)
        notificationEvents = []   // held once, in order, while paired; the actions keep what they need
        var actions = ActionTracker.pair(ordered, grace: settings.grace)
        // Scripts and CMPivot (TaskType 15) come through the AdminService, not the notification worker's
        // device action lines: their push starts the action's chain (docs/actions.md, "Kinds").
        let forwarded = Set(actions.compactMap { $0.taskGuid?.lowercased() })
        let paired = actions.count
        for (guid, push) in earliestPush.sorted(by: { $0.key < $1.key })
            where push.event["taskType"] != "1" && push.event["taskType"] != nil && !forwarded.contains(guid) {
            var action = DeviceAction(outcome: .pushed)
            action.taskGuid = push.event["taskGuid"]
            actions.append(action)
        }
        if actions.count > paired { actions.sort { ($0.start ?? earliestPush[$0.taskGuid?.lowercased() ?? ""]?.time ?? Instant(ticks: .min))
            < ($1.start ?? earliestPush[$1.taskGuid?.lowercased() ?? ""]?.time ?? Instant(ticks: .min)) } }
        let pushes = earliestPush.mapValues { [$0.event] }
        let receipts = ActionTracker.clientReceipts(clientEvents)
        for index in actions.indices {
            actions[index].timesComparable = coverage.timesComparable
            ActionTracker.join(&actions[index], pushes: pushes, receipts: receipts)
            joinPushOutcome(&actions[index])
            ActionTracker.decide(&actions[index], coverage: coverage, evaluatedAt: facts.evaluatedAt, settings: settings)
        }
        facts.actions = actions
        facts.actionCoverage = coverage
    }

    /// The push's finish and status report (by PushID), the action's kind, and the SMS Provider
    /// the notification worker sent AdminService requests to around it.
    private func joinPushOutcome(_ action: inout DeviceAction) {
        let push = action.taskGuid.flatMap { earliestPush[$0.lowercased()]?.event }
        action.taskType = push?["taskType"]
        if let id = action.pushId {
            if let finished = pushFinished[id] {
                action.pushFinishedAt = finished.time
                action.pushFinishedClients = finished.number("clients")
                action.evidence.append(finished.evidence)
            }
            if let report = pushReports[id] {
                action.reportedClients = report.number("reported")
                action.failedClients = report.number("failed")
                action.evidence.append(report.evidence)
            }
        }
        let kind = ActionKind.classify(template: action.template, taskType: action.taskType,
                                       taskParam: ActionTracker.decodedTaskParam(push?["taskParam"]))
        action.kind = kind.kind
        action.kindDocumented = kind.documented
        // The last request named before the action's first line, else the first after it, within the grace.
        if let start = action.start ?? push?.time {
            let before = adminServiceRequests.last { ($0.time.map { $0 <= start } ?? false) && start.seconds(since: $0.time!) <= settings.grace }
            let after = adminServiceRequests.first { ($0.time.map { $0 > start } ?? false) && $0.time!.seconds(since: start) <= settings.grace }
            action.provider = (before ?? after)?["provider"]
        }
    }

    /// A push's TaskParam, and its base64 decoding when it is base64 (the scripts' and CMPivot's
    /// XML, where the CMPivot ScriptGuid shows): both, for a case-insensitive search.
    static func decodedTaskParam(_ param: String?) -> String? {
        guard let param, !param.isEmpty else { return param }
        var text = param
        if let data = Data(base64Encoded: param.trimmingSpaces, options: .ignoreUnknownCharacters) {
            text += " " + String(decoding: data, as: UTF8.self)
            // UTF-16 XML, as .NET writes it, decoded by dropping the zero bytes.
            text += " " + String(decoding: data.filter { $0 != 0 }, as: UTF8.self)
        }
        return text
    }

    // MARK: Order

    /// Events in UTC order. An event without a time takes the last time seen
    /// before it in its own input (events of one input arrive in line order);
    /// ties go by input name, then line, so the order the inputs were given in
    /// never matters. Exact repeats (same log, time, thread and text: the same
    /// log given twice, or overlapping copies) are dropped.
    static func chronological(_ events: [Event]) -> [Event] {
        // Sorted as indices, with the times beside them, and repeats found by a key that
        // shares the event's strings: copies of every event, and a string key per event
        // holding its text again, tripled the actions' memory at the end of a review.
        var lastKnown: [Int: Instant] = [:]
        var times: [Instant?] = []
        times.reserveCapacity(events.count)
        for event in events {
            if let time = event.time { lastKnown[event.input] = time }
            times.append(event.time ?? lastKnown[event.input])
        }
        var order = Array(0..<events.count)
        order.sort { i, j in
            switch (times[i], times[j]) {
            case let (x?, y?) where x != y: return x < y
            case (nil, .some): return true
            case (.some, nil): return false
            default: break
            }
            let a = events[i], b = events[j]
            if a.inputName != b.inputName { return a.inputName < b.inputName }
            if a.line != b.line { return a.line < b.line }
            return a.input < b.input
        }
        times = []
        var seen = Set<RepeatKey>()
        var result: [Event] = []
        result.reserveCapacity(events.count)
        for index in order {
            let event = events[index]
            if let time = event.time, !seen.insert(RepeatKey(event, ticks: time.ticks)).inserted { continue }
            result.append(event)
        }
        return result
    }

    /// What makes two events one line seen twice: the same log, type, time, thread and text.
    private struct RepeatKey: Hashable {
        var log: LogKind
        var type: EventType
        var ticks: Int64
        var thread: Int?
        var text: String

        init(_ event: Event, ticks: Int64) {
            log = event.log
            type = event.type
            self.ticks = ticks
            thread = event.thread
            text = event.text
        }
    }

    // MARK: Pairing the notification worker's lines

    /// Stages in the order the notification worker logs them.
    static func stage(of type: EventType) -> Int {
        switch type {
        case .actionReceived: 0
        case .actionValidating: 1
        case .actionAuthorized, .actionUnauthorized: 2
        default: 3  // forwarded
        }
    }

    private struct Builder {
        var action = DeviceAction(outcome: .pending)
        var stage: Int
        var thread: Int?
        /// When the action shows first (for the cross-thread window).
        var start: Instant?
    }

    /// Assembles actions from the notification worker's events, in UTC order.
    /// The rule (docs/actions.md, "Pairing"):
    /// 1. `Received new notification` starts an action on its thread, and ends
    ///    the pairing of any action still open on that thread.
    /// 2. A later line (validating, authorized/unauthorized, forwarded) joins the
    ///    open action on its own thread that has not reached that stage yet.
    /// 3. If there is none, it joins the oldest open action on another thread that
    ///    has not reached that stage and started at most `grace` before the line
    ///    (a continuation that moved to another thread); the action moves to this thread.
    /// 4. Otherwise it starts an action of its own (the log began mid-action).
    /// An action closes when refused or forwarded.
    static func pair(_ events: [Event], grace: Double) -> [DeviceAction] {
        var builders: [Builder] = []
        var open: [Int] = []  // indices into builders, oldest first
        for event in events {
            let stage = stage(of: event.type)
            var target: Int?
            if stage == 0 {
                open.removeAll { builders[$0].thread == event.thread }
            } else if let same = open.last(where: { builders[$0].thread == event.thread && builders[$0].stage < stage }) {
                target = same
            } else if let other = open.first(where: { index in
                let builder = builders[index]
                guard builder.thread != event.thread, builder.stage < stage else { return false }
                guard let start = builder.start, let time = event.time else { return true }
                return time.seconds(since: start) <= grace
            }) {
                target = other
            }
            let index: Int
            if let target {
                index = target
            } else {
                if stage != 0 { open.removeAll { builders[$0].thread == event.thread && builders[$0].stage >= stage } }
                builders.append(Builder(stage: stage, thread: event.thread, start: event.time))
                index = builders.count - 1
                open.append(index)
            }
            builders[index].stage = stage
            builders[index].thread = event.thread
            if builders[index].start == nil { builders[index].start = event.time }
            apply(event, to: &builders[index].action)
            if stage == 3 || event.type == .actionUnauthorized { open.removeAll { $0 == index } }
        }
        return builders.map(\.action)
    }

    private static func apply(_ event: Event, to action: inout DeviceAction) {
        action.evidence.append(event.evidence)
        switch event.type {
        case .actionReceived:
            action.received = event.time
        case .actionValidating:
            action.validatedAt = event.time
        case .actionAuthorized, .actionUnauthorized:
            action.authorized = event.type == .actionAuthorized
            action.decidedAt = event.time
            action.template = event["template"]
            action.tenantId = event["tenant"]
            action.aadUserId = event["user"]
        default:
            action.forwardedAt = event.time
            action.taskGuid = event["taskGuid"]
            action.templateId = event["templateId"]
            action.targetDeviceIds = event["targets"]
        }
    }

    // MARK: Joining the management point and the client

    /// Keeps a push if it is the earliest seen for its TaskGUID, in the order
    /// `chronological` sorts by: time (a line without one takes its input's last
    /// push time; none at all sorts first), then input name, line, input.
    private func keepIfEarliest(push event: Event) {
        guard let guid = event["taskGuid"]?.lowercased() else { return }
        if let time = event.time { lastPushTime[event.input] = time }
        let time = event.time ?? lastPushTime[event.input]
        if let kept = earliestPush[guid], !ActionTracker.precedes(event, time, kept.event, kept.time) { return }
        earliestPush[guid] = (event, time)
    }

    static func precedes(_ a: Event, _ aTime: Instant?, _ b: Event, _ bTime: Instant?) -> Bool {
        switch (aTime, bTime) {
        case let (x?, y?) where x != y: return x < y
        case (nil, .some): return true
        case (.some, nil): return false
        default: break
        }
        if a.inputName != b.inputName { return a.inputName < b.inputName }
        if a.line != b.line { return a.line < b.line }
        return a.input < b.input
    }

    struct Receipt {
        var receipt: DeviceAction.ClientReceipt
        var evidence: [Evidence]
    }

    /// The client's receipts by lower-case TaskGUID, each with its response.
    /// Per client log (an input, with its `.lo_` history: inputs named alike but
    /// for `.lo_`/`.log`), in UTC order, a response joins the most recent
    /// unanswered receipt with its PushID and TaskID, else the most recent
    /// unanswered receipt: the response names no TaskGUID, and Microsoft's own
    /// example shows a response whose PushID and TaskID differ from the receipt's.
    static func clientReceipts(_ events: [Event]) -> [String: [Receipt]] {
        var streams: [String: [Event]] = [:]
        for event in events { streams[clientStream(event.inputName), default: []].append(event) }
        var byGuid: [String: [Receipt]] = [:]
        for key in streams.keys.sorted() {
            var open: [(guid: String, receipt: Receipt)] = []
            var done: [(guid: String, receipt: Receipt)] = []
            for event in chronological(streams[key]!) {
                if event.type == .clientTaskReceived {
                    guard let guid = event["taskGuid"]?.lowercased() else { continue }
                    var receipt = DeviceAction.ClientReceipt(input: event.inputName)
                    receipt.receivedAt = event.time
                    receipt.pushId = event["pushId"]
                    receipt.taskId = event["taskId"]
                    open.append((guid, Receipt(receipt: receipt, evidence: [event.evidence])))
                    continue
                }
                let match: DeviceAction.ClientReceipt.Match
                let index: Int
                if let exact = open.lastIndex(where: { $0.receipt.receipt.pushId == event["pushId"] && $0.receipt.receipt.taskId == event["taskId"] }) {
                    index = exact
                    match = .ids
                } else if !open.isEmpty {
                    index = open.count - 1
                    match = .mostRecentUnanswered
                } else {
                    continue  // a response whose receipt the log does not hold
                }
                var answered = open.remove(at: index)
                answered.receipt.receipt.respondedAt = event.time
                answered.receipt.receipt.returnCode = event["returnCode"].flatMap { Int($0) }
                answered.receipt.receipt.matchedBy = match
                answered.receipt.evidence.append(event.evidence)
                done.append(answered)
            }
            for (guid, receipt) in done + open { byGuid[guid, default: []].append(receipt) }
        }
        for guid in byGuid.keys {
            byGuid[guid]!.sort { ($0.receipt.receivedAt ?? Instant(ticks: .min)) < ($1.receipt.receivedAt ?? Instant(ticks: .min)) }
        }
        return byGuid
    }

    /// One client's log: the input name without `.log`/`.lo_`, so that a rotated
    /// history joins its current log.
    /// One client log, whatever the file: its stamped history, `.lo_` and `.log` are one stream.
    static func clientStream(_ name: String) -> String { LogKind.stream(of: name) }

    static func join(_ action: inout DeviceAction, pushes: [String: [Event]], receipts: [String: [Receipt]]) {
        guard let guid = action.taskGuid?.lowercased() else { return }
        if let push = pushes[guid]?.first {
            action.pushedAt = push.time
            action.pushId = push["pushId"]
            action.taskId = push["taskId"]
            action.pushedClients = push["clients"].flatMap { Int($0) }
            action.evidence.append(push.evidence)
        }
        guard let found = receipts[guid], !found.isEmpty else { return }
        action.clients = found.map(\.receipt)
        action.clientReceivedAt = found[0].receipt.receivedAt
        if let answered = found.filter({ $0.receipt.matchedBy != nil })
            .min(by: { ($0.receipt.respondedAt ?? Instant(ticks: .max)) < ($1.receipt.respondedAt ?? Instant(ticks: .max)) }) {
            action.clientRespondedAt = answered.receipt.respondedAt
            action.clientReturnCode = answered.receipt.returnCode
        }
        for receipt in found.prefix(3) { action.evidence += receipt.evidence }
    }

    // MARK: Outcome

    static func decide(_ action: inout DeviceAction, coverage: ActionCoverage, evaluatedAt: Instant?, settings: AnalysisSettings) {
        let grace = settings.grace
        if action.authorized == false {
            action.outcome = .unauthorized
            action.reason = .unauthorized
            return
        }
        // Only the `Forwarded BGB remote task` line carries the TaskGuid.
        guard action.taskGuid != nil else {
            guard let since = action.start, let at = evaluatedAt else {
                action.outcome = .pending
                action.reason = .notForwardedUntimed(grace: grace)
                return
            }
            let waited = at.seconds(since: since)
            if waited >= grace {
                action.outcome = .notForwarded
                action.reason = .notForwarded(authorized: action.authorized == true, waited: waited, grace: grace)
            } else {
                action.outcome = .pending
                action.reason = .awaitingForwarding(waited: max(0, waited), grace: grace)
            }
            return
        }
        if let answered = action.clients.first(where: { $0.matchedBy != nil }) {
            action.outcome = .completed
            action.reason = .clientAnswered(returnCode: answered.returnCode, input: answered.input)
            return
        }
        if action.pushedAt != nil || !action.clients.isEmpty {
            action.outcome = .pushed
            if !action.clients.isEmpty {
                action.reason = .clientSilent
            } else if coverage.clientGiven {
                action.reason = .clientLogLacksTask
            } else {
                action.reason = .clientLogNotGiven
            }
            return
        }
        action.outcome = .forwarded
        guard coverage.bgbGiven else {
            action.reason = .managementPointLogNotGiven
            return
        }
        guard coverage.timesComparable else {
            action.reason = .clocksDiffer(grace: grace)
            return
        }
        guard let forwarded = action.forwardedAt, let end = coverage.bgbEnd, let at = evaluatedAt else {
            action.reason = .managementPointLogUntimed
            return
        }
        let deadline = forwarded.adding(seconds: grace)
        if end < deadline {
            action.reason = .managementPointLogEndsEarly(forwarded: forwarded, end: end, grace: grace)
        } else if at < deadline {
            action.reason = .awaitingPush(waited: max(0, at.seconds(since: forwarded)), grace: grace)
        } else {
            action.outcome = .notDelivered
            action.reason = .noPush(forwarded: forwarded, end: end)
        }
    }
}

/// Whether BgbServer.log and CcmNotificationAgent.log were given, and how far the first reaches.
package struct ActionCoverage: Sendable {
    package var bgbGiven = false
    package var clientGiven = false
    /// The last time BgbServer.log shows: the last record of every input that is
    /// BgbServer.log or holds its events. Where the BgbServer.log part of a piped
    /// input ends cannot be told, so the end of that input counts.
    package var bgbEnd: Instant?
    package var bgbInputs: [String] = []
    /// Whether the service connection point's, the management point's and the client's logs
    /// are on one clock, so that times across them can be compared.
    package var timesComparable = true

    package init() {}

    init(inputs: [InputReport], logsSeen: Set<LogKind>, bgbInputs holding: Set<Int>) {
        for (index, input) in inputs.enumerated() {
            if input.summary.kind == .bgbServer || holding.contains(index) {
                bgbGiven = true
                bgbInputs.append(input.summary.name)
                if let last = input.summary.last, bgbEnd == nil || last > bgbEnd! { bgbEnd = last }
            }
            if input.summary.kind == .notificationAgent { clientGiven = true }
        }
        let clocks = Set(inputs.filter { [.notification, .bgbServer, .notificationAgent, .unknown].contains($0.summary.kind) }
            .compactMap(\.summary.clock))
        timesComparable = clocks.count <= 1
        if logsSeen.contains(.bgbServer) { bgbGiven = true }
        if logsSeen.contains(.notificationAgent) { clientGiven = true }
    }
}
