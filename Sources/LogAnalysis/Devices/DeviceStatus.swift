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
    /// The inventory row first, then the cycles, the cloud export row and the device lines, each with its kind.
    package var evidence: [DeviceEvidence] = []
    /// Why this state, as facts; the findings stage words them.
    package var reasoning: Reasoning
    /// How the cloud export and device lines settled an undetermined device, when they did.
    package var settlement: Settlement?
    package var check: Check = .unchecked
    package var confirmations: [Observation] = []
    package var contradictions: [Observation] = []
    /// Whether the cloud export lists it; nil without `--cloud`.
    package var inCloudExport: Bool?
    /// The export's Managed by value, when it lists the device.
    package var managedBy: String?
    /// The inventory's Client column, when it has one.
    package var client: Bool?
    package var isDistributionPoint = false
    /// The inventory row.
    package var inventoryLine = 0

    package init(name: String, resourceId: String?, reason: String, state: State, reasoning: Reasoning) {
        self.name = name
        self.resourceId = resourceId
        self.reason = reason
        self.state = state
        self.reasoning = reasoning
    }

    /// Sets `check` from the confirmations and contradictions.
    mutating func settleCheck() {
        check = !contradictions.isEmpty ? .contradicted : !confirmations.isEmpty ? .confirmed : .unchecked
    }

}

extension DeviceStatus {
    /// Where the device's last change falls on the upload timeline, and so why
    /// it has its state. Times are the facts the words need: the change, the
    /// full sync (nil: at onboarding, before these logs), the cycles that
    /// decided it, the delta cycles that failed and were passed over.
    package enum Reasoning: Sendable, Equatable {
        /// Changed at or before the full sync, which included it, and not since: at risk.
        case changedBeforeFullSync(change: Instant, fullSync: Instant?)
        /// Changed after the full sync: the first delta cycle after the change that did not fail left it out.
        case changedAfterFullSync(change: Instant, fullSync: Instant?, droppedAt: Instant?, failed: [Instant])
        /// Changed after the full sync and after the last cycle in the logs: the next delta cycle drops it.
        case changedAfterLastCycle(change: Instant, fullSync: Instant?, lastCycle: Instant?, nextRun: Instant?, failed: [Instant])
        /// The inventory gives no last change time.
        case noChangeTime
        /// The logs hold no upload cycle to place the change against.
        case noCycles(change: Instant)
        /// Changed before the first cycle in logs that hold no full sync: before or after onboarding cannot be told.
        case beforeFirstCycle(change: Instant, firstCycle: Instant)
        /// Not affected by the shared certificate and not in the cloud export; the Client column when the inventory has one.
        case notInCloudExport(client: Bool?)
    }

    /// How the sources settled an undetermined device: the observations it rests on.
    package enum Settlement: Sendable, Equatable {
        /// Still listed, or last named uploaded: at risk.
        case stillUploaded(by: [Observation])
        /// Not listed, or last named removed: dropped, at the removal line's time when there is one.
        case leftOut(by: [Observation], removedAt: Instant?)
    }

    /// What one source says about the device, and what it was weighed against:
    /// a confirmation or a contradiction of the state.
    package struct Observation: Sendable, Equatable {
        package enum Source: Sendable, Equatable {
            /// The cloud export lists the device (with its Managed by value) or does not.
            case cloudExport(listed: Bool, managedBy: String?)
            /// A device line (a user rule) names it uploaded or removed.
            case deviceLine(removed: Bool, at: Instant?, rule: String)
        }

        package enum Context: Sendable, Equatable {
            /// Nothing to weigh it against: the source agrees with the state.
            case plain
            /// The last thing the device lines say of it (an undetermined device).
            case lastWord
            /// Though it dropped at this time.
            case afterDrop(Instant)
            /// Though by the inventory it has not changed since the full sync at this time.
            case unchangedSinceFullSync(Instant)
            /// Named uploaded in a delta cycle after the full sync, though unchanged by the inventory.
            case deltaAfterFullSync
            /// Named uploaded during the full sync, as documented.
            case inFullSync
            /// Changed after the last cycle and still listed: not dropped yet.
            case notDroppedYet
            /// Changed after the last cycle and not listed: as a drop after the logs end would leave it.
            case dropAfterLogs
            /// Named uploaded, yet the cloud export does not list it.
            case notInCloudExport
        }

        package var source: Source
        package var context: Context

        package init(_ source: Source, _ context: Context = .plain) {
            self.source = source
            self.context = context
        }
    }
}

/// What kind of source a line of a device's evidence is, so that the findings
/// pick lines by kind and the report labels them.
package enum DeviceEvidenceKind: String, Sendable, CaseIterable {
    /// The inventory row.
    case inventory
    /// The cloud export's row for it, or its header when it does not list it.
    case cloudExport
    /// A device line from a user rule.
    case logLine
    /// The first line of the full sync it was judged against.
    case fullSync
    /// The first line of the delta cycle that left it out.
    case firstDeltaAfterChange
    /// The first line of the last upload cycle in the logs (it changed after it).
    case lastCycle
}

/// One line of a device's evidence and its kind: a log line as the log has it, or a row of
/// a device file as facts (`row`), whose words LogFindings writes (`DeviceEvidence.text`).
package struct DeviceEvidence: Sendable, Equatable {
    package var kind: DeviceEvidenceKind
    /// Where the line is; its text is the log's own, empty for a device file's row.
    package var evidence: Evidence
    package var row: DeviceFileRow?

    package init(_ kind: DeviceEvidenceKind, _ evidence: Evidence, row: DeviceFileRow? = nil) {
        self.kind = kind
        self.evidence = evidence
        self.row = row
    }
}

/// What a device file says of a device, as evidence.
package enum DeviceFileRow: Sendable, Equatable {
    /// Its inventory row.
    case inventory(InventoryDevice)
    /// The cloud export's row that lists it, by the name written there.
    case listed(name: String, managedBy: String?)
    /// The cloud export does not list it among the `listed` devices it does (at its header).
    case notListed(listed: Int)
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
