import Foundation
import Testing
@testable import LogMatching
@testable import LogInput
@testable import LogRules
@testable import LogAnalysis
@testable import LogFindings
@testable import LogReport
@testable import LogFollow
@testable import CMLogCheckCLI

/// Device actions followed from CMGatewayNotificationWorker.log through
/// BgbServer.log to CcmNotificationAgent.log (issue 4, docs/actions.md).
@Suite("device actions")
struct ActionsTests {
    // MARK: Building logs

    /// The start of every story: 2020-05-04T10:00:00Z.
    static let base = Instant(iso8601: "2020-05-04T10:00:00Z")!

    /// One machine's log in CMTrace format, written in that machine's local time.
    struct MachineLog {
        var name: String
        var kind: LogKind
        var bias: Int
        var component: String
        var records: [String] = []

        /// Adds a record `seconds` after `base` (UTC), written as local time with this log's bias.
        mutating func add(_ seconds: Double, _ message: String, thread: Int = 100, type: Int = 1) {
            let utc = ActionsTests.t(seconds)
            // UTC = local + bias
            let local = CivilTime(utc: Instant(ticks: utc.ticks - Int64(bias) * 60 * Instant.ticksPerSecond))
            func pad(_ value: Int, _ width: Int) -> String {
                let text = String(value)
                return String(repeating: "0", count: max(0, width - text.count)) + text
            }
            let time = "\(pad(local.hour, 2)):\(pad(local.minute, 2)):\(pad(local.second, 2)).\(pad(Int(local.fractionTicks / 10_000), 3))"
            let biasText = (bias < 0 ? "-" : "+") + pad(abs(bias), 3)
            let date = "\(pad(local.month, 2))-\(pad(local.day, 2))-\(local.year)"
            records.append("<![LOG[\(message)]LOG]!><time=\"\(time)\(biasText)\" date=\"\(date)\" component=\"\(component)\" context=\"\" type=\"\(type)\" thread=\"\(thread)\" file=\"\">")
        }

        var text: String { records.map { $0 + "\r\n" }.joined() }
    }

    /// The three machines of one story, each in its own time zone.
    struct Story {
        var scp = MachineLog(name: "CMGatewayNotificationWorker.log", kind: .notification, bias: 480, component: "SMS_SERVICE_CONNECTOR")
        var mp = MachineLog(name: "BgbServer.log", kind: .bgbServer, bias: 300, component: "BgbServer")
        var client = MachineLog(name: "CcmNotificationAgent.log", kind: .notificationAgent, bias: 360, component: "CcmNotificationAgent")
        static let tenant = "a1b2c3a1-b2c3-d4a1-b2c3-d4a1b2c3a1b2"

        /// The four documented lines of an action on one thread, from `at` seconds; no forward when `guid` is nil.
        mutating func action(at seconds: Double, thread: Int = 100, user: String, guid: String?, authorized: Bool = true,
                             template: String = "RequestMachinePolicy") {
            scp.add(seconds, "Received new notification. Validating basic notification details...", thread: thread)
            scp.add(seconds + 0.012, "Validating device action message content...", thread: thread)
            if authorized {
                scp.add(seconds + 0.05, "Authorized to perform client action. TemplateID: \(template) TenantId: \(Story.tenant) AADUserID:     \(user)", thread: thread)
            } else {
                scp.add(seconds + 0.05, "Unauthorized to perform client action. TemplateID: \(template) TenantId: \(Story.tenant) AADUserID: \(user)", thread: thread, type: 3)
                return
            }
            if let guid {
                scp.add(seconds + 0.25, "Forwarded BGB remote task. TemplateID: 1 TaskGuid: \(guid) TaskParam: TargetDeviceIDs: 1", thread: thread)
            }
        }

        mutating func push(at seconds: Double, pushId: Int, taskId: Int, guid: String) {
            mp.add(seconds - 0.05, "Get one push message from database.", thread: 3712)
            mp.add(seconds, "Starting to send push task (PushID: \(pushId) TaskID: \(taskId) TaskGUID: \(guid.uppercased()) TaskType: 1 TaskParam: ) to 1 clients  with throttling (strategy: 1 param: 42)", thread: 3712)
        }

        mutating func receive(at seconds: Double, pushId: Int, taskId: Int, guid: String) {
            client.add(seconds, "Receive task from server with pushid=\(pushId), taskid=\(taskId), taskguid=\(guid.uppercased()), tasktype=1 and taskParam=", thread: 5520)
        }

        mutating func respond(at seconds: Double, pushId: Int, taskId: Int, code: Int = 1) {
            let stamp = String(ActionsTests.t(seconds).iso8601.prefix(19)) + "Z"
            client.add(seconds, "Send Task response message <BgbResponseMessage TimeStamp=\"\(stamp)\"><PushID>\(pushId)</PushID><TaskID>\(taskId)</TaskID><ReturnCode>\(code)</ReturnCode></BgbResponseMessage> successfully.", thread: 5520)
        }

