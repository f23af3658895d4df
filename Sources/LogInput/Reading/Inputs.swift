import LogMatching
import FoundationEssentials
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// One input to read: a file, or standard input.
package struct InputSource: Equatable, Sendable {
    package enum Location: Equatable, Sendable {
        case file(String)
        case standardInput
    }
    package let location: Location
    /// The name shown in reports: the path as given (or found in a folder), or `stdin`.
    package let name: String
    package let kind: LogKind

    package init(location: Location, name: String, kind: LogKind) {
        self.location = location
        self.name = name
        self.kind = kind
    }

    package static func file(_ path: String) -> InputSource {
        InputSource(location: .file(path), name: path, kind: LogKind(fileName: PathText.lastComponent(path)))
    }

    package static let standardInput = InputSource(location: .standardInput, name: "stdin", kind: .unknown)
}

/// A file or folder that was not read, and why. The review goes on with the rest and
/// marks its report incomplete; `records` goes on and exits 2.
package struct UnreadInput: Equatable, Sendable {
    /// The path as given or as found in a folder.
    package var path: String
    /// The system's reason (`Permission denied`), or what the path is instead of a log.
    package var reason: String
    /// Named on the command line (not found in a folder).
    package var named: Bool

    /// A FIFO, socket or device under a log's name (not a duplicate or a loop).
    package var isSpecialFile: Bool

    package init(path: String, reason: String, named: Bool = false, isSpecialFile: Bool = false) {
        self.path = path
        self.reason = reason
        self.named = named
        self.isSpecialFile = isSpecialFile
    }

    /// `cannot read X: Permission denied`: the one wording, on standard error and in tests.
    package var message: String { "cannot read \(path): \(reason)" }
}

/// What the command-line paths resolved to.
package struct ResolvedInputs: Sendable {
    /// What to read, in reading order.
    package var inputs: [InputSource] = []
    /// Files and folders that could not be read (the report is incomplete without them).
    package var unread: [UnreadInput] = []
    /// Special files (FIFOs, sockets, devices) found in a folder under a log's name: not
    /// read, since a FIFO would block the review; named explicitly, a FIFO is read.
    package var skipped: [UnreadInput] = []
    /// Folders already searched, by device and inode: a link back up the tree (`self -> .`)
    /// or a folder named twice is searched once.
    var searchedFolders: [FileIdentity: String] = [:]

    package init(inputs: [InputSource] = [], unread: [UnreadInput] = [], skipped: [UnreadInput] = []) {
        self.inputs = inputs
        self.unread = unread
        self.skipped = skipped
    }
}

