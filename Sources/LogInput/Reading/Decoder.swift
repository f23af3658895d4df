import LogMatching
/// The encodings these logs (and CSV tables) arrive in. Windows-1252 is not
/// decided here: for a log it is decided line by line (see `LineReader`),
/// because a UTF-8 file can hold one bad line; a table read whole decides it
/// for the whole text (see `CSVTable.decode`).
package enum TextEncoding: String, Sendable {
    case utf8 = "utf-8"
    case utf8BOM = "utf-8-bom"
    case utf16LE = "utf-16le"
    case utf16BE = "utf-16be"
}

extension TextEncoding {
    /// The encoding the first bytes of a text show, and how many of them are its BOM:
    /// a BOM, or the NUL pattern of UTF-16 text written without one (`A\0B\0`), else
    /// UTF-8. `first` holds four bytes, or fewer when the text is that short. One rule
    /// for logs and tables alike.
    package static func sniff(_ first: [UInt8]) -> (encoding: TextEncoding, bomLength: Int) {
        let b = first + [1, 1, 1, 1]  // padding so short texts index safely
        if b[0] == 0xEF && b[1] == 0xBB && b[2] == 0xBF && first.count >= 3 { return (.utf8BOM, 3) }
        if b[0] == 0xFF && b[1] == 0xFE && first.count >= 2 { return (.utf16LE, 2) }
        if b[0] == 0xFE && b[1] == 0xFF && first.count >= 2 { return (.utf16BE, 2) }
        if first.count >= 4 && b[0] != 0 && b[1] == 0 && b[2] != 0 && b[3] == 0 { return (.utf16LE, 0) }
        if first.count >= 4 && b[0] == 0 && b[1] != 0 && b[2] == 0 && b[3] != 0 { return (.utf16BE, 0) }
        return (.utf8, 0)
    }
}

/// The smallest output buffer UTF-16 is converted into directly; smaller reads go through a staging buffer.
private let minimumTranscodeBytes = 64

