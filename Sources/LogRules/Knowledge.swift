import LogInput
import FoundationEssentials

/// What a knowledge entry explains. A closed set: the lookup reads a number or a text
/// differently by kind, and an entry of an unknown kind could never be found.
package enum KnowledgeKind: String, CaseIterable, Sendable {
    /// An HRESULT as the logs write it, chiefly in exception headers (`[…][0x80131509]`).
    case hresult
    /// An application installation error code the admin center shows (hex or decimal).
    case appInstallError = "app-install-error"
    /// Another numeric code: a Windows or WinHTTP error, the admin center's "error code 3".
    case errorCode = "error-code"
    /// A site status message ID.
    case statusMessage = "status-message"
    /// An HTTP status as the tenant attach logs and the endpoint checks report it.
    case httpStatus = "http-status"
    /// A message the Intune admin center shows.
    case adminCenterMessage = "admin-center-message"
    /// A documented log line, or the distinctive part of one.
    case logMessage = "log-message"

    /// How keys of this kind are written, and so compared.
    enum KeyForm { case hex, hexOrDecimal, decimal, httpStatus, text }

    var keyForm: KeyForm {
        switch self {
        case .hresult: .hex
        case .appInstallError: .hexOrDecimal
        case .errorCode, .statusMessage: .decimal
        case .httpStatus: .httpStatus
        case .adminCenterMessage, .logMessage: .text
        }
    }

    /// Whether keys are texts (matched leniently) rather than codes.
    package var isText: Bool { keyForm == .text }

    /// The kind as a person reads it.
    package var label: String {
        switch self {
        case .hresult: "HRESULT"
        case .appInstallError: "application install error"
        case .errorCode: "error code"
        case .statusMessage: "status message"
        case .httpStatus: "HTTP status"
        case .adminCenterMessage: "admin center message"
        case .logMessage: "log line"
        }
    }
}

/// How far an entry's source can be trusted: the legend of the project's reference
/// (documented-knowledge.md), plus `MS-api` for Microsoft's Windows and .NET reference
/// pages, which define error codes but say nothing about Configuration Manager.
package enum KnowledgeTag: String, CaseIterable, Sendable {
    case msDoc = "MS-doc"
    case msSupport = "MS-support"
    case msHelp = "MS-help"
    case msAPI = "MS-api"
    case msIssue = "MS-issue"
    case thirdParty = "3rd-party"
    case notFound = "not-found"

    package var meaning: String {
        switch self {
        case .msDoc: "Microsoft product documentation (Configuration Manager docs, learn.microsoft.com)"
        case .msSupport: "Microsoft support article or KB"
        case .msHelp: "Microsoft in-product help"
        case .msAPI: "Microsoft Windows or .NET reference (what the code is, not what it means for Configuration Manager)"
        case .msIssue: "a public GitHub issue or pull request on Microsoft's docs (not a product statement)"
        case .thirdParty: "a blog, community repository or non-Microsoft tool"
        case .notFound: "searched for in public sources and not found: the meaning here is not documented"
        }
    }
}

