import Foundation
import Testing
@testable import LogInput
@testable import LogRules
@testable import LogAnalysis
@testable import LogFindings

// Findings as a pure function of typed facts (issue 9, item 3): facts built by
// hand, `Findings.decide` checked on ids, severities, counts, times and
// evidence lines, not on sentences.

@Suite("findings from typed facts") struct FindingsTests {
    let settings = AnalysisSettings()

    func decide(_ facts: AnalysisFacts) -> [Finding] { Findings.decide(facts, settings: settings) }

    /// The text a finding would need a value for, had the code and the data drifted apart.
    func expectRendered(_ findings: [Finding], sourceLocation: SourceLocation = #_sourceLocation) {
        for finding in findings {
            for text in [finding.title, finding.detail, finding.remediation] + finding.evidence.map(\.text) {
                #expect(!text.contains("{") && !text.isEmpty, "\(finding.id): \(text)", sourceLocation: sourceLocation)
            }
        }
    }

    // MARK: Upload

    @Test("an upload log without cycles: no-sync-activity, one evidence line per upload log, at its last line")
    func noSyncActivity() throws {
        var facts = AnalysisFacts()
        facts.sync.uploadLogPresent = true
        facts.inputs = [Given.input("a/CMGatewaySyncUploadWorker.log", kind: .syncUpload, records: 1, lines: 7, last: "2020-03-04T10:10:00Z"),
                        Given.input("b/GenericUploadWorker.log", kind: .genericUpload, records: 3, lines: 3, last: nil),
                        Given.input("c/CMGatewaySyncUploadWorker.log", kind: .syncUpload, records: 0, lines: 0, last: nil)]
        let findings = decide(facts)
        #expect(findings.map(\.id) == [.noSyncActivity])
        let finding = try findings.at(0)
        #expect(finding.severity == .error && finding.count == 2)
        #expect(finding.evidence.map { "\($0.input):\($0.line)" } == ["a/CMGatewaySyncUploadWorker.log:7", "c/CMGatewaySyncUploadWorker.log:1"])
        #expect(finding.first == Given.time("2020-03-04T10:10:00Z") && finding.last == finding.first)
        expectRendered(findings)
    }

    @Test("no cycle by the evaluation time past the expected run: sync-stalled, evidence the last cycle's last line")
    func stalled() throws {
        var facts = AnalysisFacts()
        facts.sync.uploadLogPresent = true
        facts.sync.cycles = CycleLog([Given.cycle("2020-03-04T10:00:00Z", line: 1, next: "2020-03-04T10:15:00Z")])
        facts.sync.stalled = true
        facts.sync.expectedNextRun = Given.time("2020-03-04T10:15:00Z")
        facts.evaluatedAt = Given.time("2020-03-04T11:00:00Z")
        let findings = decide(facts)
        #expect(findings.map(\.id) == [.syncStalled])
        #expect(try findings.at(0).severity == .error && findings.at(0).count == 1)
        #expect(try findings.at(0).evidence.map(\.line) == [4])
        #expect(try findings.at(0).evidence.first?.text.contains("2020-03-04T10:15:00Z") == true)    // the next-run text as written
        #expect(try findings.at(0).first == Given.time("2020-03-04T10:01:00Z"))                       // the cycle's end
        // A cycle that announced nothing: the same finding, the evidence says so without a date.
        var silent = try #require(facts.sync.cycles.first)
        silent.nextRun = nil
        silent.nextRunText = nil
        facts.sync.cycles = CycleLog([silent])
        let unannounced = decide(facts)
        #expect(unannounced.map(\.id) == [.syncStalled])
        #expect(try unannounced.at(0).evidence.first?.text.contains("2020") == false)
        expectRendered(findings + unannounced)
    }

