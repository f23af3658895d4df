import Foundation

/// Collects what went wrong on the service connection point: HTTP errors
/// from the gateway, exceptions, and network failures, grouped so that one
/// failure written as several lines (response, status line, exception) counts
/// once. Findings are decided from the groups by `FailureFindings`.
public final class FailureCollector: Analyzer {
    /// One kind of HTTP failure: which endpoint, which status.
    struct HTTPKey: Hashable {
        var endpoint: Endpoint
        var status: Int
    }

    struct ExceptionKey: Hashable {
        var type: String
        var hresult: String
    }

    struct ExceptionGroup {
        var occurrences: Occurrences
        var worst: Severity
        var message: String
        var logs: Set<LogKind>
    }

    let settings: AnalysisSettings
    let catalog: RuleCatalog
    var http: [HTTPKey: Occurrences] = [:]
    var httpOrder: [HTTPKey] = []
    var activityIDs: [HTTPKey: [String]] = [:]
    var network: [String: Occurrences] = [:]
    var networkHosts: [String: Set<String>] = [:]
    var exceptions: [ExceptionKey: ExceptionGroup] = [:]
    var exceptionOrder: [ExceptionKey] = []
    /// The last HTTP failure per input, to tie its status line and exception to it.
    private var lastHTTPFailure: [Int: (key: HTTPKey, line: Int)] = [:]
    /// The last URL each input talked to, for failures that name none.
    private var lastURL: [Int: String] = [:]
    /// An exception held back one event, in case the same record is a network failure.
    private var heldException: Event?

    /// How far (in lines) a status line or exception may follow the response it belongs to.
    static let linkDistance = 12

    public init(settings: AnalysisSettings, catalog: RuleCatalog) {
        self.settings = settings
        self.catalog = catalog
    }

    public func consume(_ event: Event) {
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
                if let activity = event["activity"], (activityIDs[last.key]?.count ?? 0) < settings.evidenceLimit {
                    activityIDs[last.key, default: []].append(activity)
                }
            } else {
                recordHTTP(status: status, url: lastURL[event.input], event: event)
                if let activity = event["activity"], let key = lastHTTPFailure[event.input]?.key,
                   (activityIDs[key]?.count ?? 0) < settings.evidenceLimit {
                    activityIDs[key, default: []].append(activity)
                }
            }
        case .uploadFailed:
            if let url = event["url"] { lastURL[event.input] = url }
        case .exception:
            heldException = event
        case .networkFailure:
            let cause = event["cause"] ?? "network"
            network[cause, default: Occurrences(limit: settings.evidenceLimit)].add(event)
            if let host = event["host"] { networkHosts[cause, default: []].insert(host) }
        default:
            break
        }
    }

    public func finish(into report: inout Report, settings: AnalysisSettings) {
        if let held = heldException {
            heldException = nil
            commitException(held)
        }
        report.findings += FailureFindings.decide(self)
    }

    private func recordHTTP(status: Int, url: String?, event: Event) {
        let key = HTTPKey(endpoint: Endpoint(url: url, log: event.log), status: status)
        lastHTTPFailure[event.input] = (key, event.endLine)
        if status == 407 {
            // Proxy Authentication Required: a network failure, whichever endpoint asked.
            network["proxy", default: Occurrences(limit: settings.evidenceLimit)].add(event)
            return
        }
        if http[key] == nil { httpOrder.append(key) }
        http[key, default: Occurrences(limit: settings.evidenceLimit)].add(event)
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
        let key = ExceptionKey(type: event["type"] ?? "exception", hresult: (event["hresult"] ?? "").lowercased())
        let severity: Severity = ["critical", "error"].contains((event["level"] ?? "").lowercased()) ? .error : .warning
        if exceptions[key] == nil {
            exceptionOrder.append(key)
            exceptions[key] = ExceptionGroup(occurrences: Occurrences(limit: settings.evidenceLimit), worst: severity,
                                             message: firstLine(event["message"] ?? event.text), logs: [])
        }
        exceptions[key]!.occurrences.add(event)
        exceptions[key]!.worst = max(exceptions[key]!.worst, severity)
        exceptions[key]!.logs.insert(event.log)
    }

    /// The status in `The remote server returned an error: (401) Unauthorized.`
    static func httpStatus(inExceptionMessage message: String) -> Int? {
        guard let marker = message.range(of: "returned an error: (") else { return nil }
        let digits = message[marker.upperBound...].prefix(3)
        guard digits.count == 3, digits.allSatisfy(\.isNumber) else { return nil }
        return Int(digits)
    }
}

/// The first line of a message, without the stack trace .NET appends after four spaces and `at`.
func firstLine(_ text: String) -> String {
    var line = text.split(separator: "\n", omittingEmptySubsequences: true).first.map(String.init) ?? text
    if let stack = line.range(of: "    at ") { line = String(line[..<stack.lowerBound]) }
    return line.trimmingCharacters(in: .whitespaces)
}
