import LogAnalysis

extension DeviceFileError {
    /// The sentence for a refused `--inventory` or `--cloud` file: which file, what is wrong,
    /// and what to do (docs/devices.md).
    package var message: String {
        switch self {
        case .notFound(let kind, let path):
            "cannot read the \(kind.rawValue) \(path): no such file"
        case .isFolder(let kind, let path):
            "cannot read the \(kind.rawValue) \(path): it is a folder, not a CSV file"
        case .unreadable(let kind, let path):
            "cannot read the \(kind.rawValue) \(path): permission denied or not a regular file"
        case .empty(.inventory, let file):
            "inventory \(file) is empty: it needs a header line and one row per device (docs/devices.md)"
        case .empty(.cloudExport, let file):
            "cloud export \(file) is empty: it needs a header line (Device name, Managed by) and one row per device"
        case .missingColumns(let kind, let file, let missing, let found, let delimiter, let headerLine):
            Self.missingColumns(kind, file: file, missing: missing, found: found, delimiter: delimiter, headerLine: headerLine)
        case .noUsableRow(let file, let skipped):
            "inventory \(file) holds no usable device row: "
                + (skipped == 0 ? "it has a header and no rows" : "all \(skipped) row\(skipped == 1 ? " was" : "s were") skipped")
        case .datesDisagree(let file, let column, let day, let month, let cell):
            "inventory \(file): the dates in column '\(column)' disagree on the day/month order (line \(day.line) '\(day.text)' is day first, line \(month.line) '\(month.text)' month first), so line \(cell.line) '\(cell.text)' could be \(Self.readings(cell)): \(Self.orderOption)"
        case .ambiguousDate(let file, let column, let cell):
            "inventory \(file) line \(cell.line): '\(cell.text)' in column '\(column)' could be \(Self.readings(cell)), and no date in the file has a day above 12 to settle the order; cmlogcheck does not guess: \(Self.orderOption)"
        }
    }

    private static let orderOption = "pass --inventory-date-order dmy (day first) or mdy (month first)"

    private static func missingColumns(_ kind: DeviceFileKind, file: String, missing: [DeviceColumn], found: [String],
                                       delimiter: String, headerLine: Int) -> String {
        let wanted = missing.map { field in
            "the \(field.label) (a header such as \(field.examples.map { "'\($0)'" }.joined(separator: ", ")))"
        }
        let columns = found.isEmpty ? "none" : found.map { "'\($0.prefix(60))'" }.joined(separator: ", ")
        return "\(kind.rawValue) \(file): no column for \(wanted.joined(separator: "; nor for ")). Columns found (\(delimiter)-separated, line \(headerLine)): \(columns). See docs/devices.md for the accepted names"
    }

    /// `3 April or 4 March 2020`.
    private static func readings(_ cell: DateCell) -> String {
        let months = ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December"]
        guard (1...12).contains(cell.first), (1...12).contains(cell.second) else { return "\(cell.first)/\(cell.second)/\(cell.year)" }
        return "\(cell.second) \(months[cell.first - 1]) or \(cell.first) \(months[cell.second - 1]) \(cell.year)"
    }
}
