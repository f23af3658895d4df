import LogInput
import LogRules
import LogAnalysis
/// The review of each server's inputs, kept apart: logs copied from several
/// service connection points are never merged into one timeline
/// (`ServerGroups` decides which inputs belong together).
package struct ServerReports: Sendable {
    package struct Server: Sendable {
        /// The folder that names the server; nil when the inputs are one server's.
        package var name: String?
        package var report: Report
        /// Rules that gave up at PCRE2's limits while this server's logs were read.
        package var ruleLimitHits: [RuleLimitHit]

        package init(name: String?, report: Report, ruleLimitHits: [RuleLimitHit] = []) {
            self.name = name
            self.report = report
            self.ruleLimitHits = ruleLimitHits
        }
    }

    package var servers: [Server]
    /// The `--since`/`--until` every server's logs were read in; nil reads them whole.
    package var window: TimeWindow?
    /// Files and folders that could not be read (or not to their end): the reports leave
    /// them out and say so.
    package var unread: [UnreadInput]

    package init(servers: [Server], window: TimeWindow? = nil, unread: [UnreadInput] = []) {
        self.servers = servers
        self.window = window
        self.unread = unread
    }

    /// Whether every input was read whole.
    package var readingComplete: Bool { unread.isEmpty }

    /// Whether the inputs came from more than one server.
    package var isSeveral: Bool { servers.count > 1 }

    /// The worst of the servers' verdicts: one failing server fails the review.
    package var verdict: Verdict {
        let verdicts = servers.map(\.report.verdict)
        for verdict in [Verdict.failing, .degraded, .healthy] where verdicts.contains(verdict) { return verdict }
        return .noData
    }

    /// Every server's findings, for the exit status.
    package var findings: [Finding] { servers.flatMap(\.report.findings) }
}
