import LogMatching
/// A ConfigMgr timestamp: local calendar time plus the writer's bias.
/// The bias follows the Windows convention, UTC = local + bias (minutes):
/// `10:00:00.000+480` is 18:00 UTC, `08:06:34.590-060` is 07:06:34.590 UTC.
package struct LogTimestamp: Equatable, Sendable {
    package var local: CivilTime
    /// Minutes to add to local time to get UTC; nil when the line carries none.
    package var bias: Int?
    /// Whether `bias` came from `--tz`'s zone rules rather than the line or `--bias`.
    package var biasFromZone = false

    package init(local: CivilTime, bias: Int?) {
        self.local = local
        self.bias = bias
    }

    /// The UTC instant, or nil without a bias, and nil when the bias moves the time out of
    /// years 1-9999 (`RecordFramer` then reads the record as having no time, and counts it).
    package var utc: Instant? {
        guard let bias else { return nil }
        return Instant.checked(ticks: local.ticksAsIfUTC + Int64(bias) * 60 * Instant.ticksPerSecond)
    }

    /// Reads a CMTrace `date` (`02-28-2020`, `9-23-2026`, month first as
    /// ConfigMgr always writes it) and `time` (`16:20:31.497+480`,
    /// `10:00:00.0000000+480`, `16:20:31.497+0`, `16:20:31.497`).
    package static func parse(date: UnsafeRawBufferPointer, time: UnsafeRawBufferPointer) -> LogTimestamp? {
        var dateReader = DigitReader(date)
        guard let month = dateReader.number(max: 2),
              dateReader.skip("-") || dateReader.skip("/"),
              let day = dateReader.number(max: 2),
              dateReader.skip("-") || dateReader.skip("/"),
              let year = dateReader.number(exactly: 4), dateReader.atEnd else { return nil }
        var reader = DigitReader(time)
        guard let clock = reader.clock(),
              let local = CivilTime(year: year, month: month, day: day, hour: clock.hour,
                                    minute: clock.minute, second: clock.second, fractionTicks: clock.fraction)
        else { return nil }
        var bias: Int?
        if let sign = reader.peek, sign == UInt8(ascii: "+") || sign == UInt8(ascii: "-") {
            reader.advance()
            guard let value = reader.number(max: 4) else { return nil }
            bias = sign == UInt8(ascii: "-") ? -value : value
        }
        guard reader.atEnd else { return nil }
        return LogTimestamp(local: local, bias: bias)
    }
}

extension DigitReader {
    /// `H:MM:SS` with optional fraction: the fixed CMTrace/simple trailer clock, read here
    /// without the culture reader (12-hour clocks and other separators: `CultureDateReader`).
    mutating func clock() -> (hour: Int, minute: Int, second: Int, fraction: Int64)? {
        guard let hour = number(max: 2), skip(":"), let minute = number(exactly: 2),
              skip(":"), let second = number(exactly: 2) else { return nil }
        var fraction: Int64 = 0
        if skip(".") || skip(",") { fraction = fractionTicks() }
        return (hour, minute, second, fraction)
    }
}