    @Test("cycles more than the grace after their due time: one sync-late warning, one evidence line per late cycle")
    func late() throws {
        var facts = AnalysisFacts()
        facts.sync.uploadLogPresent = true
        facts.sync.cycles = CycleLog([Given.cycle("2020-03-04T10:00:00Z", line: 1),
                                      Given.cycle("2020-03-04T10:40:00Z", line: 10, due: "2020-03-04T10:15:00Z"),   // 25 min late
                                      Given.cycle("2020-03-04T10:59:00Z", line: 20, due: "2020-03-04T10:55:00Z"),   // 4 min: within the grace
                                      Given.cycle("2020-03-04T12:00:00Z", line: 30, due: "2020-03-04T11:14:00Z")])  // 46 min late
        facts.sync.missedRuns = Spool([Given.time("2020-03-04T11:29:00Z")])
        let findings = decide(facts)
        #expect(findings.map(\.id) == [.syncLate])
        let finding = try findings.at(0)
        #expect(finding.severity == .warning && finding.count == 2)
        #expect(finding.evidence.map(\.line) == [10, 30])
        #expect(finding.first == Given.time("2020-03-04T10:40:00Z") && finding.last == Given.time("2020-03-04T12:00:00Z"))
        #expect(finding.title.hasPrefix("2 "))
        #expect(finding.evidence.allSatisfy { $0.text.hasSuffix(": Batching 5 records") })    // the cycle's own line, quoted
        expectRendered(findings)
        // With a longer grace nothing is late.
        var patient = settings
        patient.grace = 3600
        #expect(Findings.decide(facts, settings: patient).isEmpty)
    }

    @Test("unreadable next-run lines: next-run-unreadable, info, the lines themselves as evidence")
    func unreadable() throws {
        var facts = AnalysisFacts()
        let line = Evidence(input: Given.upload, line: 22, text: "Next run time will be at approximately: 33/33/2020")
        facts.sync.unreadableNextRuns.add(line, at: nil)
        let findings = decide(facts)
        #expect(findings.map(\.id) == [.nextRunUnreadable])
        #expect(try findings.at(0).severity == .info && findings.at(0).count == 1 && findings.at(0).evidence == [line])
        expectRendered(findings)
    }

    // MARK: Failures

    @Test("HTTP failures: one finding per endpoint and status, the documented ones by id, the rest http-error")
    func http() throws {
        var failures = FailureFacts()
        let keys: [(Endpoint, Int, [(Int, String?)])] = [
            (.upload, 401, [(2, "2020-03-04T10:00:00Z"), (12, "2020-03-04T10:15:00Z")]),
            (.onboarding, 400, [(5, "2020-03-04T10:01:00Z")]),
            (.notification, 401, [(7, nil)]),
            (.upload, 500, [(9, "2020-03-04T10:02:00Z")]),
            (.other, 401, [(11, "2020-03-04T10:03:00Z")]),
        ]
        for (endpoint, status, lines) in keys {
            let key = FailureFacts.HTTPKey(endpoint: endpoint, status: status)
            failures.httpOrder.append(key)
            failures.http[key] = Given.occurrences(lines)
        }
        failures.activityIDs[FailureFacts.HTTPKey(endpoint: .upload, status: 401)] = ["6daac983-5f94-464e-b1bd-9b634a051d1d"]
        var facts = AnalysisFacts()
        facts.failures = failures
        let findings = decide(facts)
        #expect(findings.map(\.id) == [.uploadUnauthorized, .onboardingRejected, .notificationUnauthorized, .httpError, .uploadUnauthorized])
        #expect(findings.allSatisfy { $0.severity == .error })
        #expect(findings.map(\.count) == [2, 1, 1, 1, 1])
        #expect(try findings.at(0).evidence.map(\.line) == [2, 12])
        #expect(try findings.at(0).first == Given.time("2020-03-04T10:00:00Z") && findings.at(0).last == Given.time("2020-03-04T10:15:00Z"))
        #expect(try findings.at(2).first == nil)
        #expect(try findings.at(0).detail.contains("6daac983-5f94-464e-b1bd-9b634a051d1d"))   // a value from the facts, not wording
        #expect(try findings.at(3).title.contains("500"))
        expectRendered(findings)
    }

