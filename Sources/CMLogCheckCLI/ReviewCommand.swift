import ArgumentParser
import LogMatching
import LogInput
import LogRules
import LogAnalysis
import LogFindings
import LogReport
import LogFollow
import Foundation

/// `cmlogcheck review`: the verdict on tenant attach, with evidence and what to do.
struct ReviewCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "review",
        abstract: "Review tenant attach logs: is the device upload running, what failed, and what to do.",
        discussion: """
        Reads the service connection point's logs (and the management point's and client's
        for device actions), builds the upload timeline, and reports findings with evidence.
        Exit status: 0 no finding at or above --fail-on, 1 there is one, 2 bad usage or input.

        Examples:
          cmlogcheck review 'C:\\Program Files\\Microsoft Configuration Manager\\Logs'
          cmlogcheck review CMGatewaySyncUploadWorker.lo_ CMGatewaySyncUploadWorker.log
          cat CMGatewaySyncUploadWorker.lo_ CMGatewaySyncUploadWorker.log | cmlogcheck review
          cmlogcheck review --format json Logs/ | jq '.findings[].id'
          cmlogcheck review --at now --grace 5m Logs/
          cmlogcheck review --fail-on warning SampleLogs/late-cycles   # CI: exit 1 on warnings
          cmlogcheck review --inventory devices.csv --cloud cloud.csv Logs/   # docs/devices.md
        """)

    @OptionGroup var input: InputOptions
    @OptionGroup var analysis: AnalysisOptions

    @Option(help: ArgumentHelp("Report format: text (for people) or json (stable, docs/report-json.md).", valueName: "format"))
    var format: String = "text"

    @Option(help: ArgumentHelp("Exit 1 when a finding is at or above: error, warning, info, or never.", valueName: "severity"))
    var failOn: String = "error"

    @Option(help: ArgumentHelp("Colour: auto (a terminal without NO_COLOR), always or never.", valueName: "when"))
    var color: String = "auto"

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
    var inventoryDateOrder: String?

    @Option(help: ArgumentHelp(
        "UTC offset of inventory times written without one (+01:00, -05:00). Default: read as UTC, and the report says so.",
        valueName: "offset"))
    var inventoryUtcOffset: String?

    func validate() throws {
        guard ["text", "json"].contains(format) else { throw ValidationError("--format must be text or json") }
        guard ["error", "warning", "info", "never"].contains(failOn) else {
            throw ValidationError("--fail-on must be error, warning, info or never")
        }
        guard ["auto", "always", "never"].contains(color) else { throw ValidationError("--color must be auto, always or never") }
        if inventory == nil {
            if cloud != nil { throw ValidationError("--cloud needs --inventory: the cloud export is checked against the inventory's devices") }
            if inventoryDateOrder != nil || inventoryUtcOffset != nil {
                throw ValidationError("--inventory-date-order and --inventory-utc-offset need --inventory")
            }
        }
        if let order = inventoryDateOrder, DateOrder(rawValue: order.lowercased()) == nil {
            throw ValidationError("--inventory-date-order must be dmy (day first) or mdy (month first)")
        }
        if let offset = inventoryUtcOffset, InventoryReadOptions.parseOffset(offset) == nil {
            throw ValidationError("--inventory-utc-offset '\(offset)' is not a UTC offset (try +01:00 or -05:00)")
        }
    }

    /// The devices stage, when --inventory is given: reads the files (exit 2 when they
    /// cannot be used) and tells on standard error what was left out of them.
    func deviceAnalyzer(errors: Output) throws -> DeviceAnalyzer? {
        guard let path = inventory else { return nil }
        var options = InventoryReadOptions()
        options.dateOrder = inventoryDateOrder.flatMap { DateOrder(rawValue: $0.lowercased()) }
        options.utcOffsetMinutes = inventoryUtcOffset.flatMap(InventoryReadOptions.parseOffset)
        do {
            let inventory = try Inventory.load(path: path, options: options)
            tell(inventory.skipped, notes: inventory.notes, file: path, to: errors)
            if inventory.distributionPoints == 0 {
                let column = inventory.columns[.isDistributionPoint] ?? "is distribution point"
                errors.write("cmlogcheck: \(path): no device is marked as a distribution point (column '\(column)'), so none can share its certificate with its client\n")
            }
            let export = try cloud.map { try CloudExport.load(path: $0) }
            if let export, let cloud { tell(export.skipped, notes: export.notes, file: cloud, to: errors) }
            return DeviceAnalyzer(inventory: inventory, cloud: export)
        } catch let error as DeviceFileError {
            throw CommandFailure(error.message)
        }
    }

    /// Skipped rows with their line numbers (the first 20, then a count), and notes.
    func tell(_ skipped: [SkippedRow], notes: [String], file: String, to errors: Output) {
        // Notes and reasons quote the CSV's own cells: cleaned like log text.
        for note in notes { errors.write("cmlogcheck: \(Terminal.clean(file)): \(Terminal.clean(note, limit: 1000))\n") }
        for row in skipped.prefix(20) {
            errors.write("cmlogcheck: \(Terminal.clean(file)) line \(row.line): \(Terminal.clean(row.reason, limit: 500)); row skipped\n")
        }
        if skipped.count > 20 { errors.write("cmlogcheck: \(file): \(skipped.count - 20) more rows skipped\n") }
    }

    func run() throws {
        let context = CommandContext.current
        let catalog = try analysis.catalog()
        let settings = try analysis.settings()
        let devices = try deviceAnalyzer(errors: context.standardError)
        let stream = try input.stream(context: context)
        let review = Review(catalog: catalog, settings: settings, extraAnalyzers: devices.map { [$0] } ?? [])
        let report = try review.run(stream)
        try reportReading(stream.summaries, to: context.standardError)
        if format == "json" {
            ReportJSON.write(report, to: context.standardOutput)
        } else {
            let colour = Style.decide(color, isTerminal: context.outputIsTerminal, environment: ProcessInfo.processInfo.environment)
            TextReport(style: Style(enabled: colour)).write(report, settings: settings, to: context.standardOutput)
        }
        if let threshold = Severity(name: failOn), report.findings.contains(where: { $0.severity >= threshold }) {
            throw ExitCode(1)
        }
    }
}
