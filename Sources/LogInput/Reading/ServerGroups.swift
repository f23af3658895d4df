import LogMatching
import FoundationEssentials

/// The inputs of one server: logs copied from several service connection
/// points (one folder each) are separate clocks and separate upload workers,
/// and are reviewed apart, never merged into one timeline.
package struct ServerGroup: Sendable, Equatable {
    /// The folder that names the server (relative to the folders' common parent), or nil for a single server.
    package var name: String?
    package var inputs: [InputSource]
}

package enum ServerGroups {
    /// The logs a service connection point writes: a folder holding one of them is a server's.
    static let serverKinds: Set<LogKind> = [.syncUpload, .notification, .genericUpload]

    /// Splits inputs by server. Inputs are grouped by the folder they sit in; when two or
    /// more folders hold a service connection point's logs, each of those folders is a
    /// server, and folders holding only other logs (a management point's BgbServer.log, a
    /// client's log) are read with every server, since any of them may have used them.
    /// Otherwise everything is one server. Not documented by Microsoft: cmlogcheck's rule,
    /// from the reference's note that copies from several servers must never be merged.
    package static func group(_ inputs: [InputSource]) -> [ServerGroup] {
        var folders: [String] = []
        var byFolder: [String: [InputSource]] = [:]
        for input in inputs {
            let folder: String
            switch input.location {
            case .file(let path): folder = PathText.deletingLastComponent(path)
            case .standardInput: folder = "-"
            }
            if byFolder[folder] == nil { folders.append(folder) }
            byFolder[folder, default: []].append(input)
        }
        let serverFolders = folders.filter { folder in
            folder != "-" && byFolder[folder]!.contains { serverKinds.contains($0.kind) }
        }
        guard serverFolders.count > 1 else { return [ServerGroup(name: nil, inputs: inputs)] }
        let shared = inputs.filter { input in
            guard case .file(let path) = input.location else { return true }
            return !serverFolders.contains(PathText.deletingLastComponent(path))
        }
        let names = displayNames(serverFolders)
        return zip(serverFolders, names).map { folder, name in
            ServerGroup(name: name, inputs: byFolder[folder]! + shared)
        }
    }

    /// Each folder relative to their common parent (`site-ps1`), or the whole path when that says nothing.
    static func displayNames(_ folders: [String]) -> [String] {
        let parts = folders.map { $0.split(separator: "/", omittingEmptySubsequences: false).map(String.init) }
        var common = 0
        while let first = parts.first, common < first.count - 1,
              parts.allSatisfy({ $0.count > common + 1 && $0[common] == first[common] }) {
            common += 1
        }
        let names = parts.map { $0.dropFirst(common).joined(separator: "/") }
        return Set(names).count == names.count && !names.contains("") ? names : folders
    }
}