        /// A neutral line, to say how far a log reaches.
        static func idle(_ log: inout MachineLog, at seconds: Double) {
            log.add(seconds, "Worker is idle, sleeping 60 seconds", thread: 7)
        }
    }

    static let guidA = "a43dd1b3-a006-4604-b012-5529380b3b6f"
    static let guidB = "0f3c2a7e-11d4-4b8e-9a61-3c5d7e9f1b2a"
    static let userA = "3a1e89e6-e190-4615-9d38-a208b0eb1c78"
    static let userB = "b7c9d0e1-2f3a-4b5c-8d6e-7f8091a2b3c4"
    static let userC = "c0ffee00-1234-4abc-9def-0123456789ab"

    /// Reviews in-memory inputs (name, kind, text) through the same path as the command.
    static func review(_ inputs: [(name: String, kind: LogKind, text: String)], settings: AnalysisSettings = AnalysisSettings()) throws -> Report {
        let stream = RecordStream(inputs: inputs.map { InputSource(location: .standardInput, name: $0.name, kind: $0.kind) })
        var pending = inputs.map { MemorySource($0.text) }
        stream.standardInput = { pending.removeFirst() }
        return try Review(catalog: try RuleCatalog.bundled(), settings: settings).run(stream)
    }

    static func review(_ logs: [MachineLog], settings: AnalysisSettings = AnalysisSettings()) throws -> Report {
        try review(logs.filter { !$0.records.isEmpty }.map { ($0.name, $0.kind, $0.text) }, settings: settings)
    }

    static func settings(at seconds: Double? = nil, grace: Double? = nil) -> AnalysisSettings {
        var settings = AnalysisSettings()
        if let seconds { settings.evaluationTime = .instant(t(seconds)) }
        if let grace { settings.grace = grace }
        return settings
    }

    /// `base` plus whole milliseconds (rounded, so that 10.153 is exactly what the log says).
    static func t(_ seconds: Double) -> Instant {
        Instant(ticks: base.ticks + Int64((seconds * 1000).rounded()) * (Instant.ticksPerSecond / 1000))
    }

    /// What must not depend on the order or packaging of the inputs.
    struct Summary: Equatable, CustomStringConvertible {
        var received, forwardedAt, pushedAt, clientReceivedAt, clientRespondedAt: Instant?
        var user, guid, pushId, taskId: String?
        var returnCode: Int?
        var outcome: DeviceAction.Outcome

        init(_ action: DeviceAction) {
            received = action.received; forwardedAt = action.forwardedAt; pushedAt = action.pushedAt
            clientReceivedAt = action.clientReceivedAt; clientRespondedAt = action.clientRespondedAt
            user = action.aadUserId; guid = action.taskGuid; pushId = action.pushId; taskId = action.taskId
            returnCode = action.clientReturnCode; outcome = action.outcome
        }

        var description: String { "\(guid ?? "-") \(user ?? "-") \(outcome.rawValue) \(received?.iso8601 ?? "-")" }
    }

    // MARK: Outcomes

    @Test("completed: followed to the client's answer, times in UTC across three biases")
    func completed() throws {
        var story = Story()
        story.action(at: 10, user: Self.userA, guid: Self.guidA)
        story.push(at: 12, pushId: 7, taskId: 8, guid: Self.guidA)
        story.receive(at: 13.5, pushId: 7, taskId: 8, guid: Self.guidA)
        story.respond(at: 16, pushId: 7, taskId: 8)
        let report = try Self.review([story.scp, story.mp, story.client])
        try #require(report.actions.count == 1)
        let action = try report.actions.at(0)
        #expect(action.outcome == .completed)
        #expect(action.received == Self.t(10))
        #expect(action.validatedAt == Self.t(10.012))
        #expect(action.decidedAt == Self.t(10.05))
        #expect(action.forwardedAt == Self.t(10.25))
        #expect(action.pushedAt == Self.t(12))
        #expect(action.clientReceivedAt == Self.t(13.5))
        #expect(action.clientRespondedAt == Self.t(16))
        #expect(action.template == "RequestMachinePolicy")
        #expect(action.templateId == "1")
        #expect(action.tenantId == Story.tenant)
        #expect(action.aadUserId == Self.userA)
        #expect(action.authorized == true)
        #expect(action.taskGuid == Self.guidA)
        #expect(action.targetDeviceIds == "1")
        #expect(action.pushId == "7" && action.taskId == "8")
        #expect(action.pushedClients == 1)
        #expect(action.clientReturnCode == 1)
        #expect(try action.clients.count == 1 && action.clients.at(0).matchedBy == .ids)
        #expect(action.evidence.count == 7)
        #expect(!report.findings.contains { $0.id.rawValue.hasPrefix("action-") })
    }