/// Turns a byte source in any supported encoding into UTF-8 bytes, streaming.
/// The encoding is sniffed from the first bytes: a BOM, or the NUL pattern of
/// UTF-16 text written without one.
package struct DecodingSource<Source: ByteSource>: ByteSource {
    package private(set) var source: Source
    package private(set) var encoding: TextEncoding?
    private var prefix: [UInt8] = []          // bytes read while sniffing, not yet handed on
    private var raw: UnsafeMutableRawBufferPointer? = nil
    private var carry: [UInt8] = []           // an odd byte left over between UTF-16 reads
    private var highSurrogate: UInt16 = 0
    private var readAgain = false
    /// Whether the last UTF-16 unit handed on ended a line: a U+FEFF there is the BOM of a
    /// file concatenated on (dropped); anywhere else it is text (kept).
    private var atLineStart = true
    /// Set by `startsNewFile`: a UTF-8 BOM at the next bytes is the new file's, not text.
    private var boundaryPending = false

    package init(_ source: Source, encoding: TextEncoding? = nil) {
        self.source = source
        self.encoding = encoding
    }

    /// Frees the conversion buffer. Call once when done (a struct has no deinit).
    package mutating func close() {
        raw?.deallocate()
        raw = nil
    }

    /// The source goes on in another file (`tail` after a rotation, even in the middle of a
    /// record): that file's BOM is dropped, not taken for a U+FEFF in the text.
    package mutating func startsNewFile() {
        guard let encoding else { return }  // not sniffed yet: the sniff drops the BOM
        switch encoding {
        case .utf8, .utf8BOM: boundaryPending = true
        case .utf16LE, .utf16BE: atLineStart = true
        }
    }

    package mutating func read(into buffer: UnsafeMutableRawBufferPointer) throws(InputError) -> Int {
        if encoding == nil {
            guard try sniff() else { return 0 }
        }
        if boundaryPending {
            guard try dropBoundaryBOM() else { return 0 }
        }
        if !prefix.isEmpty { return drainPrefix(into: buffer) }
        switch encoding! {
        case .utf8, .utf8BOM:
            return try source.read(into: buffer)
        case .utf16LE, .utf16BE:
            let littleEndian = encoding == .utf16LE
            if buffer.count >= minimumTranscodeBytes { return try transcodeUTF16(into: buffer, littleEndian: littleEndian) }
            // Too small for one conversion step: convert into a staging buffer and hand it on in pieces.
            let staging = UnsafeMutableRawBufferPointer.allocate(byteCount: minimumTranscodeBytes, alignment: 2)
            defer { staging.deallocate() }
            let count = try transcodeUTF16(into: staging, littleEndian: littleEndian)
            prefix = Array(staging[0..<count])
            return drainPrefix(into: buffer)
        }
    }

    /// Reads up to four bytes and decides the encoding. False when nothing has arrived yet.
    private mutating func sniff() throws(InputError) -> Bool {
        let probe = UnsafeMutableRawBufferPointer.allocate(byteCount: 4, alignment: 1)
        defer { probe.deallocate() }
        while prefix.count < 4 {
            let count = try source.read(into: UnsafeMutableRawBufferPointer(rebasing: probe[0..<(4 - prefix.count)]))
            if count == 0 { break }
            prefix.append(contentsOf: probe[0..<count])
        }
        if prefix.isEmpty { return false }
        let (sniffed, bomLength) = TextEncoding.sniff(prefix)
        encoding = sniffed
        prefix.removeFirst(bomLength)
        if encoding == .utf16LE || encoding == .utf16BE { carry = prefix; prefix = [] }
        return true
    }

    /// Reads up to three bytes of a new UTF-8 file and drops them if they are its BOM. False
    /// while what came may still be the start of one (wait for more).
    private mutating func dropBoundaryBOM() throws(InputError) -> Bool {
        let bom: [UInt8] = [0xEF, 0xBB, 0xBF]
        let probe = UnsafeMutableRawBufferPointer.allocate(byteCount: 3, alignment: 1)
        defer { probe.deallocate() }
        while prefix.count < 3 {
            let count = try source.read(into: UnsafeMutableRawBufferPointer(rebasing: probe[0..<(3 - prefix.count)]))
            if count == 0 { break }
            prefix.append(contentsOf: probe[0..<count])
        }
        if prefix.count >= 3 {
            if Array(prefix.prefix(3)) == bom { prefix.removeFirst(3) }
        } else if bom.starts(with: prefix) {
            return false  // nothing yet, or the first bytes of a BOM: look again when more came
        }
        boundaryPending = false
        return true
    }

    /// What is still held once the source has ended for good: U+FFFD for a UTF-16 high
    /// surrogate whose pair never came (an odd last byte is dropped). A tail never calls
    /// this, as more may come; a text read whole does.
    package mutating func finish() -> [UInt8] {
        guard highSurrogate != 0 else { return [] }
        highSurrogate = 0
        return [0xEF, 0xBF, 0xBD]
    }

    private mutating func drainPrefix(into buffer: UnsafeMutableRawBufferPointer) -> Int {
        let count = min(buffer.count, prefix.count)
        for index in 0..<count { buffer[index] = prefix[index] }
        prefix.removeFirst(count)
        return count
    }

    /// Converts until some output came or the source has nothing more: a loop,
    /// not recursion, so a stream of nothing but BOMs cannot exhaust the stack.
    private mutating func transcodeUTF16(into buffer: UnsafeMutableRawBufferPointer, littleEndian: Bool) throws(InputError) -> Int {
        while true {
            let out = try transcodeUTF16Step(into: buffer, littleEndian: littleEndian)
            if !readAgain { return out }
        }
    }

    private mutating func transcodeUTF16Step(into buffer: UnsafeMutableRawBufferPointer, littleEndian: Bool) throws(InputError) -> Int {
        readAgain = false
        // Every UTF-16 unit becomes at most 3 UTF-8 bytes (a surrogate pair, 4 for 2 units);
        // 3 more are kept for the U+FFFD of a high surrogate left over from the last read.
        let rawCapacity = 64 * 1024
        if raw == nil { raw = .allocate(byteCount: rawCapacity, alignment: 2) }
        let rawBuffer = raw!
        let wanted = min(rawCapacity, ((buffer.count - 3) / 3) * 2) - carry.count
        guard wanted > 0 else { return 0 }
        for (index, byte) in carry.enumerated() { rawBuffer[index] = byte }
        let fresh = try source.read(into: UnsafeMutableRawBufferPointer(rebasing: rawBuffer[carry.count..<(carry.count + wanted)]))
        let available = carry.count + fresh
        carry = []
        if fresh == 0 && available < 2 {
            carry = Array(rawBuffer[0..<available])
            return 0
        }
        let units = available / 2
        if available % 2 == 1 { carry = [rawBuffer[available - 1]] }
        var out = 0
        var lineStart = atLineStart
        defer { atLineStart = lineStart }
        @inline(__always) func put(_ byte: UInt8) { buffer[out] = byte; out += 1 }
        func putScalar(_ value: UInt32) {
            switch value {
            case 0..<0x80: put(UInt8(value))
            case 0x80..<0x800:
                put(UInt8(0xC0 | (value >> 6))); put(UInt8(0x80 | (value & 0x3F)))
            case 0x800..<0x10000:
                put(UInt8(0xE0 | (value >> 12))); put(UInt8(0x80 | ((value >> 6) & 0x3F)))
                put(UInt8(0x80 | (value & 0x3F)))
            default:
                put(UInt8(0xF0 | (value >> 18))); put(UInt8(0x80 | ((value >> 12) & 0x3F)))
                put(UInt8(0x80 | ((value >> 6) & 0x3F))); put(UInt8(0x80 | (value & 0x3F)))
            }
        }
        for index in 0..<units {
            let first = rawBuffer[2 * index], second = rawBuffer[2 * index + 1]
            let unit = littleEndian ? UInt16(first) | UInt16(second) << 8 : UInt16(first) << 8 | UInt16(second)
            if highSurrogate != 0 {
                let high = highSurrogate
                highSurrogate = 0
                lineStart = false
                if unit >= 0xDC00 && unit < 0xE000 {
                    putScalar(0x10000 + ((UInt32(high) - 0xD800) << 10) + (UInt32(unit) - 0xDC00))
                    continue
                }
                putScalar(0xFFFD)  // a lone high surrogate
            }
            switch unit {
            case 0xFEFF where lineStart: continue  // a BOM starting a line: files concatenated with cat
            case 0xD800..<0xDC00: highSurrogate = unit
            case 0xDC00..<0xE000: putScalar(0xFFFD); lineStart = false
            default:
                putScalar(UInt32(unit))
                lineStart = unit == 0x0A || unit == 0x0D
            }
        }
        // A read that produced nothing (BOMs only, or half a surrogate pair) must not look like end of input.
        readAgain = out == 0 && fresh > 0
        return out
    }
}

