import Foundation
import Testing
@testable import LogRules

/// The knowledge against its documentation and its sources: every entry is listed in
/// docs/explain.md, and every code and message the reference's tables list is answered.
@Suite struct ExplainCoverageTests {
    static let root = repositoryRoot
    static let knowledge = try! Knowledge.bundled()

    /// The project's shared reference, when this checkout can see it (CI may not):
    /// `CMLOGCHECK_REFERENCE`, else where the project keeps it.
    static let referencePath: String? = {
        let candidates = [ProcessInfo.processInfo.environment["CMLOGCHECK_REFERENCE"], "/work/shared/reference/documented-knowledge.md"]
        return candidates.compactMap { $0 }.first { FileManager.default.fileExists(atPath: $0) }
    }()

    func answered(_ query: String) -> Bool { !Self.knowledge.lookup(query).matches.isEmpty }

    @Test("every entry is in docs/explain.md: its id, its key, its tag and its source")
    func documented() throws {
        let docs = try String(contentsOf: Self.root.appendingPathComponent("docs/explain.md"), encoding: .utf8)
        let cells = docs.replacingOccurrences(of: "\\|", with: "|")
        for entry in Self.knowledge.entries {
            let row = try #require(cells.split(separator: "\n").first { $0.contains("`\(entry.id)`") }, "\(entry.id) is not in docs/explain.md")
            #expect(row.contains(entry.key), "\(entry.id): key")
            #expect(row.contains(entry.tag.rawValue), "\(entry.id): tag")
            #expect(row.contains(entry.source), "\(entry.id): source")
        }
        #expect(docs.contains("\(Self.knowledge.entries.count) entries"))
    }

    /// The codes and messages of the reference's tables (documented-knowledge.md §1.10, §2.4 and
    /// its application install error table, §1.4's status messages and endpoint check statuses),
    /// written as the reference writes them, ellipses included.
    static let referenceTables: [String] = [
        // §1.10 error families
        "401", "400", "403", "404", "407", "408", "426", "451", "502", "511", "598", "599", "429", "503", "500",
        "Failed to download the update from internet. Error = 12007.", "12007",
        "The remote name could not be resolved",
        "The underlying connection was closed: An unexpected error occurred on a receive.",
        "Mismatch certificate subject name",
        // §1.4 status messages, §1.5 error code 3 and 11618, §1.1 HRESULTs, §1.1d 204
        "11410", "11411", "11412", "11488", "11618", "Error code 3", "0x80131501", "0x80131509", "204",
        "ExecuteReader requires an open and available Connection. The connection's current state is closed.",
        "System.Security.SecurityException", "Execution Timeout Expired",
        // §2.4 admin center messages
        "You don't have access to view this information. Make sure a proper user role is assigned from Intune.",
        "Device can't be found or you don't have permission to access the device",
        "Unable to get client details (or collection) information. Make sure Azure AD and AD user discovery are configured and the user is discovered by both. Verify that the user has proper permissions in Configuration Manager.",
        "Unable to get device information", "Unable to get application information", "Unable to get Scripts information",
        "Unable to get timeline information", "Unable to get resource information", "Unable to get software updates information",
        "Getting results timed out. Make sure the Configuration Manager service connection point is operational and has a connection to the cloud.",
        "Error validating request. Verify that the Configuration Manager service connection point can reach the internet endpoints required for tenant attach.",
        "Unexpected error occurred",
        "The necessary configuration is missing in Azure Active Directory. Make sure to attach the Configuration Manager site to your Azure tenant, and assign the proper user role in Azure AD.",
        "Not authorized to view query results…",
        "On-prem error code: 500 internal server error",
        "The site information hasn't yet synchronized … Wait up to 15 minutes",
        "The device information hasn't yet synchronized … Wait up to 15 minutes",
        "Unable to load inventory classes for your environment.",
        "Failed to get inventory classes with data. On-premises error 500.",
        "… The user does not have permissions.",
        "Configuration Manager doesn't meet the minimum version prerequisite.",
        "Error: The query result is too large, retry with additional filters",
        "MDM Authority",
        // §2.4 application install error codes
        "0x87D00202", "0x87D00207", "0x87D00213", "0x87D00215", "0x87D00235", "0x87D00244", "0x87D0027C", "0x87D00289",
        "0x87D00314", "0x87D00321", "0x87D00324", "0x87D00325", "0x87D00327", "0x87D00329", "0x87D00607", "0x87D00667",
        "0x87D01106", "0x87D01107", "0x87D01201", "0x87D01202", "0x87D01281", "0x87D0128F", "0x87D01290", "0x87D103E8",
        "0x87D1076C",
        "1602", "1603", "1605", "1618", "1633", "1638", "1642",
        "1", "2", "692", "0x80000003", "0x80000007L", "0x80000009", "0x80004005", "0x8000FFFF", "0x80040154", "0x80091007", "0xC0000142",
        "0x80041001", "0x80041009", "0x8004100E",
        "0x00240006", "0x80240017",
    ]

