import LogMatching
/// `--since` and `--until`: the stretch of the logs a command reads. Records outside it
/// are left out while reading, before anything classifies them, so cycles, findings and
/// evidence only come from inside. Both ends are inclusive; either may be missing.
///
/// A bound is placed on each clock a record may be on (docs/clocks.md): on the UTC clock
/// always, on a server's local clock (no bias, zone unknown) only when it was given as a
/// wall-clock time without an offset. A record on the local clock met by a bound that is
/// an instant (an offset, `Z` or `now`) cannot be placed, and reading stops with an
/// `InputError` that says to pass `--tz` or give the bound as a local time.
package struct TimeWindow: Sendable, Equatable {
    /// One end of the window, on each clock.
    package struct Bound: Sendable, Equatable {
        /// The option that gave it (`--since`), for messages.
        package var option: String
        /// The bound on the UTC clock.
        package var utc: Instant
        /// The bound on a server's local wall clock; nil when it was given as an instant.
        package var local: Instant?

        package init(option: String, utc: Instant, local: Instant?) {
            self.option = option
            self.utc = utc
            self.local = local
        }

        /// The bound on `clock`, nil when it cannot be placed there.
        @inline(__always)
        package func on(_ clock: LogClock) -> Instant? { clock == .utc ? utc : local }
    }

    package var since: Bound?
    package var until: Bound?

    package init(since: Bound? = nil, until: Bound? = nil) {
        self.since = since
        self.until = until
    }

    /// Whether a time on `clock` is inside the window: two integer comparisons.
    @inline(__always)
    package func contains(_ time: Instant, on clock: LogClock, inputName: String) throws(InputError) -> Bool {
        if let since {
            guard let start = since.on(clock) else { throw TimeWindow.unplaceable(since, inputName) }
            if time < start { return false }
        }
        if let until {
            guard let end = until.on(clock) else { throw TimeWindow.unplaceable(until, inputName) }
            if time > end { return false }
        }
        return true
    }

    /// The same kind of refusal as `--at`'s on a local-clock log (`EvaluationError`).
    static func unplaceable(_ bound: Bound, _ inputName: String) -> InputError {
        InputError("\(bound.option) names an instant (with an offset, Z, or now), but the times of \(inputName) carry no bias: their zone is unknown. Pass --tz with the server's zone (or --tz local on the server itself), or give \(bound.option) as the server's local time without an offset (2022-11-29T14:30:00).")
    }
}

/// The window applied to one input while it is read: the one predicate `review` and
/// `records` share (`RecordStream.read`). A record without a time follows the last timed
/// record before it in its input; one before the input's first timed record (or in an
/// input with no times at all, plain text) is kept, since nothing places it outside.
package struct TimeWindowGate {
    package let window: TimeWindow
    let inputName: String
    private var lastTimedInside = true
    /// The clock of the input's first timed record (in or out), as the framer counts it.
    private var inputClock: LogClock?
    /// The first and last times inside the window, on the input's clock.
    package private(set) var first: Instant?
    package private(set) var last: Instant?
    /// Records left out.
    package private(set) var outside = 0

    package init(window: TimeWindow, inputName: String) {
        self.window = window
        self.inputName = inputName
    }

    /// Whether `record` is inside; no allocation, a clock comparison or two.
    @inline(__always)
    package mutating func admits(_ record: Record) throws(InputError) -> Bool {
        guard let timestamp = record.timestamp else {
            if !lastTimedInside { outside += 1 }
            return lastTimedInside
        }
        let clock = timestamp.clock
        let time = timestamp.time
        if inputClock == nil { inputClock = clock }
        let inside = try window.contains(time, on: clock, inputName: inputName)
        lastTimedInside = inside
        guard inside else {
            outside += 1
            return false
        }
        if clock == inputClock {
            if first == nil || time < first! { first = time }
            if last == nil || time > last! { last = time }
        }
        return true
    }
}
