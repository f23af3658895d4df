import Foundation
import Testing
@testable import LogMatching
@testable import LogInput
@testable import LogRules
@testable import LogAnalysis
@testable import LogFindings
@testable import LogReport
@testable import LogFollow

/// Three CMTrace records, the second spanning two lines, with non-ASCII text.
private let sampleText = [
    cmtrace("Batching 27 records"),
    cmtrace("Exception details:\n[Warning][GenericUploadWorker][0][System.Net.WebException][0x80131509]", type: "2"),
    cmtrace("Gerät naïve ü € done", time: "16:20:32.000+480"),
].joined(separator: "\n") + "\n"

/// The same records with CR line ends (old Mac style).
private let crOnlySampleText: String = sampleText.replacingOccurrences(of: "\n", with: "\r")

@Suite("Reading: encodings")
struct EncodingTests {
    let expected: [FramedRecord]

    init() throws {
        expected = try frame(sampleText).records
    }

    @Test("UTF-8 without BOM is framed and reported as utf-8")
    func utf8Plain() throws {
        let framed = try frame(sampleText)
        #expect(framed.summary.encoding == .utf8)
        #expect(framed.summary.format == .cmtrace)
        #expect(framed.messages == [
            "Batching 27 records",
            "Exception details:\n[Warning][GenericUploadWorker][0][System.Net.WebException][0x80131509]",
            "Gerät naïve ü € done",
        ])
        #expect(framed.records.map(\.line) == [1, 2, 4])
        #expect(framed.records.map(\.endLine) == [1, 3, 4])
        #expect(framed.summary.windows1252Lines == 0)
    }

    @Test("UTF-8 with BOM: the BOM is not part of the first record and does not hide the format")
    func utf8BOM() throws {
        let framed = try frame([0xEF, 0xBB, 0xBF] + Array(sampleText.utf8))
        #expect(framed.summary.encoding == .utf8BOM)
        #expect(framed.summary.format == .cmtrace)
        #expect(framed.records == expected)
    }

    @Test("UTF-16 LE with BOM")
    func utf16LEWithBOM() throws {
        let framed = try frame(utf16(sampleText, littleEndian: true, bom: true))
        #expect(framed.summary.encoding == .utf16LE)
        #expect(framed.records == expected)
    }

    @Test("UTF-16 BE with BOM")
    func utf16BEWithBOM() throws {
        let framed = try frame(utf16(sampleText, littleEndian: false, bom: true))
        #expect(framed.summary.encoding == .utf16BE)
        #expect(framed.records == expected)
    }

    @Test("UTF-16 LE without BOM is recognised from its NUL pattern")
    func utf16LEWithoutBOM() throws {
        let framed = try frame(utf16(sampleText, littleEndian: true, bom: false))
        #expect(framed.summary.encoding == .utf16LE)
        #expect(framed.records == expected)
    }

    @Test("UTF-16 BE without BOM is recognised from its NUL pattern")
    func utf16BEWithoutBOM() throws {
        let framed = try frame(utf16(sampleText, littleEndian: false, bom: false))
        #expect(framed.summary.encoding == .utf16BE)
        #expect(framed.records == expected)
    }

    @Test("UTF-16 surrogate pairs become 4-byte UTF-8; a lone surrogate becomes U+FFFD")
    func surrogates() throws {
        let text = cmtrace("emoji 😀 clef 𝄞 end") + "\n"
        for littleEndian in [true, false] {
            let framed = try frame(utf16(text, littleEndian: littleEndian))
            #expect(framed.messages == ["emoji 😀 clef 𝄞 end"])
            #expect(try Array(framed.records.at(0).messageBytes[6..<10]) == [0xF0, 0x9F, 0x98, 0x80])
        }
        // A high surrogate followed by a plain letter, and a low surrogate on its own.
        var bytes: [UInt8] = [0xFF, 0xFE]
        for unit: UInt16 in [0x61, 0xD83D, 0x62, 0xDE00, 0x63, 0x0A] { bytes += [UInt8(unit & 0xFF), UInt8(unit >> 8)] }
        let framed = try frame(bytes)
        #expect(framed.messages == ["a\u{FFFD}b\u{FFFD}c"])
    }

    @Test("Bytes that are not UTF-8 are read as Windows-1252, line by line")
    func windows1252() throws {
        var bytes = Array((cmtrace("naïve ok") + "\n").utf8)
        bytes += Array("<![LOG[Caf".utf8) + [0xE9] + Array(" costs ".utf8) + [0x80] + Array(" 5 ".utf8) + [0x93, 0x71, 0x94]
        bytes += Array("]LOG]!><time=\"16:20:31.497+480\" date=\"02-28-2020\" component=\"C\" context=\"\" type=\"1\" thread=\"1\" file=\"\">\n".utf8)
        bytes += Array((cmtrace("Gerät") + "\n").utf8)
        let framed = try frame(bytes)
        #expect(framed.messages == ["naïve ok", "Café costs € 5 \u{201C}q\u{201D}", "Gerät"])
        #expect(try framed.records.at(1).component == "C")
        #expect(framed.summary.windows1252Lines == 1)
        #expect(framed.summary.encoding == .utf8)
    }

    @Test("A lone UTF-8 lead byte at the end of a line is Windows-1252, not a swallowed newline")
    func truncatedSequenceAtLineEnd() throws {
        let bytes = Array("abc".utf8) + [0xC3] + [0x0A] + Array("def\n".utf8)
        let framed = try frame(bytes, options: ReadOptions(format: .plain))
        #expect(framed.messages == ["abc\u{C3}", "def"])
    }

    @Test("CRLF and LF give the same records")
    func lineEndings() throws {
        let crlf = sampleText.replacingOccurrences(of: "\n", with: "\r\n")
        let framed = try frame(crlf)
        #expect(framed.records == expected)
        #expect(!framed.messages.joined().contains("\r"))
        // Simple format too: CR must not end up in the trailer or the message.
        let simpleText = simple("Batching 1 records") + "\r\n" + "first\r\n" + simple("second") + "\r\n"
        let simpleFramed = try frame(simpleText)
        #expect(simpleFramed.summary.format == .simple)
        #expect(simpleFramed.messages == ["Batching 1 records", "first\nsecond"])
        #expect(simpleFramed.records.allSatisfy { $0.utc != nil })
    }

    @Test("Stray NUL bytes are dropped; a line of NULs (preallocated file tail) is not a record or an error")
    func nulBytes() throws {
        var bytes = Array("<![LOG[Batch\0ing 3 rec\0ords]LOG]!><time=\"16:20:31.497+480\" date=\"02-28-2020\" component=\"SMS\0_X\" context=\"\" type=\"1\" thread=\"7\" file=\"\">\n".utf8)
        bytes += [UInt8](repeating: 0, count: 300) + [0x0A]
        bytes += [0, 0, 0] + Array((cmtrace("after the gap") + "\n").utf8)
        bytes += [UInt8](repeating: 0, count: 1000)
        let framed = try frame(bytes)
        #expect(framed.messages == ["Batching 3 records", "after the gap"])
        #expect(try framed.records.at(0).component == "SMS_X")
        #expect(try framed.records.at(1).line == 3)
        #expect(framed.summary.unrecognizedLines == 0)
        #expect(framed.summary.incompleteRecords == 0)
    }

    @Test("A BOM in the middle (two UTF-8 files concatenated) is dropped")
    func bomInMiddleUTF8() throws {
        let first = [0xEF, 0xBB, 0xBF] + Array((cmtrace("one") + "\r\n").utf8)
        let second = [0xEF, 0xBB, 0xBF] + Array((cmtrace("two") + "\r\n").utf8)
        let framed = try frame(first + second)
        #expect(framed.messages == ["one", "two"])
        #expect(framed.summary.unrecognizedLines == 0)
        #expect(try framed.records.at(1).line == 2)
    }

    @Test("A BOM in the middle (two UTF-16 files concatenated) is dropped")
    func bomInMiddleUTF16() throws {
        let bytes = utf16(cmtrace("one") + "\r\n") + utf16(cmtrace("two") + "\r\n")
        let framed = try frame(bytes)
        #expect(framed.messages == ["one", "two"])
        #expect(framed.summary.unrecognizedLines == 0)
    }

    @Test("Reading 1 or 7 bytes at a time gives the same records", arguments: [
        ("utf-8", Array(sampleText.utf8)),
        ("utf-8 bom crlf", [0xEF, 0xBB, 0xBF] + Array(sampleText.replacingOccurrences(of: "\n", with: "\r\n").utf8)),
        ("utf-16le", utf16(sampleText + cmtrace("😀 pair") + "\n")),
        ("utf-16be", utf16(sampleText + cmtrace("😀 pair") + "\n", littleEndian: false)),
        ("utf-16le no bom", utf16(sampleText, bom: false)),
        ("simple", Array((simple("a") + "\ncontinued é\n" + simple("b")).utf8)),
        ("cr-only", Array(crOnlySampleText.utf8)),
        ("utf-16le cr-only", utf16(crOnlySampleText)),
    ])
    func awkwardSplits(name: String, bytes: [UInt8]) throws {
        let whole = try frame(bytes)
        #expect(!whole.records.isEmpty)
        for readSize in [1, 2, 3, 7] {
            let split = try frame(bytes, readSize: readSize)
            #expect(split.records == whole.records, "\(name), readSize \(readSize)")
            #expect(split.summary.encoding == whole.summary.encoding)
            #expect(split.summary.lines == whole.summary.lines)
        }
    }
}

