import LogMatching
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// One physical line, without its line ending. `bytes` is borrowed: valid only
/// while the handler that receives it runs.
package struct Line {
    package var bytes: UnsafeRawBufferPointer
    /// 1-based line number within the input.
    package var number: Int
    /// Bytes dropped from the middle of a line longer than the cap.
    package var skippedBytes: Int
}

/// How an input ends its lines, decided once per input from its first line end.
package enum LineEnding: String, Sendable {
    /// No line end seen yet (or only a CR that was the last byte read so far).
    case undecided
    /// LF or CRLF: a CR elsewhere in a line is kept as text.
    case lf
    /// CR alone (old Mac style, or a tool that stripped the LFs): CR, CRLF and LF all end a line.
    case cr
}

/// Splits a byte stream into lines in bounded memory, and normalizes each
/// line to UTF-8: the line end and NUL bytes dropped, bytes that are not
/// UTF-8 read as Windows-1252. A line longer than `maxLineBytes` keeps its
/// head and its last `tailBytes` (where both ConfigMgr formats put their
/// metadata); the middle is dropped and counted.
///
/// Line ends are decided per input by the first one: LF or CRLF make an LF
/// input (the usual case, scanned with memchr); a CR followed by anything else
/// makes a CR input, where CR, CRLF and a lone LF each end one line. A CRLF
/// split between two reads stays one line end either way.
package final class LineReader {
    package let maxLineBytes: Int
    package let tailBytes: Int
    package let chunkBytes: Int
    private let buffer: UnsafeMutableRawBufferPointer
    private var scratch: UnsafeMutableRawBufferPointer?
    private var start = 0
    private var end = 0
    private var scanFrom = 0
    private var skippedInLine = 0
    /// Lines handed on so far.
    package private(set) var lineCount = 0
    /// Bytes taken from the source so far.
    package private(set) var bytesRead = 0
    /// Lines that held bytes which are not UTF-8 and were read as Windows-1252.
    package private(set) var windows1252Lines = 0
    /// Bytes dropped from overlong lines.
    package private(set) var skippedBytes = 0
    /// How this input ends its lines; undecided until the first line end.
    package private(set) var lineEnding = LineEnding.undecided
    /// A CR input's last line ended at a CR that was the last byte read: an LF arriving
    /// next belongs to that line end (CRLF), not a line of its own.
    private var pendingLF = false

    package init(maxLineBytes: Int = 1 << 20, tailBytes: Int = 4096, chunkBytes: Int = 256 << 10) {
        self.maxLineBytes = max(64, maxLineBytes)
        self.tailBytes = max(16, min(tailBytes, maxLineBytes / 2))
        self.chunkBytes = max(64, chunkBytes)
        buffer = .allocate(byteCount: self.maxLineBytes + self.tailBytes + self.chunkBytes, alignment: 16)
    }

    deinit {
        buffer.deallocate()
        scratch?.deallocate()
    }

    /// Whether a partial line is waiting for its end.
    package var hasPartialLine: Bool { end > start }

    /// Forgets buffered bytes and line numbering: the file was truncated or replaced.
    package func reset() {
        start = 0; end = 0; scanFrom = 0; skippedInLine = 0; lineCount = 0
        lineEnding = .undecided; pendingLF = false
    }

    /// Reads from `source` until it has nothing more, handing on each complete line.
    /// A trailing partial line is kept for the next call or for `finish`.
    package func readAvailable<S: ByteSource>(from source: inout S, _ body: (Line) throws -> Void) throws -> Int {
        let base = buffer.baseAddress!
        var total = 0
        while true {
            if lineEnding == .undecided { decideLineEnding() }
            switch lineEnding {
            case .lf:
                while scanFrom < end, let hit = memchr(base + scanFrom, 0x0A, end - scanFrom) {
                    let newline = base.distance(to: hit)
                    try emit(upTo: newline, body)
                    start = newline + 1
                    scanFrom = start
                }
                scanFrom = end
            case .cr:
                try scanCRLines(body)
            case .undecided:
                break  // decideLineEnding left scanFrom where the next look starts
            }
            if start > 0 && buffer.count - end < chunkBytes {
                if end > start { memmove(base, base + start, end - start) }
                end -= start; scanFrom -= start; start = 0
            }
            if end - start > maxLineBytes + tailBytes { dropMiddle() }
            let room = min(chunkBytes, buffer.count - end)
            let count = try source.read(into: UnsafeMutableRawBufferPointer(start: base + end, count: room))
            if count == 0 { return total }
            end += count
            total += count
            bytesRead += count
        }
    }

    /// Hands on the last line if the input did not end with a newline.
    package func finish(_ body: (Line) throws -> Void) throws {
        // What follows (the next file of a tailed log) starts afresh: an LF there is a line end.
        pendingLF = false
        guard end > start else { return }
        try emit(upTo: end, body)
        start = 0; end = 0; scanFrom = 0
    }

    /// Looks at the unscanned bytes for the first line end. An LF, or a CR followed by an LF,
    /// makes an LF input; a CR followed by anything else a CR input. A CR that is the last
    /// byte read so far decides nothing yet: scanning resumes at it once more bytes come.
    private func decideLineEnding() {
        guard scanFrom < end else { return }
        let base = buffer.baseAddress!
        let length = end - scanFrom
        let lf = memchr(base + scanFrom, 0x0A, length).map { base.distance(to: $0) }
        let crSearch = (lf ?? end) - scanFrom
        guard let crHit = memchr(base + scanFrom, 0x0D, crSearch) else {
            if lf != nil { lineEnding = .lf } else { scanFrom = end }
            return
        }
        let cr = base.distance(to: crHit)
        if cr + 1 < end {
            lineEnding = base.load(fromByteOffset: cr + 1, as: UInt8.self) == 0x0A ? .lf : .cr
        } else {
            scanFrom = cr
        }
    }

    /// Hands on the lines of a CR input: a byte loop over CR and LF (both end a line here,
    /// a CRLF counts once), with no allocation.
    private func scanCRLines(_ body: (Line) throws -> Void) throws {
        let base = buffer.baseAddress!
        if pendingLF && start < end {
            pendingLF = false
            if base.load(fromByteOffset: start, as: UInt8.self) == 0x0A {
                start += 1
                scanFrom = max(scanFrom, start)
            }
        }
        var index = scanFrom
        while index < end {
            let byte = base.load(fromByteOffset: index, as: UInt8.self)
            if byte > 0x0D || (byte != 0x0D && byte != 0x0A) {
                index += 1
                continue
            }
            try emit(upTo: index, body)
            index += 1
            if byte == 0x0D {
                if index == end {
                    pendingLF = true
                } else if base.load(fromByteOffset: index, as: UInt8.self) == 0x0A {
                    index += 1
                }
            }
            start = index
        }
        scanFrom = end
    }

    /// Keeps the head and the last `tailBytes` of an overlong partial line.
    private func dropMiddle() {
        let base = buffer.baseAddress!
        let keepTailFrom = end - tailBytes
        let tailStart = start + maxLineBytes
        guard keepTailFrom > tailStart else { return }
        memmove(base + tailStart, base + keepTailFrom, tailBytes)
        let dropped = keepTailFrom - tailStart
        skippedInLine += dropped
        end = tailStart + tailBytes
        // An undecided input may have stopped at a last-byte CR: it moved with the tail.
        let lastIsCR = base.load(fromByteOffset: end - 1, as: UInt8.self) == 0x0D
        scanFrom = lineEnding == .undecided && lastIsCR ? end - 1 : end
    }

    @inline(__always)
    private func emit(upTo lineEnd: Int, _ body: (Line) throws -> Void) throws {
        let base = buffer.baseAddress!
        var stop = lineEnd
        if skippedInLine > 0 || stop - start > maxLineBytes + tailBytes {
            // The end of an overlong line arrived: trim its tail to `tailBytes`.
            let tailStart = start + maxLineBytes
            if stop - tailStart > tailBytes {
                let from = stop - tailBytes
                memmove(base + tailStart, base + from, tailBytes)
                skippedInLine += from - tailStart
                stop = tailStart + tailBytes
            }
        }
        if stop > start && base.load(fromByteOffset: stop - 1, as: UInt8.self) == 0x0D { stop -= 1 }
        lineCount += 1
        let skipped = skippedInLine
        skippedInLine = 0
        skippedBytes += skipped
        let raw = UnsafeRawBufferPointer(start: base + start, count: stop - start)
        if TextScan.isPlainASCII(raw) {
            try body(Line(bytes: raw, number: lineCount, skippedBytes: skipped))
        } else {
            try body(Line(bytes: normalize(raw), number: lineCount, skippedBytes: skipped))
        }
    }

    /// Drops NULs and a BOM that starts the line, keeps valid UTF-8 (U+FEFF inside a line
    /// too: it is text, shown escaped), and reads any other byte as Windows-1252.
    private func normalize(_ line: UnsafeRawBufferPointer) -> UnsafeRawBufferPointer {
        if scratch == nil { scratch = .allocate(byteCount: 3 * (maxLineBytes + tailBytes) + 4, alignment: 16) }
        let out = scratch!
        var written = 0
        var index = 0
        var sawWindows1252 = false
        let count = line.count
        while index < count {
            let byte = line[index]
            if byte == 0 { index += 1; continue }
            if byte < 0x80 { out[written] = byte; written += 1; index += 1; continue }
            let length = UTF8Validation.sequenceLength(line, at: index)
            if length > 0 {
                // U+FEFF (EF BB BF) starting a line is a BOM left by concatenated files: drop it.
                if !(written == 0 && length == 3 && byte == 0xEF && line[index + 1] == 0xBB && line[index + 2] == 0xBF) {
                    for offset in 0..<length { out[written + offset] = line[index + offset] }
                    written += length
                }
                index += length
            } else {
                sawWindows1252 = true
                written += Windows1252.encodeUTF8(byte, into: out, at: written)
                index += 1
            }
        }
        if sawWindows1252 { windows1252Lines += 1 }
        return UnsafeRawBufferPointer(start: out.baseAddress, count: written)
    }
}

