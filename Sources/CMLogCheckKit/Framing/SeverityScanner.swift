/// CMTrace's rule for records without a `type`: a message that contains
/// "error" or "fail" is an error, one that contains "warn" a warning (any
/// case). Hand-written because it runs on every simple-format record:
/// vector compares test sixteen positions at a time, and the last few bytes
/// go through a table of the letters that start those words.
enum SeverityScanner {
    /// 1 for e/E, 2 for f/F, 3 for w/W.
    nonisolated(unsafe) private static let starts: UnsafePointer<UInt8> = {
        let table = UnsafeMutablePointer<UInt8>.allocate(capacity: 256)
        table.initialize(repeating: 0, count: 256)
        for (letter, mark) in [("e", 1), ("f", 2), ("w", 3)] as [(Unicode.Scalar, UInt8)] {
            table[Int(UInt8(ascii: letter))] = mark
            table[Int(UInt8(ascii: letter)) - 0x20] = mark
        }
        return UnsafePointer(table)
    }()

    static func severity(of message: UnsafeRawBufferPointer) -> Severity {
        guard let raw = message.baseAddress else { return .info }
        let bytes = raw.assumingMemoryBound(to: UInt8.self)
        let count = message.count
        let table = starts
        var warning = false
        var index = 0
        // Sixteen positions at a time: each of the three words tested at once
        // with vector compares of the bytes and the four that follow them.
        let lower = SIMD16<UInt8>(repeating: 0x20)
        while index + 20 <= count {
            let c0 = raw.loadUnaligned(fromByteOffset: index, as: SIMD16<UInt8>.self) | lower
            let c1 = raw.loadUnaligned(fromByteOffset: index + 1, as: SIMD16<UInt8>.self) | lower
            let c2 = raw.loadUnaligned(fromByteOffset: index + 2, as: SIMD16<UInt8>.self) | lower
            let c3 = raw.loadUnaligned(fromByteOffset: index + 3, as: SIMD16<UInt8>.self) | lower
            let c4 = raw.loadUnaligned(fromByteOffset: index + 4, as: SIMD16<UInt8>.self) | lower
            let error = (c0 .== Letters.e) .& (c1 .== Letters.r) .& (c2 .== Letters.r) .& (c3 .== Letters.o) .& (c4 .== Letters.r)
            let fail = (c0 .== Letters.f) .& (c1 .== Letters.a) .& (c2 .== Letters.i) .& (c3 .== Letters.l)
            if any(error .| fail) { return .error }
            if any((c0 .== Letters.w) .& (c1 .== Letters.a) .& (c2 .== Letters.r) .& (c3 .== Letters.n)) { warning = true }
            index += 16
        }
        while index < count {
            let mark = table[Int(bytes[index])]
            if mark != 0 {
                switch mark {
                case 1: if follows(bytes, count, index, "rror") { return .error }
                case 2: if follows(bytes, count, index, "ail") { return .error }
                default: if !warning && follows(bytes, count, index, "arn") { warning = true }
                }
            }
            index += 1
        }
        return warning ? .warning : .info
    }

    enum Letters {
        static let e = SIMD16<UInt8>(repeating: UInt8(ascii: "e"))
        static let r = SIMD16<UInt8>(repeating: UInt8(ascii: "r"))
        static let o = SIMD16<UInt8>(repeating: UInt8(ascii: "o"))
        static let f = SIMD16<UInt8>(repeating: UInt8(ascii: "f"))
        static let a = SIMD16<UInt8>(repeating: UInt8(ascii: "a"))
        static let i = SIMD16<UInt8>(repeating: UInt8(ascii: "i"))
        static let l = SIMD16<UInt8>(repeating: UInt8(ascii: "l"))
        static let w = SIMD16<UInt8>(repeating: UInt8(ascii: "w"))
        static let n = SIMD16<UInt8>(repeating: UInt8(ascii: "n"))
    }

    /// Whether the letters of `rest` (lower case) follow position `index`, in any case.
    @inline(__always)
    private static func follows(_ bytes: UnsafePointer<UInt8>, _ count: Int, _ index: Int, _ rest: StaticString) -> Bool {
        let length = rest.utf8CodeUnitCount
        guard index + length < count else { return false }
        let letters = rest.utf8Start
        for offset in 0..<length where bytes[index + 1 + offset] | 0x20 != letters[offset] { return false }
        return true
    }
}
