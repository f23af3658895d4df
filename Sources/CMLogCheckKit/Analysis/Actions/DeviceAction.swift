/// One device action started from the admin center, followed across the
/// service connection point, the management point and the client
/// (docs/actions.md). Assembled by `ActionTracker`.
public struct DeviceAction: Sendable {
    public enum Outcome: String, Sendable, CaseIterable {
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
    public struct ClientReceipt: Sendable {
        /// How the client's response was tied to this receipt: the response carries
        /// PushID and TaskID but no TaskGuid (docs/actions.md).
        public enum Match: String, Sendable {
            case ids = "push-and-task-id"
            case mostRecentUnanswered = "most-recent-unanswered"
        }

        /// The client log (input name) the receipt is in.
        public var input: String
        public var receivedAt: Instant?
        public var pushId: String?
        public var taskId: String?
        public var respondedAt: Instant?
        public var returnCode: Int?
        public var matchedBy: Match?

        public init(input: String) { self.input = input }
    }

    public var received: Instant?
    public var template: String?
    public var tenantId: String?
    public var aadUserId: String?
    public var authorized: Bool?
    public var taskGuid: String?
    public var targetDeviceIds: String?
    public var forwardedAt: Instant?
    public var pushedAt: Instant?
    public var pushId: String?
    public var taskId: String?
    /// The first client receipt, and the first response to it (see `clients` for all).
    public var clientReceivedAt: Instant?
    public var clientRespondedAt: Instant?
    public var clientReturnCode: Int?
    public var outcome: Outcome
    public var evidence: [Evidence] = []

    // Added by the action tracker (JSON keys after the ones issue 4 lists).
    /// `Validating device action message content...`.
    public var validatedAt: Instant?
    /// The `Authorized`/`Unauthorized to perform client action` line.
    public var decidedAt: Instant?
    /// The `TemplateID` of the `Forwarded BGB remote task` line (a number there, a name in the authorization line).
    public var templateId: String?
    /// `to N clients` in the management point's push line.
    public var pushedClients: Int?
    /// Every client receipt of the task, earliest first.
    public var clients: [ClientReceipt] = []
    /// Why the outcome is what it is, in a sentence.
    public var reason = ""

    public init(outcome: Outcome) { self.outcome = outcome }

    /// When the action shows first: received, else its first line.
    public var start: Instant? { received ?? validatedAt ?? decidedAt ?? forwardedAt }

    /// The action's name for people: the template, else the forwarded TemplateID.
    public var templateName: String? { template ?? templateId.map { "TemplateID \($0)" } }
}
