import Testing
@testable import LogMatching
@testable import LogInput

/// The hand-written trailer readers against their specification, the PCRE2 patterns in
/// `FramingPatterns`: the same match and the same groups, on real shapes and on many
/// mutations of them (quotes, brackets and spaces moved, fields dropped, bytes changed).
@Suite struct TrailerReaderTests {
    static let cmtraceShapes = [
        #"<time="16:20:31.497+480" date="02-28-2020" component="SMS_SERVICE_CONNECTOR" context="" type="1" thread="6344" file="">"#,
        #"<time="08:00:00.7690000" date="11-20-2024" component="SMS_SERVICE_CONNECTOR_CMGatewaySyncUploadWorker" context="" type="3" thread="12" file="x.cs:10">"#,
        #"<time="1:2:3" date="1-2-2020" component="C" type="2" thread="7">"#,
        "<time=\"t\"\tdate=\"d\"\ncomponent=\"c\"\u{0B}type=\"1\" thread=\"9\" file=\"a>b\">",
        #"<time="" date="" component="" context="x" type="" thread="" file="no close""#,
    ]
    static let simpleShapes = [
        "$$<SMS_SERVICE_CONNECTOR><02-28-2020 16:20:31.497+480><thread=6344 (0x18C8)>",
        "$$<SMS_SERVICE_CONNECTOR><2/3/2020 08:00:00.000+000><thread=12>  \r\n",
        "$$<><12/31/2020 x><thread=1 (0x1)>\t",
        "$$<C><1-1-20201 00:00:00><thread=5>",
        "$$<C><01-01-2020 00:00:00><thread=><x>",
    ]
    static let alphabet: [UInt8] = Array(#"""<>= $-/:.0123456789acdeimnoprtyhx"#.utf8) + [0x09, 0x0A, 0x0B, 0x0C, 0x0D, 0xC3, 0xA9]

    static func mutations(of shapes: [String], count: Int, seed: UInt64) -> [[UInt8]] {
        var random = Random(state: seed)  // TailTests' SplitMix64: the same cases on every machine
        var cases = shapes.map { Array($0.utf8) }
        while cases.count < count {
            var bytes = Array(shapes[random.below(shapes.count)].utf8)
            for _ in 0..<(1 + random.below(4)) where !bytes.isEmpty {
                let at = random.below(bytes.count)
                switch random.below(4) {
                case 0: bytes.insert(alphabet[random.below(alphabet.count)], at: at)
                case 1: bytes.remove(at: at)
                case 2: bytes[at] = alphabet[random.below(alphabet.count)]
                default: bytes.removeSubrange(at..<min(bytes.count, at + random.below(12)))  // a field cut short or gone
                }
            }
            cases.append(bytes)
        }
        return cases
    }

    static func groups(_ matcher: Matcher, _ numbers: [Int]) -> [Range<Int>?] { numbers.map { matcher.range($0) } }

    /// Runs `read` and `matcher` on every case: the same match, and the same groups (`numbers`, in `read`'s order).
    static func expectAgreement(_ cases: [[UInt8]], _ matcher: Matcher, groups numbers: [Int],
                                _ read: (UnsafeRawBufferPointer) -> [Range<Int>]?) {
        var matched = 0, refused = 0
        for bytes in cases {
            bytes.withUnsafeBytes { trailer in
                let got = read(trailer)
                let expected = matcher.matches(trailer)
                if !expected { refused += 1 }
                #expect((got != nil) == expected, "\(String(decoding: bytes, as: UTF8.self))")
                if let got, expected {
                    matched += 1
                    #expect(got == Self.groups(matcher, numbers), "\(String(decoding: bytes, as: UTF8.self))")
                }
            }
        }
        #expect(matched > 1_000 && refused > 1_000)  // both sides were exercised
    }

    @Test("the CMTrace reader matches where the pattern matches, with the same five groups")
    func cmtraceAgrees() {
        Self.expectAgreement(Self.mutations(of: Self.cmtraceShapes, count: 20_000, seed: 7),
                             FramingPatterns.cmtraceTrailer.matcher(), groups: [1, 2, 3, 4, 5]) { trailer in
            TrailerReader.cmtrace(trailer).map { [$0.time, $0.date, $0.component, $0.type, $0.thread] }
        }
    }

    @Test("the simple-format reader matches where the pattern matches, with the same four groups")
    func simpleAgrees() {
        Self.expectAgreement(Self.mutations(of: Self.simpleShapes, count: 20_000, seed: 11),
                             FramingPatterns.simpleTrailer.matcher(), groups: [1, 2, 3, 4]) { trailer in
            TrailerReader.simple(trailer).map { [$0.component, $0.date, $0.time, $0.thread] }
        }
    }
}
