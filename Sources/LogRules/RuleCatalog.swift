import LogMatching
import LogInput
import FoundationEssentials

/// The rules in force: the bundled catalog, with user files layered on top by id.
package struct RuleCatalog: Sendable {
    package private(set) var rules: [Rule]
    /// Explanations of HRESULTs a rule file adds, by lower-case `0x…` code. The bundled
    /// meanings are in the knowledge (knowledge.json, docs/explain.md): one source of code meanings.
    package private(set) var hresults: [String: String]
    /// What codes mean: the bundled knowledge, which `explain(hresult:)` reads.
    package private(set) var knowledge = Knowledge()
    /// Where each rule came from (`bundled`, or the user file's path).
    package private(set) var origins: [String: String]
    /// Each rule's pattern as `parse` compiled it to check it, by rule id: `CompiledCatalog`
    /// takes these instead of compiling every pattern a second time.
    private(set) var patterns: [String: Pattern] = [:]

    struct File: Decodable {
        var schemaVersion: Int?
        var rules: [Rule]?
        var hresults: [String: String]?
    }

    package init(rules: [Rule], hresults: [String: String] = [:], origin: String = "bundled") {
        self.rules = rules
        self.hresults = Dictionary(uniqueKeysWithValues: hresults.map { ($0.key.lowercased(), $0.value) })
        origins = Dictionary(rules.map { ($0.id, origin) }, uniquingKeysWith: { first, _ in first })
    }

    /// The catalog shipped with cmlogcheck: built into the binary, or the file `CMLOGCHECK_RULES` names.
    package static func bundled() throws(RuleError) -> RuleCatalog {
        let (data, file) = try bundledData()
        var catalog = try parse(data, origin: "bundled", file: file)
        do { catalog.knowledge = try Knowledge.bundled() } catch {
            // The exception findings explain HRESULTs from it, so a broken file stops the run like a broken catalog.
            throw RuleError(message: "the bundled knowledge: \(error)")
        }
        return catalog
    }

    static let fileName = "default-rules.json"

    /// The bundled catalog's bytes and the name its errors give.
    static func bundledData() throws(RuleError) -> (Data, String) {
        do {
            return try BundledResource.data(fileName, path: BundledResource.overridePath("CMLOGCHECK_RULES"),
                                            builtIn: builtInBytes, variable: "CMLOGCHECK_RULES")
        } catch { throw RuleError(file: error.file, message: error.message) }
    }

    /// The built-in catalog file, byte for byte (a test checks it matches the source).
    package static var builtInBytes: [UInt8]? { EmbeddedResources.bytes(fileName) }

    /// The pattern `parse` compiled for `rule`, if it is still the rule's pattern.
    func checkedPattern(for rule: Rule) -> Pattern? {
        guard let pattern = patterns[rule.id], pattern.source == rule.pattern else { return nil }
        return pattern
    }

    /// Reads a catalog file (bundled or user) and checks every pattern compiles.
    package static func parse(_ data: Data, origin: String, file: String) throws(RuleError) -> RuleCatalog {
        if let syntax = JSONSyntax.check([UInt8](data)) {
            throw RuleError(file: file, message: "not JSON: \(syntax)")
        }
        let decoded: File
        do {
            decoded = try JSONDecoder().decode(File.self, from: data)
        } catch let error as RuleError {
            throw RuleError(rule: error.rule, file: file, message: error.message)
        } catch {
            throw RuleError(file: file, message: "not a rule file: \(describe(error))")
        }
        if let version = decoded.schemaVersion, version != 1 {
            throw RuleError(file: file, message: "schemaVersion \(version) is not supported (this cmlogcheck reads 1)")
        }
        let rules = decoded.rules ?? []
        var seen = Set<String>()
        var patterns: [String: Pattern] = [:]
        for rule in rules {
            guard seen.insert(rule.id).inserted else { throw RuleError(rule: rule.id, file: file, message: "the id appears twice") }
            if rule.pattern.isEmpty { throw RuleError(rule: rule.id, file: file, message: Rule.emptyPatternMessage) }
            let compiled: Pattern
            do { compiled = try Pattern(rule.pattern) } catch {
                throw RuleError(rule: rule.id, file: file, message: error.description)
            }
            if rule.event == .deviceUploaded || rule.event == .deviceRemoved {
                // The device extension point (docs/devices.md): no such line is documented, and the event must name a device.
                if rule.provenance == .documented {
                    throw RuleError(rule: rule.id, file: file, message: "Microsoft documents no log line that names a device uploaded or removed: a \(rule.event.rawValue) rule must say \"provenance\": \"seen\", \"reported\" or \"assumed\" (older files: \"documented\": false)")
                }
                if compiled.groupNumbers["device"] == nil && compiled.groupNumbers["resourceId"] == nil {
                    throw RuleError(rule: rule.id, file: file, message: "a \(rule.event.rawValue) rule needs a named group (?<device>…) or (?<resourceId>…) to say which device")
                }
            }
            if let join = rule.joinNext, !rule.pattern.contains("(?<\(join)>") {
                throw RuleError(rule: rule.id, file: file, message: "joinNext names group '\(join)', which the pattern does not have")
            }
            // "Seen" and "reported" are claims about a particular log or report: the source must name it.
            if rule.provenance == .seen || rule.provenance == .reported, (rule.source ?? "").allSatisfy(\.isWhitespace) {
                throw RuleError(rule: rule.id, file: file, message: "provenance '\(rule.provenance.rawValue)' needs a \"source\" naming the log or report the line is from")
            }
            patterns[rule.id] = compiled
        }
        var catalog = RuleCatalog(rules: rules, hresults: decoded.hresults ?? [:], origin: origin)
        catalog.patterns = patterns
        return catalog
    }

    /// Layers a user rule file on top: same id replaces, new ids are added.
    package mutating func merge(userFile path: String) throws(RuleError) {
        let data: Data
        do { data = try Data(contentsOf: URL(fileURLWithPath: path)) } catch {
            throw RuleError(file: path, message: "cannot read the rule file: \(FileManager.default.fileExists(atPath: path) ? "permission denied or not a file" : "no such file")")
        }
        let user = try RuleCatalog.parse(data, origin: path, file: path)
        for rule in user.rules {
            if let index = rules.firstIndex(where: { $0.id == rule.id }) {
                rules[index] = rule
            } else {
                rules.append(rule)
            }
            origins[rule.id] = path
            patterns[rule.id] = user.patterns[rule.id]
        }
        hresults.merge(user.hresults) { _, new in new }
    }

    /// A rule file's explanation of an HRESULT, else the knowledge's.
    package func explain(hresult: String) -> String? {
        hresults[hresult.lowercased()] ?? knowledge.summary(hresult: hresult)
    }
}

private func describe(_ error: any Error) -> String {
    switch error {
    case DecodingError.keyNotFound(let key, let context):
        return "missing '\(key.stringValue)'\(at(context.codingPath))"
    case DecodingError.typeMismatch(_, let context), DecodingError.valueNotFound(_, let context):
        return "\(context.debugDescription)\(at(context.codingPath))"
    case DecodingError.dataCorrupted(let context):
        return context.underlyingError.map { "\($0)" } ?? context.debugDescription
    default:
        return "\(error)"
    }
}

private func at(_ path: [any CodingKey]) -> String {
    guard !path.isEmpty else { return "" }
    return " at " + path.map { $0.intValue.map { "[\($0)]" } ?? $0.stringValue }.joined(separator: ".")
}
