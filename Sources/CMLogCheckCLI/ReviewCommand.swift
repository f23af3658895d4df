import ArgumentParser
import CMLogCheckKit
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
        """)

    @OptionGroup var input: InputOptions
    @OptionGroup var analysis: AnalysisOptions

    @Option(help: ArgumentHelp("Report format: text (for people) or json (stable, docs/report-json.md).", valueName: "format"))
    var format: String = "text"

    @Option(help: ArgumentHelp("Exit 1 when a finding is at or above: error, warning, info, or never.", valueName: "severity"))
    var failOn: String = "error"

    @Option(help: ArgumentHelp("Colour: auto (a terminal without NO_COLOR), always or never.", valueName: "when"))
    var color: String = "auto"

    func validate() throws {
        guard ["text", "json"].contains(format) else { throw ValidationError("--format must be text or json") }
        guard ["error", "warning", "info", "never"].contains(failOn) else {
            throw ValidationError("--fail-on must be error, warning, info or never")
        }
        guard ["auto", "always", "never"].contains(color) else { throw ValidationError("--color must be auto, always or never") }
    }

    func run() throws {
        let context = CommandContext.current
        let catalog = try analysis.catalog()
        let settings = try analysis.settings()
        let stream = try input.stream(context: context)
        let review = Review(catalog: catalog, settings: settings)
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
