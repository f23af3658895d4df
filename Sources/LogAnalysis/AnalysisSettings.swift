import LogInput
import LogRules
/// The numbers the analysis judges by. Defaults follow what Microsoft
/// documents (an upload every 15 minutes); the rest are cmlogcheck's choices,
/// all overridable from the command line.
package struct AnalysisSettings: Sendable {
    /// Documented: "Upload happens every 15 minutes for changes".
    package var uploadInterval: Double = 15 * 60
    /// Slack allowed past an announced next run before a cycle counts as late (`--grace`).
    package var grace: Double = 10 * 60
    /// When staleness is judged (`--at`); nil means the last record's time,
    /// since a copied log is read long after it was written.
    package var evaluationTime: EvaluationMoment?
    /// A quiet stretch inside an open cycle longer than this ends the cycle
    /// even without a next-run line. Not documented; half the interval.
    package var cycleGap: Double = 7.5 * 60
    /// The zone of bias-less times (`--tz`), for next-run times announced by their lines.
    package var zone: ZoneRule?
    /// Evidence lines kept per finding.
    package var evidenceLimit = 5

    package init() {}
}

/// When to judge staleness (`--at`), as given: an instant (a time with an offset, or
/// `now`), or a wall-clock time without one, whose meaning depends on the logs' clock.
package enum EvaluationMoment: Sendable, Equatable {
    case instant(Instant)
    case wallClock(CivilTime)

    /// The moment on the logs' clock. A wall-clock time is read on a local-clock log as its
    /// local time, and on a UTC log as UTC (or in `zone` when `--tz` names it). An instant
    /// cannot be placed on a local clock whose zone nobody named.
    package func resolved(on clock: LogClock, zone: ZoneRule?) throws(EvaluationError) -> Instant {
        switch (self, clock) {
        case (.instant(let instant), .utc):
            return instant
        case (.wallClock(let civil), .utc):
            return zone.map { $0.utc(forLocal: civil, after: nil) } ?? Instant(ticks: civil.ticksAsIfUTC)
        case (.wallClock(let civil), .local):
            return Instant(ticks: civil.ticksAsIfUTC)
        case (.instant, .local):
            throw EvaluationError()
        }
    }
}

/// `--at` named an instant (an offset, `Z` or `now`) for logs whose times carry no bias.
package struct EvaluationError: Error, Sendable {
    package let message = "--at names an instant (with an offset, Z, or now), but these logs' times carry no bias: their zone is unknown. Pass --tz with the server's zone (or --tz local on the server itself), or give --at as the server's local time without an offset (2022-11-29T14:30:00)."
}
