/// `review --time`: the clock the text and HTML reports show their times on, for people
/// (docs/clocks.md). The JSON report and the CI formats are for machines and keep their
/// ISO 8601 times whatever is chosen.
package enum TimeChoice: String, Sendable, CaseIterable {
    /// UTC, labelled `UTC`.
    case utc
    /// The server's local time, as CMTrace shows it, labelled with its offset (`-08:00`).
    case local
    /// The server's local time with UTC beside it: `08:35 -08:00 (16:35 UTC)`.
    case both

    /// Without `--time`: both, so a time reads as CMTrace shows it and as the cloud logs it.
    package static let standard = TimeChoice.both
}