    @Test("the decision tail shares: findingID by endpoint and status, causeName by cause")
    func sharedDecisions() {
        #expect(FailureFindings.findingID(endpoint: .upload, status: 401) == .uploadUnauthorized)
        #expect(FailureFindings.findingID(endpoint: .other, status: 401) == .uploadUnauthorized)
        #expect(FailureFindings.findingID(endpoint: .onboarding, status: 400) == .onboardingRejected)
        #expect(FailureFindings.findingID(endpoint: .notification, status: 401) == .notificationUnauthorized)
        #expect(FailureFindings.findingID(endpoint: .notification, status: 407) == .serviceUnreachable)
        #expect(FailureFindings.findingID(endpoint: .onboarding, status: 401) == .httpError)
        #expect(FailureFindings.causeName("timeout") == "timed out")
        #expect(FailureFindings.causeName("something-new") == "something-new")
        #expect(FailureFindings.spanText(Given.occurrences([(1, nil)])) == "")
        #expect(FailureFindings.spanText(Given.occurrences([(1, "2020-03-04T10:00:00Z")])) == " at 2020-03-04T10:00:00.000Z")
    }

    @Test("network failures: one service-unreachable finding over every cause, counts summed, evidence capped")
    func network() throws {
        var failures = FailureFacts()
        failures.evidenceLimit = 3
        failures.network["timeout"] = Given.occurrences([(3, "2020-03-04T10:05:00Z"), (4, "2020-03-04T10:06:00Z")])
        failures.network["name-resolution"] = Given.occurrences([(1, "2020-03-04T10:00:00Z"), (2, "2020-03-04T10:01:00Z"), (9, "2020-03-04T10:09:00Z")])
        failures.networkHosts["name-resolution"] = ["b.example", "a.example"]
        var facts = AnalysisFacts()
        facts.failures = failures
        let findings = decide(facts)
        #expect(findings.map(\.id) == [.serviceUnreachable])
        let finding = try findings.at(0)
        #expect(finding.severity == .error && finding.count == 5)
        #expect(finding.first == Given.time("2020-03-04T10:00:00Z") && finding.last == Given.time("2020-03-04T10:09:00Z"))
        #expect(finding.evidence.map(\.line) == [1, 2, 4])      // causes in name order: the first few and the latest, to the limit
        #expect(finding.detail.contains("a.example, b.example"))
        expectRendered(findings)
    }

    @Test("exceptions: one upload-exception per type and HRESULT; the log's worst level is the severity")
    func exceptions() throws {
        var failures = FailureFacts()
        let critical = FailureFacts.ExceptionKey(type: "System.InvalidOperationException", hresult: "0x80131509")
        let warning = FailureFacts.ExceptionKey(type: "System.FooException", hresult: "")
        failures.exceptionOrder = [critical, warning]
        failures.exceptions[critical] = FailureFacts.ExceptionGroup(occurrences: Given.occurrences([(4, "2020-03-04T10:00:00Z"), (15, "2020-03-04T10:15:00Z")]),
                                                                    worst: .error, message: "Sequence contains no elements",
                                                                    logs: [.syncUpload, .unknown], explanation: "COR_E_INVALIDOPERATION")
        failures.exceptions[warning] = FailureFacts.ExceptionGroup(occurrences: Given.occurrences([(7, nil)]), worst: .warning,
                                                                   message: "Something odd", logs: [], explanation: nil)
        var facts = AnalysisFacts()
        facts.failures = failures
        let findings = decide(facts)
        #expect(findings.map(\.id) == [.uploadException, .uploadException])
        #expect(findings.map(\.severity) == [.error, .warning])
        #expect(findings.map(\.count) == [2, 1])
        #expect(try findings.at(0).evidence.map(\.line) == [4, 15])
        #expect(try findings.at(0).title.contains("System.InvalidOperationException") && findings.at(0).title.contains("0x80131509"))
        #expect(try findings.at(0).detail.contains("COR_E_INVALIDOPERATION") && findings.at(0).detail.contains("CMGatewaySyncUploadWorker"))
        #expect(try !findings.at(1).detail.contains("HRESULT"))          // no HRESULT: nothing to look up
        expectRendered(findings)
    }

    // MARK: Device actions