    @Test("scripts and CMPivot: a TaskType 15 push starts its own chain, told apart by CMPivot's ScriptGuid; the provider is named")
    func scriptsAndCMPivot() throws {
        var story = Story()
        // A policy action first, with the AdminService request the notification worker logged before it.
        story.scp.add(9, "Sending AdminService request with URL: https://prov01.contoso.com/AdminService/v1.0/Device(16777220)", thread: 100)
        story.action(at: 10, user: Self.userA, guid: Self.guidA)
        story.push(at: 12, pushId: 7, taskId: 8, guid: Self.guidA)
        // CMPivot: the TaskParam is base64 of UTF-16 XML naming CMPivot's ScriptGuid (as .NET writes it).
        let cmpivotXML = "<ScriptContent ScriptGuid='7DC6B6F1-E7F6-43C1-96E0-E1D16BC25C14'><ScriptVersion>1</ScriptVersion></ScriptContent>"
        let cmpivotParam = Data(cmpivotXML.utf16.flatMap { [UInt8($0 & 0xFF), UInt8($0 >> 8)] }).base64EncodedString()
        let scriptParam = Data("<ScriptContent ScriptGuid='11111111-2222-4333-8444-555555555555'/>".utf8).base64EncodedString()
        let cmpivot = "5a1d0c3e-6f7a-4b8c-9d0e-1f2a3b4c5d6e", script = "6b2e1d4f-7a8b-4c9d-8e1f-2a3b4c5d6e7f"
        story.scp.add(119, "Sending AdminService request with URL: https://prov02.contoso.com/AdminService/v1.0/Device(16777220)/AdminService.RunCMPivot", thread: 101)
        story.mp.add(120, "Starting to send push task (PushID: 30 TaskID: 31 TaskGUID: \(cmpivot.uppercased()) TaskType: 15 TaskParam: \(cmpivotParam)) to 1 clients  with throttling (strategy: 1 param: 42)", thread: 3712)
        story.mp.add(120.2, "Finished sending push task (PushID: 30 TaskID: 31) to 1 clients", thread: 3712)
        story.client.add(121, "Receive task from server with pushid=30, taskid=31, taskguid=\(cmpivot.uppercased()), tasktype=15 and taskParam=\(cmpivotParam)", thread: 5520)
        story.client.add(123, "Send Task response message <BgbResponseMessage TimeStamp=\"2020-05-04T10:02:03Z\"><PushID>30</PushID><TaskID>31</TaskID><ReturnCode>1</ReturnCode></BgbResponseMessage> successfuly.", thread: 5520)
        story.mp.add(180, "Generated BGB task status report c:\\ConfigMgr\\inboxes\\bgb.box\\Bgb0289.BTS at 05/04/2020 10:03:00. (PushID: 30 ReportedClients: 1 FailedClients: 0)", thread: 3712)
        story.mp.add(1000, "Starting to send push task (PushID: 40 TaskID: 41 TaskGUID: \(script.uppercased()) TaskType: 15 TaskParam: \(scriptParam)) to 2 clients  with throttling (strategy: 1 param: 42)", thread: 3712)
        story.mp.add(1060, "Generated BGB task status report c:\\ConfigMgr\\inboxes\\bgb.box\\Bgb0290.BTS at 05/04/2020 10:17:40. (PushID: 40 ReportedClients: 2 FailedClients: 1)", thread: 3712)
        Story.idle(&story.client, at: 1100)
        let report = try Self.review([story.scp, story.mp, story.client], settings: Self.settings(at: 3600))
        try #require(report.actions.count == 3)
        let (policy, pivot, run) = (report.actions[0], report.actions[1], report.actions[2])
        #expect(policy.kind == .policy && policy.kindDocumented)
        #expect(policy.provider == "prov01.contoso.com")
        #expect(pivot.taskGuid?.lowercased() == cmpivot && pivot.kind == .cmpivot && !pivot.kindDocumented)
        #expect(pivot.taskType == "15")
        #expect(pivot.outcome == .completed)  // the client's "successfuly" spelling counts
        #expect(pivot.clientReturnCode == 1)
        #expect(pivot.pushFinishedAt == Self.t(120.2) && pivot.pushFinishedClients == 1)
        #expect(pivot.reportedClients == 1 && pivot.failedClients == 0)
        #expect(pivot.provider == "prov02.contoso.com")
        #expect(run.taskGuid?.lowercased() == script && run.kind == .script)
        #expect(run.reportedClients == 2 && run.failedClients == 1)
        #expect(run.provider == nil)  // no AdminService request within the grace (10 minutes) of its push
        #expect(report.findings.map(\.id).contains(.pushPartiallyFailed))
        // The actions section says each action's kind and its provider.
        let out = Output()
        TextReport(style: Style(enabled: false)).write(report, settings: Self.settings(at: 3600), to: out)
        let text = out.text
        #expect(text.contains("cmpivot (assumed), provider prov02.contoso.com"))
        #expect(text.contains("script (assumed)"))
    }

