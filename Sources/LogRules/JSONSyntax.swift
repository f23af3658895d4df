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

package enum JSONSyntax {
    /// Deeper nesting than any data file of this project needs; refused rather than recursed into.
    static let maxDepth = 256

    /// Nil when `bytes` are one JSON value (a UTF-8 byte order mark before it is allowed).
    package static func check(_ bytes: [UInt8]) -> JSONSyntaxError? {
        var scanner = Scanner(bytes: bytes)
        if bytes.starts(with: [0xEF, 0xBB, 0xBF]) { scanner.offset = 3 }
        do throws(JSONSyntaxError) {
            scanner.skipSpace()
            try scanner.value(depth: 0)
            scanner.skipSpace()
            if scanner.offset < bytes.count { throw scanner.fail("more text after the JSON value ends") }
            return nil
        } catch {
            return error
        }
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

        mutating func value(depth: Int) throws(JSONSyntaxError) {
            guard depth < JSONSyntax.maxDepth else { throw fail("nested more than \(JSONSyntax.maxDepth) levels deep") }
            guard let byte = current else { throw fail("expected a value, found the end of the file") }
            switch byte {
            case UInt8(ascii: "{"): try object(depth: depth)
            case UInt8(ascii: "["): try array(depth: depth)
            case UInt8(ascii: "\""): try string()
            case UInt8(ascii: "t"): try literal("true")
            case UInt8(ascii: "f"): try literal("false")
            case UInt8(ascii: "n"): try literal("null")
            case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"): try number()
            default: throw fail("expected a value (an object, array, text, number, true, false or null), found \(found())")
            }
        }

        mutating func object(depth: Int) throws(JSONSyntaxError) {
            offset += 1
            skipSpace()
            if current == UInt8(ascii: "}") { offset += 1; return }
            while true {
                guard current == UInt8(ascii: "\"") else {
                    throw fail("expected a key in double quotes, found \(found())\(lastWasComma ? " (a comma before '}' is not JSON)" : "")")
                }
                try string()
                skipSpace()
                guard current == UInt8(ascii: ":") else { throw fail("expected ':' after the key, found \(found())") }
                offset += 1
                skipSpace()
                try value(depth: depth + 1)
                skipSpace()
                if current == UInt8(ascii: ",") { offset += 1; skipSpace(); continue }
                if current == UInt8(ascii: "}") { offset += 1; return }
                throw fail("expected ',' or '}' after a value in an object, found \(found())")
            }
        }

        mutating func array(depth: Int) throws(JSONSyntaxError) {
            offset += 1
            skipSpace()
            if current == UInt8(ascii: "]") { offset += 1; return }
            while true {
                if current == UInt8(ascii: "]") { throw fail("expected a value, found ']' (a comma before ']' is not JSON)") }
                try value(depth: depth + 1)
                skipSpace()
                if current == UInt8(ascii: ",") { offset += 1; skipSpace(); continue }
                if current == UInt8(ascii: "]") { offset += 1; return }
                throw fail("expected ',' or ']' after a value in an array, found \(found())")
            }
        }

        /// Whether the last non-space byte before the current one is a comma.
        var lastWasComma: Bool {
            var index = offset - 1
            while index >= 0, [0x20, 0x09, 0x0A, 0x0D].contains(bytes[index]) { index -= 1 }
            return index >= 0 && bytes[index] == UInt8(ascii: ",")
        }

        mutating func string() throws(JSONSyntaxError) {
            offset += 1
            while let byte = current {
                switch byte {
                case UInt8(ascii: "\""):
                    offset += 1
                    return
                case UInt8(ascii: "\\"):
                    offset += 1
                    guard let escaped = current else { break }
                    if escaped == UInt8(ascii: "u") {
                        for _ in 0..<4 {
                            offset += 1
                            guard let hex = current, (hex >= 0x30 && hex <= 0x39) || (hex | 0x20 >= 0x61 && hex | 0x20 <= 0x66) else {
                                throw fail("\\u needs four hexadecimal digits, found \(found())")
                            }
                        }
                    } else if !"\"\\/bfnrt".utf8.contains(escaped) {
                        throw fail("'\\\(Character(Unicode.Scalar(escaped)))' is not a JSON escape (use \\\", \\\\, \\/, \\b, \\f, \\n, \\r, \\t or \\uXXXX)")
                    }
                    offset += 1
                case 0x00..<0x20:
                    throw fail("a control character inside a text must be escaped (a line break is \\n)")
                default:
                    offset += 1
                }
            }
            throw fail("a text is not closed: no '\"' before the end of the file")
        }

        mutating func literal(_ word: String) throws(JSONSyntaxError) {
            for expected in word.utf8 {
                guard current == expected else { throw fail("expected '\(word)'") }
                offset += 1
            }
        }

        mutating func number() throws(JSONSyntaxError) {
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
                offset += 1
                guard digits() > 0 else { throw fail("expected a digit after the decimal point, found \(found())") }
            }
            if current == UInt8(ascii: "e") || current == UInt8(ascii: "E") {
                offset += 1
                if current == UInt8(ascii: "+") || current == UInt8(ascii: "-") { offset += 1 }
                guard digits() > 0 else { throw fail("expected a digit in the exponent, found \(found())") }
            }
        }
    }
}