    @Test("device actions: unauthorized per user and template, one not-forwarded, one not-delivered")
    func actions() throws {
        func action(_ outcome: DeviceAction.Outcome, user: String? = nil, template: String? = nil, line: Int, at: String,
                    authorized: Bool? = nil, guid: String? = nil) -> DeviceAction {
            var action = DeviceAction(outcome: outcome)
            action.received = Given.time(at)
            action.aadUserId = user
            action.template = template
            action.authorized = authorized
            action.taskGuid = guid
            action.evidence = [Evidence(input: "CMGatewayNotificationWorker.log", line: line, text: "line \(line)")]
            return action
        }
        var facts = AnalysisFacts()
        facts.actions = [
            action(.unauthorized, user: "USER-A", template: "RequestMachinePolicy", line: 1, at: "2020-07-15T21:45:00Z"),
            action(.unauthorized, user: "user-a", template: "RequestMachinePolicy", line: 5, at: "2020-07-15T21:50:00Z"),
            action(.unauthorized, user: "user-b", template: "RequestMachinePolicy", line: 9, at: "2020-07-15T21:55:00Z"),
            action(.unauthorized, line: 12, at: "2020-07-15T21:56:00Z"),
            action(.notForwarded, line: 20, at: "2020-07-15T22:00:00Z", authorized: true),
            action(.notForwarded, line: 30, at: "2020-07-15T22:05:00Z"),
            action(.notDelivered, line: 40, at: "2020-07-15T22:10:00Z", guid: "GUID-1"),
            action(.completed, line: 50, at: "2020-07-15T22:20:00Z"),
        ]
        let findings = decide(facts)
        #expect(findings.map(\.id) == [.actionUnauthorized, .actionUnauthorized, .actionUnauthorized, .actionNotForwarded, .actionNotDelivered])
        #expect(findings.map(\.severity) == [.error, .error, .error, .warning, .warning])
        #expect(findings.map(\.count) == [2, 1, 1, 2, 1])
        #expect(try findings.at(0).evidence.map(\.line) == [1, 5])       // user IDs compared without case
        #expect(try findings.at(0).title.contains("user-a") && findings.at(2).title.contains("unknown"))
        #expect(try findings.at(3).evidence.map(\.line) == [20, 30])
        #expect(try findings.at(4).evidence.map(\.line) == [40] && findings.at(4).detail.contains("GUID-1"))
        expectRendered(findings)
    }

    // MARK: Devices

    @Test("device-evidence-conflict picks the cloud export and device lines by their kind, and counts devices")
    func conflictsByKind() throws {
        let inventoryLine = DeviceEvidence(.inventory, Evidence(input: "inventory.csv", line: 2, text: "full sync: looks like a cycle"))
        let cycles = [DeviceEvidence(.fullSync, Evidence(input: Given.upload, line: 1, text: "Batching 5 records")),
                      DeviceEvidence(.firstDeltaAfterChange, Evidence(input: Given.upload, line: 40, text: "Batching 1 records"))]
        let cloud = DeviceEvidence(.cloudExport, Evidence(input: "cloud.csv", line: 3, text: "listed: DP01"))
        // A device line whose text starts like a cycle label: kept, because its kind says what it is.
        let deviceLine = DeviceEvidence(.logLine, Evidence(input: Given.upload, line: 45, text: "last upload cycle in the logs: DP01 sent"))
        let dropped = Given.time("2021-03-08T10:30:00Z")
        var first = Given.device("DP01", state: .dropped,
                                 reasoning: .changedAfterFullSync(change: Given.time("2021-03-08T10:20:00Z"), fullSync: Given.time("2021-03-08T10:00:00Z"),
                                                                  droppedAt: dropped, failed: []),
                                 evidence: [inventoryLine] + cycles + [cloud, deviceLine])
        first.droppedAt = dropped
        first.contradictions = [.init(.cloudExport(listed: true, managedBy: "ConfigMgr"), .afterDrop(dropped)),
                                .init(.deviceLine(removed: false, at: Given.time("2021-03-08T10:45:00Z"), rule: "my.uploaded"), .afterDrop(dropped))]
        first.check = .contradicted
        var second = Given.device("DP02", state: .atRisk, reasoning: .changedBeforeFullSync(change: Given.time("2021-03-07T09:00:00Z"), fullSync: nil),
                                  evidence: [inventoryLine, DeviceEvidence(.logLine, Evidence(input: Given.upload, line: 50, text: "removed"))])
        second.contradictions = [.init(.deviceLine(removed: true, at: nil, rule: "my.removed"), .unchangedSinceFullSync(Given.time("2021-03-08T10:00:00Z")))]
        second.check = .contradicted
        let unchecked = Given.device("DP03", state: .undetermined, reasoning: .noChangeTime, evidence: [inventoryLine, cloud])

        var facts = AnalysisFacts()
        facts.devices = [first, second, unchecked]
        facts.inventory = Given.inventory(devices: 3, distributionPoints: 3)
        facts.deviceCheck = DeviceCheck(inventory: "inventory.csv", devices: 3, distributionPoints: 3, sharedCertificate: 3, skippedRows: 0, timesAssumedUTC: 0)
        let findings = decide(facts)
        #expect(findings.map(\.id) == [.deviceSharedDPCertificate, .deviceEvidenceConflict])
        let conflict = try findings.at(1)
        #expect(conflict.severity == .warning)
        #expect(conflict.count == 2)                                       // devices, not lines
        #expect(conflict.evidence.map(\.line) == [3, 45, 50])              // cloud and log lines only, by kind
        #expect(conflict.first == dropped)
        let shared = try findings.at(0)
        #expect(shared.severity == .warning && shared.count == 3)
        #expect(shared.evidence.map(\.line) == [2, 2, 2])                 // each device's inventory row
        #expect(shared.title.contains("1 dropped, 1 at risk, 1 undetermined"))
        expectRendered(findings)
    }