    @Test("pushed: the management point sent it; no client log, or a client log without this task")
    func pushed() throws {
        var story = Story()
        story.action(at: 10, user: Self.userA, guid: Self.guidA)
        story.push(at: 12, pushId: 7, taskId: 8, guid: Self.guidA)
        var report = try Self.review([story.scp, story.mp], settings: Self.settings(at: 3600))
        #expect(report.actions.map(\.outcome) == [.pushed])
        #expect(try #require(report.actions.first).reason == .clientLogNotGiven)

        story.receive(at: 20, pushId: 9, taskId: 10, guid: Self.guidB)  // another task on another device
        story.respond(at: 21, pushId: 9, taskId: 10)
        report = try Self.review([story.scp, story.mp, story.client], settings: Self.settings(at: 3600))
        #expect(report.actions.map(\.outcome) == [.pushed])
        #expect(try #require(report.actions.first).reason == .clientLogLacksTask)

        // Received but not answered (yet): still pushed, with the receipt.
        var unanswered = Story()
        unanswered.action(at: 10, user: Self.userA, guid: Self.guidA)
        unanswered.push(at: 12, pushId: 7, taskId: 8, guid: Self.guidA)
        unanswered.receive(at: 13, pushId: 7, taskId: 8, guid: Self.guidA)
        report = try Self.review([unanswered.scp, unanswered.mp, unanswered.client], settings: Self.settings(at: 3600))
        #expect(report.actions.map(\.outcome) == [.pushed])
        #expect(try report.actions.at(0).clientReceivedAt == Self.t(13))
        #expect(try report.actions.at(0).clientReturnCode == nil)
    }

    @Test("forwarded: BgbServer.log not given, or it cannot tell yet")
    func forwarded() throws {
        var story = Story()
        story.action(at: 10, user: Self.userA, guid: Self.guidA)
        // Only the service connection point's log.
        var report = try Self.review([story.scp], settings: Self.settings(at: 3600))
        #expect(report.actions.map(\.outcome) == [.forwarded])
        #expect(try #require(report.actions.first).reason == .managementPointLogNotGiven)
        #expect(report.findings.isEmpty)

        // BgbServer.log given but it ends 2 minutes after the forward: less than the grace.
        Story.idle(&story.mp, at: 130)
        report = try Self.review([story.scp, story.mp], settings: Self.settings(at: 3600))
        #expect(report.actions.map(\.outcome) == [.forwarded])
        guard case .managementPointLogEndsEarly? = try #require(report.actions.first).reason else { Issue.record("expected managementPointLogEndsEarly"); return }
        #expect(try #require(report.actions.first).reason?.sentence(on: .utc).contains("cannot tell") == true)

        // BgbServer.log reaches far enough, but the evaluation time is within the grace of the forward.
        Story.idle(&story.mp, at: 1800)
        report = try Self.review([story.scp, story.mp], settings: Self.settings(at: 300))
        #expect(report.actions.map(\.outcome) == [.forwarded])
        guard case .awaitingPush? = try #require(report.actions.first).reason else { Issue.record("expected awaitingPush"); return }
        #expect(try #require(report.actions.first).reason?.sentence(on: .utc).contains("may still come") == true)
    }

    @Test("not-delivered: forwarded, and the BgbServer.log given holds no push for it")
    func notDelivered() throws {
        var story = Story()
        story.push(at: 5, pushId: 40, taskId: 41, guid: Self.guidB)  // another task
        story.action(at: 10, user: Self.userA, guid: Self.guidA)
        story.push(at: 1500, pushId: 42, taskId: 43, guid: Self.guidB)  // 25 minutes later
        let report = try Self.review([story.scp, story.mp], settings: Self.settings(at: 3600))
        #expect(report.actions.map(\.outcome) == [.notDelivered])
        #expect(report.verdict == .degraded)
        let finding = try #require(report.findings.first { $0.id == .actionNotDelivered })
        #expect(finding.severity == .warning)
        #expect(finding.detail.contains(Self.guidA))
        #expect(finding.evidence.first?.text.hasPrefix("Forwarded BGB remote task.") == true)
        // The other task's pushes make no action of their own.
        #expect(report.actions.count == 1)
    }

    @Test("unauthorized: one error finding per user and template, with the documented remediation")
    func unauthorized() throws {
        var story = Story()
        story.action(at: 10, user: Self.userA, guid: nil, authorized: false)
        story.action(at: 70, user: Self.userA, guid: nil, authorized: false)
        story.action(at: 130, user: Self.userB, guid: nil, authorized: false)
        story.action(at: 190, user: Self.userA, guid: nil, authorized: false, template: "RequestUserPolicy")
        story.action(at: 250, user: Self.userC, guid: Self.guidA)
        let report = try Self.review([story.scp], settings: Self.settings(at: 3600))
        #expect(report.actions.map(\.outcome) == [.unauthorized, .unauthorized, .unauthorized, .unauthorized, .forwarded])
        #expect(try report.actions.at(0).authorized == false)
        #expect(try report.actions.at(0).taskGuid == nil)
        let findings = report.findings.filter { $0.id == .actionUnauthorized }
        #expect(findings.count == 3)
        #expect(findings.allSatisfy { $0.severity == .error })
        let first = try #require(findings.first { $0.title.contains(Self.userA) && $0.title.contains("RequestMachinePolicy") })
        #expect(first.count == 2)
        #expect(first.first == Self.t(10.05) && first.last == Self.t(70.05))
        #expect(first.remediation.contains("Azure AD user discovery"))
        #expect(first.remediation.contains("Active Directory user discovery"))
        #expect(first.remediation.contains("'Initiate Configuration Manager action' permission under Remote tasks"))
        #expect(first.evidence.allSatisfy { $0.text.hasPrefix("Unauthorized to perform client action.") })
        #expect(findings.contains { $0.title.contains(Self.userB) && $0.count == 1 })
        #expect(findings.contains { $0.title.contains(Self.userA) && $0.title.contains("RequestUserPolicy") })
        #expect(report.verdict == .failing)
    }

