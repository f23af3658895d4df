import ArgumentParser
import Foundation
import Testing
@testable import CMLogCheckCLI
@testable import LogInput
@testable import LogRules
@testable import LogAnalysis
@testable import LogFindings

/// Option values are parsed types: bad values stop the run at parsing, with the
/// option named and the choices (or the accepted forms) shown.
@Suite("CLI: option types")
struct OptionTypesTests {
    @Test("durations: units summed, a bare number is seconds", arguments: [
        ("10m", 600.0), ("90s", 90), ("1h30m", 5400), ("1.5h", 5400), ("2d", 172_800), ("45", 45),
        (" 10 M ", 600), ("0s", 0), ("366d", 31_622_400),
    ])
    func durations(_ text: String, _ seconds: Double) {
        #expect(TimeSpan(argument: text)?.seconds == seconds)
    }

    @Test("not durations: words, units alone, signs, a trailing bare number, over a year, other digits", arguments: [
        "ten", "", "m", "1m30", "-5m", "10x", "367d", "1.2.3m", "٣m", "1e3s", "inf",
    ])
    func notDurations(_ text: String) {
        #expect(TimeSpan(argument: text) == nil)
    }

    @Test("a duration is written back in the form it is given in (help shows the defaults so)")
    func durationText() {
        #expect(TimeSpan.minutes(10).description == "10m")
        #expect(TimeSpan(seconds: 450).description == "7m30s")
        #expect(TimeSpan(seconds: 93_784).description == "1d2h3m4s")
        #expect(TimeSpan(seconds: 0).description == "0s")
    }

    @Test("a bad duration is refused before any work: the option named, with the accepted forms", arguments: [
        ["review", "--grace", "ten"], ["review", "--interval", "1m30"], ["review", "--cycle-gap", "soon"],
        ["tail", "--grace", "ten"], ["tail", "--interval", "400d"],
    ])
    func badDuration(_ arguments: [String]) {
        let result = runCLI(arguments + ["SampleLogs/lf"])
        #expect(result.status == 2)
        #expect(result.standardError.contains("The value '\(arguments[2])' is invalid for '\(arguments[1]) <duration>'"))
        #expect(result.standardError.contains("10m, 90s or 1h30m"))
        #expect(result.standardOutput.isEmpty)
    }

    @Test("an interval or cycle gap of zero is refused; a grace of zero is allowed")
    func zeroDurations() {
        let interval = runCLI(["review", "--interval", "0s", "SampleLogs/lf"])
        #expect(interval.status == 2 && interval.standardError.contains("--interval must be longer than 0s"))
        let tail = runCLI(["tail", "--interval", "0"], input: [])
        #expect(tail.status == 2 && tail.standardError.contains("--interval must be longer than 0s"))
        let gap = runCLI(["review", "--cycle-gap", "0m", "SampleLogs/lf"])
        #expect(gap.status == 2 && gap.standardError.contains("--cycle-gap must be longer than 0s"))
        #expect(runCLI(["review", "--grace", "0", "SampleLogs/lf"]).status == 0)
    }

    @Test("durations and the evaluation time reach the analysis settings")
    func settings() throws {
        let command = try ReviewCommand.parse(["--grace", "5m", "--interval", "20m", "--cycle-gap", "3m", "--at", "2026-09-23T12:00:00Z"])
        let settings = command.analysis.settings()
        #expect(settings.grace == 300 && settings.uploadInterval == 1200 && settings.cycleGap == 180)
        #expect(settings.evaluationTime == .instant(Instant(iso8601: "2026-09-23T12:00:00Z")!))
        // Without an offset: the logs' own clock, decided once the logs are read.
        let local = try ReviewCommand.parse(["--at", "2022-11-29T14:30:00"]).analysis.settings()
        #expect(local.evaluationTime == .wallClock(CivilTime(year: 2022, month: 11, day: 29, hour: 14, minute: 30, second: 0)!))
        let defaults = try ReviewCommand.parse([]).analysis.settings()
        #expect(defaults.grace == 600 && defaults.uploadInterval == 900 && defaults.cycleGap == 450 && defaults.evaluationTime == nil)
        let now = try ReviewCommand.parse(["--at", "NOW"]).analysis.settings()
        guard case .instant(let instant)? = now.evaluationTime else { Issue.record("--at now is an instant"); return }
        let seconds = instant.seconds(since: Instant(ticks: Int64(Date().timeIntervalSince1970 * 1e7)))
        #expect(abs(seconds) < 60)
        let tail = try TailCommand.parse(["--grace", "1h30m", "--interval", "10m", "--exit-on", "warning", "-n", "5"]).settings
        #expect(tail.grace == 5400 && tail.uploadInterval == 600 && tail.cycleGap == 300)
        #expect(tail.exitOn == .warning && tail.historyRecords == 5)
    }

