import LogMatching
/// A CSV file as admins export it, read into a header and rows: RFC 4180
/// quoting (a quoted value may hold the delimiter, `""` and line breaks),
/// UTF-8 with or without a BOM, UTF-16 with a BOM (Excel's "Unicode text"),
/// Windows-1252 when the bytes are not UTF-8, CRLF, LF or CR line ends, and
/// a comma, semicolon (Excel in cultures whose decimal mark is a comma) or
/// tab delimiter, detected from the header line or Excel's `sep=` first line.
package struct CSVTable {
    package struct Row {
        /// The physical line (1-based) the row starts on.
        package var line: Int
        package var fields: [String]
        /// Why the row cannot be read as it stands (an unclosed quote, text after a closing quote).
        package var problem: CSVRowProblem?
    }

    package var header: [String]
    package var headerLine: Int
    package var rows: [Row]
    package var delimiter: Unicode.Scalar
    /// How the bytes were decoded: `utf-8`, `utf-8-bom`, `utf-16le`, `utf-16be` or `windows-1252`.
    package var encoding: String

    package var delimiterName: String {
        switch delimiter {
        case ";": "semicolon"
        case "\t": "tab"
        default: "comma"
        }
    }

    /// Reads `bytes`; nil when there is no header line at all (an empty file).
    package static func read(_ bytes: [UInt8]) -> CSVTable? {
        let (text, encoding) = decode(bytes)
        var scalars = Array(text.unicodeScalars)
        var firstLine = 1
        var forced: Unicode.Scalar?
        // Excel's hint line: `sep=;`
        if scalars.count >= 5, String(String.UnicodeScalarView(scalars[0..<4])).lowercased() == "sep=" {
            let candidate = scalars[4]
            if candidate != "\r" && candidate != "\n" { forced = candidate }
            var index = 4
            while index < scalars.count && scalars[index] != "\n" && scalars[index] != "\r" { index += 1 }
            if index < scalars.count && scalars[index] == "\r" { index += 1 }
            if index < scalars.count && scalars[index] == "\n" { index += 1 }
            scalars.removeFirst(index)
            firstLine = 2
        }
        let delimiter = forced ?? detectDelimiter(scalars)
        var records = parse(scalars, delimiter: delimiter, firstLine: firstLine)
        records.removeAll { $0.fields.allSatisfy { $0.trimmingSpaces.isEmpty } && $0.problem == nil }
        guard !records.isEmpty else { return nil }
        let header = records.removeFirst()
        return CSVTable(header: header.fields.map(\.trimmingSpaces), headerLine: header.line, rows: records,
                        delimiter: delimiter, encoding: encoding)
    }

    /// The delimiter that occurs most often outside quotes on the first line; a comma when none does.
    package static func detectDelimiter(_ scalars: [Unicode.Scalar]) -> Unicode.Scalar {
        var counts: [Unicode.Scalar: Int] = [",": 0, ";": 0, "\t": 0]
        var quoted = false
        for scalar in scalars {
            if scalar == "\"" { quoted.toggle(); continue }
            if !quoted && (scalar == "\n" || scalar == "\r") { break }
            if !quoted, counts[scalar] != nil { counts[scalar]! += 1 }
        }
        let best = counts.max { $0.value < $1.value || ($0.value == $1.value && rank($0.key) > rank($1.key)) }!
        return best.value > 0 ? best.key : ","
    }

    private static func rank(_ scalar: Unicode.Scalar) -> Int { scalar == "," ? 0 : scalar == ";" ? 1 : 2 }

    /// RFC 4180 records with the line each starts on. Lenient where Excel is: a quote
    /// inside an unquoted value is kept as text, spaces after a closing quote are ignored.
    package static func parse(_ scalars: [Unicode.Scalar], delimiter: Unicode.Scalar, firstLine: Int = 1) -> [Row] {
        var rows: [Row] = []
        var fields: [String] = []
        var field = String.UnicodeScalarView()
        var line = firstLine
        var rowLine = firstLine
        var quoted = false        // inside a quoted value
        var afterQuote = false    // a quoted value closed; only the delimiter or a line end may follow
        var quoteLine = firstLine
        var problem: CSVRowProblem?
        var index = 0
        let count = scalars.count

        func endField() {
            fields.append(String(field))
            field = String.UnicodeScalarView()
            afterQuote = false
        }
        func endRow() {
            endField()
            rows.append(Row(line: rowLine, fields: fields, problem: problem))
            fields = []
            problem = nil
        }

        while index < count {
            let scalar = scalars[index]
            index += 1
            if quoted {
                switch scalar {
                case "\"":
                    if index < count && scalars[index] == "\"" {
                        field.append("\"")
                        index += 1
                    } else {
                        quoted = false
                        afterQuote = true
                    }
                case "\r":
                    if index < count && scalars[index] == "\n" { index += 1 }
                    field.append("\n")
                    line += 1
                case "\n":
                    field.append("\n")
                    line += 1
                default:
                    field.append(scalar)
                }
                continue
            }
            switch scalar {
            case delimiter:
                endField()
            case "\r", "\n":
                if scalar == "\r" && index < count && scalars[index] == "\n" { index += 1 }
                endRow()
                line += 1
                rowLine = line
            case "\"":
                if afterQuote {
                    problem = problem ?? .quoteAfterQuotedValue
                } else if String(field).trimmingSpaces.isEmpty {
                    field = String.UnicodeScalarView()
                    quoted = true
                    quoteLine = line
                } else {
                    field.append(scalar)
                }
            case " ", "\t":
                if !afterQuote { field.append(scalar) }
            default:
                if afterQuote {
                    problem = problem ?? .textAfterClosingQuote
                }
                field.append(scalar)
            }
        }
        // A quote never closed swallowed every line after its own: each of those rows is
        // reported as skipped by its line, not lost inside the one row that opened the quote.
        var swallowed: [Row] = []
        if quoted {
            problem = problem ?? .unclosedQuote(openedOn: quoteLine)
            let reason = CSVRowProblem.swallowedByUnclosedQuote(openedOn: quoteLine)
            for (offset, text) in String(field).split(separator: "\n", omittingEmptySubsequences: false).enumerated().dropFirst()
            where !String(text).trimmingSpaces.isEmpty {
                swallowed.append(Row(line: quoteLine + offset, fields: [], problem: reason))
            }
        }
        if quoted || !field.isEmpty || !fields.isEmpty || afterQuote {
            endRow()
        }
        return rows + swallowed
    }

    /// The text and the name of its encoding, decoded as logs are (`DecodingSource`);
    /// a text that is not UTF-8 is read whole as Windows-1252: a table saved in the ANSI
    /// code page is that through and through (a log, appended to over time, is judged
    /// line by line instead).
    package static func decode(_ bytes: [UInt8]) -> (String, String) {
        let (utf8, encoding) = DecodingSource.decodeWhole(bytes)
        let name = (encoding ?? .utf8).rawValue
        if let text = String(validating: utf8, as: UTF8.self) { return (text, name) }
        // Only UTF-8-sniffed bytes get here: UTF-16 always converts to valid UTF-8.
        return (Windows1252.decode(utf8), encoding == .utf8BOM ? name : "windows-1252")
    }
}

extension String {
    /// Without leading and trailing spaces, tabs and no-break spaces.
    package var trimmingSpaces: String {
        let scalars = unicodeScalars
        func isSpace(_ scalar: Unicode.Scalar) -> Bool {
            scalar == " " || scalar == "\t" || scalar == "\u{00A0}" || scalar == "\u{FEFF}"
        }
        guard let first = scalars.firstIndex(where: { !isSpace($0) }) else { return "" }
        let last = scalars.lastIndex(where: { !isSpace($0) })!
        return String(scalars[first...last])
    }
}