/// One code or message and what it means here, as written in a knowledge file.
package struct KnowledgeEntry: Sendable, Equatable {
    /// Stable id; an entry of a `--knowledge` file with the same id replaces it.
    package var id: String
    package var kind: KnowledgeKind
    /// The code (`0x87D00607`, `1603`, `407`) or the message, as the source writes it.
    package var key: String
    /// Other spellings or wordings that mean the same (a renamed admin center, a variant per feature).
    package var aliases: [String]
    /// A short name: the HRESULT's symbol, the source's own message for a code.
    package var title: String?
    /// What it means here.
    package var text: String
    /// The documented cause, when the source gives one.
    package var cause: String?
    /// The documented fix, when the source gives one.
    package var fix: String?
    /// The logs to read next (with where they are, when that is not the service connection point).
    package var logs: [String]
    /// Where the entry comes from: document, path, section.
    package var source: String
    package var tag: KnowledgeTag

    /// The key and aliases as the lookup compares them: codes as `0x%08X` or a plain
    /// number, texts normalised (`KnowledgeText.normalize`).
    package private(set) var lookupKeys: [String] = []

    package init(id: String, kind: KnowledgeKind, key: String, aliases: [String] = [], title: String? = nil, text: String,
                cause: String? = nil, fix: String? = nil, logs: [String] = [], source: String, tag: KnowledgeTag) throws(KnowledgeError) {
        self.id = id; self.kind = kind; self.key = key; self.aliases = aliases; self.title = title; self.text = text
        self.cause = cause; self.fix = fix; self.logs = logs; self.source = source; self.tag = tag
        lookupKeys = try ([key] + aliases).map { spelling throws(KnowledgeError) in
            guard let normal = KnowledgeEntry.normalizedKey(spelling, kind: kind) else {
                throw KnowledgeError(entry: id, message: "\(spelling == key ? "'key'" : "alias") '\(spelling)' \(KnowledgeEntry.formHint(kind))")
            }
            return normal
        }
    }

    /// The key in the form the lookup compares, or nil when it is not a key of that kind.
    static func normalizedKey(_ spelling: String, kind: KnowledgeKind) -> String? {
        switch kind.keyForm {
        case .hex: return CodeText.hex(spelling).map(CodeText.hexKey)
        case .decimal: return CodeText.decimal(spelling).map(String.init)
        case .hexOrDecimal:
            if let value = CodeText.hex(spelling) { return CodeText.hexKey(value) }
            return CodeText.decimal(spelling).map(String.init)
        case .httpStatus:
            guard let value = CodeText.decimal(spelling), (100...599).contains(value) else { return nil }
            return String(value)
        case .text:
            let normal = KnowledgeText.normalize(spelling)
            return normal.isEmpty ? nil : normal
        }
    }

    static func formHint(_ kind: KnowledgeKind) -> String {
        switch kind.keyForm {
        case .hex: "is not a hexadecimal code such as 0x80131509"
        case .hexOrDecimal: "is not a code such as 0x87D00607 or 1603"
        case .decimal: "is not a decimal number such as 11412"
        case .httpStatus: "is not an HTTP status (100 to 599)"
        case .text: "is empty"
        }
    }

    /// What the entry says about an HRESULT in one sentence or two, for a finding.
    var summary: String {
        var body = text
        while body.hasSuffix(".") { body.removeLast() }
        guard let title, !title.isEmpty else { return body }
        return title + (title.hasSuffix(".") ? " " : ". ") + body
    }
}

/// Codes as people write them: `0x80131509`, `0x80000007L`, `1603`.
enum CodeText {
    /// A `0x…` code of at most 32 bits; a C-style `L` suffix (as Microsoft's table writes
    /// `0x80000007L`) is dropped.
    static func hex(_ text: String) -> UInt32? {
        var body = Substring(text.trimmingSpaces)
        guard body.count > 2, body.lowercased().hasPrefix("0x") else { return nil }
        body = body.dropFirst(2)
        while let last = body.last, "lLuU".contains(last) { body.removeLast() }
        guard !body.isEmpty, body.count <= 8, body.allSatisfy(\.isHexDigit) else { return nil }
        return UInt32(body, radix: 16)
    }

    /// A non-negative decimal number of at most 10 digits.
    static func decimal(_ text: String) -> Int? {
        let body = text.trimmingSpaces
        guard !body.isEmpty, body.count <= 10, body.allSatisfy(\.isASCII), body.allSatisfy(\.isNumber) else { return nil }
        return Int(body)
    }

    static func hexKey(_ value: UInt32) -> String {
        let digits = String(value, radix: 16, uppercase: true)
        return "0x" + String(repeating: "0", count: 8 - digits.count) + digits
    }
}

/// A bad knowledge file or entry: which file, which entry, what is wrong.
package struct KnowledgeError: Error, CustomStringConvertible, Equatable {
    package var file: String?
    /// The entry's id, when it has one.
    package var entry: String?
    /// The entry's position in the file's `entries`.
    package var position: Int?
    package var message: String

    package init(file: String? = nil, entry: String? = nil, position: Int? = nil, message: String) {
        self.file = file
        self.entry = entry
        self.position = position
        self.message = message
    }

    /// `file: entry 'id' (entries[3]): message`, with what is known of the place.
    package var description: String {
        var place: [String] = []
        if let file { place.append(file) }
        switch (entry, position) {
        case let (entry?, position?): place.append("entry '\(entry)' (entries[\(position)])")
        case let (entry?, nil): place.append("entry '\(entry)'")
        case let (nil, position?): place.append("entries[\(position)]")
        case (nil, nil): break
        }
        return (place + [message]).joined(separator: ": ")
    }
}

