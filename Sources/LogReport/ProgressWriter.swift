import LogInput
import Synchronization
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// `review`'s progress line on standard error, for a person at a terminal: which input,
/// and how many of its bytes are read. Silent for the first second (a quick review shows
/// nothing), then at most `interval` apart (five a second), rewritten in place and
/// erased by `finish` before the report is written. The command only makes one when
/// standard error is a terminal; reading calls it every few chunks, never per record.
package final class ProgressWriter: ReadProgress, @unchecked Sendable {
    /// Seconds on a monotonic clock; tests pass their own.
    package typealias Clock = @Sendable () -> Double

    private struct State {
        var name = ""
        var index = 0
        var count = 1
        var total: Int?
        var bytes = 0
        var lastWrite: Double?
        var shown = false
    }

    private let output: Output
    private let clock: Clock
    private let start: Double
    private let delay: Double
    private let interval: Double
    private let state = Mutex(State())

    /// `delay`: how long a review runs before the line shows; `interval`: the least time between updates.
    package init(output: Output, clock: @escaping Clock = ProgressWriter.monotonicSeconds, delay: Double = 1, interval: Double = 0.2) {
        self.output = output
        self.clock = clock
        start = clock()
        self.delay = delay
        self.interval = interval
    }

    package static let monotonicSeconds: Clock = {
        var now = timespec()
        clock_gettime(CLOCK_MONOTONIC, &now)
        return Double(now.tv_sec) + Double(now.tv_nsec) / 1e9
    }

    package func started(input index: Int, of count: Int, name: String, totalBytes: Int?) {
        state.withLock { state in
            state.name = name
            state.index = index
            state.count = count
            state.total = totalBytes
            state.bytes = 0
        }
        update()
    }

    package func read(bytes: Int) {
        state.withLock { $0.bytes = bytes }
        update()
    }

    /// Erases the line, if one was shown. Call before anything else goes to the terminal.
    package func finish() {
        state.withLock { state in
            guard state.shown else { return }
            output.write("\r\u{1B}[K")
            output.flush()
            state.shown = false
            state.lastWrite = nil
        }
    }

    private func update() {
        let now = clock()
        state.withLock { state in
            guard now - start >= delay else { return }
            if let last = state.lastWrite, now - last < interval { return }
            output.write("\r" + ProgressWriter.line(state.name, index: state.index, count: state.count, bytes: state.bytes, total: state.total) + "\u{1B}[K")
            output.flush()
            state.lastWrite = now
            state.shown = true
        }
    }

    /// `reading CMGatewaySyncUploadWorker.log (2 of 3): 12.3 of 64.0 MiB (19%)`.
    static func line(_ name: String, index: Int, count: Int, bytes: Int, total: Int?) -> String {
        var text = "cmlogcheck: reading " + Terminal.clean(name, limit: 50)
        if count > 1 { text += " (\(index + 1) of \(count))" }
        text += ": " + mebibytes(bytes)
        if let total, total > 0 {
            text += " of " + mebibytes(total) + " MiB (\(min(100, bytes * 100 / total))%)"
        } else {
            text += " MiB"
        }
        return text
    }

    /// One decimal, without Foundation's formatting.
    static func mebibytes(_ bytes: Int) -> String {
        let tenths = (bytes * 10 + (1 << 19)) >> 20
        return "\(tenths / 10).\(tenths % 10)"
    }
}
