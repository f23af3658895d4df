import LogInput
import LogRules
import LogAnalysis
/// The words for a device's typed facts (`DeviceStatus.Reasoning`,
/// `Observation`, `Settlement`, the evidence kinds): the analysis decides,
/// this says it, for the device findings and the devices section and JSON
/// of the report alike (docs/devices.md).
package enum DeviceProse {
    /// `2020-02-28 16:35 UTC` (or `local` on a bias-less log): the minute is enough to place a change against 15-minute cycles.
    package static func when(_ instant: Instant) -> String {
        TimeText.toMinute(instant, on: Findings.clock, labelled: true)
    }

    static func when(_ instant: Instant?, unknown: String) -> String { instant.map(when) ?? unknown }

    /// A device file's row as evidence. The inventory row puts the certificates first:
    /// `DP01: distribution point, client certificate 9F3C…FF00 = distribution point certificate (one certificate); …`.
    static func row(_ row: DeviceFileRow) -> String {
        switch row {
        case .inventory(let device):
            let clientPrint = device.clientThumbprint.map(Thumbprint.short) ?? "none"
            var parts: [String] = []
            if device.sharesCertificate {
                parts.append("\(device.name): distribution point, client certificate \(clientPrint) = distribution point certificate (one certificate)")
            } else if device.isDistributionPoint {
                parts.append("\(device.name): distribution point, client certificate \(clientPrint), distribution point certificate \(device.dpThumbprint.map(Thumbprint.short) ?? "none")")
            } else {
                parts.append("\(device.name): not a distribution point, client certificate \(clientPrint)")
            }
            parts.append("last change \(device.lastChangeText ?? "empty")")
            if let client = device.client { parts.append("Client: \(client ? "Yes" : "No")") }
            if let id = device.resourceId { parts.append("resource ID \(id)") }
            return parts.joined(separator: "; ")
        case .listed(let name, let managedBy):
            return "listed: \(name)\(managedBy.map { ", Managed by \($0)" } ?? "")"
        case .notListed(let listed):
            return "not among the \(listed) device\(listed == 1 ? "" : "s") the export lists"
        }
    }

    /// Microsoft: changes take 5 to 10 minutes to show in the admin center, so an export this soon after a drop may predate it.
    static let adminCenterDelay = 600.0

    static func fullSync(_ start: Instant?) -> String {
        start.map { "the full sync at \(when($0))" } ?? "the full sync at onboarding (before these logs)"
    }

    static func failedNote(_ failed: [Instant]) -> String {
        guard !failed.isEmpty else { return "" }
        let one = failed.count == 1
        return " The delta cycle\(one ? "" : "s") at \(failed.map(when).joined(separator: ", ")) failed and \(one ? "is" : "are") not counted: cmlogcheck counts a drop from the first delta cycle that did not fail (its choice; what a failed upload does to the sync is not documented)."
    }
}

extension DeviceStatus {
    /// One or two sentences: why this state.
    package var why: String {
        var text: String
        switch reasoning {
        case .changedBeforeFullSync(let change, let full):
            text = "Last changed \(DeviceProse.when(change)), before \(DeviceProse.fullSync(full)), which included it; not changed since, so it is still uploaded. Its next update (Microsoft: any update to the device) drops it at the delta cycle after that."
        case .changedAfterFullSync(let change, let full, let droppedAt, let failed):
            text = "Changed \(DeviceProse.when(change)), after \(DeviceProse.fullSync(full)); the first delta cycle after the change, at \(DeviceProse.when(droppedAt, unknown: "?")), left it out (at the latest: a change after the full sync that the inventory does not show would have dropped it sooner).\(DeviceProse.failedNote(failed))"
        case .changedAfterLastCycle(let change, let full, let last, let nextRun, let failed):
            let due = nextRun.map { ", announced for \(DeviceProse.when($0))," } ?? ""
            text = "Changed \(DeviceProse.when(change)), after \(DeviceProse.fullSync(full)) and after the last upload cycle in these logs (\(DeviceProse.when(last, unknown: "?"))): by Microsoft's description the next delta cycle\(due) drops it.\(DeviceProse.failedNote(failed))"
        case .noChangeTime:
            text = "The inventory gives no last change time for it, so when it changed cannot be placed against the upload cycles."
        case .noCycles(let change):
            text = "These logs hold no upload cycle to place its last change (\(DeviceProse.when(change))) against."
        case .beforeFirstCycle(let change, let first):
            text = "It last changed \(DeviceProse.when(change)), before the first upload cycle in these logs (\(DeviceProse.when(first))), and the logs hold no full sync: whether that change came after the full sync at onboarding cannot be told from them."
        case .notInCloudExport(let client):
            text = "Not in the cloud export. It is not a distribution point sharing its certificate with its client, so the known issue does not explain it."
            switch client {
            case false?: text += " Its Client column is No: Microsoft documents that only devices with Yes in the Client column are uploaded."
            case true?: text += " Its Client column is Yes: the other documented cause is an upload limited to one collection that does not hold it."
            case nil: text += " Documented causes: a Client column that is not Yes, or an upload limited to one collection that does not hold it."
            }
        }
        switch settlement {
        case .stillUploaded(let by)?:
            text += " Still uploaded, by \(by.map(\.text).joined(separator: " and ")): at risk."
        case .leftOut(let by, let removedAt)?:
            text += " Left out, by \(by.map(\.text).joined(separator: " and ")): dropped\(removedAt.map { " (named removed at \(DeviceProse.when($0)))" } ?? ", at a time these logs do not show")."
        case nil:
            break
        }
        return text
    }

