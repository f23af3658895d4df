import LogInput
import LogRules
import LogAnalysis
/// Which finding a failure fact supports, and how severe it is: the one
/// decision that `review`'s failure findings and `tail`'s alerts share.
package enum FailureDecision {
    /// The finding and severity of one fact; nil for a fact that is no failure
    /// of its own (an activity ID belongs to the failure before it).
    package static func finding(for fact: FailureTracker.Fact) -> (id: FindingID, severity: Severity)? {
        switch fact {
        case .http(let key, _):
            let id = FailureFindings.findingID(endpoint: key.endpoint, status: key.status)
            return (id, id == .providerForbidden ? FindingTexts.text(id).severity : .error)
        case .activity:
            return nil
        case .network:
            return (.serviceUnreachable, .error)
        case .exception(_, let level, _, _):
            return (.uploadException, level)
        case .known(let kind, _):
            // The line before a failure is none of its own; every other kind is the finding of its name.
            guard kind.isFailure, let id = FindingID(rawValue: kind.rawValue) else { return nil }
            return (id, FindingTexts.text(id).severity)
        }
    }
}
