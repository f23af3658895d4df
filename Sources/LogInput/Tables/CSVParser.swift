/// RFC 4180 records fed one Unicode scalar at a time, each handed on as it ends with the
/// line it starts on, so a table of any size is read in bounded memory (issue 14, item 7).
/// Lenient where Excel is: a quote inside an unquoted value is kept as text, spaces after a
/// closing quote are ignored. One character of look-ahead (`""` inside a quoted value,
/// CR LF) is kept as state rather than read ahead.
struct CSVParser {
    let delimiter: Unicode.Scalar
    private var fields: [String] = []
    private var field = String.UnicodeScalarView()
    private var line: Int
    private var rowLine: Int
    private var quoted = false        // inside a quoted value
    private var afterQuote = false    // a quoted value closed; only the delimiter or a line end may follow
    private var quotePending = false  // a quote inside a quoted value: `""` or the closing one, the next scalar says
    private var skipLF = false        // a CR ended a line: an LF right after it belongs to it
    private var quoteLine: Int
    private var problem: CSVRowProblem?

    init(delimiter: Unicode.Scalar, firstLine: Int) {
        self.delimiter = delimiter
        line = firstLine
        rowLine = firstLine
        quoteLine = firstLine
    }

    mutating func feed(_ scalar: Unicode.Scalar, _ emit: (CSVTable.Row) -> Void) {
        if skipLF {
            skipLF = false
            if scalar == "\n" { return }
        }
        if quotePending {
            quotePending = false
            if scalar == "\"" {
                field.append("\"")
                return
            }
            quoted = false
            afterQuote = true
        }
        if quoted {
            switch scalar {
            case "\"":
                quotePending = true
            case "\r", "\n":
                skipLF = scalar == "\r"
                field.append("\n")
                line += 1
            default:
                field.append(scalar)
            }
            return
        }
        switch scalar {
        case delimiter:
            endField()
        case "\r", "\n":
            skipLF = scalar == "\r"
            endRow(emit)
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

    /// The end of the text: the last row, and, when a quote was never closed, the rows it
    /// swallowed, each by its line, so none is lost inside the row that opened the quote.
    mutating func finish(_ emit: (CSVTable.Row) -> Void) {
        if quotePending {
            quotePending = false
            quoted = false
            afterQuote = true
        }
        var swallowed: [CSVTable.Row] = []
        if quoted {
            problem = problem ?? .unclosedQuote(openedOn: quoteLine)
            let reason = CSVRowProblem.swallowedByUnclosedQuote(openedOn: quoteLine)
            for (offset, text) in String(field).split(separator: "\n", omittingEmptySubsequences: false).enumerated().dropFirst()
            where !String(text).trimmingSpaces.isEmpty {
                swallowed.append(CSVTable.Row(line: quoteLine + offset, fields: [], problem: reason))
            }
        }
        if quoted || !field.isEmpty || !fields.isEmpty || afterQuote {
            endRow(emit)
        }
        swallowed.forEach(emit)
    }

    private mutating func endField() {
        fields.append(String(field))
        field = String.UnicodeScalarView()
        afterQuote = false
    }

    private mutating func endRow(_ emit: (CSVTable.Row) -> Void) {
        endField()
        emit(CSVTable.Row(line: rowLine, fields: fields, problem: problem))
        fields = []
        problem = nil
    }
}
