import LogMatching
/// The PCRE2 patterns that recognise each format's metadata, compiled once.
/// Search loops find candidate positions with byte scans; these patterns then
/// confirm and split what is there. The two trailers are read by hand
/// (`TrailerReader`, for speed); their patterns here are the specification the
/// reader is tested against.
enum FramingPatterns {
    /// The tail of a CMTrace record, anchored just after `]LOG]!>`.
    /// Groups: 1 time, 2 date, 3 component, 4 type, 5 thread.
    static let cmtraceTrailer = try! Pattern(
        #"<time="([^"]*)"\s*date="([^"]*)"\s*component="([^"]*)"(?:\s*context="[^"]*")?\s*type="([^"]*)"\s*thread="([^"]*)"(?:\s*file="[^"]*")?[^>]*>"#,
        options: .anchored)

    /// The simple format's trailer, anchored at `$$<`.
    /// Groups: 1 component, 2 date, 3 time, 4 thread.
    static let simpleTrailer = try! Pattern(
        #"\$\$<([^>]*)><(\d{1,2}[-/]\d{1,2}[-/]\d{4}) ([^>]+)><thread=(\d+)[^>]*>\s*$"#,
        options: .anchored)

    /// CMTrace's copy form: message, component, date and time, thread.
    /// Groups: 1 message, 2 component, 3 date, 4 time, 5 thread.
    static let copyLine = try! Pattern(
        #"(.*)\t([^\t]*)\t(\d{1,4}[-/.]\d{1,2}[-/.]\d{1,4})[ T]+(\d{1,2}:\d{2}:\d{2}(?:[.,]\d+)?(?:\s*[AaPp][Mm])?)\t(\d+)(?:\s*\(0x[0-9A-Fa-f]+\))?\s*$"#,
        options: .anchored)
}
