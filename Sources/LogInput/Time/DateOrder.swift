import LogMatching
/// Which of the first two numbers of a year-last date such as `03/04/2020` is
/// the day. The culture that wrote the text decides, and the text alone does
/// not say: every reader learns it from context (an unambiguous date nearby,
/// the time the date should be near, an option), never from an assumed culture.
/// The raw values are the `--inventory-date-order` spellings.
package enum DateOrder: String, Sendable, CaseIterable {
    /// Day first: 03/04/2020 is 3 April (nl-NL, de-DE, en-GB, fi-FI, …).
    case dayFirst = "dmy"
    /// Month first: 03/04/2020 is 4 March (en-US).
    case monthFirst = "mdy"
}
