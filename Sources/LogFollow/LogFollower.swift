import LogInput
import LogRules
import LogAnalysis
import LogFindings
import LogReport
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// One log to follow: a file path (which may not exist yet), or a stream such as standard input.
package struct FollowTarget {
    /// The name shown in output and messages.
    package var name: String
    package var kind: LogKind
    /// The file; nil for a stream.
    package var path: String?
    /// An older file of the same log read first, in the same pipeline (`X.lo_` before `X.log`),
    /// so that a record split across the last rotation is joined.
    package var prelude: String?
    /// False reads the file once to its end and stops (an `X.lo_` named on its own: rotation
    /// replaces it with history already read from `X.log`).
    package var follow: Bool
    /// The bytes of a stream, and the descriptor to poll for them (nil: the source never blocks).
    var stream: (any ByteSource)?
    var streamDescriptor: Int32?

    package static func file(_ path: String, name: String? = nil, kind: LogKind? = nil, prelude: String? = nil,
                            follow: Bool = true) -> FollowTarget {
        let fileName = path.split(separator: "/").last.map(String.init) ?? path
        return FollowTarget(name: name ?? path, kind: kind ?? LogKind(fileName: fileName), path: path, prelude: prelude,
                            follow: follow, stream: nil, streamDescriptor: nil)
    }

    /// A stream read until it ends. With a descriptor, only what is ready is read, so the follower never blocks on it.
    package static func stream(_ source: any ByteSource, descriptor: Int32?, name: String = "stdin",
                              kind: LogKind = .unknown) -> FollowTarget {
        FollowTarget(name: name, kind: kind, path: nil, prelude: nil, follow: true, stream: source, streamDescriptor: descriptor)
    }

    package var isStream: Bool { path == nil }
}

/// What happened to a followed file, besides new bytes.
package enum FollowNotice: String, Sendable {
    /// The file did not exist when following began and now does.
    case appeared = "file.appeared"
    /// The path now names a new file (ConfigMgr renamed the old one to `.lo_`); the old one was read to its end first.
    case rotated = "file.rotated"
    /// The file became shorter than what was read, or what was read changed: it is read again from the start.
    case truncated = "file.truncated"
    /// The path names a file that cannot be opened (`FollowedLog.unreadable` says why); told once
    /// per change, then tried at every look and read from its start once it opens.
    case unreadable = "file.unreadable"
    /// A stream reached its end.
    case ended = "stream.ended"
}

/// The identity of a file, to tell a replaced file from the same one grown.
struct FileIdentity: Equatable {
    var device: UInt64
    var inode: UInt64
    var size: Int64
    var isRegular: Bool
    /// The last status change (a rename sets it), in seconds.
    var changed: Int

    static func of(path: String) -> FileIdentity? {
        var info = stat()
        guard stat(path, &info) == 0 else { return nil }
        return FileIdentity(info)
    }

    static func of(descriptor: Int32) -> FileIdentity? {
        var info = stat()
        guard fstat(descriptor, &info) == 0 else { return nil }
        return FileIdentity(info)
    }

    init(_ info: stat) {
        device = UInt64(info.st_dev)
        inode = UInt64(info.st_ino)
        size = Int64(info.st_size)
        isRegular = (info.st_mode & S_IFMT) == S_IFREG
        changed = Int(info.st_ctim.tv_sec)
    }

    func sameFile(as other: FileIdentity) -> Bool { device == other.device && inode == other.inode }
}

/// The byte source under one followed log's decoder: the current file
/// (swapped on rotation, so the decoder, line reader and framer carry over)
/// or a stream.
final class FeedSource: ByteSource {
    var file: FileSource?
    var stream: (any ByteSource)?
    var streamDescriptor: Int32?
    private(set) var streamEnded = false

    func read(into buffer: UnsafeMutableRawBufferPointer) throws(InputError) -> Int {
        if let file { return try file.read(into: buffer) }
        guard stream != nil, !streamEnded else { return 0 }
        if let descriptor = streamDescriptor {
            // Read only what is ready: a pipe with nothing in it must not block the other logs.
            var entry = pollfd(fd: descriptor, events: Int16(POLLIN), revents: 0)
            guard poll(&entry, 1, 0) > 0 else { return 0 }
        }
        let count = try stream!.read(into: buffer)
        if count == 0 { streamEnded = true }
        return count
    }
}

