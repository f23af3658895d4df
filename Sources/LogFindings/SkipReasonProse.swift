import LogInput
import LogAnalysis

extension SkipReason {
    /// Why a row of `--inventory` or `--cloud` was skipped, as standard error says it after
    /// `FILE line N:` (docs/devices.md, "Bad input"). Cells are quoted as written, cut short.
    package var sentence: String {
        switch self {
        case .csv(let problem):
            problem.sentence
        case .fieldCount(let values, let columns) where values > columns:
            "\(values) values where the header has \(columns) columns (an unquoted delimiter inside a value?)"
        case .fieldCount(let values, let columns):
            "\(values) value\(values == 1 ? "" : "s") where the header has \(columns) columns"
        case .noName(let column):
            "no device name in column '\(column)'"
        case .notYesNo(let text, let column):
            "'\(text)' in column '\(column)' is not yes or no"
        case .notThumbprint(let text, let column):
            "'\(text.prefix(80))' in column '\(column)' is not a certificate thumbprint (40 hexadecimal digits, or 64)"
        case .unreadableTime(let text, let column):
            "'\(text.prefix(60))' in column '\(column)' is not a time cmlogcheck reads (ISO 8601, or a date and time as exports write them: docs/devices.md)"
        case .duplicate(let device, let firstLine):
            "device \(device) is already on line \(firstLine)"
        case .wrongDateOrder(let text, let order):
            "'\(text)' is not a \(order == .dayFirst ? "day-first" : "month-first") date, as --inventory-date-order \(order.rawValue) says"
        case .invalidDate(let text):
            "'\(text)' is not a valid date and time"
        }
    }
}

extension CSVRowProblem {
    /// What is wrong with a CSV row as the CSV reader found it.
    package var sentence: String {
        switch self {
        case .quoteAfterQuotedValue: "a quote right after a quoted value"
        case .textAfterClosingQuote: "text after the closing quote of a value"
        case .unclosedQuote(let line): "a quoted value opened on line \(line) is never closed"
        case .swallowedByUnclosedQuote(let line): "swallowed by the quoted value opened on line \(line), which is never closed"
        }
    }
}
