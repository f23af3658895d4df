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

/// Waits, without spinning, until a followed file may have changed.
///
/// On Linux it watches the *folders* of the followed files with inotify, so
/// that appends (IN_MODIFY), ConfigMgr's rotation (IN_MOVED_FROM, then
/// IN_CREATE or IN_MOVED_TO) and a file created late are all seen; events
/// for other files of a busy Logs folder are read and ignored without waking
/// the caller. Folders inotify cannot watch (missing, or on a network file
/// system such as CIFS or NFS, where changes made by the server are not
/// reported) are polled every `pollInterval` instead, and so is everything
/// when inotify is not available. Either way the caller also wakes when a
/// descriptor it passes (a stream, the stop pipe) becomes readable, and at the
/// timeout it asks for (the next alert deadline).
package final class ChangeWatcher {
    package enum Mode: String, Sendable {
        case inotify
        case polling
    }

    package enum Wake: Equatable, Sendable {
        /// A followed file may have changed (or a polling interval passed).
        case changed
        /// One of the descriptors passed to `wait` is readable.
        case descriptor(Int32)
        case timeout
    }

    /// How often a folder that inotify does not watch is checked.
    package let pollInterval: Double
    /// With inotify, a check is still made this often: a cheap safety net.
    package let rescanInterval: Double
    package private(set) var mode: Mode
    /// Folders polled rather than watched (a network file system, a folder not there yet, a watch that failed).
    package private(set) var polledFolders: [String] = []

    private var inotifyDescriptor: Int32 = -1
    /// Per watch: the file names (lower-cased) in its folder that matter.
    private var watchedNames: [Int32: Set<String>] = [:]
    private var eventBuffer: UnsafeMutableRawBufferPointer?

    /// `files` are the full paths followed. `forcePolling` skips inotify (also set by CMLOGCHECK_TAIL_POLL=1).
    package init(files: [String], forcePolling: Bool = false, pollInterval: Double = 1, rescanInterval: Double = 10) {
        self.pollInterval = pollInterval
        self.rescanInterval = rescanInterval
        var byFolder: [String: Set<String>] = [:]
        var order: [String] = []
        for path in files {
            let (folder, name) = ChangeWatcher.split(path)
            if byFolder[folder] == nil { order.append(folder) }
            byFolder[folder, default: []].formUnion(ChangeWatcher.interestingNames(for: name))
        }
        let wantPolling = forcePolling || ChangeWatcher.environmentForcesPolling
        mode = .polling
        #if os(Linux)
        if !wantPolling && !order.isEmpty {
            let descriptor = inotify_init1(Int32(IN_NONBLOCK | IN_CLOEXEC))
            if descriptor >= 0 {
                inotifyDescriptor = descriptor
                mode = .inotify
                eventBuffer = .allocate(byteCount: 64 * 1024, alignment: 8)
                let mask = UInt32(IN_MODIFY | IN_CREATE | IN_MOVED_FROM | IN_MOVED_TO | IN_DELETE | IN_CLOSE_WRITE
                                  | IN_ATTRIB | IN_DELETE_SELF | IN_MOVE_SELF)
                for folder in order {
                    if MountTable.isRemote(folder) {
                        polledFolders.append(folder)
                        continue
                    }
                    let watch = inotify_add_watch(descriptor, folder, mask)
                    if watch >= 0 {
                        watchedNames[watch, default: []].formUnion(byFolder[folder]!)
                    } else {
                        polledFolders.append(folder)
                    }
                }
            }
        }
        #endif
        if mode == .polling { polledFolders = order }
    }

    deinit {
        if inotifyDescriptor >= 0 { close(inotifyDescriptor) }
        eventBuffer?.deallocate()
    }

    static var environmentForcesPolling: Bool {
        guard let value = getenv("CMLOGCHECK_TAIL_POLL") else { return false }
        let text = String(cString: value)
        return !text.isEmpty && text != "0"
    }

    /// The folder and file name of a path.
    static func split(_ path: String) -> (String, String) {
        guard let slash = path.lastIndex(of: "/") else { return (".", path) }
        let folder = String(path[..<slash])
        return (folder.isEmpty ? "/" : folder, String(path[path.index(after: slash)...]))
    }

    /// The names whose events matter for a followed file: itself and its rotated `.lo_`
    /// (after the rename the old file is still written under that name).
    static func interestingNames(for name: String) -> Set<String> {
        let lower = name.lowercased()
        var names: Set<String> = [lower]
        if lower.hasSuffix(".log") { names.insert(String(lower.dropLast(4)) + ".lo_") }
        return names
    }

    /// Waits until a followed file may have changed, a descriptor in `descriptors` is
    /// readable, one in `closing` reports an error or hang-up (standard output whose reader
    /// went away), or `timeout` seconds pass. Never returns early for events about other files.
    package func wait(timeout: Double, descriptors: [Int32] = [], closing: [Int32] = []) -> Wake {
        let start = ChangeWatcher.monotonicSeconds()
        while true {
            let elapsed = ChangeWatcher.monotonicSeconds() - start
            var remaining = timeout - elapsed
            if remaining <= 0 { return .timeout }
            var stepLimit = rescanInterval
            if !polledFolders.isEmpty || mode == .polling { stepLimit = pollInterval }
            let pollsFiles = remaining > stepLimit
            remaining = min(remaining, stepLimit)
            var entries = descriptors.map { pollfd(fd: $0, events: Int16(POLLIN), revents: 0) }
            entries += closing.map { pollfd(fd: $0, events: 0, revents: 0) }
            if inotifyDescriptor >= 0 { entries.append(pollfd(fd: inotifyDescriptor, events: Int16(POLLIN), revents: 0)) }
            let milliseconds = Int32(min(max(remaining * 1000, 0).rounded(.up), Double(Int32.max)))
            let ready = poll(&entries, nfds_t(entries.count), milliseconds)
            if ready < 0 {
                if errno == EINTR { continue }
                return .changed
            }
            if ready == 0 {
                // The polling interval (or the rescan interval) passed: have the files checked.
                return pollsFiles ? .changed : .timeout
            }
            for entry in entries.prefix(descriptors.count + closing.count) where entry.revents != 0 {
                return .descriptor(entry.fd)
            }
            if inotifyDescriptor >= 0, let last = entries.last, last.revents != 0, drainEvents() {
                return .changed
            }
        }
    }

    /// Reads the pending inotify events; true when one concerns a followed file.
    private func drainEvents() -> Bool {
        #if os(Linux)
        guard let buffer = eventBuffer else { return true }
        var relevant = false
        while true {
            let count = read(inotifyDescriptor, buffer.baseAddress!, buffer.count)
            if count < 0 {
                if errno == EINTR { continue }
                return relevant  // EAGAIN: all read
            }
            if count == 0 { return relevant }
            var offset = 0
            let headerSize = MemoryLayout<inotify_event>.size
            while offset + headerSize <= count {
                let base = buffer.baseAddress! + offset
                let watch = base.loadUnaligned(fromByteOffset: 0, as: Int32.self)
                let mask = base.loadUnaligned(fromByteOffset: 4, as: UInt32.self)
                let length = Int(base.loadUnaligned(fromByteOffset: 12, as: UInt32.self))
                offset += headerSize + length
                if mask & UInt32(IN_Q_OVERFLOW) != 0 { relevant = true; continue }
                if mask & UInt32(IN_IGNORED | IN_DELETE_SELF | IN_MOVE_SELF) != 0 {
                    // The folder itself went away: poll from now on.
                    watchedNames[watch] = nil
                    mode = .polling
                    relevant = true
                    continue
                }
                guard length > 0 else { continue }
                let nameBytes = UnsafeRawBufferPointer(start: base + headerSize, count: length)
                let end = nameBytes.firstIndex(of: 0) ?? length
                let name = String(decoding: nameBytes[..<end], as: UTF8.self).lowercased()
                if watchedNames[watch]?.contains(name) == true { relevant = true }
            }
        }
        #else
        return true
        #endif
    }

    static func monotonicSeconds() -> Double {
        var spec = timespec()
        clock_gettime(CLOCK_MONOTONIC, &spec)
        return Double(spec.tv_sec) + Double(spec.tv_nsec) / 1e9
    }
}

