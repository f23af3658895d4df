import LogInput

/// Why a row of `--inventory` or `--cloud` was left out: the fact, with the cell text and
/// the header it concerns. The sentence is written in LogFindings (`SkipReason.sentence`),
/// beside `DeviceFileError.message`.
package enum SkipReason: Error, Sendable, Equatable {
    /// The CSV reader could not read the row as it stands.
    case csv(CSVRowProblem)
    /// `values` values where the header has `columns` columns (more or fewer).
    case fieldCount(values: Int, columns: Int)
    /// The name column (header `column`) is empty.
    case noName(column: String)
    /// A yes/no column holds something else.
    case notYesNo(text: String, column: String)
    /// A thumbprint column holds something that is not 40 or 64 hexadecimal digits.
    case notThumbprint(text: String, column: String)
    /// A last-change column holds a time no reader takes.
    case unreadableTime(text: String, column: String)
    /// The device's name (ignoring case) is on an earlier row, `firstLine`.
    case duplicate(device: String, firstLine: Int)
    /// A date `--inventory-date-order` cannot read (`28/03/2021` with `mdy`).
    case wrongDateOrder(text: String, order: DateOrder)
    /// A date and time that does not exist (a 31 April, an hour 25).
    case invalidDate(text: String)
}
