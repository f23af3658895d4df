import LogInput
import LogRules
import FoundationEssentials

/// Which of the device files a problem is with.
package enum DeviceFileKind: String, Sendable, Equatable {
    case inventory
    case cloudExport = "cloud export"
}

/// A problem with `--inventory` or `--cloud` that stops the run (exit 2): an unreadable
/// file, a missing column, dates that cannot be read without guessing. The facts only; the
/// sentence is written where messages are (`DeviceFileError.message`, in LogFindings).
package enum DeviceFileError: Error, Sendable, Equatable {
    case notFound(DeviceFileKind, path: String)
    case isFolder(DeviceFileKind, path: String)
    case unreadable(DeviceFileKind, path: String)
    /// No header line at all.
    case empty(DeviceFileKind, file: String)
    /// Columns no header names; `found` are the header's names, `delimiter` its separator's name.
    case missingColumns(DeviceFileKind, file: String, missing: [DeviceColumn], found: [String], delimiter: String, headerLine: Int)
    /// A header and no row a device could be read from; `skipped` rows were refused.
    case noUsableRow(file: String, skipped: Int)
    /// Dates of one column settle the day/month order both ways, so `ambiguous` cannot be read.
    case datesDisagree(file: String, column: String, dayFirst: DateCell, monthFirst: DateCell, ambiguous: DateCell)
    /// `ambiguous` could be read either way and no date in the file settles it.
    case ambiguousDate(file: String, column: String, ambiguous: DateCell)

    /// A date cell named in a refusal: where it is, its text, and (for an ambiguous one) its two readings.
    package struct DateCell: Sendable, Equatable {
        package var line: Int
        package var text: String
        /// `a/b/year` as written: a is the month when the order is month first.
        package var first = 0, second = 0, year = 0
    }
}

/// How inventory times are read when the text leaves it open.
package struct InventoryReadOptions: Sendable {
    /// Day/month order for dates such as 03/04/2020 (`--inventory-date-order`);
    /// nil: taken from the file's own unambiguous dates, or refused.
    package var dateOrder: DateOrder?
    /// Minutes east of UTC for times written without a zone (`--inventory-utc-offset`);
    /// nil: read as UTC, and the report says so.
    package var utcOffsetMinutes: Int?

    package init(dateOrder: DateOrder? = nil, utcOffsetMinutes: Int? = nil) {
        self.dateOrder = dateOrder
        self.utcOffsetMinutes = utcOffsetMinutes
    }

    /// Minutes east of UTC from `+01:00`, `-0500`, `+1`, `UTC+2`, `Z`, `0`; nil when it is not an offset.
    package static func parseOffset(_ text: String) -> Int? { ExportTime.parseOffset(text) }
}

/// One device row of the inventory.
package struct InventoryDevice: Sendable {
    package var name: String
    package var resourceId: String?
    package var isDistributionPoint: Bool
    /// Normalized (upper-case hex), nil when the cell is empty.
    package var clientThumbprint: String?
    package var dpThumbprint: String?
    package var lastChange: Instant?
    /// The last-change cell(s) as written.
    package var lastChangeText: String?
    /// The Client column (`Yes`/`No`), when the export has one.
    package var client: Bool?
    package var line: Int

    /// The documented condition: a distribution point whose two certificates are one.
    package var sharesCertificate: Bool {
        isDistributionPoint && clientThumbprint != nil && clientThumbprint == dpThumbprint
    }
}

