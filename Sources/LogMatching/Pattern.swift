import CPCRE2

/// A compile error, naming the pattern and where in it PCRE2 stopped.
package struct PatternError: Error, CustomStringConvertible, Sendable {
    package let pattern: String
    /// Byte offset into the pattern at which compilation failed.
    package let offset: Int
    package let message: String

    package var description: String {
        "invalid pattern \(quoted(pattern)) at offset \(offset): \(message)"
    }
}

/// A PCRE2 pattern, compiled once (and JIT-compiled where the platform allows)
/// and shared read-only. Matching needs per-caller scratch space: see `Matcher`.
package final class Pattern: @unchecked Sendable {
    // PCRE2 documents a compiled pattern as safe to share between threads;
    // only match data is per thread, which `Matcher` owns.
    let code: OpaquePointer
    package let source: String
    package let isJITCompiled: Bool
    /// Whether the pattern can match only at the start of the subject (`^…` without multiline, or `.anchored`).
    package let isAnchored: Bool
    /// Whether the pattern runs in UTF mode (it has non-ASCII text or Unicode properties).
    package let isUTF: Bool
    /// Group names to group numbers.
    package let groupNumbers: [String: Int]
    package let captureCount: Int

    package struct Options: OptionSet, Sendable {
        package let rawValue: UInt32
        package init(rawValue: UInt32) { self.rawValue = rawValue }
        package static let caseless = Options(rawValue: PCRE2_CASELESS)
        package static let anchored = Options(rawValue: PCRE2_ANCHORED)
    }

    package init(_ source: String, options: Options = []) throws(PatternError) {
        self.source = source
        var errorCode: Int32 = 0
        var errorOffset = 0
        // UTF mode only where the pattern needs it (non-ASCII text, \p
        // classes): the JIT runs markedly faster on bytes, and for ASCII
        // patterns the result is the same. With UTF, MATCH_INVALID_UTF keeps
        // bytes that are not UTF-8 (a record cut by the size cap) from ever
        // making a match fail with an error.
        isUTF = Pattern.needsUTF(source)
        let flags = options.rawValue | (isUTF ? PCRE2_UTF | PCRE2_MATCH_INVALID_UTF : 0)
        let compiled: OpaquePointer? = source.utf8.withContiguousStorageIfAvailable { bytes in
            pcre2_compile_8(bytes.baseAddress, bytes.count, flags, &errorCode, &errorOffset, nil)
        } ?? {
            let bytes = Array(source.utf8)
            return bytes.withUnsafeBufferPointer {
                pcre2_compile_8($0.baseAddress, $0.count, flags, &errorCode, &errorOffset, nil)
            }
        }()
        guard let compiled else {
            throw PatternError(pattern: source, offset: errorOffset, message: Pattern.errorMessage(errorCode))
        }
        code = compiled
        isJITCompiled = pcre2_jit_compile_8(compiled, PCRE2_JIT_COMPLETE) == 0

        var allOptions: UInt32 = 0
        pcre2_pattern_info_8(compiled, UInt32(PCRE2_INFO_ALLOPTIONS), &allOptions)
        isAnchored = allOptions & PCRE2_ANCHORED != 0
        var count: UInt32 = 0
        pcre2_pattern_info_8(compiled, UInt32(PCRE2_INFO_CAPTURECOUNT), &count)
        captureCount = Int(count)
        groupNumbers = Pattern.readNameTable(compiled)
    }

    deinit { pcre2_code_free_8(code) }

    /// For an anchored pattern: which bytes a matching subject can start with
    /// (all 256 when it can match the empty string). Found by asking PCRE2 for
    /// a partial match of every one-byte subject, so it is exact whatever the
    /// pattern's shape. Search loops use it to skip the match call entirely.
    package func possibleFirstBytes() -> [Bool] {
        let data = pcre2_match_data_create_from_pattern_8(code, nil)
        defer { pcre2_match_data_free_8(data) }
        var empty: UInt8 = 0
        if pcre2_match_8(code, &empty, 0, 0, PCRE2_NO_JIT, data, nil) >= 0 {
            return [Bool](repeating: true, count: 256)
        }
        var possible = [Bool](repeating: false, count: 256)
        for value in 0..<256 {
            // Bytes that begin multi-byte characters cannot be judged alone in UTF mode: keep them.
            if isUTF && value >= 0x80 { possible[value] = true; continue }
            var byte = UInt8(value)
            let rc = pcre2_match_8(code, &byte, 1, 0, PCRE2_PARTIAL_HARD | PCRE2_NO_JIT, data, nil)
            possible[value] = rc >= 0 || rc == PCRE2_ERROR_PARTIAL
        }
        return possible
    }

    /// A new matcher with its own match data; cheap, but make one per loop, not per line.
    package func matcher() -> Matcher { Matcher(pattern: self) }

    /// Non-ASCII literals and Unicode escapes need UTF mode; ASCII patterns match UTF-8 text the same without it.
    /// So do items whose match width differs between bytes and characters (see `hasWidthSensitiveItem`).
    static func needsUTF(_ source: String) -> Bool {
        if source.utf8.contains(where: { $0 >= 0x80 }) { return true }
        if ["\\p", "\\P", "\\X", "\\x", "\\o{", "\\0", "\\N{", "(*UTF", "(*UCP"].contains(where: { source.utf8.contains(subsequence: $0.utf8) }) { return true }
        return hasWidthSensitiveItem(Array(source.utf8))
    }

    /// Whether the pattern has an item that matches one character whatever it is
    /// (`.`, `[^…]`, `\D` `\W` `\S` `\H` `\V` `\N` `\R`, or a class holding one of
    /// those) other than as `item*` or `item+`. On UTF-8 text such an item takes
    /// one byte in byte mode but a whole character in UTF mode: `Ger.t` must
    /// match `Gerät`. Repeated without bound it ends at the same ASCII
    /// neighbour either way, so `[^"]*"` or `(.*) is:` stay in byte mode.
    static func hasWidthSensitiveItem(_ pattern: [UInt8]) -> Bool {
        let count = pattern.count
        let anyCharacterEscapes = Array("DWSHVNR".utf8)
        func unboundedAfter(_ index: Int) -> Bool {
            index < count && (pattern[index] == UInt8(ascii: "*") || pattern[index] == UInt8(ascii: "+"))
        }
        var index = 0
        while index < count {
            switch pattern[index] {
            case UInt8(ascii: "\\"):
                guard index + 1 < count else { return false }
                let escaped = pattern[index + 1]
                if escaped == UInt8(ascii: "Q") {  // \Q…\E is literal text
                    var end = index + 2
                    while end + 1 < count && !(pattern[end] == UInt8(ascii: "\\") && pattern[end + 1] == UInt8(ascii: "E")) { end += 1 }
                    index = end + 2
                    continue
                }
                if anyCharacterEscapes.contains(escaped) && !unboundedAfter(index + 2) { return true }
                index += 2
            case UInt8(ascii: "."):
                if !unboundedAfter(index + 1) { return true }
                index += 1
            case UInt8(ascii: "["):
                var end = index + 1
                var sensitive = false
                if end < count && pattern[end] == UInt8(ascii: "^") { sensitive = true; end += 1 }
                if end < count && pattern[end] == UInt8(ascii: "]") { end += 1 }  // a leading ] is literal
                while end < count && pattern[end] != UInt8(ascii: "]") {
                    if pattern[end] == UInt8(ascii: "\\") && end + 1 < count {
                        if anyCharacterEscapes.contains(pattern[end + 1]) { sensitive = true }
                        end += 2
                        continue
                    }
                    if pattern[end] == UInt8(ascii: "[") && end + 1 < count && pattern[end + 1] == UInt8(ascii: ":") {
                        // A POSIX class such as [:alpha:] or [:^alpha:]: skip to its `:]`.
                        if end + 2 < count && pattern[end + 2] == UInt8(ascii: "^") { sensitive = true }
                        var close = end + 2
                        while close + 1 < count && !(pattern[close] == UInt8(ascii: ":") && pattern[close + 1] == UInt8(ascii: "]")) { close += 1 }
                        end = close + 2
                        continue
                    }
                    end += 1
                }
                if sensitive && !unboundedAfter(end + 1) { return true }
                index = end + 1
            default:
                index += 1
            }
        }
        return false
    }

    static func errorMessage(_ code: Int32) -> String {
        var buffer = [UInt8](repeating: 0, count: 256)
        let length = pcre2_get_error_message_8(code, &buffer, buffer.count)
        guard length > 0 else { return "PCRE2 error \(code)" }
        return String(decoding: buffer[0..<Int(length)], as: UTF8.self)
    }

    private static func readNameTable(_ code: OpaquePointer) -> [String: Int] {
        var nameCount: UInt32 = 0
        var entrySize: UInt32 = 0
        var table: UnsafePointer<UInt8>?
        pcre2_pattern_info_8(code, UInt32(PCRE2_INFO_NAMECOUNT), &nameCount)
        pcre2_pattern_info_8(code, UInt32(PCRE2_INFO_NAMEENTRYSIZE), &entrySize)
        pcre2_pattern_info_8(code, UInt32(PCRE2_INFO_NAMETABLE), &table)
        guard let table, nameCount > 0 else { return [:] }
        var names: [String: Int] = [:]
        for index in 0..<Int(nameCount) {
            let entry = table + index * Int(entrySize)
            // Each entry: a 16-bit big-endian group number, then the NUL-terminated name.
            let number = Int(entry[0]) << 8 | Int(entry[1])
            let name = String(cString: entry + 2)
            names[name] = number
        }
        return names
    }
}

