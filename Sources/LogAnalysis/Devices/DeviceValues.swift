import LogInput
import LogRules
/// The values of an inventory or cloud export cell: certificate thumbprints,
/// yes/no flags, device names and times, each read the lenient way exports
/// need and refused where reading would mean guessing (docs/devices.md).

/// A certificate thumbprint, compared ignoring case, spaces, colons and the
/// invisible marks that Windows certificate dialogs put in copied text.
package enum Thumbprint {
    /// Marks that copying from a certificate dialog (or a web page) adds: left-to-right
    /// and right-to-left marks, bidirectional embeddings, overrides and isolates,
    /// zero-width characters, the byte order mark and the no-break space.
    static func isIgnorable(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.value {
        case 0x20, 0x09, 0x0A, 0x0D, 0x3A: true                 // space, tab, line ends, colon
        case 0x00A0, 0x2000...0x200F, 0x2028...0x202F, 0x205F, 0x2060, 0x2066...0x2069, 0x3000, 0xFEFF: true
        default: false
        }
    }

    /// Upper-case hex digits with every ignorable character removed; nil when nothing is left.
    package static func normalize(_ text: String) -> String? {
        var out = String.UnicodeScalarView()
        for scalar in text.unicodeScalars where !isIgnorable(scalar) {
            out.append(contentsOf: String(scalar).uppercased().unicodeScalars)
        }
        return out.isEmpty ? nil : String(out)
    }

    /// Whether a normalized thumbprint is a SHA-1 (40 hex digits) or SHA-256 (64) hash.
    package static func isValid(_ normalized: String) -> Bool {
        (normalized.utf8.count == 40 || normalized.utf8.count == 64)
            && normalized.utf8.allSatisfy { ($0 >= 0x30 && $0 <= 0x39) || ($0 >= 0x41 && $0 <= 0x46) }
    }

    /// `9F3C…41D2`: enough to recognise, short enough for a report line.
    package static func short(_ normalized: String) -> String {
        normalized.count <= 12 ? normalized : String(normalized.prefix(4)) + "…" + String(normalized.suffix(4))
    }
}

/// A yes/no cell. Empty is no; anything not listed is refused.
enum YesNo {
    static let yes: Set<String> = ["yes", "y", "true", "1", "x", "ja", "j", "oui", "si", "sí", "sim"]
    static let no: Set<String> = ["no", "n", "false", "0", "", "nee", "nein", "non", "nao", "não", "-"]

    static func parse(_ text: String) -> Bool? {
        let value = text.trimmingSpaces.lowercased()
        if yes.contains(value) { return true }
        if no.contains(value) { return false }
        return nil
    }
}

/// Device names as keys: case-insensitive, and a fully qualified name also
/// answers to its first label (`DP01.contoso.com` and `DP01`).
enum DeviceName {
    static func key(_ name: String) -> String { name.trimmingSpaces.uppercased() }

    static func shortKey(_ name: String) -> String {
        let full = key(name)
        guard let dot = full.firstIndex(of: "."), dot != full.startIndex else { return full }
        return String(full[..<dot])
    }
}

/// Day and month order of dates such as `03/04/2020`.
package enum DateOrder: String, Sendable, CaseIterable {
    /// Day first: 03/04/2020 is 3 April.
    case dayFirst = "dmy"
    /// Month first: 03/04/2020 is 4 March.
    case monthFirst = "mdy"
}

/// A time read from an export cell, before day/month order and zone are settled.
struct ExportTime: Equatable {
    enum Layout: Equatable {
        /// Year first (ISO 8601 and `2020/02/28`): never ambiguous.
        case yearFirst
        /// `a/b/yyyy`: which of a and b is the day depends on the culture.
        case yearLast(first: Int, second: Int)
    }

    var year: Int
    var layout: Layout
    var month = 0, day = 0
    var hour = 0, minute = 0, second = 0
    var fractionTicks: Int64 = 0
    /// Minutes east of UTC, when the text says (`Z`, `+01:00`, `UTC-5`).
    var offsetMinutes: Int?

