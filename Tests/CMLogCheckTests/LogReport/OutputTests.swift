import Foundation
import Testing
@testable import CMLogCheckCLI
@testable import LogInput
@testable import LogReport

/// A write end whose reader has gone: writes fail with EPIPE. SIGPIPE is ignored in
/// this process first (as `runAsMain` does), so the failure is an error, not a kill.
func closedPipe() throws -> Int32 {
    signal(SIGPIPE, SIG_IGN)
    var ends: [Int32] = [-1, -1]
    try #require(pipe(&ends) == 0)
    close(ends[0])
    return ends[1]
}

/// /dev/full: every write fails with ENOSPC, the way a full disk does.
func fullDevice() throws -> Int32 {
    let descriptor = open("/dev/full", O_WRONLY | O_CLOEXEC)
    try #require(descriptor >= 0, "/dev/full is not available")
    return descriptor
}

@Suite("Output: write failures")
struct OutputTests {
    @Test("a closed reader is a quiet stop: later writes are dropped and check throws .closed")
    func closedReader() throws {
        let descriptor = try closedPipe()
        defer { close(descriptor) }
        let out = Output(descriptor: descriptor, name: "standard output")
        out.write("first\n")
        #expect(out.failure == nil)   // buffered: nothing was written yet
        out.flush()
        #expect(out.failure == .closed)
        #expect(out.isClosed)
        #expect(throws: WriteFailure.closed) { try out.check() }
        #expect(WriteFailure.closed.message == nil)
        out.write("more\n")
        out.flush()
        #expect(out.failure == .closed)
    }

    @Test("a full device is an error that names the output and the reason")
    func fullDisk() throws {
        let descriptor = try fullDevice()
        defer { close(descriptor) }
        let out = Output(descriptor: descriptor, name: "standard output")
        out.write("report\n")
        out.flush()
        #expect(out.failure == .failed(output: "standard output", errno: ENOSPC))
        #expect(out.failure?.message == "cannot write to standard output: No space left on device")
        #expect(throws: WriteFailure.failed(output: "standard output", errno: ENOSPC)) { try out.check() }
    }

    @Test("memory never fails")
    func memory() throws {
        let out = Output()
        out.write(String(repeating: "x", count: 200_000))
        out.flush()
        #expect(out.failure == nil && out.captured.count == 200_000)
        try out.check()
    }
}
