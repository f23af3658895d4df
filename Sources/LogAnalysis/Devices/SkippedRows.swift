/// A row left out, with its line number and why; reported on standard error.
package struct SkippedRow: Error, Sendable, Equatable {
    package var line: Int
    package var reason: SkipReason

    package init(line: Int, reason: SkipReason) {
        self.line = line
        self.reason = reason
    }
}

/// The rows a file left out: the first `kept` with their reasons, and how many in all, so
/// a file where every row is bad costs no more than one where a few are.
struct SkippedRows {
    static let kept = 1_000
    private(set) var rows: [SkippedRow] = []
    private(set) var count = 0

    mutating func add(_ row: SkippedRow) {
        count += 1
        if rows.count < Self.kept { rows.append(row) }
    }
}
