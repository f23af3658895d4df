#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Where the system keeps its compiled time zones, and how a name finds its file.
///
/// The folders are those glibc and macOS read (`TZDIR` first). A name is matched
/// without regard to case, one path component at a time, so `europe/amsterdam`
/// finds `Europe/Amsterdam` and says so by its identifier. `UTC` (and `GMT`, `Z`)
/// needs no file: a machine without the database still reads `--tz UTC`.
enum ZoneDatabase {
    static var folders: [String] {
        var folders: [String] = []
        if let tzdir = getenv("TZDIR").map({ String(cString: $0) }), !tzdir.isEmpty { folders.append(tzdir) }
        folders += ["/usr/share/zoneinfo", "/usr/lib/zoneinfo", "/usr/share/lib/zoneinfo", "/var/db/timezone/zoneinfo"]
        return folders
    }

    /// The zone named `name` (an IANA name), or nil when no folder has it.
    static func zone(named name: String) -> (identifier: String, zone: ZoneFile?)? {
        if ["utc", "gmt", "z", "etc/utc", "etc/gmt"].contains(name.lowercased()) { return (name.uppercased() == "Z" ? "UTC" : name, nil) }
        let components = name.split(separator: "/", omittingEmptySubsequences: false).map(String.init)
        // A name, not a path: no empty, `.` or `..` component can leave the database.
        guard !components.isEmpty, components.allSatisfy({ !$0.isEmpty && $0 != "." && $0 != ".." && !$0.contains("\0") }) else {
            return nil
        }
        for folder in folders {
            guard let found = resolve(components, in: folder),
                  let bytes = readAll(folder + "/" + found), let zone = ZoneFile(bytes) else { continue }
            return (found, zone)
        }
        return nil
    }

    /// This machine's zone: `TZ` when it names one (`Europe/Amsterdam`, `:Europe/Amsterdam`),
    /// else /etc/localtime, named by where its link points; UTC when there is neither.
    static func local() -> (identifier: String, zone: ZoneFile?)? {
        if let tz = getenv("TZ").map({ String(cString: $0) }), !tz.isEmpty {
            let name = tz.hasPrefix(":") ? String(tz.dropFirst()) : tz
            if name.hasPrefix("/"), let bytes = readAll(name), let zone = ZoneFile(bytes) { return (name, zone) }
            if let found = zone(named: name) { return found }
            if let rule = PosixZoneRule(name) { return (name, ZoneFile(rule: rule)) }
        }
        guard let bytes = readAll("/etc/localtime"), let zone = ZoneFile(bytes) else { return ("UTC", nil) }
        return (linkedName("/etc/localtime") ?? "localtime", zone)
    }

    /// The database name a link such as /etc/localtime -> /usr/share/zoneinfo/Europe/Amsterdam points at.
    static func linkedName(_ path: String) -> String? {
        var buffer = [CChar](repeating: 0, count: 4096)
        let length = readlink(path, &buffer, buffer.count - 1)
        guard length > 0 else { return nil }
        let target = String(decoding: buffer[0..<length].map { UInt8(bitPattern: $0) }, as: UTF8.self)
        guard let range = target.firstRange(of: "zoneinfo/") else { return nil }
        let name = String(target[range.upperBound...])
        return name.isEmpty ? nil : name
    }

    /// The path under `folder` whose components equal `components` but for case, as spelled on disk.
    static func resolve(_ components: [String], in folder: String) -> String? {
        var path = ""
        for component in components {
            let here = path.isEmpty ? folder : folder + "/" + path
            var found: String?
            if access(here + "/" + component, F_OK) == 0 {
                found = component
            } else {
                found = entries(of: here).first { $0.lowercased() == component.lowercased() }
            }
            guard let found else { return nil }
            path = path.isEmpty ? found : path + "/" + found
        }
        return path
    }

    static func entries(of folder: String) -> [String] {
        guard let directory = opendir(folder) else { return [] }
        defer { closedir(directory) }
        var names: [String] = []
        while let entry = readdir(directory) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) { raw in
                String(decoding: raw.prefix { $0 != 0 }, as: UTF8.self)
            }
            if name != "." && name != ".." { names.append(name) }
        }
        return names
    }

    /// A small regular file's bytes (zone files are a few KiB); nil when it cannot be read.
    static func readAll(_ path: String) -> [UInt8]? {
        let descriptor = open(path, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else { return nil }
        defer { close(descriptor) }
        var status = stat()
        guard fstat(descriptor, &status) == 0, (status.st_mode & S_IFMT) == S_IFREG, status.st_size < 1 << 20 else { return nil }
        var bytes: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 16 * 1024)
        while true {
            let count = chunk.withUnsafeMutableBytes { read(descriptor, $0.baseAddress, $0.count) }
            if count < 0 && errno == EINTR { continue }
            guard count >= 0 else { return nil }
            if count == 0 { return bytes }
            bytes.append(contentsOf: chunk[0..<count])
        }
    }
}

extension ZoneFile {
    /// A zone that is only a POSIX rule (`TZ=CET-1CEST,M3.5.0,M10.5.0/3`).
    init(rule: PosixZoneRule) {
        times = []
        offsets = []
        initialOffset = Int32(rule.standardOffset)
        self.rule = rule
    }
}
