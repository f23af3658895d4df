/// CMTrace's rule for records without a `type`: a message that contains
/// "error" or "fail" is an error, one that contains "warn" a warning (any
/// case). Hand-written because it runs on every simple-format record: one
/// table lookup per byte finds the letters that start those words, and only
/// there are the following letters compared.
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
