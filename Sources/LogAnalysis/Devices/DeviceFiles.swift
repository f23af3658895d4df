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
    /// Whether device lines can come (a rule gives `device.uploaded` or `device.removed`):
    /// only then are the devices not kept held as hashes, to know a line naming one.
    package var deviceLines: Bool

    package init(dateOrder: DateOrder? = nil, utcOffsetMinutes: Int? = nil, deviceLines: Bool = true) {
        self.dateOrder = dateOrder
        self.utcOffsetMinutes = utcOffsetMinutes
        self.deviceLines = deviceLines
    }

    /// Minutes east of UTC from `+01:00`, `-0500`, `+1`, `UTC+2`, `Z`, `0`; nil when it is not an offset.
    package static func parseOffset(_ text: String) -> Int? { ExportTime.parseOffset(text) }
}

/// One device row of the inventory.
package struct InventoryDevice: Sendable, Equatable {
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

/// The `--inventory` CSV, read and checked. Read from a file, it keeps only the devices a
/// review judges (distribution points sharing one certificate, and with `--cloud` the
/// devices the export lacks), counts the rest, and holds their names as hashes, so a
/// million-row inventory stays within a few MiB (issue 14, item 7; docs/devices.md).
package struct Inventory: Sendable {
    /// The file as named on the command line.
    package var file: String
    /// The devices kept: every one when read whole (`parse`), the judged ones from a file.
    package var devices: [InventoryDevice]
    /// The first `SkippedRows.kept` rows left out, in line order; `skippedCount` counts them all.
    package var skipped: [SkippedRow]
    package var skippedCount = 0
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
    /// Devices read, distribution points among them, and those sharing one certificate.
    package var deviceCount = 0
    package var distributionPoints = 0
    package var sharedCertificate = 0
    /// Devices the cloud export it was read against lists; nil when read without one.
    package var listedInCloud: Int?
    /// The devices not kept, by name (full and first label) and by resource ID, so a device
    /// line naming one is known as an inventory device; nil when every device is kept, or
    /// when no rule gives device lines (`InventoryReadOptions.deviceLines`).
    package var others: OtherDevices?

    package struct OtherDevices: Sendable {
        package var names = NameHashes()
        package var resourceIds = NameHashes()
    }

    package static let required: [DeviceColumn] = [.name, .isDistributionPoint, .clientThumbprint, .dpThumbprint, .lastChange]
    package static let optional: [DeviceColumn] = [.resourceId, .client]

    /// Reads the file at `path`, streaming, keeping only the devices a review judges against
    /// `cloud` (see the type); the error names the file.
    package static func load(path: String, options: InventoryReadOptions = InventoryReadOptions(),
                             cloud: CloudExport? = nil) throws(DeviceFileError) -> Inventory {
        try checkReadable(path, kind: .inventory)
        return try read(file: path, kind: .inventory, options: options, keep: .judged(cloud: cloud)) { () throws(InputError) in
            try FileSource(path: path)
        }
    }

    /// Reads `bytes` whole, keeping every device.
    package static func parse(_ bytes: [UInt8], file: String, options: InventoryReadOptions = InventoryReadOptions()) throws(DeviceFileError) -> Inventory {
        try read(file: file, kind: .inventory, options: options, keep: .all) { MemorySource(bytes) }
    }

    enum Keep {
        case all
        case judged(cloud: CloudExport?)
    }

    /// A row that passed every check but the duplicate one and the times' instants.
    struct Candidate {
        var device: InventoryDevice
        var times: [(text: String, time: ExportTime)]
    }

    /// Two streamed passes: the first finds the names that repeat (a hash a row,
    /// sorted); the second checks every row again, settles the day/month order from the
    /// dates and keeps the devices wanted, whose times become instants at the end.
    static func read(file: String, kind: DeviceFileKind, options: InventoryReadOptions, keep: Keep,
                     open: () throws(InputError) -> any ByteSource) throws(DeviceFileError) -> Inventory {
        // Pass 1: the header, and each good row's name hash with its line.
        var firstTable: CSVTable?
        var names: [UInt64] = []
        var hashSlots = 0   // names and distinct first labels, to hold the others' hashes in one allocation
        var map: ColumnMap?
        try stream(open, file: file, kind: kind, header: { table in
            firstTable = table
            map = ColumnMap(header: table.header, wanted: required + optional)
        }, row: { row in
            guard let map, let table = firstTable, case .success(let candidate) = candidate(row, table: table, map: map) else { return }
            names.append(NameHashes.hash(DeviceName.key(candidate.device.name)))
            hashSlots += NameHashes.slots(forDevice: candidate.device.name)
        })
        guard let table = firstTable, let map else { throw DeviceFileError.empty(.inventory, file: file) }
        try requireColumns(required, in: map, table: table, file: file, kind: .inventory)
        let goodRows = names.count
        let repeats = repeatedHashes(&names)
        var firstLine: [UInt64: Int] = [:]   // of each repeated name: the line it is first on

        var inventory = Inventory(file: file, devices: [], skipped: [], notes: [], columns: [:],
                                  delimiter: table.delimiterName, encoding: table.encoding, timesAssumedUTC: 0)
        for field in required + optional where map.has(field) { inventory.columns[field] = map.headerName(field) }
        inventory.notes = map.doubles.map { DeviceFileNote.ambiguousColumn($0.0, chosen: $0.1, other: $0.2) }
        var cloud: CloudExport?
        if case .judged(let export) = keep {
            cloud = export
            if options.deviceLines {
                inventory.others = OtherDevices()
                inventory.others!.names.reserve(hashSlots)
                inventory.others!.resourceIds.reserve(goodRows)
            }
            inventory.listedInCloud = export == nil ? nil : 0
        }

        // Pass 2: every check, the file's dates for the order, the counts and the devices kept.
        var kept: [Candidate] = []
        var dates = DateOrderEvidence()
        var skipped = SkippedRows()
        try stream(open, file: file, kind: kind, header: { _ in }, row: { row in
            var candidate: Candidate
            switch Inventory.candidate(row, table: table, map: map) {
            case .success(let found): candidate = found
            case .failure(let reason): return skipped.add(SkippedRow(line: row.line, reason: reason))
            }
            if !repeats.isEmpty {
                let hash = NameHashes.hash(DeviceName.key(candidate.device.name))
                if repeats.contains(hash) {
                    if let first = firstLine[hash] {
                        return skipped.add(SkippedRow(line: row.line, reason: .duplicate(device: candidate.device.name, firstLine: first)))
                    }
                    firstLine[hash] = row.line
                }
            }
            for (text, time) in candidate.times { dates.add(line: row.line, text: text, time: time) }
            // Which times can be read does not hang on the order still to be settled: a date
            // both orders can read makes a day either way (both numbers are 12 or less).
            for (text, time) in candidate.times {
                if let order = options.dateOrder, !time.possibleOrders.isEmpty, !time.possibleOrders.contains(order), !time.isAmbiguousSameDay {
                    return skipped.add(SkippedRow(line: row.line, reason: .wrongDateOrder(text: text, order: order)))
                }
                guard time.instant(order: options.dateOrder ?? time.possibleOrders.first, defaultOffset: options.utcOffsetMinutes ?? 0) != nil else {
                    return skipped.add(SkippedRow(line: row.line, reason: .invalidDate(text: text)))
                }
                if time.offsetMinutes == nil && options.utcOffsetMinutes == nil { inventory.timesAssumedUTC += 1 }
            }
            let device = candidate.device
            inventory.deviceCount += 1
            if device.isDistributionPoint { inventory.distributionPoints += 1 }
            if device.sharesCertificate { inventory.sharedCertificate += 1 }
            let listed = cloud?.lists(device.name)
            if listed == true { inventory.listedInCloud! += 1 }
            if case .all = keep {
                kept.append(candidate)
            } else if device.sharesCertificate || listed == false {
                kept.append(candidate)
            } else if inventory.others != nil {
                inventory.others!.names.insert(device: device.name)
                if let id = device.resourceId { inventory.others!.resourceIds.insert(id) }
            }
        })
        inventory.others?.names.seal()
        inventory.others?.resourceIds.seal()

        // The day/month order: the option, else what the file's unambiguous dates say.
        let order = try dates.settle(option: options.dateOrder, file: file, header: map.headerName(.lastChange))
        inventory.dateOrder = order.order
        inventory.dateOrderSource = order.source
        for entry in kept {
            var device = entry.device
            for (_, time) in entry.times {
                // Checked in pass 2; the settled order reads the same day.
                guard let instant = time.instant(order: order.order, defaultOffset: options.utcOffsetMinutes ?? 0) else { continue }
                if device.lastChange == nil || instant > device.lastChange! { device.lastChange = instant }
            }
            inventory.devices.append(device)
        }
        inventory.skipped = skipped.rows
        inventory.skippedCount = skipped.count
        guard inventory.deviceCount > 0 else {
            throw DeviceFileError.noUsableRow(file: file, skipped: skipped.count)
        }
        return inventory
    }

    /// The hashes that occur more than once in `names`; sorts `names` and empties it.
    static func repeatedHashes(_ names: inout [UInt64]) -> Set<UInt64> {
        names.sort()
        var repeats = Set<UInt64>()
        var index = 1
        while index < names.count {
            if names[index] == names[index - 1] { repeats.insert(names[index]) }
            index += 1
        }
        names = []
        return repeats
    }

    /// Every check of a row but the duplicate name and the times' instants.
    static func candidate(_ row: CSVTable.Row, table: CSVTable, map: ColumnMap) -> Result<Candidate, SkipReason> {
        let name: String
        switch Inventory.deviceName(of: row, header: table.header, map: map) {
        case .success(let found): name = found
        case .failure(let skipped): return .failure(skipped.reason)
        }
        let dpText = map.value(.isDistributionPoint, in: row.fields)
        guard let isDP = YesNo.parse(dpText) else {
            return .failure(.notYesNo(text: dpText, column: map.headerName(.isDistributionPoint)))
        }
        var thumbprints: [DeviceColumn: String] = [:]
        for field in [DeviceColumn.clientThumbprint, .dpThumbprint] {
            let text = map.value(field, in: row.fields)
            guard let normalized = Thumbprint.normalize(text) else { continue }
            guard Thumbprint.isValid(normalized) else {
                return .failure(.notThumbprint(text: text, column: map.headerName(field)))
            }
            thumbprints[field] = normalized
        }
        var client: Bool?
        if map.has(.client) {
            let text = map.value(.client, in: row.fields)
            if !text.isEmpty {
                guard let value = YesNo.parse(text) else {
                    return .failure(.notYesNo(text: text, column: map.headerName(.client)))
                }
                client = value
            }
        }
        var times: [(text: String, time: ExportTime)] = []
        for column in map.lastChange {
            let text = column < row.fields.count ? row.fields[column].trimmingSpaces : ""
            guard !text.isEmpty else { continue }
            guard let time = ExportTime.parse(text) else {
                return .failure(.unreadableTime(text: text, column: table.header[column]))
            }
            times.append((text: text, time: time))
        }
        let resource = map.value(.resourceId, in: row.fields)
        let device = InventoryDevice(name: name, resourceId: resource.isEmpty ? nil : resource, isDistributionPoint: isDP,
                                     clientThumbprint: thumbprints[.clientThumbprint], dpThumbprint: thumbprints[.dpThumbprint],
                                     lastChange: nil, lastChangeText: times.isEmpty ? nil : times.map(\.text).joined(separator: " / "),
                                     client: client, line: row.line)
        return .success(Candidate(device: device, times: times))
    }
}

/// The admin center's device list export (`--cloud`): which devices it lists. Read from a
/// file, it holds the names as hashes (`lists`) and reads the rows of the few devices a
/// review judges in a second pass (`fetchEntries`), so a million-row export stays small.
package struct CloudExport: Sendable {
    package struct Entry: Sendable {
        package var name: String
        package var managedBy: String?
        package var line: Int
    }

    package var file: String
    /// The rows kept: every one when read whole (`parse`); from a file, those `fetchEntries` asked for.
    package var entries: [Entry]
    /// The first `SkippedRows.kept` rows left out; `skippedCount` counts them all.
    package var skipped: [SkippedRow]
    package var skippedCount = 0
    package var notes: [DeviceFileNote]
    package var headerLine: Int
    package var hasManagedBy: Bool
    /// The rows that name a device.
    package var count = 0
    /// Every row's name and first label.
    private var listed = NameHashes()
    private var byKey: [String: Int] = [:]
    /// The file to read the rows from again; nil when every row is kept.
    private var path: String?
    private var fetched = false

    package static func load(path: String) throws(DeviceFileError) -> CloudExport {
        try checkReadable(path, kind: .cloudExport)
        var export = try read(file: path, keep: { _ in false }, hashNames: true) { () throws(InputError) in try FileSource(path: path) }
        export.path = path
        return export
    }

    package static func parse(_ bytes: [UInt8], file: String) throws(DeviceFileError) -> CloudExport {
        try read(file: file, keep: { _ in true }, hashNames: true) { MemorySource(bytes) }
    }

    /// Reads the export, streaming, keeping the rows `keep` takes (and with `hashNames`
    /// every row's names as hashes, for `lists`).
    static func read(file: String, keep: (String) -> Bool, hashNames: Bool,
                     open: () throws(InputError) -> any ByteSource) throws(DeviceFileError) -> CloudExport {
        var export: CloudExport?
        var map: ColumnMap?
        var skipped = SkippedRows()
        var columnsMissing: DeviceFileError?
        try Inventory.stream(open, file: file, kind: .cloudExport, header: { table in
            let columns = ColumnMap(header: table.header, wanted: [.name, .managedBy])
            do throws(DeviceFileError) {
                try Inventory.requireColumns([.name], in: columns, table: table, file: file, kind: .cloudExport)
            } catch {
                return columnsMissing = error
            }
            map = columns
            export = CloudExport(file: file, entries: [], skipped: [], notes: [], headerLine: table.headerLine, hasManagedBy: columns.has(.managedBy))
            // A name a line and, for an FQDN, its first label too: room for a quarter of them
            // FQDNs (more, and the hashes grow once).
            if hashNames, let lines = table.lineFeeds { export!.listed.reserve(lines + lines / 4 + 2) }
            export!.notes = columns.doubles.map { DeviceFileNote.ambiguousColumn($0.0, chosen: $0.1, other: $0.2) }
        }, row: { row in
            guard let map, export != nil else { return }
            switch Inventory.deviceName(of: row, header: map.header, map: map) {
            case .failure(let refused): skipped.add(refused)
            case .success(let name):
                export!.count += 1
                if hashNames { export!.listed.insert(device: name) }
                if keep(name) { export!.entries.append(Entry(name: name, managedBy: map.value(.managedBy, in: row.fields).nonEmpty, line: row.line)) }
            }
        })
        if let columnsMissing { throw columnsMissing }
        // Sealed where it was filled: sorted in a copy (`guard var`), the hashes would be held twice.
        export?.listed.seal()
        guard var export else { throw DeviceFileError.empty(.cloudExport, file: file) }
        export.skipped = skipped.rows
        export.skippedCount = skipped.count
        export.index()
        if export.count == 0 {
            export.notes.append(.listsNoDevice)
        }
        return export
    }

    /// Whether the export lists a device, by full name or by its first label (as `entry(for:)`);
    /// asked while the inventory is read, before `fetchEntries` lets the hashes go.
    package func lists(_ name: String) -> Bool {
        precondition(path == nil || !fetched, "CloudExport.lists after fetchEntries: ask entry(for:)")
        return listed.contains(DeviceName.key(name)) || listed.contains(DeviceName.shortKey(name))
    }

    /// Reads the file again for the rows that `entry(for:)` gives for `devices`: a row whose
    /// name or first label is one of theirs. The name hashes are let go then (a few MiB for
    /// a million rows): `entry(for:)` answers for those devices from here on.
    package mutating func fetchEntries(for devices: [InventoryDevice]) throws(DeviceFileError) {
        guard let path else { return }
        defer {
            listed = NameHashes()
            fetched = true
        }
        var wanted = Set<String>()
        for device in devices {
            wanted.insert(DeviceName.key(device.name))
            wanted.insert(DeviceName.shortKey(device.name))
        }
        let fetched = try Self.read(file: file, keep: { wanted.contains(DeviceName.key($0)) || wanted.contains(DeviceName.shortKey($0)) }, hashNames: false) {
            () throws(InputError) in try FileSource(path: path)
        }
        entries = fetched.entries
        index()
    }

    /// The first row for each name and first label.
    private mutating func index() {
        byKey = [:]
        for (index, entry) in entries.enumerated().reversed() {
            byKey[DeviceName.key(entry.name)] = index
            byKey[DeviceName.shortKey(entry.name)] = index
        }
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
    static func deviceName(of row: CSVTable.Row, header: [String], map: ColumnMap) -> Result<String, SkippedRow> {
        if let problem = row.problem.map(SkipReason.csv) ?? fieldCountProblem(row, header: header) {
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

extension Inventory {
    /// Streams a device file's rows (`CSVTable.stream`); a read error names the file.
    static func stream(_ open: () throws(InputError) -> any ByteSource, file: String, kind: DeviceFileKind,
                                           header: (CSVTable) -> Void, row: (CSVTable.Row) -> Void) throws(DeviceFileError) {
        do {
            _ = try CSVTable.stream(open, header: header, row: row)
        } catch {
            throw .unreadable(kind, path: file)
        }
    }
}

/// An error naming a file and why it cannot be read, before it is streamed.
func checkReadable(_ path: String, kind: DeviceFileKind) throws(DeviceFileError) {
    let files = FileManager.default
    var isDirectory = false
    guard files.fileExists(atPath: path, isDirectory: &isDirectory) else { throw .notFound(kind, path: path) }
    guard !isDirectory else { throw .isFolder(kind, path: path) }
    guard files.isReadableFile(atPath: path) else { throw .unreadable(kind, path: path) }
}

extension String {
    /// nil for the empty string.
    var nonEmpty: String? { isEmpty ? nil : self }
}

extension ExportTime {
    /// Day and month are the same number: the order does not matter.
    var isAmbiguousSameDay: Bool {
        guard case .yearLast(let first, let second) = layout else { return false }
        return first == second
    }
}
