import LogMatching
/// CMTrace's rule for records without a `type`: a message that contains
/// "error" or "fail" is an error, one that contains "warn" a warning (any
/// case). Hand-written because it runs on every simple-format record:
/// vector compares test sixteen positions at a time.
enum SeverityScanner {
    static func severity(of message: UnsafeRawBufferPointer) -> Severity {
        guard let raw = message.baseAddress else { return .info }
        let bytes = raw.assumingMemoryBound(to: UInt8.self)
        let count = message.count
        var warning = false
        var index = 0
        // Sixteen positions at a time: each of the three words tested at once
        // with vector compares of the bytes and the four that follow them.
        // The splats are locals and the lane test is a plain OR of two words:
        // a static or the generic `any()` costs more than the compares.
        let lower = SIMD16<UInt8>(repeating: 0x20)
        let e = SIMD16<UInt8>(repeating: UInt8(ascii: "e")), r = SIMD16<UInt8>(repeating: UInt8(ascii: "r"))
        let o = SIMD16<UInt8>(repeating: UInt8(ascii: "o")), f = SIMD16<UInt8>(repeating: UInt8(ascii: "f"))
        let a = SIMD16<UInt8>(repeating: UInt8(ascii: "a")), i = SIMD16<UInt8>(repeating: UInt8(ascii: "i"))
        let l = SIMD16<UInt8>(repeating: UInt8(ascii: "l")), w = SIMD16<UInt8>(repeating: UInt8(ascii: "w"))
        let n = SIMD16<UInt8>(repeating: UInt8(ascii: "n"))
        while index + 20 <= count {
            let c0 = raw.loadUnaligned(fromByteOffset: index, as: SIMD16<UInt8>.self) | lower
            let c1 = raw.loadUnaligned(fromByteOffset: index + 1, as: SIMD16<UInt8>.self) | lower
            let c2 = raw.loadUnaligned(fromByteOffset: index + 2, as: SIMD16<UInt8>.self) | lower
            let c3 = raw.loadUnaligned(fromByteOffset: index + 3, as: SIMD16<UInt8>.self) | lower
            let c4 = raw.loadUnaligned(fromByteOffset: index + 4, as: SIMD16<UInt8>.self) | lower
            let error = (c0 .== e) .& (c1 .== r) .& (c2 .== r) .& (c3 .== o) .& (c4 .== r)
            let fail = (c0 .== f) .& (c1 .== a) .& (c2 .== i) .& (c3 .== l)
            if isSet(error .| fail) { return .error }
            if isSet((c0 .== w) .& (c1 .== a) .& (c2 .== r) .& (c3 .== n)) { warning = true }
            index += 16
        }
        // The last few positions, one by one.
        while index < count {
            switch bytes[index] | 0x20 {
            case UInt8(ascii: "e"): if follows(bytes, count, index, "rror") { return .error }
            case UInt8(ascii: "f"): if follows(bytes, count, index, "ail") { return .error }
            case UInt8(ascii: "w"): if !warning && follows(bytes, count, index, "arn") { warning = true }
            default: break
            }
            index += 1
        }
        return warning ? .warning : .info
    }

    /// Whether any lane of a mask is set: its lanes are 0 or all ones, so the two halves say it.
    @inline(__always)
    private static func isSet(_ mask: SIMDMask<SIMD16<Int8>>) -> Bool {
        let halves = unsafeBitCast(mask, to: SIMD2<UInt64>.self)
        return halves[0] | halves[1] != 0
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
