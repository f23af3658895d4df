import Foundation
import Testing
import Synchronization
@testable import CMLogCheckCLI
@testable import LogReport

/// The HTML report in a real browser: every sample's page and the hostile log's are
/// opened from files in headless Chromium (Debian's `chromium`), which writes the DOM
/// it built (`--dump-dom`) and a screenshot of the first screen (`--screenshot`) in one
/// run per page, a few runs at a time.
///
/// Without Chromium the test is skipped and says why; scripts/test.sh installs it
/// (scripts/ensure-chromium.sh) and sets CMLOGCHECK_REQUIRE_BROWSER=1, under which a
/// missing Chromium fails the test instead, so CI cannot pass without the browser.
@Suite("the HTML report in headless Chromium") struct HTMLBrowserTests {
    static let required = ProcessInfo.processInfo.environment["CMLOGCHECK_REQUIRE_BROWSER"] == "1"

    /// `CMLOGCHECK_CHROMIUM`, else `chromium` or `chromium-browser` on PATH.
    static let browser: String? = {
        let environment = ProcessInfo.processInfo.environment
        if let path = environment["CMLOGCHECK_CHROMIUM"], FileManager.default.isExecutableFile(atPath: path) { return path }
        let folders = (environment["PATH"] ?? "/usr/bin:/bin").split(separator: ":").map(String.init)
        for name in ["chromium", "chromium-browser"] {
            for folder in folders where FileManager.default.isExecutableFile(atPath: folder + "/" + name) { return folder + "/" + name }
        }
        return nil
    }()

    static let width = 1100, height = 1000

    /// What one page gave: the DOM Chromium serialised and the screenshot's bytes.
    struct Rendered: Sendable {
        var name: String
        var dom: String
        var png: [UInt8]
        var problem: String?
    }