    /// A short phrase for a finding's detail: `changed 2021-03-08 17:58 UTC, after the full sync`.
    package var brief: String {
        switch reasoning {
        case .changedBeforeFullSync(let change, _): "last changed \(DeviceProse.when(change)), before the full sync"
        case .changedAfterFullSync(let change, _, _, _): "changed \(DeviceProse.when(change)), after the full sync"
        case .changedAfterLastCycle(let change, _, _, _, _): "changed \(DeviceProse.when(change)), after the last upload cycle in the logs: the next delta cycle drops it"
        case .noChangeTime: "no last change time in the inventory"
        case .noCycles(let change), .beforeFirstCycle(let change, _): "last changed \(DeviceProse.when(change)), which these logs cannot place against the full sync"
        case .notInCloudExport: "not in the cloud export"
        }
    }

    /// The state with its drop time: `dropped at 2021-03-08 10:30 UTC`, `at risk`.
    package var stateText: String {
        guard state == .dropped else { return state.name }
        return droppedAt.map { "dropped at \(DeviceProse.when($0))" } ?? "dropped, at a time these logs do not show"
    }
}

extension DeviceStatus.State {
    /// `at risk`, as a sentence says it.
    package var name: String {
        switch self {
        case .dropped: "dropped"
        case .atRisk: "at risk"
        case .undetermined: "undetermined"
        case .missing: "missing"
        }
    }
}

extension DeviceStatus.Observation {
    /// The observation as a clause: `the cloud export lists it, Managed by ConfigMgr, though it dropped at …`.
    package var text: String {
        switch source {
        case .cloudExport(let listed, let managedBy):
            let listing = listed ? "the cloud export lists it" + (managedBy.map { ", Managed by \($0)" } ?? "") : "the cloud export does not list it"
            switch context {
            case .afterDrop(let dropped):
                return "\(listing), though it dropped at \(DeviceProse.when(dropped)); an export taken before about \(DeviceProse.when(dropped.adding(seconds: DeviceProse.adminCenterDelay))) may predate the drop (Microsoft: changes take 5 to 10 minutes to show in the admin center)"
            case .unchangedSinceFullSync(let full):
                return "\(listing), though by the inventory it has not changed since the full sync at \(DeviceProse.when(full)): the inventory's last change may be out of date, or it is missing for another reason"
            case .notDroppedYet:
                return "\(listing): not dropped yet"
            case .dropAfterLogs:
                return "\(listing): consistent with a drop at a delta cycle after these logs end"
            case .plain, .lastWord, .deltaAfterFullSync, .inFullSync, .notInCloudExport:
                return listing
            }
        case .deviceLine(let removed, let time, let rule):
            let verb = removed ? "removed" : "uploaded"
            let at = time.map { " at \(DeviceProse.when($0))" } ?? ""
            let named = "the log names it \(verb)\(at) (rule \(rule))"
            switch context {
            case .lastWord:
                return "the log last names it \(verb)\(at) (rule \(rule))"
            case .afterDrop(let dropped):
                return "\(named), after it dropped at \(DeviceProse.when(dropped))"
            case .unchangedSinceFullSync:
                return "\(named), though by the inventory it has not changed since the full sync"
            case .deltaAfterFullSync:
                return "\(named), in a delta cycle after the full sync, though by the inventory it has not changed since: the inventory's last change may be out of date"
            case .inFullSync:
                return "the log names it \(verb) in the full sync\(at) (rule \(rule))"
            case .notInCloudExport:
                return "\(named), yet the cloud export does not list it (an export older than the upload, or a filtered one?)"
            case .plain, .notDroppedYet, .dropAfterLogs:
                return named
            }
        }
    }
}

extension DeviceEvidence {
    /// The line as the report shows it: a device file's row in words, a cycle's line after
    /// the label that says which cycle it is.
    package var text: String {
        if let row { return DeviceProse.row(row) }
        return switch kind {
        case .inventory, .cloudExport, .logLine: evidence.text
        case .fullSync: "full sync: \(evidence.text)"
        case .firstDeltaAfterChange: "first delta cycle after the change: \(evidence.text)"
        case .lastCycle: "last upload cycle in the logs: \(evidence.text)"
        }
    }

    /// The evidence with its labelled text, for the report.
    package var labelled: Evidence {
        Evidence(input: evidence.input, line: evidence.line, text: text)
    }
}

extension DeviceStatus {
    /// The evidence lines of the given kinds, in order, in words.
    func evidence(of kinds: Set<DeviceEvidenceKind>) -> [Evidence] {
        evidence.filter { kinds.contains($0.kind) }.map(\.labelled)
    }
}
