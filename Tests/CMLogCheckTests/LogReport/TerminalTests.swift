import Foundation
import Testing
@testable import LogInput
@testable import LogReport
@testable import CMLogCheckCLI

/// Characters that must never reach a terminal raw from a log or a file name.
private let hostile: [Unicode.Scalar] = [
    "\u{1B}", "\u{07}", "\u{7F}", "\u{85}", "\u{9B}",                  // ESC, BEL, DEL, C1 (NEL, CSI)
    "\u{202A}", "\u{202B}", "\u{202C}", "\u{202D}", "\u{202E}",        // bidi embeddings and overrides
    "\u{2066}", "\u{2067}", "\u{2068}", "\u{2069}", "\u{200E}", "\u{200F}", "\u{061C}",  // isolates, marks
    "\u{200B}", "\u{200C}", "\u{200D}", "\u{2060}", "\u{FEFF}",        // zero-width
    "\u{2028}", "\u{2029}",                                            // line and paragraph separators
]

/// Whether `text` holds any of `hostile` raw.
func holdsHostile(_ text: String) -> Bool { text.unicodeScalars.contains { hostile.contains($0) } }

@Suite("Terminal: one sanitiser for stdout, stderr and tail")
struct TerminalTests {
    @Test("controls as \\x escapes, invisible and reordering characters as \\u{…} escapes, the rest kept")
    func clean() {
        #expect(Terminal.clean("\u{1B}]0;owned\u{07}\u{1B}[31mred") == "\\x1B]0;owned\\x07\\x1B[31mred")
        #expect(Terminal.clean("evil\u{202E}gol.exe") == "evil\\u{202E}gol.exe")
        #expect(Terminal.clean("a\u{200B}b\u{200D}c\u{2060}d\u{FEFF}e") == "a\\u{200B}b\\u{200D}c\\u{2060}d\\u{FEFF}e")
        #expect(Terminal.clean("\u{2066}x\u{2069}\u{200E}\u{200F}\u{061C}") == "\\u{2066}x\\u{2069}\\u{200E}\\u{200F}\\u{061C}")
        #expect(Terminal.clean("one\u{2028}two\u{2029}") == "one\\u{2028}two\\u{2029}")
        #expect(Terminal.clean("C1: \u{85} \u{9B}") == "C1: \\x85 \\x9B")
        #expect(Terminal.clean("Gerät naïve € 😀 עברית") == "Gerät naïve € 😀 עברית", "ordinary text, right-to-left script included, is kept")
        #expect(Terminal.clean("a\nb\tc\r") == "a ⏎ b c")
        #expect(Terminal.clean("usage:\n  x\u{1B}", keepLineBreaks: true) == "usage:\n  x\\x1B")
        for scalar in hostile { #expect(!holdsHostile(Terminal.clean("x\(scalar)y")), "\(scalar.value)") }
    }

    @Test("JSON keeps invisible characters as \\u escapes: the same value, nothing raw")
    func json() throws {
        let text = "a\u{FEFF}b\u{202E}c\u{2028}d\u{200B}e\u{061C}f é"
        let out = Output()
        out.write(jsonString: text)
        #expect(out.text == "\"a\\ufeffb\\u202ec\\u2028d\\u200be\\u061cf é\"")
        let parsed = try JSONSerialization.jsonObject(with: Data(out.text.utf8), options: .fragmentsAllowed) as? String
        #expect(parsed == text)
    }

    @Test("U+FEFF inside a line is kept (UTF-8 and UTF-16); a BOM starting a line (files concatenated) is dropped")
    func byteOrderMarkInText() throws {
        let text = cmtrace("zero\u{FEFF}width") + "\r\n\u{FEFF}" + cmtrace("second") + "\r\n"
        for bytes in [Array(text.utf8), [0xEF, 0xBB, 0xBF] + Array(text.utf8), utf16(text), utf16(text, littleEndian: false)] {
            let framed = try frame(bytes)
            #expect(framed.messages == ["zero\u{FEFF}width", "second"])
            #expect(framed.summary.unrecognizedLines == 0)
            for readSize in [1, 3] { #expect(try frame(bytes, readSize: readSize).messages == framed.messages) }
        }
        let dir = TemporaryDirectory()
        let path = try dir.write("CMGatewaySyncUploadWorker.log", utf16(text))
        let records = runCLI(["records", path])
        #expect(records.standardOutput.contains("\"message\":\"zero\\ufeffwidth\""))
        #expect(!holdsHostile(records.standardOutput))
    }

    @Test("file and folder names reach standard error and the text report escaped")
    func names() throws {
        let dir = TemporaryDirectory()
        let folder = "Logs\u{1B}]0;owned\u{07}\u{202E}"
        try dir.write(folder + "/CMGatewaySyncUploadWorker.log", cmtrace("Batching 3 records") + "\r\n" + "not a record\r\n")
        try FileManager.default.createSymbolicLink(atPath: dir.path + "/" + folder + "/CMGatewayNotificationWorker.log",
                                                   withDestinationPath: dir.path + "/nowhere")
        let review = runCLI(["review", dir.path + "/" + folder])
        #expect(review.standardError.contains("Logs\\x1B]0;owned\\x07\\u{202E}/CMGatewayNotificationWorker.log: No such file or directory"), "\(review.standardError)")
        #expect(review.standardOutput.contains("Logs\\x1B]0;owned\\x07\\u{202E}"))
        #expect(!holdsHostile(review.standardError) && !holdsHostile(review.standardOutput))
        // An error of an earlier stage, printed by the command: the name escaped too.
        let missing = runCLI(["records", dir.path + "/gone\u{1B}[2J\u{202E}.log"])
        #expect(missing.status == 2)
        #expect(missing.standardError.contains("gone\\x1B[2J\\u{202E}.log"))
        #expect(!holdsHostile(missing.standardError))
        // ArgumentParser's usage text keeps its line breaks; the bad value in it is escaped.
        let usage = runCLI(["review", "--fail-on", "x\u{1B}[31m\u{202E}"])
        #expect(usage.status == 2 && usage.standardError.contains("\n") && !holdsHostile(usage.standardError))
    }

    @Test("tail shows record text and alerts escaped")
    func tail() throws {
        let log = cmtrace("Batching 5 records\u{202E}\u{1B}[8m", time: "10:00:00.000+000") + "\r\n"
            + cmtrace("Next run time will be at approximately: 02/28/2020 10:15:00\u{200B}", time: "10:00:01.000+000") + "\r\n"
        for arguments in [["tail", "--tz", "UTC"], ["tail", "--tz", "UTC", "--raw"]] {
            let result = runCLI(arguments, input: Array(log.utf8))
            #expect(result.status == 0, "\(arguments): \(result.standardError)")
            #expect(!result.standardOutput.isEmpty)
            #expect(!holdsHostile(result.standardOutput), "\(arguments): \(result.standardOutput)")
        }
        let raw = runCLI(["tail", "--tz", "UTC", "--raw"], input: Array(log.utf8))
        #expect(raw.standardOutput.contains("Batching 5 records\\u{202E}\\x1B[8m"))
    }
}
