import Foundation
import Testing
@testable import CMLogCheckCLI
@testable import LogInput
@testable import LogRules
@testable import LogFindings
@testable import LogReport

@Suite("review --format sarif")
struct SARIFReportTests {
    static let upload401 = repositoryRoot.appendingPathComponent("SampleLogs/upload-401").path

    func sarif(_ arguments: [String], input: [UInt8]? = []) throws -> JSONValue {
        let result = runCLI(["review", "--format", "sarif", "--fail-on", "never"] + arguments, input: input)
        #expect(result.status == 0, "\(result.standardError)")
        return try JSONValue.parse(result.standardOutput)
    }

    @Test("rules are every finding id in order; each result points at its rule, its level from the severity, a location per evidence line")
    func resultsAndRules() throws {
        let log = try sarif([Self.upload401])
        #expect(log["version"] == .string("2.1.0"))
        let run = try #require(log["runs"]?.items?.first)
        #expect(run["tool"]?["driver"]?["version"] == .string(ToolVersion.version))
        let rules = try #require(run["tool"]?["driver"]?["rules"]?.items)
        #expect(rules.compactMap { $0["id"]?.text } == FindingID.allCases.map(\.rawValue))
        // No rule text shows a made-up value: parameters stand as <name>.
        let late = try #require(rules.first { $0["id"] == .string("sync-late") })
        #expect(late["shortDescription"]?["text"] == .string("<late> upload cycles started late"))
        #expect(late["properties"]?["source"] == .string("own-choice"))

        let report = try JSONValue.parse(runCLI(["review", "--format", "json", "--fail-on", "never", Self.upload401]).standardOutput)
        let findings = try #require(report["findings"]?.items)
        let results = try #require(run["results"]?.items)
        #expect(results.count == findings.count && !results.isEmpty)
        for (result, finding) in zip(results, findings) {
            #expect(result["ruleId"] == finding["id"])
            if case .integer(let index)? = result["ruleIndex"] { #expect(rules[index]["id"] == finding["id"]) } else { Issue.record("no ruleIndex") }
            let level: [String: String] = ["error": "error", "warning": "warning", "info": "note"]
            #expect(result["level"]?.text == level[finding["severity"]?.text ?? ""])
            let evidence = finding["evidence"]?.items ?? []
            let locations = result["locations"]?.items ?? []
            #expect(locations.count == evidence.count)
            for (location, line) in zip(locations, evidence) {
                let physical = location["physicalLocation"]
                #expect(physical?["artifactLocation"]?["uri"]?.text.map { "/" + $0.dropFirst("file:///".count) } == line["input"]?.text)
                #expect(physical?["region"]?["startLine"] == line["line"])
                #expect(physical?["region"]?["snippet"]?["text"] == line["text"])
            }
        }
        #expect(run["properties"]?["verdict"] == report["verdict"])
        #expect(run["invocations"]?.items?.first?["executionSuccessful"] == .bool(true))
    }

    @Test("log text with quotes, backslashes, controls and bidi marks is escaped by the JSON writer and reads back unchanged")
    func hostileText() throws {
        let dir = TemporaryDirectory()
        let message = "Hostile failure \"x\\y\" \u{1B}[31m\u{202E}evil</script>"
        let text = cmtrace(message, component: "SMS_SERVICE_CONNECTOR", type: "3") + "\n"
        let path = try dir.write("my logs #1/CMGatewaySyncUploadWorker.log", text)
        let result = runCLI(["review", "--format", "sarif", "--fail-on", "never", path])
        #expect(!result.standardOutput.unicodeScalars.contains { $0 == "\u{1B}" || $0 == "\u{202E}" }, "no raw ESC or bidi override in the file")
        let log = try JSONValue.parse(result.standardOutput)
        let results = log["runs"]?.items?.first?["results"]?.items ?? []
        let snippets = results.flatMap { $0["locations"]?.items ?? [] }.compactMap { $0["physicalLocation"]?["region"]?["snippet"]?["text"]?.text }
        #expect(snippets.contains(message))
        let uris = results.flatMap { $0["locations"]?.items ?? [] }.compactMap { $0["physicalLocation"]?["artifactLocation"]?["uri"]?.text }
        #expect(!uris.isEmpty && uris.allSatisfy { $0.hasPrefix("file:///") && $0.contains("my%20logs%20%231/CMGatewaySyncUploadWorker.log") })
    }

    @Test("standard input gets no location; an unread input makes the run unsuccessful, with a notification")
    func stdinAndUnread() throws {
        let text = simple("Batching 3 records") + "\n" + simple("[UploadDelta_HelpdeskUpload] Response from https://us.gateway.configmgr.manage.microsoft.com/api/gateway/DevicePost is: 401 (Unauthorized)") + "\n"
        let piped = try sarif(["--log", "sync"], input: Array(text.utf8))
        let results = piped["runs"]?.items?.first?["results"]?.items ?? []
        #expect(results.contains { $0["ruleId"] == .string("upload-unauthorized") })
        #expect(results.allSatisfy { $0["locations"]?.items?.isEmpty == true })

        let dir = TemporaryDirectory()
        let readable = try dir.write("logs/CMGatewaySyncUploadWorker.log", text)
        let unreadable = try dir.write("logs/CMGatewayNotificationWorker.log", "x\n")
        chmod(unreadable, 0)
        defer { chmod(unreadable, 0o644) }
        guard access(unreadable, R_OK) != 0 else { return }  // root reads anything: nothing to test
        let partial = runCLI(["review", "--format", "sarif", "--fail-on", "never", URL(fileURLWithPath: readable).deletingLastPathComponent().path])
        let invocation = try JSONValue.parse(partial.standardOutput)["runs"]?.items?.first?["invocations"]?.items?.first
        #expect(invocation?["executionSuccessful"] == .bool(false))
        #expect(invocation?["toolExecutionNotifications"]?.items?.count == 1)
    }

    @Test("--output sarif=FILE writes the same log as --format sarif, beside the text on screen")
    func outputFile() throws {
        let dir = TemporaryDirectory()
        let file = dir.path + "/review.sarif"
        let run = runCLI(["review", "--fail-on", "never", "--output", "sarif=\(file)", Self.upload401])
        #expect(run.status == 0)
        #expect(run.standardOutput.contains("FAILING"))
        let written = try JSONValue.parse(String(decoding: try Data(contentsOf: URL(fileURLWithPath: file)), as: UTF8.self))
        #expect(written == (try sarif([Self.upload401])))
    }
}
