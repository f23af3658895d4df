import Foundation
import Testing
@testable import LogInput
@testable import LogAnalysis
@testable import LogFindings

// The finding texts as data (issue 9, item 3): the template syntax, and the
// loader's refusals, each of which must name the entry and the template.

@Suite("finding texts: templates") struct TextTemplateTests {
    func render(_ source: String, _ values: TextValues) throws -> String {
        let (text, missing) = try TextTemplate(parsing: source).render(values)
        #expect(missing.isEmpty, "\(missing)")
        return text
    }

    @Test("{name} substitutes; {name|one|other} chooses by whether the value is 1")
    func substituteAndPlural() throws {
        let template = "{count} {count|record|records} in {file}"
        #expect(try render(template, ["count": TextValue(1), "file": "a.log"]) == "1 record in a.log")
        #expect(try render(template, ["count": TextValue(0), "file": "a.log"]) == "0 records in a.log")
        #expect(try render(template, ["count": TextValue(12), "file": "a.log"]) == "12 records in a.log")
        // Choices are templates too.
        #expect(try render("{count|1 device|{count} devices}", ["count": TextValue(3)]) == "3 devices")
    }

    @Test("{?name:…} only when set, {!name:…} only when not; empty, false and 0 are not set")
    func conditionals() throws {
        let template = "done{?missed: {missed} missed}{!missed: none missed}."
        #expect(try render(template, ["missed": TextValue(2)]) == "done 2 missed.")
        #expect(try render(template, ["missed": TextValue(0)]) == "done none missed.")
        #expect(try render(template, ["missed": ""]) == "done none missed.")
        #expect(try render("{?flag:yes}", ["flag": TextValue(false)]) == "")
        #expect(try render("{?flag:yes}", ["flag": TextValue(true)]) == "yes")
        #expect(try render("{?at:at {at}}", ["at": TextValue(Instant(iso8601: "2021-03-08T10:30:00Z"))]) == "at 2021-03-08T10:30:00.000Z")
        // Nested: a separator only between two present parts.
        let parts = "({?a:{a} a}{?a:{?b:, }}{?b:{b} b})"
        #expect(try render(parts, ["a": TextValue(1), "b": TextValue(2)]) == "(1 a, 2 b)")
        #expect(try render(parts, ["a": TextValue(0), "b": TextValue(2)]) == "(2 b)")
        #expect(try render(parts, ["a": TextValue(1), "b": TextValue(0)]) == "(1 a)")
    }

    @Test("values go in as they are: braces in a log line are not read as placeholders")
    func valuesAreNotTemplates() throws {
        #expect(try render("line: {line}", ["line": "{count} {?x:y}"]) == "line: {count} {?x:y}")
    }

    @Test("a name without a value is reported and left in the text, so the gap shows")
    func missingValue() throws {
        let (text, missing) = try TextTemplate(parsing: "{a} and {b}{?c:!}").render(["a": "x"])
        #expect(text == "x and {b}")
        #expect(missing == ["b", "c"])
    }

    @Test("every parameter a template names, in choices and conditions too")
    func names() throws {
        #expect(try TextTemplate(parsing: "{a} {b|{c}|d} {?e:{f}} {!g:h}").names == ["a", "b", "c", "e", "f", "g"])
    }

    @Test("syntax errors say what is wrong and where", arguments: [
        ("open {count", "unbalanced brace: this '{' is never closed", 5),
        ("a } b", "unbalanced brace: this '}' closes no '{'", 2),
        ("{?x:text", "unbalanced brace: this '{' is never closed", 0),
        ("{n|one}", "{n|…} needs two choices: {n|one|other}", 0),
        ("{n|a|b|c}", "{n|…} takes two choices, this is a third", 6),
        ("{ name}", "expected a parameter name (letters and digits, a letter first) after '{'", 1),
        ("{1st}", "expected a parameter name (letters and digits, a letter first) after '{'", 1),
        ("{?x text}", "expected a ':' after the name in {?x:…}", 3),
        ("{name.x}", "'.' after {name: expected '}', '|' or, before the name, '?' or '!'", 5),
    ])
    func syntaxErrors(_ source: String, _ message: String, _ offset: Int) {
        #expect(throws: TemplateSyntaxError(offset: offset, message: message)) { try TextTemplate(parsing: source) }
    }
}

@Suite("finding texts: the bundled file and the loader") struct FindingTextsTests {
    /// The bundled file as JSON objects, to break one thing at a time.
    static func bundledJSON() throws -> [String: Any] {
        let bytes = try #require(FindingTexts.builtInBytes)
        return try #require(try JSONSerialization.jsonObject(with: Data(bytes)) as? [String: Any])
    }

    /// The bundled file with `change` applied to the entry for `id`, parsed.
    static func parse(changing id: FindingID, _ change: (inout [String: Any]) -> Void) throws -> FindingTexts {
        var top = try bundledJSON()
        var entries = try #require(top["findings"] as? [[String: Any]])
        let index = try #require(entries.firstIndex { $0["id"] as? String == id.rawValue })
        change(&entries[index])
        top["findings"] = entries
        return try parse(top)
    }

