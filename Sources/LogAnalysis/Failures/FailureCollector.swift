import LogInput
import LogRules
import FoundationEssentials

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
        case .http(let key, let event) where key.endpoint == .adminService && key.status == 403:
            // A 403 answer to an AdminService request: the documented MFA known issue, with AdminService.log's own.
            addKnown(.providerForbidden, event, part: URLHost.of(event["url"]).map { "host:\($0)" })
        case .known(let kind, let event):
            addKnown(kind, event, part: KnownFailure.part(of: event))
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

    /// The record each kind last counted, so that two rules matching one line count it once.
    private var lastKnownRecord: [KnownFailure: (input: Int, line: Int)] = [:]
    /// The last `Error occured when process notification …` line per input.
    private var lastIgnored: [Int: (line: Int, evidence: Evidence)] = [:]

    private func addKnown(_ kind: KnownFailure, _ event: Event, part: String?) {
        if kind == .notificationIgnored {
            lastIgnored[event.input] = (event.endLine, event.evidence)
            return
        }
        if facts.known[kind] == nil {
            facts.knownOrder.append(kind)
            facts.known[kind] = KnownFailureGroup(limit: settings.evidenceLimit)
        }
        if let part { facts.known[kind]!.count(part: part) }
        if let last = lastKnownRecord[kind], last.input == event.input, last.line == event.line { return }
        lastKnownRecord[kind] = (event.input, event.line)
        facts.known[kind]!.occurrences.add(event)
        facts.known[kind]!.logs.insert(event.log)
        if let ignored = lastIgnored[event.input], event.line > ignored.line, event.line - ignored.line <= FailureTracker.linkDistance {
            facts.known[kind]!.ignoredNotifications += 1
            if facts.known[kind]!.context.count < settings.evidenceLimit { facts.known[kind]!.context.append(ignored.evidence) }
            lastIgnored[event.input] = nil
        }
        if kind == .pushPartiallyFailed, let pushId = event["pushId"] {
            facts.known[kind]!.pushes.append(PushReport(pushId: pushId, reported: event.number("reported") ?? 0,
                                                        failed: event.number("failed") ?? 0, time: event.time, evidence: event.evidence))
        }
    }
}

/// The host of a URL (`https://host:port/…` → `host`), lower case.
package enum URLHost {
    package static func of(_ url: String?) -> String? {
        guard let url, let scheme = url.firstRange(of: "://") else { return nil }
        let rest = url[scheme.upperBound...]
        let host = rest.prefix { $0 != "/" && $0 != ":" && $0 != "?" }
        return host.isEmpty ? nil : host.lowercased()
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
    /// Failures whose cause and fix are written down, by kind, in the order first seen (never `notificationIgnored`).
    package var known: [KnownFailure: KnownFailureGroup] = [:]
    package var knownOrder: [KnownFailure] = []
    package var evidenceLimit = 5

    package init() {}
}

/// The first line of a message, without the stack trace .NET appends after four spaces and `at`.
package func firstLine(_ text: String) -> String {
    var line = text.split(separator: "\n", omittingEmptySubsequences: true).first.map(String.init) ?? text
    if let stack = line.firstRange(of: "    at ") { line = String(line[..<stack.lowerBound]) }
    return line.trimmingSpaces
}
