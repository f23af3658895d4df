import Foundation
import Testing
@testable import LogInput
@testable import LogRules
@testable import LogAnalysis
@testable import LogFindings
@testable import LogReport

/// A finding says what its lines rest on, and says so in words when that is a guess (issue 12, item 6).
@Suite("finding basis")
struct FindingBasisTests {
    static func review(_ text: String, name: String, kind: LogKind) throws -> Report {
        let stream = RecordStream(inputs: [InputSource(location: .standardInput, name: name, kind: kind)])
        stream.standardInput = { MemorySource(text) }
        return try Review(catalog: RuleCatalog.bundled(), settings: AnalysisSettings()).run(stream)
    }

    @Test("a finding raised only by an assumed rule is marked assumed and says so, naming the rule")
    func assumedRule() throws {
        let line = simple("Completing request with response code [403] reason [Forbidden]", date: "03-01-2024", time: "10:00:00.000+000",
                          component: "AdminService") + "\n"
        let report = try Self.review(line, name: "AdminService.log", kind: .adminService)
        let finding = try #require(report.findings.first { $0.id == .providerForbidden })
        #expect(finding.basis == .assumed)
        #expect(finding.detail.hasSuffix("Basis: the wording of the lines behind this finding is assumed (rules known.adminservice-forbidden); no public source shows it, so confirm them in the log before acting on it."))
        #expect(finding.evidence.first?.rule == "known.adminservice-forbidden")
        let out = Output()
        ReportJSON.write(report, to: out)
        let json = try #require(JSONSerialization.jsonObject(with: Data(out.text.utf8)) as? [String: Any])
        let findings = try #require(json["findings"] as? [[String: Any]])
        #expect(findings.first?["basis"] as? String == "assumed")
    }

    @Test("a documented rule's finding is marked documented and says nothing more; cmlogcheck's own reading has no basis")
    func documentedRule() throws {
        let line = cmtrace("[GetNotifications] Response from https://us.gateway.configmgr.manage.microsoft.com/api/gateway/Notification is: 401 (Unauthorized)",
                           time: "10:05:00.000+000", date: "03-01-2024") + "\n"
        let report = try Self.review(line, name: "CMGatewayNotificationWorker.log", kind: .notification)
        let finding = try #require(report.findings.first { $0.id == .notificationUnauthorized })
        #expect(finding.basis == .documented)
        #expect(!finding.detail.contains("Basis:"))

        let upload = try Self.review(cmtrace("Worker is idle") + "\n", name: "CMGatewaySyncUploadWorker.log", kind: .syncUpload)
        let none = try #require(upload.findings.first { $0.id == .noSyncActivity })
        #expect(none.basis == nil)
    }

    @Test("the strongest line decides: a documented line beside an assumed one leaves no note")
    func strongestWins() {
        let assumed = Evidence(input: "a.log", line: 1, text: "x", rule: "r.assumed", provenance: .assumed)
        let documented = Evidence(input: "a.log", line: 2, text: "y", rule: "r.documented", provenance: .documented)
        let finding = Finding(id: .httpError, severity: .error, title: "t", detail: "d.", remediation: "r",
                              count: 2, first: nil, last: nil, evidence: [assumed, documented])
        let marked = FindingBasis.mark(finding)
        #expect(marked.basis == .documented && marked.detail == "d.")
        let reported = FindingBasis.mark(Finding(id: .httpError, severity: .error, title: "t", detail: "d.", remediation: "r", count: 1,
                                                 first: nil, last: nil, evidence: [Evidence(input: "a.log", line: 1, text: "x", rule: "r.reported", provenance: .reported), assumed]))
        #expect(reported.basis == .reported)
        #expect(reported.detail.contains("only a third party reports") && reported.detail.contains("(rules r.assumed, r.reported)"))
    }
}