    static func parse(_ top: [String: Any]) throws -> FindingTexts {
        try FindingTexts.parse(JSONSerialization.data(withJSONObject: top), file: "texts.json")
    }

    /// The loader's refusal, as the person editing the file reads it.
    static func refusal(_ body: () throws -> FindingTexts) -> String? {
        do {
            _ = try body()
            return nil
        } catch {
            return (error as? FindingTextError)?.description ?? "not a FindingTextError: \(error)"
        }
    }

    @Test("the bundled texts load: one entry per FindingID, every sample renders")
    func bundled() throws {
        let texts = try FindingTexts.bundled()
        #expect(Set(texts.texts.keys) == Set(FindingID.allCases))
        for id in FindingID.allCases {
            let text = texts[id]
            #expect(text.id == id)
            #expect(!text.sourceNote.isEmpty)
            for template in [text.title, text.detail, text.remediation] + Array(text.fragments.values) {
                let (rendered, missing) = template.render(text.sample)
                #expect(missing.isEmpty, "\(id): \(missing)")
                #expect(!rendered.contains("{") && !rendered.contains("}"), "\(id): \(rendered)")
            }
            #expect(Set(text.fragments.keys) == id.fragments, "\(id)")
        }
    }

    @Test("the severities are the ones docs/findings.md gives")
    func severities() throws {
        let texts = try FindingTexts.bundled()
        let errors: Set<FindingID> = [.noSyncActivity, .syncStalled, .uploadUnauthorized, .onboardingRejected, .notificationUnauthorized,
                                      .httpError, .serviceUnreachable, .uploadException, .actionUnauthorized,
                                      .signingCertificateMismatch, .sqlConnectionClosed, .adminServiceUPNMismatch, .providerForbidden,
                                      .endpointCheckFailed, .tlsFailure]
        let warnings: Set<FindingID> = [.syncLate, .actionNotForwarded, .actionNotDelivered, .deviceSharedDPCertificate, .deviceEvidenceConflict,
                                        .adminServiceSQLTimeout, .pushPartiallyFailed]
        for id in FindingID.allCases {
            #expect(texts[id].severity == (errors.contains(id) ? .error : warnings.contains(id) ? .warning : .info), "\(id)")
        }
    }

    @Test("every FindingID is documented in docs/findings.md, with its source")
    func documented() throws {
        let docs = repositoryRoot.appendingPathComponent("docs/findings.md")
        let text = try String(contentsOf: docs, encoding: .utf8)
        for id in FindingID.allCases {
            let row = text.split(separator: "\n").first { $0.hasPrefix("| `\(id.rawValue)` |") }
            #expect(row != nil, "\(id.rawValue) has no row in docs/findings.md")
            let source = try FindingTexts.bundled()[id].source.rawValue
            #expect(row?.contains("| \(source) |") == true, "\(id.rawValue): docs/findings.md does not give its source \(source)")
        }
    }

    @Test("an unknown id is refused")
    func unknownID() throws {
        let message = Self.refusal { try Self.parse(changing: .syncLate) { $0["id"] = "sync-tardy" } }
        #expect(message == "texts.json: entry 'sync-tardy': unknown finding id: the ids are those of FindingID (docs/findings.md)")
    }

