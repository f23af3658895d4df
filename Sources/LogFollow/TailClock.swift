import LogInput
import LogRules
import LogAnalysis
import LogFindings
import LogReport
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Where `tail` reads the time from: the overdue alert fires when the clock
/// passes a deadline, not only when a line arrives. Tests inject a clock they
/// move by hand, so nothing sleeps.
package protocol TailClock: AnyObject {
    var now: Instant { get }
}

/// The wall clock (UTC).
package final class SystemClock: TailClock {
    package init() {}

    package var now: Instant {
        var spec = timespec()
        clock_gettime(CLOCK_REALTIME, &spec)
        return Instant(ticks: Int64(spec.tv_sec) * Instant.ticksPerSecond + Int64(spec.tv_nsec) / 100)
    }
}

/// A clock that only moves when told to.
package final class ManualClock: TailClock {
    package var now: Instant

    package init(_ now: Instant) { self.now = now }

    package func advance(seconds: Double) { now = now.adding(seconds: seconds) }
}