    @Test("devices missing for another reason: device-not-in-cloud, info, only with a cloud export")
    func notInCloud() throws {
        var missing = Given.device("PC-1", state: .missing, reasoning: .notInCloudExport(client: false), reason: DeviceStatus.Reason.notInCloudExport,
                                   evidence: [DeviceEvidence(.inventory, Evidence(input: "inventory.csv", line: 4, text: "PC-1"))])
        missing.client = false
        missing.lastChange = Given.time("2021-03-08T09:00:00Z")
        var facts = AnalysisFacts()
        facts.devices = [missing]
        facts.inventory = Given.inventory(devices: 2, distributionPoints: 1)
        var check = DeviceCheck(inventory: "inventory.csv", devices: 2, distributionPoints: 1, sharedCertificate: 0, skippedRows: 0, timesAssumedUTC: 0)
        facts.deviceCheck = check
        #expect(decide(facts).isEmpty)                                     // no cloud export, nothing to be missing from
        check.cloud = "cloud.csv"
        facts.deviceCheck = check
        let findings = decide(facts)
        #expect(findings.map(\.id) == [.deviceNotInCloud])
        #expect(try findings.at(0).severity == .info && findings.at(0).count == 1)
        #expect(try findings.at(0).evidence.map(\.line) == [4] && findings.at(0).first == missing.lastChange)
        #expect(try findings.at(0).detail.contains("PC-1") && findings.at(0).detail.contains("cloud.csv"))
        expectRendered(findings)
    }

    @Test("an inventory without a distribution point: device-no-distribution-point, evidence its first line")
    func noDistributionPoint() throws {
        var facts = AnalysisFacts()
        facts.inventory = Given.inventory(devices: 2, distributionPoints: 0)
        facts.deviceCheck = DeviceCheck(inventory: "inventory.csv", devices: 2, distributionPoints: 0, sharedCertificate: 0, skippedRows: 0, timesAssumedUTC: 0)
        let findings = decide(facts)
        #expect(findings.map(\.id) == [.deviceNoDistributionPoint])
        #expect(try findings.at(0).severity == .info && findings.at(0).count == 1)
        #expect(try findings.at(0).evidence.map { "\($0.input):\($0.line)" } == ["inventory.csv:1"])
        #expect(try findings.at(0).evidence.at(0).text.contains("'DP'"))         // the inventory's own column header
        expectRendered(findings)
    }

    // MARK: The rest, and all at once

    @Test("unexplained error records: unrecognized-errors, info, not towards the verdict")
    func unrecognized() throws {
        var facts = AnalysisFacts()
        facts.unexplained = UnexplainedFacts(seen: Given.occurrences([(10, nil), (21, nil)]), distinctMessages: 1000, distinctCapped: true)
        facts.recognizedEvents = 1
        let report = Findings.report(from: facts, settings: settings)
        #expect(report.findings.map(\.id) == [.unrecognizedErrors])
        #expect(try report.findings.at(0).severity == .info && report.findings.at(0).count == 2)
        #expect(try report.findings.at(0).evidence.map(\.line) == [10, 21])
        #expect(report.verdict == .healthy)
        expectRendered(report.findings)
    }

