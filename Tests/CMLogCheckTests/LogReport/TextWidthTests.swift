import Foundation
import Testing
@testable import LogReport
@testable import CMLogCheckCLI

/// The text report fitted to the screen (issue 13, item 4; docs/terminal.md).
@Suite("text report width")
struct TextWidthTests {
    static let widths = [60, 80, 120, 250]

    /// The words of a text, split at spaces and line breaks.
    static func words(_ text: String) -> [Substring] { text.split(whereSeparator: { $0 == " " || $0 == "\n" }) }

    @Test("every sample at 60, 80, 120 and 250 columns: no line wider (but one word), no word broken, evidence shows file:line",
          arguments: SampleScenarioTests.scenarios)
    func samples(_ scenario: String) throws {
        let folder = SampleScenarioTests.root.appendingPathComponent(scenario).path
        let whole = runCLI(["review", "--fail-on", "never", folder])
        let json = try #require(try JSONSerialization.jsonObject(with: Data(runCLI(["review", "--format", "json", "--fail-on", "never", folder]).standardOutput.utf8)) as? [String: Any])
        let reports = (json["servers"] as? [[String: Any]]) ?? [json]
        // A narrow Inputs table gives each file name a line of its own, uncut.
        let names = reports.flatMap { ($0["inputs"] as? [[String: Any]]) ?? [] }.compactMap { $0["name"] as? String }
        // The closing summary comes with a long (wrapped) report only.
        let wordsWhole = Set(Self.words(whole.standardOutput)).union(names.map { Substring($0) })
            .union(Self.words("Summary: last successful upload no"))
        let places = reports.flatMap { ($0["findings"] as? [[String: Any]]) ?? [] }
            .flatMap { ($0["evidence"] as? [[String: Any]]) ?? [] }
            .map { "\($0["input"] as? String ?? "?"):\($0["line"] as? Int ?? -1)" }
        for width in Self.widths {
            let fitted = runCLI(["review", "--fail-on", "never", folder], columns: width)
            #expect(fitted.status == whole.status)
            for line in fitted.outputLines where TextWrap.columns(line) > width {
                // Too wide only where nothing else can be done: one word alone on its line.
                #expect(!line.drop { $0 == " " }.contains(" "), "\(scenario) at \(width): \(line)")
            }
            // The sparkline is drawn anew for the width: its blocks are no words.
            for line in fitted.outputLines where !line.hasPrefix("  records per cycle ") {
                // A cut line ends in `…`; its last word is a fragment by design.
                let words = Self.words(line)
                for word in line.hasSuffix("…") ? words.dropLast() : words[...] where !wordsWhole.contains(word) && !wordsWhole.contains(word.hasSuffix(",") ? word.dropLast() : word) {
                    Issue.record("\(scenario) at \(width): '\(word)' is not a word of the unwrapped report: \(line)")
                }
            }
            for place in places {
                #expect(fitted.standardOutput.contains(place), "\(scenario) at \(width): evidence \(place) not shown")
            }
        }
    }

    @Test("a wide screen shows more of an evidence line than a pipe's 160 characters, cut at the width")
    func wideEvidence() throws {
        // upload-401's rejected uploads, from a gateway whose name is long.
        let dir = TemporaryDirectory()
        let host = "gw7.invalid"
        let sample = try String(contentsOf: SampleScenarioTests.root.appendingPathComponent("upload-401/CMGatewaySyncUploadWorker.log"), encoding: .utf8)
        let long = "https://" + String(repeating: "region-", count: 15) + host
        let log = try dir.write("CMGatewaySyncUploadWorker.log", sample.replacingOccurrences(of: "https://us.gateway.configmgr.manage.microsoft.com", with: long))
        let piped = runCLI(["review", "--fail-on", "never", log])
        let wide = runCLI(["review", "--fail-on", "never", log], columns: 250)
        #expect(piped.status == wide.status)
        #expect(piped.standardOutput.contains("CMGatewaySyncUploadWorker.log:45  [UploadDelta_HelpdeskUpload] Response from https://region-"))
        #expect(!piped.standardOutput.contains(host))
        #expect(wide.standardOutput.contains(host))
        #expect(wide.outputLines.allSatisfy { TextWrap.columns($0) <= 250 })
    }

