import LogMatching
/// A point in time: 100-nanosecond ticks since 1970-01-01T00:00:00Z, the
/// precision of the seven fractional digits some writers use.
package struct Instant: Comparable, Hashable, Sendable, CustomStringConvertible {
    package var ticks: Int64
    package static let ticksPerSecond: Int64 = 10_000_000

    package init(ticks: Int64) { self.ticks = ticks }

    /// The instants a four-digit year can name: 0001-01-01T00:00:00Z to 9999-12-31T23:59:59.9999999Z.
    package static let representable: ClosedRange<Int64> = -62_135_596_800 * ticksPerSecond...(253_402_300_800 * ticksPerSecond - 1)

    /// An instant within years 1-9999, or nil: a local time near either end moved past it by
    /// its bias (year 9999 with a bias of 9999 minutes) is no time at all, not year 10000
    /// written as 0000.
    package static func checked(ticks: Int64) -> Instant? {
        representable.contains(ticks) ? Instant(ticks: ticks) : nil
    }
    package init(seconds: Int64) { ticks = seconds * Instant.ticksPerSecond }

    package static func < (a: Instant, b: Instant) -> Bool { a.ticks < b.ticks }
    package static func + (a: Instant, seconds: Int64) -> Instant { Instant(ticks: a.ticks + seconds * ticksPerSecond) }
    package static func - (a: Instant, b: Instant) -> Duration { .seconds(Double(a.ticks - b.ticks) / Double(ticksPerSecond)) }

    /// Seconds between two instants, fractional.
    package func seconds(since other: Instant) -> Double { Double(ticks - other.ticks) / Double(Instant.ticksPerSecond) }

    package func adding(seconds: Double) -> Instant { Instant(ticks: ticks + Int64(seconds * Double(Instant.ticksPerSecond))) }

    /// UTC ISO 8601 with milliseconds: `2020-02-28T18:00:00.000Z` (`TimeText` writes it).
    package var iso8601: String { TimeText.iso8601(self) }

    package var description: String { iso8601 }

    /// Parses `2020-02-28T18:00:00Z`, `2020-02-28T18:00:00.5+01:00`, `2020-02-28 18:00:00`
    /// (taken as UTC): a year-first date, through the one reader of date text.
    package init?(iso8601 text: String) {
        guard let read = CultureDateReader.read(text), case .yearFirst = read.date, read.unreadWords == 0,
              read.clock?.halfDay == nil, let local = read.local(order: nil) else { return nil }
        // ISO offsets are the opposite sign of a Windows bias: UTC = local - offset.
        guard let instant = Instant.checked(ticks: local.ticksAsIfUTC - Int64(read.offsetMinutes ?? 0) * 60 * Instant.ticksPerSecond)
        else { return nil }
        self = instant
    }
}
