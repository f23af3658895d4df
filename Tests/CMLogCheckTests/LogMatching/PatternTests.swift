import Foundation
import Testing
@testable import LogMatching
@testable import LogInput
@testable import LogRules
@testable import LogAnalysis
@testable import LogFindings
@testable import LogReport
@testable import LogFollow

/// Matches `pattern` against `subject` bytes and returns the matched text of each group (nil if unset).
private func groups(_ matcher: Matcher, _ subject: [UInt8]) -> [String?]? {
    subject.withUnsafeBytes { bytes in
        guard matcher.matches(bytes, from: 0) else { return nil }
        return (0...matcher.pattern.captureCount).map { number in
            matcher.range(number).map { String(decoding: bytes[$0], as: UTF8.self) }
        }
    }
}

private func matches(_ matcher: Matcher, _ text: String) -> Bool {
    Array(text.utf8).withUnsafeBytes { matcher.matches($0, from: 0) }
}

@Suite("PCRE2 wrapper")
struct PatternTests {
    @Test("Named groups map to numbers and ranges")
    func namedGroups() throws {
        let pattern = try Pattern(#"Batching (?<count>\d+) records(?: for (?<collection>\w+))?"#)
        #expect(pattern.groupNumbers == ["count": 1, "collection": 2])
        #expect(pattern.captureCount == 2)
        let matcher = pattern.matcher()
        let subject = Array("x Batching 27 records".utf8)
        let found = try #require(groups(matcher, subject))
        #expect(found == ["Batching 27 records", "27", nil])
        #expect(matcher.range(named: "count") == 11..<13)
        #expect(matcher.range(named: "collection") == nil, "a group that did not take part")
        #expect(matcher.range(named: "nope") == nil)
        #expect(matcher.range(7) == nil, "a group number past the pattern's")
    }

    @Test("Patterns are JIT-compiled where the platform allows")
    func jit() throws {
        let pattern = try Pattern(#"Batching \d+ records"#)
        #if arch(x86_64) || arch(arm64)
        #expect(pattern.isJITCompiled)
        #endif
        #expect(matches(pattern.matcher(), "Batching 5 records"))
    }

    @Test("A compile error names the pattern and the offset", arguments: [
        ("Batching (\\d+ records", 21),
        ("a[b", 3),
        ("x{2,1}", 5),
        ("(?<name>a)(?<name>b)", 18),
    ])
    func compileError(source: String, offset: Int) {
        do {
            _ = try Pattern(source)
            Issue.record("\(source) compiled")
        } catch {
            #expect(error.pattern == source)
            #expect(error.offset == offset)
            #expect(!error.message.isEmpty)
            #expect(error.description.hasPrefix("invalid pattern '\(source)' at offset \(offset): "))
        }
    }

    @Test("A catastrophic pattern gives up through the match limit instead of hanging")
    func catastrophic() throws {
        let matcher = try Pattern("(a+)+$").matcher()
        let subject = Array(String(repeating: "a", count: 30_000).utf8) + [UInt8(ascii: "b")]
        let clock = ContinuousClock()
        let elapsed = clock.measure {
            let found = subject.withUnsafeBytes { matcher.matches($0, from: 0) }
            #expect(!found)
        }
        #expect(matcher.limitHits > 0)
        #expect(elapsed < .seconds(10), "took \(elapsed)")
    }

    @Test("Nested quantifiers on a shorter subject also stop at the limit", arguments: [#"(\w+\s?)+$"#, #"(x+x+)+y"#])
    func otherCatastrophic(source: String) throws {
        let matcher = try Pattern(source).matcher()
        let subject = String(repeating: source.contains("x") ? "x" : "ab ", count: 5_000) + "!"
        let clock = ContinuousClock()
        let elapsed = clock.measure { #expect(!matches(matcher, subject)) }
        #expect(elapsed < .seconds(10), "took \(elapsed)")
    }

    @Test("Invalid UTF-8 in the subject is not an error: matching goes on around it")
    func invalidUTF8() throws {
        let matcher = try Pattern(#"Caf. (\w+)"#).matcher()
        let subject: [UInt8] = Array("bad ".utf8) + [0xE9, 0xFF, 0xC3] + Array(" Café costs".utf8)
        #expect(groups(matcher, subject) == ["Café costs", "costs"])
        let onlyBad = try Pattern("x").matcher()
        #expect(!([0xFF, 0xFE, 0xC0] as [UInt8]).withUnsafeBytes { onlyBad.matches($0, from: 0) })
        #expect(onlyBad.limitHits == 0)
        let cut = try Pattern(#"records$"#).matcher()
        #expect((Array("Batching 5 records".utf8)).withUnsafeBytes { cut.matches($0, from: 0) })
        // A multi-byte sequence cut by the record cap at the end.
        #expect(!(Array("Batching 5 records ".utf8) + [0xE2, 0x82]).withUnsafeBytes { cut.matches($0, from: 0) })
    }

    @Test("UTF mode: a dot is one character, caseless works beyond ASCII")
    func utfMode() throws {
        let dot = try Pattern("^G.r.t$").matcher()
        #expect(matches(dot, "Gérät"))
        let caseless = try Pattern("GERÄT", options: .caseless).matcher()
        #expect(matches(caseless, "ein gerät"))
        let exact = try Pattern("GERÄT").matcher()
        #expect(!matches(exact, "ein gerät"))
    }

    @Test("ASCII patterns run on bytes unless an item's width depends on the encoding", arguments: [
        (#"Batching (\d+) records"#, false),
        (#"<time="([^"]*)"\s*date="([^"]*)"[^>]*>"#, false),
        (#"(.*)\t([^\t]*)\t"#, false),
        (#"Response from (.+) is: (\d{3})"#, false),
        (#"\S+@\w+"#, false),
        (#"a\.b"#, false),
        (#"\Q.\E"#, false),
        (#"[[:alpha:]]x"#, false),
        (#"Ger.t"#, true),
        (#"a.{3}"#, true),
        (#"[^x]y"#, true),
        (#"\Sy"#, true),
        (#"[\W]"#, true),
        (#"[[:^alpha:]]"#, true),
        (#"Caf\xe9"#, true),
        (#"\p{Lu}"#, true),
        ("Gerät", true),
    ])
    func utfDecision(source: String, utf: Bool) throws {
        #expect(try Pattern(source).isUTF == utf)
    }

    @Test("Byte mode and UTF mode agree where byte mode is chosen", arguments: [
        (#"Batching (\d+) records"#, "Gerät: Batching 12 records"),
        (#"(.*) is: (\d+)"#, "Antwort von ünïcödé is: 401"),
        (#"name="([^"]*)""#, #"x name="Gérät ü" y"#),
        (#"(?i)WARN"#, "ärger: warnung"),
    ])
    func byteModeAgrees(source: String, subject: String) throws {
        let bytes = try Pattern(source)
        #expect(!bytes.isUTF)
        // A non-ASCII comment forces UTF mode without changing what the pattern matches.
        let utf = try Pattern("(?#ü)" + source)
        #expect(utf.isUTF)
        let byteGroups = groups(bytes.matcher(), Array(subject.utf8))
        let utfGroups = groups(utf.matcher(), Array(subject.utf8))
        #expect(byteGroups != nil)
        #expect(byteGroups == utfGroups)
    }

    @Test("anchored matches only at the offset")
    func anchored() throws {
        let matcher = try Pattern("abc", options: .anchored).matcher()
        #expect(!matches(matcher, "xabc"))
        #expect(Array("xabc".utf8).withUnsafeBytes { matcher.matches($0, from: 1) })
        #expect(matcher.range(0) == 1..<4)
    }

    @Test("An empty subject (nil base address) is matched safely")
    func emptySubject() throws {
        let any = try Pattern("^$").matcher()
        #expect(any.matches(UnsafeRawBufferPointer(start: nil, count: 0), from: 0))
        let some = try Pattern("x").matcher()
        #expect(!some.matches(UnsafeRawBufferPointer(start: nil, count: 0), from: 0))
    }

    @Test("One compiled pattern, matchers on several threads at once")
    func concurrentMatchers() async throws {
        let pattern = try Pattern(#"Batching (\d+) records"#)
        let total = await withTaskGroup(of: Int.self) { group in
            for worker in 0..<4 {
                group.addTask {
                    let matcher = pattern.matcher()
                    var sum = 0
                    for index in 0..<2_000 {
                        let text = Array("Batching \(index + worker) records".utf8)
                        text.withUnsafeBytes { bytes in
                            if matcher.matches(bytes, from: 0), let range = matcher.range(1) {
                                sum += Int(String(decoding: bytes[range], as: UTF8.self))!
                            }
                        }
                    }
                    return sum
                }
            }
            return await group.reduce(0, +)
        }
        #expect(total == 4 * (1_999 * 2_000 / 2) + 2_000 * (0 + 1 + 2 + 3))
    }
}
