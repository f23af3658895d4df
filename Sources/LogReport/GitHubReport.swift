import LogInput
import LogRules
import LogFindings
/// `review --format github`: GitHub Actions workflow commands, one annotation per finding
/// at each line of its evidence (`::error file=…,line=…,title=…::…`), so a pipeline run on
/// sample or collected logs shows the findings on the files themselves. Severities map to
/// the three annotation levels (error, warning, notice). A finding without evidence, the
/// verdict and an incomplete reading are annotations without a file. Values are escaped as
/// the runner reads them (`%`, CR and LF everywhere; `:` and `,` in properties), and log
/// text goes through `Terminal.clean` first, so no log line can end an annotation or start
/// a command of its own.
package enum GitHubReport {
    package static func write(_ reports: ServerReports, to out: Output) {
        for server in reports.servers {
            let prefix = server.name.map { "[\(Terminal.clean($0, limit: 200))] " } ?? ""
            for finding in server.report.findings {
                let level = level(finding.severity)
                let title = escapeProperty(prefix + finding.id.rawValue + ": " + Terminal.clean(finding.title, limit: 200))
                let message = escapeData(Terminal.clean(finding.detail, limit: 2000) + " What to do: " + Terminal.clean(finding.remediation, limit: 2000))
                if finding.evidence.isEmpty {
                    out.write("::\(level) title=\(title)::\(message)\n")
                }
                for evidence in finding.evidence {
                    let line = escapeData(Terminal.clean(evidence.text, limit: 300))
                    out.write("::\(level) file=\(escapeProperty(Terminal.clean(evidence.input, limit: 1000))),line=\(max(1, evidence.line)),title=\(title)::\(message)%0A%0A\(line)\n")
                }
            }
        }
        let verdict = reports.verdict
        let word = verdict == .noData ? "no tenant attach data found" : verdict.rawValue
        let level = verdict == .failing || verdict == .noData ? "error" : verdict == .degraded ? "warning" : "notice"
        out.write("::\(level) title=cmlogcheck review::\(escapeData("Verdict: \(word); \(reports.findings.count) finding\(reports.findings.count == 1 ? "" : "s")."))\n")
        for unread in reports.unread {
            out.write("::error title=cmlogcheck review incomplete::\(escapeData("Not read: \(Terminal.clean(unread.path, limit: 1000)): \(Terminal.clean(unread.reason, limit: 500))"))\n")
        }
    }

    static func level(_ severity: Severity) -> String {
        switch severity {
        case .error: "error"
        case .warning: "warning"
        default: "notice"
        }
    }

    /// A command's message: `%`, CR and LF escaped.
    static func escapeData(_ text: String) -> String {
        text.replacing("%", with: "%25").replacing("\r", with: "%0D").replacing("\n", with: "%0A")
    }

    /// A property value (file, title): also `:` and `,`, which end it.
    static func escapeProperty(_ text: String) -> String {
        escapeData(text).replacing(":", with: "%3A").replacing(",", with: "%2C")
    }
}
