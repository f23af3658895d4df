import Foundation
import Testing
@testable import LogRules

/// Data files are strict JSON, refused with a line and column (issue 13, item 6).
@Suite("strict JSON syntax")
struct JSONSyntaxTests {
    func check(_ text: String) -> JSONSyntaxError? { JSONSyntax.check(Array(text.utf8)) }

    @Test("JSON is accepted: every value kind, escapes, numbers, a byte order mark, the bundled data files")
    func accepted() throws {
        #expect(check(#"{"a": [1, -0.5, 2e10, 3E-2, true, false, null, "x\"\\\/\b\f\n\r\t\u00e9 é"], "b": {}}"#) == nil)
        #expect(check(" [ ] ") == nil)
        #expect(JSONSyntax.check([0xEF, 0xBB, 0xBF] + Array("{}".utf8)) == nil)
        for file in ["Sources/LogRules/default-rules.json", "Sources/LogRules/knowledge.json", "Sources/LogFindings/finding-texts.json"] {
            let url = repositoryRoot.appendingPathComponent(file)
            #expect(JSONSyntax.check([UInt8](try Data(contentsOf: url))) == nil, "\(file)")
        }
    }

    @Test("not JSON: refused at the line and column where it stops being JSON", arguments: [
        (#"{"a": 1,"# + "\n}", 2, 1, "expected a key in double quotes, found '}' (a comma before '}' is not JSON)"),
        ("[1, 2,]", 1, 7, "expected a value, found ']' (a comma before ']' is not JSON)"),
        (#"{"a" 1}"#, 1, 6, "expected ':' after the key, found '1'"),
        ("{'a': 1}", 1, 2, "expected a key in double quotes, found '''"),
        (#"["é", 01]"#, 1, 8, "a number cannot start with 0 and go on with digits"),
        (#"["open]"#, 1, 8, #"a text is not closed: no '"' before the end of the file"#),
        ("[\"a\tb\"]", 1, 4, #"a control character inside a text must be escaped (a line break is \n)"#),
        (#"["\x"]"#, 1, 4, #"'\x' is not a JSON escape (use \", \\, \/, \b, \f, \n, \r, \t or \uXXXX)"#),
        ("{} {}", 1, 4, "more text after the JSON value ends"),
        ("[tru]", 1, 5, "expected 'true'"),
        ("", 1, 1, "expected a value, found the end of the file"),
        ("[1.]", 1, 4, "expected a digit after the decimal point, found ']'"),
        ("// a comment\n{}", 1, 1, "expected a value (an object, array, text, number, true, false or null), found '/'"),
    ])
    func refused(_ text: String, _ line: Int, _ column: Int, _ message: String) {
        #expect(check(text) == JSONSyntaxError(line: line, column: column, message: message))
    }

    @Test("parse gives what JSONSerialization gives for the bundled data files, and the values as typed")
    func parsed() throws {
        let value = try JSONSyntax.parse(Array(#"{"a": [1, -0.5, 2e1, true, null, "\u00e9\ud83d\ude00\ud800x\n"], "a2": {"k": "v", "k": "w"}}"#.utf8))
        let object = try #require(value as? [String: Any])
        let list = try #require(object["a"] as? [Any])
        #expect(list[0] as? Int == 1 && list[1] as? Double == -0.5 && list[2] as? Double == 20 && list[3] as? Bool == true)
        #expect(list[4] is JSONNull)
        #expect(list[5] as? String == "\u{E9}\u{1F600}\u{FFFD}x\n")  // a lone surrogate becomes U+FFFD
        #expect((object["a2"] as? [String: String]) == ["k": "w"])  // a repeated key keeps its last value
        #expect(throws: JSONSyntaxError.self) { try JSONSyntax.parse([0x22, 0xFF, 0x22]) }  // not UTF-8
        for file in ["Sources/LogRules/default-rules.json", "Sources/LogRules/knowledge.json", "Sources/LogFindings/finding-texts.json"] {
            let data = try Data(contentsOf: repositoryRoot.appendingPathComponent(file))
            let ours = try JSONSyntax.parse([UInt8](data))
            let reference = try JSONSerialization.jsonObject(with: data)
            #expect(Self.same(ours, reference), "\(file)")
        }
    }

    /// Our value and Foundation's alike: the same objects, arrays, texts, numbers and nulls.
    static func same(_ a: Any, _ b: Any) -> Bool {
        switch (a, b) {
        case let (x as [String: Any], y as [String: Any]):
            return x.count == y.count && x.allSatisfy { key, value in y[key].map { same(value, $0) } ?? false }
        case let (x as [Any], y as [Any]):
            return x.count == y.count && zip(x, y).allSatisfy { same($0, $1) }
        case let (x as String, y as String): return x == y
        case (is JSONNull, is NSNull): return true
        case let (x as Bool, y as NSNumber): return x == y.boolValue
        case let (x as Int, y as NSNumber): return Double(x) == y.doubleValue
        case let (x as Double, y as NSNumber): return x == y.doubleValue
        default: return false
        }
    }

    @Test("deep nesting is refused, not recursed into")
    func deepNesting() {
        #expect(check(String(repeating: "[", count: 100_000))?.message == "nested more than 256 levels deep")
    }

    @Test("a rule file with a trailing comma is refused by the command, exit 2, with its line and column")
    func ruleFileTrailingComma() throws {
        let dir = TemporaryDirectory()
        let path = try dir.write("rules.json", "{\"schemaVersion\": 1, \"rules\": [\n  {\"id\": \"x\", \"event\": \"upload.batch\", \"pattern\": \"^x\"},\n]}\n")
        let result = runCLI(["rules", "--rules", path])
        #expect(result.status == 2)
        #expect(result.standardError.contains("rules.json: not JSON: line 3, column 1: expected a value, found ']' (a comma before ']' is not JSON)"), "\(result.standardError)")
    }
}
