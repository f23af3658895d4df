import LogInput
import LogRules
import Foundation

/// Counts what went wrong on the service connection point for the review:
/// the facts `FailureTracker` decides, grouped by endpoint and status, cause,
/// or exception type, with bounded evidence. Findings are decided from the
/// groups by `FailureFindings`.
package final class FailureCollector: Analyzer {
    let settings: AnalysisSettings
    let catalog: RuleCatalog
    private let tracker = FailureTracker()
    private var facts = FailureFacts()

    package init(settings: AnalysisSettings, catalog: RuleCatalog) {
        self.settings = settings
        self.catalog = catalog
    }

    package func consume(_ event: Event) { tracker.consume(event, take) }

    package func finish(into facts: inout AnalysisFacts, settings: AnalysisSettings) {
        tracker.flush(take)
        self.facts.evidenceLimit = settings.evidenceLimit
        facts.failures = self.facts
    }

    private func take(_ fact: FailureTracker.Fact) {
        let limit = settings.evidenceLimit
        switch fact {
        case .http(let key, let event):
            if facts.http[key] == nil { facts.httpOrder.append(key) }
            facts.http[key, default: Occurrences(limit: limit)].add(event)
        case .activity(let key, let activity):
            if (facts.activityIDs[key]?.count ?? 0) < limit { facts.activityIDs[key, default: []].append(activity) }
        case .network(let cause, let host, let event):
            facts.network[cause, default: Occurrences(limit: limit)].add(event)
            if let host { facts.networkHosts[cause, default: []].insert(host) }
        case .exception(let key, let level, let message, let event):
            if facts.exceptions[key] == nil {
                facts.exceptionOrder.append(key)
                facts.exceptions[key] = FailureFacts.ExceptionGroup(
                    occurrences: Occurrences(limit: limit), worst: level, message: message, logs: [],
                    explanation: catalog.explain(hresult: key.hresult))
            }
            facts.exceptions[key]!.occurrences.add(event)
            facts.exceptions[key]!.worst = max(facts.exceptions[key]!.worst, level)
            facts.exceptions[key]!.logs.insert(event.log)
        }
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
