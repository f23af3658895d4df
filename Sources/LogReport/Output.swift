import LogInput
import LogRules
import LogAnalysis
import LogFindings
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Why an output stopped taking bytes. Thrown (by `check`) to end a command: a closed
/// reader quietly, any other write error with a message and exit 2.
package enum WriteFailure: Error, Equatable, Sendable {
    /// EPIPE: the reader went away (`| head -1`). Not an error of ours.
    case closed
    /// Any other write error (ENOSPC, EIO, EBADF, …) on the named output.
    case failed(output: String, errno: Int32)

    package var message: String? {
        switch self {
        case .closed: nil
        case .failed(let output, let code): "cannot write to \(output): \(String(cString: strerror(code)))"
        }
    }
}

/// A buffered writer of bytes to a file descriptor (or to memory, for tests),
/// with the JSON and number encodings the reports need, written without
/// building intermediate strings.
package final class Output {
    private let descriptor: Int32?
    /// How messages name this output ("standard output").
    package let name: String
    private var buffer: [UInt8] = []
    private let flushAt = 64 * 1024
    /// Everything written, when writing to memory.
    package private(set) var captured: [UInt8] = []
    /// Set by the first failed write: further writes are dropped.
    package private(set) var failure: WriteFailure?
    /// Whether writes stopped (the reader went away, or the device refused them).
    package var isClosed: Bool { failure != nil }

    package init(descriptor: Int32, name: String? = nil) {
        self.descriptor = descriptor
        self.name = name ?? (descriptor == 1 ? "standard output" : descriptor == 2 ? "standard error" : "descriptor \(descriptor)")
        buffer.reserveCapacity(flushAt + 4096)
    }

    /// Writes to memory; read it back with `text`.
    package init() {
        descriptor = nil
        name = "memory"
    }

    nonisolated(unsafe) package static let standardOutput = Output(descriptor: 1)
    nonisolated(unsafe) package static let standardError = Output(descriptor: 2)

    /// Throws once a write has failed, so that a command stops reading at once instead of
    /// producing output nobody takes. Cheap enough for once per record: no flush, one load.
    @inline(__always)
    package func check() throws(WriteFailure) {
        if let failure { throw failure }
    }

    package var text: String {
        flush()
        return String(decoding: captured, as: UTF8.self)
    }

    deinit { flush() }

    package func flush() {
        guard !buffer.isEmpty else { return }
        defer { buffer.removeAll(keepingCapacity: true) }
        guard let descriptor else {
            captured += buffer
            return
        }
        guard failure == nil else { return }
        buffer.withUnsafeBytes { bytes in
            var offset = 0
            while offset < bytes.count {
                let written = Glibc.write(descriptor, bytes.baseAddress! + offset, bytes.count - offset)
                if written < 0 {
                    let code = errno
                    if code == EINTR { continue }
                    if code == EAGAIN {
                        // A non-blocking descriptor that is full: wait for room rather than spin.
                        var ready = pollfd(fd: descriptor, events: Int16(POLLOUT), revents: 0)
                        _ = poll(&ready, 1, -1)
                        continue
                    }
                    // EPIPE: the reader is gone, stop quietly; anything else is told (exit 2).
                    failure = code == EPIPE ? .closed : .failed(output: name, errno: code)
                    return
                }
                if written == 0 {
                    failure = .failed(output: name, errno: EIO)  // a device that takes nothing
                    return
                }
                offset += written
            }
        }
    }

    @inline(__always)
    private func flushIfFull() { if buffer.count >= flushAt { flush() } }

    package func write(_ text: String) {
        buffer.append(contentsOf: text.utf8)
        flushIfFull()
    }

    package func write(bytes: UnsafeRawBufferPointer) {
        buffer.append(contentsOf: bytes)
        flushIfFull()
    }

    @inline(__always)
    package func write(byte: UInt8) { buffer.append(byte) }

    package func write(int value: Int) { JSONEscaping.appendInt(value, to: &buffer) }

    /// `"2020-02-28T18:00:00.000Z"`, quoted.
    package func write(instant: Instant) {
        let time = CivilTime(utc: instant)
        buffer.append(UInt8(ascii: "\""))
        TimeText.appendYear(time.year, to: &buffer); buffer.append(UInt8(ascii: "-")); pad(time.month, 2); buffer.append(UInt8(ascii: "-"))
        pad(time.day, 2); buffer.append(UInt8(ascii: "T")); pad(time.hour, 2); buffer.append(UInt8(ascii: ":"))
        pad(time.minute, 2); buffer.append(UInt8(ascii: ":")); pad(time.second, 2); buffer.append(UInt8(ascii: "."))
        pad(Int(time.fractionTicks / 10_000), 3)
        buffer.append(UInt8(ascii: "Z")); buffer.append(UInt8(ascii: "\""))
    }

    private func pad(_ value: Int, _ width: Int) {
        var divisor = 1
        for _ in 1..<width { divisor *= 10 }
        var rest = value
        while divisor > 0 {
            buffer.append(UInt8(ascii: "0") + UInt8(rest / divisor % 10))
            rest %= divisor
            divisor /= 10
        }
    }

    package func write(jsonString text: String) {
        var copy = text
        copy.withUTF8 { write(jsonString: UnsafeRawBufferPointer($0)) }
    }

    /// A JSON string literal. Control characters (C0, DEL and C1) are escaped
    /// so that no log text reaches a terminal raw; bytes that are not UTF-8
    /// become U+FFFD.
    package func write(jsonString bytes: UnsafeRawBufferPointer) {
        buffer.append(UInt8(ascii: "\""))
        write(jsonEscaped: bytes)
        buffer.append(UInt8(ascii: "\""))
        flushIfFull()
    }

    /// The inside of a JSON string literal, without the quotes.
    package func write(jsonEscaped bytes: UnsafeRawBufferPointer) { JSONEscaping.append(bytes, to: &buffer) }
}

