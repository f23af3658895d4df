import ArgumentParser
import LogMatching
import LogInput
import LogRules
import LogAnalysis
import LogFindings
import LogReport
import LogFollow
import FoundationEssentials

/// `cmlogcheck explain`: what a code or an admin center message means here, from the
/// knowledge (knowledge.json plus --knowledge files, docs/explain.md).
struct ExplainCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "explain",
        abstract: "Explain an error code, HRESULT, status message, HTTP status or admin center message.",
        // The generated usage lists every option (92 columns); `[<options>]`, as the other
        // commands' usage reads, fits 80 and OPTIONS below lists them.
        usage: "cmlogcheck explain [<options>] [<text> ...]",
        discussion: """
        Prints what it means for tenant attach, the documented cause and fix, the logs to read next, and the source with its authority tag. Messages match leniently: case, white space, curly quotes and trailing punctuation aside, or a distinctive start.

        Exit status: 0 explained, 1 not in the knowledge, 2 bad usage or a bad --knowledge file.

        Examples:
          cmlogcheck explain 0x87D00607
          cmlogcheck explain -- -2146233079     # a decimal HRESULT: 0x80131509
          cmlogcheck explain 407
          cmlogcheck explain Getting results timed out
          cmlogcheck explain --format json 11412 | jq '.entries[].fix'
          cmlogcheck explain --knowledge mine.json --list   # check a file
        """)

    @Argument(parsing: .allUnrecognized, help: ArgumentHelp(
        "The code or the message, quoted or as several words.", valueName: "text"))
    var words: [String] = []

    @Option(name: .customLong("knowledge"), help: ArgumentHelp(
        "A knowledge file (JSON, docs/explain.md) whose entries add to or replace the bundled ones by id. Repeatable.",
        valueName: "file"))
    var knowledgeFiles: [String] = []

    @Option(help: ArgumentHelp("Output format: text (for people) or json (schemaVersion 1, docs/explain.md).", valueName: "format"))
    var format: String = "text"

    @Flag(help: "List every entry instead of looking one up (with --format json: the merged knowledge, itself a knowledge file).")
    var list = false

    /// The words of the text: all of them after a `--`, else every one.
    var text: [String] {
        guard let end = words.firstIndex(of: "--") else { return words }
        return Array(words[..<end] + words[(end + 1)...])
    }

    func validate() throws {
        guard ["text", "json"].contains(format) else { throw ValidationError("--format must be text or json") }
        // Words are taken as they come so that a negative HRESULT (-2146233079) is a word, not
        // an option; what looks like a misspelt option before any `--` is bad usage, not a
        // message to look up.
        let beforeEnd = words.prefix { $0 != "--" }
        if let option = beforeEnd.first(where: { $0.hasPrefix("-") && $0 != "-" && !$0.dropFirst().allSatisfy(\.isNumber) }) {
            throw ValidationError("unknown option '\(option)' (put a text that starts with '-' after --)")
        }
        if list {
            guard text.isEmpty else { throw ValidationError("--list takes no text") }
        } else if text.joined().allSatisfy(\.isWhitespace) {
            throw ValidationError("give a code or a message to explain, for example: cmlogcheck explain 0x80131509")
        }
    }

    func run() throws {
        let context = CommandContext.current
        let knowledge = try loadKnowledge()
        let out = context.standardOutput
        if list {
            if format == "json" {
                ExplainJSON.file(knowledge).write(to: out)
                out.write("\n")
            } else {
                ExplainText.list(knowledge, to: out)
            }
            return
        }
        let query = text.joined(separator: " ")
        let answer = knowledge.lookup(query)
        if format == "json" {
            ExplainJSON.answer(answer, knowledge: knowledge).write(to: out)
            out.write("\n")
            if answer.matches.isEmpty { throw ExitCode(1) }
            return
        }
        if !answer.matches.isEmpty {
            ExplainText.matches(answer.matches, knowledge: knowledge, to: out)
            return
        }
        if !answer.candidates.isEmpty {
            ExplainText.candidates(answer, to: out)
            throw ExitCode(1)
        }
        throw CommandFailure(ExplainText.notFound(answer, entries: knowledge.entries.count), status: 1)
    }

    /// The bundled knowledge with the files layered on, each entry checked.
    func loadKnowledge() throws -> Knowledge {
        do {
            var knowledge = try Knowledge.bundled()
            for file in knowledgeFiles { try knowledge.merge(userFile: file) }
            return knowledge
        } catch {
            throw CommandFailure("bad knowledge: \(error)")
        }
    }
}