/// One followed log and its reading pipeline: decoder, line reader and record
/// framer, kept across rotation (one pipeline per log, never per file).
package final class FollowedLog {
    package enum State: String, Sendable {
        /// The file does not exist (yet).
        case waiting
        case open
        /// Read to its end and not followed further (a stream that ended, a one-shot file).
        case ended
    }

    /// Index of the log among the follower's logs; records carry it as `input`.
    package let index: Int
    package let target: FollowTarget
    package private(set) var state: State
    /// Records handed on so far (all files of this log).
    package private(set) var records = 0
    /// Bytes read so far (all files of this log).
    package private(set) var bytes = 0
    package private(set) var rotations = 0
    package private(set) var truncations = 0
    /// The path names a file that cannot be opened, and why (`Permission denied`); nil while it
    /// opens or is not there. Kept so that a failure is told when it starts or changes, not at every look.
    package private(set) var unreadable: UnreadInput?

    let feed = FeedSource()
    var decoder: DecodingSource<FeedSource>
    let lines: LineReader
    var framer: RecordFramer
    let readOptions: ReadOptions
    /// The file being read.
    var identity: FileIdentity?
    /// Line numbers are counted across the files of a log; these turn them back into each file's own.
    var lineBase = 0
    var previousLineBase = 0
    /// Whether the first look happened (a file missing then and found later "appeared").
    var started = false
    /// Set between leaving a file and opening the next of the same log: true after a rotation,
    /// false after the prelude.
    var switching: Bool?
    /// When the path was last looked at (seconds), to tell a file renamed since then.
    var lastLook = 0
    /// See `takeFingerprint`.
    var fingerprint: [UInt8] = []
    var fingerprintEnd: Int64 = 0
    /// The last two files read to their end, so that none is read twice. They are kept open:
    /// a closed file that was deleted frees its inode number for the next new file.
    var readFiles: [(identity: FileIdentity, file: FileSource)] = []

    init(index: Int, target: FollowTarget, options: ReadOptions) {
        self.index = index
        self.target = target
        readOptions = options
        decoder = DecodingSource(feed)
        lines = LineReader(maxLineBytes: options.maxRecordBytes)
        framer = RecordFramer(input: index, format: options.format, maxRecordBytes: options.maxRecordBytes,
                              assumedBias: options.assumedBias, zone: options.zone)
        state = .waiting
        if target.isStream {
            feed.stream = target.stream
            feed.streamDescriptor = target.streamDescriptor
            state = .open
        }
    }

    deinit { decoder.close() }

    package var isStream: Bool { target.isStream }
    package var name: String { target.name }
    package var kind: LogKind { target.kind }
    /// The descriptor to poll for a stream that has not ended.
    package var pollDescriptor: Int32? { isStream && state == .open ? target.streamDescriptor : nil }

    /// The line number within the file it is in, for a line number counted across the log's files.
    package func fileLine(_ line: Int) -> Int {
        if line > lineBase { return line - lineBase }
        return max(1, line - previousLineBase)
    }

    /// The current file's read offset and the encoding found, for tests and messages.
    package var offset: Int64 { feed.file?.offset ?? 0 }
    package var encoding: TextEncoding? { decoder.encoding }

    // MARK: Steps

    /// Opens `path` as the file read from now on; false when it is not there (or not a regular file).
    func open(_ path: String) -> Bool { (try? openOrThrow(path)) ?? false }

    /// As `open`, but a file that is there and refuses to open throws why.
    private func openOrThrow(_ path: String) throws(InputError) -> Bool {
        let file = try FileSource(path: path)
        guard let identity = FileIdentity.of(descriptor: file.descriptor), identity.isRegular else { return false }
        feed.file = file
        self.identity = identity
        decoder.startsNewFile()
        return true
    }

    /// Opens the followed path (a regular file is there), telling once when it cannot be opened
    /// (permissions, a link the kernel refuses) and again only when the reason changes.
    private func openFollowed(_ path: String, _ notice: (FollowNotice) -> Void) -> Bool {
        do {
            let opened = try openOrThrow(path)
            if opened { unreadable = nil }
            return opened
        } catch {
            let now = UnreadInput(path: path, reason: error.reason ?? error.message)
            if unreadable != now {
                unreadable = now
                notice(.unreadable)
            }
            return false
        }
    }

    /// Reads what is there now through the pipeline.
    func readAvailable(_ body: (Record) throws -> Void) throws -> Int {
        let count = try lines.readAvailable(from: &decoder) { line in try framer.accept(line) { try deliver($0, body) } }
        bytes += count
        return count
    }

    func deliver(_ record: Record, _ body: (Record) throws -> Void) throws {
        records += 1
        try body(record)
    }

    /// Hands on a trailing partial line and a record left open, as the input ended.
    func flush(_ body: (Record) throws -> Void) throws {
        try lines.finish { line in try framer.accept(line) { try deliver($0, body) } }
        try framer.finish { try deliver($0, body) }
    }

    /// One step: notices what happened to the path, reads what is new. Returns the bytes read.
    func step(_ body: (Record) throws -> Void, _ notice: (FollowNotice) -> Void) throws -> Int {
        switch state {
        case .ended: return 0
        case .waiting, .open: return isStream ? try stepStream(body, notice) : try stepFile(body, notice)
        }
    }

    private func stepStream(_ body: (Record) throws -> Void, _ notice: (FollowNotice) -> Void) throws -> Int {
        let count = try readAvailable(body)
        if feed.streamEnded {
            try flush(body)
            state = .ended
            notice(.ended)
        }
        return count
    }

    /// `X.lo_`, where ConfigMgr renames `X.log` when it rotates it.
    private var rotatedPath: String? {
        guard let path = target.path, path.lowercased().hasSuffix(".log") else { return nil }
        return String(path.dropLast(4)) + (path.hasSuffix(".LOG") ? ".LO_" : ".lo_")
    }

    /// One look at a followed file:
    /// 1. read what was appended to the file open now;
    /// 2. truncated (shorter than what was read): read it again from the start;
    /// 3. the path names another file (rotation): read the old one to its end, then a file
    ///    renamed to `X.lo_` since the last look that was never read (rotated twice, or created
    ///    and rotated, between two looks), then the new file from its start. While the path names
    ///    no file (between the rename and the new file), the old one is kept and read.
    /// The decoder, line reader and framer carry over, so a record split across files is joined.
    private func stepFile(_ body: (Record) throws -> Void, _ notice: (FollowNotice) -> Void) throws -> Int {
        guard let path = target.path else { return 0 }
        defer { lastLook = time(nil) }
        var count = 0
        let first = !started
        started = true
        if first, let prelude = target.prelude, open(prelude) {
            // --from-start: the older history first, in the same pipeline.
            count += try readAvailable(body)
            leaveFile(rotated: false)
        }
        if let file = feed.file {
            // Truncated: shorter than what was read, or (checked before reading on) what was read changed.
            let rewritten = !fingerprintHolds(file)
            if !rewritten { count += try readAvailable(body) }
            if rewritten || (FileIdentity.of(descriptor: file.descriptor).map { $0.size < file.offset } ?? false) {
                try flush(body)
                truncations += 1
                notice(.truncated)
                file.seek(to: 0)
                decoder.close()
                decoder = DecodingSource(feed)
                lines.reset()
                framer = RecordFramer(input: index, format: readOptions.format, maxRecordBytes: readOptions.maxRecordBytes,
                                      assumedBias: readOptions.assumedBias, zone: readOptions.zone)
                lineBase = 0
                previousLineBase = 0
                count += try readAvailable(body)
            }
            guard target.follow else {
                try flush(body)
                feed.file = nil
                state = .ended
                return count
            }
        }
        defer { takeFingerprint() }
        let current = FileIdentity.of(path: path).flatMap { $0.isRegular ? $0 : nil }
        let rotated = rotatedPath.flatMap { FileIdentity.of(path: $0) }.flatMap { $0.isRegular ? $0 : nil }
        if let ours = identity {
            if let current, current.sameFile(as: ours) { return count }  // the usual case: nothing moved
            // Renamed (or deleted) and no new file yet: keep reading the old one.
            if current == nil && (rotated == nil || rotated!.sameFile(as: ours)) { return count }
            count += try readAvailable(body)  // whatever reached it after the last read
            leaveFile(rotated: true)
        }
        if !first, let rotated, let rotatedPath, !readFiles.contains(where: { $0.identity.sameFile(as: rotated) }),
           !(current.map { rotated.sameFile(as: $0) } ?? false), rotated.changed >= lastLook - 1, open(rotatedPath) {
            beginNextFile(first: first, notice)
            count += try readAvailable(body)
            leaveFile(rotated: true)
        }
        if current == nil { unreadable = nil }  // gone: a file that comes back unreadable is told again
        guard current != nil, openFollowed(path, notice) else {
            state = .waiting
            return count
        }
        beginNextFile(first: first, notice)
        state = .open
        count += try readAvailable(body)
        return count
    }

    /// The last bytes read (up to 512, ending at the read offset), taken after each look. If they
    /// changed by the next look, the file was truncated and written again past the old offset in
    /// between (too fast for the size to show it): it is read again from the start.
    private func takeFingerprint() {
        guard let file = feed.file else {
            fingerprint = []
            return
        }
        let end = file.offset
        fingerprintEnd = end
        fingerprint = Self.bytes(of: file, from: max(0, end - 512), to: end)
    }

    private func fingerprintHolds(_ file: FileSource) -> Bool {
        guard !fingerprint.isEmpty, fingerprintEnd == file.offset else { return true }
        return Self.bytes(of: file, from: fingerprintEnd - Int64(fingerprint.count), to: fingerprintEnd) == fingerprint
    }

    private static func bytes(of file: FileSource, from start: Int64, to end: Int64) -> [UInt8] {
        guard end > start else { return [] }
        var buffer = [UInt8](repeating: 0, count: Int(end - start))
        let count = buffer.withUnsafeMutableBytes { pread(file.descriptor, $0.baseAddress, $0.count, off_t(start)) }
        return count == buffer.count ? buffer : []
    }

    /// The current file is read to its end; the next one opened continues the log.
    private func leaveFile(rotated: Bool) {
        if let identity, let file = feed.file {
            readFiles.append((identity, file))
            if readFiles.count > 2 { readFiles.removeFirst() }
        }
        feed.file = nil
        identity = nil
        switching = rotated
        state = .waiting
    }

    /// A file was just opened: it continues the log, after a rotation, the prelude, or nothing.
    private func beginNextFile(first: Bool, _ notice: (FollowNotice) -> Void) {
        previousLineBase = lineBase
        lineBase = lines.lineCount
        switch switching {
        case true?:
            rotations += 1
            notice(.rotated)
        case false?:
            break  // after the prelude: the same history goes on
        case nil:
            if !first { notice(.appeared) }
        }
        switching = nil
    }
}