@Suite("Reading: DecodingSource")
struct DecodingSourceTests {
    /// Reads the whole decoder output through buffers of `size` bytes.
    func drain<S: ByteSource>(_ decoder: inout DecodingSource<S>, bufferSize size: Int) throws -> [UInt8] {
        let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: size + 16, alignment: 1)
        defer { buffer.deallocate() }
        // Guard bytes after the window: a decoder writing past `size` would change them.
        for index in size..<(size + 16) { buffer[index] = 0xAA }
        var out: [UInt8] = []
        while true {
            let count = try decoder.read(into: UnsafeMutableRawBufferPointer(rebasing: buffer[0..<size]))
            #expect(count <= size)
            #expect(buffer[size..<(size + 16)].allSatisfy { $0 == 0xAA }, "wrote past the end of a \(size)-byte buffer")
            if count == 0 { break }
            out += buffer[0..<count]
        }
        decoder.close()
        return out
    }

    @Test("UTF-16 decodes completely into any output buffer size", arguments: [1, 2, 3, 4, 5, 6, 7, 64, 4096])
    func smallOutputBuffers(size: Int) throws {
        // BMP text that needs 3 UTF-8 bytes per unit, a pair, and a lone high surrogate before a letter.
        var units: [UInt16] = [0xFEFF]
        units += Array("€€€ x 😀 ".utf16) + [0xD83D, 0x20AC] + Array(" end\n".utf16)
        var bytes: [UInt8] = []
        for unit in units { bytes += [UInt8(unit & 0xFF), UInt8(unit >> 8)] }
        let expected = Array("€€€ x 😀 \u{FFFD}€ end\n".utf8)
        for readSize in [1, 3, Int.max] {
            var decoder = DecodingSource(MemorySource(bytes, readSize: readSize))
            #expect(try drain(&decoder, bufferSize: size) == expected, "buffer \(size), readSize \(readSize)")
        }
    }

    @Test("A forced encoding skips sniffing")
    func forcedEncoding() throws {
        var decoder = DecodingSource(MemorySource([0x41, 0x00, 0x42, 0x00]), encoding: .utf16LE)
        #expect(try drain(&decoder, bufferSize: 64) == Array("AB".utf8))
    }

    @Test("Short inputs are sniffed safely", arguments: [[UInt8](), [0x41], [0xEF, 0xBB], [0xFF], [0xEF, 0xBB, 0xBF], [0xFF, 0xFE]])
    func shortInputs(bytes: [UInt8]) throws {
        var decoder = DecodingSource(MemorySource(bytes))
        let out = try drain(&decoder, bufferSize: 64)
        if bytes == [0xEF, 0xBB, 0xBF] || bytes == [0xFF, 0xFE] {
            #expect(out.isEmpty)
        } else {
            #expect(out == bytes)
        }
    }
}

