/// Path arithmetic on text, as NSString's path methods do it, without Foundation:
/// slashes only, no file system call.
package enum PathText {
    /// `a/b/c.log` -> `c.log`; trailing slashes ignored; `/` stays `/`.
    package static func lastComponent(_ path: String) -> String {
        let trimmed = trimmingTrailingSlashes(path)
        if trimmed == "/" { return "/" }
        guard let slash = trimmed.lastIndex(of: "/") else { return trimmed }
        return String(trimmed[trimmed.index(after: slash)...])
    }

    /// `a/b/c.log` -> `a/b`; `/a` -> `/`; `c.log` -> ``.
    package static func deletingLastComponent(_ path: String) -> String {
        let trimmed = trimmingTrailingSlashes(path)
        if trimmed == "/" { return "/" }
        guard let slash = trimmed.lastIndex(of: "/") else { return "" }
        if slash == trimmed.startIndex { return "/" }
        return trimmingTrailingSlashes(String(trimmed[..<slash]))
    }

    /// `a/b` + `c.log` -> `a/b/c.log`, one slash between them.
    package static func appending(_ component: String, to folder: String) -> String {
        if folder.isEmpty { return component }
        let base = trimmingTrailingSlashes(folder)
        let tail = component.drop { $0 == "/" }
        return base == "/" ? "/" + tail : base + "/" + tail
    }

    static func trimmingTrailingSlashes(_ path: String) -> String {
        var text = Substring(path)
        while text.count > 1, text.last == "/" { text = text.dropLast() }
        return String(text)
    }
}