    @Test("not-forwarded and pending: judged by --grace against the evaluation time")
    func notForwardedAndPending() throws {
        var story = Story()
        story.action(at: 10, user: Self.userA, guid: nil)
        // 5 minutes later: still within the 10 minute grace.
        var report = try Self.review([story.scp], settings: Self.settings(at: 310))
        #expect(report.actions.map(\.outcome) == [.pending])
        #expect(!report.findings.contains { $0.id == .actionNotForwarded })
        // 11 minutes later: not forwarded.
        report = try Self.review([story.scp], settings: Self.settings(at: 670))
        #expect(report.actions.map(\.outcome) == [.notForwarded])
        let finding = try #require(report.findings.first { $0.id == .actionNotForwarded })
        #expect(finding.severity == .warning)
        #expect(finding.detail.contains("1 authorized"))
        #expect(report.verdict == .degraded)
        // A shorter --grace judges it sooner.
        report = try Self.review([story.scp], settings: Self.settings(at: 310, grace: 120))
        #expect(report.actions.map(\.outcome) == [.notForwarded])
        // Received, and nothing after it: no authorization line either.
        var bare = Story()
        bare.scp.add(10, "Received new notification. Validating basic notification details...")
        report = try Self.review([bare.scp], settings: Self.settings(at: 3600))
        #expect(report.actions.map(\.outcome) == [.notForwarded])
        #expect(try report.actions.at(0).authorized == nil)
        #expect(report.findings.first { $0.id == .actionNotForwarded }?.detail.contains("no authorization line") == true)
        // The evaluation time defaults to the last record's time.
        Story.idle(&bare.scp, at: 200)
        report = try Self.review([bare.scp])
        #expect(report.actions.map(\.outcome) == [.pending])
    }

    @Test("401s from the Notification endpoint stay notification-unauthorized, not an action finding")
    func notificationUnauthorizedNotDuplicated() throws {
        var story = Story()
        story.scp.add(5, "[GetNotifications] Response from https://us.gateway.configmgr.manage.microsoft.com/api/gateway/Notification is: 401 (Unauthorized)", type: 3)
        story.scp.add(5.01, "Response status code: 401 (Unauthorized) Activity ID: 4c536a72-fd7f-4d08-948a-3e65d2129e44", type: 3)
        let report = try Self.review([story.scp])
        #expect(report.findings.map(\.id) == [.notificationUnauthorized])
        #expect(report.actions.isEmpty)
    }

    // MARK: Pairing

    @Test("interleaved actions on different threads pair by thread")
    func interleavedThreads() throws {
        var story = Story()
        let lines: [(Double, Int, String)] = [
            (10.000, 1, "Received new notification. Validating basic notification details..."),
            (10.140, 2, "Received new notification. Validating basic notification details..."),
            (10.153, 1, "Validating device action message content..."),
            (10.171, 2, "Validating device action message content..."),
            (10.322, 3, "Received new notification. Validating basic notification details..."),
            (10.390, 1, "Authorized to perform client action. TemplateID: RequestMachinePolicy TenantId: \(Story.tenant) AADUserID:     \(Self.userA)"),
            (10.406, 2, "Authorized to perform client action. TemplateID: RequestMachinePolicy TenantId: \(Story.tenant) AADUserID:     \(Self.userB)"),
            (10.455, 3, "Validating device action message content..."),
            (10.610, 2, "Forwarded BGB remote task. TemplateID: 1 TaskGuid: \(Self.guidB) TaskParam: TargetDeviceIDs: 2"),
            (10.702, 1, "Forwarded BGB remote task. TemplateID: 1 TaskGuid: \(Self.guidA) TaskParam: TargetDeviceIDs: 1"),
            (10.733, 3, "Unauthorized to perform client action. TemplateID: RequestMachinePolicy TenantId: \(Story.tenant) AADUserID: \(Self.userC)"),
        ]
        for (seconds, thread, message) in lines { story.scp.add(seconds, message, thread: thread) }
        let report = try Self.review([story.scp], settings: Self.settings(at: 3600))
        let actions = report.actions
        try #require(actions.count == 3)
        #expect(actions.map(\.aadUserId) == [Self.userA, Self.userB, Self.userC])
        #expect(actions.map(\.taskGuid) == [Self.guidA, Self.guidB, nil])
        #expect(actions.map(\.targetDeviceIds) == ["1", "2", nil])
        #expect(actions.map(\.outcome) == [.forwarded, .forwarded, .unauthorized])
        #expect(actions.map(\.received) == [Self.t(10), Self.t(10.14), Self.t(10.322)])
        #expect(try actions.at(0).validatedAt == Self.t(10.153) && actions.at(1).validatedAt == Self.t(10.171))
    }

