import LogMatching
/// Byte literals kept in memory that lives for the whole run, so hot loops
/// compare against raw pointers rather than arrays.
typealias StaticBytes = UnsafeRawBufferPointer

enum Markers {
    nonisolated(unsafe) static let logOpen = permanent("<![LOG[")
    nonisolated(unsafe) static let logClose = permanent("]LOG]!>")
    nonisolated(unsafe) static let logCloseTime = permanent("]LOG]!><time=")
    nonisolated(unsafe) static let newline = permanent("\n")
    nonisolated(unsafe) static let empty = UnsafeRawBufferPointer(start: nil, count: 0)

    static func permanent(_ text: String) -> StaticBytes {
        let bytes = Array(text.utf8)
        let storage = UnsafeMutableRawBufferPointer.allocate(byteCount: bytes.count, alignment: 1)
        storage.copyBytes(from: bytes)
        return UnsafeRawBufferPointer(storage)
    }
}

/// A byte buffer with a hard cap: appends beyond it are dropped and counted.
final class ByteBuffer {
    private let storage: UnsafeMutableRawBufferPointer
    private(set) var count = 0
    var capacity: Int { storage.count }

    init(capacity: Int) { storage = .allocate(byteCount: max(capacity, 1), alignment: 16) }
    deinit { storage.deallocate() }

    func removeAll() { count = 0 }

    /// Appends what fits; returns the number of bytes dropped.
    @discardableResult
    func append(_ bytes: UnsafeRawBufferPointer) -> Int {
        let fits = min(bytes.count, storage.count - count)
        if fits > 0 { (storage.baseAddress! + count).copyMemory(from: bytes.baseAddress!, byteCount: fits) }
        count += fits
        return bytes.count - fits
    }

    func withBytes<T>(_ body: (UnsafeRawBufferPointer) throws -> T) rethrows -> T {
        try body(UnsafeRawBufferPointer(start: storage.baseAddress, count: count))
    }
}

/// The last index in `bytes[lower..<upper]` holding `target`, scanning back
/// eight bytes at a time: both formats put their metadata at the end of the
/// line, so the framer searches from there.
@inline(__always)
func lastIndex(of target: UInt8, in bytes: UnsafeRawBufferPointer, from lower: Int, to upper: Int) -> Int? {
    guard let base = bytes.baseAddress, lower < upper else { return nil }
    var end = upper
    #if _endian(little)
    let low7: UInt64 = 0x7F7F_7F7F_7F7F_7F7F
    let pattern = UInt64(target) &* 0x0101_0101_0101_0101
    while end - lower >= 8 {
        // Bytes equal to `target` become zero; this zero-byte test is exact (no borrow between bytes).
        let word = base.loadUnaligned(fromByteOffset: end - 8, as: UInt64.self) ^ pattern
        let zeros = ~(((word & low7) &+ low7) | word | low7)
        if zeros != 0 { return end - 8 + (63 - zeros.leadingZeroBitCount) / 8 }
        end -= 8
    }
    #endif
    while end > lower {
        end -= 1
        if base.load(fromByteOffset: end, as: UInt8.self) == target { return end }
    }
    return nil
}
