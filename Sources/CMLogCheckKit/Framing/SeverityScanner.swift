/// CMTrace's rule for records without a `type`: a message that contains
/// "error" or "fail" is an error, one that contains "warn" a warning (any
/// case). A hand-written scan: this runs on every simple-format record, and a
/// caseless regex spends most of its time on the many `e`s of ordinary text.
enum SeverityScanner {
    @inline(__always)
    static func severity(of message: UnsafeRawBufferPointer) -> Severity {
        guard let base = message.baseAddress else { return .info }
        let count = message.count
        var warning = false
        var index = 0
        while index < count {
            let byte = base.load(fromByteOffset: index, as: UInt8.self) | 0x20
            switch byte {
            case UInt8(ascii: "e"):
                if follows(base, count, index, "rror") { return .error }
            case UInt8(ascii: "f"):
                if follows(base, count, index, "ail") { return .error }
            case UInt8(ascii: "w"):
                if !warning && follows(base, count, index, "arn") { warning = true }
            default:
                break
            }
            index += 1
        }
        return warning ? .warning : .info
    }

    /// Whether the letters of `rest` (lower case) follow position `index`, in any case.
    @inline(__always)
    private static func follows(_ base: UnsafeRawPointer, _ count: Int, _ index: Int, _ rest: StaticString) -> Bool {
        let length = rest.utf8CodeUnitCount
        guard index + length < count else { return false }
        let letters = rest.utf8Start
        for offset in 0..<length where base.load(fromByteOffset: index + 1 + offset, as: UInt8.self) | 0x20 != letters[offset] {
            return false
        }
        return true
    }
}
