import ArgumentParser
import LogMatching
import LogInput
import LogRules
import LogAnalysis
import LogFindings
import LogReport
import LogFollow
import Foundation

/// The rule files every command that classifies takes.
struct RuleOptions: ParsableArguments {
    @Option(name: .customLong("rules"), help: ArgumentHelp(
        "A rule file (JSON, docs/rules.md) whose rules add to or replace the bundled ones by id. Repeatable.",
        valueName: "file"))
    var ruleFiles: [String] = []

    /// The bundled catalog with the files layered on; each pattern is compiled to check it.
    func catalog() throws -> RuleCatalog {
        do {
            var catalog = try RuleCatalog.bundled()
            for file in ruleFiles { try catalog.merge(userFile: file) }
            return catalog
        } catch {
            throw CommandFailure("bad rule: \(error)")
        }
    }
}

/// Options for commands that analyse: the rules and the numbers the analysis judges by.
struct AnalysisOptions: ParsableArguments {
    @OptionGroup var rules: RuleOptions

    @Option(help: ArgumentHelp(
        "When to judge staleness: an ISO 8601 time (2026-09-23T12:00:00Z) or 'now'. Default: the last record's time.",
        valueName: "time"))
    var at: String?

    @Option(help: ArgumentHelp("Slack allowed past an announced next run before a cycle is late (10m, 90s, 1h).", valueName: "duration"))
    var grace: String = "10m"

    @Option(help: ArgumentHelp("The upload interval Microsoft documents; change it only if yours differs.", valueName: "duration"))
    var interval: String = "15m"

    @Option(help: ArgumentHelp("A quiet stretch inside a cycle longer than this starts a new cycle (not documented; default half the interval).", valueName: "duration"))
    var cycleGap: String?

    func catalog() throws -> RuleCatalog { try rules.catalog() }

    func settings() throws -> AnalysisSettings {
        var settings = AnalysisSettings()
        let (grace, interval) = try parseSchedule(grace: grace, interval: interval)
        settings.grace = grace
        settings.uploadInterval = interval
        settings.cycleGap = interval / 2
        if let cycleGap {
            guard let gap = parseDuration(cycleGap), gap > 0 else {
                throw CommandFailure("--cycle-gap '\(cycleGap)' is not a duration of at most a year (try 7m30s)")
            }
            settings.cycleGap = gap
        }
        if let at {
            if at.lowercased() == "now" {
                settings.evaluationTime = Instant(ticks: Int64(Date().timeIntervalSince1970 * Double(Instant.ticksPerSecond)))
            } else {
                guard let time = Instant(iso8601: at) else {
                    throw CommandFailure("--at '\(at)' is not an ISO 8601 time (try 2026-09-23T12:00:00Z) or 'now'")
                }
                settings.evaluationTime = time
            }
        }
        return settings
    }
}

/// Reads `--grace` and `--interval` (review and tail share them).
func parseSchedule(grace: String, interval: String) throws -> (grace: Double, interval: Double) {
    guard let graceSeconds = parseDuration(grace), graceSeconds >= 0 else {
        throw CommandFailure("--grace '\(grace)' is not a duration of at most a year (try 10m, 90s, 1h)")
    }
    guard let intervalSeconds = parseDuration(interval), intervalSeconds > 0 else {
        throw CommandFailure("--interval '\(interval)' is not a duration of at most a year (try 15m)")
    }
    return (graceSeconds, intervalSeconds)
}