/// A source of `total` bytes with no newline, generated as it is read:
/// `HEAD` first, then `x`, and the last `tail.count` bytes are `tail`.
/// Records the largest read it was asked for.
private final class GeneratedSource: ByteSource {
    let total: Int
    let head = Array("HEAD".utf8)
    let tail: [UInt8]
    var position = 0
    var largestRequest = 0

    init(total: Int, tail: [UInt8]) {
        self.total = total
        self.tail = tail
    }

    func read(into buffer: UnsafeMutableRawBufferPointer) throws(InputError) -> Int {
        largestRequest = max(largestRequest, buffer.count)
        let count = min(buffer.count, total - position)
        guard count > 0 else { return 0 }
        memset(buffer.baseAddress!, Int32(UInt8(ascii: "x")), count)
        if position < head.count {
            for at in position..<min(position + count, head.count) { buffer[at - position] = head[at] }
        }
        let tailStart = total - tail.count
        for at in max(position, tailStart)..<max(position + count, tailStart) { buffer[at - position] = tail[at - tailStart] }
        position += count
        return count
    }
}

@Suite("Reading: LineReader")
struct LineReaderTests {
    struct CopiedLine: Equatable {
        var bytes: [UInt8]
        var number: Int
        var skipped: Int
        var text: String { String(decoding: bytes, as: UTF8.self) }
    }

