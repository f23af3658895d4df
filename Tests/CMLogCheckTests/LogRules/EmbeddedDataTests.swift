import Foundation
import Testing
@testable import LogInput
@testable import LogRules
@testable import LogFindings

/// The data files are built into the binary by the EmbedResources plugin (issue 13, item 5):
/// the copy in the binary is the file in git, and a binary copied alone still works.
@Suite("built-in data files")
struct EmbeddedDataTests {
    @Test("the built-in copies are the source files, byte for byte", arguments: [
        ("Sources/LogRules/default-rules.json", RuleCatalog.builtInBytes),
        ("Sources/LogRules/knowledge.json", Knowledge.builtInBytes),
        ("Sources/LogFindings/finding-texts.json", FindingTexts.builtInBytes),
    ])
    func sameBytes(_ file: String, _ builtIn: [UInt8]?) throws {
        let source = [UInt8](try Data(contentsOf: repositoryRoot.appendingPathComponent(file)))
        #expect(builtIn == source, "\(file): the generated copy differs from the file")
    }

    @Test("the built-in catalog, knowledge and texts load, and errors name them as built in")
    func loads() throws {
        let catalog = try RuleCatalog.bundled()
        #expect(!catalog.rules.isEmpty)
        #expect(!catalog.knowledge.entries.isEmpty)
        #expect(!(try FindingTexts.bundled()).texts.isEmpty)
        #expect(BundledResource.builtInName("default-rules.json") == "default-rules.json (built in)")
    }

    @Test("a binary copied alone to another folder reviews a sample, and the overrides still apply",
          .enabled(if: builtBinary != nil, "the cmlogcheck executable is not built beside the tests (swift build --build-tests)"))
    func copiedAlone() throws {
        let dir = TemporaryDirectory()
        try dir.mkdir("bin")
        try dir.mkdir("elsewhere")
        let copy = dir.path + "/bin/cmlogcheck"
        try FileManager.default.copyItem(atPath: try #require(builtBinary), toPath: copy)
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir.path + "/bin") == ["cmlogcheck"])
        let sample = repositoryRoot.appendingPathComponent("SampleLogs/upload-401").path

        let review = try runProcess(copy, ["review", "--fail-on", "never", sample], in: dir.path + "/elsewhere")
        #expect(review.status == 0, "\(review.standardError)")
        #expect(review.standardOutput.contains("upload-unauthorized"), "\(review.standardOutput)")
        let explain = try runProcess(copy, ["explain", "0x87D00607"], in: dir.path + "/elsewhere")
        #expect(explain.status == 0, "\(explain.standardError)")

        // An override that is not valid JSON is read (and refused, naming it) instead of the built-in copy.
        let broken = try dir.write("elsewhere/rules.json", "{\"rules\": [],}")
        for variable in ["CMLOGCHECK_RULES", "CMLOGCHECK_KNOWLEDGE", "CMLOGCHECK_FINDING_TEXTS"] {
            let result = try runProcess(copy, ["review", "--fail-on", "never", sample], in: dir.path + "/elsewhere", environment: [variable: broken])
            #expect((result.standardError + result.standardOutput).contains(broken), "\(variable): \(result.standardError)")
        }
    }
}
