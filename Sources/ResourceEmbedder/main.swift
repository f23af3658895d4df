// Writes a Swift source that holds data files as string literals, so the data
// ships inside the binary and the files stay the one copy in git (the
// EmbedResources plugin runs it at build time; docs/install.md).
//
//   ResourceEmbedder OUTPUT.swift FILE...
//
// Each FILE becomes an entry of `EmbeddedResources.files`, keyed by its file
// name, its bytes exactly as on disk. A StaticString keeps the bytes in the
// binary's read-only data: nothing is decoded or copied until a loader asks.
// Only the C library is used: this runs on the build machine before anything
// else of the package exists.
#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

func fail(_ message: String) -> Never {
    let line = Array("ResourceEmbedder: \(message)\n".utf8)
    _ = line.withUnsafeBytes { write(2, $0.baseAddress, $0.count) }
    exit(1)
}

func readAll(_ path: String) -> [UInt8] {
    guard let file = fopen(path, "rb") else { fail("cannot open \(path)") }
    defer { fclose(file) }
    var bytes: [UInt8] = []
    var chunk = [UInt8](repeating: 0, count: 65536)
    while true {
        let count = fread(&chunk, 1, chunk.count, file)
        if count > 0 { bytes.append(contentsOf: chunk[0..<count]) }
        if count < chunk.count {
            if ferror(file) != 0 { fail("cannot read \(path)") }
            break
        }
    }
    return bytes
}

/// The bytes as the body of a multi-line string literal: every byte comes back
/// unchanged. Quotes and backslashes are escaped (so no `"""` or escape can
/// end or bend the literal), and CR, tab and other control characters are
/// written as escapes, since a multi-line literal would turn a raw CR LF into LF.
func literalBody(_ bytes: [UInt8], path: String) -> String {
    guard let text = String(validating: bytes, as: UTF8.self) else { fail("\(path) is not UTF-8") }
    var out = ""
    out.reserveCapacity(bytes.count + bytes.count / 16)
    for scalar in text.unicodeScalars {
        switch scalar {
        case "\\": out += "\\\\"
        case "\"": out += "\\\""
        case "\n": out += "\n"
        case "\r": out += "\\r"
        case "\t": out += "\\t"
        case _ where scalar.value < 0x20 || scalar.value == 0x7F:
            out += "\\u{\(String(scalar.value, radix: 16))}"
        default: out.unicodeScalars.append(scalar)
        }
    }
    return out
}

func fileName(_ path: String) -> String {
    path.split(separator: "/", omittingEmptySubsequences: false).last.map(String.init) ?? path
}

let arguments = CommandLine.arguments.dropFirst()
guard let output = arguments.first, arguments.count >= 2 else {
    fail("usage: ResourceEmbedder OUTPUT.swift FILE...")
}
let inputs = arguments.dropFirst().sorted { fileName($0) < fileName($1) }

var source = """
// Generated at build time by the EmbedResources plugin from \(inputs.map(fileName).joined(separator: ", ")).
// Do not edit: the data files are the source; this is their copy in the binary.

enum EmbeddedResources {
    /// The files' bytes, by file name.
    static let files: [String: StaticString] = [

"""
for path in inputs {
    // The newline before the closing delimiter is not part of a multi-line
    // literal, so one is always added: a file's own final newline survives.
    source += "        \"\(fileName(path))\": \"\"\"\n\(literalBody(readAll(path), path: path))\n\"\"\",\n"
}
source += """
    ]

    /// The bytes of the built-in file `name`; nil for a name that was not embedded.
    static func bytes(_ name: String) -> [UInt8]? {
        files[name].map { literal in literal.withUTF8Buffer { Array($0) } }
    }
}

"""

guard let file = fopen(output, "wb") else { fail("cannot create \(output)") }
let bytes = Array(source.utf8)
if fwrite(bytes, 1, bytes.count, file) != bytes.count || fclose(file) != 0 { fail("cannot write \(output)") }