/// Follows several logs at once, reading each through its own pipeline.
/// It does not block and does not sleep: `pollOnce` reads what is there now,
/// and a `ChangeWatcher` decides when to call it again.
package final class LogFollower {
    package let logs: [FollowedLog]
    package let options: ReadOptions

    package init(targets: [FollowTarget], options: ReadOptions = ReadOptions()) {
        self.options = options
        logs = targets.enumerated().map { FollowedLog(index: $0.offset, target: $0.element, options: options) }
    }

    /// One pass over the logs (or those `include` selects): each one's path is
    /// checked for appearance, rotation and truncation, and what is new is read
    /// and handed on as records. Returns the bytes read.
    @discardableResult
    package func pollOnce(include: (FollowedLog) -> Bool = { _ in true },
                         records: (FollowedLog, Record) throws -> Void,
                         notices: (FollowedLog, FollowNotice) -> Void = { _, _ in }) throws -> Int {
        var total = 0
        for log in logs where include(log) {
            total += try log.step({ try records(log, $0) }, { notices(log, $0) })
        }
        return total
    }

    /// Hands on what the logs hold back: partial last lines and records left open.
    package func finish(records: (FollowedLog, Record) throws -> Void) throws {
        for log in logs where log.state != .ended {
            try log.flush { try records(log, $0) }
        }
    }

    /// Whether every log has ended (streams at their end, files read once): nothing more can come.
    package var allEnded: Bool { logs.allSatisfy { $0.state == .ended } }

    /// Descriptors of streams still open, for the watcher to poll.
    package var streamDescriptors: [Int32] { logs.compactMap(\.pollDescriptor) }
}
