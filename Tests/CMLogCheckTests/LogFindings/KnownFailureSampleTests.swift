import Foundation
import Testing
@testable import CMLogCheckCLI
@testable import LogFindings

/// The findings of issue 12 item 1: each raised by a sample written in the documented
/// wording, and by no healthy sample.
@Suite struct KnownFailureSampleTests {
    static let known: Set<String> = [
        "signing-certificate-mismatch", "sql-connection-closed", "adminservice-upn-mismatch", "adminservice-sql-timeout",
        "provider-forbidden", "endpoint-check-failed", "tls-failure", "push-partially-failed",
    ]

    @Test("every known-failure finding id is a FindingID with its texts")
    func idsExist() throws {
        let texts = try FindingTexts.bundled()
        for id in Self.known {
            let finding = try #require(FindingID(rawValue: id), "\(id)")
            #expect(!texts[finding].remediation.source.isEmpty)
        }
    }

    @Test("some sample raises each known-failure finding")
    func eachRaised() throws {
        var raised = Set<String>()
        for scenario in SampleScenarioTests.scenarios {
            raised.formUnion(try SampleScenarioTests.expected(scenario).findingIds)
        }
        #expect(Self.known.subtracting(raised).isEmpty, "not raised by any sample: \(Self.known.subtracting(raised).sorted())")
    }

    @Test("no healthy sample raises a known-failure finding", arguments: SampleScenarioTests.scenarios)
    func healthyRaisesNone(_ scenario: String) throws {
        let expected = try SampleScenarioTests.expected(scenario)
        guard expected.verdict == "healthy" else { return }
        let folder = SampleScenarioTests.root.appendingPathComponent(scenario).path
        let (_, report, _) = try SampleScenarioTests.review([folder] + SampleScenarioTests.arguments(scenario, expected))
        let ids = Set(SampleScenarioTests.summary(report).ids)
        #expect(ids.isDisjoint(with: Self.known), "\(scenario): \(ids.intersection(Self.known).sorted())")
    }
}