    @Test("a closed set refuses other values, naming the option and listing the choices", arguments: [
        (["review", "--format", "xml"], "'--format <format>'. Please provide one of the following:\n  - text\n  - json\n  - html\n  - github\n  - junit\n  - sarif"),
        (["review", "--fail-on", "sometimes"], "'--fail-on <severity>'. Please provide one of 'error', 'warning', 'info' or 'never'"),
        (["review", "--color", "sometimes"], "'--color <when>'. Please provide one of 'auto', 'always' or 'never'"),
        (["review", "--inventory-date-order", "ymd"], "'--inventory-date-order <order>'. Please provide one of 'dmy' and 'mdy'"),
        (["tail", "--format", "json"], "'--format <format>'. Please provide one of 'text' and 'jsonl'"),
        (["tail", "--exit-on", "info"], "'--exit-on <severity>'. Please provide one of 'error' and 'warning'"),
        (["tail", "--color", "yes"], "'--color <when>'. Please provide one of 'auto', 'always' or 'never'"),
        (["records", "--log-format", "xml"], "'--log-format <format>'. Please provide one of 'auto', 'cmtrace', 'simple', 'copy' or 'plain'"),
        (["records", "--log", "nope"], "'--log <log>'. Please provide one of the following:"),
    ])
    func closedSets(_ arguments: [String], _ message: String) {
        let result = runCLI(arguments, input: [])
        #expect(result.status == 2)
        #expect(result.standardError.contains(message), "\(result.standardError)")
        #expect(result.standardOutput.isEmpty)
    }

    @Test("--help lists each closed set's values and completion offers them")
    func listed() throws {
        let review = CMLogCheck.helpMessage(for: ReviewCommand.self, columns: 200)
        for values in ["(values: text, json, html, github, junit, sarif; default: text)", "(values: error, warning, info, never; default: error)",
                       "(values: auto, always, never; default: auto)", "dmy               - day first: 03/04/2020 is 3 April",
                       "(values: sync, notification, generic, bgb, client,", "scripts, unknown)",
                       "(values: auto, cmtrace, simple, copy, plain; default: auto)", "(default: 10m)", "(default: 15m)"] {
            #expect(review.contains(values), "review --help lacks \(values)")
        }
        let tail = CMLogCheck.helpMessage(for: TailCommand.self, columns: 200)
        #expect(tail.contains("(values: text, jsonl; default: text)") && tail.contains("(values: error, warning)"))
        let bash = CMLogCheck.completionScript(for: .bash)
        for words in ["'text'$'\\n''json'", "'error'$'\\n''warning'$'\\n''info'$'\\n''never'", "'text'$'\\n''jsonl'",
                      "'auto'$'\\n''always'$'\\n''never'", "'sync'$'\\n''notification'"] {
            #expect(bash.contains(words), "bash completion lacks \(words)")
        }
    }

    @Test("--log takes the short names, the logs' own names and aliases, in any case")
    func logAliases() {
        for (argument, kind) in [("sync", LogKind.syncUpload), ("CMGatewaySyncUploadWorker", .syncUpload), ("UPLOAD", .syncUpload),
                                 ("notify", .notification), ("generic", .genericUpload), ("mp", .bgbServer),
                                 ("CcmNotificationAgent", .notificationAgent), ("unknown", .unknown)] {
            #expect(LogChoice(argument: argument)?.kind == kind, "\(argument)")
        }
        #expect(DateOrderChoice(argument: "DMY")?.order == .dayFirst)
        #expect(UTCOffset(argument: "+01:00")?.minutes == 60)
        #expect(UTCOffset(argument: "soon") == nil)
        let offset = runCLI(["review", "--inventory", "x.csv", "--inventory-utc-offset", "soon", "SampleLogs/lf"])
        #expect(offset.status == 2 && offset.standardError.contains("'--inventory-utc-offset <offset>'"))
    }
}

