#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import CPCRE2

/// The time limit of one search, for the searches PCRE2's step limit does not
/// bound in time (see `Matcher.search`). The pattern is compiled a second time
/// with an automatic callout before every item; the callout reads the clock
/// every `checkEvery` calls and abandons the search once the deadline passed.
/// Callouts cost about four times the plain JIT per item, which is why only
/// these searches pay for them.
struct SearchDeadline {
    /// Monotonic nanoseconds after which the search gives up.
    var deadline: UInt64 = 0
    var calls: UInt32 = 0

    /// Reading the clock costs more than most items: once per 64 of them. Between two
    /// callouts one item runs, at most a scan or a back-reference over the subject.
    static let checkEvery: UInt32 = 64

    static func now() -> UInt64 {
        var time = timespec()
        clock_gettime(CLOCK_MONOTONIC, &time)
        return UInt64(time.tv_sec) &* 1_000_000_000 &+ UInt64(time.tv_nsec)
    }

    /// Set on a match context; `data` points at the matcher's `SearchDeadline`.
    static let callout: @convention(c) (UnsafeMutablePointer<pcre2_callout_block_8>?, UnsafeMutableRawPointer?) -> Int32 = { _, data in
        guard let state = data?.assumingMemoryBound(to: SearchDeadline.self) else { return 0 }
        state.pointee.calls &+= 1
        guard state.pointee.calls % SearchDeadline.checkEvery == 0 else { return 0 }
        return SearchDeadline.now() > state.pointee.deadline ? PCRE2_ERROR_CALLOUT : 0
    }
}
