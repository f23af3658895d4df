import LogInput
import LogRules
/// Which column of an export holds what: header names matched leniently
/// (case, spaces, underscores, hyphens and punctuation ignored, common
/// synonyms accepted). docs/devices.md lists the accepted names.
package enum DeviceColumn: String, CaseIterable, Sendable {
    case name
    case resourceId
    case isDistributionPoint
    case clientThumbprint
    case dpThumbprint
    case lastChange
    case client
    case managedBy

    /// Header names a message suggests, as an admin would write them.
    package var examples: [String] {
        switch self {
        case .name: ["Name", "Device Name", "NetBIOS Name"]
        case .resourceId: ["ResourceID", "Resource ID"]
        case .isDistributionPoint: ["Is Distribution Point", "DP"]
        case .clientThumbprint: ["Client Certificate Thumbprint", "Client Thumbprint"]
        case .dpThumbprint: ["DP Certificate Thumbprint", "Distribution Point Certificate Thumbprint"]
        case .lastChange: ["Last Change", "Last Modified", "Last Heartbeat"]
        case .client: ["Client"]
        case .managedBy: ["Managed by"]
        }
    }

    /// Normalized header names that mean this column, best first.
    var synonyms: [String] {
        switch self {
        case .name:
            ["name", "devicename", "computername", "netbiosname", "machinename", "hostname", "servername",
             "systemname", "computer", "device", "name0", "netbiosname0"]
        case .resourceId:
            ["resourceid", "resid", "machineid", "resourceid0"]
        case .isDistributionPoint:
            ["isdistributionpoint", "distributionpoint", "isdp", "dp", "dprole", "distributionpointrole",
             "hasdistributionpointrole", "hasdprole"]
        case .clientThumbprint:
            ["clientcertificatethumbprint", "clientcertthumbprint", "clientthumbprint",
             "clientauthenticationcertificatethumbprint", "clientauthcertificatethumbprint", "clientauthcertthumbprint",
             "clientauththumbprint", "clientpkicertificatethumbprint", "clientpkithumbprint",
             "clientcertificate", "clientcert"]
        case .dpThumbprint:
            ["dpcertificatethumbprint", "dpcertthumbprint", "dpthumbprint", "distributionpointcertificatethumbprint",
             "distributionpointcertthumbprint", "distributionpointthumbprint", "dppkicertificatethumbprint",
             "dppkithumbprint", "dpcertificate", "dpcert", "distributionpointcertificate"]
        case .lastChange:
            ["lastchange", "lastchanged", "lastchangetime", "lastchangedate", "lastmodified", "lastmodifiedtime",
             "lastmodifieddate", "lastmodifiedon", "lastheartbeat", "lastheartbeattime", "lastheartbeatdate",
             "lastupdate", "lastupdated", "lastupdatetime", "lasthardwarescan", "lasthwscan", "lastinventory",
             "lastinventorytime", "lastpropertychange", "lastddr", "lastddrtime"]
        case .client:
            ["client", "isclient", "clientinstalled", "hasclient", "client0"]
        case .managedBy:
            ["managedby", "managementagent"]
        }
    }

    /// Lower-case letters and digits only: `Client_Certificate Thumbprint (SHA1)` → `clientcertificatethumbprintsha1`.
    static func normalize(_ header: String) -> String {
        var out = ""
        for scalar in header.lowercased().unicodeScalars where scalar.properties.isAlphabetic || (scalar.value >= 0x30 && scalar.value <= 0x39) {
            out.unicodeScalars.append(scalar)
        }
        return out
    }

    /// Whether a normalized header means this column: a synonym, or for the
    /// thumbprints and the last change, a header built the usual way
    /// (`…client…thumbprint…`, `last…modified…`).
    func matches(_ normalized: String) -> Int? {
        if let rank = synonyms.firstIndex(of: normalized) { return rank }
        let trimmed = normalized.hasSuffix("sha1") ? String(normalized.dropLast(4)) : normalized
        if trimmed != normalized, let rank = synonyms.firstIndex(of: trimmed) { return rank }
        switch self {
        case .clientThumbprint, .dpThumbprint:
            guard trimmed.contains("thumbprint") || trimmed.hasSuffix("thumb") else { return nil }
            let isDP = trimmed.hasPrefix("dp") || trimmed.contains("distributionpoint")
            let isClient = trimmed.contains("client")
            guard isDP != isClient else { return nil }
            return (self == .dpThumbprint) == isDP ? 100 : nil
        case .lastChange:
            guard trimmed.hasPrefix("last") else { return nil }
            let words = ["change", "modif", "heartbeat", "update", "hardwarescan", "hwscan", "inventory", "ddr"]
            return words.contains { trimmed.contains($0) } ? 100 : nil
        default:
            return nil
        }
    }
}

/// The columns found in a header: one per field, except the last change,
/// where every matching column counts (the latest time wins).
struct ColumnMap {
    var index: [DeviceColumn: Int] = [:]
    var lastChange: [Int] = []
    /// Fields two headers could be: (field, chosen header, other header).
    var doubles: [(DeviceColumn, String, String)] = []
    let header: [String]

    init(header: [String], wanted: [DeviceColumn]) {
        self.header = header
        var best: [DeviceColumn: (rank: Int, column: Int)] = [:]
        for (column, name) in header.enumerated() {
            let normalized = DeviceColumn.normalize(name)
            guard !normalized.isEmpty else { continue }
            for field in wanted {
                guard let rank = field.matches(normalized) else { continue }
                if field == .lastChange {
                    lastChange.append(column)
                } else if let current = best[field] {
                    if rank < current.rank {
                        doubles.append((field, name, header[current.column]))
                        best[field] = (rank, column)
                    } else {
                        doubles.append((field, header[current.column], name))
                    }
                } else {
                    best[field] = (rank, column)
                }
                break   // a header means one field
            }
        }
        index = best.mapValues(\.column)
        if let first = lastChange.first { index[.lastChange] = first }
    }

    func has(_ field: DeviceColumn) -> Bool { index[field] != nil }

    /// The header of a field's column, for messages.
    func headerName(_ field: DeviceColumn) -> String {
        if field == .lastChange && lastChange.count > 1 {
            return lastChange.map { header[$0] }.joined(separator: "/")
        }
        // Every caller names a column the map has (a required one, or one it checked).
        return index[field].map { header[$0] } ?? field.rawValue
    }

    func value(_ field: DeviceColumn, in row: [String]) -> String {
        guard let column = index[field], column < row.count else { return "" }
        return row[column].trimmingSpaces
    }
}
