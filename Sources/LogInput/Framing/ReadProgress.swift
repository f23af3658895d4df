#if canImport(Glibc)
import Glibc
#endif
/// Told how far reading has come (`RecordStream.progress`). Called on the thread that
/// reads, which for `runInBackground` is not the caller's: implementations lock.
package protocol ReadProgress: AnyObject {
    /// Input `index` of `count` starts; `totalBytes` is nil when its size is not known (a pipe).
    func started(input index: Int, of count: Int, name: String, totalBytes: Int?)
    /// `bytes` of the current input have been read. Called every few chunks, never per record.
    func read(bytes: Int)
}

/// A byte source that counts what it hands on and tells `progress` every `every` reads
/// (chunks of a quarter megabyte): the cost is one addition per chunk.
struct MeteredSource<Source: ByteSource>: ByteSource {
    var source: Source
    let progress: any ReadProgress
    let every: Int
    private var bytes = 0
    private var reads = 0

    init(_ source: Source, progress: any ReadProgress, every: Int = 4) {
        self.source = source
        self.progress = progress
        self.every = max(1, every)
    }

    mutating func read(into buffer: UnsafeMutableRawBufferPointer) throws(InputError) -> Int {
        let count = try source.read(into: buffer)
        bytes += count
        reads += 1
        if reads % every == 0 || count == 0 { progress.read(bytes: bytes) }
        return count
    }
}

extension FileSource {
    /// The size of a regular file, nil for a pipe or a terminal.
    var regularFileSize: Int? {
        var info = stat()
        guard fstat(descriptor, &info) == 0, (info.st_mode & S_IFMT) == S_IFREG else { return nil }
        return Int(info.st_size)
    }
}