    /// The orders that give a valid date: both, one, or (for day and month both above 12) none.
    var possibleOrders: [DateOrder] {
        guard case .yearLast(let first, let second) = layout else { return [] }
        var orders: [DateOrder] = []
        guard first >= 1 && second >= 1 else { return [] }  // a day or month of 0 is no date
        if first <= 12 && second <= CivilTime.daysIn(month: first, year: year) { orders.append(.monthFirst) }
        if second <= 12 && first <= CivilTime.daysIn(month: second, year: year) { orders.append(.dayFirst) }
        return orders
    }

    /// Whether the two orders give different dates (`03/04` does, `05/05` does not).
    var isAmbiguous: Bool {
        guard case .yearLast(let first, let second) = layout else { return false }
        return possibleOrders.count == 2 && first != second
    }

    /// The instant, with `order` for a year-last date and `defaultOffset` (minutes east
    /// of UTC) when the text gives no zone; nil when the fields are not a valid time.
    func instant(order: DateOrder?, defaultOffset: Int) -> Instant? {
        var month = self.month, day = self.day
        if case .yearLast(let first, let second) = layout {
            let order = order ?? possibleOrders.first
            guard let order, possibleOrders.contains(order) || first == second else { return nil }
            (month, day) = order == .monthFirst ? (first, second) : (second, first)
        }
        guard let civil = CivilTime(year: year, month: month, day: day, hour: hour, minute: minute,
                                    second: min(second, 59), fractionTicks: fractionTicks) else { return nil }
        let offset = offsetMinutes ?? defaultOffset
        return Instant(ticks: civil.ticksAsIfUTC - Int64(offset) * 60 * Instant.ticksPerSecond)
    }

    /// Reads `2020-02-28T16:20:31Z`, `2020-02-28 16:20:31.5+01:00`, `2020/02/28 16:20`,
    /// `2/28/2020 4:20:31 PM`, `28-2-2020 16:20:31`, `28.02.2020 16:20`, a date alone,
    /// and a trailing zone (`Z`, `UTC`, `GMT`, `+01:00`, `+0100`, `+1`, `UTC+01:00`).
    static func parse(_ text: String) -> ExportTime? {
        var scanner = Scanner(Array(text.trimmingSpaces.unicodeScalars))
        guard let (a, aDigits) = scanner.number(), let separator = scanner.take(anyOf: "-/."),
              let (b, _) = scanner.number(), scanner.take(separator),
              let (c, cDigits) = scanner.number() else { return nil }
        var time: ExportTime
        if aDigits == 4 && cDigits <= 2 {
            time = ExportTime(year: a, layout: .yearFirst, month: b, day: c)
        } else if cDigits == 4 && aDigits <= 2 {
            time = ExportTime(year: c, layout: .yearLast(first: a, second: b))
        } else {
            return nil   // two-digit years are refused: 03/04/05 could be anything
        }
        if scanner.take("T") || scanner.skipSpaces() {
            if let (hour, hourDigits) = scanner.number(), hourDigits <= 2 {
                guard scanner.take(":"), let (minute, minuteDigits) = scanner.number(), minuteDigits == 2 else { return nil }
                time.hour = hour
                time.minute = minute
                if scanner.take(":") {
                    guard let (second, secondDigits) = scanner.number(), secondDigits == 2 else { return nil }
                    time.second = second
                    if scanner.take(".") || scanner.take(",") {
                        guard let (fraction, digits) = scanner.number(), digits > 0 else { return nil }
                        var ticks = Int64(fraction)
                        var scale = digits
                        while scale > 7 { ticks /= 10; scale -= 1 }
                        while scale < 7 { ticks *= 10; scale += 1 }
                        time.fractionTicks = ticks
                    }
                }
                _ = scanner.skipSpaces()
                if let meridiem = scanner.meridiem() {
                    guard (1...12).contains(time.hour) else { return nil }
                    time.hour = time.hour % 12 + (meridiem == "PM" ? 12 : 0)
                }
            } else if scanner.atEnd {
                return nil   // a trailing `T` or space and nothing after
            }
            _ = scanner.skipSpaces()
            if !scanner.atEnd {
                guard let offset = scanner.zone() else { return nil }
                time.offsetMinutes = offset
            }
        }
        guard scanner.atEnd, time.hour < 24, time.minute < 60, time.second <= 60 else { return nil }
        if case .yearFirst = time.layout {
            guard CivilTime(year: time.year, month: time.month, day: time.day, hour: 0, minute: 0, second: 0) != nil else { return nil }
        } else if time.possibleOrders.isEmpty {
            return nil
        }
        return time
    }

