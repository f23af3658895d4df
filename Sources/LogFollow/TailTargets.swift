import LogInput
import LogRules
import LogAnalysis
import LogFindings
import LogReport
import FoundationEssentials
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Turns `tail`'s command-line paths into the logs to follow.
package enum TailTargets {
    /// - A file: followed (it may be rotated, truncated or replaced). An `X.lo_` named on its
    ///   own is read once: rotation replaces it with history already read from `X.log`.
    /// - A folder: the known logs in it (`CMGatewaySyncUploadWorker.log`, …); those not there
    ///   yet are waited for, so a log written for the first time later is picked up. Known logs
    ///   in subfolders (copies from several machines) are followed too.
    /// - A path that does not exist in an existing folder: waited for.
    /// With `withPrelude`, each followed `X.log` whose `X.lo_` sits next to it reads that first
    /// (`--from-start`: the whole history, a record split by the last rotation joined).
    /// `-` is not handled here (standard input is the caller's).
    package static func resolve(_ paths: [String], kind forced: LogKind? = nil,
                               withPrelude: Bool = false) throws(InputError) -> [FollowTarget] {
        var targets: [FollowTarget] = []
        for path in paths {
            // Through PathName, so a name that is not UTF-8 is found too.
            if let info = PathName.status(path) {
                if (info.st_mode & S_IFMT) == S_IFDIR {
                    targets += folder(path, withPrelude: withPrelude)
                } else {
                    guard PathName.withCString(path, { access($0, R_OK) }) == 0 else {
                        throw InputError("cannot read \(path): \(String(cString: strerror(errno)))")
                    }
                    targets.append(file(path, kind: forced, withPrelude: withPrelude))
                }
                continue
            }
            let folder = ChangeWatcher.split(path).0
            guard let folderInfo = PathName.status(folder), (folderInfo.st_mode & S_IFMT) == S_IFDIR else {
                throw InputError("no such file or folder: \(path)")
            }
            targets.append(file(path, kind: forced, withPrelude: withPrelude))  // waited for
        }
        var seen = Set<String>()
        return targets.filter { seen.insert(($0.path ?? $0.name).lowercased()).inserted }
    }

    static func file(_ path: String, kind forced: LogKind?, withPrelude: Bool) -> FollowTarget {
        let name = ChangeWatcher.split(path).1
        var kind = LogKind(fileName: name)
        if kind == .unknown, let forced { kind = forced }
        if name.lowercased().hasSuffix(".lo_") {
            return .file(path, kind: kind, follow: false)
        }
        var prelude: String?
        if withPrelude, name.lowercased().hasSuffix(".log") {
            let candidate = String(path.dropLast(4)) + (name.hasSuffix(".LOG") ? ".LO_" : ".lo_")
            if PathName.status(candidate) != nil { prelude = candidate }
        }
        return .file(path, kind: kind, prelude: prelude)
    }

    static func folder(_ given: String, withPrelude: Bool) -> [FollowTarget] {
        var folder = given
        while folder.count > 1 && folder.hasSuffix("/") { folder.removeLast() }
        let entries = PathName.entries(of: folder) ?? []
        var targets: [FollowTarget] = []
        for kind in LogKind.known {
            let wanted = (kind.rawValue + ".log").lowercased()
            let name = entries.sorted().first { $0.lowercased() == wanted } ?? kind.rawValue + ".log"
            targets.append(file(PathText.appending(name, to: folder), kind: kind, withPrelude: withPrelude))
        }
        // The related logs whose documented failures tail alerts on (AdminService.log, …): followed
        // when the folder holds them, not waited for (most Logs folders never will).
        for kind in LogKind.related {
            let wanted = (kind.rawValue + ".log").lowercased()
            guard let name = entries.sorted().first(where: { $0.lowercased() == wanted }) else { continue }
            targets.append(file(PathText.appending(name, to: folder), kind: kind, withPrelude: withPrelude))
        }
        // Copies from several machines, one subfolder each: the known logs found there.
        if let found = try? InputResolver.resolve([folder]) {
            for input in found {
                guard case .file(let path) = input.location, path.lowercased().hasSuffix(".log"),
                      ChangeWatcher.split(path).0 != folder else { continue }
                targets.append(file(path, kind: input.kind, withPrelude: withPrelude))
            }
        }
        return targets
    }
}
