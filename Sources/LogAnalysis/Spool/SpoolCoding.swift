import LogInput
import LogRules
/// What a `Spool` can hold: a type that writes itself as bytes and reads
/// itself back. The format is private to one run (a spool never outlives its
/// process), so it has no version and no byte order beyond this machine's.
package protocol SpoolCodable {
    func encode(to writer: inout SpoolWriter)
    init(from reader: inout SpoolReader)
}

/// Writes numbers as variable-length integers and text as length and UTF-8.
package struct SpoolWriter {
    package var bytes: [UInt8]

    init(bytes: [UInt8]) { self.bytes = bytes }

    package mutating func int(_ value: Int) { uint(UInt64(bitPattern: Int64(value)) << 1 ^ UInt64(bitPattern: Int64(value) >> 63)) }

    package mutating func uint(_ value: UInt64) {
        var value = value
        while value >= 0x80 {
            bytes.append(UInt8(truncatingIfNeeded: value) | 0x80)
            value >>= 7
        }
        bytes.append(UInt8(value))
    }

    package mutating func byte(_ value: UInt8) { bytes.append(value) }

    package mutating func string(_ value: String) {
        var value = value
        value.withUTF8 { utf8 in
            uint(UInt64(utf8.count))
            bytes.append(contentsOf: utf8)
        }
    }

    package mutating func optional<T>(_ value: T?, _ write: (inout SpoolWriter, T) -> Void) {
        guard let value else { byte(0); return }
        byte(1)
        write(&self, value)
    }

    package mutating func instant(_ value: Instant?) { optional(value) { $0.int(Int($1.ticks)) } }
    package mutating func double(_ value: Double?) { optional(value) { $0.uint($1.bitPattern) } }
}

/// Reads what `SpoolWriter` wrote. A spool reads only its own bytes, so a short
/// buffer cannot happen; should it, the reader gives zeros and empty text, never a crash.
package struct SpoolReader {
    private let bytes: [UInt8]
    private var position: Int
    private let end: Int

    init(_ bytes: [UInt8], from start: Int, to end: Int) {
        self.bytes = bytes
        position = start
        self.end = end
    }

    package mutating func byte() -> UInt8 {
        guard position < end else { return 0 }
        defer { position += 1 }
        return bytes[position]
    }

    package mutating func uint() -> UInt64 {
        var value: UInt64 = 0
        var shift: UInt64 = 0
        while position < end && shift < 64 {
            let byte = bytes[position]
            position += 1
            value |= UInt64(byte & 0x7F) << shift
            if byte < 0x80 { break }
            shift += 7
        }
        return value
    }

    package mutating func int() -> Int {
        let raw = uint()
        return Int(truncatingIfNeeded: Int64(bitPattern: raw >> 1) ^ -Int64(bitPattern: raw & 1))
    }

    package mutating func string() -> String {
        let length = min(Int(truncatingIfNeeded: uint()), end - position)
        guard length > 0 else { return "" }
        defer { position += length }
        return bytes.withUnsafeBufferPointer { String(decoding: $0[position..<position + length], as: UTF8.self) }
    }

    package mutating func optional<T>(_ read: (inout SpoolReader) -> T) -> T? {
        byte() == 1 ? read(&self) : nil
    }

    package mutating func instant() -> Instant? { optional { Instant(ticks: Int64($0.int())) } }
    package mutating func double() -> Double? { optional { Double(bitPattern: $0.uint()) } }
}

extension Evidence: SpoolCodable {
    package func encode(to writer: inout SpoolWriter) {
        writer.string(input)
        writer.int(line)
        writer.string(text)
        writer.optional(rule) { $0.string($1) }
        writer.optional(provenance) { $0.string($1.rawValue) }
    }

    package init(from reader: inout SpoolReader) {
        let input = reader.string(), line = reader.int(), text = reader.string()
        let rule = reader.optional { $0.string() }
        let provenance = reader.optional { $0.string() }.flatMap(Provenance.init(rawValue:))
        self.init(input: input, line: line, text: text, rule: rule, provenance: provenance)
    }
}

extension Instant: SpoolCodable {
    package func encode(to writer: inout SpoolWriter) { writer.int(Int(ticks)) }
    package init(from reader: inout SpoolReader) { self.init(ticks: Int64(reader.int())) }
}