/// The text answer: what it means first, then cause, fix, logs and source, wrapped to
/// 80 columns at word boundaries; nothing from the knowledge or the query reaches the
/// terminal as a control character.
enum ExplainText {
    static let width = 80
    static let labelWidth = 11  // "Read next" and two spaces

    static func matches(_ matches: [KnowledgeMatch], knowledge: Knowledge, to out: Output) {
        for (index, match) in matches.enumerated() {
            if index > 0 { out.write("\n") }
            for line in lines(match, origin: knowledge.origins[match.entry.id] ?? "bundled") { out.write(line + "\n") }
        }
    }

    static func lines(_ match: KnowledgeMatch, origin: String) -> [String] {
        let entry = match.entry
        var lines: [String] = []
        let headline: String
        if entry.kind.isText {
            headline = capitalized(entry.kind.label) + ": " + (entry.title ?? entry.key)
        } else {
            headline = "\(entry.key) (\(entry.kind.label))" + (entry.title.map { ": \($0)" } ?? "")
        }
        lines += wrap(headline, first: "", rest: "  ")
        lines += wrap(entry.text, first: "", rest: "")
        var fields: [(String, String)] = []
        if entry.kind.isText { fields.append(("Message", entry.key)) }
        if let note = match.note { fields.append(("Read as", note)) }
        if match.how == .messagePrefix { fields.append(("Matched", "the start of the message (or its fragments)")) }
        if let cause = entry.cause { fields.append(("Cause", cause)) }
        if let fix = entry.fix { fields.append(("Fix", fix)) }
        fields.append(("Read next", entry.logs.isEmpty ? "the source names no log for this" : entry.logs.joined(separator: ", ")))
        fields.append(("Source", entry.source))
        fields.append(("Tag", "\(entry.tag.rawValue): \(entry.tag.meaning)"))
        if origin != "bundled" { fields.append(("From", origin)) }
        lines.append("")
        for (label, value) in fields {
            let pad = String(repeating: " ", count: labelWidth)
            lines += wrap(value, first: label + String(repeating: " ", count: labelWidth - label.count), rest: pad)
        }
        return lines
    }

    static func candidates(_ answer: KnowledgeAnswer, to out: Output) {
        let count = answer.candidates.count
        for line in wrap("'\(answer.query)' starts \(count) messages: give more of the text. They are:", first: "", rest: "") {
            out.write(line + "\n")
        }
        for entry in answer.candidates {
            for line in wrap(entry.key, first: "- ", rest: "  ") { out.write(line + "\n") }
        }
    }

    /// Says what was looked for, and where else to look; CMTrace's Error Lookup is the
    /// documented tool for other Windows, WMI and WinHTTP codes (documented-knowledge.md §4.4).
    /// Wrapped to fit after the `cmlogcheck: ` that starts an error.
    static func notFound(_ answer: KnowledgeAnswer, entries: Int) -> String {
        let what = answer.isCode ? "the code" : "the message"
        var text = "no entry for \(what) '\(answer.query)' in cmlogcheck's knowledge (\(entries) entries, docs/explain.md): what it means for tenant attach is not recorded here."
        if answer.isCode { text += " CMTrace's Error Lookup covers Windows, WMI and WinHTTP codes." }
        text += " Add your own entries with --knowledge FILE."
        let prefix = "cmlogcheck: "
        var lines = wrap(text, first: prefix, rest: "  ")
        lines[0].removeFirst(prefix.count)
        return lines.joined(separator: "\n")
    }

    static func list(_ knowledge: Knowledge, to out: Output) {
        for kind in KnowledgeKind.allCases {
            let entries = knowledge.entries.filter { $0.kind == kind }
            guard !entries.isEmpty else { continue }
            let plural = kind == .httpStatus ? "HTTP statuses" : capitalized(kind.label) + "s"
            out.write("\(plural) (\(kind.rawValue)):\n")
            for entry in entries {
                let line = "  \(entry.key)" + (entry.title.map { " - \($0)" } ?? "") + "  [\(entry.tag.rawValue)]"
                out.write(fit(clean(line)) + "\n")
            }
        }
        let users = Set(knowledge.origins.values).subtracting(["bundled"]).count
        out.write("\n\(knowledge.entries.count) entries\(users > 0 ? ", from the bundled knowledge and \(users) --knowledge file\(users == 1 ? "" : "s")" : ""). Each entry's source: cmlogcheck explain --list --format json.\n")
    }

