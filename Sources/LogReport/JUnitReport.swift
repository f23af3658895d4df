import LogInput
import LogRules
import LogAnalysis
import LogFindings
/// `review --format junit`: the review as JUnit XML, which CI systems (Azure DevOps, GitLab,
/// Jenkins, GitHub through a reporter action) show as test results. One test suite per
/// server, one test case per check: the verdict, the upload running, the device actions,
/// the devices, the reading of every input, and each finding kind cmlogcheck knows
/// (`FindingID`), so that a kind that did not occur shows as passed, not absent. A finding
/// at warning or error fails its case; an info finding passes with its text as output; a
/// check with nothing to look at (no upload log, no action, no `--inventory`) is skipped.
/// Every text is escaped for XML by `HTML.escape`, which also shows characters XML cannot hold as text.
package enum JUnitReport {
    struct Case {
        var classname: String
        var name: String
        var failure: (type: String, message: String, body: String)?
        var skipped: String?
        var output: String?
    }

    package static func write(_ reports: ServerReports, to out: Output) {
        let suites = reports.servers.map { server in (name: server.name ?? "tenant attach", cases: cases(server.report, unread: reports.unread)) }
        let tests = suites.reduce(0) { $0 + $1.cases.count }
        let failures = suites.reduce(0) { $0 + $1.cases.filter { $0.failure != nil }.count }
        let skipped = suites.reduce(0) { $0 + $1.cases.filter { $0.skipped != nil }.count }
        var xml = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
        xml += "<testsuites name=\"cmlogcheck review\" tests=\"\(tests)\" failures=\"\(failures)\" errors=\"0\" skipped=\"\(skipped)\">\n"
        for suite in suites {
            let suiteFailures = suite.cases.filter { $0.failure != nil }.count
            let suiteSkipped = suite.cases.filter { $0.skipped != nil }.count
            xml += "  <testsuite name=\"\(escape(suite.name))\" tests=\"\(suite.cases.count)\" failures=\"\(suiteFailures)\" errors=\"0\" skipped=\"\(suiteSkipped)\">\n"
            for testCase in suite.cases {
                xml += "    <testcase classname=\"\(escape(testCase.classname))\" name=\"\(escape(testCase.name))\""
                guard testCase.failure != nil || testCase.skipped != nil || testCase.output != nil else { xml += "/>\n"; continue }
                xml += ">\n"
                if let failure = testCase.failure {
                    xml += "      <failure type=\"\(escape(failure.type))\" message=\"\(escape(failure.message))\">\(escape(failure.body))</failure>\n"
                }
                if let skipped = testCase.skipped { xml += "      <skipped message=\"\(escape(skipped))\"/>\n" }
                if let output = testCase.output { xml += "      <system-out>\(escape(output))</system-out>\n" }
                xml += "    </testcase>\n"
            }
            xml += "  </testsuite>\n"
        }
        xml += "</testsuites>\n"
        out.write(xml)
    }

    static func cases(_ report: Report, unread: [UnreadInput]) -> [Case] {
        var cases: [Case] = []
        let raised = Dictionary(report.findings.map { ($0.id, $0) }, uniquingKeysWith: { first, _ in first })
        func failing(_ ids: [FindingID]) -> Finding? {
            ids.compactMap { raised[$0] }.first { $0.severity >= .warning }
        }
        func check(_ name: String, _ ids: [FindingID], skipIf skip: String?) -> Case {
            var testCase = Case(classname: "cmlogcheck.checks", name: name)
            if let skip { testCase.skipped = skip } else if let finding = failing(ids) { testCase.failure = failure(finding) }
            return testCase
        }
        var verdict = Case(classname: "cmlogcheck.checks", name: "verdict")
        if report.verdict == .failing || report.verdict == .noData {
            let message = report.verdict == .noData ? "no tenant attach data: no record matched a rule" : "failing"
            verdict.failure = ("verdict", message, message)
        }
        cases.append(verdict)
        cases.append(check("upload running", [.noSyncActivity, .syncStalled, .syncLate],
                           skipIf: report.sync.uploadLogPresent ? nil : "no CMGatewaySyncUploadWorker.log among the inputs"))
        cases.append(check("device actions", [.actionUnauthorized, .actionNotForwarded, .actionNotDelivered, .pushPartiallyFailed],
                           skipIf: report.actions.isEmpty ? "no device action in the logs" : nil))
        cases.append(check("devices", [.deviceSharedDPCertificate, .deviceEvidenceConflict, .deviceNotInCloud, .deviceNoDistributionPoint],
                           skipIf: report.deviceCheck == nil ? "no --inventory given" : nil))
        var reading = Case(classname: "cmlogcheck.checks", name: "every input read")
        if !unread.isEmpty {
            let names = unread.map { "\($0.path): \($0.reason)" }.joined(separator: "\n")
            reading.failure = ("incomplete", "\(unread.count) input\(unread.count == 1 ? "" : "s") could not be read", names)
        }
        cases.append(reading)
        for id in FindingID.allCases {
            var testCase = Case(classname: "cmlogcheck.findings", name: id.rawValue)
            if let finding = raised[id] {
                if finding.severity >= .warning { testCase.failure = failure(finding) } else { testCase.output = body(finding) }
            }
            cases.append(testCase)
        }
        return cases
    }

    static func failure(_ finding: Finding) -> (type: String, message: String, body: String) {
        (finding.severity.name, "\(finding.id.rawValue): \(finding.title)", body(finding))
    }

    static func body(_ finding: Finding) -> String {
        var lines = [finding.title, "", finding.detail, "", "What to do: " + finding.remediation]
        if !finding.evidence.isEmpty { lines.append("") }
        for evidence in finding.evidence { lines.append("\(evidence.input):\(evidence.line): \(evidence.text)") }
        return lines.joined(separator: "\n")
    }

    /// XML text or attribute value: the page escaper's output is XML too (the five markup
    /// characters as references, controls and noncharacters shown as text), so both reports
    /// share one escaper.
    static func escape(_ text: String) -> String { HTML.escape(text) }
}
