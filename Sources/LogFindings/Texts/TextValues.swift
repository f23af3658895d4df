import LogInput

/// One parameter's value as a template sees it: text, computed from a fact.
/// Counts, flags and times have their own initialisers so that every finding
/// writes them the same way (a time as ISO 8601, a false flag as not set).
package struct TextValue: Sendable, Equatable, ExpressibleByStringInterpolation {
    package var text: String

    package init(_ text: String) { self.text = text }
    package init(stringLiteral text: String) { self.text = text }
    /// Nil is empty: not set.
    package init(_ text: String?) { self.text = text ?? "" }
    package init(_ count: Int) { text = String(count) }
    /// False is empty, so `{?flag:…}` reads it as not set.
    package init(_ flag: Bool) { text = flag ? "yes" : "" }
    /// ISO 8601 on the report's clock, as the JSON report writes times; nil is empty.
    package init(_ time: Instant?) { text = time.map { TimeText.iso8601($0, on: Findings.clock) } ?? "" }

    /// `{?name:…}`: empty and `0` are not set, so a count of nothing drops its sentence.
    var isSet: Bool { !text.isEmpty && text != "0" }
    /// `{name|one|other}` picks `one`.
    var isOne: Bool { text == "1" }
}

/// The values one rendering fills in, by parameter name.
package typealias TextValues = [String: TextValue]
