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

/// Parses `10m`, `90s`, `1h30m`, `2h`, or a bare number of seconds; at most a year.
package func parseDuration(_ text: String) -> Double? {
    var total = 0.0
    var number = ""
    var sawUnit = false
    for character in text.lowercased() where character != " " {
        if character.isNumber || character == "." {
            number.append(character)
            continue
        }
        guard let value = Double(number) else { return nil }
        switch character {
        case "s": total += value
        case "m": total += value * 60
        case "h": total += value * 3600
        case "d": total += value * 86400
        default: return nil
        }
        number = ""
        sawUnit = true
    }
    if !number.isEmpty {
        guard let value = Double(number), !sawUnit else { return nil }
        total += value
    }
    // Beyond a year a duration is a typo, and times in ticks must never overflow.
    guard !text.isEmpty, total.isFinite, total <= 366 * 86400 else { return nil }
    return total
}
