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
    /// Line feeds in the text, when streamed and it is UTF-8 (the pass that checks that
    /// counts them): a bound on the rows, for holding per-row data in one allocation.
    package var lineFeeds: Int?

    package var delimiterName: String {
        switch delimiter {
        case ";": "semicolon"
        case "\t": "tab"
        default: "comma"
        }
    }

    /// Reads `bytes` whole, rows and all (`stream` reads a file of any size); nil when there
    /// is no header line at all (an empty file).
    package static func read(_ bytes: [UInt8]) -> CSVTable? {
        var table: CSVTable?
        var rows: [Row] = []
        // A MemorySource never fails.
        let found = (try? stream({ MemorySource(bytes) }, header: { table = $0 }, row: { rows.append($0) })) ?? false
        guard found, var table else { return nil }
        table.rows = rows
        return table
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
