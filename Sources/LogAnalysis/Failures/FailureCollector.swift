import LogInput
import LogRules
import Foundation

/// Collects what went wrong on the service connection point: HTTP errors
/// from the gateway, exceptions, and network failures, grouped so that one
/// failure written as several lines (response, status line, exception) counts
/// once. Findings are decided from the groups by `FailureFindings`.
package final class FailureCollector: Analyzer {
    let settings: AnalysisSettings
    let catalog: RuleCatalog
    private var facts = FailureFacts()
    /// The last HTTP failure per input, to tie its status line and exception to it.
    private var lastHTTPFailure: [Int: (key: FailureFacts.HTTPKey, line: Int)] = [:]
    /// The last URL each input talked to, for failures that name none.
    private var lastURL: [Int: String] = [:]
    /// An exception held back one event, in case the same record is a network failure.
    private var heldException: Event?

    /// How far (in lines) a status line or exception may follow the response it belongs to.
    static let linkDistance = 12

    package init(settings: AnalysisSettings, catalog: RuleCatalog) {
        self.settings = settings
        self.catalog = catalog
    }

    package func consume(_ event: Event) {
        if let held = heldException {
            heldException = nil
            let sameRecord = event.type == .networkFailure && event.input == held.input
                && event.line >= held.line && event.line <= held.endLine
            if !sameRecord { commitException(held) }
        }
        switch event.type {
        case .httpRequest:
            if let url = event["url"] { lastURL[event.input] = url }
        case .httpResponse:
            if let url = event["url"] { lastURL[event.input] = url }
            guard let status = Int(event["status"] ?? ""), status >= 400 else { return }
            recordHTTP(status: status, url: event["url"], event: event)
        case .httpStatus:
            guard let status = Int(event["status"] ?? ""), status >= 400 else { return }
            if let last = lastHTTPFailure[event.input], last.key.status == status,
               event.line - last.line <= FailureCollector.linkDistance {
                if let activity = event["activity"], (facts.activityIDs[last.key]?.count ?? 0) < settings.evidenceLimit {
                    facts.activityIDs[last.key, default: []].append(activity)
                }
            } else {
                recordHTTP(status: status, url: lastURL[event.input], event: event)
                if let activity = event["activity"], let key = lastHTTPFailure[event.input]?.key,
                   (facts.activityIDs[key]?.count ?? 0) < settings.evidenceLimit {
                    facts.activityIDs[key, default: []].append(activity)
                }
            }
        case .uploadFailed:
            if let url = event["url"] { lastURL[event.input] = url }
        case .exception:
            heldException = event
        case .networkFailure:
            let cause = event["cause"] ?? "network"
            facts.network[cause, default: Occurrences(limit: settings.evidenceLimit)].add(event)
            if let host = event["host"] { facts.networkHosts[cause, default: []].insert(host) }
        default:
            break
        }
    }

    package func finish(into facts: inout AnalysisFacts, settings: AnalysisSettings) {
        if let held = heldException {
            heldException = nil
            commitException(held)
        }
        self.facts.evidenceLimit = settings.evidenceLimit
        facts.failures = self.facts
    }

    private func recordHTTP(status: Int, url: String?, event: Event) {
        let key = FailureFacts.HTTPKey(endpoint: Endpoint(url: url, log: event.log), status: status)
        lastHTTPFailure[event.input] = (key, event.endLine)
        if status == 407 {
            // Proxy Authentication Required: a network failure, whichever endpoint asked.
            facts.network["proxy", default: Occurrences(limit: settings.evidenceLimit)].add(event)
            return
        }
        if facts.http[key] == nil { facts.httpOrder.append(key) }
        facts.http[key, default: Occurrences(limit: settings.evidenceLimit)].add(event)
    }

    private func commitException(_ event: Event) {
        if let status = FailureCollector.httpStatus(inExceptionMessage: event["message"] ?? event.text) {
            if let last = lastHTTPFailure[event.input], last.key.status == status,
               event.line - last.line <= FailureCollector.linkDistance {
                return  // the exception the documented failure block ends with: already counted
            }
            recordHTTP(status: status, url: lastURL[event.input], event: event)
            return
        }
        let key = FailureFacts.ExceptionKey(type: event["type"] ?? "exception", hresult: (event["hresult"] ?? "").lowercased())
        let severity: Severity = ["critical", "error"].contains((event["level"] ?? "").lowercased()) ? .error : .warning
        if facts.exceptions[key] == nil {
            facts.exceptionOrder.append(key)
            facts.exceptions[key] = FailureFacts.ExceptionGroup(occurrences: Occurrences(limit: settings.evidenceLimit), worst: severity,
                                             message: firstLine(event["message"] ?? event.text), logs: [],
                                                            explanation: catalog.explain(hresult: key.hresult))
        }
        facts.exceptions[key]!.occurrences.add(event)
        facts.exceptions[key]!.worst = max(facts.exceptions[key]!.worst, severity)
        facts.exceptions[key]!.logs.insert(event.log)
    }

    /// The status in `The remote server returned an error: (401) Unauthorized.`
    static func httpStatus(inExceptionMessage message: String) -> Int? {
        guard let marker = message.range(of: "returned an error: (") else { return nil }
        let digits = message[marker.upperBound...].prefix(3)
        guard digits.count == 3, digits.allSatisfy(\.isNumber) else { return nil }
        return Int(digits)
    }
}

/// What the failure stage found: HTTP failures by endpoint and status,
/// network failures by cause, exceptions by type and HRESULT, each with its
/// occurrences, in the order first seen.
package struct FailureFacts: Sendable {
    /// One kind of HTTP failure: which endpoint, which status.
    package struct HTTPKey: Hashable, Sendable {
        package var endpoint: Endpoint
        package var status: Int
    }

    package struct ExceptionKey: Hashable, Sendable {
        package var type: String
        package var hresult: String
    }

    package struct ExceptionGroup: Sendable {
        package var occurrences: Occurrences
        package var worst: Severity
        package var message: String
        package var logs: Set<LogKind>
        /// The catalog's explanation of the HRESULT, if it has one.
        package var explanation: String?
    }

    package var http: [HTTPKey: Occurrences] = [:]
    package var httpOrder: [HTTPKey] = []
    package var activityIDs: [HTTPKey: [String]] = [:]
    package var network: [String: Occurrences] = [:]
    package var networkHosts: [String: Set<String>] = [:]
    package var exceptions: [ExceptionKey: ExceptionGroup] = [:]
    package var exceptionOrder: [ExceptionKey] = []
    package var evidenceLimit = 5

    package init() {}
}

/// The first line of a message, without the stack trace .NET appends after four spaces and `at`.
package func firstLine(_ text: String) -> String {
    var line = text.split(separator: "\n", omittingEmptySubsequences: true).first.map(String.init) ?? text
    if let stack = line.range(of: "    at ") { line = String(line[..<stack.lowerBound]) }
    return line.trimmingCharacters(in: .whitespaces)
}
