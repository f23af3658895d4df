import Foundation
import Testing
@testable import LogRules
@testable import CMLogCheckCLI

/// One entry of a knowledge file as JSON text, with fields replaced or removed (`nil`).
func knowledgeEntry(_ changes: [String: String?] = [:]) -> String {
    var fields: [String: String] = [
        "id": #""mine.one""#, "kind": #""http-status""#, "key": #""418""#, "text": #""A teapot.""#,
        "source": #""RFC 2324""#, "tag": #""3rd-party""#,
    ]
    for (key, value) in changes { fields[key] = value }
    return "{" + fields.sorted { $0.key < $1.key }.map { "\"\($0.key)\": \($0.value)" }.joined(separator: ", ") + "}"
}

func knowledgeFile(_ entries: [String]) -> String {
    #"{"schemaVersion": 1, "entries": ["# + entries.joined(separator: ", ") + "]}"
}

@Suite struct KnowledgeFileTests {
    func parse(_ text: String) throws(KnowledgeError) -> Knowledge {
        try Knowledge.parse(Data(text.utf8), origin: "test", file: "mine.json")
    }

    func error(_ text: String) -> KnowledgeError? {
        do {
            _ = try parse(text)
            return nil
        } catch {
            return error
        }
    }

    @Test("the bundled knowledge loads: ids unique, every entry with a text, a source and a tag")
    func bundled() throws {
        let knowledge = try Knowledge.bundled()
        #expect(knowledge.entries.count >= 100)
        #expect(Set(knowledge.entries.map(\.id)).count == knowledge.entries.count)
        for entry in knowledge.entries {
            #expect(!entry.text.isEmpty && !entry.source.isEmpty, "\(entry.id)")
        }
        // Every kind is used: an unused kind would be vocabulary nothing exercises.
        #expect(Set(knowledge.entries.map(\.kind)) == Set(KnowledgeKind.allCases))
    }

