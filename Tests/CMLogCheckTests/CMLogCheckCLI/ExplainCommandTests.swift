import Foundation
import Testing
@testable import LogRules
@testable import LogReport
@testable import CMLogCheckCLI

@Suite struct ExplainCommandTests {
    /// No line wider than 80 columns, no control character other than the line feed.
    func expectFits(_ text: String, _ context: String, sourceLocation: SourceLocation = #_sourceLocation) {
        for line in text.split(separator: "\n", omittingEmptySubsequences: false) {
            #expect(line.count <= 80, "\(context): \(line.count) columns: \(line)", sourceLocation: sourceLocation)
            #expect(!line.unicodeScalars.contains { $0.value < 0x20 || (0x7F..<0xA0).contains($0.value) },
                    "\(context): a control character in \(line.debugDescription)", sourceLocation: sourceLocation)
        }
    }

    @Test("the answer comes first: what the code is, then what it means, then cause, fix, logs, source and tag")
    func textAnswer() throws {
        let result = runCLI(["explain", "0x87D00607"])
        #expect(result.status == 0)
        let lines = result.outputLines
        #expect(lines.first == "0x87D00607 (application install error): Content not found")
        #expect(try lines.at(1).hasPrefix("An application install, from the admin center or a deployment, failed"))
        let labels = lines.compactMap { $0.split(separator: " ").first.map(String.init) }
        for label in ["Fix", "Read", "Source", "Tag"] { #expect(labels.contains(label), "\(label)") }
        #expect(result.standardOutput.contains("Tag        MS-doc: Microsoft product documentation"))
        #expect(result.standardOutput.contains("app-install-error-reference.md"))
        #expect(result.standardError.isEmpty)
    }

    @Test("every entry's text answer fits 80 columns and holds no control character")
    func everyEntryFits() throws {
        let knowledge = try Knowledge.bundled()
        for entry in knowledge.entries {
            let text = ExplainText.lines(KnowledgeMatch(entry: entry, how: .code, note: "a note"), origin: "bundled").joined(separator: "\n")
            expectFits(text, entry.id)
            #expect(text.contains(entry.tag.rawValue), "\(entry.id)")
        }
        let listing = runCLI(["explain", "--list"])
        #expect(listing.status == 0)
        expectFits(listing.standardOutput, "--list")
        #expect(listing.standardOutput.contains("\(knowledge.entries.count) entries"))
    }

    @Test("wrapping breaks at word boundaries, and breaks a word longer than a line after punctuation")
    func wrapping() throws {
        let words = String(repeating: "word ", count: 40)
        let lines = ExplainText.wrap(words, first: "Cause      ", rest: "           ")
        #expect(lines.allSatisfy { $0.count <= 80 && !$0.hasSuffix(" ") })
        #expect(lines.dropFirst().allSatisfy { $0.hasPrefix("           word") })
        #expect(lines.joined(separator: " ").split(separator: " ").filter { $0 == "word" }.count == 40)
        let path = "memdocs/configmgr/core/plan-design/security/includes/update-net-framework-to-support-tls-1-2.md"
        let broken = ExplainText.wrap("see " + path, first: "Source     ", rest: "           ")
        #expect(broken.allSatisfy { $0.count <= 80 })
        #expect(broken.count == 3)
        #expect(try broken.at(1).last.map { "/-_.".contains($0) } == true, "\(broken)")  // after punctuation, not mid-word
        #expect(broken.dropFirst().map { $0.trimmingCharacters(in: .whitespaces) }.joined() == path)
        #expect(ExplainText.wrap("one\ntwo", first: "", rest: "  ") == ["one", "  two"])
    }

    @Test("several entries for one code are printed one after the other, each whole")
    func several() {
        let result = runCLI(["explain", "401"])
        #expect(result.status == 0)
        #expect(result.outputLines.first == "401 (HTTP status): Unauthorized")
        #expect(result.outputLines.contains("401 (HTTP status): Unauthorized (admin consent)"))
        #expect(result.standardOutput.components(separatedBy: "\nSource ").count == 3)
        #expect(result.standardOutput.contains("3rd-party: a blog"))
    }

    @Test("a message given as several words, a decimal HRESULT after --, a negative HRESULT as it is")
    func arguments() {
        let message = runCLI(["explain", "Getting", "results", "timed", "out"])
        #expect(message.status == 0)
        #expect(message.outputLines.first == "Admin center message: Error loading your content: timed out")
        #expect(message.standardOutput.contains("Message    Getting results timed out. Make sure the Configuration Manager"))
        for arguments in [["explain", "--", "-2146233079"], ["explain", "-2146233079"]] {
            let result = runCLI(arguments)
            #expect(result.status == 0, "\(arguments)")
            #expect(result.outputLines.first == "0x80131509 (HRESULT): COR_E_INVALIDOPERATION")
            #expect(result.standardOutput.contains("Read as    -2146233079 is the HRESULT 0x80131509 written as a signed decimal"))
        }
    }

    @Test("unknown: says so on standard error, exits 1; the query is shown without its control characters")
    func unknown() {
        let result = runCLI(["explain", "0x12345678"])
        #expect(result.status == 1)
        #expect(result.standardOutput.isEmpty)
        #expect(result.standardError.hasPrefix("cmlogcheck: no entry for the code '0x12345678' in cmlogcheck's knowledge"))
        #expect(result.standardError.contains("CMTrace's Error Lookup"))
        expectFits(result.standardError, "not found")
        let hostile = runCLI(["explain", "bad \u{1B}[2Jnews"])
        #expect(hostile.status == 1)
        #expect(hostile.standardError.contains("bad \\x1B[2Jnews"))
        expectFits(hostile.standardError, "control characters")
    }

    @Test("a start shared by too many messages lists them and exits 1")
    func ambiguous() throws {
        let dir = TemporaryDirectory()
        let entries = (0..<4).map { knowledgeEntry(["id": "\"m\($0)\"", "kind": #""admin-center-message""#, "key": "\"Something went wrong number \($0)\""]) }
        let path = try dir.write("k.json", knowledgeFile(entries))
        let result = runCLI(["explain", "--knowledge", path, "something went wrong"])
        #expect(result.status == 1)
        #expect(result.outputLines.first == "'something went wrong' starts 4 messages: give more of the text. They are:")
        #expect(result.outputLines.contains("- Something went wrong number 3"))
    }

    @Test("bad usage exits 2: no text, an unknown format, a misspelt option, text with --list")
    func usage() {
        for arguments in [["explain"], ["explain", "  "], ["explain", "--format", "xml", "407"], ["explain", "--formt", "json", "407"],
                          ["explain", "--list", "407"]] {
            let result = runCLI(arguments)
            #expect(result.status == 2, "\(arguments): \(result.standardError)")
            #expect(!result.standardError.isEmpty)
        }
    }

    @Test("a bad --knowledge file exits 2 naming the file and the entry")
    func badKnowledge() throws {
        let dir = TemporaryDirectory()
        let path = try dir.write("k.json", knowledgeFile([knowledgeEntry(["tag": #""rumour""#])]))
        let result = runCLI(["explain", "--knowledge", path, "407"])
        #expect(result.status == 2)
        #expect(result.standardError.contains("bad knowledge: \(path): entry 'mine.one' (entries[0]): unknown tag 'rumour'"))
        let missing = runCLI(["explain", "--knowledge", dir.path + "/none.json", "407"])
        #expect(missing.status == 2)
        #expect(missing.standardError.contains("no such file"))
    }

    @Test("--format json: schemaVersion, the query, and each entry in the file's shape with its origin and how it matched")
    func json() throws {
        let result = runCLI(["explain", "--format", "json", "0x80070643"])
        #expect(result.status == 0)
        let object = try #require(try JSONSerialization.jsonObject(with: Data(result.standardOutput.utf8)) as? [String: Any])
        #expect(object["schemaVersion"] as? Int == 1)
        #expect(object["query"] as? String == "0x80070643")
        #expect(object["found"] as? Bool == true)
        let entries = try #require(object["entries"] as? [[String: Any]])
        let entry = try #require(entries.first)
        #expect(entry["id"] as? String == "app-install.1603")
        #expect(entry["kind"] as? String == "app-install-error")
        #expect(entry["tag"] as? String == "MS-doc")
        #expect((entry["source"] as? String)?.contains("app-install-error-reference.md") == true)
        #expect(entry["origin"] as? String == "bundled")
        let match = try #require(entry["match"] as? [String: Any])
        #expect(match["how"] as? String == "read-as")
        #expect((match["note"] as? String)?.contains("HRESULT_FROM_WIN32") == true)

        let missing = runCLI(["explain", "--format", "json", "0x12345678"])
        #expect(missing.status == 1)
        let empty = try #require(try JSONSerialization.jsonObject(with: Data(missing.standardOutput.utf8)) as? [String: Any])
        #expect(empty["found"] as? Bool == false)
        #expect((empty["entries"] as? [Any])?.isEmpty == true)
    }

    @Test("--list --format json is itself a knowledge file: read back, it holds the same entries")
    func listRoundTrip() throws {
        let dir = TemporaryDirectory()
        let listing = runCLI(["explain", "--list", "--format", "json"])
        #expect(listing.status == 0)
        let path = try dir.write("all.json", listing.standardOutput)
        let again = try Knowledge.parse(Data(listing.standardOutput.utf8), origin: path, file: path)
        #expect(again.entries == (try Knowledge.bundled()).entries)
        #expect(runCLI(["explain", "--knowledge", path, "407"]).status == 0)
    }

    @Test("explain is listed in the top-level help")
    func help() {
        let result = runCLI(["--help"])
        #expect(result.standardOutput.contains("explain"))
    }
}
