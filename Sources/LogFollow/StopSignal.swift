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

/// Ctrl-C (SIGINT) and SIGTERM for a command that waits in poll(): the
/// handler only records the signal and writes one byte to a pipe (both
/// async-signal-safe), and the wait loop watches the pipe's read end, so it
/// wakes at once and ends cleanly.
package enum StopSignal {
    nonisolated(unsafe) private static var writeEnd: Int32 = -1
    nonisolated(unsafe) private static var readEnd: Int32 = -1
    nonisolated(unsafe) private static var received: sig_atomic_t = 0
    nonisolated(unsafe) private static var previous: [Int32: __sighandler_t?] = [:]

    /// Installs the handlers and returns the descriptor that becomes readable on a signal
    /// (-1 if no pipe could be made: the flag in `caught` still works, checked between waits).
    package static func install() -> Int32 {
        if readEnd < 0 {
            var ends: [Int32] = [-1, -1]
            if pipe(&ends) == 0 {
                for end in ends {
                    _ = fcntl(end, F_SETFL, fcntl(end, F_GETFL) | O_NONBLOCK)
                    _ = fcntl(end, F_SETFD, FD_CLOEXEC)
                }
                readEnd = ends[0]
                writeEnd = ends[1]
            }
        }
        // A signal left over from an earlier run in this process must not stop this one.
        var byte: UInt8 = 0
        while readEnd >= 0 && read(readEnd, &byte, 1) == 1 {}
        received = 0
        let handler: @convention(c) (Int32) -> Void = { signal in
            StopSignal.received = signal
            var byte: UInt8 = 1
            _ = write(StopSignal.writeEnd, &byte, 1)
        }
        for name in [SIGINT, SIGTERM] { previous[name] = signal(name, handler) }
        // A parent may start us with these blocked (Foundation's Process passes its thread's
        // mask on): then Ctrl-C would never arrive and tail could not be stopped.
        var unblock = sigset_t()
        sigemptyset(&unblock)
        sigaddset(&unblock, SIGINT)
        sigaddset(&unblock, SIGTERM)
        pthread_sigmask(SIG_UNBLOCK, &unblock, nil)
        return readEnd
    }

    /// Puts the earlier handlers back: a second Ctrl-C while the summary is written ends at once.
    package static func uninstall() {
        for name in [SIGINT, SIGTERM] {
            if let handler = previous[name] { signal(name, handler) } else { signal(name, SIG_DFL) }
        }
        previous = [:]
    }

    /// The signal received since `install`, or 0.
    package static var caught: Int32 { received }
}