/// The knowledge in force: the bundled file, with `--knowledge` files layered on by id.
package struct Knowledge: Sendable {
    package private(set) var entries: [KnowledgeEntry]
    /// Where each entry came from (`bundled`, or the user file's path), by id.
    package private(set) var origins: [String: String]

    package init(entries: [KnowledgeEntry] = [], origin: String = "bundled") {
        self.entries = entries
        origins = Dictionary(entries.map { ($0.id, origin) }, uniquingKeysWith: { first, _ in first })
    }

    /// The knowledge shipped with cmlogcheck (`knowledge.json` beside `default-rules.json`).
    package static func bundled() throws(KnowledgeError) -> Knowledge {
        let (data, file) = try bundledData()
        return try parse(data, origin: "bundled", file: file)
    }

    static let fileName = "knowledge.json"

    /// The knowledge's bytes and the name its errors give: the file `CMLOGCHECK_KNOWLEDGE`
    /// names, else a knowledge.json beside a `CMLOGCHECK_RULES` file (an edited copy of the
    /// data kept together), else the copy built into the binary.
    static func bundledData() throws(KnowledgeError) -> (Data, String) {
        var path = BundledResource.overridePath("CMLOGCHECK_KNOWLEDGE")
        if path == nil, let rules = BundledResource.overridePath("CMLOGCHECK_RULES") {
            let beside = URL(fileURLWithPath: rules).deletingLastPathComponent().appendingPathComponent(fileName).path
            if FileManager.default.fileExists(atPath: beside) { path = beside }
        }
        do {
            return try BundledResource.data(fileName, path: path, builtIn: builtInBytes, variable: "CMLOGCHECK_KNOWLEDGE")
        } catch { throw KnowledgeError(file: error.file, message: error.message) }
    }

    /// The built-in knowledge file, byte for byte (a test checks it matches the source).
    package static var builtInBytes: [UInt8]? { EmbeddedResources.bytes(fileName) }

    /// Layers a user file on top: same id replaces (in place), new ids are added at the end.
    package mutating func merge(userFile path: String) throws(KnowledgeError) {
        let data: Data
        do { data = try Data(contentsOf: URL(fileURLWithPath: path)) } catch {
            throw KnowledgeError(file: path, message: "cannot read the knowledge file: \(FileManager.default.fileExists(atPath: path) ? "permission denied or not a file" : "no such file")")
        }
        merge(try Knowledge.parse(data, origin: path, file: path), origin: path)
    }

    package mutating func merge(_ other: Knowledge, origin: String) {
        for entry in other.entries {
            if let index = entries.firstIndex(where: { $0.id == entry.id }) {
                entries[index] = entry
            } else {
                entries.append(entry)
            }
            origins[entry.id] = origin
        }
    }

    /// The first HRESULT entry for `code` (file order), as a phrase for a finding; nil when
    /// there is none. Only `hresult` entries: an application install code means nothing in
    /// a service connector exception.
    package func summary(hresult code: String) -> String? {
        guard let value = CodeText.hex(code) else { return nil }
        let key = CodeText.hexKey(value)
        return entries.first { $0.kind == .hresult && $0.lookupKeys.contains(key) }?.summary
    }
}

// MARK: Reading a file

extension Knowledge {
    /// `tool` is what `explain --list --format json` writes (the build that wrote the listing); it is read and ignored.
    static let fileKeys: Set<String> = ["schemaVersion", "about", "entries", "tool"]
    static let entryKeys = ["id", "kind", "key", "aliases", "title", "text", "cause", "fix", "logs", "source", "tag"]

    /// Reads a knowledge file (bundled or user) and checks every entry: the closed sets of
    /// kinds and tags, a key of its kind's form, a text and a source, no unknown field
    /// (a misspelt `"souce"` would otherwise drop the source silently), no control character.
    package static func parse(_ data: Data, origin: String, file: String) throws(KnowledgeError) -> Knowledge {
        let object: Any
        do throws(JSONSyntaxError) { object = try JSONSyntax.parse([UInt8](data)) } catch {
            throw KnowledgeError(file: file, message: "not JSON: \(error)")
        }
        guard let root = object as? [String: Any] else {
            throw KnowledgeError(file: file, message: "not a knowledge file: the top level must be an object with \"entries\" (docs/explain.md)")
        }
        if let unknown = root.keys.sorted().first(where: { !fileKeys.contains($0) }) {
            throw KnowledgeError(file: file, message: "unknown key '\(unknown)' (a knowledge file has schemaVersion, about and entries)")
        }
        if let version = root["schemaVersion"] {
            guard let number = version as? Int, number == 1 else {
                throw KnowledgeError(file: file, message: "schemaVersion \(version) is not supported (this cmlogcheck reads 1)")
            }
        }
        guard let list = root["entries"] as? [Any] else {
            throw KnowledgeError(file: file, message: root["entries"] == nil ? "missing 'entries'" : "'entries' must be a list of entries")
        }
        var entries: [KnowledgeEntry] = []
        var seen = Set<String>()
        for (index, item) in list.enumerated() {
            let entry: KnowledgeEntry
            do { entry = try self.entry(item) } catch {
                throw KnowledgeError(file: file, entry: error.entry, position: index, message: error.message)
            }
            guard seen.insert(entry.id).inserted else {
                throw KnowledgeError(file: file, entry: entry.id, position: index, message: "the id appears twice")
            }
            entries.append(entry)
        }
        return Knowledge(entries: entries, origin: origin)
    }

