import LogInput
import LogRules
/// The one decision of what went wrong, for `review` and `tail` alike: turns
/// failure events into failure facts, so that one failure written as several
/// lines (a response, its status line, the exception that ends the block)
/// is one fact, and an exception whose record is also a network failure is
/// the network failure. `FailureCollector` counts the facts for the review;
/// `tail` alerts on them as they come.
package final class FailureTracker {
    /// One failure, as soon as it is known.
    package enum Fact {
        /// A new HTTP failure: an answer of 400 or more, or an exception that names one.
        case http(FailureFacts.HTTPKey, Event)
        /// A status line's activity ID, for the HTTP failure it belongs to.
        case activity(FailureFacts.HTTPKey, String)
        /// The gateway could not be reached; `cause` as the rule names it (a 407 is `proxy`).
        case network(cause: String, host: String?, Event)
        /// An exception no HTTP failure or network failure explains.
        case exception(FailureFacts.ExceptionKey, level: Severity, message: String, Event)
        /// A failure whose cause and fix are written down (`failure.known` rules, a push status
        /// report with failed clients); it explains the exception and the network failure of its record.
        case known(KnownFailure, Event)
    }

    /// How far (in lines) a status line or exception may follow the response it belongs to.
    static let linkDistance = 12

    /// The last HTTP failure per input, to tie its status line and exception to it.
    private var lastHTTPFailure: [Int: (key: FailureFacts.HTTPKey, line: Int)] = [:]
    /// The last URL each input talked to, for failures that name none.
    private var lastURL: [Int: String] = [:]
    /// An exception held back one event of its input, in case the same record is a network failure.
    private var heldException: [Int: Event] = [:]
    /// The lines of the last known failure per input: a network failure in the same record is that failure.
    private var lastKnown: [Int: (line: Int, endLine: Int)] = [:]

    package init() {}

    /// The last URL `input` talked to.
    package func lastURL(ofInput input: Int) -> String? { lastURL[input] }

    package func consume(_ event: Event, _ found: (Fact) -> Void) {
        // Most events find nothing held: skip the hashing then.
        if !heldException.isEmpty, let held = heldException.removeValue(forKey: event.input) {
            let explains = event.type == .networkFailure
                || (event.type == .knownFailure && KnownFailure(rawValue: event["kind"] ?? "")?.isFailure == true)
            let sameRecord = explains && event.line >= held.line && event.line <= held.endLine
            if !sameRecord { commitException(held, found) }
        }
        switch event.type {
        case .httpRequest, .uploadFailed:
            if let url = event["url"] { lastURL[event.input] = url }
        case .httpResponse:
            if let url = event["url"] { lastURL[event.input] = url }
            guard let status = Int(event["status"] ?? ""), status >= 400 else { return }
            recordHTTP(status: status, url: event["url"], event: event, found)
        case .httpStatus:
            guard let status = Int(event["status"] ?? ""), status >= 400 else { return }
            if let last = lastHTTPFailure[event.input], last.key.status == status,
               event.line - last.line <= FailureTracker.linkDistance {
                if let activity = event["activity"] { found(.activity(last.key, activity)) }
            } else {
                recordHTTP(status: status, url: lastURL[event.input], event: event, found)
                if let activity = event["activity"], let key = lastHTTPFailure[event.input]?.key {
                    found(.activity(key, activity))
                }
            }
        case .exception:
            heldException[event.input] = event
        case .networkFailure:
            if let known = lastKnown[event.input], event.line >= known.line, event.line <= known.endLine { return }
            found(.network(cause: event["cause"] ?? "network", host: event["host"], event))
        case .knownFailure:
            guard let kind = KnownFailure(rawValue: event["kind"] ?? "") else { return }
            if kind.isFailure { lastKnown[event.input] = (event.line, event.endLine) }
            found(.known(kind, event))
        case .pushReport:
            guard (event.number("failed") ?? 0) > 0 else { return }
            found(.known(.pushPartiallyFailed, event))
        default:
            break
        }
    }

    /// Whether an exception of `input` waits for the input's next event.
    package func isHolding(input: Int) -> Bool { heldException[input] != nil }

    /// Hands on the held exception of `input` (its log went quiet or ended), or of every input.
    package func flush(input: Int? = nil, _ found: (Fact) -> Void) {
        let inputs = input.map { [$0] } ?? heldException.keys.sorted()
        for index in inputs {
            if let held = heldException.removeValue(forKey: index) { commitException(held, found) }
        }
    }

    private func recordHTTP(status: Int, url: String?, event: Event, _ found: (Fact) -> Void) {
        let key = FailureFacts.HTTPKey(endpoint: Endpoint(url: url, log: event.log), status: status)
        lastHTTPFailure[event.input] = (key, event.endLine)
        if status == 407 {
            // Proxy Authentication Required: a network failure, whichever endpoint asked.
            found(.network(cause: "proxy", host: nil, event))
            return
        }
        found(.http(key, event))
    }

    private func commitException(_ event: Event, _ found: (Fact) -> Void) {
        if let status = FailureTracker.httpStatus(inExceptionMessage: event["message"] ?? event.text) {
            if let last = lastHTTPFailure[event.input], last.key.status == status,
               event.line - last.line <= FailureTracker.linkDistance {
                return  // the exception the documented failure block ends with: already counted
            }
            recordHTTP(status: status, url: lastURL[event.input], event: event, found)
            return
        }
        let key = FailureFacts.ExceptionKey(type: event["type"] ?? "exception", hresult: (event["hresult"] ?? "").lowercased())
        found(.exception(key, level: FailureTracker.level(of: event), message: firstLine(event["message"] ?? event.text), event))
    }

    /// An exception header's level: `Critical` and `Error` are errors, anything else a warning.
    static func level(of event: Event) -> Severity {
        ["critical", "error"].contains((event["level"] ?? "").lowercased()) ? .error : .warning
    }

    /// The status in `The remote server returned an error: (401) Unauthorized.`
    static func httpStatus(inExceptionMessage message: String) -> Int? {
        guard let marker = message.firstRange(of: "returned an error: (") else { return nil }
        let digits = message[marker.upperBound...].prefix(3)
        guard digits.count == 3, digits.allSatisfy(\.isNumber) else { return nil }
        return Int(digits)
    }
}
