#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// File names as the system gives them: bytes, not always UTF-8 (a Logs folder copied from
/// a Latin-1 share, a name mangled on the way). A Swift string cannot hold such bytes, so each
/// byte that is not part of valid UTF-8 is kept as one private-use scalar, U+10FE00 plus the
/// byte (U+10FE80…U+10FEFF), and turned back into that byte when the name goes to the system.
/// So such a file is found in a folder walk and opened when named, and its name is shown
/// with the byte escaped (`Terminal.clean` writes `\xFF`).
/// (A name that really contains one of those 128 private-use characters is read as the bytes
/// they stand for: the price of round-tripping every other name.)
package enum PathName {
    /// The scalars that stand for bytes that are not UTF-8.
    package static let escapedBytes: ClosedRange<UInt32> = 0x10FE80...0x10FEFF

    /// The name of `bytes`: the UTF-8 as it is, each stray byte as its stand-in scalar.
    package static func decode<Bytes: Collection>(_ bytes: Bytes) -> String where Bytes.Element == UInt8 {
        if let valid = String(validating: bytes, as: UTF8.self) { return valid }
        var scalars = String.UnicodeScalarView()
        var parser = Unicode.UTF8.ForwardParser()
        var iterator = bytes.makeIterator()
        var position = bytes.startIndex
        while true {
            switch parser.parseScalar(from: &iterator) {
            case .valid(let encoded):
                scalars.append(UTF8.decode(encoded))
                position = bytes.index(position, offsetBy: encoded.count)
            case .error(let length):
                for _ in 0..<length {
                    scalars.append(Unicode.Scalar(0x10FE00 + UInt32(bytes[position]))!)
                    position = bytes.index(after: position)
                }
            case .emptyInput:
                return String(scalars)
            }
        }
    }

    /// The name of a C string from the system (argv, a directory entry).
    package static func decode(cString: UnsafePointer<CChar>) -> String {
        decode(UnsafeRawBufferPointer(start: cString, count: strlen(cString)))
    }

    /// The bytes the system knows `path` by.
    package static func bytes(_ path: String) -> [UInt8] {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(path.utf8.count)
        for scalar in path.unicodeScalars {
            if escapedBytes.contains(scalar.value) {
                bytes.append(UInt8(scalar.value - 0x10FE00))
            } else {
                bytes.append(contentsOf: UTF8.encode(scalar)!)
            }
        }
        return bytes
    }

    /// Calls `body` with `path` as the system knows it, for open(2), stat(2) and the like.
    package static func withCString<Result>(_ path: String, _ body: (UnsafePointer<CChar>) throws -> Result) rethrows -> Result {
        // The usual name has no stand-in (all of them are 4-byte scalars, so a name without a 0xF4 byte has none).
        guard path.utf8.contains(0xF4) else { return try path.withCString(body) }
        var bytes = self.bytes(path)
        bytes.append(0)
        return try bytes.withUnsafeBufferPointer { try $0.withMemoryRebound(to: CChar.self) { try body($0.baseAddress!) } }
    }

    /// The names in `folder` (without `.` and `..`), read with readdir so that none is lost to
    /// its encoding; nil when it cannot be opened.
    package static func entries(of folder: String) -> [String]? {
        guard let handle = withCString(folder, { opendir($0) }) else { return nil }
        defer { closedir(handle) }
        var names: [String] = []
        while let entry = readdir(handle) {
            let name = withUnsafePointer(to: &entry.pointee.d_name) {
                $0.withMemoryRebound(to: CChar.self, capacity: Int(NAME_MAX) + 1) { decode(cString: $0) }
            }
            if name != "." && name != ".." { names.append(name) }
        }
        return names
    }

    /// stat(2) of `path` (links followed); nil with errno set when it fails.
    package static func status(_ path: String) -> stat? {
        var info = stat()
        return withCString(path) { stat($0, &info) } == 0 ? info : nil
    }
}