    /// Minutes east of UTC from `+01:00`, `-0500`, `+1`, `Z`, `UTC`, `0`.
    static func parseOffset(_ text: String) -> Int? {
        var scanner = Scanner(Array(text.trimmingSpaces.unicodeScalars))
        if let zone = scanner.zone(), scanner.atEnd { return zone }
        var bare = Scanner(Array(text.trimmingSpaces.unicodeScalars))
        if let (zero, _) = bare.number(), zero == 0, bare.atEnd { return 0 }
        return nil
    }

    struct Scanner {
        let scalars: [Unicode.Scalar]
        var index = 0

        init(_ scalars: [Unicode.Scalar]) { self.scalars = scalars }

        var atEnd: Bool { index >= scalars.count }

        mutating func number() -> (Int, Int)? {
            var value = 0, digits = 0
            while index < scalars.count, scalars[index].value >= 0x30, scalars[index].value <= 0x39 {
                if digits < 9 { value = value * 10 + Int(scalars[index].value - 0x30) }
                digits += 1
                index += 1
            }
            return digits > 0 ? (value, digits) : nil
        }

        mutating func take(_ scalar: Unicode.Scalar) -> Bool {
            guard index < scalars.count, scalars[index] == scalar else { return false }
            index += 1
            return true
        }

        mutating func take(anyOf set: String) -> Unicode.Scalar? {
            guard index < scalars.count, set.unicodeScalars.contains(scalars[index]) else { return nil }
            index += 1
            return scalars[index - 1]
        }

        @discardableResult
        mutating func skipSpaces() -> Bool {
            let start = index
            while index < scalars.count, scalars[index] == " " || scalars[index] == "\u{00A0}" || scalars[index] == "\u{202F}" { index += 1 }
            return index > start
        }

        mutating func word(_ text: String) -> Bool {
            let wanted = Array(text.unicodeScalars)
            guard index + wanted.count <= scalars.count else { return false }
            for (offset, scalar) in wanted.enumerated() where String(scalars[index + offset]).uppercased() != String(scalar) {
                return false
            }
            index += wanted.count
            return true
        }

        /// `AM`, `PM`, `a.m.`, `p.m.`, upper-cased as AM or PM.
        mutating func meridiem() -> String? {
            for (written, meaning) in [("AM", "AM"), ("PM", "PM"), ("A.M.", "AM"), ("P.M.", "PM")] where word(written) {
                return meaning
            }
            return nil
        }

        /// `Z`, `UTC`, `GMT`, or either of them (or nothing) followed by `+01:00`, `+0100`, `+1`.
        mutating func zone() -> Int? {
            if take("Z") || take("z") { return 0 }
            let named = word("UTC") || word("GMT")
            _ = skipSpaces()
            guard let sign = take(anyOf: "+-\u{2212}") else { return named ? 0 : nil }
            guard let (value, digits) = number() else { return nil }
            var hours = value, minutes = 0
            if digits == 4 {
                hours = value / 100
                minutes = value % 100
            } else if digits <= 2 {
                if take(":") {
                    guard let (m, mDigits) = number(), mDigits == 2 else { return nil }
                    minutes = m
                }
            } else {
                return nil
            }
            guard hours <= 14, minutes < 60 else { return nil }
            return (hours * 60 + minutes) * (sign == "+" ? 1 : -1)
        }
    }
}
