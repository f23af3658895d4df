import CPCRE2
import Synchronization

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
    /// Whether the text has a back-reference or a nested quantifier (`PatternShape`).
    package let shape: PatternShape
    /// Subjects longer than this are searched with a deadline (`Matcher.search`): every
    /// subject when the pattern has a back-reference, since then one step may compare
    /// the whole subject and the step limit no longer bounds time.
    let timedAbove: Int
    private let flags: UInt32
    /// The same pattern with a callout before every item, compiled on the first
    /// search that needs a deadline (most runs never need one).
    private let timed = Mutex<OpaquePointer?>(nil)

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
        self.flags = flags
        shape = PatternShape(source)
        timedAbove = shape.hasBackReference ? -1 : Matcher.untimedSubjectBytes
        isJITCompiled = pcre2_jit_compile_8(compiled, PCRE2_JIT_COMPLETE) == 0

        var allOptions: UInt32 = 0
        pcre2_pattern_info_8(compiled, UInt32(PCRE2_INFO_ALLOPTIONS), &allOptions)
        isAnchored = allOptions & PCRE2_ANCHORED != 0
        var count: UInt32 = 0
        pcre2_pattern_info_8(compiled, UInt32(PCRE2_INFO_CAPTURECOUNT), &count)
        captureCount = Int(count)
        groupNumbers = Pattern.readNameTable(compiled)
    }

    deinit {
        pcre2_code_free_8(code)
        timed.withLock { if let code = $0 { pcre2_code_free_8(code) } }
    }

    /// The callout-instrumented twin, JIT-compiled when the platform allows; nil if it does not compile.
    func timedCode() -> (code: OpaquePointer, jit: Bool)? {
        timed.withLock { cached -> (OpaquePointer, Bool)? in
            if cached == nil {
                var errorCode: Int32 = 0
                var errorOffset = 0
                let bytes = Array(source.utf8)
                cached = bytes.withUnsafeBufferPointer {
                    pcre2_compile_8($0.baseAddress, $0.count, flags | PCRE2_AUTO_CALLOUT, &errorCode, &errorOffset, nil)
                }
                if let cached { _ = pcre2_jit_compile_8(cached, PCRE2_JIT_COMPLETE) }
            }
            guard let cached else { return nil }
            var size = 0
            return (cached, pcre2_pattern_info_8(cached, UInt32(PCRE2_INFO_JITSIZE), &size) == 0 && size > 0)
        }
    }

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
    private let deadline: UnsafeMutablePointer<SearchDeadline>
    /// The pattern's callout twin, fetched on the first timed search.
    private var timed: (code: OpaquePointer, jit: Bool)?
    /// How many matches were abandoned because they hit the match, depth or heap limit or the deadline.
    package private(set) var limitHits = 0
    /// Of `limitHits`, how many were the deadline.
    package private(set) var timeouts = 0

    /// The backtracking budget for one match: enough for any sane log pattern,
    /// small enough that a pathological pattern cannot hang the tool.
    package static let matchLimit: UInt32 = 2_000_000
    package static let depthLimit: UInt32 = 10_000
    /// Memory for backtracking in the interpreter (KiB); the JIT's is its stack, at most 1 MiB.
    package static let heapLimitKiB: UInt32 = 16 * 1024
    /// The deadline of one timed search.
    package static let searchTimeLimitNanoseconds: UInt64 = 100_000_000
    /// Up to this size a subject meets only the step limit: then even a search that is
    /// quadratic in the subject's length takes milliseconds (64M byte steps at most).
    package static let untimedSubjectBytes = 8 * 1024

    init(pattern: Pattern) {
        self.pattern = pattern
        matchData = pcre2_match_data_create_from_pattern_8(pattern.code, nil)
        context = pcre2_match_context_create_8(nil)
        deadline = .allocate(capacity: 1)
        deadline.initialize(to: SearchDeadline())
        if let context {
            pcre2_set_match_limit_8(context, Matcher.matchLimit)
            pcre2_set_depth_limit_8(context, Matcher.depthLimit)
            pcre2_set_heap_limit_8(context, Matcher.heapLimitKiB)
            // Called only by the callout twin: the plain pattern has no callouts.
            pcre2_set_callout_8(context, SearchDeadline.callout, deadline)
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
        deadline.deallocate()
    }

    nonisolated(unsafe) private static let emptySubject: UnsafeMutablePointer<UInt8> = .allocate(capacity: 1)

    /// How one search ended. `limitHit` is not "no match": the pattern gave up
    /// (match, depth, heap or JIT stack limit, or the deadline), so the subject may well match.
    package enum Outcome: Sendable {
        case matched, unmatched, limitHit
    }

    /// Searches `subject` from `offset`. On success the group ranges are
    /// readable with `range(_:)` until the next call.
    ///
    /// PCRE2's match limit counts backtracking steps, and a step is not bounded in
    /// time: a back-reference compares a whole capture, a scan runs to the end of the
    /// subject. So a search of a long subject, or any search by a pattern with a
    /// back-reference, also has a deadline (`searchTimeLimitNanoseconds`), kept by the
    /// callout twin. Short subjects, the hot path, take the plain JIT.
    @inline(__always)
    package func search(_ subject: UnsafeRawBufferPointer, from offset: Int = 0) -> Outcome {
        let base = subject.baseAddress?.assumingMemoryBound(to: UInt8.self)
            ?? UnsafePointer(Matcher.emptySubject)
        if subject.count > pattern.timedAbove { return timedSearch(base, count: subject.count, from: offset) }
        // The JIT's own entry skips pcre2_match's option checks: a measurable
        // share of the time when most calls fail at once.
        let rc = pattern.isJITCompiled
            ? pcre2_jit_match_8(pattern.code, base, subject.count, offset, 0, matchData, context)
            : pcre2_match_8(pattern.code, base, subject.count, offset, 0, matchData, context)
        return outcome(rc)
    }

    private func timedSearch(_ base: UnsafePointer<UInt8>, count: Int, from offset: Int) -> Outcome {
        if timed == nil { timed = pattern.timedCode() }
        guard let timed else {
            return outcome(pcre2_match_8(pattern.code, base, count, offset, 0, matchData, context))
        }
        deadline.pointee = SearchDeadline(deadline: SearchDeadline.now() &+ Matcher.searchTimeLimitNanoseconds, calls: 0)
        let rc = timed.jit && jitStack != nil
            ? pcre2_jit_match_8(timed.code, base, count, offset, 0, matchData, context)
            : pcre2_match_8(timed.code, base, count, offset, 0, matchData, context)
        if rc == PCRE2_ERROR_CALLOUT { timeouts += 1 }
        return outcome(rc)
    }

    @inline(__always)
    private func outcome(_ rc: Int32) -> Outcome {
        if rc >= 0 { return .matched }
        if rc == PCRE2_ERROR_MATCHLIMIT || rc == PCRE2_ERROR_DEPTHLIMIT || rc == PCRE2_ERROR_HEAPLIMIT
            || rc == PCRE2_ERROR_JIT_STACKLIMIT || rc == PCRE2_ERROR_CALLOUT {
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