    @Test("a missing id is refused, and so is a second entry for one")
    func missingAndTwice() throws {
        var top = try Self.bundledJSON()
        var entries = try #require(top["findings"] as? [[String: Any]])
        let index = try #require(entries.firstIndex { $0["id"] as? String == "device-not-in-cloud" })
        let removed = entries.remove(at: index)
        top["findings"] = entries
        #expect(Self.refusal { try Self.parse(top) }
                == "texts.json: entry 'device-not-in-cloud': no entry for this finding id: every finding cmlogcheck raises needs its texts")
        top["findings"] = entries + [removed, removed]
        #expect(Self.refusal { try Self.parse(top) } == "texts.json: entry 'device-not-in-cloud': the id has two entries")
    }

    @Test("basis notes: both are required, and each names the rules and nothing else")
    func basisNotes() throws {
        let texts = try Self.parse(try Self.bundledJSON())
        #expect(Set(texts.basisNotes.keys) == [.reported, .assumed])
        var top = try Self.bundledJSON()
        top["basisNotes"] = ["assumed": "Assumed: {rules}."]
        #expect(Self.refusal { try Self.parse(top) } == "texts.json, basisNotes.reported: must be a non-empty text")
        top["basisNotes"] = ["reported": "Reported.", "assumed": "Assumed: {rules}."]
        #expect(Self.refusal { try Self.parse(top) } == "texts.json, basisNotes.reported: must name the rules as {rules} and use no other placeholder")
        top["basisNotes"] = ["reported": "Reported: {rules}.", "assumed": "Assumed: {rules}.", "seen": "Seen: {rules}."]
        #expect(Self.refusal { try Self.parse(top) } == "texts.json, basisNotes.seen: unknown key: the notes are \"reported\" and \"assumed\"")
    }

    @Test("an unknown placeholder is refused, naming the template and the declared parameters")
    func unknownPlaceholder() throws {
        let message = Self.refusal { try Self.parse(changing: .nextRunUnreadable) { $0["detail"] = "{count} lines, {lines} of them" } }
        #expect(message == "texts.json: entry 'next-run-unreadable', detail: unknown placeholder {lines}: the entry's parameters are count")
    }

    @Test("an unbalanced brace is refused, naming the template")
    func unbalanced() throws {
        let open = Self.refusal { try Self.parse(changing: .syncLate) { $0["title"] = "{late} upload {late|cycle|cycles started late" } }
        #expect(open == "texts.json: entry 'sync-late', title: at character 15: unbalanced brace: this '{' is never closed")
        let stray = Self.refusal {
            try Self.parse(changing: .serviceUnreachable) { entry in
                entry["fragments"] = ["item": "{cause}: {causeCount}} {hosts}"]
            }
        }
        #expect(stray == "texts.json: entry 'service-unreachable', fragments.item: at character 22: unbalanced brace: this '}' closes no '{'")
    }

    @Test("a sample that leaves a placeholder unfilled is refused, on a branch the sample does not take too")
    func leftover() throws {
        func without(_ name: String) -> (inout [String: Any]) -> Void {
            { entry in
                var sample = entry["sample"] as? [String: String] ?? [:]
                sample[name] = nil
                entry["sample"] = sample
            }
        }
        #expect(Self.refusal { try Self.parse(changing: .syncLate, without("worstDelay")) }
                == "texts.json: entry 'sync-late', detail: the sample leaves {worstDelay} unfilled: give it a value in \"sample\"")
        // dueBy sits in {?dueBy:…}, which the sample (an announced run) does not take.
        #expect(Self.refusal { try Self.parse(changing: .syncStalled, without("dueBy")) }
                == "texts.json: entry 'sync-stalled', detail: the sample leaves {dueBy} unfilled: give it a value in \"sample\"")
    }

    @Test("the rest of an entry's shape is checked too", arguments: [
        ("severity", "fatal", "texts.json: entry 'sync-late', severity: must be error, warning or info"),
        ("source", "Microsoft", "texts.json: entry 'sync-late', source: must be {\"kind\": \"documented\" | \"own-choice\" | \"assumed\", \"note\": where it comes from}"),
        ("remediaton", "typo", "texts.json: entry 'sync-late', remediaton: unknown key (an entry has detail, fragments, id, parameters, remediation, sample, severity, source, title)"),
        ("remediation", "", "texts.json: entry 'sync-late', remediation: must be a non-empty text"),
    ])
    func shape(_ key: String, _ value: String, _ message: String) throws {
        #expect(Self.refusal { try Self.parse(changing: .syncLate) { $0[key] = value } } == message)
    }

    @Test("parameters must be used, and fragments must be the ones the code renders")
    func parametersAndFragments() throws {
        let unused = Self.refusal {
            try Self.parse(changing: .nextRunUnreadable) { entry in
                entry["parameters"] = ["count": "lines", "spare": "nothing"]
                entry["sample"] = ["count": "1", "spare": "x"]
            }
        }
        #expect(unused == "texts.json: entry 'next-run-unreadable', parameters: 'spare' is declared but no template uses it")
        let noFragment = Self.refusal { try Self.parse(changing: .syncLate) { $0["fragments"] = nil } }
        #expect(noFragment == "texts.json: entry 'sync-late', fragments: no \"evidence\" fragment, which the code renders for this finding")
        let extra = Self.refusal { try Self.parse(changing: .httpError) { $0["fragments"] = ["item": "{status}"] } }
        #expect(extra == "texts.json: entry 'http-error', fragments.item: http-error renders no fragment")
    }

    @Test("the file as a whole: JSON, the schema version, the findings array")
    func wholeFile() throws {
        #expect(Self.refusal { try FindingTexts.parse(Data("{".utf8), file: "texts.json") }?.hasPrefix("texts.json: not JSON") == true)
        var top = try Self.bundledJSON()
        top["schemaVersion"] = 2
        #expect(Self.refusal { try Self.parse(top) } == "texts.json: \"schemaVersion\" must be 1")
        top["schemaVersion"] = 1
        top["rules"] = []
        #expect(Self.refusal { try Self.parse(top) } == "texts.json: unknown key \"rules\" (a file has \"schemaVersion\", \"findings\" and \"basisNotes\")")
    }

    @Test("without its texts a finding still counts, as an error that says why")
    func standIn() throws {
        let error = FindingTextError(file: "finding-texts.json", message: "the bundled finding texts are missing")
        let text = FindingText.standIn(.syncLate, because: error)
        let finding = text.finding(["late": TextValue(2)], count: 2, first: nil, last: nil, evidence: [])
        #expect(finding.id == .syncLate && finding.severity == .error && finding.count == 2)
        #expect(finding.detail == "finding-texts.json: the bundled finding texts are missing")
        #expect(finding.remediation.contains(FindingTexts.environmentVariable))
        #expect(text.fragment(.evidence, ["line": "Batching 5 records", "delay": "25 min"]) == "delay=25 min, line=Batching 5 records")
    }
}