/// Matches one `Pattern` against byte buffers, reusing its match data.
/// Not thread-safe: one per loop.
package final class Matcher {
    package let pattern: Pattern
    private let matchData: OpaquePointer
    private let context: OpaquePointer?
    private let jitStack: OpaquePointer?
    /// How many matches were abandoned because they hit the match or depth limit.
    package private(set) var limitHits = 0

    /// The backtracking budget for one match: enough for any sane log pattern,
    /// small enough that a pathological pattern cannot hang the tool.
    package static let matchLimit: UInt32 = 2_000_000
    package static let depthLimit: UInt32 = 10_000

    init(pattern: Pattern) {
        self.pattern = pattern
        matchData = pcre2_match_data_create_from_pattern_8(pattern.code, nil)
        context = pcre2_match_context_create_8(nil)
        if let context {
            pcre2_set_match_limit_8(context, Matcher.matchLimit)
            pcre2_set_depth_limit_8(context, Matcher.depthLimit)
        }
        if pattern.isJITCompiled, let context {
            jitStack = pcre2_jit_stack_create_8(32 * 1024, 1024 * 1024, nil)
            pcre2_jit_stack_assign_8(context, nil, UnsafeMutableRawPointer(jitStack))
        } else {
            jitStack = nil
        }
    }

    deinit {
        pcre2_match_data_free_8(matchData)
        if let context { pcre2_match_context_free_8(context) }
        if let jitStack { pcre2_jit_stack_free_8(jitStack) }
    }

    nonisolated(unsafe) private static let emptySubject: UnsafeMutablePointer<UInt8> = .allocate(capacity: 1)

    /// How one search ended. `limitHit` is not "no match": the pattern gave up
    /// (match, depth or JIT stack limit), so the subject may well match.
    package enum Outcome: Sendable {
        case matched, unmatched, limitHit
    }

    /// Searches `subject` from `offset`. On success the group ranges are
    /// readable with `range(_:)` until the next call.
    @inline(__always)
    package func search(_ subject: UnsafeRawBufferPointer, from offset: Int = 0) -> Outcome {
        let base = subject.baseAddress?.assumingMemoryBound(to: UInt8.self)
            ?? UnsafePointer(Matcher.emptySubject)
        // The JIT's own entry skips pcre2_match's option checks: a measurable
        // share of the time when most calls fail at once.
        let rc = pattern.isJITCompiled
            ? pcre2_jit_match_8(pattern.code, base, subject.count, offset, 0, matchData, context)
            : pcre2_match_8(pattern.code, base, subject.count, offset, 0, matchData, context)
        if rc >= 0 { return .matched }
        if rc == PCRE2_ERROR_MATCHLIMIT || rc == PCRE2_ERROR_DEPTHLIMIT || rc == PCRE2_ERROR_JIT_STACKLIMIT {
            limitHits += 1
            return .limitHit
        }
        return .unmatched
    }

    /// Whether `subject` matches from `offset`; a search that hit a limit counts as no match (and in `limitHits`).
    @inline(__always)
    package func matches(_ subject: UnsafeRawBufferPointer, from offset: Int = 0) -> Bool {
        search(subject, from: offset) == .matched
    }

    /// The byte range of group `number` in the last successful match, or nil if it did not take part.
    @inline(__always)
    package func range(_ number: Int) -> Range<Int>? {
        guard number <= pattern.captureCount else { return nil }
        let ovector = pcre2_get_ovector_pointer_8(matchData)!
        let start = ovector[2 * number]
        let end = ovector[2 * number + 1]
        // PCRE2_UNSET is ~0, which size_t-as-Int reads as -1.
        if start < 0 || end < start { return nil }
        return start..<end
    }

    package func range(named name: String) -> Range<Int>? {
        guard let number = pattern.groupNumbers[name] else { return nil }
        return range(number)
    }
}

/// Puts quotes around text for an error message.
package func quoted(_ text: String) -> String { "'\(text)'" }

extension String.UTF8View {
    /// Whether `needle` occurs in these bytes: a plain search, as Foundation's
    /// String.contains costs more than compiling the pattern.
    package func contains(subsequence needle: String.UTF8View) -> Bool {
        let bytes = Array(self), target = Array(needle)
        guard !target.isEmpty else { return true }
        guard bytes.count >= target.count else { return false }
        return (0...(bytes.count - target.count)).contains { bytes[$0..<($0 + target.count)].elementsEqual(target) }
    }
}
