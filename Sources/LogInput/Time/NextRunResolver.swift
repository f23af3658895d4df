import LogMatching
/// Settles the next-run date that the upload worker writes in the server's
/// culture (.NET `DateTime.ToString()`): `02/28/2020 16:35:31` (en-US,
/// documented), `28-2-2020 16:35:31` (nl-NL), `28.02.2020 16:35:31` (de-DE),
/// `2020/02/28 16:35:31`, `2020-03-03 오후 11:15:02` (ko-KR), `3.3.2020 16.35.31`
/// (fi-FI), and any other shape `CultureDateReader` reads. What the text leaves
/// open (day/month order, a two-digit year's place, the half of the day when a
/// 12-hour designator is in a language not known) is settled from context, never
/// by assuming a culture: the run is announced about one upload interval ahead, so
/// of the readings, the one nearest the line's own local time plus the interval wins.
package enum NextRunResolver {
    package struct Resolution: Sendable, Equatable {
        package var local: CivilTime
        /// The day/month order the date was read in; nil where none was needed (year first).
        package var order: DateOrder?
        /// The instant, when the record carries a bias (or the text names a zone).
        package var utc: Instant?
    }

    /// How far from the expected time (the line's time plus the interval) a reading may
    /// lie, beyond the interval itself. Not documented by Microsoft: chosen so that any
    /// difference of clocks (zones are at most 14 h apart) passes, while a reading days
    /// or centuries off (a Hijri, Persian or Buddhist year read as Gregorian, a wrong
    /// century for `yy`) is refused as unreadable rather than becoming a late cycle.
    package static let plausibleDistance: Double = 86_400

    /// The announced run, or nil when the text is no date and time, or its reading stays
    /// open (ambiguous, with no line time to judge by), or is implausible.
    package static func resolve(_ text: String, writtenAt timestamp: LogTimestamp?, interval: Double) -> Resolution? {
        guard let read = CultureDateReader.read(text), read.clock != nil else { return nil }
        let readings = read.readings()
        guard var best = readings.first else { return nil }
        if let written = timestamp?.local {
            let expected = Double(written.ticksAsIfUTC) / Double(Instant.ticksPerSecond) + interval
            func distance(_ reading: CultureDateText.Reading) -> Double {
                abs(Double(reading.local.ticksAsIfUTC) / Double(Instant.ticksPerSecond) - expected)
            }
            best = readings.min { distance($0) < distance($1) }!
            guard distance(best) <= plausibleDistance + max(interval, 0) else { return nil }
        } else if readings.count > 1 {
            return nil  // ambiguous, and nothing to judge by
        }
        let ticksPerMinute = 60 * Instant.ticksPerSecond
        let utc: Instant? = if let offset = read.offsetMinutes {
            Instant.checked(ticks: best.local.ticksAsIfUTC - Int64(offset) * ticksPerMinute)   // ISO sign: east of UTC
        } else {
            timestamp?.bias.flatMap { Instant.checked(ticks: best.local.ticksAsIfUTC + Int64($0) * ticksPerMinute) }
        }
        return Resolution(local: best.local, order: best.order, utc: utc)
    }
}
