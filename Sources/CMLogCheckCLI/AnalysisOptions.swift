import ArgumentParser
import LogMatching
import LogInput
import LogRules
import LogAnalysis
import LogFindings
import LogReport
import LogFollow
import FoundationEssentials

/// The rule files every command that classifies takes.
struct RuleOptions: ParsableArguments {
    @Option(name: .customLong("rules"), help: ArgumentHelp(
        "A rule file (JSON, docs/rules.md) whose rules add to or replace the bundled ones by id. Repeatable.",
        valueName: "file"))
    var ruleFiles: [String] = []

    /// The bundled catalog with the files layered on; parsing compiles each pattern to check it.
    func catalog() throws(RuleError) -> RuleCatalog {
        var catalog = try RuleCatalog.bundled()
        for file in ruleFiles { try catalog.merge(userFile: file) }
        return catalog
    }

    /// The catalog compiled for matching, once for the whole run: every consumer shares it.
    /// A rule switched off at its limit budget is named on standard error when it happens.
    func compiled() throws(RuleError) -> CompiledCatalog {
        let compiled = try CompiledCatalog(catalog())
        // Classifiers run on the command's own thread (review's reader thread only frames
        // records), the one that writes standard error.
        nonisolated(unsafe) let errors = CommandContext.current.standardError
        compiled.onRuleDisabled { id in errors.write("cmlogcheck: \(Terminal.clean(RuleLimitHit.disabledWarning(rule: id), limit: 4000))\n") }
        return compiled
    }
}

/// The upload schedule review and tail judge by (`--grace`, `--interval`).
struct ScheduleOptions: ParsableArguments {
    @Option(help: ArgumentHelp(
        "Slack allowed past an announced next run before the upload is late (\(TimeSpan.forms)).",
        valueName: "duration"))
    var grace: TimeSpan = .minutes(10)

    @Option(help: ArgumentHelp(
        "The upload interval Microsoft documents; change it only if yours differs (\(TimeSpan.forms)).",
        valueName: "duration"))
    var interval: TimeSpan = .minutes(15)

    func validate() throws {
        // A zero interval would make every moment a missed run.
        guard interval.seconds > 0 else { throw ValidationError("--interval must be longer than 0s (try 15m)") }
    }
}

/// Options for commands that analyse: the rules and the numbers the analysis judges by.
struct AnalysisOptions: ParsableArguments {
    @OptionGroup var rules: RuleOptions
    @OptionGroup var schedule: ScheduleOptions

    @Option(help: ArgumentHelp(
        "When to judge staleness: 'now', an ISO 8601 time with an offset (2026-09-23T12:00:00Z), or, for logs without a bias, the server's local time without one. Default: the last record's time.",
        valueName: "time"))
    var at: EvaluationTime?

    @Option(help: ArgumentHelp(
        "A quiet stretch inside a cycle longer than this starts a new cycle (\(TimeSpan.forms); not documented; default half the interval).",
        valueName: "duration"))
    var cycleGap: TimeSpan?

    func validate() throws {
        if let cycleGap, cycleGap.seconds <= 0 { throw ValidationError("--cycle-gap must be longer than 0s (try 7m30s)") }
    }

    func settings() -> AnalysisSettings {
        var settings = AnalysisSettings()
        settings.grace = schedule.grace.seconds
        settings.uploadInterval = schedule.interval.seconds
        settings.cycleGap = cycleGap?.seconds ?? schedule.interval.seconds / 2
        settings.evaluationTime = at?.moment
        return settings
    }
}
