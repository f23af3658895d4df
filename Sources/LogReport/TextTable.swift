/// A table for the text report: each column as wide as its widest cell (in terminal
/// columns, colour not counted), text left-aligned, numbers right-aligned, two spaces
/// between columns. Empty trailing cells leave no trailing spaces.
package struct TextTable {
    package var header: [String]
    package var rows: [[String]]
    /// Columns whose cells are right-aligned (counts).
    package var rightAligned: Set<Int> = []

    package init(header: [String], rows: [[String]], rightAligned: Set<Int> = []) {
        self.header = header
        self.rows = rows
        self.rightAligned = rightAligned
    }

    /// The header (as given: the caller styles it) and the rows, each after `indent`.
    package func lines(indent: String = "  ") -> [String] {
        let all = [header] + rows
        let count = all.map(\.count).max() ?? 0
        let widths = (0..<count).map { column in all.map { $0.count > column ? TextWrap.columns($0[column]) : 0 }.max() ?? 0 }
        return all.map { row in
            var cells: [String] = []
            for (column, cell) in row.enumerated() {
                let pad = String(repeating: " ", count: widths[column] - TextWrap.columns(cell))
                cells.append(rightAligned.contains(column) ? pad + cell : cell + pad)
            }
            var line = indent + cells.joined(separator: "  ")
            while line.last == " " { line.removeLast() }
            return line
        }
    }
}
