import Foundation
import Testing
@testable import LogFindings
@testable import LogReport

@Suite("Missing devices no log explains") struct UnloggedCausesTests {
    @Test("the devices section lists the documented causes no log shows, each with its source and tag")
    func listed() throws {
        let scenario = "dp-shared-certificate"
        let expected = try SampleScenarioTests.expected(scenario)
        let folder = SampleScenarioTests.root.appendingPathComponent(scenario).path
        let (_, report, _) = try SampleScenarioTests.review([folder] + SampleScenarioTests.arguments(scenario, expected))
        let check = try #require(report["deviceCheck"] as? [String: Any])
        let causes = try #require(check["unloggedCauses"] as? [[String: Any]])
        #expect(causes.compactMap { $0["id"] as? String } == ["client-column", "upload-collection", "default-scope-tag"])
        #expect(causes.allSatisfy { ($0["source"] as? String)?.isEmpty == false && $0["tag"] as? String == "MS-doc" })
    }
}
