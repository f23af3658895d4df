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

/// A time read from an export cell, before day/month order and zone are settled.
/// `CultureDateReader` reads the text; an export is refused where reading it would
/// mean guessing with nothing to judge by: a two-digit year, a 12-hour clock whose
/// designator is not one the reader knows, any other word. The day/month order is
/// the column's, settled from its other dates or an option (`Inventory.settleDateOrder`).
struct ExportTime: Equatable {
    enum Layout: Equatable {
        /// Year first (ISO 8601 and `2020/02/28`): never ambiguous.
        case yearFirst
        /// `a/b/yyyy`: which of a and b is the day depends on the culture.
        case yearLast(first: Int, second: Int)
    }

    /// The cell as read; its clock's hour already on 24 hours.
    var text: CultureDateText

    var year: Int {
        switch text.date {
        case .yearFirst(let year, _, _), .yearLast(_, _, let year): year
        case .twoDigitYear: 0   // refused by `parse`
        }
    }

    var layout: Layout {
        if case .yearLast(let first, let second, _) = text.date { return .yearLast(first: first, second: second) }
        return .yearFirst
    }

    /// Minutes east of UTC, when the text says (`Z`, `+01:00`, `UTC-5`).
    var offsetMinutes: Int? { text.offsetMinutes }

    /// The orders that give a valid date: both, one, or (for day and month both above 12) none.
    var possibleOrders: [DateOrder] { text.possibleOrders }

    /// Whether the two orders give different dates (`03/04` does, `05/05` does not).
    var isAmbiguous: Bool { text.isAmbiguousOrder }

    /// The instant, with `order` for a year-last date and `defaultOffset` (minutes east
    /// of UTC) when the text gives no zone; nil when the fields are not a valid time,
    /// or when the date is ambiguous and no order is given.
    func instant(order: DateOrder?, defaultOffset: Int) -> Instant? {
        let order = order ?? (possibleOrders.count == 1 ? possibleOrders[0] : nil)
        if case .yearLast = text.date, let order, !text.allows(order) { return nil }
        guard let civil = text.local(order: order) else { return nil }
        let offset = offsetMinutes ?? defaultOffset
        return Instant.checked(ticks: civil.ticksAsIfUTC - Int64(offset) * 60 * Instant.ticksPerSecond)  // nil past years 1-9999
    }

    /// Reads `2020-02-28T16:20:31Z`, `2020-02-28 16:20:31.5+01:00`, `2020/02/28 16:20`,
    /// `2/28/2020 4:20:31 PM`, `28-2-2020 16:20:31`, `28.02.2020 16:20`, a date alone,
    /// and a trailing zone (`Z`, `UTC`, `GMT`, `+01:00`, `+0100`, `+1`, `UTC+01:00`).
    static func parse(_ text: String) -> ExportTime? {
        guard var read = CultureDateReader.read(text), read.unreadWords == 0 else { return nil }
        if case .twoDigitYear = read.date { return nil }   // 03/04/05 could be anything
        if read.clock != nil {
            guard let hours = read.hours, hours.second == nil else { return nil }
            read.clock!.hour = hours.first
            read.clock!.halfDay = nil
            read.clock!.second = min(read.clock!.second, 59)   // a leap second stays in its minute
        }
        switch read.date {
        case .yearLast: guard !read.possibleOrders.isEmpty else { return nil }
        default: guard read.local(order: nil) != nil else { return nil }
        }
        return ExportTime(text: read)
    }

    /// Minutes east of UTC from `+01:00`, `-0500`, `+1`, `Z`, `UTC`, `0`.
    static func parseOffset(_ text: String) -> Int? { CultureDateReader.offset(text) }
}
