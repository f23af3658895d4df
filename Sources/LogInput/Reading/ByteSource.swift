import LogMatching
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Where raw bytes come from. `read` fills at most `buffer.count` bytes and
/// returns how many; 0 means "nothing more for now" (end of file, or, for a
/// file being tailed, nothing written yet).
package protocol ByteSource {
    mutating func read(into buffer: UnsafeMutableRawBufferPointer) throws(InputError) -> Int
}

/// Why an input could not be read. The message names the input.
package struct InputError: Error, CustomStringConvertible, Equatable, Sendable {
    package let message: String
    /// The reason alone (`Permission denied`), when the message is "cannot … name: reason".
    package let reason: String?
    package init(_ message: String, reason: String? = nil) {
        self.message = message
        self.reason = reason
    }
    package var description: String { message }

    /// Errors are the same when they say the same: the reason is part of the message.
    package static func == (a: InputError, b: InputError) -> Bool { a.message == b.message }

    static func system(_ action: String, _ name: String, errno code: Int32) -> InputError {
        let reason = String(cString: strerror(code))
        return InputError("cannot \(action) \(name): \(reason)", reason: reason)
    }
}

/// A file descriptor read with read(2). Owns the descriptor when opened by path.
package final class FileSource: ByteSource {
    package let name: String
    package private(set) var descriptor: Int32
    private let ownsDescriptor: Bool

    /// Opens `path` for reading, failing with a message that names it.
    package init(path: String, name: String? = nil) throws(InputError) {
        self.name = name ?? path
        let fd = PathName.withCString(path) { open($0, O_RDONLY | O_CLOEXEC) }
        guard fd >= 0 else { throw InputError.system("open", path, errno: errno) }
        var info = stat()
        if fstat(fd, &info) == 0, (info.st_mode & S_IFMT) == S_IFDIR {
            close(fd)
            throw InputError("cannot read \(path): it is a directory", reason: "it is a directory")
        }
        descriptor = fd
        ownsDescriptor = true
    }

    /// Wraps a descriptor the caller keeps open, such as standard input.
    package init(descriptor: Int32, name: String) {
        self.name = name
        self.descriptor = descriptor
        ownsDescriptor = false
    }

    deinit { if ownsDescriptor && descriptor >= 0 { close(descriptor) } }

    package func read(into buffer: UnsafeMutableRawBufferPointer) throws(InputError) -> Int {
        guard let base = buffer.baseAddress, buffer.count > 0 else { return 0 }
        while true {
            #if canImport(Glibc)
            let count = Glibc.read(descriptor, base, buffer.count)
            #else
            let count = Darwin.read(descriptor, base, buffer.count)
            #endif
            if count >= 0 { return count }
            if errno == EINTR { continue }
            throw InputError.system("read", name, errno: errno)
        }
    }

    /// The current read offset, for tailing.
    package var offset: Int64 { Int64(lseek(descriptor, 0, SEEK_CUR)) }

    package func seek(to offset: Int64) { lseek(descriptor, off_t(offset), SEEK_SET) }
}

/// Bytes held in memory, for tests and for text handed over whole.
package struct MemorySource: ByteSource {
    private let bytes: [UInt8]
    private var position = 0
    /// How many bytes each read returns at most: lets tests split input at awkward places.
    private let readSize: Int

    package init(_ bytes: [UInt8], readSize: Int = .max) {
        self.bytes = bytes
        self.readSize = max(1, readSize)
    }

    package init(_ text: String, readSize: Int = .max) { self.init(Array(text.utf8), readSize: readSize) }

    package mutating func read(into buffer: UnsafeMutableRawBufferPointer) throws(InputError) -> Int {
        let count = min(buffer.count, bytes.count - position, readSize)
        guard count > 0 else { return 0 }
        bytes.withUnsafeBytes { source in
            buffer.baseAddress!.copyMemory(from: source.baseAddress! + position, byteCount: count)
        }
        position += count
        return count
    }
}