extension DecodingSource where Source == MemorySource {
    /// Bytes held whole (a CSV table) decoded to UTF-8 the way a log stream is: the same
    /// sniffing, BOM removal and UTF-16 conversion. Bytes that are not UTF-8 are passed
    /// on as they are, for the caller's fallback. The encoding is nil for no bytes.
    package static func decodeWhole(_ bytes: [UInt8]) -> (utf8: [UInt8], encoding: TextEncoding?) {
        var decoder = DecodingSource(MemorySource(bytes))
        defer { decoder.close() }
        var out: [UInt8] = []
        out.reserveCapacity(bytes.count + bytes.count / 2)
        let chunk = UnsafeMutableRawBufferPointer.allocate(byteCount: 64 * 1024, alignment: 16)
        defer { chunk.deallocate() }
        // A MemorySource never fails, and says 0 only at its end.
        while let count = try? decoder.read(into: chunk), count > 0 { out.append(contentsOf: chunk[0..<count]) }
        out += decoder.finish()
        return (out, decoder.encoding)
    }
}

extension Windows1252 {
    /// Every byte read as Windows-1252: the fallback for a whole text that is not UTF-8.
    static func decode(_ bytes: [UInt8]) -> String {
        String(unsafeUninitializedCapacity: bytes.count * 3) { buffer in
            let out = UnsafeMutableRawBufferPointer(buffer)
            var written = 0
            for byte in bytes {
                if byte < 0x80 {
                    out[written] = byte
                    written += 1
                } else {
                    written += encodeUTF8(byte, into: out, at: written)
                }
            }
            return written
        }
    }
}
