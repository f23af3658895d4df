import LogInput
import LogAnalysis

/// The sentence people read for an action's outcome reason (`reason` in the JSON
/// report, docs/actions.md). The analysis hands on the facts; the words are here.
extension OutcomeReason {
    package func sentence(on clock: LogClock) -> String {
        func at(_ instant: Instant) -> String { TimeText.iso8601(instant, on: clock) }
        switch self {
        case .unauthorized:
            return "Configuration Manager refused the action for this user: 'Unauthorized to perform client action'."
        case .notForwardedUntimed(let grace):
            return "No 'Forwarded BGB remote task' line, and the log has no times to judge the \(describe(seconds: grace)) grace by."
        case .notForwarded(let authorized, let waited, let grace):
            let decided = authorized ? "It was authorized" : "No authorization line followed"
            return "\(decided), but no 'Forwarded BGB remote task' line came in the \(describe(seconds: waited)) up to the evaluation time (grace \(describe(seconds: grace)))."
        case .awaitingForwarding(let waited, let grace):
            return "Received \(describe(seconds: waited)) before the evaluation time, within the \(describe(seconds: grace)) grace: it may still be forwarded."
        case .clientAnswered(let returnCode, let input):
            let code = returnCode.map { " with ReturnCode \($0)" } ?? ""
            return "The client answered\(code) (\(input))."
        case .clientSilent:
            return "The client received the task; the client log given shows no response to it."
        case .clientLogLacksTask:
            return "The management point sent the push; no CcmNotificationAgent.log given shows this TaskGuid (it may be another device's log)."
        case .clientLogNotGiven:
            return "The management point sent the push; CcmNotificationAgent.log was not given."
        case .managementPointLogNotGiven:
            return "Forwarded to the management point; BgbServer.log was not given."
        case .clocksDiffer(let grace):
            return "Forwarded; the logs are on different clocks (one carries a bias, another none), so whether BgbServer.log reaches past the \(describe(seconds: grace)) grace cannot be told: pass --tz with the servers' zone."
        case .managementPointLogUntimed:
            return "Forwarded; BgbServer.log has no times to tell whether it should show the push."
        case .managementPointLogEndsEarly(let forwarded, let end, let grace):
            return "Forwarded at \(at(forwarded)); the BgbServer.log given ends at \(at(end)), less than the \(describe(seconds: grace)) grace after it, so it cannot tell whether the push came."
        case .awaitingPush(let waited, let grace):
            return "Forwarded \(describe(seconds: waited)) before the evaluation time, within the \(describe(seconds: grace)) grace: the push may still come."
        case .noPush(let forwarded, let end):
            return "Forwarded at \(at(forwarded)); the BgbServer.log given runs to \(at(end)) and holds no push for this TaskGuid."
        }
    }
}