enum TextScan {
    /// True when no byte is NUL or >= 0x80: the line needs no normalizing.
    @inline(__always)
    static func isPlainASCII(_ bytes: UnsafeRawBufferPointer) -> Bool {
        guard let base = bytes.baseAddress else { return true }
        let count = bytes.count
        var index = 0
        let high: UInt64 = 0x8080_8080_8080_8080
        let ones: UInt64 = 0x0101_0101_0101_0101
        // 32 bytes per step: one test for four words.
        while index + 32 <= count {
            let w0 = base.loadUnaligned(fromByteOffset: index, as: UInt64.self)
            let w1 = base.loadUnaligned(fromByteOffset: index + 8, as: UInt64.self)
            let w2 = base.loadUnaligned(fromByteOffset: index + 16, as: UInt64.self)
            let w3 = base.loadUnaligned(fromByteOffset: index + 24, as: UInt64.self)
            let zeros = ((w0 &- ones) & ~w0) | ((w1 &- ones) & ~w1) | ((w2 &- ones) & ~w2) | ((w3 &- ones) & ~w3)
            if ((w0 | w1 | w2 | w3) | zeros) & high != 0 { return false }
            index += 32
        }
        while index + 8 <= count {
            let word = base.loadUnaligned(fromByteOffset: index, as: UInt64.self)
            // Any byte >= 0x80, or any zero byte (the classic has-zero-byte test).
            if (word & high) != 0 || ((word &- ones) & ~word & high) != 0 { return false }
            index += 8
        }
        while index < count {
            let byte = base.load(fromByteOffset: index, as: UInt8.self)
            if byte == 0 || byte >= 0x80 { return false }
            index += 1
        }
        return true
    }
}

