import FoundationEssentials
import LogInput
import LogRules

/// The words of every finding, as data beside the rule catalog: one entry per
/// `FindingID` in finding-texts.json (docs/findings.md, "Texts"). The loader
/// refuses the file, naming the entry and the template, unless every id has
/// exactly one entry, every template parses and names only declared
/// parameters, and every entry's sample fills every template.
package struct FindingTexts: Sendable {
    package private(set) var texts: [FindingID: FindingText]
    /// The sentence a finding's detail gains when its lines rest only on `reported` or `assumed` rules.
    package private(set) var basisNotes: [Provenance: TextTemplate] = [:]
    /// The provenances that get a note, and the one parameter their templates take.
    static let notedBases: [Provenance] = [.reported, .assumed]

    package static let schemaVersion = 1
    package static let fileName = "finding-texts.json"
    /// Points at another finding-texts.json: an install that keeps its data elsewhere, or an edited copy to try.
    package static let environmentVariable = "CMLOGCHECK_FINDING_TEXTS"

    /// Complete by construction: the loader refuses a file that lacks an id.
    package subscript(id: FindingID) -> FindingText { texts[id]! }

    // MARK: The bundled texts

    /// Read and checked once per process; a `static let` is initialised once, thread-safely.
    private static let bundledResult = Result { () throws(FindingTextError) -> FindingTexts in try loadBundled() }

    /// The bundled texts, or why they cannot be used (a command can check at start-up, as it does the rule catalog).
    package static func bundled() throws(FindingTextError) -> FindingTexts { try bundledResult.get() }

    /// The text for `id`. When the texts cannot be loaded the finding is still
    /// raised, with a text that says why, rather than stopping a review that
    /// has already read the logs.
    package static func text(_ id: FindingID) -> FindingText {
        switch bundledResult {
        case .success(let texts): texts[id]
        case .failure(let error): .standIn(id, because: error)
        }
    }

    /// The texts built into the binary, or the file `CMLOGCHECK_FINDING_TEXTS` names.
    static func loadBundled() throws(FindingTextError) -> FindingTexts {
        let (data, file): (Data, String)
        do {
            (data, file) = try BundledResource.data(fileName, path: BundledResource.overridePath(environmentVariable),
                                                    builtIn: builtInBytes, variable: environmentVariable)
        } catch { throw FindingTextError(file: error.file, message: error.message) }
        return try parse(data, file: file)
    }

    /// The built-in texts file, byte for byte (a test checks it matches the source).
    package static var builtInBytes: [UInt8]? { EmbeddedResources.bytes(fileName) }

    /// The note for a finding whose lines rest on `basis` rules, naming them.
    package static func basisNote(_ basis: Provenance, rules: [String]) -> String {
        let values: TextValues = ["rules": TextValue(rules.joined(separator: ", "))]
        if case .success(let texts) = bundledResult, let template = texts.basisNotes[basis] {
            return template.render(values).text
        }
        // Without the texts the fact is still said.
        return "(Basis: \(basis.rawValue) rules \(rules.joined(separator: ", ")).)"
    }

    // MARK: Reading and checking

    static let entryKeys: Set<String> = ["id", "severity", "source", "parameters", "title", "detail", "remediation", "fragments", "sample"]

    /// Reads a texts file and checks it whole; the first problem is thrown.
    package static func parse(_ data: Data, file: String) throws(FindingTextError) -> FindingTexts {
        let parsed: Any
        do throws(JSONSyntaxError) { parsed = try JSONSyntax.parse([UInt8](data)) } catch {
            throw FindingTextError(file: file, message: "not JSON: \(error)")
        }
        guard let top = parsed as? [String: Any] else {
            throw FindingTextError(file: file, message: "not a finding texts file: expected an object with \"schemaVersion\" and \"findings\"")
        }
        if let unknown = top.keys.filter({ !["schemaVersion", "findings", "basisNotes"].contains($0) }).sorted().first {
            throw FindingTextError(file: file, message: "unknown key \"\(unknown)\" (a file has \"schemaVersion\", \"findings\" and \"basisNotes\")")
        }
        guard let version = top["schemaVersion"] as? Int, version == schemaVersion else {
            throw FindingTextError(file: file, message: "\"schemaVersion\" must be \(schemaVersion)")
        }
        guard let entries = top["findings"] as? [Any] else {
            throw FindingTextError(file: file, message: "\"findings\" must be an array of entries, one per finding id")
        }
        var texts: [FindingID: FindingText] = [:]
        for (index, raw) in entries.enumerated() {
            let text = try entry(raw, index: index, file: file)
            guard texts[text.id] == nil else {
                throw FindingTextError(file: file, entry: text.id.rawValue, message: "the id has two entries")
            }
            texts[text.id] = text
        }
        if let absent = FindingID.allCases.first(where: { texts[$0] == nil }) {
            throw FindingTextError(file: file, entry: absent.rawValue, message: "no entry for this finding id: every finding cmlogcheck raises needs its texts")
        }
        return FindingTexts(texts: texts, basisNotes: try basisNotes(top["basisNotes"], file: file))
    }

    /// `basisNotes`: one template per noted provenance, each naming the rules as `{rules}`.
    private static func basisNotes(_ raw: Any?, file: String) throws(FindingTextError) -> [Provenance: TextTemplate] {
        let expected = notedBases.map { "\"\($0.rawValue)\"" }.joined(separator: " and ")
        guard let object = raw as? [String: Any] else {
            throw FindingTextError(file: file, field: "basisNotes", message: "must be an object with \(expected), each a text naming the rules as {rules}")
        }
        var notes: [Provenance: TextTemplate] = [:]
        for basis in notedBases {
            guard let source = object[basis.rawValue] as? String, !source.trimmingSpaces.isEmpty else {
                throw FindingTextError(file: file, field: "basisNotes.\(basis.rawValue)", message: "must be a non-empty text")
            }
            let template: TextTemplate
            do { template = try TextTemplate(parsing: source) } catch {
                throw FindingTextError(file: file, field: "basisNotes.\(basis.rawValue)", message: error.description)
            }
            guard template.names == ["rules"] else {
                throw FindingTextError(file: file, field: "basisNotes.\(basis.rawValue)", message: "must name the rules as {rules} and use no other placeholder")
            }
            notes[basis] = template
        }
        if let unknown = Set(object.keys).subtracting(notedBases.map(\.rawValue)).sorted().first {
            throw FindingTextError(file: file, field: "basisNotes.\(unknown)", message: "unknown key: the notes are \(expected)")
        }
        return notes
    }

    private static func entry(_ raw: Any, index: Int, file: String) throws(FindingTextError) -> FindingText {
        guard let object = raw as? [String: Any] else {
            throw FindingTextError(file: file, entry: "#\(index + 1)", message: "an entry must be an object")
        }
        guard let idText = object["id"] as? String else {
            throw FindingTextError(file: file, entry: "#\(index + 1)", message: "no \"id\"")
        }
        func fail(_ field: String?, _ message: String) -> FindingTextError {
            FindingTextError(file: file, entry: idText, field: field, message: message)
        }
        guard let id = FindingID(rawValue: idText) else {
            throw fail(nil, "unknown finding id: the ids are those of FindingID (docs/findings.md)")
        }
        if let unknown = object.keys.filter({ !entryKeys.contains($0) }).sorted().first {
            throw fail(unknown, "unknown key (an entry has \(entryKeys.sorted().joined(separator: ", ")))")
        }
        guard let severityName = object["severity"] as? String, let severity = Severity(name: severityName),
              severityName == severity.name else {
            throw fail("severity", "must be error, warning or info")
        }
        guard let source = object["source"] as? [String: Any], let kindName = source["kind"] as? String,
              let kind = TextSource(rawValue: kindName), let note = source["note"] as? String,
              !note.trimmingSpaces.isEmpty, source.count == 2 else {
            throw fail("source", "must be {\"kind\": \(TextSource.allCases.map { "\"\($0.rawValue)\"" }.joined(separator: " | ")), \"note\": where it comes from}")
        }
        guard let parameters = object["parameters"] as? [String: Any],
              let described = parameters as? [String: String] else {
            throw fail("parameters", "must be an object from each parameter's name to what it holds")
        }
        for (name, description) in described.sorted(by: { $0.key < $1.key }) {
            guard TextTemplate.isName(name) else { throw fail("parameters", "'\(name)' is not a parameter name (letters and digits, a letter first)") }
            guard !description.trimmingSpaces.isEmpty else { throw fail("parameters", "'\(name)' needs a description") }
        }

        var templates: [(field: String, template: TextTemplate)] = []
        func template(_ field: String, _ raw: Any?) throws(FindingTextError) -> TextTemplate {
            guard let source = raw as? String, !source.trimmingSpaces.isEmpty else { throw fail(field, "must be a non-empty text") }
            let parsed: TextTemplate
            do { parsed = try TextTemplate(parsing: source) } catch { throw fail(field, error.description) }
            if let unknown = parsed.names.subtracting(described.keys).sorted().first {
                let declared = described.keys.sorted()
                throw fail(field, "unknown placeholder {\(unknown)}: the entry's parameters are \(declared.isEmpty ? "none" : declared.joined(separator: ", "))")
            }
            templates.append((field, parsed))
            return parsed
        }
        let title = try template("title", object["title"])
        let detail = try template("detail", object["detail"])
        let remediation = try template("remediation", object["remediation"])

        guard let fragmentObject = (object["fragments"] ?? [String: Any]()) as? [String: Any] else {
            throw fail("fragments", "must be an object from fragment name to template")
        }
        var fragments: [TextFragment: TextTemplate] = [:]
        for (name, raw) in fragmentObject.sorted(by: { $0.key < $1.key }) {
            guard let fragment = TextFragment(rawValue: name), id.fragments.contains(fragment) else {
                throw fail("fragments.\(name)", "\(id.rawValue) renders \(id.fragments.isEmpty ? "no fragment" : "only " + id.fragments.map(\.rawValue).sorted().joined(separator: ", "))")
            }
            fragments[fragment] = try template("fragments.\(name)", raw)
        }
        if let absent = id.fragments.subtracting(fragments.keys).map(\.rawValue).sorted().first {
            throw fail("fragments", "no \"\(absent)\" fragment, which the code renders for this finding")
        }

        let used = templates.reduce(into: Set<String>()) { $0.formUnion($1.template.names) }
        if let unused = Set(described.keys).subtracting(used).sorted().first {
            throw fail("parameters", "'\(unused)' is declared but no template uses it")
        }
        guard let sampleObject = object["sample"] as? [String: Any], let sampleTexts = sampleObject as? [String: String] else {
            throw fail("sample", "must be an object from parameter name to a text value")
        }
        if let unknown = Set(sampleTexts.keys).subtracting(described.keys).sorted().first {
            throw fail("sample", "'\(unknown)' is not a declared parameter")
        }
        let sample = sampleTexts.mapValues(TextValue.init(_:) as (String) -> TextValue)
        for (field, template) in templates {
            // Rendering finds the gaps on the branches the sample takes; the names, those it does not take.
            let (_, missing) = template.render(sample)
            if let left = missing.first ?? template.names.subtracting(sample.keys).sorted().first {
                throw fail(field, "the sample leaves {\(left)} unfilled: give it a value in \"sample\"")
            }
        }
        return FindingText(id: id, severity: severity, source: kind, sourceNote: note, parameters: described,
                           title: title, detail: detail, remediation: remediation, fragments: fragments, sample: sample)
    }
}

/// Why finding-texts.json cannot be used: the file, the entry and the field,
/// and what is wrong, so that whoever edited it can go straight there.
package struct FindingTextError: Error, Sendable, Equatable, CustomStringConvertible {
    package var file: String
    package var entry: String?
    package var field: String?
    package var message: String

    package init(file: String, entry: String? = nil, field: String? = nil, message: String) {
        self.file = file; self.entry = entry; self.field = field; self.message = message
    }

    package var description: String {
        var place = file
        if let entry { place += ": entry '\(entry)'" }
        if let field { place += ", \(field)" }
        return "\(place): \(message)"
    }
}