    @Test("a continuation on another thread joins the open action; a new Received ends the previous one on its thread")
    func threadSwitchAndRestart() throws {
        var story = Story()
        // Action A starts on thread 1 and goes on on thread 2.
        story.scp.add(10, "Received new notification. Validating basic notification details...", thread: 1)
        story.scp.add(10.01, "Validating device action message content...", thread: 1)
        story.scp.add(10.05, "Authorized to perform client action. TemplateID: RequestMachinePolicy TenantId: \(Story.tenant) AADUserID: \(Self.userA)", thread: 2)
        story.scp.add(10.2, "Forwarded BGB remote task. TemplateID: 1 TaskGuid: \(Self.guidA) TaskParam: TargetDeviceIDs: 1", thread: 2)
        // Action B on thread 1 stops after validating; action C starts on the same thread.
        story.scp.add(100, "Received new notification. Validating basic notification details...", thread: 1)
        story.scp.add(100.01, "Validating device action message content...", thread: 1)
        story.action(at: 200, thread: 1, user: Self.userC, guid: Self.guidB)
        // A forwarded line with nothing before it (the log began mid-action).
        story.scp.add(300, "Forwarded BGB remote task. TemplateID: 1 TaskGuid: 11111111-2222-4333-8444-555555555555 TaskParam: TargetDeviceIDs: 3", thread: 9)
        let report = try Self.review([story.scp], settings: Self.settings(at: 3600))
        let actions = report.actions
        try #require(actions.count == 4)
        #expect(try actions.at(0).aadUserId == Self.userA && actions.at(0).taskGuid == Self.guidA && actions.at(0).received == Self.t(10))
        #expect(try actions.at(1).received == Self.t(100) && actions.at(1).outcome == .notForwarded && actions.at(1).authorized == nil)
        #expect(try actions.at(2).aadUserId == Self.userC && actions.at(2).taskGuid == Self.guidB && actions.at(2).received == Self.t(200))
        #expect(try actions.at(3).received == nil && actions.at(3).forwardedAt == Self.t(300) && actions.at(3).outcome == .forwarded)
    }

    @Test("the client's response joins by PushID and TaskID, else the most recent unanswered receipt")
    func responseJoin() throws {
        var story = Story()
        story.action(at: 10, user: Self.userA, guid: Self.guidA)
        story.action(at: 10.5, thread: 200, user: Self.userB, guid: Self.guidB)
        story.push(at: 12, pushId: 21, taskId: 31, guid: Self.guidA)
        story.push(at: 12.5, pushId: 22, taskId: 32, guid: Self.guidB)
        story.receive(at: 13, pushId: 21, taskId: 31, guid: Self.guidA)
        story.receive(at: 13.5, pushId: 22, taskId: 32, guid: Self.guidB)
        // A answers first: only the ids say so (the most recent receipt is B's).
        story.respond(at: 14, pushId: 21, taskId: 31, code: 0)
        story.respond(at: 15, pushId: 22, taskId: 32, code: 1)
        var report = try Self.review([story.scp, story.mp, story.client], settings: Self.settings(at: 3600))
        #expect(report.actions.map(\.clientReturnCode) == [0, 1])
        #expect(report.actions.map(\.clientRespondedAt) == [Self.t(14), Self.t(15)])
        #expect(report.actions.flatMap(\.clients).map(\.matchedBy) == [.ids, .ids])

        // Microsoft's example: received pushid=7, taskid=8; the response says PushID 8, TaskID 9.
        var documented = Story()
        documented.action(at: 10, user: Self.userA, guid: Self.guidA)
        documented.push(at: 12, pushId: 7, taskId: 8, guid: Self.guidA)
        documented.receive(at: 13, pushId: 7, taskId: 8, guid: Self.guidA)
        documented.respond(at: 14, pushId: 8, taskId: 9)
        report = try Self.review([documented.scp, documented.mp, documented.client], settings: Self.settings(at: 3600))
        #expect(report.actions.map(\.outcome) == [.completed])
        #expect(try report.actions.at(0).clients.first?.matchedBy == .mostRecentUnanswered)
        #expect(try report.actions.at(0).clientReturnCode == 1)
    }

    @Test("TaskGuid joins ignore case")
    func guidCase() throws {
        var story = Story()
        let mixed = "A43dd1B3-a006-4604-B012-5529380b3B6F"
        story.action(at: 10, user: Self.userA, guid: mixed)
        story.push(at: 12, pushId: 7, taskId: 8, guid: Self.guidA.uppercased())
        story.client.add(13, "Receive task from server with pushid=7, taskid=8, taskguid=\(Self.guidA), tasktype=1 and taskParam=", thread: 5520)
        story.respond(at: 14, pushId: 7, taskId: 8)
        let report = try Self.review([story.scp, story.mp, story.client], settings: Self.settings(at: 3600))
        #expect(report.actions.map(\.outcome) == [.completed])
        #expect(try report.actions.at(0).taskGuid == mixed)
    }

    // MARK: Order and packaging of the inputs

