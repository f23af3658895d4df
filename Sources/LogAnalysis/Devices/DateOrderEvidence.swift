import LogInput

/// What an inventory's dates say about their day/month order, gathered row by row, so the
/// order can be settled without keeping the dates: whether any date has the year last, the
/// first date that allows only one order (for each order), and the first one that allows both.
struct DateOrderEvidence {
    private var yearLast = false
    private var implied: [DateOrder: (line: Int, text: String)] = [:]
    private var ambiguous: (line: Int, text: String, time: ExportTime)?

    mutating func add(line: Int, text: String, time: ExportTime) {
        guard case .yearLast = time.layout else { return }
        yearLast = true
        if time.possibleOrders.count == 1, implied[time.possibleOrders[0]] == nil { implied[time.possibleOrders[0]] = (line, text) }
        if ambiguous == nil, time.isAmbiguous { ambiguous = (line, text, time) }
    }

    /// The order for year-last dates, or an error when one is needed and nothing settles it.
    func settle(option: DateOrder?, file: String, header: String) throws(DeviceFileError) -> (order: DateOrder?, source: String?) {
        guard yearLast else { return (nil, nil) }
        if let option { return (option, "option") }
        if implied.count == 1 { return (implied.keys.first!, "file") }
        guard let first = ambiguous else { return (nil, nil) }
        var cell = DeviceFileError.DateCell(line: first.line, text: first.text)
        if case .yearLast(let a, let b) = first.time.layout { (cell.first, cell.second, cell.year) = (a, b, first.time.year) }
        if implied.count == 2, let day = implied[.dayFirst], let month = implied[.monthFirst] {
            throw DeviceFileError.datesDisagree(file: file, column: header, dayFirst: .init(line: day.line, text: day.text),
                                                monthFirst: .init(line: month.line, text: month.text), ambiguous: cell)
        }
        throw DeviceFileError.ambiguousDate(file: file, column: header, ambiguous: cell)
    }
}
