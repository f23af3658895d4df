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