    private static func entry(_ item: Any) throws(KnowledgeError) -> KnowledgeEntry {
        guard let fields = item as? [String: Any] else {
            throw KnowledgeError(message: "an entry must be an object")
        }
        guard let id = fields["id"] as? String, !id.isEmpty, !id.contains(where: \.isWhitespace) else {
            throw KnowledgeError(message: fields["id"] == nil ? "missing 'id'" : "'id' must be a text without spaces")
        }
        func fail(_ message: String) -> KnowledgeError { KnowledgeError(entry: id, message: message) }
        if let unknown = fields.keys.sorted().first(where: { !entryKeys.contains($0) }) {
            throw fail("unknown key '\(unknown)' (an entry has \(entryKeys.joined(separator: ", ")))")
        }
        func text(_ key: String, required: Bool) throws(KnowledgeError) -> String? {
            guard let value = fields[key] else {
                if required { throw fail("missing '\(key)'") }
                return nil
            }
            guard let string = value as? String else { throw fail("'\(key)' must be a text") }
            guard string.contains(where: { !$0.isWhitespace }) else { throw fail("'\(key)' is empty") }
            if let control = string.unicodeScalars.first(where: isControl) {
                throw fail("'\(key)' holds a control character (U+\(String(control.value, radix: 16, uppercase: true).leftPadded(4))): write text, not terminal codes")
            }
            return string
        }
        func texts(_ key: String) throws(KnowledgeError) -> [String] {
            guard let value = fields[key] else { return [] }
            guard let list = value as? [Any], let strings = list as? [String] else { throw fail("'\(key)' must be a list of texts") }
            for string in strings {
                if string.allSatisfy(\.isWhitespace) { throw fail("'\(key)' holds an empty text") }
                if string.unicodeScalars.contains(where: isControl) { throw fail("'\(key)' holds a control character") }
            }
            return strings
        }
        let kindName = try text("kind", required: true)!
        guard let kind = KnowledgeKind(rawValue: kindName) else {
            throw fail("unknown kind '\(kindName)' (use one of \(KnowledgeKind.allCases.map(\.rawValue).joined(separator: ", ")))")
        }
        let tagName = try text("tag", required: true)!
        // The reference writes tags in brackets ([MS-doc]); accept them as written there.
        let bare = tagName.hasPrefix("[") && tagName.hasSuffix("]") ? String(tagName.dropFirst().dropLast()) : tagName
        guard let tag = KnowledgeTag(rawValue: bare) else {
            throw fail("unknown tag '\(tagName)' (use one of \(KnowledgeTag.allCases.map(\.rawValue).joined(separator: ", ")))")
        }
        do {
            return try KnowledgeEntry(
                id: id, kind: kind, key: try text("key", required: true)!, aliases: try texts("aliases"),
                title: try text("title", required: false), text: try text("text", required: true)!,
                cause: try text("cause", required: false), fix: try text("fix", required: false),
                logs: try texts("logs"), source: try text("source", required: true)!, tag: tag)
        } catch {
            throw fail(error.message)
        }
    }
}

/// C0 controls other than the line break (a text may have paragraphs), DEL and C1: a
/// knowledge text is printed to terminals, where ESC and friends would act, not show.
private func isControl(_ scalar: Unicode.Scalar) -> Bool {
    switch scalar.value {
    case 0x0A: false
    case 0x00..<0x20, 0x7F, 0x80..<0xA0: true
    default: false
    }
}

private extension String {
    func leftPadded(_ width: Int) -> String {
        count >= width ? self : String(repeating: "0", count: width - count) + self
    }
}