/// Turns command-line paths into the inputs to read, in reading order.
package enum InputResolver {
    /// How deep a Logs folder is searched: logs copied from several machines often sit in one subfolder each.
    package static let folderDepth = 3

    /// The file names looked for in a folder, for the message when none is there.
    package static var knownNames: [String] {
        LogKind.named.flatMap { [$0.rawValue + ".lo_", $0.rawValue + ".log"] }
    }

    /// Resolves paths; `-` is standard input. Within the same log, `X.lo_`
    /// (older history) is read before `X.log`. A folder's history files
    /// (`X-YYYYMMDD-HHMMSS.log`) come before both, oldest first; named on the
    /// command line they keep the order given. An explicitly named file that cannot
    /// be read throws; what cannot be read inside a folder is left out (see `resolveAll`).
    package static func resolve(_ paths: [String]) throws(InputError) -> [InputSource] {
        let resolved = try resolveAll(paths)
        if let named = resolved.unread.first(where: \.named) { throw InputError(named.message) }
        return resolved.inputs
    }

    /// Resolves paths, keeping what cannot be read apart instead of failing on it: an
    /// unreadable file or subfolder is named in `unread` and the rest is still read. Throws
    /// for a path that does not exist, and for a folder in which no log was found at all.
    package static func resolveAll(_ paths: [String]) throws(InputError) -> ResolvedInputs {
        var resolved = ResolvedInputs()
        for path in paths {
            if path == "-" {
                resolved.inputs.append(.standardInput)
                continue
            }
            // Names through PathName: a name that is not UTF-8 is found and opened too.
            guard let info = PathName.status(path) else {
                let code = errno
                if code == ENOENT || code == ENOTDIR { throw InputError("no such file or folder: \(path)") }
                // A symlink loop (ELOOP), a folder on the way that may not be searched (EACCES), …
                resolved.unread.append(UnreadInput(path: path, reason: String(cString: strerror(code)), named: true))
                continue
            }
            switch info.st_mode & S_IFMT {
            case S_IFDIR:
                if let first = resolved.searchedFolders[FileIdentity(info)] {
                    if first != path { resolved.skipped.append(UnreadInput(path: path, reason: "the same folder as \(first): searched once", named: true)) }
                    continue
                }
                let before = (resolved.inputs.count, resolved.unread.count, resolved.skipped.count)
                logs(inFolder: path, depth: folderDepth, into: &resolved, top: true)
                if resolved.inputs.count == before.0 && resolved.unread.count == before.1 {
                    let special = resolved.skipped[before.2...].contains(where: \.isSpecialFile)
                    let skipped = special ? " (special files with log names were skipped)" : ""
                    throw InputError("no tenant attach logs in folder \(path): looked for \(knownNames.joined(separator: ", ")) and their X-YYYYMMDD-HHMMSS.log history (in it and up to \(folderDepth) levels of subfolders)\(skipped)")
                }
            case S_IFSOCK:
                resolved.unread.append(UnreadInput(path: path, reason: "a socket, not a file", named: true))
            case S_IFREG:
                if PathName.withCString(path) { access($0, R_OK) } != 0 {
                    resolved.unread.append(UnreadInput(path: path, reason: String(cString: strerror(errno)), named: true))
                } else {
                    resolved.inputs.append(.file(path))
                }
            default:
                // A FIFO or a device named explicitly is read as a stream, like standard input.
                resolved.inputs.append(.file(path))
            }
        }
        readOnce(&resolved)
        resolved.inputs = historyFirst(resolved.inputs)
        return resolved
    }

    /// Moves each `X.lo_` before its `X.log` when both are given, keeping the rest in order.
    /// Each file once, however often it was named or found (a file given beside its folder,
    /// or reached through a link): counted twice, every cycle and finding would double.
    /// Files are told apart by device and inode, so a hard link or a path through another
    /// mount of the same folder is caught too; each duplicate is named in `skipped`.
    static func readOnce(_ resolved: inout ResolvedInputs) {
        var seen: [FileIdentity: String] = [:]
        resolved.inputs = resolved.inputs.filter { input in
            guard case .file(let path) = input.location, let info = PathName.status(path) else { return true }
            let identity = FileIdentity(info)
            if let first = seen[identity] {
                // Named twice as written: said once, not as a surprise.
                if first != path { resolved.skipped.append(UnreadInput(path: path, reason: "the same file as \(first): read once")) }
                return false
            }
            seen[identity] = path
            return true
        }
    }

    static func historyFirst(_ inputs: [InputSource]) -> [InputSource] {
        var result: [InputSource] = []
        for input in inputs {
            if case .file(let path) = input.location, path.lowercased().hasSuffix(".lo_"),
               let current = result.firstIndex(where: { $0.name.lowercased() == (path.dropLast(4) + ".log").lowercased() }) {
                result.insert(input, at: current)
            } else {
                result.append(input)
            }
        }
        return result
    }

    /// The known logs in a folder and its subfolders, each log's history first: its
    /// `X-YYYYMMDD-HHMMSS.log` files oldest first by the stamp in the name, then `X.lo_`,
    /// then `X.log` (the order ConfigMgr wrote them: about-log-files, documented-knowledge.md §4.1).
    static func logs(inFolder folder: String, depth: Int) -> [InputSource] {
        var resolved = ResolvedInputs()
        logs(inFolder: folder, depth: depth, into: &resolved, top: true)
        return resolved.inputs
    }

    /// The errno with which listing `folder` fails, or nil when it lists to its end.
    static func listingError(_ folder: String) -> Int32? {
        guard let handle = PathName.withCString(folder, { opendir($0) }) else { return errno }
        defer { closedir(handle) }
        while true {
            errno = 0
            if readdir(handle) == nil { return errno == 0 ? nil : errno }
        }
    }

    /// As `logs(inFolder:depth:)`, telling apart what could not be read: a subfolder that
    /// cannot be listed and a log that cannot be read go to `unread`, a special file under a
    /// log's name to `skipped`. `top`: the folder itself was named (its failure is named too).
    static func logs(inFolder folder: String, depth: Int, into resolved: inout ResolvedInputs, top: Bool) {
        // Listed with readdir to its end first: FileManager's error does not carry the system's
        // reason, and some folders open, list . and .., then refuse the rest (/proc/1/map_files),
        // which FileManager returns as an empty folder.
        if let info = PathName.status(folder) {
            let identity = FileIdentity(info)
            if let first = resolved.searchedFolders[identity] {
                if !top { resolved.skipped.append(UnreadInput(path: folder, reason: "a link back to \(first), already searched: not searched again")) }
                return
            }
            resolved.searchedFolders[identity] = folder
        }
        if let code = listingError(folder) {
            resolved.unread.append(UnreadInput(path: folder, reason: "folder not listed: " + String(cString: strerror(code)), named: top))
            return
        }
        // readdir's names as bytes: FileManager drops a name that is not UTF-8.
        guard let entries = PathName.entries(of: folder) else {
            resolved.unread.append(UnreadInput(path: folder, reason: "folder not listed", named: top))
            return
        }
        /// A log's name found: read it if it is a readable regular file; say why not otherwise.
        /// A folder under a log's name is searched below, like any other subfolder.
        func take(_ path: String, kind: LogKind) {
            guard let info = PathName.status(path) else {
                // A dangling link or a link loop under a log's name: that log is not read.
                resolved.unread.append(UnreadInput(path: path, reason: String(cString: strerror(errno))))
                return
            }
            switch info.st_mode & S_IFMT {
            case S_IFREG:
                if PathName.withCString(path) { access($0, R_OK) } == 0 {
                    resolved.inputs.append(InputSource(location: .file(path), name: path, kind: kind))
                } else {
                    resolved.unread.append(UnreadInput(path: path, reason: String(cString: strerror(errno))))
                }
            case S_IFDIR:
                return
            case S_IFIFO:
                resolved.skipped.append(UnreadInput(path: path, reason: "a named pipe (FIFO), not a file: skipped (name it to read it as a stream)", isSpecialFile: true))
            default:
                resolved.skipped.append(UnreadInput(path: path, reason: "a special file, not a regular file: skipped", isSpecialFile: true))
            }
        }
        let sorted = entries.sorted()
        let history = sorted.compactMap { entry in LogKind.history(fileName: entry).map { (entry: entry, kind: $0.kind, stamp: $0.stamp) } }
        // The tenant attach logs and the related ones whose documented failures the review
        // explains (AdminService.log on an SMS Provider, EndpointConnectivityCheckWorker.log, …).
        for kind in LogKind.named {
            // Equal stamps (copies whose names differ only in case) fall back to name order.
            for file in history.filter({ $0.kind == kind }).sorted(by: { ($0.stamp, $0.entry) < ($1.stamp, $1.entry) }) {
                take(PathText.appending(file.entry, to: folder), kind: kind)
            }
            for suffix in [".lo_", ".log"] {
                let wanted = (kind.rawValue + suffix).lowercased()
                for entry in sorted where entry.lowercased() == wanted {
                    take(PathText.appending(entry, to: folder), kind: kind)
                }
            }
        }
        guard depth > 0 else { return }
        for entry in sorted where !entry.hasPrefix(".") {
            let path = PathText.appending(entry, to: folder)
            if let info = PathName.status(path), (info.st_mode & S_IFMT) == S_IFDIR {
                logs(inFolder: path, depth: depth - 1, into: &resolved, top: false)
            }
        }
    }
}

/// A file or folder as the system knows it: the same pair is the same file, whatever the path.
struct FileIdentity: Hashable {
    var device: UInt64
    var inode: UInt64

    init(_ info: stat) {
        device = UInt64(truncatingIfNeeded: info.st_dev)
        inode = UInt64(truncatingIfNeeded: info.st_ino)
    }
}
