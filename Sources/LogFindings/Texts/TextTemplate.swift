/// A finding text with placeholders, parsed once when the texts load so that
/// a mistake in the data shows at load time, not in a report. The syntax
/// (docs/findings.md, "Texts"):
///
/// - `{name}`: the value of parameter `name`.
/// - `{name|one|other}`: `one` when the value is `1`, else `other`.
/// - `{?name:text}`: `text` only when `name` is set; `{!name:text}` only when it is not.
///   A value is *not set* when it is empty or `0`, so a count of nothing drops its sentence.
///
/// The choices and the conditional text are templates themselves and may hold
/// placeholders. Braces are always syntax: a text cannot hold a literal brace
/// (no finding needs one). Values are inserted as they are and never read as
/// templates, so a log line with braces in it is safe.
package struct TextTemplate: Sendable, Equatable {
    indirect enum Piece: Sendable, Equatable {
        case text(String)
        case value(String)
        case plural(String, one: [Piece], other: [Piece])
        case when(String, set: Bool, [Piece])
    }

    package let source: String
    let pieces: [Piece]

    package init(parsing source: String) throws(TemplateSyntaxError) {
        self.source = source
        var parser = Parser(Array(source.unicodeScalars))
        pieces = try parser.parseSequence(until: [])
    }

    /// A text with no placeholders, taken as it is (it may hold braces).
    init(literal text: String) {
        source = text
        pieces = [.text(text)]
    }

    /// Every parameter the template names, in its choices and conditions too.
    package var names: Set<String> { Self.names(in: pieces) }

    private static func names(in pieces: [Piece]) -> Set<String> {
        var found = Set<String>()
        for piece in pieces {
            switch piece {
            case .text: break
            case .value(let name): found.insert(name)
            case .plural(let name, let one, let other): found.insert(name); found.formUnion(names(in: one + other))
            case .when(let name, _, let body): found.insert(name); found.formUnion(names(in: body))
            }
        }
        return found
    }

    /// The text with `values` filled in, and the names it met that `values`
    /// lacks: those are left in the text as `{name}` so that a gap shows.
    package func render(_ values: TextValues) -> (text: String, missing: [String]) {
        var text = ""
        var missing: [String] = []
        Self.render(pieces, values, into: &text, missing: &missing)
        return (text, missing)
    }

    private static func render(_ pieces: [Piece], _ values: TextValues, into text: inout String, missing: inout [String]) {
        func lookup(_ name: String) -> TextValue? {
            guard let value = values[name] else {
                if !missing.contains(name) { missing.append(name) }
                return nil
            }
            return value
        }
        for piece in pieces {
            switch piece {
            case .text(let literal):
                text += literal
            case .value(let name):
                text += lookup(name)?.text ?? "{\(name)}"
            case .plural(let name, let one, let other):
                let choice = lookup(name)?.isOne == true ? one : other
                render(choice, values, into: &text, missing: &missing)
            case .when(let name, let set, let body):
                let isSet = lookup(name)?.isSet ?? false
                if isSet == set { render(body, values, into: &text, missing: &missing) }
            }
        }
    }
}

/// Why a template does not parse, with the offset (in characters) where it went wrong.
package struct TemplateSyntaxError: Error, Sendable, Equatable, CustomStringConvertible {
    package var offset: Int
    package var message: String
    package var description: String { "at character \(offset + 1): \(message)" }
}

/// A recursive descent over the scalars of one template: a sequence of text
/// and placeholders, ended by the end of the text or by one of the characters
/// that close the construct it sits in (`|` and `}` in a choice, `}` in a condition).
private struct Parser {
    let scalars: [Unicode.Scalar]
    var index = 0

    init(_ scalars: [Unicode.Scalar]) { self.scalars = scalars }

