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
    package var evaluationTime: Instant?
    /// A quiet stretch inside an open cycle longer than this ends the cycle
    /// even without a next-run line. Not documented; half the interval.
    package var cycleGap: Double = 7.5 * 60
    /// The zone of bias-less times (`--tz`), for next-run times announced by their lines.
    package var zone: ZoneRule?
    /// Evidence lines kept per finding.
    package var evidenceLimit = 5

    package init() {}
}
