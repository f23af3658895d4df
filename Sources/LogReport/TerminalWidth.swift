#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// How wide the text report may be (docs/terminal.md). The one place that asks the
/// operating system for a terminal's size.
package enum TerminalWidth {
    /// Narrower than this, wrapped prose is a column of single words: the report keeps this many.
    package static let minimum = 40
    /// A terminal whose size cannot be read: the width terminals open with.
    package static let terminalDefault = 80

    /// `COLUMNS` when it is a positive number (a person's or a test's choice wins);
    /// else, when standard output is a terminal, its width, or 80 when that cannot be
    /// read; else nil: a pipe or a file gets every line whole, for grep and editors.
    /// Never below `minimum`.
    package static func columns(isTerminal: Bool, descriptor: Int32?, environment: [String: String]) -> Int? {
        if let text = environment["COLUMNS"], let value = Int(text.trimmingSpaces), value > 0 {
            return max(minimum, value)
        }
        guard isTerminal else { return nil }
        return max(minimum, descriptor.flatMap(windowColumns) ?? terminalDefault)
    }

    /// The terminal's columns by TIOCGWINSZ; nil when `descriptor` is not a terminal or says 0.
    static func windowColumns(_ descriptor: Int32) -> Int? {
        var size = winsize()
        #if canImport(Glibc)
        let request = UInt(TIOCGWINSZ)
        #else
        let request = TIOCGWINSZ
        #endif
        guard ioctl(descriptor, request, &size) == 0, size.ws_col > 0 else { return nil }
        return Int(size.ws_col)
    }
}

extension String {
    fileprivate var trimmingSpaces: Substring {
        let start = firstIndex { $0 != " " } ?? endIndex
        let end = lastIndex { $0 != " " }.map(index(after:)) ?? start
        return self[start..<max(start, end)]
    }
}