/// The `--inventory` CSV, read and checked.
package struct Inventory: Sendable {
    /// The file as named on the command line.
    package var file: String
    package var devices: [InventoryDevice]
    package var skipped: [SkippedRow]
    /// Notes for standard error that do not skip a row (a header two columns could be…).
    package var notes: [DeviceFileNote]
    /// The header each field was read from.
    package var columns: [DeviceColumn: String]
    package var delimiter: String
    package var encoding: String
    /// Times read without a zone and taken as UTC because no `--inventory-utc-offset` was given.
    package var timesAssumedUTC: Int
    /// The day/month order used, and where it came from (`option`, `file`), when any date needed one.
    package var dateOrder: DateOrder?
    package var dateOrderSource: String?

    package var distributionPoints: Int { devices.filter(\.isDistributionPoint).count }

    package static let required: [DeviceColumn] = [.name, .isDistributionPoint, .clientThumbprint, .dpThumbprint, .lastChange]
    package static let optional: [DeviceColumn] = [.resourceId, .client]

    /// Reads the file at `path`; the error names the file.
    package static func load(path: String, options: InventoryReadOptions = InventoryReadOptions()) throws(DeviceFileError) -> Inventory {
        try parse(readFile(path, kind: .inventory), file: path, options: options)
    }

    package static func parse(_ bytes: [UInt8], file: String, options: InventoryReadOptions = InventoryReadOptions()) throws(DeviceFileError) -> Inventory {
        guard let table = CSVTable.read(bytes) else {
            throw DeviceFileError.empty(.inventory, file: file)
        }
        let map = ColumnMap(header: table.header, wanted: required + optional)
        try requireColumns(required, in: map, table: table, file: file, kind: .inventory)

        var inventory = Inventory(file: file, devices: [], skipped: [], notes: [], columns: [:],
                                  delimiter: table.delimiterName, encoding: table.encoding, timesAssumedUTC: 0)
        for field in required + optional where map.has(field) { inventory.columns[field] = map.headerName(field) }
        inventory.notes = map.doubles.map { DeviceFileNote.ambiguousColumn($0.0, chosen: $0.1, other: $0.2) }

        // First pass: every cell but the times; times are parsed and kept for the file-wide day/month order.
        struct Pending { var device: InventoryDevice; var times: [(text: String, time: ExportTime)] }
        var pending: [Pending] = []
        var seen: [String: Int] = [:]
        for row in table.rows {
            let name: String
            switch Inventory.deviceName(of: row, table: table, map: map) {
            case .success(let found): name = found
            case .failure(let skipped):
                inventory.skipped.append(skipped)
                continue
            }
            let dpText = map.value(.isDistributionPoint, in: row.fields)
            guard let isDP = YesNo.parse(dpText) else {
                inventory.skipped.append(SkippedRow(line: row.line, reason: .notYesNo(text: dpText, column: map.headerName(.isDistributionPoint))))
                continue
            }
            var thumbprints: [DeviceColumn: String] = [:]
            var bad: SkipReason?
            for field in [DeviceColumn.clientThumbprint, .dpThumbprint] {
                let text = map.value(field, in: row.fields)
                guard let normalized = Thumbprint.normalize(text) else { continue }
                guard Thumbprint.isValid(normalized) else {
                    bad = .notThumbprint(text: text, column: map.headerName(field))
                    break
                }
                thumbprints[field] = normalized
            }
            if let bad {
                inventory.skipped.append(SkippedRow(line: row.line, reason: bad))
                continue
            }
            var client: Bool?
            if map.has(.client) {
                let text = map.value(.client, in: row.fields)
                if !text.isEmpty {
                    guard let value = YesNo.parse(text) else {
                        inventory.skipped.append(SkippedRow(line: row.line, reason: .notYesNo(text: text, column: map.headerName(.client))))
                        continue
                    }
                    client = value
                }
            }
            var times: [(text: String, time: ExportTime)] = []
            var badTime: SkipReason?
            for column in map.lastChange {
                let text = column < row.fields.count ? row.fields[column].trimmingSpaces : ""
                guard !text.isEmpty else { continue }
                guard let time = ExportTime.parse(text) else {
                    badTime = .unreadableTime(text: text, column: table.header[column])
                    break
                }
                times.append((text: text, time: time))
            }
            if let badTime {
                inventory.skipped.append(SkippedRow(line: row.line, reason: badTime))
                continue
            }
            let key = DeviceName.key(name)
            if let first = seen[key] {
                inventory.skipped.append(SkippedRow(line: row.line, reason: .duplicate(device: name, firstLine: first)))
                continue
            }
            seen[key] = row.line
            let resource = map.value(.resourceId, in: row.fields)
            let device = InventoryDevice(name: name, resourceId: resource.isEmpty ? nil : resource, isDistributionPoint: isDP,
                                         clientThumbprint: thumbprints[.clientThumbprint], dpThumbprint: thumbprints[.dpThumbprint],
                                         lastChange: nil, lastChangeText: times.isEmpty ? nil : times.map(\.text).joined(separator: " / "),
                                         client: client, line: row.line)
            pending.append(Pending(device: device, times: times))
        }

        // The day/month order: the option, else what the file's unambiguous dates say.
        let order = try settleDateOrder(pending.flatMap { entry in entry.times.map { (line: entry.device.line, text: $0.text, time: $0.time) } },
                                        option: options.dateOrder, file: file, header: map.headerName(.lastChange))
        inventory.dateOrder = order.order
        inventory.dateOrderSource = order.source
        for entry in pending {
            var device = entry.device
            var bad: SkipReason?
            for (text, time) in entry.times {
                if let order = options.dateOrder, !time.possibleOrders.isEmpty, !time.possibleOrders.contains(order), !time.isAmbiguousSameDay {
                    bad = .wrongDateOrder(text: text, order: order)
                    break
                }
                guard let instant = time.instant(order: order.order, defaultOffset: options.utcOffsetMinutes ?? 0) else {
                    bad = .invalidDate(text: text)
                    break
                }
                if time.offsetMinutes == nil && options.utcOffsetMinutes == nil { inventory.timesAssumedUTC += 1 }
                if device.lastChange == nil || instant > device.lastChange! { device.lastChange = instant }
            }
            if let bad {
                inventory.skipped.append(SkippedRow(line: device.line, reason: bad))
                continue
            }
            inventory.devices.append(device)
        }
        inventory.skipped.sort { $0.line < $1.line }
        guard !inventory.devices.isEmpty else {
            throw DeviceFileError.noUsableRow(file: file, skipped: inventory.skipped.count)
        }
        return inventory
    }

    /// The order for year-last dates, or an error when one is needed and nothing settles it.
    static func settleDateOrder(_ times: [(line: Int, text: String, time: ExportTime)], option: DateOrder?, file: String,
                                header: String) throws(DeviceFileError) -> (order: DateOrder?, source: String?) {
        let yearLast = times.filter { if case .yearLast = $0.time.layout { true } else { false } }
        guard !yearLast.isEmpty else { return (nil, nil) }
        if let option { return (option, "option") }
        var implied: [DateOrder: (line: Int, text: String)] = [:]
        for entry in yearLast where entry.time.possibleOrders.count == 1 {
            let order = entry.time.possibleOrders[0]
            if implied[order] == nil { implied[order] = (entry.line, entry.text) }
        }
        let ambiguous = yearLast.filter(\.time.isAmbiguous)
        if implied.count == 1 { return (implied.keys.first!, "file") }
        guard let first = ambiguous.first else { return (nil, nil) }
        var cell = DeviceFileError.DateCell(line: first.line, text: first.text)
        if case .yearLast(let a, let b) = first.time.layout { (cell.first, cell.second, cell.year) = (a, b, first.time.year) }
        if implied.count == 2, let day = implied[.dayFirst], let month = implied[.monthFirst] {
            throw DeviceFileError.datesDisagree(file: file, column: header, dayFirst: .init(line: day.line, text: day.text),
                                                monthFirst: .init(line: month.line, text: month.text), ambiguous: cell)
        }
        throw DeviceFileError.ambiguousDate(file: file, column: header, ambiguous: cell)
    }
}