    @Test("wrapping breaks at spaces, indents continuations, keeps a long word whole and counts no colour")
    func wrapping() {
        #expect(TextWrap.wrap("alpha beta gamma delta", width: 11) == ["alpha beta", "  gamma", "  delta"])
        #expect(TextWrap.wrap("    What to do: reset it now", width: 16) == ["    What to do:", "      reset it", "      now"])
        #expect(TextWrap.wrap("see /a/very/long/path/name here", width: 10) == ["see", "  /a/very/long/path/name", "  here"])
        #expect(TextWrap.wrap("short", width: 10) == ["short"])
        let red = Style(enabled: true).red("failed")
        #expect(TextWrap.columns(red) == 6)
        #expect(TextWrap.wrap("4 \(red) cycles", width: 15) == ["4 \(red) cycles"])
        #expect(TextWrap.columns("日本") == 4)
        #expect(TextWrap.truncate("abcdefgh", to: 5) == "abcd…")
        #expect(TextWrap.truncate("abc", to: 5) == "abc")
    }

    @Test("the width: COLUMNS first, then the terminal's (80 when it says nothing), none for a pipe, at least 40")
    func decision() {
        #expect(TerminalWidth.columns(isTerminal: false, descriptor: nil, environment: [:]) == nil)
        #expect(TerminalWidth.columns(isTerminal: false, descriptor: nil, environment: ["COLUMNS": "120"]) == 120)
        #expect(TerminalWidth.columns(isTerminal: true, descriptor: nil, environment: [:]) == 80)
        #expect(TerminalWidth.columns(isTerminal: true, descriptor: nil, environment: ["COLUMNS": " 100 "]) == 100)
        #expect(TerminalWidth.columns(isTerminal: true, descriptor: nil, environment: ["COLUMNS": "wide"]) == 80)
        #expect(TerminalWidth.columns(isTerminal: false, descriptor: nil, environment: ["COLUMNS": "10"]) == 40)
        // A descriptor that is no terminal says nothing: the default stands.
        #expect(TerminalWidth.windowColumns(-1) == nil)
    }

    /// Each command's name (empty: the root) and its description.
    static let commands: [(String, String)] = [("", CMLogCheck.configuration.discussion)]
        + CMLogCheck.configuration.subcommands.map { ($0.configuration.commandName ?? "", $0.configuration.discussion) }

    /// The widest example line whose man page line fits 80 columns: man fills 78, from column 5.
    static let manExampleColumns = 73

    @Test("every command's --help fits 80 columns, its examples unbroken", arguments: commands)
    func help(_ name: String, _ discussion: String) {
        let result = runCLI((name.isEmpty ? [] : [name]) + ["--help"], columns: 80)
        #expect(result.status == 0)
        // The usage line too: the parser never wraps it, so a long one is shortened at its source
        // (`explain`'s `usage:`).
        for line in result.outputLines {
            #expect(line.count <= 80, "\(name): \(line)")
        }
        // Prose is wrapped by the parser at spaces; an example (an indented line) must come out whole.
        for line in discussion.split(separator: "\n") where line.hasPrefix("  ") {
            #expect(result.standardOutput.contains(line), "\(name) --help breaks: \(line)")
            // The man page (generate-manual) keeps each example line, 5 columns in; man fills
            // 78 of 80 columns and breaks a longer line mid-word (docs/install.md).
            #expect(line.count <= Self.manExampleColumns, "\(name): an example the man page would break: \(line)")
            // It drops every character that is not ASCII from the text.
            let ascii = line.allSatisfy { $0.isASCII }
            #expect(ascii, "\(name): an example the man page would change: \(line)")
        }
    }

    @Test("a report longer than a 40-line screen ends with the verdict again in one line; a short one does not")
    func closingSummary() throws {
        func review(_ sample: String, columns: Int? = nil) -> [String] {
            runCLI(["review", "--fail-on", "never", SampleScenarioTests.root.appendingPathComponent(sample).path], columns: columns).outputLines
        }
        let long = review("known-notification-worker")
        #expect(long.count > TextReport.screenLines)
        let last = try #require(long.last)
        #expect(last.hasPrefix("Summary: "))
        #expect(last.contains(try #require(long.first?.components(separatedBy: "  ·  ").first)))
        #expect(!review("healthy-simple").contains { $0.hasPrefix("Summary: ") })
        // Wrapped to 60 columns, upload-401 no longer fits one screen: its end names the failure and the last upload.
        let narrow = review("upload-401", columns: 60)
        let end = narrow.suffix(3).joined(separator: "\n")
        #expect(end.contains("Summary: FAILING  ·  1 error"), "\(end)")
        #expect(end.contains("upload-unauthorized"), "\(end)")
        #expect(end.replacingOccurrences(of: "\n  ", with: " ").contains("last successful upload 2021-01-07 14:17 -05:00 (19:17 UTC)"), "\(end)")
    }
}
