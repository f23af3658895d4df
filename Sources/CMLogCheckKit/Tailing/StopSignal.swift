#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Ctrl-C (SIGINT) and SIGTERM for a command that waits in poll(): the
/// handler only records the signal and writes one byte to a pipe (both
/// async-signal-safe), and the wait loop watches the pipe's read end, so it
/// wakes at once and ends cleanly.
public enum StopSignal {
    nonisolated(unsafe) private static var writeEnd: Int32 = -1
    nonisolated(unsafe) private static var readEnd: Int32 = -1
    nonisolated(unsafe) private static var received: sig_atomic_t = 0

    /// Installs the handlers (once) and returns the descriptor that becomes readable on a signal.
    public static func install() -> Int32 {
        if readEnd >= 0 { return readEnd }
        var ends: [Int32] = [-1, -1]
        guard pipe(&ends) == 0 else { return -1 }
        for end in ends {
            _ = fcntl(end, F_SETFL, fcntl(end, F_GETFL) | O_NONBLOCK)
            _ = fcntl(end, F_SETFD, FD_CLOEXEC)
        }
        readEnd = ends[0]
        writeEnd = ends[1]
        received = 0
        let handler: @convention(c) (Int32) -> Void = { signal in
            StopSignal.received = signal
            var byte: UInt8 = 1
            _ = write(StopSignal.writeEnd, &byte, 1)
        }
        signal(SIGINT, handler)
        signal(SIGTERM, handler)
        return readEnd
    }

    /// Puts the default handlers back: a second Ctrl-C while the summary is written ends at once.
    public static func uninstall() {
        signal(SIGINT, SIG_DFL)
        signal(SIGTERM, SIG_DFL)
    }

    /// The signal received, or 0.
    public static var caught: Int32 { received }
}