    @Test("facts that raise every finding at once: every id is decided, rendered, and sorted most severe first")
    func everyFinding() {
        var facts = AnalysisFacts()
        facts.sync.uploadLogPresent = true
        facts.inputs = [Given.input(Given.upload, kind: .syncUpload, records: 0, lines: 0, last: nil)]
        facts.sync.unreadableNextRuns.add(Evidence(input: Given.upload, line: 3, text: "Next run time will be at approximately: ?"), at: nil)
        var failures = FailureFacts()
        for (endpoint, status) in [(Endpoint.upload, 401), (.onboarding, 400), (.notification, 401), (.upload, 503)] {
            let key = FailureFacts.HTTPKey(endpoint: endpoint, status: status)
            failures.httpOrder.append(key)
            failures.http[key] = Given.occurrences([(status, nil)])
        }
        failures.network["proxy"] = Given.occurrences([(1, nil)])
        let key = FailureFacts.ExceptionKey(type: "System.Exception", hresult: "0x80004005")
        failures.exceptionOrder = [key]
        failures.exceptions[key] = FailureFacts.ExceptionGroup(occurrences: Given.occurrences([(2, nil)]), worst: .error, message: "boom", logs: [], explanation: nil)
        facts.failures = failures
        facts.actions = [DeviceAction.Outcome.unauthorized, .notForwarded, .notDelivered].map { outcome in
            var action = DeviceAction(outcome: outcome)
            action.evidence = [Evidence(input: "CMGatewayNotificationWorker.log", line: 1, text: "line")]
            return action
        }
        var conflicted = Given.device("DP01", state: .atRisk, reasoning: .noChangeTime,
                                      evidence: [DeviceEvidence(.inventory, Evidence(input: "inventory.csv", line: 2, text: "DP01"))])
        conflicted.contradictions = [.init(.cloudExport(listed: false, managedBy: nil), .unchangedSinceFullSync(Given.time("2021-03-08T10:00:00Z")))]
        conflicted.check = .contradicted
        facts.devices = [conflicted, Given.device("PC-1", state: .missing, reasoning: .notInCloudExport(client: nil), reason: DeviceStatus.Reason.notInCloudExport)]
        facts.inventory = Given.inventory(devices: 2, distributionPoints: 0)
        var check = DeviceCheck(inventory: "inventory.csv", devices: 2, distributionPoints: 0, sharedCertificate: 1, skippedRows: 0, timesAssumedUTC: 2)
        check.cloud = "cloud.csv"
        facts.deviceCheck = check
        facts.unexplained = UnexplainedFacts(seen: Given.occurrences([(5, nil)]), distinctMessages: 1, distinctCapped: false)
        // The failures whose cause and fix are written down (issue 12).
        for kind in KnownFailure.allCases where kind.isFailure {
            var group = KnownFailureGroup(limit: 5)
            group.occurrences = Given.occurrences([(1, nil)])
            if kind == .endpointCheckFailed { group.parts = ["http:407": 1]; group.partOrder = ["http:407"] }
            if kind == .pushPartiallyFailed {
                group.pushes = [PushReport(pushId: "9", reported: 2, failed: 1, time: nil, evidence: Evidence(input: "BgbServer.log", line: 1, text: "x"))]
            }
            facts.failures.known[kind] = group
            facts.failures.knownOrder.append(kind)
        }
        // Stalled and late need cycles; no-sync-activity needs none: the two halves are decided apart.
        var timed = AnalysisFacts()
        timed.sync.cycles = CycleLog([Given.cycle("2020-03-04T10:00:00Z", line: 1),
                                      Given.cycle("2020-03-04T11:00:00Z", line: 9, due: "2020-03-04T10:15:00Z", next: "2020-03-04T11:15:00Z")])
        timed.sync.stalled = true
        timed.sync.expectedNextRun = Given.time("2020-03-04T11:15:00Z")
        timed.evaluatedAt = Given.time("2020-03-04T12:00:00Z")

        let findings = decide(facts) + decide(timed)
        #expect(Set(findings.map(\.id)) == Set(FindingID.allCases))
        expectRendered(findings)
        let report = Findings.report(from: facts, settings: settings)
        #expect(report.verdict == .failing)
        #expect(report.findings.map(\.severity) == report.findings.map(\.severity).sorted(by: >))
    }
}
