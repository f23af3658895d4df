/// A device the upload leaves out, or will, and why (docs/devices.md).
public struct DeviceStatus: Sendable {
    public enum State: String, Sendable, CaseIterable {
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
    public enum Check: String, Sendable {
        /// At least one source agrees and none disagrees.
        case confirmed
        /// A source disagrees (`contradictions` says which).
        case contradicted
        /// No cloud export and no device line for it.
        case unchecked
    }

    /// The `reason` values.
    public enum Reason {
        /// A distribution point that uses one PKI certificate for the distribution point and its client.
        public static let sharedDPCertificate = "shared-dp-certificate"
        /// Not in the cloud export, and not affected by the shared certificate.
        public static let notInCloudExport = "not-in-cloud-export"
    }

    public var name: String
    public var resourceId: String?
    public var reason: String
    public var state: State
    public var droppedAt: Instant?
    public var lastChange: Instant?
    public var evidence: [Evidence] = []
    /// One or two sentences: why this state.
    public var why: String = ""
    public var check: Check = .unchecked
    public var confirmations: [String] = []
    public var contradictions: [String] = []
    /// Whether the cloud export lists it; nil without `--cloud`.
    public var inCloudExport: Bool?
    /// The export's Managed by value, when it lists the device.
    public var managedBy: String?
    /// The inventory's Client column, when it has one.
    public var client: Bool?
    public var isDistributionPoint = false
    /// The inventory row.
    public var inventoryLine = 0
    /// A short phrase for a finding's detail: `changed 2021-03-08 17:58 UTC, after the full sync`.
    var brief = ""

    public init(name: String, resourceId: String?, reason: String, state: State) {
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
public struct DeviceCheck: Sendable {
    public var inventory: String
    public var devices: Int
    public var distributionPoints: Int
    public var sharedCertificate: Int
    public var skippedRows: Int
    /// Inventory times read as UTC for want of a zone and of `--inventory-utc-offset`.
    public var timesAssumedUTC: Int
    /// `dmy` or `mdy` when a date needed it, and whether the option or the file settled it.
    public var dateOrder: DateOrder?
    public var dateOrderSource: String?
    public var cloud: String?
    public var cloudDevices: Int?
    /// Inventory devices the cloud export lists.
    public var inventoryDevicesListed: Int?
    /// `device.uploaded` / `device.removed` events, and those naming no inventory device.
    public var deviceEvents = 0
    public var unmatchedDeviceEvents = 0
    /// The full sync the devices were judged against, when the logs hold one.
    public var fullSync: Instant?
    public var fullSyncEvidence: Evidence?
    public var cycles = 0

    public init(inventory: String, devices: Int, distributionPoints: Int, sharedCertificate: Int, skippedRows: Int, timesAssumedUTC: Int) {
        self.inventory = inventory
        self.devices = devices
        self.distributionPoints = distributionPoints
        self.sharedCertificate = sharedCertificate
        self.skippedRows = skippedRows
        self.timesAssumedUTC = timesAssumedUTC
    }
}