    /// One line cut to the width, with an ellipsis when cut.
    static func fit(_ line: String) -> String {
        line.count <= width ? line : String(line.prefix(width - 1)) + "…"
    }

    static func capitalized(_ text: String) -> String { text.prefix(1).uppercased() + text.dropFirst() }

    /// Made safe for the terminal by the one sanitiser (`Terminal.clean`): knowledge files
    /// are checked for control characters, the query is not. Paragraphs come split already.
    static func clean(_ text: String) -> String {
        Terminal.clean(text, limit: .max)
    }

    /// Words filled into lines of at most `width` columns: `first` starts the first line,
    /// `rest` the others; a line break in the text starts a new line. A word longer than a
    /// line (a path, a URL) is broken after a `/`, `\`, `-`, `_` or `.` where it can be,
    /// else where it must.
    static func wrap(_ text: String, first: String, rest: String) -> [String] {
        var lines: [String] = []
        var line = first
        var empty = true  // no word on the line yet
        func flush() {
            lines.append(line)
            line = rest
            empty = true
        }
        for (index, paragraph) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            if index > 0 { flush() }
            for whole in clean(String(paragraph)).split(separator: " ") {
                var word = Substring(whole)
                while !word.isEmpty {
                    let room = width - line.count - (empty ? 0 : 1)
                    if word.count <= room {
                        line += (empty ? "" : " ") + word
                        empty = false
                        break
                    }
                    if !empty {
                        flush()
                        continue
                    }
                    // Longer than a whole line: break it, after punctuation if that keeps a third of the line.
                    let head = word.prefix(room)
                    var cut = head.endIndex
                    if let mark = head.lastIndex(where: { "/\\-_.".contains($0) }),
                       head.distance(from: head.startIndex, to: mark) >= room / 3 {
                        cut = head.index(after: mark)
                    }
                    line += head[..<cut]
                    word = word.dropFirst(head.distance(from: head.startIndex, to: cut))
                    empty = false
                    flush()
                }
            }
        }
        if !empty || lines.isEmpty { lines.append(line) }
        return lines.map { String($0.reversed().drop(while: { $0 == " " }).reversed()) }
    }
}

/// The JSON answer: the entries in the knowledge file's shape (so a listing is itself a
/// knowledge file), with where each came from and how the query was read to find it.
enum ExplainJSON {
    static let schemaVersion = 1

    static func answer(_ answer: KnowledgeAnswer, knowledge: Knowledge) -> JSON {
        var members: [(String, JSON)] = [
            ("schemaVersion", .int(schemaVersion)),
            ("query", .string(answer.query)),
            ("found", .bool(!answer.matches.isEmpty)),
            ("entries", .array(answer.matches.map { match in
                guard case .object(var fields) = entry(match.entry) else { return entry(match.entry) }
                fields.append(("origin", .string(knowledge.origins[match.entry.id] ?? "bundled")))
                fields.append(("match", .object([("how", .string(match.how.rawValue)), ("note", .string(match.note))])))
                return .object(fields)
            })),
        ]
        if !answer.candidates.isEmpty {
            members.append(("candidates", .array(answer.candidates.map { candidate in
                .object([("id", .string(candidate.id)), ("kind", .string(candidate.kind.rawValue)), ("key", .string(candidate.key))])
            })))
        }
        members.append(("tool", ToolVersion.json))
        return .object(members)
    }

    static func file(_ knowledge: Knowledge) -> JSON {
        .object([
            ("schemaVersion", .int(schemaVersion)),
            ("entries", .array(knowledge.entries.map(entry))),
            ("tool", ToolVersion.json),
        ])
    }

    static func entry(_ entry: KnowledgeEntry) -> JSON {
        var fields: [(String, JSON)] = [
            ("id", .string(entry.id)),
            ("kind", .string(entry.kind.rawValue)),
            ("key", .string(entry.key)),
        ]
        if !entry.aliases.isEmpty { fields.append(("aliases", .array(entry.aliases.map { .string($0) }))) }
        if let title = entry.title { fields.append(("title", .string(title))) }
        fields.append(("text", .string(entry.text)))
        if let cause = entry.cause { fields.append(("cause", .string(cause))) }
        if let fix = entry.fix { fields.append(("fix", .string(fix))) }
        if !entry.logs.isEmpty { fields.append(("logs", .array(entry.logs.map { .string($0) }))) }
        fields.append(("source", .string(entry.source)))
        fields.append(("tag", .string(entry.tag.rawValue)))
        return .object(fields)
    }
}
