import Foundation

/// Finds a data file that SwiftPM copied into a target's resource folder.
/// `Bundle.module` would crash when that folder is missing (a binary copied
/// without it), so the folder is looked for next to the executable and the
/// main bundle instead, and a missing file is nil for the caller to explain.
package enum BundledResource {
    /// The file `name` of `target`'s resources, or the path in the environment
    /// variable `override` when one is set and exists (for installs that keep
    /// the data elsewhere, and for trying out an edited copy).
    package static func url(_ name: String, target: String, override: String? = nil) -> URL? {
        let files = FileManager.default
        if let override, let path = ProcessInfo.processInfo.environment[override], files.fileExists(atPath: path) {
            return URL(fileURLWithPath: path)
        }
        for directory in searchDirectories() {
            for folder in folderNames(target: target) {
                let url = directory.appendingPathComponent(folder).appendingPathComponent(name)
                if files.fileExists(atPath: url.path) { return url }
            }
        }
        return nil
    }

    /// `cmlogcheck_LogRules.resources` on Linux and Windows, `.bundle` on macOS.
    package static func folderNames(target: String) -> [String] {
        ["cmlogcheck_\(target).resources", "cmlogcheck_\(target).bundle"]
    }

    /// The executable's own folder (through symlinks, so a linked install finds
    /// its data), then the main bundle and the folder holding it (test runners).
    static func searchDirectories() -> [URL] {
        var directories: [URL] = []
        if let executable = Bundle.main.executableURL?.resolvingSymlinksInPath().deletingLastPathComponent() {
            directories.append(executable)
        }
        directories.append(Bundle.main.bundleURL)
        directories.append(Bundle.main.bundleURL.deletingLastPathComponent())
        return directories
    }
}