    func lines<S: ByteSource>(_ reader: LineReader, _ source: inout S) throws -> [CopiedLine] {
        var result: [CopiedLine] = []
        _ = try reader.readAvailable(from: &source) { result.append(CopiedLine(bytes: Array($0.bytes), number: $0.number, skipped: $0.skippedBytes)) }
        try reader.finish { result.append(CopiedLine(bytes: Array($0.bytes), number: $0.number, skipped: $0.skippedBytes)) }
        return result
    }

    @Test("Lines are numbered, CR before LF is dropped, a last line without newline is handed on")
    func basics() throws {
        var source = MemorySource("one\r\ntwo\n\nfour\r\nfive")
        let reader = LineReader()
        let result = try lines(reader, &source)
        #expect(result.map(\.text) == ["one", "two", "", "four", "five"])
        #expect(result.map(\.number) == [1, 2, 3, 4, 5])
        #expect(reader.lineCount == 5)
        #expect(reader.bytesRead == 20)
    }

    @Test("An overlong line keeps its head and tail; the middle is counted as skipped", arguments: [1, 7, 100, Int.max])
    func overlongLine(readSize: Int) throws {
        let middle = String(repeating: "m", count: 10_000)
        let long = "HEAD" + String(repeating: "h", count: 1020) + middle + String(repeating: "t", count: 252) + "TAIL"
        var source = MemorySource("short\n" + long + "\r\nafter\n", readSize: readSize)
        let reader = LineReader(maxLineBytes: 1024, tailBytes: 256, chunkBytes: 64)
        let result = try lines(reader, &source)
        #expect(result.count == 3)
        #expect(try result.at(0).text == "short")
        let kept = try result.at(1)
        #expect(kept.number == 2)
        // The tail window is taken before the CR is dropped: 255 or 256 bytes survive.
        #expect((1024 + 255)...(1024 + 256) ~= kept.bytes.count)
        #expect(kept.text.hasPrefix("HEAD" + String(repeating: "h", count: 1020) + "t"), "head, then straight to the tail")
        #expect(!kept.bytes.contains(UInt8(ascii: "m")))
        #expect(kept.text.hasSuffix(String(repeating: "t", count: 200) + "TAIL"))
        #expect(!kept.bytes.contains(0x0D))
        // Every byte of the line (CR aside) is either kept or counted as skipped.
        #expect(kept.bytes.count + kept.skipped == long.utf8.count)
        #expect(try result.at(2) == CopiedLine(bytes: Array("after".utf8), number: 3, skipped: 0))
        #expect(reader.skippedBytes == kept.skipped)
    }

