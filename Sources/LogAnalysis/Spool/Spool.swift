#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// An append-only list that keeps its elements as bytes, in memory while they
/// are few and in an unlinked temporary file once they pass `memoryLimit`, so
/// a list with one element per upload cycle costs the same memory for a log
/// of a week as for one of ten years. Elements are read back in order, as
/// often as needed (the text, JSON and HTML reports each walk it once).
///
/// Appending happens on one thread, while the analysis runs; reading starts
/// once it is done. Reading uses `pread`, so readers never share a position.
/// Writing to the file can fail (a full disk): the spool then keeps every
/// element in memory instead and says so in `spillProblem`, losing nothing.
package final class Spool<Element: SpoolCodable>: Sequence, @unchecked Sendable {
    /// Bytes kept in memory before the spool moves to a file.
    package let memoryLimit: Int
    package private(set) var count = 0
    /// Why the spool could not move to a file, when it could not (it then stays in memory).
    package private(set) var spillProblem: SpillProblem?

    /// Bytes not yet written to the file (all of them while there is no file).
    private var pending: [UInt8] = []
    private var file: Int32 = -1
    private var fileBytes = 0
    /// While in a file, `pending` is written out once it holds this much.
    private let writeChunk = 64 * 1024

    /// The folder for the file: nil for `TMPDIR`, else /tmp.
    private let folder: String?

    package init(memoryLimit: Int = 1 << 20, folder: String? = nil) {
        self.memoryLimit = memoryLimit
        self.folder = folder
    }

    package convenience init(_ elements: some Sequence<Element>, memoryLimit: Int = 1 << 20, folder: String? = nil) {
        self.init(memoryLimit: memoryLimit, folder: folder)
        for element in elements { append(element) }
    }

    deinit { if file >= 0 { close(file) } }

    /// Whether the spool lives in a file now.
    package var isSpilled: Bool { file >= 0 }

    package var isEmpty: Bool { count == 0 }

    package func append(_ element: Element) {
        let start = pending.count
        pending.append(contentsOf: repeatElement(0, count: 4))  // the length, filled in below
        // The writer borrows the buffer and gives it back, so it is never shared (and never copied).
        var writer = SpoolWriter(bytes: [])
        swap(&writer.bytes, &pending)
        element.encode(to: &writer)
        swap(&writer.bytes, &pending)
        let length = UInt32(truncatingIfNeeded: pending.count - start - 4)
        for offset in 0..<4 { pending[start + offset] = UInt8(truncatingIfNeeded: length >> (8 * UInt32(offset))) }
        count += 1
        if file >= 0 {
            if pending.count >= writeChunk { writeOut() }
        } else if spillProblem == nil && pending.count > memoryLimit {
            spill()
        }
    }

    /// Moves what is in memory to a new unlinked temporary file.
    private func spill() {
        let folder = self.folder ?? ProcessEnvironment.temporaryFolder
        var template = Array((folder + "/cmlogcheck-spool-XXXXXX").utf8CString)
        let descriptor = template.withUnsafeMutableBufferPointer { mkstemp($0.baseAddress!) }
        guard descriptor >= 0 else {
            spillProblem = SpillProblem(step: .create(folder: folder), errorNumber: errno)
            return
        }
        template.withUnsafeBufferPointer { _ = unlink($0.baseAddress!) }
        file = descriptor
        writeOut()
    }

    private func writeOut() {
        var written = 0
        while written < pending.count {
            let result = pending.withUnsafeBytes { bytes in
                pwrite(file, bytes.baseAddress! + written, bytes.count - written, off_t(fileBytes + written))
            }
            if result < 0 && errno == EINTR { continue }
            guard result > 0 else {
                // Keep everything: read the file back into memory and stay there.
                let problem = SpillProblem(step: .write, errorNumber: result < 0 ? errno : ENOSPC)
                var all = readFile(upTo: fileBytes)
                all.append(contentsOf: pending)
                pending = all
                close(file)
                file = -1
                fileBytes = 0
                spillProblem = problem
                return
            }
            written += result
        }
        fileBytes += written
        pending.removeAll(keepingCapacity: true)
    }

    private func readFile(upTo size: Int) -> [UInt8] {
        var bytes = [UInt8](repeating: 0, count: size)
        var done = 0
        while done < size {
            let result = bytes.withUnsafeMutableBytes { pread(file, $0.baseAddress! + done, size - done, off_t(done)) }
            if result < 0 && errno == EINTR { continue }
            guard result > 0 else { break }
            done += result
        }
        return Array(bytes[..<done])
    }

    package func makeIterator() -> Iterator { Iterator(self) }

    /// Reads the elements back in order: the file in chunks, then what is still in memory.
    package struct Iterator: IteratorProtocol {
        private let spool: Spool
        private var buffer: [UInt8] = []
        private var position = 0
        private var fileOffset = 0
        private var inMemory = false
        private var remaining: Int

        init(_ spool: Spool) {
            self.spool = spool
            remaining = spool.count
            if spool.file < 0 {
                buffer = spool.pending
                inMemory = true
            }
        }

        package mutating func next() -> Element? {
            guard remaining > 0 else { return nil }
            guard let length = frame() else { remaining = 0; return nil }
            var reader = SpoolReader(buffer, from: position + 4, to: position + 4 + length)
            position += 4 + length
            remaining -= 1
            return Element(from: &reader)
        }

        /// Makes sure the next element's bytes are in `buffer` at `position`; returns its length.
        private mutating func frame() -> Int? {
            func length() -> Int? {
                guard buffer.count - position >= 4 else { return nil }
                let value = Int(buffer[position]) | Int(buffer[position + 1]) << 8 | Int(buffer[position + 2]) << 16 | Int(buffer[position + 3]) << 24
                return buffer.count - position - 4 >= value ? value : nil
            }
            if let known = length() { return known }
            guard !inMemory else { return nil }
            // Refill: keep the unread tail, then read the next chunk of the file, or the memory part.
            buffer.removeSubrange(0..<position)
            position = 0
            while length() == nil {
                if fileOffset < spool.fileBytes {
                    let chunk = Swift.min(64 * 1024, spool.fileBytes - fileOffset)
                    let start = buffer.count
                    buffer.append(contentsOf: repeatElement(0, count: chunk))
                    let got = buffer.withUnsafeMutableBytes { pread(spool.file, $0.baseAddress! + start, chunk, off_t(fileOffset)) }
                    if got < 0 && errno == EINTR { buffer.removeSubrange(start...); continue }
                    guard got > 0 else { return nil }
                    buffer.removeSubrange((start + got)...)
                    fileOffset += got
                } else {
                    buffer.append(contentsOf: spool.pending)
                    inMemory = true
                    return length()
                }
            }
            return length()
        }
    }
}

/// Where temporary files go: `TMPDIR`, else /tmp.
enum ProcessEnvironment {
    static var temporaryFolder: String {
        if let value = getenv("TMPDIR"), value.pointee != 0 {
            var folder = String(cString: value)
            while folder.count > 1 && folder.hasSuffix("/") { folder.removeLast() }
            return folder
        }
        return "/tmp"
    }
}