/// The one place errors become messages and exit statuses.
@Suite("CLI: error funnel")
struct ErrorFunnelTests {
    @Test("every error kind: one message on standard error and status 2; ExitCode keeps its status, silent")
    func endings() {
        let failure = CMLogCheck.Ending(CommandFailure("no input: name log files"))
        #expect(failure.status == 2 && failure.message == "cmlogcheck: no input: name log files" && !failure.toStandardOutput)
        let input = CMLogCheck.Ending(InputError("cannot open x.log: No such file or directory"))
        #expect(input.status == 2 && input.message == "cmlogcheck: cannot open x.log: No such file or directory")
        let rule = CMLogCheck.Ending(RuleError(rule: "mine", file: "r.json", message: "the id appears twice"))
        #expect(rule.status == 2 && rule.message == "cmlogcheck: bad rule: r.json: rule 'mine': the id appears twice")
        let device = CMLogCheck.Ending(DeviceFileError.notFound(.inventory, path: "x.csv"))
        #expect(device.status == 2 && device.message == "cmlogcheck: cannot read the inventory x.csv: no such file")
        let findings = CMLogCheck.Ending(ExitCode(1))
        #expect(findings.status == 1 && findings.message == nil)
        let usage = CMLogCheck.Ending(ValidationError("use either --from-start or -n, not both"))
        #expect(usage.status == 2 && usage.message?.hasPrefix("Error: use either --from-start or -n, not both") == true)
        struct Odd: Error {}
        #expect(CMLogCheck.Ending(Odd()).status == 2)
    }

    @Test("help and version are answers: standard output, status 0")
    func answers() {
        for arguments in [["--help"], ["review", "--help"], ["help", "tail"], ["--version"]] {
            let result = runCLI(arguments)
            #expect(result.status == 0, "\(arguments)")
            #expect(!result.standardOutput.isEmpty && result.standardError.isEmpty, "\(arguments)")
        }
    }

    @Test("errors the stages throw reach the funnel unwrapped, with exit 2")
    func stageErrors() throws {
        let missing = runCLI(["review", "/nonexistent/Logs"])
        #expect(missing.status == 2 && missing.standardError.hasPrefix("cmlogcheck: ") && missing.standardError.contains("/nonexistent/Logs"))
        let rules = runCLI(["rules", "--rules", "/nonexistent/rules.json"])
        #expect(rules.status == 2 && rules.standardError.hasPrefix("cmlogcheck: bad rule: /nonexistent/rules.json"))
        let tail = runCLI(["tail", "/nonexistent/Logs"])
        #expect(tail.status == 2 && tail.standardError.hasPrefix("cmlogcheck: "))
        let inventory = runCLI(["review", "--inventory", "/nonexistent/devices.csv", "SampleLogs/lf"])
        #expect(inventory.status == 2 && inventory.standardError.hasPrefix("cmlogcheck: ") && inventory.standardError.contains("/nonexistent/devices.csv"))
    }
}

/// `--help` at 80 columns: nothing wraps, and every example is whole.
@Suite("CLI: help")
struct HelpTests {
    static let commands: [(String, any ParsableCommand.Type)] = [
        ("cmlogcheck", CMLogCheck.self), ("review", ReviewCommand.self), ("records", RecordsCommand.self),
        ("rules", RulesCommand.self), ("tail", TailCommand.self), ("explain", ExplainCommand.self),
    ]

    @Test("every help screen fits 80 columns and shows each example on one line", arguments: 0..<6)
    func fits(_ index: Int) {
        let (name, command) = Self.commands[index]
        let help = CMLogCheck.helpMessage(for: command, columns: 80)
        let lines = help.split(separator: "\n", omittingEmptySubsequences: false)
        for line in lines where line.count > 80 { Issue.record("\(name) --help: \(line.count) columns: \(line)") }
        let discussion = command.configuration.discussion
        guard let examples = discussion.range(of: "Examples:\n") else {
            Issue.record("\(name) has no examples")
            return
        }
        let exampleLines = discussion[examples.upperBound...].split(separator: "\n").filter { $0.hasPrefix("  ") }
        #expect(!exampleLines.isEmpty)
        for example in exampleLines {
            #expect(lines.contains(example), "\(name) --help wraps or drops: \(example)")
        }
    }

@Suite("subcommand typos")
struct SubcommandTypoTests {
    @Test("a misspelt subcommand is refused with the one meant, exit 2; a real file of that name is still read")
    func typo() throws {
        let result = runCLI(["reveiw", "SampleLogs/lf"])
        #expect(result.status == 2)
        #expect(result.standardError == "cmlogcheck: 'reveiw' is not a subcommand, nor a file or folder: did you mean 'review'? (cmlogcheck --help lists the subcommands)\n")
        #expect(runCLI(["recrods", "--count", "SampleLogs/lf"]).standardError.contains("did you mean 'records'?"))
        #expect(runCLI(["tial"]).standardError.contains("did you mean 'tail'?"))
        // Far from every name: an ordinary missing path, as before.
        #expect(!runCLI(["Logs-copy"]).standardError.contains("did you mean"))
        #expect(SubcommandTypo.check(["reveiw"], fileExists: { _ in true }) == nil)
        #expect(SubcommandTypo.check(["review"]) == nil && SubcommandTypo.check(["--format"]) == nil)
        #expect(SubcommandTypo.distance("reveiw", "review") == 1)
    }
}

}
