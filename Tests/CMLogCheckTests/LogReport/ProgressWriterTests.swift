import Foundation
import Testing
import Synchronization
@testable import CMLogCheckCLI
@testable import LogInput
@testable import LogReport

/// A clock the test moves by hand.
private final class ManualClock: Sendable {
    let seconds = Mutex(0.0)
    func advance(_ by: Double) { seconds.withLock { $0 += by } }
    var clock: ProgressWriter.Clock { { [self] in seconds.withLock { $0 } } }
}

/// Counts what reading tells it.
private final class CountingProgress: ReadProgress {
    var starts: [(Int, Int, String, Int?)] = []
    var reads: [Int] = []
    func started(input index: Int, of count: Int, name: String, totalBytes: Int?) { starts.append((index, count, name, totalBytes)) }
    func read(bytes: Int) { reads.append(bytes) }
}

@Suite("review's progress line") struct ProgressWriterTests {
    @Test("silent for the first second, then at most five updates a second, erased when done")
    func rateLimited() {
        let time = ManualClock()
        let out = Output()
        let progress = ProgressWriter(output: out, clock: time.clock)
        progress.started(input: 0, of: 2, name: "CMGatewaySyncUploadWorker.lo_", totalBytes: 64 << 20)
        progress.read(bytes: 1 << 20)
        time.advance(0.9)
        progress.read(bytes: 2 << 20)
        #expect(out.text.isEmpty)
        time.advance(0.2)
        progress.read(bytes: 16 << 20)
        #expect(out.text == "\rcmlogcheck: reading CMGatewaySyncUploadWorker.lo_ (1 of 2): 16.0 of 64.0 MiB (25%)\u{1B}[K")
        // Within 0.2 s of the last update: nothing new.
        for step in 1...10 {
            time.advance(0.01)
            progress.read(bytes: (16 + step) << 20)
        }
        #expect(out.text.components(separatedBy: "\r").count == 2)
        time.advance(0.2)
        progress.started(input: 1, of: 2, name: "CMGatewaySyncUploadWorker.log", totalBytes: nil)
        #expect(out.text.hasSuffix("\rcmlogcheck: reading CMGatewaySyncUploadWorker.log (2 of 2): 0.0 MiB\u{1B}[K"))
        progress.finish()
        #expect(out.text.hasSuffix("\r\u{1B}[K"))
        let written = out.text
        progress.finish()
        #expect(out.text == written)
    }

    @Test("a review done within the second writes nothing, not even the erase")
    func quick() {
        let time = ManualClock()
        let out = Output()
        let progress = ProgressWriter(output: out, clock: time.clock)
        progress.started(input: 0, of: 1, name: "a.log", totalBytes: 100)
        time.advance(0.5)
        progress.read(bytes: 100)
        progress.finish()
        #expect(out.text.isEmpty)
    }

    @Test("names are cleaned and sizes read in MiB with one decimal")
    func line() {
        #expect(ProgressWriter.line("a\u{1B}[31mb.log", index: 0, count: 1, bytes: 3 << 19, total: 1 << 20).hasPrefix("cmlogcheck: reading a"))
        #expect(!ProgressWriter.line("a\u{1B}[31mb.log", index: 0, count: 1, bytes: 0, total: nil).contains("\u{1B}"))
        #expect(ProgressWriter.line("a.log", index: 0, count: 1, bytes: 3 << 19, total: 1 << 20) == "cmlogcheck: reading a.log: 1.5 of 1.0 MiB (100%)")
        #expect(ProgressWriter.mebibytes(0) == "0.0")
        #expect(ProgressWriter.mebibytes(256 << 20) == "256.0")
    }

    @Test("reading tells progress every few chunks with the file's size, not per record")
    func everyFewChunks() throws {
        let folder = TemporaryDirectory()
        var text = ""
        for index in 0..<20_000 { text += syncLine("Batching \(index) records", "03-04-2020", "10:00:00.000") }
        let path = try folder.write("CMGatewaySyncUploadWorker.log", text)
        let stream = RecordStream(inputs: try InputResolver.resolve([path]))
        let progress = CountingProgress()
        stream.progress = progress
        var records = 0
        try stream.run { _ in records += 1 }
        #expect(records == 20_000)
        #expect(progress.starts.count == 1)
        #expect(progress.starts.first?.3 == text.utf8.count)
        // 256 KiB chunks, told every fourth read and at the end: a handful of calls for 20,000 records.
        #expect(!progress.reads.isEmpty && progress.reads.count <= text.utf8.count / (256 << 10) / 4 + 2)
        #expect(progress.reads.last == text.utf8.count)
    }

    @Test("a review writing to a memory stream (not a terminal) shows no progress")
    func notOnAPipe() throws {
        let folder = TemporaryDirectory()
        let path = try folder.write("CMGatewaySyncUploadWorker.log", cycle(at: 10, 0))
        let result = runCLI(["review", path])
        #expect(!result.standardError.contains("reading"))
        #expect(!result.standardError.contains("\u{1B}[K"))
    }
}
