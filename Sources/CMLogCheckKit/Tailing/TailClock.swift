#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Where `tail` reads the time from: the overdue alert fires when the clock
/// passes a deadline, not only when a line arrives. Tests inject a clock they
/// move by hand, so nothing sleeps.
public protocol TailClock: AnyObject {
    var now: Instant { get }
}

/// The wall clock (UTC).
public final class SystemClock: TailClock {
    public init() {}

    public var now: Instant {
        var spec = timespec()
        clock_gettime(CLOCK_REALTIME, &spec)
        return Instant(ticks: Int64(spec.tv_sec) * Instant.ticksPerSecond + Int64(spec.tv_nsec) / 100)
    }
}

/// A clock that only moves when told to.
public final class ManualClock: TailClock {
    public var now: Instant

    public init(_ now: Instant) { self.now = now }

    public func advance(seconds: Double) { now = now.adding(seconds: seconds) }
}