/// Which file system a folder is on, from /proc/self/mounts.
enum MountTable {
    /// File systems whose changes made elsewhere inotify does not report.
    static let remoteTypes: Set<String> = ["nfs", "nfs4", "cifs", "smb3", "smbfs", "9p", "ceph", "glusterfs", "afs",
                                           "vboxsf", "virtiofs", "davfs", "fuse", "fuseblk", "ncpfs"]

    static func isRemote(_ folder: String) -> Bool {
        guard let type = type(of: folder) else { return false }
        return remoteTypes.contains(type) || type.hasPrefix("fuse.")
    }

    /// The type of the file system the folder is on: the longest mount point that contains it.
    static func type(of folder: String) -> String? {
        guard let resolved = realpath(folder, nil) else { return nil }
        let path = String(cString: resolved)
        free(resolved)
        guard let file = fopen("/proc/self/mounts", "r") else { return nil }
        defer { fclose(file) }
        var best: (length: Int, type: String)?
        var line: UnsafeMutablePointer<CChar>?
        var capacity = 0
        defer { free(line) }
        while getline(&line, &capacity, file) > 0 {
            let fields = String(cString: line!).split(separator: " ")
            guard fields.count >= 3 else { continue }
            let mountPoint = unescape(String(fields[1]))
            let inside = mountPoint == "/" || path == mountPoint || path.hasPrefix(mountPoint + "/")
            if inside, mountPoint.count >= (best?.length ?? -1) { best = (mountPoint.count, String(fields[2])) }
        }
        return best?.type
    }

    /// /proc/self/mounts writes a space as `\040` (octal escapes).
    static func unescape(_ text: String) -> String {
        guard text.contains("\\") else { return text }
        var bytes: [UInt8] = []
        let source = Array(text.utf8)
        var index = 0
        while index < source.count {
            if source[index] == UInt8(ascii: "\\"), index + 3 < source.count,
               let value = UInt8(String(decoding: source[(index + 1)...(index + 3)], as: UTF8.self), radix: 8) {
                bytes.append(value)
                index += 4
            } else {
                bytes.append(source[index])
                index += 1
            }
        }
        return String(decoding: bytes, as: UTF8.self)
    }
}
