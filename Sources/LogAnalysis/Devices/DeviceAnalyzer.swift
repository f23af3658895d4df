import LogInput
import LogRules
/// The devices stage (`review --inventory`): finds the distribution points
/// that use one PKI certificate for the distribution point and the client,
/// places each one's last change against the upload timeline (Microsoft
/// documents that the full sync includes such a device and that any later
/// change removes it at the next delta sync), then lets the cloud export and
/// device-level log lines (user rules) confirm or contradict; and lists the
/// devices the cloud export lacks for another reason. Runs after the sync
/// stage, whose timeline it reads (docs/devices.md).
package final class DeviceAnalyzer: Analyzer {
    package let inventory: Inventory
    package let cloud: CloudExport?
    /// Device-level events per inventory device.
    private var events: [Int: [Event]] = [:]
    private var eventCount = 0
    private var unmatched = 0
    private var byName: [String: Int] = [:]
    private var byShortName: [String: Int] = [:]
    private var byResourceId: [String: Int] = [:]
    /// Events kept per device; the rest are counted.
    static let eventsPerDevice = 10_000

    package init(inventory: Inventory, cloud: CloudExport? = nil) {
        self.inventory = inventory
        self.cloud = cloud
        for (index, device) in inventory.devices.enumerated() {
            byName[DeviceName.key(device.name)] = index
            if byShortName[DeviceName.shortKey(device.name)] == nil { byShortName[DeviceName.shortKey(device.name)] = index }
            if let id = device.resourceId { byResourceId[id] = index }
        }
    }

    package func consume(_ event: Event) {
        guard event.type == .deviceUploaded || event.type == .deviceRemoved else { return }
        eventCount += 1
        guard let index = device(for: event) else {
            unmatched += 1
            return
        }
        if events[index, default: []].count < DeviceAnalyzer.eventsPerDevice { events[index, default: []].append(event) }
    }

    /// The inventory device an event names: by name (its resource ID, if given, must agree), else by resource ID.
    func device(for event: Event) -> Int? {
        let id = event["resourceId"]?.trimmingSpaces
        if let name = event["device"]?.trimmingSpaces, !name.isEmpty {
            guard let index = byName[DeviceName.key(name)] ?? byShortName[DeviceName.shortKey(name)] else { return nil }
            if let id, let known = inventory.devices[index].resourceId, known != id { return nil }
            return index
        }
        if let id { return byResourceId[id] }
        return nil
    }

    package func finish(into facts: inout AnalysisFacts, settings: AnalysisSettings) {
        let cycles = facts.sync.cycles.filter { $0.start != nil }
        var check = DeviceCheck(inventory: inventory.file, devices: inventory.devices.count,
                                distributionPoints: inventory.distributionPoints,
                                sharedCertificate: inventory.devices.filter(\.sharesCertificate).count,
                                skippedRows: inventory.skipped.count, timesAssumedUTC: inventory.timesAssumedUTC)
        check.dateOrder = inventory.dateOrder
        check.dateOrderSource = inventory.dateOrderSource
        check.deviceEvents = eventCount
        check.unmatchedDeviceEvents = unmatched
        check.cycles = cycles.count
        if let full = cycles.last(where: { $0.kind == .full }) {
            check.fullSync = full.start
            check.fullSyncEvidence = full.firstEvidence
        }
        if let cloud {
            check.cloud = cloud.file
            check.cloudDevices = cloud.entries.count
            check.inventoryDevicesListed = inventory.devices.filter { cloud.entry(for: $0.name) != nil }.count
        }

        var statuses: [DeviceStatus] = []
        for (index, device) in inventory.devices.enumerated() {
            let seen = events[index] ?? []
            if device.sharesCertificate {
                statuses.append(judgeAffected(device, cycles: cycles, nextRun: facts.sync.nextRun, events: seen))
            } else if let cloud, cloud.entry(for: device.name) == nil {
                statuses.append(judgeMissing(device, cloud: cloud, events: seen))
            }
        }
        let rank: [DeviceStatus.State: Int] = [.dropped: 0, .undetermined: 1, .atRisk: 2, .missing: 3]
        statuses.sort { (rank[$0.state]!, $0.name.lowercased()) < (rank[$1.state]!, $1.name.lowercased()) }
        facts.devices = statuses
        facts.deviceCheck = check
        facts.inventory = inventory
    }

    // MARK: Affected devices

    /// Where a device's last change falls on the timeline.
    enum Placement {
        /// Before (or at) the latest full sync in the logs, which included it.
        case beforeFull(UploadCycle)
        /// After the full sync: the cycle that left it out, the full sync (nil: before the logs), failed cycles passed over.
        case dropped(UploadCycle, full: UploadCycle?, failed: [UploadCycle])
        /// After the full sync and after the last usable cycle in the logs.
        case pending(last: UploadCycle, full: UploadCycle?, failed: [UploadCycle])
        case undetermined(String)
    }

    static func place(_ change: Instant?, cycles: [UploadCycle]) -> Placement {
        guard let change else {
            return .undetermined("The inventory gives no last change time for it, so when it changed cannot be placed against the upload cycles.")
        }
        guard let first = cycles.first, let firstStart = first.start else {
            return .undetermined("These logs hold no upload cycle to place its last change (\(when(change))) against.")
        }
        let full = cycles.last { $0.kind == .full }
        if let full, let fullStart = full.start {
            if change <= fullStart { return .beforeFull(full) }
        } else if change < firstStart {
            return .undetermined("It last changed \(when(change)), before the first upload cycle in these logs (\(when(firstStart))), and the logs hold no full sync: whether that change came after the full sync at onboarding cannot be told from them.")
        }
        var failed: [UploadCycle] = []
        for cycle in cycles where cycle.start! > change && cycle.kind != .full {
            if cycle.status == .failed {
                failed.append(cycle)
                continue
            }
            return .dropped(cycle, full: full, failed: failed)
        }
        return .pending(last: cycles.last!, full: full, failed: failed)
    }

    func judgeAffected(_ device: InventoryDevice, cycles: [UploadCycle], nextRun: Instant?, events: [Event]) -> DeviceStatus {
        var status = base(device, reason: DeviceStatus.Reason.sharedDPCertificate, state: .undetermined)
        let placement = DeviceAnalyzer.place(device.lastChange, cycles: cycles)
        let change = device.lastChange.map(DeviceAnalyzer.when) ?? "at an unknown time"
        func failedNote(_ failed: [UploadCycle]) -> String {
            guard !failed.isEmpty else { return "" }
            let times = failed.compactMap(\.start).map(DeviceAnalyzer.when).joined(separator: ", ")
            return " The delta cycle\(failed.count == 1 ? "" : "s") at \(times) failed and \(failed.count == 1 ? "is" : "are") not counted: cmlogcheck counts a drop from the first delta cycle that did not fail (its choice; what a failed upload does to the sync is not documented)."
        }
        func fullText(_ full: UploadCycle?) -> String {
            full?.start.map { "the full sync at \(DeviceAnalyzer.when($0))" } ?? "the full sync at onboarding (before these logs)"
        }
        switch placement {
        case .beforeFull(let full):
            status.state = .atRisk
            status.why = "Last changed \(change), before \(fullText(full)), which included it; not changed since, so it is still uploaded. Its next update (Microsoft: any update to the device) drops it at the delta cycle after that."
            status.evidence.append(DeviceAnalyzer.cycleEvidence(full, "full sync"))
            status.brief = "last changed \(change), before the full sync"
        case .dropped(let cycle, let full, let failed):
            status.state = .dropped
            status.droppedAt = cycle.start
            status.why = "Changed \(change), after \(fullText(full)); the first delta cycle after the change, at \(cycle.start.map(DeviceAnalyzer.when) ?? "?"), left it out (at the latest: a change after the full sync that the inventory does not show would have dropped it sooner).\(failedNote(failed))"
            if let full { status.evidence.append(DeviceAnalyzer.cycleEvidence(full, "full sync")) }
            status.evidence.append(DeviceAnalyzer.cycleEvidence(cycle, "first delta cycle after the change"))
            status.brief = "changed \(change), after the full sync"
        case .pending(let last, let full, let failed):
            status.state = .atRisk
            let due = nextRun.map { ", announced for \(DeviceAnalyzer.when($0))," } ?? ""
            status.why = "Changed \(change), after \(fullText(full)) and after the last upload cycle in these logs (\(last.start.map(DeviceAnalyzer.when) ?? "?")): by Microsoft's description the next delta cycle\(due) drops it.\(failedNote(failed))"
            status.evidence.append(DeviceAnalyzer.cycleEvidence(last, "last upload cycle in the logs"))
            status.brief = "changed \(change), after the last upload cycle in the logs: the next delta cycle drops it"
        case .undetermined(let text):
            status.state = .undetermined
            status.why = text
            status.brief = device.lastChange == nil ? "no last change time in the inventory" : "last changed \(change), which these logs cannot place against the full sync"
        }

        let listed = cloud?.entry(for: device.name)
        if let cloud { noteCloud(&status, cloud: cloud, entry: listed) }
        let listing = cloud == nil ? nil : listed.map { "the cloud export lists it\(managed($0))" } ?? "the cloud export does not list it"
        let sorted = events.sorted { ($0.time ?? Instant(ticks: .min)) < ($1.time ?? Instant(ticks: .min)) }
        let removed = sorted.filter { $0.type == .deviceRemoved }
        let uploaded = sorted.filter { $0.type == .deviceUploaded }
        for event in sorted.prefix(3) + (sorted.count > 3 ? [sorted.last!] : []) { status.evidence.append(event.evidence) }

        switch placement {
        case .dropped(let cycle, _, _):
            let dropped = cycle.start!
            if let listing {
                if listed != nil {
                    status.contradictions.append("\(listing), though it dropped at \(DeviceAnalyzer.when(dropped)); an export taken before about \(DeviceAnalyzer.when(dropped.adding(seconds: 600))) may predate the drop (Microsoft: changes take 5 to 10 minutes to show in the admin center)")
                } else {
                    status.confirmations.append(listing)
                }
            }
            if let event = removed.first { status.confirmations.append("the log names it removed\(DeviceAnalyzer.at(event)) (rule \(event.rule))") }
            if let event = uploaded.last(where: { ($0.time ?? Instant(ticks: .min)) > dropped }) {
                status.contradictions.append("the log names it uploaded\(DeviceAnalyzer.at(event)) (rule \(event.rule)), after it dropped at \(DeviceAnalyzer.when(dropped))")
            }
        case .beforeFull(let full):
            let fullStart = full.start!
            if let listing {
                if listed != nil {
                    status.confirmations.append(listing)
                } else {
                    status.contradictions.append("\(listing), though by the inventory it has not changed since the full sync at \(DeviceAnalyzer.when(fullStart)): the inventory's last change may be out of date, or it is missing for another reason")
                }
            }
            if let event = removed.last(where: { ($0.time ?? Instant(ticks: .max)) >= fullStart }) {
                status.contradictions.append("the log names it removed\(DeviceAnalyzer.at(event)) (rule \(event.rule)), though by the inventory it has not changed since the full sync")
            }
            // Named in the full sync: as documented. Named in a delta cycle after it: the device changed, which the inventory does not show.
            let fullEnd = full.end ?? fullStart
            if let event = uploaded.last(where: { ($0.time ?? Instant(ticks: .min)) > fullEnd }) {
                status.contradictions.append("the log names it uploaded\(DeviceAnalyzer.at(event)) (rule \(event.rule)), in a delta cycle after the full sync, though by the inventory it has not changed since: the inventory's last change may be out of date")
            } else if let event = uploaded.last(where: { ($0.time ?? Instant(ticks: .min)) >= fullStart }) {
                status.confirmations.append("the log names it uploaded in the full sync\(DeviceAnalyzer.at(event)) (rule \(event.rule))")
            }
        case .pending:
            if let listing {
                status.confirmations.append(listed != nil ? "\(listing): not dropped yet" : "\(listing): consistent with a drop at a delta cycle after these logs end")
            }
            if let event = removed.last(where: { ($0.time ?? Instant(ticks: .min)) >= device.lastChange! }) {
                status.confirmations.append("the log names it removed\(DeviceAnalyzer.at(event)) (rule \(event.rule))")
            }
        case .undetermined:
            // Sources settle it: still listed or last named uploaded → at risk; not listed or last named removed → dropped.
            var stillThere: [String] = [], gone: [String] = []
            if let listing { if listed != nil { stillThere.append(listing) } else { gone.append(listing) } }
            var removedAt: Instant?
            if let last = sorted.last {
                if last.type == .deviceUploaded {
                    stillThere.append("the log last names it uploaded\(DeviceAnalyzer.at(last)) (rule \(last.rule))")
                } else {
                    gone.append("the log last names it removed\(DeviceAnalyzer.at(last)) (rule \(last.rule))")
                    let lastUpload = uploaded.last?.time ?? Instant(ticks: .min)
                    removedAt = removed.first { ($0.time ?? Instant(ticks: .min)) >= lastUpload }?.time
                }
            }
            if !stillThere.isEmpty && gone.isEmpty {
                status.state = .atRisk
                status.why += " Still uploaded, by \(stillThere.joined(separator: " and ")): at risk."
                status.confirmations = stillThere
            } else if !gone.isEmpty && stillThere.isEmpty {
                status.state = .dropped
                status.droppedAt = removedAt
                status.why += " Left out, by \(gone.joined(separator: " and ")): dropped\(removedAt.map { " (named removed at \(DeviceAnalyzer.when($0)))" } ?? ", at a time these logs do not show")."
                status.confirmations = gone
            } else if !gone.isEmpty {
                status.contradictions = stillThere + gone
            }
        }
        status.settleCheck()
        return status
    }

    // MARK: Devices missing for another reason

    func judgeMissing(_ device: InventoryDevice, cloud: CloudExport, events: [Event]) -> DeviceStatus {
        var status = base(device, reason: DeviceStatus.Reason.notInCloudExport, state: .missing)
        noteCloud(&status, cloud: cloud, entry: nil)
        var why = "Not in the cloud export. It is not a distribution point sharing its certificate with its client, so the known issue does not explain it."
        switch device.client {
        case false?:
            why += " Its Client column is No: Microsoft documents that only devices with Yes in the Client column are uploaded."
        case true?:
            why += " Its Client column is Yes: the other documented cause is an upload limited to one collection that does not hold it."
        case nil:
            why += " Documented causes: a Client column that is not Yes, or an upload limited to one collection that does not hold it."
        }
        status.why = why
        if let event = events.last(where: { $0.type == .deviceUploaded }) {
            status.evidence.append(event.evidence)
            status.contradictions.append("the log names it uploaded\(DeviceAnalyzer.at(event)) (rule \(event.rule)), yet the cloud export does not list it (an export older than the upload, or a filtered one?)")
        }
        status.settleCheck()
        return status
    }

    // MARK: Helpers

    func base(_ device: InventoryDevice, reason: String, state: DeviceStatus.State) -> DeviceStatus {
        var status = DeviceStatus(name: device.name, resourceId: device.resourceId, reason: reason, state: state)
        status.lastChange = device.lastChange
        status.client = device.client
        status.isDistributionPoint = device.isDistributionPoint
        status.inventoryLine = device.line
        status.evidence.append(Evidence(input: inventory.file, line: device.line, text: inventoryText(device)))
        return status
    }

    /// The inventory row as evidence, the certificates first: `DP01: distribution point, client and distribution point certificate 9F3C…FF00 (one certificate); …`.
    func inventoryText(_ device: InventoryDevice) -> String {
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
    }

    func noteCloud(_ status: inout DeviceStatus, cloud: CloudExport, entry: CloudExport.Entry?) {
        status.inCloudExport = entry != nil
        status.managedBy = entry?.managedBy
        if let entry {
            status.evidence.append(Evidence(input: cloud.file, line: entry.line, text: "listed: \(entry.name)\(managed(entry))"))
        } else {
            status.evidence.append(Evidence(input: cloud.file, line: cloud.headerLine,
                                            text: "not among the \(cloud.entries.count) device\(cloud.entries.count == 1 ? "" : "s") the export lists"))
        }
    }

    func managed(_ entry: CloudExport.Entry) -> String {
        entry.managedBy.map { ", Managed by \($0)" } ?? ""
    }

    static func cycleEvidence(_ cycle: UploadCycle, _ label: String) -> Evidence {
        Evidence(input: cycle.firstEvidence.input, line: cycle.firstEvidence.line, text: "\(label): \(cycle.firstEvidence.text)")
    }

    /// `2020-02-28 16:35 UTC`.
    package static func when(_ instant: Instant) -> String { TimeText.toMinute(instant, labelled: true) }

    static func at(_ event: Event) -> String {
        event.time.map { " at \(when($0))" } ?? ""
    }
}
