import ArgumentParser
import LogMatching
import LogInput
import LogRules
import LogAnalysis
import LogFindings
import LogReport
import LogFollow

/// `cmlogcheck records`: the framed records as JSON Lines.
struct RecordsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "records",
        abstract: "Print every log record as one JSON object per line (JSON Lines).",
        // ArgumentParser would list every option here, on one line far past 80 columns.
        usage: "cmlogcheck records [<options>] [<path> ...]",
        discussion: """
        Each record carries its input, line numbers, format, component, thread,
        severity, local time, bias, UTC time and message (see docs/records.md).

        Examples:
          cmlogcheck records CMGatewaySyncUploadWorker.log | jq -r .message
          cmlogcheck records --grep 'Batching \\d+ records' Logs/
          cat CMGatewayNotificationWorker.log | cmlogcheck records --count
          cmlogcheck records --format simple --log sync pasted.txt
          cmlogcheck records --since 2026-09-23T08:00:00 --count Logs/
        """)

    @OptionGroup var input: InputOptions
    @OptionGroup var span: WindowOptions

    @Option(help: ArgumentHelp("Same as --log-format.", valueName: "format"))
    var format: LogFormatChoice?

    @Option(help: ArgumentHelp("Keep only records whose message matches this PCRE2 pattern.", valueName: "pattern"))
    var grep: String?

    @Flag(help: "Print only the number of (matching) records.")
    var count = false

    func run() throws {
        let context = CommandContext.current
        var input = self.input
        if let format { input.logFormat = format }
        let resolved = try input.resolved(context: context, errors: context.standardError)
        let stream = input.stream(resolved.inputs, context: context, window: span.window(zone: input.readOptions().zone))
        var matcher: Matcher?
        if let grep {
            do {
                matcher = try Pattern(grep).matcher()
            } catch {
                throw CommandFailure("--grep: \(error)")
            }
        }
        var total = 0
        if count {
            try stream.run { record in
                if let matcher, !matcher.matches(record.message, from: 0) { return }
                total += 1
            }
        } else {
            let output = context.standardOutput
            let writer = RecordLineWriter(output: output, inputs: stream.summaries)
            try stream.run { record in
                if let matcher, !matcher.matches(record.message, from: 0) { return }
                writer.write(record)
                // A closed pipe (`| head -1`) or a full disk: stop reading now, not at the end of a 1 GiB log.
                try output.check()
            }
        }
        tellUnread(stream.unread, to: context.standardError)
        let unread = resolved.unread + stream.unread
        try reportReading(stream.summaries, unread: unread, to: context.standardError)
        // A record on which the pattern gave up was left out though it may match: say so.
        if let matcher, matcher.limitHits > 0 {
            let records = "\(matcher.limitHits) record\(matcher.limitHits == 1 ? "" : "s")"
            context.standardError.write("cmlogcheck: --grep hit the match limit on \(records) and left \(matcher.limitHits == 1 ? "it" : "them") out as not matching; simplify the pattern (nested quantifiers such as (a+)+ backtrack without end)\n")
        }
        if count { context.standardOutput.write("\(total)\n") }
        if !unread.isEmpty {
            // The records of the rest were written; a script must still learn that some are missing.
            let inputs = unread.count == 1 ? "1 input" : "\(unread.count) inputs"
            context.standardError.write("cmlogcheck: \(inputs) could not be read (named above); the records of the rest were written\n")
            throw ExitCode(2)
        }
    }
}
