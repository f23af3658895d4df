import LogInput
import LogRules
/// A device the upload leaves out, or will, and why (docs/devices.md).
package struct DeviceStatus: Sendable {
    package enum State: String, Sendable, CaseIterable {
        /// Left out of the upload at a delta cycle (`droppedAt`, when the logs show it).
        case dropped
        /// Still uploaded; its next change drops it (or, changed after the last cycle in
        /// the logs, the next delta cycle does).
        case atRisk = "at-risk"
        /// Affected, but the logs cannot place its last change against the full sync
        /// and no cloud export or device line settles it.
        case undetermined
        /// Not affected, and not in the cloud export: missing for another reason.
        case missing
    }

    /// What the cloud export and device-level log lines say about the state.
    package enum Check: String, Sendable {
        /// At least one source agrees and none disagrees.
        case confirmed
        /// A source disagrees (`contradictions` says which).
        case contradicted
        /// No cloud export and no device line for it.
        case unchecked
    }

    /// The `reason` values.
    package enum Reason {
        /// A distribution point that uses one PKI certificate for the distribution point and its client.
        package static let sharedDPCertificate = "shared-dp-certificate"
        /// Not in the cloud export, and not affected by the shared certificate.
        package static let notInCloudExport = "not-in-cloud-export"
    }

    package var name: String
    package var resourceId: String?
    package var reason: String
    package var state: State
    package var droppedAt: Instant?
    package var lastChange: Instant?
    package var evidence: [Evidence] = []
    /// One or two sentences: why this state.
    package var why: String = ""
    package var check: Check = .unchecked
    package var confirmations: [String] = []
    package var contradictions: [String] = []
    /// Whether the cloud export lists it; nil without `--cloud`.
    package var inCloudExport: Bool?
    /// The export's Managed by value, when it lists the device.
    package var managedBy: String?
    /// The inventory's Client column, when it has one.
    package var client: Bool?
    package var isDistributionPoint = false
    /// The inventory row.
    package var inventoryLine = 0
    /// A short phrase for a finding's detail: `changed 2021-03-08 17:58 UTC, after the full sync`.
    package var brief = ""

    package init(name: String, resourceId: String?, reason: String, state: State) {
        self.name = name
        self.resourceId = resourceId
        self.reason = reason
        self.state = state
    }

    /// Sets `check` from the confirmations and contradictions.
    mutating func settleCheck() {
        check = !contradictions.isEmpty ? .contradicted : !confirmations.isEmpty ? .confirmed : .unchecked
    }
}

/// What the device check read and how: shown so that a report with no device
/// in it still says the check ran (`deviceCheck` in the JSON report).
package struct DeviceCheck: Sendable {
    package var inventory: String
    package var devices: Int
    package var distributionPoints: Int
    package var sharedCertificate: Int
    package var skippedRows: Int
    /// Inventory times read as UTC for want of a zone and of `--inventory-utc-offset`.
    package var timesAssumedUTC: Int
    /// `dmy` or `mdy` when a date needed it, and whether the option or the file settled it.
    package var dateOrder: DateOrder?
    package var dateOrderSource: String?
    package var cloud: String?
    package var cloudDevices: Int?
    /// Inventory devices the cloud export lists.
    package var inventoryDevicesListed: Int?
    /// `device.uploaded` / `device.removed` events, and those naming no inventory device.
    package var deviceEvents = 0
    package var unmatchedDeviceEvents = 0
    /// The full sync the devices were judged against, when the logs hold one.
    package var fullSync: Instant?
    package var fullSyncEvidence: Evidence?
    package var cycles = 0

    package init(inventory: String, devices: Int, distributionPoints: Int, sharedCertificate: Int, skippedRows: Int, timesAssumedUTC: Int) {
        self.inventory = inventory
        self.devices = devices
        self.distributionPoints = distributionPoints
        self.sharedCertificate = sharedCertificate
        self.skippedRows = skippedRows
        self.timesAssumedUTC = timesAssumedUTC
    }
}