    /// Opens `page` in Chromium: its DOM and screenshot, or what went wrong. A run that
    /// takes longer than `timeout` seconds is ended.
    static func render(_ name: String, page: String, browser: String, folder: String, timeout: Double = 60) -> Rendered {
        let html = folder + "/" + name + ".html", png = folder + "/" + name + ".png"
        do { try Data(page.utf8).write(to: URL(fileURLWithPath: html)) } catch { return Rendered(name: name, dom: "", png: [], problem: "\(error)") }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: browser)
        process.arguments = ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-extensions",
                             "--hide-scrollbars", "--force-device-scale-factor=1", "--user-data-dir=\(folder)/profile-\(name)",
                             "--window-size=\(width),\(height)", "--screenshot=\(png)", "--dump-dom",
                             URL(fileURLWithPath: html).absoluteString]
        let out = Pipe()
        process.standardOutput = out
        process.standardError = FileHandle.nullDevice
        do { try process.run() } catch { return Rendered(name: name, dom: "", png: [], problem: "could not start \(browser): \(error)") }
        let watchdog = DispatchWorkItem { if process.isRunning { process.terminate() } }
        DispatchQueue.global().asyncAfter(deadline: .now() + timeout, execute: watchdog)
        let dom = String(decoding: out.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        watchdog.cancel()
        let bytes = (try? [UInt8](Data(contentsOf: URL(fileURLWithPath: png)))) ?? []
        var problem: String?
        if process.terminationReason == .uncaughtSignal { problem = "chromium ended by signal \(process.terminationStatus) (timeout \(Int(timeout)) s?)" }
        else if process.terminationStatus != 0 { problem = "chromium exited \(process.terminationStatus)" }
        return Rendered(name: name, dom: dom, png: bytes, problem: problem)
    }

    /// The elements of a serialised DOM: their names and attribute names. In the
    /// serialisation a `<` in text is always `&lt;`, so every raw `<` opens a tag;
    /// attribute values are double-quoted, and skipped whole.
    static func tags(_ dom: String) -> [(name: String, attributes: [String])] {
        var tags: [(String, [String])] = []
        let bytes = Array(dom.utf8)
        var index = 0
        func isName(_ byte: UInt8) -> Bool {
            (byte >= 0x61 && byte <= 0x7A) || (byte >= 0x41 && byte <= 0x5A) || (byte >= 0x30 && byte <= 0x39) || byte == 0x2D || byte == 0x3A || byte == 0x5F
        }
        while index < bytes.count {
            guard bytes[index] == UInt8(ascii: "<"), index + 1 < bytes.count, isName(bytes[index + 1]) else { index += 1; continue }
            index += 1
            let nameStart = index
            while index < bytes.count, isName(bytes[index]) { index += 1 }
            let name = String(decoding: bytes[nameStart..<index], as: UTF8.self).lowercased()
            var attributes: [String] = []
            while index < bytes.count, bytes[index] != UInt8(ascii: ">") {
                if bytes[index] == UInt8(ascii: "\"") {
                    index += 1
                    while index < bytes.count, bytes[index] != UInt8(ascii: "\"") { index += 1 }
                    index += 1
                } else if isName(bytes[index]) {
                    let start = index
                    while index < bytes.count, isName(bytes[index]) { index += 1 }
                    attributes.append(String(decoding: bytes[start..<index], as: UTF8.self).lowercased())
                } else {
                    index += 1
                }
            }
            tags.append((name, attributes))
        }
        return tags
    }

    /// Every sample (issue 13: the browser test passes on every sample). Chromium runs two
    /// at a time; each start costs a second or two.
    static var rendered: [String] { SampleScenarioTests.scenarios }

    /// The pages: the rendered samples, and the hostile log of HTMLReportTests.
    static func pages(in directory: TemporaryDirectory) throws -> [(name: String, page: String)] {
        var pages: [(String, String)] = []
        for scenario in rendered {
            let expected = try SampleScenarioTests.expected(scenario)
            let arguments = [SampleScenarioTests.root.appendingPathComponent(scenario).path] + SampleScenarioTests.arguments(scenario, expected)
            pages.append((scenario, HTMLReportTests.html(arguments).standardOutput))
        }
        pages.append(("hostile", HTMLReportTests.html([try HTMLReportTests.hostileLog(in: directory)]).standardOutput))
        return pages
    }

    @Test("every sample's page and the hostile one: the DOM Chromium builds, and a screenshot that is not blank",
          .enabled(if: HTMLBrowserTests.browser != nil || HTMLBrowserTests.required, "chromium not found: scripts/ensure-chromium.sh installs it (scripts/test.sh runs it and requires the browser)"),
          .timeLimit(.minutes(10)))
    func rendersInChromium() throws {
        let browser = try #require(Self.browser, "CMLOGCHECK_REQUIRE_BROWSER=1, and no chromium on PATH (run scripts/ensure-chromium.sh)")
        let directory = TemporaryDirectory()
        let pages = try Self.pages(in: directory)

        // Chromium runs side by side, as many as the machine has cores (each starts in a
        // second or two): Dispatch bounds them.
        let results = Mutex([Rendered?](repeating: nil, count: pages.count))
        let folder = directory.path
        DispatchQueue.concurrentPerform(iterations: pages.count) { index in
            let rendered = Self.render(pages[index].name, page: pages[index].page, browser: browser, folder: folder)
            results.withLock { $0[index] = rendered }
        }

        let rendered = results.withLock { $0 }
        for (index, (name, page)) in pages.enumerated() {
            let result = try #require(rendered[index], "\(name): not rendered")
            #expect(result.problem == nil, "\(name): \(result.problem ?? "")")
            try checkDOM(result.dom, page: page, name: name)
            try checkScreenshot(result.png, page: page, name: name)
        }
    }

    /// The DOM holds what the page says and nothing the logs said as markup.
    func checkDOM(_ dom: String, page: String, name: String) throws {
        #expect(dom.contains("<html"), "\(name): no DOM (\(dom.prefix(200)))")
        let tags = Self.tags(dom)
        // No script element and no event handler attribute anywhere: the log's markup stayed text.
        #expect(!tags.contains { $0.name == "script" }, "\(name): a <script> element in the DOM")
        #expect(!tags.contains { $0.name == "img" || $0.name == "iframe" || $0.name == "object" || $0.name == "embed" }, "\(name): an embedding element in the DOM")
        let handlers = tags.flatMap { tag in tag.attributes.filter { $0.hasPrefix("on") }.map { "<\(tag.name) \($0)>" } }
        #expect(handlers.isEmpty, "\(name): event handler attributes \(handlers)")
        // The policy is in the DOM as written, the verdict shows, and the parser kept the page's structure.
        #expect(dom.contains("content=\"\(HTMLReport.contentSecurityPolicy)\""), "\(name): no Content-Security-Policy")
        for marker in ["<svg class=\"timeline\"", "<article class=\"finding", "<ol class=\"chain\">", "<g class=\"cycle ", "<section class=\"server\""] {
            #expect(HTMLReportTests.count(marker, in: dom) == HTMLReportTests.count(marker, in: page), "\(name): \(marker) count differs in the DOM")
        }
        #expect(Set(HTMLReportTests.attributes("data-finding", in: dom)) == Set(HTMLReportTests.attributes("data-finding", in: page)), "\(name): findings")
        if page.contains("<svg class=\"timeline\"") {
            #expect(tags.contains { $0.name == "svg" } && tags.contains { $0.name == "rect" }, "\(name): no SVG in the DOM")
        }
        if name == "hostile" {
            #expect(dom.contains(HTML.escape(HTMLReportTests.script)), "hostile: the <script> text is not in the DOM as text")
            #expect(dom.contains(HTML.escape(HTMLReportTests.image)), "hostile: the <img onerror> text is not in the DOM as text")
            #expect(!tags.contains { $0.name == "b" }, "hostile: the folder name's <b> became an element")
        }
    }

    /// The screenshot is a PNG of the window's size, mostly the white page, with the
    /// verdict's colour and, when the page has a timeline, the bars' colours in it.
    func checkScreenshot(_ png: [UInt8], page: String, name: String) throws {
        #expect(png.count > 10_000, "\(name): screenshot of \(png.count) bytes")
        let image = try PNGImage(png)
        #expect(image.width == Self.width && image.height == Self.height, "\(name): \(image.width)x\(image.height)")
        let counts = image.histogram()
        let pixels = image.width * image.height
        // Not one colour: the white background holds at most most of it, and text makes many shades.
        #expect((counts[0xFFFFFF] ?? 0) < pixels * 97 / 100, "\(name): the screenshot is nearly all white")
        #expect((counts[0xFFFFFF] ?? 0) > pixels / 3, "\(name): the background is not the page's white")
        #expect(counts.count > 30, "\(name): only \(counts.count) colours")
        func present(_ hex: String, _ what: String) {
            let value = UInt32(hex.dropFirst(), radix: 16) ?? 0
            let (r, g, b) = (Int(value >> 16), Int(value >> 8 & 0xFF), Int(value & 0xFF))
            let found = counts.reduce(0) { sum, entry in
                let (pr, pg, pb) = (Int(entry.key >> 16), Int(entry.key >> 8 & 0xFF), Int(entry.key & 0xFF))
                return abs(pr - r) <= 6 && abs(pg - g) <= 6 && abs(pb - b) <= 6 ? sum + entry.value : sum
            }
            #expect(found >= 50, "\(name): \(what) (\(hex)) not on the screenshot (\(found) pixels)")
        }
        let verdict = HTMLReportTests.attributes("class", in: page).first { $0.hasPrefix("verdict v-") } ?? ""
        switch verdict {
        case "verdict v-failing": present("#c62828", "the FAILING badge")
        case "verdict v-degraded": present("#e08a00", "the DEGRADED badge")
        case "verdict v-healthy": present("#2e7d32", "the HEALTHY badge")
        default: present("#666666", "the NO DATA badge")
        }
        // One server's timeline sits in the first screen: its ok bars show (several servers' may be further down).
        if !page.contains("<section class=\"server\""), page.contains("<g class=\"cycle ok\"") {
            present(SVGTimeline.okColour, "the timeline's ok bars")
        }
    }
}