/// How JSON text is escaped, for `Output` and for writers with a buffer of their own.
enum JSONEscaping {
    /// Appends the inside of a JSON string literal. Control characters (C0, DEL and C1) are
    /// escaped so that no log text reaches a terminal raw; bytes that are not UTF-8 become U+FFFD.
    static func append(_ bytes: UnsafeRawBufferPointer, to buffer: inout [UInt8]) {
        var index = 0
        let count = bytes.count
        var runStart = 0
        @inline(__always) func flushRun(_ end: Int) {
            if end > runStart { buffer.append(contentsOf: UnsafeRawBufferPointer(rebasing: bytes[runStart..<end])) }
        }
        while index < count {
            let byte = bytes[index]
            if byte >= 0x20 && byte < 0x7F && byte != UInt8(ascii: "\"") && byte != UInt8(ascii: "\\") {
                index += 1
                continue
            }
            flushRun(index)
            if byte < 0x80 {
                switch byte {
                case UInt8(ascii: "\""): buffer.append(contentsOf: [0x5C, 0x22])
                case UInt8(ascii: "\\"): buffer.append(contentsOf: [0x5C, 0x5C])
                case 0x0A: buffer.append(contentsOf: [0x5C, UInt8(ascii: "n")])
                case 0x09: buffer.append(contentsOf: [0x5C, UInt8(ascii: "t")])
                case 0x0D: buffer.append(contentsOf: [0x5C, UInt8(ascii: "r")])
                default: unicodeEscape(UInt16(byte), to: &buffer)
                }
                index += 1
            } else {
                let length = UTF8Validation.sequenceLength(bytes, at: index)
                if length == 0 {
                    buffer.append(contentsOf: [0xEF, 0xBF, 0xBD])
                    index += 1
                } else if length == 2 && byte == 0xC2 && bytes[index + 1] < 0xA0 {
                    unicodeEscape(UInt16(bytes[index + 1]), to: &buffer)  // C1 control
                    index += 2
                } else if length <= 3, case let scalar = scalar(bytes, at: index, length: length), Terminal.isInvisible(scalar) {
                    // Bidi controls, zero-width characters, U+2028/9, U+FEFF: kept, as \u escapes,
                    // so the value is the same and raw JSON on a terminal shows them.
                    unicodeEscape(UInt16(scalar), to: &buffer)
                    index += length
                } else {
                    buffer.append(contentsOf: UnsafeRawBufferPointer(rebasing: bytes[index..<(index + length)]))
                    index += length
                }
            }
            runStart = index
        }
        flushRun(count)
    }

    /// The code point of a valid 2- or 3-byte UTF-8 sequence.
    @inline(__always)
    private static func scalar(_ bytes: UnsafeRawBufferPointer, at index: Int, length: Int) -> UInt32 {
        if length == 2 { return UInt32(bytes[index] & 0x1F) << 6 | UInt32(bytes[index + 1] & 0x3F) }
        return UInt32(bytes[index] & 0x0F) << 12 | UInt32(bytes[index + 1] & 0x3F) << 6 | UInt32(bytes[index + 2] & 0x3F)
    }

    private static func unicodeEscape(_ value: UInt16, to buffer: inout [UInt8]) {
        @inline(__always) func hex(_ nibble: UInt16) -> UInt8 { nibble < 10 ? UInt8(nibble) + 0x30 : UInt8(nibble) + 0x57 }
        buffer.append(0x5C); buffer.append(UInt8(ascii: "u"))
        buffer.append(hex(value >> 12 & 0xF)); buffer.append(hex(value >> 8 & 0xF))
        buffer.append(hex(value >> 4 & 0xF)); buffer.append(hex(value & 0xF))
    }

    /// A whole number in decimal.
    static func appendInt(_ value: Int, to buffer: inout [UInt8]) {
        if value < 0 { buffer.append(UInt8(ascii: "-")) }
        var magnitude = value.magnitude
        var digits: (UInt64, UInt64, UInt64) = (0, 0, 0)  // 24 bytes: room for 20 digits
        var count = 0
        withUnsafeMutableBytes(of: &digits) { slots in
            repeat {
                slots[count] = UInt8(ascii: "0") + UInt8(magnitude % 10)
                magnitude /= 10
                count += 1
            } while magnitude > 0
            for index in stride(from: count - 1, through: 0, by: -1) { buffer.append(slots[index]) }
        }
    }
}