    @Test("A line just at the cap is kept whole")
    func lineAtCap() throws {
        let exact = String(repeating: "a", count: 1024 + 256)
        var source = MemorySource(exact + "\n" + exact + "b\n", readSize: 13)
        let reader = LineReader(maxLineBytes: 1024, tailBytes: 256, chunkBytes: 64)
        let result = try lines(reader, &source)
        #expect(try result.at(0).bytes.count == 1280 && result.at(0).skipped == 0)
        #expect(try result.at(1).bytes.count == 1280 && result.at(1).skipped == 1)
        #expect(try result.at(1).text.hasSuffix("ab"))
    }

    @Test("50 MB with no newline streams through in bounded memory")
    func noNewlineAtAll() throws {
        let total = 50 << 20
        let tail = Array("<tail-marker-0123456789>".utf8)
        var source = GeneratedSource(total: total, tail: tail)
        let reader = LineReader(maxLineBytes: 1 << 20, tailBytes: 4096, chunkBytes: 256 << 10)
        var seen: [CopiedLine] = []
        _ = try reader.readAvailable(from: &source) { seen.append(CopiedLine(bytes: Array($0.bytes), number: $0.number, skipped: $0.skippedBytes)) }
        #expect(seen.isEmpty)
        #expect(reader.hasPartialLine)
        try reader.finish { seen.append(CopiedLine(bytes: Array($0.bytes), number: $0.number, skipped: $0.skippedBytes)) }
        #expect(seen.count == 1)
        #expect(reader.bytesRead == total)
        #expect(source.largestRequest <= 256 << 10, "reads are at most one chunk")
        let line = try #require(seen.first)
        #expect(line.bytes.count == (1 << 20) + 4096)
        #expect(line.skipped == total - (1 << 20) - 4096)
        #expect(Array(line.bytes.prefix(4)) == Array("HEAD".utf8))
        #expect(Array(line.bytes.suffix(tail.count)) == tail)
        #expect(line.bytes.dropFirst(4).dropLast(tail.count).allSatisfy { $0 == UInt8(ascii: "x") })
    }

    @Test("A record stream over 50 MB without newline frames one plain record with the cut counted")
    func noNewlineThroughStream() throws {
        let total = 50 << 20
        let tail = Array(" end".utf8)
        let framed = try frame(source: GeneratedSource(total: total, tail: tail), options: ReadOptions(maxRecordBytes: 4096))
        #expect(framed.records.count == 1)
        let record = try #require(framed.records.first)
        #expect(record.format == .plain)
        #expect(record.skippedBytes == total - 4096 - 2048)
        #expect(record.messageBytes.count == 4096 + 2048)
        #expect(record.message.hasSuffix("x end"))
        #expect(framed.summary.bytes == total)
        #expect(framed.summary.skippedBytes == record.skippedBytes)
    }

    @Test("reset forgets the partial line and numbering")
    func reset() throws {
        let reader = LineReader()
        var first = MemorySource("a\nb\npartial")
        var got: [String] = []
        _ = try reader.readAvailable(from: &first) { got.append(String(decoding: $0.bytes, as: UTF8.self)) }
        #expect(reader.hasPartialLine)
        reader.reset()
        #expect(!reader.hasPartialLine)
        var second = MemorySource("fresh\n")
        var numbers: [Int] = []
        _ = try reader.readAvailable(from: &second) { got.append(String(decoding: $0.bytes, as: UTF8.self)); numbers.append($0.number) }
        #expect(got == ["a", "b", "fresh"])
        #expect(numbers == [1])
    }
}

@Suite("Reading: inputs and rotation")
struct InputResolverTests {
    let syncLog = "CMGatewaySyncUploadWorker.log"
    let syncHistory = "CMGatewaySyncUploadWorker.lo_"

    @Test("In a folder, X.lo_ is read before X.log; unknown files are ignored")
    func folderHistoryFirst() throws {
        let dir = TemporaryDirectory()
        try dir.write(syncLog, cmtrace("new"))
        try dir.write(syncHistory, cmtrace("old"))
        try dir.write("CMGatewayNotificationWorker.log", cmtrace("n"))
        try dir.write("notes.txt", "not a log")
        try dir.write("SMS_Something.log", cmtrace("other component"))
        let inputs = try InputResolver.resolve([dir.path])
        let names = inputs.map { ($0.name as NSString).lastPathComponent }
        #expect(names == [syncHistory, syncLog, "CMGatewayNotificationWorker.log"])
        #expect(inputs.map(\.kind) == [.syncUpload, .syncUpload, .notification])
    }