    mutating func parseSequence(until terminators: [Unicode.Scalar]) throws(TemplateSyntaxError) -> [TextTemplate.Piece] {
        var pieces: [TextTemplate.Piece] = []
        var literal = String.UnicodeScalarView()
        func flush() {
            if !literal.isEmpty { pieces.append(.text(String(literal))); literal = String.UnicodeScalarView() }
        }
        // At most two terminators: a linear scan beats hashing every scalar at start-up.
        while index < scalars.count {
            let scalar = scalars[index]
            if terminators.contains(scalar) { break }
            switch scalar {
            case "{":
                flush()
                pieces.append(try parsePlaceholder())
            case "}":
                throw TemplateSyntaxError(offset: index, message: "unbalanced brace: this '}' closes no '{'")
            default:
                literal.append(scalar)
                index += 1
            }
        }
        flush()
        return pieces
    }

    mutating func parsePlaceholder() throws(TemplateSyntaxError) -> TextTemplate.Piece {
        let open = index
        index += 1
        var condition: Bool?
        if index < scalars.count, scalars[index] == "?" || scalars[index] == "!" {
            condition = scalars[index] == "?"
            index += 1
        }
        let name = try parseName(open: open)
        if let condition {
            try expect(":", open: open, what: "a ':' after the name in {\(condition ? "?" : "!")\(name):…}")
            let body = try parseSequence(until: ["}"])
            try close(open)
            return .when(name, set: condition, body)
        }
        guard index < scalars.count else { throw unclosed(open) }
        switch scalars[index] {
        case "}":
            index += 1
            return .value(name)
        case "|":
            index += 1
            let one = try parseSequence(until: ["|", "}"])
            guard index < scalars.count, scalars[index] == "|" else {
                if index < scalars.count { throw TemplateSyntaxError(offset: open, message: "{\(name)|…} needs two choices: {\(name)|one|other}") }
                throw unclosed(open)
            }
            index += 1
            let other = try parseSequence(until: ["|", "}"])
            if index < scalars.count, scalars[index] == "|" {
                throw TemplateSyntaxError(offset: index, message: "{\(name)|…} takes two choices, this is a third")
            }
            try close(open)
            return .plural(name, one: one, other: other)
        default:
            throw TemplateSyntaxError(offset: index, message: "'\(scalars[index])' after {\(name): expected '}', '|' or, before the name, '?' or '!'")
        }
    }

    mutating func parseName(open: Int) throws(TemplateSyntaxError) -> String {
        var name = String.UnicodeScalarView()
        while index < scalars.count, Self.isNameScalar(scalars[index], first: name.isEmpty) {
            name.append(scalars[index])
            index += 1
        }
        guard !name.isEmpty else {
            guard index < scalars.count else { throw unclosed(open) }
            throw TemplateSyntaxError(offset: index, message: "expected a parameter name (letters and digits, a letter first) after '{'")
        }
        return String(name)
    }

    mutating func expect(_ scalar: Unicode.Scalar, open: Int, what: String) throws(TemplateSyntaxError) {
        guard index < scalars.count else { throw unclosed(open) }
        guard scalars[index] == scalar else { throw TemplateSyntaxError(offset: index, message: "expected \(what)") }
        index += 1
    }

    mutating func close(_ open: Int) throws(TemplateSyntaxError) {
        guard index < scalars.count, scalars[index] == "}" else { throw unclosed(open) }
        index += 1
    }

    func unclosed(_ open: Int) -> TemplateSyntaxError {
        TemplateSyntaxError(offset: open, message: "unbalanced brace: this '{' is never closed")
    }

    static func isNameScalar(_ scalar: Unicode.Scalar, first: Bool) -> Bool {
        switch scalar {
        case "a"..."z", "A"..."Z": true
        case "0"..."9": !first
        default: false
        }
    }

    /// Whether `text` could be a parameter name, for checking the declared ones.
    static func isName(_ text: String) -> Bool {
        let scalars = Array(text.unicodeScalars)
        return !scalars.isEmpty && scalars.enumerated().allSatisfy { isNameScalar($1, first: $0 == 0) }
    }
}

extension TextTemplate {
    /// Whether `text` could be a parameter name: letters and digits, a letter first.
    static func isName(_ text: String) -> Bool { Parser.isName(text) }
}
