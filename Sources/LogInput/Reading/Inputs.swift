import LogMatching
import Foundation

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
        InputSource(location: .file(path), name: path, kind: LogKind(fileName: (path as NSString).lastPathComponent))
    }

    package static let standardInput = InputSource(location: .standardInput, name: "stdin", kind: .unknown)
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
    /// command line they keep the order given.
    package static func resolve(_ paths: [String]) throws(InputError) -> [InputSource] {
        var inputs: [InputSource] = []
        let files = FileManager.default
        for path in paths {
            if path == "-" {
                inputs.append(.standardInput)
                continue
            }
            var isDirectory: ObjCBool = false
            guard files.fileExists(atPath: path, isDirectory: &isDirectory) else {
                throw InputError("no such file or folder: \(path)")
            }
            if isDirectory.boolValue {
                let found = logs(inFolder: path, depth: folderDepth)
                guard !found.isEmpty else {
                    throw InputError("no tenant attach logs in folder \(path): looked for \(knownNames.joined(separator: ", ")) and their X-YYYYMMDD-HHMMSS.log history (in it and up to \(folderDepth) levels of subfolders)")
                }
                inputs += found
            } else {
                guard files.isReadableFile(atPath: path) else {
                    throw InputError("cannot read \(path): permission denied")
                }
                inputs.append(.file(path))
            }
        }
        return historyFirst(readOnce(inputs))
    }

    /// Moves each `X.lo_` before its `X.log` when both are given, keeping the rest in order.
    /// Each file once, however often it was named or found (a file given beside its folder,
    /// or reached through a link): counted twice, every cycle and finding would double.
    static func readOnce(_ inputs: [InputSource]) -> [InputSource] {
        var seen = Set<String>()
        return inputs.filter { input in
            guard case .file(let path) = input.location else { return true }
            return seen.insert(URL(fileURLWithPath: path).resolvingSymlinksInPath().standardizedFileURL.path).inserted
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
        let files = FileManager.default
        guard let entries = try? files.contentsOfDirectory(atPath: folder) else { return [] }
        func isFile(_ path: String) -> Bool {
            var isDirectory: ObjCBool = false
            return files.fileExists(atPath: path, isDirectory: &isDirectory) && !isDirectory.boolValue
        }
        let sorted = entries.sorted()
        let history = sorted.compactMap { entry in LogKind.history(fileName: entry).map { (entry: entry, kind: $0.kind, stamp: $0.stamp) } }
        var found: [InputSource] = []
        // The tenant attach logs and the related ones whose documented failures the review
        // explains (AdminService.log on an SMS Provider, EndpointConnectivityCheckWorker.log, …).
        for kind in LogKind.named {
            // Equal stamps (copies whose names differ only in case) fall back to name order.
            for file in history.filter({ $0.kind == kind }).sorted(by: { ($0.stamp, $0.entry) < ($1.stamp, $1.entry) }) {
                let path = (folder as NSString).appendingPathComponent(file.entry)
                if isFile(path) { found.append(InputSource(location: .file(path), name: path, kind: kind)) }
            }
            for suffix in [".lo_", ".log"] {
                let wanted = (kind.rawValue + suffix).lowercased()
                for entry in sorted where entry.lowercased() == wanted {
                    let path = (folder as NSString).appendingPathComponent(entry)
                    if isFile(path) { found.append(InputSource(location: .file(path), name: path, kind: kind)) }
                }
            }
        }
        guard depth > 0 else { return found }
        for entry in entries.sorted() where !entry.hasPrefix(".") {
            let path = (folder as NSString).appendingPathComponent(entry)
            var isDirectory: ObjCBool = false
            if files.fileExists(atPath: path, isDirectory: &isDirectory), isDirectory.boolValue {
                found += logs(inFolder: path, depth: depth - 1)
            }
        }
        return found
    }
}