    /// A story with one action of every outcome that the three logs decide.
    static func mixedStory() -> Story {
        var story = Story()
        story.action(at: 10, user: Self.userA, guid: Self.guidA)  // completed
        story.push(at: 12, pushId: 7, taskId: 8, guid: Self.guidA)
        story.receive(at: 13, pushId: 7, taskId: 8, guid: Self.guidA)
        story.respond(at: 14, pushId: 8, taskId: 9)
        story.action(at: 10.1, thread: 200, user: Self.userB, guid: Self.guidB)  // pushed, never received
        story.push(at: 12.2, pushId: 9, taskId: 10, guid: Self.guidB)
        story.action(at: 60, thread: 300, user: Self.userC, guid: nil, authorized: false)  // unauthorized
        story.action(at: 120, user: Self.userC, guid: "11111111-2222-4333-8444-555555555555")  // not delivered
        story.action(at: 180, thread: 400, user: Self.userA, guid: nil)  // not forwarded
        Story.idle(&story.mp, at: 1900)
        Story.idle(&story.scp, at: 2000)
        return story
    }

    @Test("the three logs in any order, and the notification log split by rotation, give the same actions")
    func anyOrder() throws {
        let story = Self.mixedStory()
        let logs = [story.scp, story.mp, story.client]
        let expected = try Self.review(logs).actions.map(Summary.init)
        #expect(expected.map(\.outcome) == [.completed, .pushed, .unauthorized, .notDelivered, .notForwarded])
        for order in [[0, 1, 2], [0, 2, 1], [1, 0, 2], [1, 2, 0], [2, 0, 1], [2, 1, 0]] {
            let actions = try Self.review(order.map { logs[$0] }).actions.map(Summary.init)
            #expect(actions == expected, "order \(order)")
        }
        // The notification log rotated in the middle of an action, its halves given newest first.
        let cut = 5
        var old = story.scp
        old.name = "CMGatewayNotificationWorker.lo_"
        old.records = Array(story.scp.records[..<cut])
        var new = story.scp
        new.records = Array(story.scp.records[cut...])
        let rotated = try Self.review([story.client, new, story.mp, old]).actions.map(Summary.init)
        #expect(rotated == expected)
        // The same log given twice (two overlapping copies) does not double the actions.
        let twice = try Self.review([story.scp, story.mp, story.client, story.scp]).actions.map(Summary.init)
        #expect(twice == expected)
    }

    @Test("piped together on one standard input, the three logs give the same actions")
    func pipedTogether() throws {
        let story = Self.mixedStory()
        let expected = try Self.review([story.scp, story.mp, story.client]).actions.map(Summary.init)
        for order in [[0, 1, 2], [2, 1, 0], [1, 2, 0]] {
            let logs = [story.scp, story.mp, story.client]
            let piped = order.map { logs[$0].text }.joined()
            let report = try Self.review([(name: "stdin", kind: .unknown, text: piped)])
            #expect(report.actions.map(Summary.init) == expected, "order \(order)")
            #expect(report.findings.map(\.id).sorted() == [.actionNotDelivered, .actionNotForwarded, .actionUnauthorized])
        }
    }

    @Test("the command line: a folder and the same logs piped in give the same actions")
    func commandLinePiped() throws {
        let folder = Self.samples + "/action-completed"
        let names = ["BgbServer.log", "CcmNotificationAgent.log", "CMGatewayNotificationWorker.log", "CMGatewaySyncUploadWorker.log"]
        let fromFolder = try Self.runJSON(["review", "--format", "json", folder])
        var piped: [UInt8] = []
        for name in names { piped += Array(try Data(contentsOf: URL(fileURLWithPath: folder + "/" + name))) }
        let fromPipe = try Self.runJSON(["review", "--format", "json", "-"], input: piped)
        let keys = ["received", "taskGuid", "aadUserId", "forwardedAt", "pushedAt", "pushId", "taskId",
                    "clientReceivedAt", "clientRespondedAt", "clientReturnCode", "outcome"]
        func project(_ report: [String: Any]) -> [String] {
            ((report["actions"] as? [[String: Any]]) ?? []).map { action in
                keys.map { "\($0)=\(action[$0].map { "\($0)" } ?? "nil")" }.joined(separator: " ")
            }
        }
        #expect(project(fromFolder).count == 2)
        #expect(project(fromPipe) == project(fromFolder))
    }

    // MARK: Reports

