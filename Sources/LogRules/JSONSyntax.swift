/// Strict JSON (RFC 8259) syntax, checked before a data file is decoded. Foundation's
/// parsers accept trailing commas and other extensions, so a file that only cmlogcheck
/// would read could pass review and then break every other JSON tool; and their errors
/// give a byte offset at best. This check refuses anything that is not JSON and says the
/// line and column (in characters) where it stops being JSON. Nesting is bounded, so no
/// input can exhaust the stack.
package struct JSONSyntaxError: Error, Sendable, Equatable, CustomStringConvertible {
    package var line: Int
    package var column: Int
    package var message: String

    package var description: String { "line \(line), column \(column): \(message)" }
}

/// JSON's null, as `JSONSyntax.parse` gives it.
package struct JSONNull: Sendable, Equatable {}

package enum JSONSyntax {
    /// Deeper nesting than any data file of this project needs; refused rather than recursed into.
    static let maxDepth = 256

    /// Nil when `bytes` are one JSON value (a UTF-8 byte order mark before it is allowed).
    package static func check(_ bytes: [UInt8]) -> JSONSyntaxError? {
        do throws(JSONSyntaxError) {
            _ = try parse(bytes)
            return nil
        } catch {
            return error
        }
    }

    /// The JSON value `bytes` hold, as JSONSerialization gives it but without Foundation:
    /// objects `[String: Any]`, arrays `[Any]`, texts `String`, whole numbers that fit
    /// `Int`, other numbers `Double`, `Bool`, and `JSONNull` for null. A key given twice
    /// keeps its last value.
    package static func parse(_ bytes: [UInt8]) throws(JSONSyntaxError) -> Any {
        var scanner = Scanner(bytes: bytes)
        if bytes.starts(with: [0xEF, 0xBB, 0xBF]) { scanner.offset = 3 }
        scanner.skipSpace()
        let value = try scanner.value(depth: 0)
        scanner.skipSpace()
        if scanner.offset < bytes.count { throw scanner.fail("more text after the JSON value ends") }
        return value
    }

    struct Scanner {
        let bytes: [UInt8]
        var offset = 0

        var current: UInt8? { offset < bytes.count ? bytes[offset] : nil }

        mutating func skipSpace() {
            while let byte = current, byte == 0x20 || byte == 0x09 || byte == 0x0A || byte == 0x0D { offset += 1 }
        }

        /// The error at the current offset, with its line and column counted in characters.
        func fail(_ message: String) -> JSONSyntaxError {
            var line = 1, column = 1
            for byte in bytes[..<min(offset, bytes.count)] {
                if byte == 0x0A { line += 1; column = 1 } else if byte & 0xC0 != 0x80 { column += 1 }
            }
            return JSONSyntaxError(line: line, column: column, message: message)
        }

        func found() -> String {
            guard let byte = current else { return "the end of the file" }
            if byte >= 0x21 && byte < 0x7F { return "'\(Character(Unicode.Scalar(byte)))'" }
            return "byte 0x\(String(byte, radix: 16, uppercase: true))"
        }

        mutating func value(depth: Int) throws(JSONSyntaxError) -> Any {
            guard depth < JSONSyntax.maxDepth else { throw fail("nested more than \(JSONSyntax.maxDepth) levels deep") }
            guard let byte = current else { throw fail("expected a value, found the end of the file") }
            switch byte {
            case UInt8(ascii: "{"): return try object(depth: depth)
            case UInt8(ascii: "["): return try array(depth: depth)
            case UInt8(ascii: "\""): return try string()
            case UInt8(ascii: "t"): try literal("true"); return true
            case UInt8(ascii: "f"): try literal("false"); return false
            case UInt8(ascii: "n"): try literal("null"); return JSONNull()
            case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"): return try number()
            default: throw fail("expected a value (an object, array, text, number, true, false or null), found \(found())")
            }
        }

        mutating func object(depth: Int) throws(JSONSyntaxError) -> [String: Any] {
            var members: [String: Any] = [:]
            offset += 1
            skipSpace()
            if current == UInt8(ascii: "}") { offset += 1; return members }
            while true {
                guard current == UInt8(ascii: "\"") else {
                    throw fail("expected a key in double quotes, found \(found())\(lastWasComma ? " (a comma before '}' is not JSON)" : "")")
                }
                let key = try string()
                skipSpace()
                guard current == UInt8(ascii: ":") else { throw fail("expected ':' after the key, found \(found())") }
                offset += 1
                skipSpace()
                members[key] = try value(depth: depth + 1)
                skipSpace()
                if current == UInt8(ascii: ",") { offset += 1; skipSpace(); continue }
                if current == UInt8(ascii: "}") { offset += 1; return members }
                throw fail("expected ',' or '}' after a value in an object, found \(found())")
            }
        }

        mutating func array(depth: Int) throws(JSONSyntaxError) -> [Any] {
            var elements: [Any] = []
            offset += 1
            skipSpace()
            if current == UInt8(ascii: "]") { offset += 1; return elements }
            while true {
                if current == UInt8(ascii: "]") { throw fail("expected a value, found ']' (a comma before ']' is not JSON)") }
                elements.append(try value(depth: depth + 1))
                skipSpace()
                if current == UInt8(ascii: ",") { offset += 1; skipSpace(); continue }
                if current == UInt8(ascii: "]") { offset += 1; return elements }
                throw fail("expected ',' or ']' after a value in an array, found \(found())")
            }
        }

        /// Whether the last non-space byte before the current one is a comma.
        var lastWasComma: Bool {
            var index = offset - 1
            while index >= 0, [0x20, 0x09, 0x0A, 0x0D].contains(bytes[index]) { index -= 1 }
            return index >= 0 && bytes[index] == UInt8(ascii: ",")
        }

        mutating func string() throws(JSONSyntaxError) -> String {
            let start = offset
            offset += 1
            var text: [UInt8] = []
            var pendingHigh: UInt32?
            func append(_ scalar: UInt32) {
                let value = Unicode.Scalar(scalar) ?? "\u{FFFD}"
                text.append(contentsOf: Array(String(Character(value)).utf8))
            }
            while let byte = current {
                if byte != UInt8(ascii: "\\"), let high = pendingHigh { append(high); pendingHigh = nil }
                switch byte {
                case UInt8(ascii: "\""):
                    offset += 1
                    guard let decoded = String(validating: text, as: UTF8.self) else {
                        offset = start
                        throw fail("a text that is not valid UTF-8")
                    }
                    return decoded
                case UInt8(ascii: "\\"):
                    offset += 1
                    guard let escaped = current else { break }
                    if escaped == UInt8(ascii: "u") {
                        var code: UInt32 = 0
                        for _ in 0..<4 {
                            offset += 1
                            guard let hex = current, let digit = Self.hexValue(hex) else {
                                throw fail("\\u needs four hexadecimal digits, found \(found())")
                            }
                            code = code << 4 | digit
                        }
                        // A surrogate pair is one scalar; a lone half becomes U+FFFD.
                        if let high = pendingHigh {
                            pendingHigh = nil
                            if (0xDC00...0xDFFF).contains(code) {
                                append(0x10000 + ((high - 0xD800) << 10) + (code - 0xDC00))
                            } else {
                                append(high)
                                if (0xD800...0xDBFF).contains(code) { pendingHigh = code } else { append(code) }
                            }
                        } else if (0xD800...0xDBFF).contains(code) {
                            pendingHigh = code
                        } else {
                            append(code)
                        }
                    } else {
                        if let high = pendingHigh { append(high); pendingHigh = nil }
                        switch escaped {
                        case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"): text.append(escaped)
                        case UInt8(ascii: "b"): text.append(0x08)
                        case UInt8(ascii: "f"): text.append(0x0C)
                        case UInt8(ascii: "n"): text.append(0x0A)
                        case UInt8(ascii: "r"): text.append(0x0D)
                        case UInt8(ascii: "t"): text.append(0x09)
                        default:
                            throw fail("'\\\(Character(Unicode.Scalar(escaped)))' is not a JSON escape (use \\\", \\\\, \\/, \\b, \\f, \\n, \\r, \\t or \\uXXXX)")
                        }
                    }
                    offset += 1
                case 0x00..<0x20:
                    throw fail("a control character inside a text must be escaped (a line break is \\n)")
                default:
                    text.append(byte)
                    offset += 1
                }
            }
            throw fail("a text is not closed: no '\"' before the end of the file")
        }

        static func hexValue(_ byte: UInt8) -> UInt32? {
            switch byte {
            case 0x30...0x39: UInt32(byte - 0x30)
            case 0x41...0x46: UInt32(byte - 0x41 + 10)
            case 0x61...0x66: UInt32(byte - 0x61 + 10)
            default: nil
            }
        }

        mutating func literal(_ word: String) throws(JSONSyntaxError) {
            for expected in word.utf8 {
                guard current == expected else { throw fail("expected '\(word)'") }
                offset += 1
            }
        }

        mutating func number() throws(JSONSyntaxError) -> Any {
            let start = offset
            var whole = true
            if current == UInt8(ascii: "-") { offset += 1 }
            func digits() -> Int {
                let start = offset
                while let byte = current, byte >= 0x30 && byte <= 0x39 { offset += 1 }
                return offset - start
            }
            if current == UInt8(ascii: "0") {
                offset += 1
                if let byte = current, byte >= 0x30 && byte <= 0x39 { throw fail("a number cannot start with 0 and go on with digits") }
            } else if digits() == 0 {
                throw fail("expected a digit, found \(found())")
            }
            if current == UInt8(ascii: ".") {
                whole = false
                offset += 1
                guard digits() > 0 else { throw fail("expected a digit after the decimal point, found \(found())") }
            }
            if current == UInt8(ascii: "e") || current == UInt8(ascii: "E") {
                whole = false
                offset += 1
                if current == UInt8(ascii: "+") || current == UInt8(ascii: "-") { offset += 1 }
                guard digits() > 0 else { throw fail("expected a digit in the exponent, found \(found())") }
            }
            let text = String(decoding: bytes[start..<offset], as: UTF8.self)
            if whole, let integer = Int(text) { return integer }
            return Double(text) ?? Double.nan
        }
    }
}
