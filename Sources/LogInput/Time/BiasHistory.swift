import LogMatching
/// The biases an input's records carried, kept as the changes only: the first bias, and
/// each later one with the UTC instant of the first record that carried it. A server's
/// bias changes twice a year (daylight saving time), so a log of months holds a handful;
/// each record costs one integer compare, and only a change appends (`note`).
///
/// This is what lets a report show the server's local time beside UTC for any instant it
/// shows (`offset(at:)`): the bias in force at the last record at or before it. Between
/// two records across a change the offset shown is the earlier record's, and every local
/// time is written with its offset, so the instant it names is right either way.
///
/// A log whose bias flips more than `limit` times (logs of servers in different zones
/// piped together) has no one local clock: `isSettled` is then false and nothing is
/// answered, rather than a guess.
package struct BiasHistory: Equatable, Sendable {
    /// A bias (UTC = local + bias, minutes) and the instant from which records carried it.
    package struct Change: Equatable, Sendable {
        package var since: Instant
        package var bias: Int
        package init(since: Instant, bias: Int) {
            self.since = since
            self.bias = bias
        }
    }

    /// More changes than this is no daylight saving time: two clocks mixed in one input.
    package static let limit = 32

    package private(set) var changes: [Change] = []
    /// False once the bias changed more than `limit` times: no offset is answered then.
    package private(set) var isSettled = true

    package init() {}

    package init(_ changes: [Change]) {
        for change in changes { note(change.bias, at: change.since) }
    }

    /// Whether any bias is known.
    package var isEmpty: Bool { changes.isEmpty || !isSettled }

    /// Takes one record's bias; appends only when it differs from the last one noted.
    @inline(__always)
    package mutating func note(_ bias: Int, at instant: Instant) {
        if let last = changes.last, last.bias == bias { return }
        guard isSettled else { return }
        guard changes.count < Self.limit else {
            isSettled = false
            return
        }
        changes.append(Change(since: instant, bias: bias))
    }

    /// The bias in force at `instant`: the last change at or before it, else the first
    /// one (an instant before the first record: the log's first bias). Nil when none is known.
    package func bias(at instant: Instant) -> Int? {
        guard isSettled, var found = changes.first else { return nil }
        for change in changes.dropFirst() {
            guard change.since <= instant else { break }
            found = change
        }
        return found.bias
    }

    /// The offset east of UTC at `instant`, in minutes (`-bias`: a bias of +480 is UTC-08:00).
    package func offsetMinutes(at instant: Instant) -> Int? { bias(at: instant).map { -$0 } }

    /// The distinct biases noted, in the order first met.
    package var biases: [Int] {
        var seen: [Int] = []
        for change in changes where !seen.contains(change.bias) { seen.append(change.bias) }
        return seen
    }

    /// Several inputs' histories as one, in time order (the upload log and its history
    /// files, read apart). Unsettled when any of them is.
    package static func merged(_ histories: [BiasHistory]) -> BiasHistory {
        var merged = BiasHistory()
        guard histories.allSatisfy(\.isSettled) else {
            merged.isSettled = false
            return merged
        }
        for change in histories.flatMap(\.changes).sorted(by: { $0.since < $1.since }) {
            merged.note(change.bias, at: change.since)
        }
        return merged
    }
}
