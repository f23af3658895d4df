import LogInput

/// Why an action's outcome is what it is, as facts: the sentence people read is
/// written from it in LogFindings (`OutcomeReason.sentence`), so the analysis
/// writes no prose.
package enum OutcomeReason: Sendable, Equatable {
    /// `Unauthorized to perform client action`.
    case unauthorized
    /// No `Forwarded BGB remote task` line, and no times to judge the grace by.
    case notForwardedUntimed(grace: Double)
    /// No `Forwarded BGB remote task` line within the grace; `authorized` says whether the authorization line came.
    case notForwarded(authorized: Bool, waited: Double, grace: Double)
    /// Received before the evaluation time, still within the grace.
    case awaitingForwarding(waited: Double, grace: Double)
    /// The client answered (`input` is the client log's name).
    case clientAnswered(returnCode: Int?, input: String)
    /// The client received the task and shows no response.
    case clientSilent
    /// Pushed; the client logs given do not show this TaskGuid.
    case clientLogLacksTask
    /// Pushed; no CcmNotificationAgent.log was given.
    case clientLogNotGiven
    /// Forwarded; no BgbServer.log was given.
    case managementPointLogNotGiven
    /// Forwarded; the logs are on different clocks, so the grace cannot be judged across them.
    case clocksDiffer(grace: Double)
    /// Forwarded; BgbServer.log has no times.
    case managementPointLogUntimed
    /// Forwarded; BgbServer.log ends before the grace after the forwarding is over.
    case managementPointLogEndsEarly(forwarded: Instant, end: Instant, grace: Double)
    /// Forwarded before the evaluation time, still within the grace.
    case awaitingPush(waited: Double, grace: Double)
    /// Forwarded, and BgbServer.log runs past the grace without a push for this TaskGuid.
    case noPush(forwarded: Instant, end: Instant)

    /// A stable kebab-case name for machines (`reasonCode` in the JSON report).
    package var code: String {
        switch self {
        case .unauthorized: "unauthorized"
        case .notForwardedUntimed: "not-forwarded-untimed"
        case .notForwarded: "not-forwarded-in-grace"
        case .awaitingForwarding: "awaiting-forwarding"
        case .clientAnswered: "client-answered"
        case .clientSilent: "client-silent"
        case .clientLogLacksTask: "client-log-lacks-task"
        case .clientLogNotGiven: "client-log-not-given"
        case .managementPointLogNotGiven: "management-point-log-not-given"
        case .clocksDiffer: "clocks-differ"
        case .managementPointLogUntimed: "management-point-log-untimed"
        case .managementPointLogEndsEarly: "management-point-log-ends-early"
        case .awaitingPush: "awaiting-push"
        case .noPush: "no-push"
        }
    }
}
