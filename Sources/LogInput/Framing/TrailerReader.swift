/// Reads the two formats' trailers by hand, byte by byte, where a PCRE2 search
/// per record cost a fifth of framing a CMTrace log. The patterns in
/// `FramingPatterns` stay the specification: each reader gives the same
/// match and the same groups as its pattern, and a test checks that on
/// generated and mutated trailers (TrailerReaderTests).
///
/// Both patterns are deterministic (every `[^"]*` ends at its `"`, every
/// `[^>]*` at its `>`), which is what makes a single forward pass exact.
enum TrailerReader {
    /// The groups of a trailer, as byte ranges of it.
    struct Groups {
        var time: Range<Int>
        var date: Range<Int>
        var component: Range<Int>
        /// CMTrace's `type`; empty for the simple format.
        var type: Range<Int>
        var thread: Range<Int>
    }

    /// `<time="…"\s*date="…"\s*component="…"(?:\s*context="…")?\s*type="…"\s*thread="…"(?:\s*file="…")?[^>]*>`,
    /// anchored at the start. The optional `file` part never changes a group: with it or
    /// without, the match needs only a `>` somewhere after the thread's closing quote.
    static func cmtrace(_ bytes: UnsafeRawBufferPointer) -> Groups? {
        var cursor = Cursor(bytes)
        guard cursor.take("<time=\""), let time = cursor.quoted(),
              cursor.skipSpace(), cursor.take("date=\""), let date = cursor.quoted(),
              cursor.skipSpace(), cursor.take("component=\""), let component = cursor.quoted() else { return nil }
        var afterContext = cursor
        if afterContext.skipSpace(), afterContext.take("context=\""), afterContext.quoted() != nil { cursor = afterContext }
        guard cursor.skipSpace(), cursor.take("type=\""), let type = cursor.quoted(),
              cursor.skipSpace(), cursor.take("thread=\""), let thread = cursor.quoted(),
              cursor.find(UInt8(ascii: ">")) != nil else { return nil }
        return Groups(time: time, date: date, component: component, type: type, thread: thread)
    }

    /// `\$\$<([^>]*)><(\d{1,2}[-/]\d{1,2}[-/]\d{4}) ([^>]+)><thread=(\d+)[^>]*>\s*$`, anchored at the start.
    static func simple(_ bytes: UnsafeRawBufferPointer) -> Groups? {
        var cursor = Cursor(bytes)
        guard cursor.take("$$<"), let component = cursor.upTo(UInt8(ascii: ">")), cursor.take("><") else { return nil }
        let dateStart = cursor.position
        guard cursor.digits(1...2), cursor.oneOf(UInt8(ascii: "-"), UInt8(ascii: "/")),
              cursor.digits(1...2), cursor.oneOf(UInt8(ascii: "-"), UInt8(ascii: "/")),
              cursor.digits(4...4) else { return nil }
        let date = dateStart..<cursor.position
        guard cursor.take(" "), let time = cursor.upTo(UInt8(ascii: ">")), !time.isEmpty, cursor.take("><thread=") else { return nil }
        let threadStart = cursor.position
        guard cursor.digits(1...Int.max) else { return nil }
        let thread = threadStart..<cursor.position
        guard cursor.upTo(UInt8(ascii: ">")) != nil, cursor.take(">"), cursor.onlySpaceLeft() else { return nil }
        return Groups(time: time, date: date, component: component, type: 0..<0, thread: thread)
    }

    /// A position in the trailer and the steps the two readers take.
    private struct Cursor {
        let bytes: UnsafeRawBufferPointer
        var position = 0

        init(_ bytes: UnsafeRawBufferPointer) { self.bytes = bytes }

        /// PCRE2's `\s` without Unicode: space, tab, line feed, vertical tab, form feed, carriage return.
        @inline(__always)
        static func isSpace(_ byte: UInt8) -> Bool { byte == 0x20 || (byte >= 0x09 && byte <= 0x0D) }

        @inline(__always)
        mutating func take(_ literal: StaticString) -> Bool {
            let length = literal.utf8CodeUnitCount
            guard bytes.count - position >= length else { return false }
            let start = literal.utf8Start
            for offset in 0..<length where bytes[position + offset] != start[offset] { return false }
            position += length
            return true
        }

        /// Always succeeds: `\s*`.
        @inline(__always)
        mutating func skipSpace() -> Bool {
            while position < bytes.count && Self.isSpace(bytes[position]) { position += 1 }
            return true
        }

        /// `([^"]*)"`: the range before the next quote, and past it.
        @inline(__always)
        mutating func quoted() -> Range<Int>? {
            guard let quote = find(UInt8(ascii: "\"")) else { return nil }
            defer { position = quote + 1 }
            return position..<quote
        }

        /// `([^>]*)` followed by `>`: the range before the next `byte`, staying on it.
        @inline(__always)
        mutating func upTo(_ byte: UInt8) -> Range<Int>? {
            guard let end = find(byte) else { return nil }
            defer { position = end }
            return position..<end
        }

        @inline(__always)
        func find(_ byte: UInt8) -> Int? {
            var index = position
            while index < bytes.count {
                if bytes[index] == byte { return index }
                index += 1
            }
            return nil
        }

        /// `\d{m,n}`, greedy.
        @inline(__always)
        mutating func digits(_ count: ClosedRange<Int>) -> Bool {
            var taken = 0
            while taken < count.upperBound && position < bytes.count && bytes[position] >= 0x30 && bytes[position] <= 0x39 {
                position += 1
                taken += 1
            }
            return taken >= count.lowerBound
        }

        @inline(__always)
        mutating func oneOf(_ a: UInt8, _ b: UInt8) -> Bool {
            guard position < bytes.count, bytes[position] == a || bytes[position] == b else { return false }
            position += 1
            return true
        }

        /// `\s*$`: PCRE2's `$` also matches before a final line feed, which `\s*` takes anyway.
        func onlySpaceLeft() -> Bool {
            var index = position
            while index < bytes.count {
                if !Self.isSpace(bytes[index]) { return false }
                index += 1
            }
            return true
        }
    }
}