    @Test("JSON: the keys issue 4 lists, in order, times in UTC ISO 8601")
    func jsonKeys() throws {
        var story = Story()
        story.action(at: 10, user: Self.userA, guid: Self.guidA)
        story.push(at: 12, pushId: 7, taskId: 8, guid: Self.guidA)
        story.receive(at: 13.5, pushId: 7, taskId: 8, guid: Self.guidA)
        story.respond(at: 16, pushId: 7, taskId: 8)
        let report = try Self.review([story.scp, story.mp, story.client])
        guard case .object(let members) = ActionsJSON.value(try #require(report.actions.first), clock: .utc) else {
            Issue.record("not an object")
            return
        }
        let keys = members.map(\.0)
        let listed = ["received", "template", "tenantId", "aadUserId", "authorized", "taskGuid", "targetDeviceIds",
                      "forwardedAt", "pushedAt", "pushId", "taskId", "clientReceivedAt", "clientReturnCode", "outcome"]
        let positions = listed.compactMap { keys.firstIndex(of: $0) }
        #expect(positions.count == listed.count)
        #expect(positions == positions.sorted())
        let value = Dictionary(members, uniquingKeysWith: { a, _ in a })
        #expect(value["received"] == JSON.string("2020-05-04T10:00:10.000Z"))
        #expect(value["pushedAt"] == JSON.string("2020-05-04T10:00:12.000Z"))
        #expect(value["clientReceivedAt"] == JSON.string("2020-05-04T10:00:13.500Z"))
        #expect(value["outcome"] == JSON.string("completed"))
        #expect(value["clientReturnCode"] == JSON.int(1))
        guard case .object(let seconds)? = value["seconds"] else {
            Issue.record("no seconds object")
            return
        }
        let durations = Dictionary(seconds, uniquingKeysWith: { a, _ in a })
        #expect(durations["receivedToForwarded"] == JSON.number(0.25))
        #expect(durations["forwardedToPushed"] == JSON.number(1.75))
        #expect(durations["receivedToClientReceived"] == JSON.number(3.5))
    }

    @Test("text: one line per action and a count line in the answer when one did not complete")
    func text() throws {
        let story = Self.mixedStory()
        let report = try Self.review([story.scp, story.mp, story.client])
        let out = Output()
        TextReport(style: Style(enabled: false), time: .utc).write(report, settings: AnalysisSettings(), to: out)
        let lines = out.text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        #expect(lines.contains("Device actions: 5 followed: 1 completed, 1 pushed, 1 unauthorized, 1 not forwarded, 1 not delivered."))
        let header = try #require(lines.firstIndex { $0.hasPrefix("Device actions (times UTC)") })
        let rows = Array(lines[(header + 2)...].prefix { !$0.isEmpty })
        #expect(rows.count == 5)
        #expect(try rows.at(0).hasPrefix("  2020-05-04 10:00:10  RequestMachinePolicy  \(Self.userA)  completed"))
        #expect(try rows.at(0).contains("3 s rc=1"))
        #expect(try rows.at(0).hasSuffix(Self.guidA + "  policy"))  // the kind column (issue 12 item 3): RequestMachinePolicy is documented
        #expect(try rows.at(2).contains("unauthorized"))

        // All completed: no count line.
        var done = Story()
        done.action(at: 10, user: Self.userA, guid: Self.guidA)
        done.receive(at: 13, pushId: 7, taskId: 8, guid: Self.guidA)
        done.respond(at: 14, pushId: 7, taskId: 8)
        let quiet = Output()
        TextReport(style: Style(enabled: false), time: .utc).write(try Self.review([done.scp, done.client]), settings: AnalysisSettings(), to: quiet)
        #expect(!quiet.text.contains("Device actions: "))
        #expect(quiet.text.contains("Device actions (times UTC)"))
    }

    // MARK: Samples

    static let samples = repositoryRoot.appendingPathComponent("SampleLogs").path

    static func runJSON(_ arguments: [String], input: [UInt8] = []) throws -> [String: Any] {
        let out = Output(), err = Output()
        let context = CommandContext(standardOutput: out, standardError: err, standardInput: input, outputIsTerminal: false)
        _ = CMLogCheck.run(arguments: arguments, context: context)
        let object = try JSONSerialization.jsonObject(with: Data(out.text.utf8))
        return try #require(object as? [String: Any], "no JSON report: \(err.text)")
    }

    @Test("device action samples match their expected.json", arguments: ["action-unauthorized", "action-completed", "action-not-pushed", "action-interleaved"])
    func sample(_ name: String) throws {
        let folder = Self.samples + "/" + name
        let expectedData = try Data(contentsOf: URL(fileURLWithPath: folder + "/expected.json"))
        let expected = try #require(try JSONSerialization.jsonObject(with: expectedData) as? [String: Any])
        let report = try Self.runJSON(["review", "--format", "json", folder])
        #expect(report["verdict"] as? String == expected["verdict"] as? String)
        let findings = ((report["findings"] as? [[String: Any]]) ?? []).compactMap { $0["id"] as? String }
        #expect(Array(Set(findings)).sorted() == (expected["findingIds"] as? [String]))
        let cycles = ((report["sync"] as? [String: Any])?["cycles"] as? [[String: Any]]) ?? []
        #expect(cycles.count == expected["cycles"] as? Int)
        if let wanted = expected["actions"] as? [[String: Any]] {
            let actions = (report["actions"] as? [[String: Any]]) ?? []
            let got = actions.map { "\($0["taskGuid"] as? String ?? "null") \($0["outcome"] as? String ?? "?")" }
            let want = wanted.map { "\($0["taskGuid"] as? String ?? "null") \($0["outcome"] as? String ?? "?")" }
            #expect(got == want)
        }
    }
}