/// The admin center's device list export (`--cloud`): which devices it lists.
package struct CloudExport: Sendable {
    package struct Entry: Sendable {
        package var name: String
        package var managedBy: String?
        package var line: Int
    }

    package var file: String
    package var entries: [Entry]
    package var skipped: [SkippedRow]
    package var notes: [DeviceFileNote]
    package var headerLine: Int
    package var hasManagedBy: Bool
    private var byKey: [String: Int] = [:]

    package static func load(path: String) throws(DeviceFileError) -> CloudExport {
        try parse(readFile(path, kind: .cloudExport), file: path)
    }

    package static func parse(_ bytes: [UInt8], file: String) throws(DeviceFileError) -> CloudExport {
        guard let table = CSVTable.read(bytes) else {
            throw DeviceFileError.empty(.cloudExport, file: file)
        }
        let map = ColumnMap(header: table.header, wanted: [.name, .managedBy])
        try Inventory.requireColumns([.name], in: map, table: table, file: file, kind: .cloudExport)
        var export = CloudExport(file: file, entries: [], skipped: [], notes: [], headerLine: table.headerLine, hasManagedBy: map.has(.managedBy))
        export.notes = map.doubles.map { DeviceFileNote.ambiguousColumn($0.0, chosen: $0.1, other: $0.2) }
        for row in table.rows {
            let name: String
            switch Inventory.deviceName(of: row, table: table, map: map) {
            case .success(let found): name = found
            case .failure(let skipped):
                export.skipped.append(skipped)
                continue
            }
            let managedBy = map.value(.managedBy, in: row.fields)
            export.entries.append(Entry(name: name, managedBy: managedBy.isEmpty ? nil : managedBy, line: row.line))
        }
        for (index, entry) in export.entries.enumerated().reversed() {
            export.byKey[DeviceName.key(entry.name)] = index
            export.byKey[DeviceName.shortKey(entry.name)] = index
        }
        if export.entries.isEmpty {
            export.notes.append(.listsNoDevice)
        }
        return export
    }

    /// The export's row for a device, by full name or by its first label.
    package func entry(for name: String) -> Entry? {
        (byKey[DeviceName.key(name)] ?? byKey[DeviceName.shortKey(name)]).map { entries[$0] }
    }
}

