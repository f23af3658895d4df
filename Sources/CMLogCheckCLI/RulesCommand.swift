import ArgumentParser
import LogMatching
import LogInput
import LogRules
import LogAnalysis
import LogFindings
import LogReport
import LogFollow

/// `cmlogcheck rules`: the rule catalog in force.
struct RulesCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "rules",
        abstract: "List the rules that turn log lines into events (bundled, plus any --rules files).",
        discussion: """
        Examples:
          cmlogcheck rules
          cmlogcheck rules --rules my-rules.json  # exit 2 names a bad rule
          cmlogcheck rules --json > catalog.json  # the merged catalog as a file
          cmlogcheck rules --check                # exit 1 names a runaway rule
        """)

    @OptionGroup var rules: RuleOptions

    @Flag(help: "Print the merged catalog as a rule file (JSON) instead of a table.")
    var json = false

    @Flag(help: "Run every enabled rule against lines made to provoke runaway backtracking; exit 1 names each rule that gave up at a limit or was slow.")
    var check = false

    func run() throws {
        let context = CommandContext.current
        let catalog = try rules.catalog()
        let out = context.standardOutput
        if check { return try RulesCommand.check(try CompiledCatalog(catalog), to: out) }
        if json {
            JSON.object([
                ("schemaVersion", .int(1)),
                ("rules", .array(catalog.rules.map(RulesCommand.value))),
                ("hresults", .object(catalog.hresults.sorted { $0.key < $1.key }.map { ($0.key, JSON.string($0.value)) })),
                ("tool", ToolVersion.json),
            ]).write(to: out)
            out.write("\n")
            return
        }
        let width = catalog.rules.map(\.id.count).max() ?? 10
        let eventWidth = EventType.allCases.map(\.rawValue.count).max() ?? 21
        let provenanceWidth = Provenance.allCases.map(\.rawValue.count).max() ?? 10
        out.write("\("id".rightPadded(to: width))  \("event".rightPadded(to: eventWidth))  \("provenance".rightPadded(to: provenanceWidth))  logs  (origin)\n")
        for rule in catalog.rules {
            let logs = rule.logs.isEmpty ? "any" : rule.logs.map(\.rawValue).joined(separator: ",")
            let origin = catalog.origins[rule.id] ?? "bundled"
            let state = rule.enabled ? "" : " [disabled]"
            out.write("\(rule.id.rightPadded(to: width))  \(rule.event.rawValue.rightPadded(to: eventWidth))  \(rule.provenance.rawValue.rightPadded(to: provenanceWidth))  \(logs)\(origin == "bundled" ? "" : "  (\(origin))")\(state)\n")
        }
        let counts = Provenance.allCases.map { provenance in "\(catalog.rules.filter { $0.provenance == provenance }.count) \(provenance.rawValue)" }
        out.write("\n\(catalog.rules.count) rules: \(counts.joined(separator: ", ")) (docs/rules.md says what each means). Each rule's source, with --json, says where it comes from.\n")
    }

    static func check(_ compiled: CompiledCatalog, to out: Output) throws {
        let (flags, count) = RuleCheck.run(compiled)
        for flag in flags {
            let risks = flag.risks.isEmpty ? "" : " (the pattern has a \(flag.risks.joined(separator: " and a ")))"
            out.write("\(Terminal.clean(flag.rule, limit: 200)): \(flag.outcome) on \(Terminal.clean(flag.line, limit: 200))\(risks)\n")
        }
        if flags.isEmpty {
            out.write("\(count) enabled rule\(count == 1 ? "" : "s") checked: none gave up at a limit or took more than \(Int(RuleCheck.slowSearch / .milliseconds(1))) ms on a test line.\n")
            return
        }
        out.write("\(flags.count) of \(count) enabled rules gave way: in a review each such search counts as no match, and after \(CompiledCatalog.ruleLimitBudget) the rule is disabled (docs/rules.md).\n")
        throw ExitCode(1)
    }

    static func value(_ rule: Rule) -> JSON {
        var members: [(String, JSON)] = [
            ("id", .string(rule.id)),
            ("logs", .array(rule.logs.map { .string($0.rawValue) })),
            ("event", .string(rule.event.rawValue)),
            ("pattern", .string(rule.pattern)),
        ]
        if !rule.attributes.isEmpty {
            members.append(("attributes", .object(rule.attributes.sorted { $0.key < $1.key }.map { ($0.key, JSON.string($0.value)) })))
        }
        if let severity = rule.severity { members.append(("severity", .string(severity.name))) }
        if let join = rule.joinNext { members.append(("joinNext", .string(join))) }
        members.append(("provenance", .string(rule.provenance.rawValue)))
        if let source = rule.source { members.append(("source", .string(source))) }
        if !rule.enabled { members.append(("enabled", .bool(false))) }
        return .object(members)
    }
}
