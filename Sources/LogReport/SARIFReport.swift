import FoundationEssentials
import LogInput
import LogRules
import LogFindings
/// `review --format sarif`: the review as a SARIF 2.1.0 log (OASIS Static Analysis Results
/// Interchange Format), which GitHub code scanning and other SARIF viewers read. One run;
/// its driver's `rules` are every finding id cmlogcheck knows (`FindingID`), in that order,
/// described by the finding texts with their parameters shown as `<name>`; one result per
/// finding, its level from the severity, a location per evidence line (the log file and
/// line). Inputs that could not be read are tool execution notifications, and make
/// `executionSuccessful` false. Written through `JSON`, so log text is escaped there
/// (docs/ci.md; structure: docs/schema/sarif.schema.json).
package enum SARIFReport {
    /// The schema the log names, as SARIF's own `$schema` property expects.
    package static let schemaURI = "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json"

    package static func write(_ reports: ServerReports, to out: Output) {
        value(reports).write(to: out)
        out.write("\n")
    }

    package static func value(_ reports: ServerReports) -> JSON {
        let ids = FindingID.allCases
        var results: [JSON] = []
        for server in reports.servers {
            Findings.$clock.withValue(server.report.clock) {
                for finding in server.report.findings {
                    results.append(result(finding, ruleIndex: ids.firstIndex(of: finding.id) ?? 0, server: reports.isSeveral ? server.name : nil))
                }
            }
        }
        var runProperties: [(String, JSON)] = [("verdict", .string(reports.verdict.rawValue))]
        if reports.isSeveral {
            runProperties.append(("servers", .array(reports.servers.map {
                .object([("name", .string($0.name)), ("verdict", .string($0.report.verdict.rawValue))])
            })))
        }
        let driver: JSON = .object([
            ("name", .string(ToolVersion.name)),
            ("version", .string(ToolVersion.version)),
            ("semanticVersion", .string(ToolVersion.version)),
            ("rules", .array(ids.map(rule))),
        ])
        let invocation: JSON = .object([
            ("executionSuccessful", .bool(reports.readingComplete)),
            ("toolExecutionNotifications", .array(reports.unread.map { unread in
                .object([
                    ("level", .string("error")),
                    ("message", message("Not read: \(unread.path): \(unread.reason)")),
                ])
            })),
        ])
        return .object([
            ("$schema", .string(schemaURI)),
            ("version", .string("2.1.0")),
            ("runs", .array([.object([
                ("tool", .object([("driver", driver)])),
                ("invocations", .array([invocation])),
                ("results", .array(results)),
                ("properties", .object(runProperties)),
            ])])),
        ])
    }

    /// A finding id as a reporting descriptor. The texts are templates filled per finding;
    /// in the title and the help each parameter stands as `<name>`, so they show no made-up value.
    static func rule(_ id: FindingID) -> JSON {
        let text = FindingTexts.text(id)
        return .object([
            ("id", .string(id.rawValue)),
            ("shortDescription", message(generic(text, text.title))),
            // A detail's conditional parts read well only with real values: the entry's sample
            // (which fills every template) shows one, said to be an example.
            ("fullDescription", message("Example (sample values): " + text.render(text.detail, text.sample))),
            ("help", message(generic(text, text.remediation))),
            ("defaultConfiguration", .object([("level", .string(level(text.severity)))])),
            // Where the fact behind the finding comes from (finding-texts.json, docs/findings.md).
            ("properties", .object([("source", .string(text.source.rawValue)), ("sourceNote", .string(text.sourceNote))])),
        ])
    }

    static func generic(_ text: FindingText, _ template: TextTemplate) -> String {
        let values = Dictionary(uniqueKeysWithValues: text.parameters.keys.map { ($0, TextValue("<\($0)>")) })
        return text.render(template, values)
    }

    static func result(_ finding: Finding, ruleIndex: Int, server: String?) -> JSON {
        let prefix = server.map { "[\($0)] " } ?? ""
        var properties: [(String, JSON)] = [
            ("count", .int(finding.count)),
            ("first", .time(finding.first)),
            ("last", .time(finding.last)),
            ("basis", .string(finding.basis?.rawValue)),
        ]
        if let server { properties.append(("server", .string(server))) }
        return .object([
            ("ruleId", .string(finding.id.rawValue)),
            ("ruleIndex", .int(ruleIndex)),
            ("level", .string(level(finding.severity))),
            ("message", message(prefix + finding.title + "\n\n" + finding.detail + "\n\nWhat to do: " + finding.remediation)),
            ("locations", .array(finding.evidence.compactMap(location))),
            ("properties", .object(properties)),
        ])
    }

    /// The evidence line in its file; nil for standard input, which no viewer can open.
    static func location(_ evidence: Evidence) -> JSON? {
        guard evidence.input != InputSource.standardInput.name else { return nil }
        var physical: [(String, JSON)] = [("artifactLocation", .object([("uri", .string(uri(evidence.input)))]))]
        var region: [(String, JSON)] = []
        // SARIF lines start at 1; a finding cmlogcheck writes about a whole file has line 0.
        if evidence.line >= 1 { region.append(("startLine", .int(evidence.line))) }
        region.append(("snippet", .object([("text", .string(evidence.text))])))
        physical.append(("region", .object(region)))
        return .object([("physicalLocation", .object(physical))])
    }

    /// A path as a URI reference: relative paths stay relative (code scanning resolves them
    /// against the repository), absolute ones become `file://` URIs; every character that a
    /// URI path cannot hold (a space, `%`, `#`, `\`) is percent-encoded.
    static func uri(_ path: String) -> String {
        // RFC 3986's path characters (unreserved, sub-delims, `@`, `/`) but `;` and `:`:
        // `:` in a relative reference's first segment would read as a scheme (`C:`).
        // Bytes of non-ASCII characters are encoded too, as UTF-8.
        var encoded = ""
        for byte in path.utf8 {
            let allowed = (byte >= 0x61 && byte <= 0x7A) || (byte >= 0x41 && byte <= 0x5A) || (byte >= 0x30 && byte <= 0x39)
                || "-._~!$&'()*+,=@/".utf8.contains(byte)
            if allowed {
                encoded.unicodeScalars.append(Unicode.Scalar(byte))
            } else {
                let hex = Array("0123456789ABCDEF".utf8)
                encoded += "%" + String(decoding: [hex[Int(byte >> 4)], hex[Int(byte & 0xF)]], as: UTF8.self)
            }
        }
        return path.hasPrefix("/") ? "file://" + encoded : encoded
    }

    static func level(_ severity: Severity) -> String {
        switch severity {
        case .error: "error"
        case .warning: "warning"
        case .info: "note"
        }
    }

    static func message(_ text: String) -> JSON { .object([("text", .string(text))]) }
}
