import Foundation
import Testing
@testable import LogMatching
@testable import LogInput
@testable import CMLogCheckCLI

/// Line ends decided per input (issue 14 item 4): CR-only files (old Mac style, or a
/// tool that stripped the LFs) are framed like LF and CRLF ones.
@Suite("Reading: line endings")
struct LineEndingTests {
    /// Every line `reader` hands on for `text`, served `readSize` bytes at a time.
    func lines(_ text: String, readSize: Int = .max, chunkBytes: Int = 256 << 10) throws -> (lines: [String], ending: LineEnding) {
        var source = MemorySource(Array(text.utf8), readSize: readSize)
        let reader = LineReader(maxLineBytes: 1024, tailBytes: 256, chunkBytes: chunkBytes)
        var result: [String] = []
        _ = try reader.readAvailable(from: &source) { result.append(String(decoding: $0.bytes, as: UTF8.self)) }
        try reader.finish { result.append(String(decoding: $0.bytes, as: UTF8.self)) }
        #expect(reader.lineCount == result.count)
        return (result, reader.lineEnding)
    }

    @Test("CR alone ends a line; blank lines and a last line without a line end are kept")
    func crOnly() throws {
        let read = try lines("one\rtwo\r\rfour\rfive")
        #expect(read.lines == ["one", "two", "", "four", "five"])
        #expect(read.ending == .cr)
    }

    @Test("The first line end decides: LF and CRLF inputs keep a later lone CR as text")
    func decidedByFirstLineEnd() throws {
        #expect(try lines("a\r\nb\rc\r\n").lines == ["a", "b\rc"])
        #expect(try lines("a\r\nb\rc\r\n").ending == .lf)
        #expect(try lines("a\nb\rc\n").lines == ["a", "b\rc"])
        // A CR input: CR, CRLF and a lone LF each end one line.
        let mixed = try lines("a\rb\r\nc\nd\re")
        #expect(mixed.lines == ["a", "b", "c", "d", "e"])
        #expect(mixed.ending == .cr)
        #expect(try lines("no line end at all").ending == .undecided)
    }

    @Test("A CRLF split between two reads is one line end, in LF and in CR inputs alike",
          arguments: [1, 2, 3, 5, 7, 64, Int.max])
    func crlfAcrossReads(readSize: Int) throws {
        // "x\r" then "\n": the CR is the last byte of a read, and the input is not decided yet.
        let crlf = "x\r\ny\r\n\r\nz\r\n"
        #expect(try lines(crlf, readSize: readSize, chunkBytes: 64).lines == ["x", "y", "", "z"])
        #expect(try lines(crlf, readSize: readSize).ending == .lf)
        // Decided as CR first, then CRLFs whose LF arrives in the next read.
        let cr = "a\rb\r\nc\r\n\rd\r\n"
        #expect(try lines(cr, readSize: readSize, chunkBytes: 64).lines == ["a", "b", "c", "", "d"])
        #expect(try lines(cr, readSize: readSize).ending == .cr)
    }

    @Test("A CR-only line at the cap is kept whole; an overlong one keeps head and tail")
    func crOnlyCap() throws {
        let exact = String(repeating: "a", count: 1024 + 256)
        let long = "HEAD" + String(repeating: "m", count: 5000) + "TAIL"
        for readSize in [13, Int.max] {
            var source = MemorySource(Array((exact + "\r" + long + "\rafter").utf8), readSize: readSize)
            let reader = LineReader(maxLineBytes: 1024, tailBytes: 256, chunkBytes: 64)
            var got: [(bytes: Int, skipped: Int, text: String)] = []
            _ = try reader.readAvailable(from: &source) { got.append(($0.bytes.count, $0.skippedBytes, String(decoding: $0.bytes, as: UTF8.self))) }
            try reader.finish { got.append(($0.bytes.count, $0.skippedBytes, String(decoding: $0.bytes, as: UTF8.self))) }
            try #require(got.count == 3, "readSize \(readSize)")
            let first = try got.at(0), second = try got.at(1), third = try got.at(2)
            #expect(first.bytes == 1280 && first.skipped == 0)
            #expect(second.bytes == 1280 && second.skipped == long.utf8.count - 1280)
            #expect(second.text.hasPrefix("HEAD") && second.text.hasSuffix("TAIL"))
            #expect(third.text == "after")
        }
    }

    @Test("reset forgets the decision: the file that replaced a CR-only one may use LF")
    func resetForgets() throws {
        let reader = LineReader()
        var first = MemorySource("a\rb\r")
        var got: [String] = []
        _ = try reader.readAvailable(from: &first) { got.append(String(decoding: $0.bytes, as: UTF8.self)) }
        #expect(reader.lineEnding == .cr)
        reader.reset()
        #expect(reader.lineEnding == .undecided)
        var second = MemorySource("c\r\nd\re\n")
        _ = try reader.readAvailable(from: &second) { got.append(String(decoding: $0.bytes, as: UTF8.self)) }
        #expect(got == ["a", "b", "c", "d\re"])
        #expect(reader.lineEnding == .lf)
    }

    /// About 1.4 MB of CMTrace records with CR line ends, one of them spanning three lines.
    static func crOnlyLog(records: Int) -> String {
        var text = ""
        for n in 0..<records {
            let minute = String(format: "%02d", n / 60 % 60), second = String(format: "%02d", n % 60)
            let message = n == 7 ? "Exception details:\r[Warning][GenericUploadWorker]\rthird line" : "Batching \(n) records"
            text += cmtrace(message, time: "10:\(minute):\(second).000+000") + "\r"
        }
        return text
    }

    @Test("A CR-only file over 1 MB gives every record, in UTF-8 and UTF-16, read whole or 7 bytes at a time")
    func crOnlyBigFile() throws {
        let count = 8_000
        let text = Self.crOnlyLog(records: count)
        #expect(text.utf8.count > 1 << 20)
        for (name, bytes) in [("utf-8", Array(text.utf8)), ("utf-16le", utf16(text))] {
            for readSize in [Int.max, 7] where !(readSize == 7 && name == "utf-16le") {
                let framed = try frame(bytes, readSize: readSize)
                #expect(framed.records.count == count, "\(name), readSize \(readSize)")
                #expect(framed.summary.lines == count + 2, "\(name): two continuation lines")
                #expect(framed.summary.unrecognizedLines == 0)
                #expect(framed.records.allSatisfy { $0.isComplete && $0.format == .cmtrace && $0.utc != nil })
                #expect(try framed.records.at(7).message == "Exception details:\n[Warning][GenericUploadWorker]\nthird line")
                #expect(try framed.records.at(count - 1).message == "Batching \(count - 1) records")
            }
        }
    }

    @Test("records --count counts every record of a CR-only file; records gives their lines")
    func recordsCommand() throws {
        let dir = TemporaryDirectory()
        let path = try dir.write("CMGatewaySyncUploadWorker.log", Self.crOnlyLog(records: 8_000))
        let counted = runCLI(["records", "--count", path])
        #expect(counted.status == 0)
        #expect(counted.standardOutput == "8000\n")
        let listed = runCLI(["records", path])
        let objects = jsonLines(listed.standardOutput)
        #expect(objects.count == 8_000)
        #expect(try objects.at(8).line == 11)   // record 7 spans lines 8 to 10
    }
}

private extension Dictionary where Key == String, Value == Any {
    var line: Int? { self["line"] as? Int }
}