extension Inventory {
    static func requireColumns(_ fields: [DeviceColumn], in map: ColumnMap, table: CSVTable, file: String, kind: DeviceFileKind) throws(DeviceFileError) {
        let missing = fields.filter { !map.has($0) }
        guard !missing.isEmpty else { return }
        throw DeviceFileError.missingColumns(kind, file: file, missing: missing, found: table.header.filter { !$0.isEmpty },
                                             delimiter: table.delimiterName, headerLine: table.headerLine)
    }

    /// A row's device name, or why the row is skipped: it cannot be read, has the wrong number of
    /// values, or names no device. The inventory and the cloud export check rows alike.
    static func deviceName(of row: CSVTable.Row, table: CSVTable, map: ColumnMap) -> Result<String, SkippedRow> {
        if let problem = row.problem.map(SkipReason.csv) ?? fieldCountProblem(row, header: table.header) {
            return .failure(SkippedRow(line: row.line, reason: problem))
        }
        let name = map.value(.name, in: row.fields)
        guard !name.isEmpty else {
            return .failure(SkippedRow(line: row.line, reason: .noName(column: map.headerName(.name))))
        }
        return .success(name)
    }

    /// A row with more values than the header has columns, or fewer.
    static func fieldCountProblem(_ row: CSVTable.Row, header: [String]) -> SkipReason? {
        var count = row.fields.count
        while count > header.count, row.fields[count - 1].trimmingSpaces.isEmpty { count -= 1 }
        return count == header.count ? nil : .fieldCount(values: count, columns: header.count)
    }
}

/// The bytes of a file, or an error naming it and why it cannot be read.
func readFile(_ path: String, kind: DeviceFileKind) throws(DeviceFileError) -> [UInt8] {
    let files = FileManager.default
    var isDirectory = false
    guard files.fileExists(atPath: path, isDirectory: &isDirectory) else { throw .notFound(kind, path: path) }
    guard !isDirectory else { throw .isFolder(kind, path: path) }
    guard files.isReadableFile(atPath: path), let data = files.contents(atPath: path) else {
        throw .unreadable(kind, path: path)
    }
    return [UInt8](data)
}

extension ExportTime {
    /// Day and month are the same number: the order does not matter.
    var isAmbiguousSameDay: Bool {
        guard case .yearLast(let first, let second) = layout else { return false }
        return first == second
    }
}