    @Test("a bundled key of one kind appears once per source: several entries for one code differ in tag")
    func bundledKeysDistinct() throws {
        let knowledge = try Knowledge.bundled()
        var seen: [String: KnowledgeTag] = [:]
        for entry in knowledge.entries {
            for key in entry.lookupKeys {
                let slot = "\(entry.kind.rawValue) \(key)"
                if let tag = seen[slot] { #expect(tag != entry.tag, "\(entry.id): \(slot) twice with tag \(tag.rawValue)") }
                seen[slot] = entry.tag
            }
        }
    }

    @Test("a good user entry loads, with its key in the compared form")
    func good() throws {
        let knowledge = try parse(knowledgeFile([knowledgeEntry(["kind": #""hresult""#, "key": #""0x80070643L""#])]))
        let entry = try #require(knowledge.entries.first)
        #expect(entry.lookupKeys == ["0x80070643"])
        #expect(knowledge.origins["mine.one"] == "test")
    }

    @Test("bad entries are refused with an error that names the file, the entry and what is wrong",
          arguments: [
            (knowledgeEntry(["kind": #""rumour""#]), "entry 'mine.one' (entries[0]): unknown kind 'rumour' (use one of hresult, app-install-error"),
            (knowledgeEntry(["tag": #""MS-blog""#]), "unknown tag 'MS-blog' (use one of MS-doc, MS-support, MS-help, MS-api, MS-issue, 3rd-party, not-found)"),
            (knowledgeEntry(["source": nil]), "entry 'mine.one' (entries[0]): missing 'source'"),
            (knowledgeEntry(["text": #""  ""#]), "'text' is empty"),
            (knowledgeEntry(["key": #""4xx""#]), "'key' '4xx' is not an HTTP status (100 to 599)"),
            (knowledgeEntry(["kind": #""hresult""#, "key": #""80131509""#]), "'key' '80131509' is not a hexadecimal code such as 0x80131509"),
            (knowledgeEntry(["kind": #""status-message""#, "key": #""-5""#]), "is not a decimal number such as 11412"),
            (knowledgeEntry(["aliases": #"["419", "x"]"#]), "alias 'x' is not an HTTP status"),
            (knowledgeEntry(["souce": #""RFC""#]), "unknown key 'souce' (an entry has id, kind, key"),
            (knowledgeEntry(["logs": #""AdminService.log""#]), "'logs' must be a list of texts"),
            (knowledgeEntry(["text": #""\u001b[31mred""#]), "'text' holds a control character (U+001B)"),
            (knowledgeEntry(["id": nil]), "mine.json: entries[0]: missing 'id'"),
            (knowledgeEntry(["id": #""two words""#]), "'id' must be a text without spaces"),
          ])
    func bad(entry: String, expected: String) {
        let failure = error(knowledgeFile([entry]))
        #expect(failure?.description.contains(expected) == true, "\(failure?.description ?? "no error")")
        #expect(failure?.description.hasPrefix("mine.json: ") == true)
    }

    @Test("bad files are refused: not JSON, no entries, an unknown version or key, a repeated id")
    func badFiles() {
        #expect(error("{")?.message.hasPrefix("not JSON") == true)
        #expect(error("[]")?.message.contains("the top level must be an object") == true)
        #expect(error(#"{"schemaVersion": 1}"#)?.message == "missing 'entries'")
        #expect(error(#"{"schemaVersion": 2, "entries": []}"#)?.message.contains("schemaVersion 2 is not supported") == true)
        #expect(error(#"{"entries": [], "rules": []}"#)?.message.contains("unknown key 'rules'") == true)
        let twice = error(knowledgeFile([knowledgeEntry(), knowledgeEntry(["key": #""419""#])]))
        #expect(twice?.description == "mine.json: entry 'mine.one' (entries[1]): the id appears twice")
    }

    @Test("a user file layers on the bundled knowledge: the same id replaces in place, a new id is added")
    func merge() throws {
        let dir = TemporaryDirectory()
        let replaced = knowledgeEntry(["id": #""http.407""#, "key": #""407""#, "text": #""Our proxy wants a ticket.""#, "tag": #""3rd-party""#])
        let added = knowledgeEntry(["id": #""mine.418""#])
        let path = try dir.write("mine.json", knowledgeFile([replaced, added]))
        var knowledge = try Knowledge.bundled()
        let count = knowledge.entries.count
        let position = try #require(knowledge.entries.firstIndex { $0.id == "http.407" })
        try knowledge.merge(userFile: path)
        #expect(knowledge.entries.count == count + 1)
        #expect(knowledge.entries[position].text == "Our proxy wants a ticket.")
        #expect(knowledge.entries.last?.id == "mine.418")
        #expect(knowledge.origins["http.407"] == path && knowledge.origins["http.408"] == "bundled")
        #expect(knowledge.lookup("407").matches.map(\.entry.text) == ["Our proxy wants a ticket."])
    }

    @Test("a missing user file says so")
    func missingFile() {
        var knowledge = Knowledge()
        #expect(throws: KnowledgeError(file: "/nonexistent/k.json", message: "cannot read the knowledge file: no such file")) {
            try knowledge.merge(userFile: "/nonexistent/k.json")
        }
    }
}

@Suite struct RuleCatalogHResultTests {
    @Test("the exception finding's HRESULTs come from the knowledge; the rule catalog no longer carries them")
    func fromKnowledge() throws {
        let catalog = try RuleCatalog.bundled()
        #expect(catalog.hresults.isEmpty)
        let explained = try #require(catalog.explain(hresult: "0x80131509"))
        #expect(explained.hasPrefix("COR_E_INVALIDOPERATION. The HRESULT of .NET's InvalidOperationException"))
        #expect(!explained.hasSuffix("."))  // the finding adds its own full stop
        #expect(catalog.explain(hresult: "0X8013150a") == nil)
        // Case and the 0x prefix as the logs write them; an application install code is not an exception's HRESULT.
        #expect(catalog.explain(hresult: "0x8007000e")?.hasPrefix("E_OUTOFMEMORY") == true)
        #expect(catalog.explain(hresult: "0x87D00607") == nil)
    }

    @Test("a rule file's hresults still add to and override the knowledge's, so older files keep working")
    func ruleFileOverrides() throws {
        let dir = TemporaryDirectory()
        let path = try dir.write("rules.json", #"{"rules": [], "hresults": {"0x80131509": "ours", "0x87D00607": "content"}}"#)
        var catalog = try RuleCatalog.bundled()
        try catalog.merge(userFile: path)
        #expect(catalog.explain(hresult: "0x80131509") == "ours")
        #expect(catalog.explain(hresult: "0x87d00607") == "content")
        #expect(catalog.explain(hresult: "0x80131500")?.hasPrefix("COR_E_EXCEPTION") == true)
    }
}
