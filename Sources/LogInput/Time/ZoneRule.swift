import LogMatching

/// A time zone from the system's time zone database (`--tz Europe/Amsterdam`,
/// or `local` for this machine's), turning bias-less local times into UTC
/// with the zone's rules, daylight saving time included.
///
/// A local time can name two instants (the repeated hour when clocks fall
/// back) or none (the hour skipped when they spring forward). Repeated times
/// are resolved by record order: of the two readings, the earliest that does
/// not go back before the input's previous record, so a log written straight
/// through the change never runs backwards. A skipped time (which a writer on
/// that zone cannot write) takes the offset in force before the change.
package struct ZoneRule: Sendable {
    package let identifier: String
    /// Nil for UTC itself, which needs no file.
    private let zone: ZoneFile?

    /// `local` is this machine's zone (`TZ`, else /etc/localtime); anything else an IANA
    /// name, matched without regard to case. Nil for a name the database lacks.
    package init?(_ name: String) {
        let lookup: (identifier: String, zone: ZoneFile?)?
        if name.lowercased() == "local" {
            lookup = ZoneDatabase.local()
        } else {
            lookup = ZoneDatabase.zone(named: name)
        }
        guard let lookup else { return nil }
        identifier = lookup.identifier
        zone = lookup.zone
    }

    /// The zone's offset from UTC at an instant, in seconds (east positive).
    package func offsetSeconds(at instant: Instant) -> Int {
        guard let zone else { return 0 }
        return zone.offsetSeconds(atUnixSeconds: PosixZoneRule.floorDivide(instant.ticks, Instant.ticksPerSecond))
    }

    /// The Windows bias (UTC = local + bias, minutes) of a local time in this zone; `after`
    /// is the input's previous record's UTC, which settles a repeated local time.
    package func bias(forLocal civil: CivilTime, after previous: Instant?) -> Int {
        let local = civil.ticksAsIfUTC
        let perSecond = Instant.ticksPerSecond
        // The offsets in force a day either side cover every rule change near this time.
        var offsets = [offsetSeconds(at: Instant(ticks: local - 86_400 * perSecond)),
                       offsetSeconds(at: Instant(ticks: local)),
                       offsetSeconds(at: Instant(ticks: local + 86_400 * perSecond))]
        offsets = Array(Set(offsets)).sorted(by: >)  // larger offset: the earlier instant
        let readings = offsets.compactMap { offset -> Instant? in
            let utc = Instant(ticks: local - Int64(offset) * perSecond)
            return offsetSeconds(at: utc) == offset ? utc : nil
        }.sorted()
        let chosen: Instant
        if readings.isEmpty {
            // Skipped by a spring-forward change: the offset before it.
            let before = offsetSeconds(at: Instant(ticks: local - Int64(offsets.max() ?? 0) * perSecond - 3600 * perSecond))
            chosen = Instant(ticks: local - Int64(before) * perSecond)
        } else if readings.count == 1 {
            chosen = readings[0]
        } else if let previous {
            chosen = readings.first { $0 >= previous } ?? readings[readings.count - 1]
        } else {
            chosen = readings[0]
        }
        return Int((chosen.ticks - local) / (60 * perSecond))
    }

    /// The instant a local time of this zone names (`after` as in `bias(forLocal:after:)`).
    package func utc(forLocal civil: CivilTime, after previous: Instant?) -> Instant {
        Instant(ticks: civil.ticksAsIfUTC + Int64(bias(forLocal: civil, after: previous)) * 60 * Instant.ticksPerSecond)
    }
}
