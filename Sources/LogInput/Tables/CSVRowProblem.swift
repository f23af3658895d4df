/// Why a CSV row cannot be read as it stands: the fact, with the lines it concerns. The
/// sentence an admin reads is written in LogFindings (`CSVRowProblem.sentence`).
package enum CSVRowProblem: Sendable, Equatable {
    /// A quote right after a quoted value (`"a""b` outside a quoted value, `"a"  "b"`).
    case quoteAfterQuotedValue
    /// Text after the closing quote of a value (`"a"b`).
    case textAfterClosingQuote
    /// The row opens a quoted value, on `openedOn`, that the file never closes.
    case unclosedQuote(openedOn: Int)
    /// A line inside a quoted value, opened on `openedOn`, that the file never closes.
    case swallowedByUnclosedQuote(openedOn: Int)
}
