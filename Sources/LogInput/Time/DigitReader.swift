import LogMatching
/// Reads digits and punctuation from bytes; a small cursor for timestamp text.
struct DigitReader {
    let bytes: UnsafeRawBufferPointer
    var index = 0
    let count: Int

    init(_ bytes: UnsafeRawBufferPointer) { self.bytes = bytes; count = bytes.count }

    @inline(__always) func byte(_ at: Int) -> UInt8 { bytes[at] }
    var atEnd: Bool { index >= count }
    var peek: UInt8? { index < count ? byte(index) : nil }
    mutating func advance() { index += 1 }

    mutating func skip(_ character: Unicode.Scalar) -> Bool {
        guard index < count, byte(index) == UInt8(ascii: character) else { return false }
        index += 1
        return true
    }

    mutating func skipSpaces() { while index < count, byte(index) == 0x20 || byte(index) == 0x09 { index += 1 } }

    /// Between `min` and `max` digits, as a number.
    mutating func number(min: Int = 1, max: Int) -> Int? {
        var value = 0, digits = 0
        while index < count, digits < max, case let b = byte(index), b >= 0x30, b <= 0x39 {
            value = value &* 10 &+ Int(b &- 0x30)  // at most `max` digits: no overflow
            digits += 1; index += 1
        }
        return digits >= min ? value : nil
    }

    mutating func number(exactly digits: Int) -> Int? { number(min: digits, max: digits) }

    /// Fractional digits as 100 ns ticks; digits past the seventh are read and ignored.
    mutating func fractionTicks() -> Int64 {
        var value: Int64 = 0, digits = 0
        while index < count, case let b = byte(index), b >= 0x30, b <= 0x39 {
            if digits < 7 { value = value &* 10 &+ Int64(b &- 0x30); digits += 1 }
            index += 1
        }
        while digits < 7 { value *= 10; digits += 1 }
        return value
    }
}