package enum UTF8Validation {
    /// The length of the valid UTF-8 sequence starting at `index`, or 0 if the bytes there are not one.
    @inline(__always)
    package static func sequenceLength(_ bytes: UnsafeRawBufferPointer, at index: Int) -> Int {
        let first = bytes[index]
        let remaining = bytes.count - index
        func continuation(_ offset: Int) -> Bool { bytes[index + offset] & 0xC0 == 0x80 }
        switch first {
        case 0xC2...0xDF:
            return remaining >= 2 && continuation(1) ? 2 : 0
        case 0xE0...0xEF:
            guard remaining >= 3, continuation(1), continuation(2) else { return 0 }
            let second = bytes[index + 1]
            if first == 0xE0 && second < 0xA0 { return 0 }   // overlong
            if first == 0xED && second >= 0xA0 { return 0 }  // surrogate
            return 3
        case 0xF0...0xF4:
            guard remaining >= 4, continuation(1), continuation(2), continuation(3) else { return 0 }
            let second = bytes[index + 1]
            if first == 0xF0 && second < 0x90 { return 0 }
            if first == 0xF4 && second >= 0x90 { return 0 }
            return 4
        default:
            return 0
        }
    }
}

enum Windows1252 {
    /// Code points for 0x80...0x9F; the five bytes Windows leaves undefined map to the C1 controls.
    static let high: [UInt16] = [
        0x20AC, 0x0081, 0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021,
        0x02C6, 0x2030, 0x0160, 0x2039, 0x0152, 0x008D, 0x017D, 0x008F,
        0x0090, 0x2018, 0x2019, 0x201C, 0x201D, 0x2022, 0x2013, 0x2014,
        0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, 0x009D, 0x017E, 0x0178,
    ]

    /// Writes `byte`, read as Windows-1252, as UTF-8 at `offset`; returns the bytes written.
    static func encodeUTF8(_ byte: UInt8, into out: UnsafeMutableRawBufferPointer, at offset: Int) -> Int {
        let scalar = byte < 0xA0 ? UInt32(high[Int(byte) - 0x80]) : UInt32(byte)
        if scalar < 0x800 {
            out[offset] = UInt8(0xC0 | (scalar >> 6))
            out[offset + 1] = UInt8(0x80 | (scalar & 0x3F))
            return 2
        }
        out[offset] = UInt8(0xE0 | (scalar >> 12))
        out[offset + 1] = UInt8(0x80 | ((scalar >> 6) & 0x3F))
        out[offset + 2] = UInt8(0x80 | (scalar & 0x3F))
        return 3
    }
}
