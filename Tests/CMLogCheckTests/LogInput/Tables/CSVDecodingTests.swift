import Testing
@testable import LogInput

/// CSVTable's own decoder before it moved onto `DecodingSource`, kept here as the
/// oracle that the shared decoder reproduces.
private enum OldCSVDecoder {
    static func decode(_ bytes: [UInt8]) -> (String, String) {
        if bytes.count >= 3 && bytes[0] == 0xEF && bytes[1] == 0xBB && bytes[2] == 0xBF {
            return (utf8OrWindows1252(Array(bytes[3...])).0, "utf-8-bom")
        }
        if bytes.count >= 2 && bytes[0] == 0xFF && bytes[1] == 0xFE { return (utf16(Array(bytes[2...]), littleEndian: true), "utf-16le") }
        if bytes.count >= 2 && bytes[0] == 0xFE && bytes[1] == 0xFF { return (utf16(Array(bytes[2...]), littleEndian: false), "utf-16be") }
        if bytes.count >= 4 && bytes[0] != 0 && bytes[1] == 0 && bytes[2] != 0 && bytes[3] == 0 { return (utf16(bytes, littleEndian: true), "utf-16le") }
        if bytes.count >= 4 && bytes[0] == 0 && bytes[1] != 0 && bytes[2] == 0 && bytes[3] != 0 { return (utf16(bytes, littleEndian: false), "utf-16be") }
        return utf8OrWindows1252(bytes)
    }

    static func utf8OrWindows1252(_ bytes: [UInt8]) -> (String, String) {
        if let text = String(validating: bytes, as: UTF8.self) { return (text, "utf-8") }
        var scalars = String.UnicodeScalarView()
        for byte in bytes {
            let value = byte >= 0x80 && byte < 0xA0 ? UInt32(Windows1252.high[Int(byte) - 0x80]) : UInt32(byte)
            scalars.append(Unicode.Scalar(value)!)
        }
        return (String(scalars), "windows-1252")
    }

    static func utf16(_ bytes: [UInt8], littleEndian: Bool) -> String {
        var units: [UInt16] = []
        var index = 0
        while index + 1 < bytes.count {
            let low = UInt16(bytes[littleEndian ? index : index + 1]), high = UInt16(bytes[littleEndian ? index + 1 : index])
            units.append(high << 8 | low)
            index += 2
        }
        return String(decoding: units, as: UTF16.self)
    }
}

private func units(_ values: [UInt16], littleEndian: Bool, bom: Bool) -> [UInt8] {
    (bom ? [0xFEFF] + values : values).flatMap { littleEndian ? [UInt8($0 & 0xFF), UInt8($0 >> 8)] : [UInt8($0 >> 8), UInt8($0 & 0xFF)] }
}

@Suite("CSV tables on the log decoder")
struct CSVDecodingTests {
    @Test("the shared decoder gives the text and encoding name CSVTable gave before")
    func sameAsBefore() {
        let text = "Name;Note\r\nCAFÉ;€ 5 😀\r\n"
        var inputs: [[UInt8]] = [
            [], [0x41], [0xEF, 0xBB], [0xEF, 0xBB, 0xBF], [0xFF, 0xFE], [0xFE, 0xFF, 0x00],
            Array(text.utf8), [0xEF, 0xBB, 0xBF] + Array(text.utf8),
            [0x4E, 0x61, 0x6D, 0x65, 0x0A, 0x43, 0x41, 0x46, 0xC9, 0x80, 0x9D, 0x0A],           // Windows-1252
            [0xEF, 0xBB, 0xBF, 0x43, 0x41, 0x46, 0xC9, 0x0A],                                    // a BOM, then not UTF-8
            Array(text.utf8) + [0xFF],                                                           // UTF-8 but for one byte
        ]
        for littleEndian in [true, false] {
            for bom in [true, false] {
                let encoded = units(Array(text.utf16), littleEndian: littleEndian, bom: bom)
                inputs.append(encoded)
                inputs.append(encoded + [0x41])                                                // an odd last byte
                inputs.append(units(Array("AB".utf16) + [0xDC00, 0x43, 0xD800, 0x44], littleEndian: littleEndian, bom: bom))
                inputs.append(units(Array("AB".utf16) + [0xD83D], littleEndian: littleEndian, bom: bom))   // a high surrogate last
            }
        }
        for input in inputs {
            let (new, old) = (CSVTable.decode(input), OldCSVDecoder.decode(input))
            #expect(new.0 == old.0 && new.1 == old.1, "\(input)")
        }
    }

    @Test("one difference: a BOM inside UTF-16 text (files joined) is dropped, as in logs")
    func innerBOM() {
        let joined = units(Array("A\n".utf16), littleEndian: true, bom: true) + units(Array("B\n".utf16), littleEndian: true, bom: true)
        #expect(CSVTable.decode(joined) == ("A\nB\n", "utf-16le"))
        #expect(CSVTable.read(joined)?.rows.map(\.fields) == [["B"]])
    }

    @Test("sniffing is one rule for logs and tables")
    func sniff() {
        #expect(TextEncoding.sniff([0xEF, 0xBB, 0xBF, 0x41]) == (.utf8BOM, 3))
        #expect(TextEncoding.sniff([0xFF, 0xFE, 0x41, 0x00]) == (.utf16LE, 2))
        #expect(TextEncoding.sniff([0xFE, 0xFF]) == (.utf16BE, 2))
        #expect(TextEncoding.sniff([0x41, 0x00, 0x42, 0x00]) == (.utf16LE, 0))
        #expect(TextEncoding.sniff([0x00, 0x41, 0x00, 0x42]) == (.utf16BE, 0))
        #expect(TextEncoding.sniff([0x41, 0x00, 0x42]) == (.utf8, 0))
        #expect(TextEncoding.sniff([]) == (.utf8, 0))
    }
}
