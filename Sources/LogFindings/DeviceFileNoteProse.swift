import LogAnalysis

extension DeviceFileNote {
    /// The note as standard error says it after `FILE:`.
    package var sentence: String {
        switch self {
        case .ambiguousColumn(let column, let chosen, let other):
            "columns '\(chosen)' and '\(other)' could both be the \(column.label); '\(chosen)' is used"
        case .listsNoDevice:
            "it lists no device, so every inventory device counts as missing from the admin center"
        }
    }
}

extension DeviceColumn {
    /// How a message names the column.
    package var label: String {
        switch self {
        case .name: "device name"
        case .resourceId: "resource ID"
        case .isDistributionPoint: "is distribution point"
        case .clientThumbprint: "client certificate thumbprint"
        case .dpThumbprint: "distribution point certificate thumbprint"
        case .lastChange: "last change"
        case .client: "client"
        case .managedBy: "managed by"
        }
    }
}
