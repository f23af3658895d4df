import Foundation
import Testing
@testable import LogInput
@testable import LogReport
@testable import CMLogCheckCLI

@Suite("file names that are not UTF-8: found, opened, shown escaped")
struct PathNameTests {
    @Test("bytes round-trip: valid UTF-8 as it is, each stray byte as its stand-in, shown as \\xFF")
    func roundTrip() {
        let cases: [[UInt8]] = [
            Array("CMGatewaySyncUploadWorker.log".utf8), Array("Größe/été.log".utf8),
            [0x61, 0xFF, 0x2E, 0x6C, 0x6F, 0x67],  // a\xFF.log
            [0xC3, 0x28], [0xE2, 0x82], [0xF0, 0x9F, 0x98], [0xED, 0xA0, 0x80],  // cut, bad continuation, surrogate
            [0xC0, 0xAF], [0xF4, 0x90, 0x80, 0x80], Array(0x80...0xFF),  // overlong, past U+10FFFF, every high byte
        ]
        for bytes in cases {
            let name = PathName.decode(bytes)
            #expect(PathName.bytes(name) == bytes, "\(bytes)")
            PathName.withCString(name) { #expect(Array(UnsafeRawBufferPointer(start: $0, count: strlen($0))) == bytes) }
        }
        #expect(Terminal.clean(PathName.decode([0x61, 0xFF, 0x2E, 0x6C, 0x6F, 0x67])) == "a\\xFF.log")
        #expect(Terminal.clean(PathName.decode(Array("été".utf8) + [0xE9])) == "été\\xE9")
    }

    /// `dir/<name>` for a name of raw bytes, made with the system's calls (Foundation cannot).
    private func makeFolder(_ dir: TemporaryDirectory, _ name: [UInt8]) throws -> String {
        let path = dir.path + "/" + PathName.decode(name)
        try #require(PathName.withCString(path) { mkdir($0, 0o755) } == 0)
        return path
    }

    private func copyLog(to path: String) throws {
        let bytes = try Data(contentsOf: URL(fileURLWithPath: "SampleLogs/upload-401/CMGatewaySyncUploadWorker.log"))
        let descriptor = PathName.withCString(path) { open($0, O_WRONLY | O_CREAT | O_TRUNC, 0o644) }
        try #require(descriptor >= 0)
        defer { close(descriptor) }
        _ = bytes.withUnsafeBytes { write(descriptor, $0.baseAddress, $0.count) }
    }

    @Test("in a folder walk: a subfolder whose name is not UTF-8 is read, its name shown escaped")
    func inFolder() throws {
        let dir = TemporaryDirectory()
        let logs = try makeFolder(dir, Array("Logs".utf8))
        let server = try makeFolder(dir, Array("Logs/srv".utf8) + [0xFF])
        try copyLog(to: server + "/CMGatewaySyncUploadWorker.log")
        let resolved = try InputResolver.resolveAll([logs])
        #expect(resolved.inputs.map(\.name) == [server + "/CMGatewaySyncUploadWorker.log"] && resolved.unread.isEmpty)
        let count = runCLI(["records", "--count", logs])
        #expect(count.standardOutput == "68\n" && count.status == 0, "\(count.standardError)")
        let review = runCLI(["review", logs])
        #expect(review.standardOutput.contains("Logs/srv\\xFF/CMGatewaySyncUploadWorker.log"))
        #expect(!review.standardOutput.contains("\u{FFFD}"))
    }

    @Test("named: opened by its bytes (argv is decoded with PathName), named escaped when it cannot be read")
    func named() throws {
        let dir = TemporaryDirectory()
        let file = dir.path + "/" + PathName.decode([0x61, 0xFE] + Array(".log".utf8))
        try copyLog(to: file)
        let count = runCLI(["records", "--count", file])
        #expect(count.standardOutput == "68\n" && count.status == 0, "\(count.standardError)")
        let missing = dir.path + "/" + PathName.decode([0x62, 0xFE] + Array(".log".utf8))
        let result = runCLI(["records", "--count", missing])
        #expect(result.status == 2)
        #expect(result.standardError.contains("\(dir.path)/b\\xFE.log"), "\(result.standardError)")
    }
}
