import LogInput
import LogRules
import LogAnalysis
import LogFindings
/// The upload timeline of the HTML report (docs/html.md) as an inline SVG: one bar
/// per cycle (its records), over the whole window the logs cover, with the failed
/// and late cycles, the missed runs and the stall marked in rows of their own, and
/// a `<title>` per column that a browser shows on hover. It only draws what the
/// report's `sync` already says: no cycle is judged here.
///
/// A review of months of 15-minute cycles holds tens of thousands of cycles, more
/// than a page can show one by one: above `maxColumns` cycles, they are put into
/// `maxColumns` columns of equal time, each as tall as its largest cycle and
/// coloured by its worst cycle, and a column holding a failed or late cycle keeps
/// its mark in that row, so no failure is averaged away.
package struct SVGTimeline {
    package static let maxColumns = 400

    /// One drawn column: one cycle, or the cycles of one slice of the window.
    package struct Column {
        /// Indices into `sync.cycles`.
        package var cycles: Range<Int>
        /// Where the column sits, as a fraction of the plot's width (its centre).
        package var position: Double
        /// The largest cycle's records, and all of the column's.
        package var maxRecords = 0
        package var records = 0
        package var failed = 0
        package var late = 0
        /// What the hover title names: the first and last cycle, the first failed and first late one.
        /// (The cycles may be in a spool file: a column keeps what it shows, not an index to look up.)
        var first: UploadCycle?
        var last: UploadCycle?
        var firstFailed: UploadCycle?
        var firstLate: UploadCycle?

        /// The worst status in the column: what colours its bar.
        package var status: UploadCycle.Status { failed > 0 ? .failed : late > 0 ? .late : .ok }
    }

    let report: Report
    /// Whether cycles are placed by their start times (else in log order: they have none).
    package let timed: Bool
    /// The span the axis covers, on the report's clock.
    let from: Instant
    let to: Instant
    package let columns: [Column]
    /// Whether cycles were put together into columns (more than `maxColumns`).
    package let bucketed: Bool

    /// How times are written: the page's `--time` (without it, `TimeChoice.standard`).
    let times: ShownTimes

    package init(report: Report, times: ShownTimes? = nil) {
        self.times = times ?? ShownTimes(report, asked: nil)
        self.report = report
        let cycles = report.sync.cycles
        let timed = !cycles.isEmpty && cycles.timed == cycles.count
        self.timed = timed
        // The axis spans every time the drawing places: the window, the cycles, the
        // missed runs, and the stall up to the evaluation time (which --at may set later).
        var times: [Instant] = [report.windowStart, report.windowEnd].compactMap { $0 }
        if timed {
            times += [cycles.earliest, cycles.latest].compactMap { $0 }
            for due in report.sync.missedRuns { times.append(due) }
            if report.sync.stalled { times += [report.sync.expectedNextRun, report.evaluatedAt].compactMap { $0 } }
        }
        var from = times.min() ?? Instant(ticks: 0)
        var to = times.max() ?? Instant(ticks: 0)
        if to.seconds(since: from) < 60 {
            // One instant (a single cycle): give the axis a quarter of an hour around it.
            from = from.adding(seconds: -450)
            to = to.adding(seconds: 450)
        }
        self.from = from
        self.to = to

        let span = to.seconds(since: from)
        let count = cycles.count
        func fraction(_ index: Int, _ cycle: UploadCycle) -> Double {
            guard timed, let start = cycle.start else { return (Double(index) + 0.5) / Double(max(1, count)) }
            return min(1, max(0, start.seconds(since: from) / span))
        }
        var columns: [Column] = []
        let bucketed = count > Self.maxColumns
        self.bucketed = bucketed
        if !bucketed {
            for (index, cycle) in cycles.enumerated() {
                var column = Column(cycles: index..<(index + 1), position: fraction(index, cycle))
                column.add(cycle)
                columns.append(column)
            }
        } else {
            // Cycles are in log order, and so in time order on one server's clock: each
            // slice is a run of consecutive cycles. A log whose times go back (a clock set
            // back, files out of order) keeps its later slice, so there are never more
            // than `maxColumns` columns.
            var current: Column?
            var lastSlot = 0
            for (index, cycle) in cycles.enumerated() {
                let slot = max(lastSlot, min(Self.maxColumns - 1, Int(fraction(index, cycle) * Double(Self.maxColumns))))
                lastSlot = slot
                let position = (Double(slot) + 0.5) / Double(Self.maxColumns)
                if current == nil || current?.position != position {
                    if let done = current { columns.append(done) }
                    current = Column(cycles: index..<index, position: position)
                }
                if var column = current {
                    column.cycles = column.cycles.lowerBound..<(index + 1)
                    column.add(cycle)
                    current = column
                }
            }
            if let done = current { columns.append(done) }
        }
        self.columns = columns
    }

    // MARK: Geometry (user units of the viewBox)

    static let width = 1000.0
    static let left = 64.0
    static let right = 16.0
    static let top = 22.0
    static let plotHeight = 150.0
    static let rowHeight = 12.0
    static let rowGap = 4.0
    var plotWidth: Double { Self.width - Self.left - Self.right }
    var plotBottom: Double { Self.top + Self.plotHeight }
    /// The rows under the bars: failed, late, missed.
    func rowTop(_ row: Int) -> Double { plotBottom + 10 + Double(row) * (Self.rowHeight + Self.rowGap) }
    var axisTop: Double { rowTop(3) + 2 }
    var height: Double { axisTop + 40 }

    func x(_ instant: Instant) -> Double {
        Self.left + min(1, max(0, instant.seconds(since: from) / to.seconds(since: from))) * plotWidth
    }

    /// A column's width: a cycle's bar a little narrower than its share, a slice's its whole share.
    var columnWidth: Double {
        if bucketed { return plotWidth / Double(Self.maxColumns) }
        return min(16, max(1.5, 0.7 * plotWidth / Double(max(1, columns.count))))
    }

    // MARK: Colours (also the legend's, in HTMLReport)

    package static let okColour = "#3b73b9"
    package static let lateColour = "#e08a00"
    package static let failedColour = "#d32f2f"
    package static let missedColour = "#8e24aa"
    package static let stallColour = "#555555"

    static func colour(_ status: UploadCycle.Status) -> String {
        switch status {
        case .ok: okColour
        case .late: lateColour
        case .failed: failedColour
        }
    }

    // MARK: Drawing

    /// The `<svg>` element. Every text from the logs in it (a failure's line in a
    /// title) is escaped with `HTML.escape`; numbers and times are the report's own.
    package func render() -> String {
        let cycles = report.sync.cycles
        let clock = report.clock
        var out = ""
        out.reserveCapacity(512 + columns.count * 400)
        func n(_ value: Double) -> String { String(format1: value) }
        let summary = "Upload timeline: \(cycles.count) cycle\(cycles.count == 1 ? "" : "s")" + (bucketed ? " in \(columns.count) columns" : "")
        out += "<svg class=\"timeline\" xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 \(n(Self.width)) \(n(height))\" role=\"img\" aria-label=\"\(HTML.escape(summary))\" font-family=\"sans-serif\" font-size=\"11\">"
        out += "<title>\(HTML.escape(summary))</title>"

        // The stall first, under everything: from the run that did not come to the evaluation time.
        if timed, report.sync.stalled, let due = report.sync.expectedNextRun, let at = report.evaluatedAt, at > due {
            let x0 = x(due), x1 = x(at)
            let text = "Stalled: the run due at \(times.point(due, seconds: true)) had not come by \(times.point(at, seconds: true)) (\(describe(seconds: at.seconds(since: due))) overdue)"
            out += "<g class=\"stall\"><title>\(HTML.escape(text))</title>"
            out += "<rect x=\"\(n(x0))\" y=\"\(n(Self.top))\" width=\"\(n(max(1, x1 - x0)))\" height=\"\(n(rowTop(3) - Self.top))\" fill=\"\(Self.stallColour)\" fill-opacity=\"0.18\" stroke=\"\(Self.stallColour)\" stroke-dasharray=\"4 3\"/>"
            if x1 - x0 > 44 { out += "<text x=\"\(n(x0 + 4))\" y=\"\(n(Self.top + 12))\" fill=\"\(Self.stallColour)\">stalled</text>" }
            out += "</g>"
        }

        // The scale: 0, half and the largest cycle.
        let top = max(1, columns.map(\.maxRecords).max() ?? 1)
        for (value, label) in [(0, "0"), (top / 2, String(top / 2)), (top, String(top))] where value > 0 || label == "0" {
            let y = plotBottom - Double(value) / Double(top) * Self.plotHeight
            out += "<line x1=\"\(n(Self.left))\" x2=\"\(n(Self.width - Self.right))\" y1=\"\(n(y))\" y2=\"\(n(y))\" stroke=\"#ccc\" stroke-width=\"0.5\"/>"
            out += "<text x=\"\(n(Self.left - 6))\" y=\"\(n(y + 4))\" text-anchor=\"end\" fill=\"#444\">\(label)</text>"
        }
        out += "<text x=\"4\" y=\"\(n(Self.top - 10))\" fill=\"#444\">records per cycle</text>"
        for (row, label) in ["failed", "late", "missed"].enumerated() {
            out += "<text x=\"\(n(Self.left - 6))\" y=\"\(n(rowTop(row) + Self.rowHeight - 2))\" text-anchor=\"end\" fill=\"#444\">\(label)</text>"
        }

        // The columns: a hover area the plot's and rows' height (so a cycle of 0 records
        // still has one), the bar, and the failed and late marks.
        let width = columnWidth
        for column in columns {
            let centre = Self.left + column.position * plotWidth
            let x0 = centre - width / 2
            out += "<g class=\"cycle \(column.status.rawValue)\"><title>\(HTML.escape(title(column)))</title>"
            out += "<rect x=\"\(n(x0))\" y=\"\(n(Self.top))\" width=\"\(n(width))\" height=\"\(n(rowTop(2) - Self.top))\" fill=\"#000\" fill-opacity=\"0\"/>"
            if column.maxRecords > 0 {
                let h = max(1, Double(column.maxRecords) / Double(top) * Self.plotHeight)
                out += "<rect x=\"\(n(x0))\" y=\"\(n(plotBottom - h))\" width=\"\(n(width))\" height=\"\(n(h))\" fill=\"\(Self.colour(column.status))\"/>"
            }
            let markWidth = max(2, width)
            if column.failed > 0 {
                out += "<rect class=\"mark-failed\" x=\"\(n(centre - markWidth / 2))\" y=\"\(n(rowTop(0)))\" width=\"\(n(markWidth))\" height=\"\(n(Self.rowHeight))\" fill=\"\(Self.failedColour)\"/>"
            }
            if column.late > 0 {
                out += "<rect class=\"mark-late\" x=\"\(n(centre - markWidth / 2))\" y=\"\(n(rowTop(1)))\" width=\"\(n(markWidth))\" height=\"\(n(Self.rowHeight))\" fill=\"\(Self.lateColour)\"/>"
            }
            out += "</g>"
        }

        // Missed runs: a diamond in their row and a dashed line up through the bars, at the time the run was due.
        if timed {
            for due in report.sync.missedRuns {
                let cx = x(due), cy = rowTop(2) + Self.rowHeight / 2, r = Self.rowHeight / 2
                out += "<g class=\"missed\"><title>\(HTML.escape("Missed run: due at \(times.point(due, seconds: true)), no cycle came within an upload interval"))</title>"
                out += "<line x1=\"\(n(cx))\" x2=\"\(n(cx))\" y1=\"\(n(Self.top))\" y2=\"\(n(cy))\" stroke=\"\(Self.missedColour)\" stroke-width=\"1\" stroke-dasharray=\"3 2\"/>"
                out += "<path d=\"M\(n(cx)) \(n(cy - r))L\(n(cx + r)) \(n(cy))L\(n(cx)) \(n(cy + r))L\(n(cx - r)) \(n(cy))Z\" fill=\"\(Self.missedColour)\"/></g>"
            }
        }

        // The axis.
        let axisY = axisTop
        out += "<line x1=\"\(n(Self.left))\" x2=\"\(n(Self.width - Self.right))\" y1=\"\(n(axisY))\" y2=\"\(n(axisY))\" stroke=\"#444\" stroke-width=\"1\"/>"
        for tick in ticks() {
            out += "<line x1=\"\(n(tick.x))\" x2=\"\(n(tick.x))\" y1=\"\(n(axisY))\" y2=\"\(n(axisY + 4))\" stroke=\"#444\"/>"
            out += "<text x=\"\(n(tick.x))\" y=\"\(n(axisY + 16))\" text-anchor=\"middle\" fill=\"#222\">\(HTML.escape(tick.label))</text>"
        }
        let axisClock = clock == .utc ? times.localOnly.tableClock : "server local time, zone unknown"
        let caption = timed ? "time (\(axisClock))" : "cycles in log order (their records carry no times)"
        out += "<text x=\"\(n(Self.left + plotWidth / 2))\" y=\"\(n(axisY + 32))\" text-anchor=\"middle\" fill=\"#444\">\(HTML.escape(caption))</text>"
        out += "</svg>"
        return out
    }

    /// What a column's hover title says: the cycle's facts, or the slice's counts.
    func title(_ column: Column) -> String {
        func when(_ instant: Instant?) -> String { instant.map { times.point($0, seconds: true) } ?? "time unknown" }
        if column.cycles.count == 1, let cycle = column.first {
            var parts = ["Cycle \(column.cycles.lowerBound + 1) at \(when(cycle.start)): \(cycle.kind.rawValue), \(cycle.records) record\(cycle.records == 1 ? "" : "s")"]
            if cycle.batches.count > 1 { parts[0] += " in \(cycle.batches.count) batches" }
            var status = cycle.status.rawValue
            if let delay = cycle.delaySeconds, let due = cycle.dueAt {
                status += delay >= 0 ? ", started \(describe(seconds: delay)) after the run due at \(when(due))" : ", started \(describe(seconds: -delay)) before the run due at \(when(due))"
            }
            parts.append(status)
            if let next = cycle.nextRun { parts.append("announced the next run for \(when(next))") }
            else if let text = cycle.nextRunText { parts.append("announced the next run as '\(Terminal.clean(text, limit: 60))' (unreadable)") }
            if let failure = cycle.failures.first {
                parts.append("failure at \(Terminal.clean(failure.input, limit: 80)):\(failure.line): \(Terminal.clean(failure.text, limit: 200))" + (cycle.failures.count > 1 ? " (and \(cycle.failures.count - 1) more)" : ""))
            }
            parts.append("from \(Terminal.clean(cycle.firstEvidence.input, limit: 80)):\(cycle.firstEvidence.line)")
            return parts.joined(separator: "\n")
        }
        var parts = ["\(column.cycles.count) cycles (\(column.cycles.lowerBound + 1) to \(column.cycles.upperBound)), \(when(column.first?.start)) to \(when(column.last?.start))",
                     "\(column.records) records, at most \(column.maxRecords) in one cycle"]
        var counts: [String] = []
        if column.failed > 0 { counts.append("\(column.failed) failed") }
        if column.late > 0 { counts.append("\(column.late) late") }
        parts.append(counts.isEmpty ? "all ok" : counts.joined(separator: ", "))
        if let cycle = column.firstFailed ?? column.firstLate {
            var text = "first \(cycle.status.rawValue) at \(when(cycle.start))"
            if let failure = cycle.failures.first { text += ": \(Terminal.clean(failure.text, limit: 160))" }
            parts.append(text + " (\(Terminal.clean(cycle.firstEvidence.input, limit: 80)):\(cycle.firstEvidence.line))")
        }
        return parts.joined(separator: "\n")
    }

    struct Tick { var x: Double; var label: String }

    /// Round times on the report's clock (a local clock's times are its wall clock,
    /// so a day starts at its midnight), at most about seven; or cycle numbers.
    func ticks() -> [Tick] {
        guard timed else {
            let count = report.sync.cycles.count
            guard count > 0 else { return [] }
            let step = max(1, Int((Double(count) / 6).rounded(.up)))
            return stride(from: 0, to: count, by: step).map { index in
                Tick(x: Self.left + (Double(index) + 0.5) / Double(count) * plotWidth, label: "cycle \(index + 1)")
            }
        }
        let span = to.seconds(since: from)
        let steps: [Int64] = [60, 300, 900, 1800, 3600, 7200, 10800, 21600, 43200, 86400, 2 * 86400, 7 * 86400, 14 * 86400, 28 * 86400, 91 * 86400, 182 * 86400, 364 * 86400]
        let step = steps.first { span / Double($0) <= 7 } ?? Int64((span / 7).rounded(.up))
        let stepTicks = step * Instant.ticksPerSecond
        // Round on the shown clock, so that a local day starts at its midnight (at the first
        // time's offset: after a daylight saving change the labels say the hour they fall on).
        let axis = times.localOnly
        let shift = Int64(axis.offset(at: from) ?? 0) * 60 * Instant.ticksPerSecond
        let shifted = from.ticks + shift
        var tick = Instant(ticks: (shifted / stepTicks + (shifted % stepTicks > 0 ? 1 : 0)) * stepTicks - shift)
        var ticks: [Tick] = []
        var previousDate = ""
        while tick <= to, ticks.count < 12 {
            let text = axis.cell(tick)
            let date = String(text.prefix(10))
            let label = step >= 86400 ? date : date == previousDate ? String(text.suffix(5)) : text
            previousDate = date
            ticks.append(Tick(x: x(tick), label: label))
            tick = tick + step
        }
        return ticks
    }
}

extension SVGTimeline.Column {
    mutating func add(_ cycle: UploadCycle) {
        maxRecords = max(maxRecords, cycle.records)
        records += cycle.records
        switch cycle.status {
        case .failed:
            failed += 1
            if firstFailed == nil { firstFailed = cycle }
        case .late:
            late += 1
            if firstLate == nil { firstLate = cycle }
        case .ok: break
        }
        if first == nil { first = cycle }
        last = cycle
    }
}

extension String {
    /// A coordinate with at most one decimal, without a locale: `12`, `12.5`.
    init(format1 value: Double) {
        let tenths = Int((value * 10).rounded())
        self = tenths % 10 == 0 ? String(tenths / 10) : (tenths < 0 && tenths > -10 ? "-" : "") + "\(tenths / 10).\(abs(tenths % 10))"
    }
}