    @Test("every code and message of the reference's tables is answered", arguments: referenceTables)
    func referenceAnswered(query: String) {
        #expect(answered(query), "\(query)")
    }

    @Test("read from the reference itself: every HRESULT it names, every status code and status message, every quoted admin center message",
          .enabled(if: referencePath != nil, "the shared reference is not in this checkout"))
    func fromReference() throws {
        let text = try String(contentsOfFile: Self.referencePath!, encoding: .utf8)
        var queries: [String] = []
        // Every 0x code anywhere in the reference.
        queries += matches(#"0x[0-9A-Fa-f]{8}L?"#, in: text)
        // Status messages of the service connector and the administration service.
        queries += matches(#"\b11(?:41[0-2]|488|618)\b"#, in: text)
        // §1.10: the status codes in the first column of the error family table.
        let families = section(text, from: "### 1.10", to: "---")
        for row in families.split(separator: "\n") where row.hasPrefix("| ") && !row.hasPrefix("| error family") {
            let first = row.split(separator: "|").first.map(String.init) ?? ""
            queries += matches(#"\b[2-5]\d\d\b"#, in: first)
        }
        // §2.4: the quoted messages in the first column of the admin center table.
        let messages = section(text, from: "### 2.4", to: "**Application install error codes")
        for row in messages.split(separator: "\n") where row.hasPrefix("| ") {
            let first = row.split(separator: "|").first.map(String.init) ?? ""
            queries += matches(#""([^"]+)""#, in: first, group: 1)
        }
        // §2.4: the application install codes, decimal ones in the MSI and Windows bullets.
        let install = section(text, from: "**Application install error codes", to: "### 2.5")
        for line in install.split(separator: "\n") where line.contains("**MSI source**") || line.contains("**Windows source**") {
            let withoutAsides = String(line).replacingOccurrences(of: #"\([^)]*\)"#, with: "", options: .regularExpression)
            queries += matches(#"(?<![0-9A-Fa-fx])\d{1,4}\b"#, in: withoutAsides)
        }
        #expect(queries.count >= 80)
        for query in Set(queries).sorted() {
            #expect(answered(query), "the reference lists '\(query)', which explain does not answer")
        }
    }

    func section(_ text: String, from start: String, to end: String) -> String {
        guard let from = text.range(of: start) else { Issue.record("no '\(start)' in the reference"); return "" }
        let rest = text[from.upperBound...]
        return String(rest[..<(rest.range(of: end)?.lowerBound ?? rest.endIndex)])
    }

    func matches(_ pattern: String, in text: String, group: Int = 0) -> [String] {
        let regex = try! NSRegularExpression(pattern: pattern)
        let range = NSRange(text.startIndex..., in: text)
        return regex.matches(in: text, range: range).compactMap { Range($0.range(at: group), in: text).map { String(text[$0]) } }
    }
}
