import LogInput
import LogRules
import LogAnalysis
import LogFindings
/// The report for a person at a terminal: the verdict and the answer first,
/// then the inputs, the upload timeline, device actions, devices, and each
/// finding with what to do and the lines that show it.
package struct TextReport {
    package let style: Style
    /// Cycles shown in full at the end of the timeline; earlier ok cycles fold.
    package var recentCycles = 8
    /// The columns lines are fitted to (`TerminalWidth.columns`); nil: every line whole (a pipe or a file).
    package var width: Int?
    /// `--time`: the clock times are shown on (nil: `TimeChoice.standard`, docs/clocks.md).
    package var time: TimeChoice?

    package init(style: Style, width: Int? = nil, time: TimeChoice? = nil) {
        self.style = style
        self.width = width
        self.time = time
    }

    /// How this report's times are written.
    func shownTimes(_ report: Report) -> ShownTimes { ShownTimes(report, asked: time) }

    /// Writes `line` fitted to the width: prose wrapped at spaces (docs/terminal.md).
    package func emit(_ line: String, to out: Output) {
        guard let width else {
            out.write(line + "\n")
            return
        }
        for part in TextWrap.wrap(line, width: width) { out.write(part + "\n") }
    }

    /// `ruleLimitHits`: rules that gave up at the match limit during the review (`Review.ruleLimitHits`);
    /// `window`: the `--since`/`--until` it was read in, said under the verdict.
    /// `unread`: inputs that could not be read, said under the verdict (the answer leaves them out).
    package func write(_ report: Report, settings: AnalysisSettings, ruleLimitHits: [RuleLimitHit] = [], window: TimeWindow? = nil,
                       unread: [UnreadInput] = [], to out: Output) {
        // Device and action words name times on the report's clock.
        Findings.$clock.withValue(report.clock) { writeOnClock(report, settings: settings, ruleLimitHits: ruleLimitHits, window: window, unread: unread, to: out) }
    }

    private func writeOnClock(_ report: Report, settings: AnalysisSettings, ruleLimitHits: [RuleLimitHit], window: TimeWindow?,
                              unread: [UnreadInput], to out: Output) {
        var lines: [String] = []
        lines += headline(report)
        if let window { lines.insert(WindowReport.line(window, report: report), at: 1) }
        if let note = shownTimes(report).fallbackNote { lines.insert(style.yellow(note), at: 1) }
        lines.insert(contentsOf: Self.readingLines(unread, style: style), at: 1)
        lines += answer(report, settings: settings)
        lines += inputs(report)
        lines += limits(ruleLimitHits)
        lines += timeline(report, settings: settings)
        lines += ActionsText.section(report, style: style, times: shownTimes(report).localOnly)
        lines += DevicesText.section(report, style: style)
        lines += findings(report)
        // Counted as the screen shows them: wrapped.
        let shown = width.map { width in lines.reduce(0) { $0 + TextWrap.wrap($1, width: width).count } } ?? lines.count
        if shown > Self.screenLines { lines.append(closing(report)) }
        for line in lines { emit(line, to: out) }
    }

    // MARK: Sections

    /// A report longer than this (a 120x40 screen) repeats its verdict at the end, where the screen stops.
    static let screenLines = 40

    /// The verdict again in one line, for the end of a long report: the counts of findings
    /// by severity, their ids, and when the cloud last got data.
    func closing(_ report: Report) -> String {
        var parts = verdictAndCounts(report)
        var ids: [String] = []
        for finding in report.findings where finding.severity >= .warning && !ids.contains(finding.id.rawValue) { ids.append(finding.id.rawValue) }
        if !ids.isEmpty { parts.append(ids.joined(separator: ", ")) }
        if let end = report.sync.lastSuccessfulCycle?.end {
            parts.append("last successful upload \(shownTimes(report).point(end))")
        } else if !report.sync.cycles.isEmpty {
            parts.append("no successful upload")
        }
        return "Summary: " + parts.joined(separator: "  ·  ")
    }

    func headline(_ report: Report) -> [String] {
        var span = ""
        if let start = report.windowStart, let end = report.windowEnd {
            span = "logs cover \(shownTimes(report).range(start, end))"
            if report.clock == .local { span += " (\(report.clock.explanation))" }
        }
        return [(verdictAndCounts(report) + [span]).filter { !$0.isEmpty }.joined(separator: "  ·  "), ""]
    }

    /// The verdict word and the errors and warnings, counted.
    func verdictAndCounts(_ report: Report) -> [String] {
        let errors = report.findings.filter { $0.severity == .error }.count
        let warnings = report.findings.filter { $0.severity == .warning }.count
        let verdict: String
        switch report.verdict {
        case .failing: verdict = style.bold(style.red("FAILING"))
        case .degraded: verdict = style.bold(style.yellow("DEGRADED"))
        case .healthy: verdict = style.bold(style.green("HEALTHY"))
        case .noData: verdict = style.bold("NO DATA")
        }
        var counts: [String] = []
        if errors > 0 { counts.append("\(errors) error\(errors == 1 ? "" : "s")") }
        if warnings > 0 { counts.append("\(warnings) warning\(warnings == 1 ? "" : "s")") }
        return [verdict, counts.joined(separator: ", ")].filter { !$0.isEmpty }
    }

    func answer(_ report: Report, settings: AnalysisSettings) -> [String] {
        var lines: [String] = []
        let sync = report.sync
        let times = shownTimes(report)
        let uploaded = sync.recordsUploaded
        if !sync.cycles.isEmpty {
            let failed = sync.cycles.failed
            let late = sync.cycles.late
            var parts = ["\(sync.cycles.count) upload cycle\(sync.cycles.count == 1 ? "" : "s")",
                         "\(uploaded) record\(uploaded == 1 ? "" : "s") uploaded" + (failed > 0 ? " by the cycles that did not fail" : "")]
            if failed > 0 {
                let lost = sync.recordsInFailedCycles
                parts.append(style.red("\(failed) failed") + " (with \(lost) more record\(lost == 1 ? "" : "s") batched)")
            }
            if late > 0 { parts.append(style.yellow("\(late) late")) }
            if !sync.missedRuns.isEmpty { parts.append(style.yellow("\(sync.missedRuns.count) missed run\(sync.missedRuns.count == 1 ? "" : "s")")) }
            lines.append("Upload: " + parts.joined(separator: ", ") + ".")
            // The first question: when did the cloud last get the devices.
            if let last = sync.lastSuccessfulCycle, let end = last.end {
                let records = "\(last.records) record\(last.records == 1 ? "" : "s")"
                lines.append("Last successful upload: \(times.point(end)) (\(last.kind == .unknown ? "" : last.kind.rawValue + ", ")\(records)).")
            } else if sync.lastSuccessfulCycle == nil {
                lines.append(style.red("No successful upload") + " in these logs: every cycle failed.")
            }
            if let next = sync.nextRun {
                var due = "Next upload due \(times.point(next))"
                if let at = report.evaluatedAt {
                    let overdue = at.seconds(since: next)
                    if sync.stalled {
                        due += style.red(" — overdue by \(describe(seconds: overdue)) at \(times.point(at))")
                    } else if overdue < 0 {
                        due += " (in \(describe(seconds: -overdue)) at the evaluation time, \(times.point(at)))"
                    } else {
                        due += " (\(describe(seconds: overdue)) ago at \(times.point(at)), within the \(describe(seconds: settings.grace)) grace)"
                    }
                }
                lines.append(due + ".")
            }
        } else if sync.uploadLogPresent {
            lines.append("Upload: " + style.red("no upload cycle found") + " in CMGatewaySyncUploadWorker.log.")
        }
        if let why = Self.timingNotJudged(sync.timing) {
            lines.append(style.yellow("Upload timing was not judged") + ": \(why) No late cycle, missed run or stall could be found.")
        }
        lines += ActionsText.answer(report, style: style)
        for finding in report.findings where finding.severity >= .warning {
            let mark = finding.severity == .error ? style.red("✗") : style.yellow("!")
            lines.append("\(mark) \(Terminal.clean(finding.title))\(finding.count > 1 ? " (×\(finding.count))" : "")")
        }
        if report.verdict == .noData {
            lines.append("No record matched a rule: these do not look like tenant attach logs, or their lines are not in the catalog (cmlogcheck rules).")
        } else if report.findings.allSatisfy({ $0.severity == .info }) {
            lines.append(style.green("✓") + (sync.timing == .judged ? " Nothing wrong found." : " Nothing wrong found in what could be checked."))
        }
        if !report.otherClockInputs.isEmpty {
            let names = report.otherClockInputs.prefix(3).map { Terminal.clean($0, limit: 60) }.joined(separator: ", ")
            lines.append("Times of \(names)\(report.otherClockInputs.count > 3 ? " and \(report.otherClockInputs.count - 3) more" : "") are on another clock (\(report.clock == .utc ? "no bias: server local time" : "UTC")) and are not compared with the rest: pass --tz with the server's zone.")
        }
        return lines + [""]
    }

    /// One row per input under named columns, so that no two counts read as one:
    /// `records` are framed log records, `events` the rules' matches (a record that
    /// several rules match counts once for each), `unrecognised` lines no framer took.
    /// Wider than the screen, each input takes two lines instead.
    func inputs(_ report: Report) -> [String] {
        guard !report.inputs.isEmpty else { return [] }
        var rows: [[String]] = []
        for input in report.inputs {
            let summary = input.summary
            var notes: [String] = []
            if summary.unrecognizedLines > 0 { notes.append(style.yellow("\(summary.unrecognizedLines) unrecognised line\(summary.unrecognizedLines == 1 ? "" : "s")")) }
            if summary.incompleteRecords > 0 { notes.append("\(summary.incompleteRecords) cut off") }
            if let reason = summary.unreadReason { notes.append(style.yellow("not read whole: \(Terminal.clean(reason, limit: 80))")) }
            var times = ""
            if let first = summary.first, let last = summary.last, let clock = summary.clock {
                // Each input at its own writer's offset (a management point may be in another
                // zone); on UTC, labelled only when its clock is not the report's, as the headline names that.
                let own = ShownTimes(clock: clock, biases: summary.biases, asked: time).localOnly
                let end = own.shown == .utc && clock == report.clock ? own.cell(last) : own.cell(last) + " " + own.label(at: last)
                let start = own.label(at: first) == own.label(at: last) ? own.cell(first) : own.cell(first) + " " + own.label(at: first)
                times = "\(start) → \(end)"
            }
            rows.append([Terminal.clean(summary.name, limit: 60),
                         summary.kind == .unknown ? "unknown log" : summary.kind.rawValue,
                         summary.format?.rawValue ?? "-",
                         summary.encoding?.rawValue ?? "-",
                         String(summary.records), String(input.events), times, notes.joined(separator: ", ")])
        }
        let header = ["file", "log", "format", "encoding", "records", "events", "times", ""].map { $0.isEmpty ? $0 : style.dim($0) }
        var table = TextTable(header: header, rows: rows, rightAligned: [4, 5]).lines()
        if let width, table.contains(where: { TextWrap.columns($0) > width }) {
            // On a line of its own the name need not be cut to fit a column.
            table = zip(rows, report.inputs).flatMap { row, input in
                ["  " + Terminal.clean(input.summary.name, limit: 400), "      " + [row[1], row[2], row[3], "\(row[4]) records", "\(row[5]) events", row[6], row[7]].filter { !$0.isEmpty }.joined(separator: "  ")]
            }
        }
        var lines = [style.bold("Inputs")] + table
        if report.inputs.contains(where: { $0.events > $0.summary.records }) {
            lines.append(style.dim("  (events: the rules' matches; a record that several rules match counts once for each)"))
        }
        return lines + [""]
    }

    /// One line when inputs could not be read: the report is incomplete, and which ones and
    /// why (the first five, then a count). Nothing when every input was read whole.
    package static func readingLines(_ unread: [UnreadInput], style: Style) -> [String] {
        guard !unread.isEmpty else { return [] }
        let named = unread.prefix(5).map { "\(Terminal.clean($0.path, limit: 120)) (\(Terminal.clean($0.reason, limit: 120)))" }
        let more = unread.count > 5 ? " and \(unread.count - 5) more" : ""
        let count = unread.count == 1 ? "1 input" : "\(unread.count) inputs"
        return [style.yellow("Incomplete:") + " \(count) could not be read and \(unread.count == 1 ? "is" : "are") left out: \(named.joined(separator: ", "))\(more)."]
    }

    /// One line when a rule gave up at the match limit (events may be missing); nothing otherwise.
    func limits(_ hits: [RuleLimitHit]) -> [String] {
        guard !hits.isEmpty else { return [] }
        let rules = hits.map { Terminal.clean($0.description) }.joined(separator: ", ")
        return [style.yellow("Rule limits:") + " \(rules) gave up at the match limit and counted as not matching, so events may be missing.", ""]
    }

    func timeline(_ report: Report, settings: AnalysisSettings) -> [String] {
        let cycles = report.sync.cycles
        guard !cycles.isEmpty else { return [] }
        let times = shownTimes(report).localOnly
        var lines = [style.bold("Upload timeline") + " (times \(shownTimes(report).tableClock))"]
        let nextRun = showsNextRun
        lines.append("  " + ["start".rightPadded(to: 19), "kind ".rightPadded(to: 7), "records".rightPadded(to: 8),
                             nextRun ? "next run".rightPadded(to: 19) : nil, "delay".rightPadded(to: 9), "status"].compactMap { $0 }.joined(separator: " "))
        let shownFrom = max(0, cycles.count - recentCycles)
        var folded: [UploadCycle] = []
        func flushFold() {
            guard !folded.isEmpty else { return }
            if folded.count == 1 {
                lines.append("  " + row(folded[0], nextRun: nextRun, times: times))
                folded = []
                return
            }
            let records = folded.reduce(0) { $0 + $1.records }
            let from = folded.first?.start.map { times.cell($0) } ?? "?"
            let to = folded.last?.start.map { times.cell($0) } ?? "?"
            lines.append(style.dim("  … \(folded.count) cycle\(folded.count == 1 ? "" : "s") ok, \(records) records, \(from) → \(to)"))
            folded = []
        }
        var previous: UploadCycle?
        for (index, cycle) in cycles.enumerated() {
            if let previousStart = previous?.end ?? previous?.start, let start = cycle.start,
               start.seconds(since: previousStart) > 2 * settings.uploadInterval + settings.grace {
                flushFold()
                lines.append(style.dim("  — quiet for \(describe(seconds: start.seconds(since: previousStart))) —"))
            }
            // Daylight saving time: the rows after it are at the new offset, and say so.
            if let before = previous?.start, let start = cycle.start, let change = times.change(from: before, to: start) {
                flushFold()
                lines.append(style.dim("  " + change))
            }
            previous = cycle
            if index > 0 && index < shownFrom && cycle.status == .ok {
                folded.append(cycle)
                continue
            }
            flushFold()
            lines.append("  " + row(cycle, nextRun: nextRun, times: times))
        }
        flushFold()
        if cycles.count > 1 {
            // The blocks take what the width leaves beside the label and the maximum.
            let columns = width.map { max(10, min(60, $0 - 34)) } ?? 60
            lines.append("  records per cycle " + sparkline(cycles.lazy.map(\.records), count: cycles.count, columns: columns))
        }
        return lines + [""]
    }

    /// A timeline row is 75 columns; on a narrower screen the announced next run (which the
    /// delay already measures) is left out rather than the row wrapped.
    var showsNextRun: Bool { (width ?? .max) >= 75 }

    func row(_ cycle: UploadCycle, nextRun: Bool = true, times: ShownTimes? = nil) -> String {
        let times = times ?? ShownTimes(clock: .utc, biases: BiasHistory(), asked: .utc)
        let status: String
        switch cycle.status {
        case .ok: status = style.green("ok")
        case .late: status = style.yellow("late")
        case .failed: status = style.red("failed")
        }
        let delay = cycle.delaySeconds.map { describe(seconds: $0) } ?? ""
        return [cycle.start.map { times.cell($0) } ?? "?".rightPadded(to: 16),
                "   " + cycle.kind.rawValue.rightPadded(to: 7),
                String(cycle.records).rightPadded(to: 8),
                nextRun ? (cycle.nextRun.map { times.cell($0) } ?? cycle.nextRunText.map { Terminal.clean($0, limit: 19) } ?? "-").rightPadded(to: 19) : nil,
                delay.rightPadded(to: 9), status].compactMap { $0 }.joined(separator: " ")
    }

    /// Why the upload timing was not judged, in words; nil when it was.
    static func timingNotJudged(_ timing: SyncReport.Timing) -> String? {
        switch timing {
        case .judged: nil
        case .noTimes: "no upload cycle has a time (the records carry none: plain text, or a copy form whose dates could not be read)."
        case .noReadableNextRun: "no next-run line could be read, so no cycle has an announced run to be measured against."
        }
    }

    func findings(_ report: Report) -> [String] {
        guard !report.findings.isEmpty else { return [] }
        var lines = [style.bold("Findings")]
        for finding in report.findings {
            let label = style.severity(finding.severity, finding.severity.name.uppercased())
            lines.append("  \(label)  \(finding.id)  \(Terminal.clean(finding.title))")
            lines.append("    " + Terminal.clean(finding.detail, limit: 2000))
            lines.append("    What to do: " + Terminal.clean(finding.remediation, limit: 4000))
            if !finding.evidence.isEmpty {
                lines.append("    Evidence:")
                for item in finding.evidence { lines += evidence(item) }
                if finding.count > finding.evidence.count {
                    lines.append(style.dim("      (\(finding.count - finding.evidence.count) more)"))
                }
            }
            lines.append("")
        }
        return lines
    }

    // MARK: Helpers

    /// Evidence with no width: the line's first 160 characters, as always on a pipe.
    static let evidenceLimit = 160
    /// Below this many columns beside its `file:line`, the text goes on a line of its own.
    static let evidenceRoom = 30

    /// One evidence line, `file:line  text`, fitted to the width: the place always whole
    /// (it is what to open), the text cut with `…` to what is left of the line.
    func evidence(_ item: Evidence) -> [String] {
        let place = "      \(Terminal.clean(item.input)):\(item.line)"
        guard let width else { return [place + "  " + Terminal.clean(item.text, limit: Self.evidenceLimit)] }
        // Cleaned first (an escape shows as four characters), then cut by columns.
        let text = Terminal.clean(item.text, limit: 4 * width)
        let room = width - TextWrap.columns(place) - 2
        if room >= Self.evidenceRoom || TextWrap.columns(text) <= room {
            return [place + "  " + TextWrap.truncate(text, to: room)]
        }
        return [place, "        " + TextWrap.truncate(text, to: width - 8)]
    }

    /// Records per cycle (`count` of them, walked once) as block characters, bucketed to at most `columns` columns.
    func sparkline(_ values: some Sequence<Int>, count: Int, columns: Int = 60) -> String {
        let blocks: [Character] = ["▁", "▂", "▃", "▄", "▅", "▆", "▇", "█"]
        let columns = min(columns, count)
        guard columns > 0 else { return "" }
        var buckets = [Int](repeating: 0, count: columns)
        for (index, value) in values.enumerated() where index < count {
            let bucket = index * columns / count
            buckets[bucket] = max(buckets[bucket], value)
        }
        let top = max(1, buckets.max() ?? 1)
        return String(buckets.map { blocks[min(7, $0 * 7 / top)] }) + "  (max \(top))"
    }
}
