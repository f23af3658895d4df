import ArgumentParser
import LogMatching
import LogInput
import LogRules
import LogAnalysis
import LogFindings
import LogReport
import LogFollow
import FoundationEssentials
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// `cmlogcheck review`: the verdict on tenant attach, with evidence and what to do.
struct ReviewCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "review",
        abstract: "Review tenant attach logs: is the device upload running, what failed, and what to do.",
        discussion: """
        Reads the service connection point's logs (and the management point's and
        client's for device actions), builds the upload timeline, and reports
        findings with evidence.

        Exit status: 0 no finding at or above --fail-on, 1 there is one (or no
        tenant attach data was found at all, or an input could not be read: the
        report is incomplete; unless --fail-on never), 2 bad usage or input.
        Durations are numbers with the units s, m, h or d, such as
        10m, 90s or 1h30m; at most a year.

        Examples:
          cmlogcheck review \\
            'C:\\Program Files\\Microsoft Configuration Manager\\Logs'
          cmlogcheck review CMGatewaySyncUploadWorker.lo_ \\
            CMGatewaySyncUploadWorker.log
          cat CMGatewaySyncUploadWorker.lo_ CMGatewaySyncUploadWorker.log \\
            | cmlogcheck review
          cmlogcheck review --format json Logs/ | jq '.findings[].id'
          cmlogcheck review --format html Logs/ > review.html
          cmlogcheck review --at now --grace 5m Logs/
          cmlogcheck review --since 2026-09-22T08:00:00Z --until now Logs/
          cmlogcheck review --fail-on warning Logs/    # CI: exit 1 on warnings
          cmlogcheck review --output json=review.json \\
            --output html=review.html Logs/
          cmlogcheck review --time utc Logs/           # times in UTC only
          cmlogcheck review --inventory devices.csv --cloud cloud.csv Logs/
        """)

    @OptionGroup var input: InputOptions
    @OptionGroup var analysis: AnalysisOptions
    @OptionGroup var span: WindowOptions

    @Option(help: ArgumentHelp("Report format: text (for people), json (stable, docs/report-json.md), html (one self-contained page, docs/html.md), github (GitHub Actions annotations), junit (JUnit XML test results) or sarif (SARIF 2.1.0 for code scanning), docs/ci.md.", valueName: "format"))
    var format: ReportFormat = .text

    @Option(name: .customLong("output"), help: ArgumentHelp(
        "Also write the review in FORMAT (text, json, html, github, junit, sarif) to FILE, from the same run; repeatable: --output json=review.json --output html=review.html.",
        valueName: "format=file"))
    var outputs: [ReportFileRequest] = []

    @Option(help: ArgumentHelp("Exit 1 when a finding is at or above this severity, or when no tenant attach data was found (never: exit 0).", valueName: "severity"))
    var failOn: FailThreshold = .error

    @Option(help: ArgumentHelp(
        "Clock of the text and HTML reports' times: utc, local (the server's, as CMTrace shows it, with its offset) or both (local, then UTC). Default: both; a clock the logs do not give is replaced by the one they do, and the report says so (docs/clocks.md).",
        valueName: "clock"))
    var time: TimeChoice?

    @Option(help: ArgumentHelp("Colour: auto (a terminal without NO_COLOR), always or never.", valueName: "when"))
    var color: ColorChoice = .auto

    @Option(help: ArgumentHelp(
        "A CSV of the site's devices (name, resource ID, distribution point yes/no, client and distribution point certificate thumbprints, last change): flags distribution points that share one certificate with their client (docs/devices.md).",
        valueName: "file"))
    var inventory: String?

    @Option(help: ArgumentHelp(
        "The admin center's device list export (CSV with Device name, Managed by), to confirm which devices are there. Needs --inventory.",
        valueName: "file"))
    var cloud: String?

    @Option(help: ArgumentHelp(
        "Day/month order of inventory dates such as 03/04/2020: dmy or mdy. Default: settled by the file's own dates, else refused.",
        valueName: "order"))
    var inventoryDateOrder: DateOrderChoice?

    @Option(help: ArgumentHelp(
        "UTC offset of inventory times written without one (+01:00, -05:00). Default: read as UTC, and the report says so.",
        valueName: "offset"))
    var inventoryUtcOffset: UTCOffset?

    func validate() throws {
        if inventory == nil {
            if cloud != nil { throw ValidationError("--cloud needs --inventory: the cloud export is checked against the inventory's devices") }
            if inventoryDateOrder != nil || inventoryUtcOffset != nil {
                throw ValidationError("--inventory-date-order and --inventory-utc-offset need --inventory")
            }
        }
    }

    /// The devices stage, when --inventory is given: reads the files (exit 2 when they
    /// cannot be used) and tells on standard error what was left out of them.
    func deviceFiles(rules: CompiledCatalog, errors: Output) throws -> (Inventory, CloudExport?)? {
        guard let path = inventory else { return nil }
        let deviceLines = rules.catalog.rules.contains { $0.event == .deviceUploaded || $0.event == .deviceRemoved }
        let options = InventoryReadOptions(dateOrder: inventoryDateOrder?.order, utcOffsetMinutes: inventoryUtcOffset?.minutes,
                                           deviceLines: deviceLines)
        // The cloud export first, as name hashes: the inventory keeps only the devices a
        // review judges, and those it lacks are among them (docs/devices.md, memory).
        var export = try cloud.map { try CloudExport.load(path: $0) }
        let inventory = try Inventory.load(path: path, options: options, cloud: export)
        tell(inventory.skipped, count: inventory.skippedCount, notes: inventory.notes, file: path, to: errors)
        if inventory.distributionPoints == 0 {
            let column = inventory.columns[.isDistributionPoint] ?? "is distribution point"
            errors.write("cmlogcheck: \(Terminal.clean(path, limit: 500)): no device is marked as a distribution point (column '\(Terminal.clean(column, limit: 100))'), so none can share its certificate with its client\n")
        }
        try export?.fetchEntries(for: inventory.devices)
        if let export, let cloud { tell(export.skipped, count: export.skippedCount, notes: export.notes, file: cloud, to: errors) }
        return (inventory, export)
    }

    /// Skipped rows with their line numbers (the first 20, then a count of all the others), and notes.
    func tell(_ skipped: [SkippedRow], count: Int, notes: [DeviceFileNote], file: String, to errors: Output) {
        // Notes and reasons quote the CSV's own cells: cleaned like log text.
        for note in notes { errors.write("cmlogcheck: \(Terminal.clean(file)): \(Terminal.clean(note.sentence, limit: 1000))\n") }
        for row in skipped.prefix(20) {
            errors.write("cmlogcheck: \(Terminal.clean(file)) line \(row.line): \(Terminal.clean(row.reason.sentence, limit: 500)); row skipped\n")
        }
        if count > 20 { errors.write("cmlogcheck: \(Terminal.clean(file, limit: 500)): \(count - 20) more rows skipped\n") }
    }

    func run() throws {
        let context = CommandContext.current
        let rules = try analysis.rules.compiled()
        var settings = analysis.settings()
        settings.zone = input.readOptions().zone
        let devices = try deviceFiles(rules: rules, errors: context.standardError)
        let files = try ReportFiles(outputs)
        let window = span.window(zone: settings.zone)
        // Progress for a person watching standard error; erased before anything else is written there.
        let progress = context.standardError === Output.standardError && isatty(2) == 1 ? ProgressWriter(output: context.standardError) : nil
        defer { progress?.finish() }
        // Logs copied from several servers are reviewed apart: one timeline, one clock each.
        var servers: [ServerReports.Server] = []
        var summaries: [InputSummary] = []
        let resolved = try input.resolved(context: context, errors: context.standardError)
        var unread = resolved.unread
        var unreadWhileReading: [UnreadInput] = []
        for group in ServerGroups.group(resolved.inputs) {
            let stream = input.stream(group.inputs, context: context, window: window)
            stream.progress = progress
            let analyzers = devices.map { [DeviceAnalyzer(inventory: $0.0, cloud: $0.1)] } ?? []
            let review = try Review(rules: rules, settings: settings, extraAnalyzers: analyzers)
            let report = try review.run(stream)
            servers.append(.init(name: group.name, report: report, ruleLimitHits: review.ruleLimitHits))
            summaries += stream.summaries
            unreadWhileReading += stream.unread
        }
        progress?.finish()
        tellUnread(unreadWhileReading, to: context.standardError)
        unread += unreadWhileReading
        try reportReading(summaries, unread: unread, to: context.standardError)
        let reports = ServerReports(servers: servers, window: window, unread: unread)
        let hits = RuleLimitHit.merged(servers.map(\.ruleLimitHits))
        if let summary = RuleLimitHit.summary(hits) { context.standardError.write("cmlogcheck: \(Terminal.clean(summary, limit: 4000))\n") }
        for problem in Set(servers.compactMap { $0.report.sync.cycles.spillProblem?.message }).sorted() {
            context.standardError.write("cmlogcheck: \(Terminal.clean(problem, limit: 1000))\n")
        }
        func write(_ format: ReportFormat, to out: Output, colour: Bool, width: Int? = nil) {
            switch format {
            case .json:
                ServersReport.writeJSON(reports, to: out)
            case .html:
                HTMLReport.write(reports, settings: settings, time: time, to: out)
            case .github:
                GitHubReport.write(reports, to: out)
            case .junit:
                JUnitReport.write(reports, to: out)
            case .sarif:
                SARIFReport.write(reports, to: out)
            case .text:
                ServersReport.writeText(reports, text: TextReport(style: Style(enabled: colour), width: width, time: time), settings: settings, to: out)
            }
        }
        write(format, to: context.standardOutput, colour: color.enabled(isTerminal: context.outputIsTerminal), width: context.textWidth)
        // Files get colour only with --color always: they are read later, in other tools.
        try files.write { format, out in write(format, to: out, colour: color == .always) }
        if let threshold = failOn.severity, reports.findings.contains(where: { $0.severity >= threshold }) {
            throw ExitCode(1)
        }
        // Nothing recognised is no answer: a pipeline pointed at the wrong folder must not pass.
        if failOn != .never, reports.verdict == .noData {
            throw ExitCode(1)
        }
        // A review that left inputs out counts as failed for any --fail-on but never: what it
        // did not read may hold the failure.
        if failOn.severity != nil && !reports.readingComplete { throw ExitCode(1) }
    }
}
