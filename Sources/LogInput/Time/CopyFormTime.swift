import LogMatching
/// The date and time in CMTrace's copy form are the viewer's display text,
/// in the viewer's culture, with no bias: `2/28/2020 4:20:31 PM`,
/// `28-2-2020 16:20:31`, `2020/02/28 午後 4:20:31`. `CultureDateReader` reads
/// them; what it leaves open is settled from the input itself, never by
/// assuming a culture. The day/month order is learned from a date that only
/// one order makes a real day, and remembered for the rest of the input
/// (`order`); until one is seen, an ambiguous date has no time. A two-digit
/// year is taken as the last number (`twoDigitYearLast`). A record has no
/// neighbour to judge an unread 12-hour designator by, so that has no time either.
enum CopyFormTime {
    static func parse(date: UnsafeRawBufferPointer, time: UnsafeRawBufferPointer, bias: Int?,
                      order: inout DateOrder?) -> LogTimestamp? {
        guard let text = CultureDateReader.read(date: date, time: time)?.twoDigitYearLast else { return nil }
        if case .yearLast = text.date, case let dayFirst = text.allows(.dayFirst), dayFirst != text.allows(.monthFirst) {
            order = dayFirst ? .dayFirst : .monthFirst   // 28-2-2020: day first, from now on
        }
        guard let local = text.local(order: order) else { return nil }
        return LogTimestamp(local: local, bias: bias)
    }

    /// The framer's learned order as it stores it today (true: day first). Kept only
    /// until `RecordFramer` holds a `DateOrder?` itself.
    static func parse(date: UnsafeRawBufferPointer, time: UnsafeRawBufferPointer, bias: Int?,
                      dayFirst: inout Bool?) -> LogTimestamp? {
        var order = dayFirst.map { $0 ? DateOrder.dayFirst : .monthFirst }
        defer { dayFirst = order.map { $0 == .dayFirst } }
        return parse(date: date, time: time, bias: bias, order: &order)
    }
}
