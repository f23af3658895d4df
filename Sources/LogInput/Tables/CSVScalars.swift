/// The Unicode scalars of a byte source, decoded as `CSVTable.decode` decodes a whole
/// table (BOM, UTF-16 with or without one, Windows-1252 when the text is not UTF-8), but
/// read through a 64 KiB buffer, so a table of any size costs the same memory.
struct CSVScalars<Source: ByteSource>: IteratorProtocol {
    private var bytes: ByteChunks<Source>
    private var utf8 = Unicode.UTF8()
    /// Every byte is a Windows-1252 character: the text as a whole is not UTF-8.
    let windows1252: Bool
    /// Set when a byte did not decode (only while checking that the text is UTF-8).
    private(set) var invalid = false
    var error: InputError? { bytes.error }
    var encoding: TextEncoding? { bytes.source.encoding }

    init(_ source: Source, windows1252: Bool) {
        bytes = ByteChunks(DecodingSource(source))
        self.windows1252 = windows1252
    }

    mutating func next() -> Unicode.Scalar? {
        if windows1252 {
            guard let byte = bytes.next() else { return nil }
            return Unicode.Scalar(byte < 0x80 || byte >= 0xA0 ? UInt32(byte) : UInt32(Windows1252.high[Int(byte) - 0x80]))
        }
        switch utf8.decode(&bytes) {
        case .scalarValue(let scalar): return scalar
        case .emptyInput: return nil
        case .error:
            invalid = true
            return "\u{FFFD}"
        }
    }

    mutating func close() {
        bytes.source.close()
        bytes.deallocate()
    }
}

/// Decoded bytes of a source through a fixed buffer; a read error ends them and is kept.
struct ByteChunks<Source: ByteSource>: IteratorProtocol {
    var source: DecodingSource<Source>
    /// What the decoder holds at the end (U+FFFD for a UTF-16 surrogate left unpaired).
    private var tail: [UInt8] = []
    private let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: 64 * 1024, alignment: 16)
    private var index = 0
    private var count = 0
    private(set) var error: InputError?
    private var ended = false

    init(_ source: DecodingSource<Source>) { self.source = source }

    mutating func next() -> UInt8? {
        if index == count {
            if ended { return tail.isEmpty ? nil : tail.removeFirst() }
            do {
                count = try source.read(into: buffer)
            } catch {
                self.error = error
                count = 0
            }
            index = 0
            if count == 0 {
                ended = true
                tail = error == nil ? source.finish() : []
                return tail.isEmpty ? nil : tail.removeFirst()
            }
        }
        defer { index += 1 }
        return buffer[index]
    }

    /// Frees the buffer. Call once when done (a struct has no deinit).
    func deallocate() { buffer.deallocate() }
}
