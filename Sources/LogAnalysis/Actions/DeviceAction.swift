import LogInput
import LogRules
/// One device action started from the admin center, followed across the
/// service connection point, the management point and the client
/// (docs/actions.md). Assembled by `ActionTracker`.
package struct DeviceAction: Sendable {
    package enum Outcome: String, Sendable, CaseIterable {
        /// A client answered the task (`Send Task response message ... successfully`).
        case completed
        /// The management point sent the push; no given client log shows an answer.
        case pushed
        /// Forwarded to the management point; BgbServer.log not given, or it cannot tell yet.
        case forwarded
        /// Configuration Manager refused the user (`Unauthorized to perform client action`).
        case unauthorized
        /// Received, and no `Forwarded BGB remote task` line within `--grace`.
        case notForwarded = "not-forwarded"
        /// Forwarded, but the BgbServer.log given holds no push for its TaskGuid.
        case notDelivered = "not-delivered"
        /// Received less than `--grace` before the evaluation time, not forwarded yet:
        /// cmlogcheck's addition to the outcomes issue 4 lists, so that such an action
        /// is neither called lost nor called done.
        case pending
    }

    /// What a client log shows for one receipt of the task.
    package struct ClientReceipt: Sendable {
        /// How the client's response was tied to this receipt: the response carries
        /// PushID and TaskID but no TaskGuid (docs/actions.md).
        package enum Match: String, Sendable {
            case ids = "push-and-task-id"
            case mostRecentUnanswered = "most-recent-unanswered"
        }

        /// The client log (input name) the receipt is in.
        package var input: String
        package var receivedAt: Instant?
        package var pushId: String?
        package var taskId: String?
        package var respondedAt: Instant?
        package var returnCode: Int?
        package var matchedBy: Match?

        package init(input: String) { self.input = input }
    }

    package var received: Instant?
    package var template: String?
    package var tenantId: String?
    package var aadUserId: String?
    package var authorized: Bool?
    package var taskGuid: String?
    package var targetDeviceIds: String?
    package var forwardedAt: Instant?
    package var pushedAt: Instant?
    package var pushId: String?
    package var taskId: String?
    /// The first client receipt, and the first response to it (see `clients` for all).
    package var clientReceivedAt: Instant?
    package var clientRespondedAt: Instant?
    package var clientReturnCode: Int?
    package var outcome: Outcome
    package var evidence: [Evidence] = []

    // Added by the action tracker (JSON keys after the ones issue 4 lists).
    /// `Validating device action message content...`.
    package var validatedAt: Instant?
    /// The `Authorized`/`Unauthorized to perform client action` line.
    package var decidedAt: Instant?
    /// The `TemplateID` of the `Forwarded BGB remote task` line (a number there, a name in the authorization line).
    package var templateId: String?
    /// `to N clients` in the management point's push line.
    package var pushedClients: Int?
    /// Every client receipt of the task, earliest first.
    package var clients: [ClientReceipt] = []
    /// Why the outcome is what it is (the sentence is LogFindings' `OutcomeReason.sentence`).
    package var reason: OutcomeReason?
    /// False when the logs the action passed through are on different clocks (one with a bias,
    /// one without, and no `--tz`): times across machines are then not compared.
    package var timesComparable = true

    // Added for issue 12 item 3.
    /// `TaskType` of the management point's push (`1` device actions, `15` scripts and CMPivot).
    package var taskType: String?
    /// What the action does, and whether that is documented or assumed (`ActionKind.classify`).
    package var kind: ActionKind = .other
    package var kindDocumented = false
    /// `Finished sending push task … to N clients`: when, and to how many.
    package var pushFinishedAt: Instant?
    package var pushFinishedClients: Int?
    /// The push's status report: clients reported and failed.
    package var reportedClients: Int?
    package var failedClients: Int?
    /// The SMS Provider that served the admin center's requests around the action
    /// (`Sending AdminService request with URL: …`), by host.
    package var provider: String?

    package init(outcome: Outcome) { self.outcome = outcome }

    /// When the action shows first: received, else its first line.
    package var start: Instant? { received ?? validatedAt ?? decidedAt ?? forwardedAt }

}

/// What an action does, from what the logs say of it (docs/actions.md, "Kinds"): the
/// authorization line's TemplateID name, else the push's TaskType.
package enum ActionKind: String, Sendable, CaseIterable {
    case policy
    case userPolicy = "user-policy"
    case appEvaluation = "app-evaluation"
    case script
    case cmpivot
    case other

    /// The ScriptGuid CMPivot always runs as (Microsoft: CMPivot troubleshooting, Scripts.log).
    package static let cmpivotScriptGuid = "7dc6b6f1-e7f6-43c1-96e0-e1d16bc25c14"

    /// The kind and whether it is documented (`RequestMachinePolicy`, TaskType 15) or assumed.
    package static func classify(template: String?, taskType: String?, taskParam: String?) -> (kind: ActionKind, documented: Bool) {
        let name = (template ?? "").lowercased()
        if name == "requestmachinepolicy" { return (.policy, true) }
        if name.contains("userpolicy") { return (.userPolicy, false) }
        if name.contains("machinepolicy") { return (.policy, false) }
        if name.contains("app") { return (.appEvaluation, false) }
        if taskType == "15" {
            let param = (taskParam ?? "").lowercased()
            return param.contains(cmpivotScriptGuid) ? (.cmpivot, false) : (.script, false)
        }
        return (.other, false)
    }

    package static func of(_ action: DeviceAction) -> ActionKind { action.kind }
}
