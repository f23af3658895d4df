#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A file read up to the size it had when reading began, for `review` and `records`:
/// - a log that grows while it is read (its writer still appending, at any rate) is read to
///   that point and no further, so the run always finishes and its memory stays bounded;
///   what was appended after is left for the next run (or `tail`);
/// - a log that ends before that point was truncated (or cut short) while it was read: the
///   read throws, so the records read so far stand and the input is reported as not read
///   whole, the report incomplete, like a file that failed mid-read.
/// Anything but a regular file (a FIFO named on the command line) has no size, nor has a file
/// whose size is 0 at open (files under /proc say 0 and hold bytes): read to its end.
package struct SizeAtOpenSource: ByteSource {
    private let file: FileSource
    /// Bytes still to read before the size at open is reached; nil for a stream.
    private var remaining: Int64?
    private var read: Int64 = 0

    package init(_ file: FileSource) {
        self.file = file
        var info = stat()
        if fstat(file.descriptor, &info) == 0, (info.st_mode & S_IFMT) == S_IFREG, info.st_size > 0 {
            remaining = max(0, Int64(info.st_size) - file.offset)
        }
    }

    package mutating func read(into buffer: UnsafeMutableRawBufferPointer) throws(InputError) -> Int {
        guard let left = remaining else { return try file.read(into: buffer) }
        guard left > 0, buffer.count > 0 else { return 0 }
        let wanted = Int(min(Int64(buffer.count), left))
        let count = try file.read(into: UnsafeMutableRawBufferPointer(rebasing: buffer[..<wanted]))
        if count == 0 {
            let reason = "truncated while it was read: it had \(read + left) bytes when opened and ended after \(read)"
            throw InputError("cannot read \(file.name): \(reason)", reason: reason)
        }
        read += Int64(count)
        remaining = left - Int64(count)
        return count
    }
}