    @Test("Explicit paths X.log X.lo_ are reordered, history first; other order kept")
    func explicitReordered() throws {
        let dir = TemporaryDirectory()
        let log = try dir.write(syncLog, cmtrace("new"))
        let history = try dir.write(syncHistory, cmtrace("old"))
        let other = try dir.write("BgbServer.log", cmtrace("b"))
        let inputs = try InputResolver.resolve([other, log, history])
        #expect(inputs.map(\.name) == [other, history, log])
        let kept = try InputResolver.resolve([history, log])
        #expect(kept.map(\.name) == [history, log])
    }

    @Test("Reading a rotated pair through the stream gives history first, one input each")
    func rotatedStream() throws {
        let dir = TemporaryDirectory()
        try dir.write(syncLog, cmtrace("new", time: "16:00:00.000+480") + "\n")
        try dir.write(syncHistory, cmtrace("old", time: "15:00:00.000+480") + "\n")
        let stream = RecordStream(inputs: try InputResolver.resolve([dir.path]))
        var messages: [(Int, String)] = []
        try stream.run { messages.append(($0.input, String(decoding: $0.message, as: UTF8.self))) }
        #expect(messages.map(\.1) == ["old", "new"])
        #expect(messages.map(\.0) == [0, 1])
    }

    @Test("Subfolders are searched (one per machine), to the depth limit, hidden ones skipped")
    func subfolders() throws {
        let dir = TemporaryDirectory()
        try dir.write("server-a/" + syncLog, cmtrace("a"))
        try dir.write("server-b/Logs/" + syncHistory, cmtrace("b-old"))
        try dir.write("server-b/Logs/" + syncLog, cmtrace("b"))
        try dir.write("client/CcmNotificationAgent.log", cmtrace("c"))
        try dir.write(".hidden/" + syncLog, cmtrace("hidden"))
        try dir.write("1/2/3/4/" + syncLog, cmtrace("too deep"))
        try dir.write("1/2/3/" + syncLog, cmtrace("deep enough"))
        let inputs = try InputResolver.resolve([dir.path])
        let relative = inputs.map { String($0.name.dropFirst(dir.path.count + 1)) }
        #expect(relative == [
            "1/2/3/" + syncLog,
            "client/CcmNotificationAgent.log",
            "server-a/" + syncLog,
            "server-b/Logs/" + syncHistory,
            "server-b/Logs/" + syncLog,
        ])
    }

    @Test("File names are matched case-insensitively")
    func caseInsensitive() throws {
        let dir = TemporaryDirectory()
        try dir.write("cmgatewaysyncuploadworker.LOG", cmtrace("x"))
        let inputs = try InputResolver.resolve([dir.path])
        #expect(inputs.count == 1)
        #expect(inputs.first?.kind == .syncUpload)
        #expect(LogKind(fileName: "BGBSERVER.lo_") == .bgbServer)
        #expect(LogKind(fileName: "BgbServer.txt") == .unknown)
    }

    @Test("A missing path, a folder without logs: errors that name them")
    func errors() throws {
        let dir = TemporaryDirectory()
        let missing = dir.path + "/nope.log"
        #expect(throws: InputError("no such file or folder: \(missing)")) { try InputResolver.resolve([missing]) }
        try dir.write("readme.txt", "x")
        do {
            _ = try InputResolver.resolve([dir.path])
            Issue.record("expected an error")
        } catch {
            #expect(error.message.contains(dir.path))
            #expect(error.message.contains("CMGatewaySyncUploadWorker.log"))
            #expect(error.message.contains("CMGatewaySyncUploadWorker.lo_"))
            #expect(error.message.contains("CcmNotificationAgent.log"))
        }
    }

    @Test("- is standard input, kept in place")
    func standardInput() throws {
        let dir = TemporaryDirectory()
        let log = try dir.write(syncLog, "x")
        #expect(try InputResolver.resolve(["-", log]).map(\.location) == [.standardInput, .file(log)])
    }
}
