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
            if !namesOtherDevice(event) { unmatched += 1 }
            return
        }
        if events[index, default: []].count < DeviceAnalyzer.eventsPerDevice { events[index, default: []].append(event) }
    }

    /// The inventory device kept for judging that an event names: by name (its resource ID,
    /// if given, must agree), else by resource ID.
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

    /// Whether an event names an inventory device that was counted but not kept (it is
    /// not judged, so its events are not either). Such a device's resource ID is not kept
    /// beside its name: an event giving both is matched by the name alone.
    func namesOtherDevice(_ event: Event) -> Bool {
        guard let others = inventory.others else { return false }
        if let name = event["device"]?.trimmingSpaces, !name.isEmpty {
            return others.names.contains(DeviceName.key(name)) || others.names.contains(DeviceName.shortKey(name))
        }
        if let id = event["resourceId"]?.trimmingSpaces { return others.resourceIds.contains(id) }
        return false
    }

    package func finish(into facts: inout AnalysisFacts, settings: AnalysisSettings) {
        var check = DeviceCheck(inventory: inventory.file, devices: inventory.deviceCount,
                                distributionPoints: inventory.distributionPoints,
                                sharedCertificate: inventory.sharedCertificate,
                                skippedRows: inventory.skippedCount, timesAssumedUTC: inventory.timesAssumedUTC)
        check.dateOrder = inventory.dateOrder
        check.dateOrderSource = inventory.dateOrderSource
        check.deviceEvents = eventCount
        check.unmatchedDeviceEvents = unmatched
        check.cycles = facts.sync.cycles.timed
        if let full = facts.sync.cycles.lastTimedFull {
            check.fullSync = full.start
            check.fullSyncEvidence = full.firstEvidence
        }
        if let cloud {
            check.cloud = cloud.file
            check.cloudDevices = cloud.count
            check.inventoryDevicesListed = inventory.listedInCloud ?? inventory.devices.filter { cloud.entry(for: $0.name) != nil }.count
        }

        var statuses: [DeviceStatus] = []
        for (index, device) in inventory.devices.enumerated() {
            let seen = events[index] ?? []
            if device.sharesCertificate {
                statuses.append(judgeAffected(device, cycles: facts.sync.cycles, nextRun: facts.sync.nextRun, events: seen))
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
        case undetermined(DeviceStatus.Reasoning)
    }

    /// Places a change among the cycles with a start time (the others cannot be placed).
    static func place(_ change: Instant?, cycles: CycleLog) -> Placement {
        guard let change else { return .undetermined(.noChangeTime) }
        guard let firstStart = cycles.firstTimed?.start, let lastTimed = cycles.lastTimed else { return .undetermined(.noCycles(change: change)) }
        let full = cycles.lastTimedFull
        if let full, let fullStart = full.start {
            if change <= fullStart { return .beforeFull(full) }
        } else if change < firstStart {
            return .undetermined(.beforeFirstCycle(change: change, firstCycle: firstStart))
        }
        var failed: [UploadCycle] = []
        for cycle in cycles where cycle.start.map({ $0 > change }) == true && cycle.kind != .full {
            if cycle.status == .failed {
                failed.append(cycle)
                continue
            }
            return .dropped(cycle, full: full, failed: failed)
        }
        return .pending(last: lastTimed, full: full, failed: failed)
    }

    /// The facts behind a placement, for the findings stage to word.
    static func reasoning(_ placement: Placement, change: Instant?, nextRun: Instant?) -> DeviceStatus.Reasoning {
        switch (placement, change) {
        case (.undetermined(let reasoning), _):
            reasoning
        case (_, nil):
            .noChangeTime   // `place` leaves a device without a change time undetermined; kept total for the compiler
        case (.beforeFull(let full), let change?):
            .changedBeforeFullSync(change: change, fullSync: full.start)
        case (.dropped(let cycle, let full, let failed), let change?):
            .changedAfterFullSync(change: change, fullSync: full?.start, droppedAt: cycle.start, failed: failed.compactMap(\.start))
        case (.pending(let last, let full, let failed), let change?):
            .changedAfterLastCycle(change: change, fullSync: full?.start, lastCycle: last.start, nextRun: nextRun,
                                   failed: failed.compactMap(\.start))
        }
    }

    func judgeAffected(_ device: InventoryDevice, cycles: CycleLog, nextRun: Instant?, events: [Event]) -> DeviceStatus {
        let placement = DeviceAnalyzer.place(device.lastChange, cycles: cycles)
        var status = base(device, reason: DeviceStatus.Reason.sharedDPCertificate, state: .undetermined,
                          reasoning: DeviceAnalyzer.reasoning(placement, change: device.lastChange, nextRun: nextRun))
        switch placement {
        case .beforeFull(let full):
            status.state = .atRisk
            status.evidence.append(DeviceAnalyzer.cycleEvidence(full, .fullSync))
        case .dropped(let cycle, let full, _):
            status.state = .dropped
            status.droppedAt = cycle.start
            if let full { status.evidence.append(DeviceAnalyzer.cycleEvidence(full, .fullSync)) }
            status.evidence.append(DeviceAnalyzer.cycleEvidence(cycle, .firstDeltaAfterChange))
        case .pending(let last, _, _):
            status.state = .atRisk
            status.evidence.append(DeviceAnalyzer.cycleEvidence(last, .lastCycle))
        case .undetermined:
            status.state = .undetermined
        }

        let listed = cloud?.entry(for: device.name)
        if let cloud { noteCloud(&status, cloud: cloud, entry: listed) }
        let listing = cloud == nil ? nil : DeviceStatus.Observation.Source.cloudExport(listed: listed != nil, managedBy: listed?.managedBy)
        let sorted = events.sorted { ($0.time ?? Instant(ticks: .min)) < ($1.time ?? Instant(ticks: .min)) }
        let removed = sorted.filter { $0.type == .deviceRemoved }
        let uploaded = sorted.filter { $0.type == .deviceUploaded }
        for event in sorted.prefix(3) + (sorted.count > 3 ? [sorted.last!] : []) { status.evidence.append(DeviceEvidence(.logLine, event.evidence)) }

        switch placement {
        case .dropped(let cycle, _, _):
            let dropped = cycle.start!
            if let listing {
                if listed != nil {
                    status.contradictions.append(.init(listing, .afterDrop(dropped)))
                } else {
                    status.confirmations.append(.init(listing))
                }
            }
            if let event = removed.first { status.confirmations.append(.init(DeviceAnalyzer.line(event))) }
            if let event = uploaded.last(where: { ($0.time ?? Instant(ticks: .min)) > dropped }) {
                status.contradictions.append(.init(DeviceAnalyzer.line(event), .afterDrop(dropped)))
            }
        case .beforeFull(let full):
            let fullStart = full.start!
            if let listing {
                if listed != nil {
                    status.confirmations.append(.init(listing))
                } else {
                    status.contradictions.append(.init(listing, .unchangedSinceFullSync(fullStart)))
                }
            }
            if let event = removed.last(where: { ($0.time ?? Instant(ticks: .max)) >= fullStart }) {
                status.contradictions.append(.init(DeviceAnalyzer.line(event), .unchangedSinceFullSync(fullStart)))
            }
            // Named in the full sync: as documented. Named in a delta cycle after it: the device changed, which the inventory does not show.
            let fullEnd = full.end ?? fullStart
            if let event = uploaded.last(where: { ($0.time ?? Instant(ticks: .min)) > fullEnd }) {
                status.contradictions.append(.init(DeviceAnalyzer.line(event), .deltaAfterFullSync))
            } else if let event = uploaded.last(where: { ($0.time ?? Instant(ticks: .min)) >= fullStart }) {
                status.confirmations.append(.init(DeviceAnalyzer.line(event), .inFullSync))
            }
        case .pending:
            if let listing {
                status.confirmations.append(.init(listing, listed != nil ? .notDroppedYet : .dropAfterLogs))
            }
            if let event = removed.last(where: { ($0.time ?? Instant(ticks: .min)) >= device.lastChange! }) {
                status.confirmations.append(.init(DeviceAnalyzer.line(event)))
            }
        case .undetermined:
            // Sources settle it: still listed or last named uploaded → at risk; not listed or last named removed → dropped.
            var stillThere: [DeviceStatus.Observation] = [], gone: [DeviceStatus.Observation] = []
            if let listing { if listed != nil { stillThere.append(.init(listing)) } else { gone.append(.init(listing)) } }
            var removedAt: Instant?
            if let last = sorted.last {
                if last.type == .deviceUploaded {
                    stillThere.append(.init(DeviceAnalyzer.line(last), .lastWord))
                } else {
                    gone.append(.init(DeviceAnalyzer.line(last), .lastWord))
                    let lastUpload = uploaded.last?.time ?? Instant(ticks: .min)
                    removedAt = removed.first { ($0.time ?? Instant(ticks: .min)) >= lastUpload }?.time
                }
            }
            if !stillThere.isEmpty && gone.isEmpty {
                status.state = .atRisk
                status.settlement = .stillUploaded(by: stillThere)
                status.confirmations = stillThere
            } else if !gone.isEmpty && stillThere.isEmpty {
                status.state = .dropped
                status.droppedAt = removedAt
                status.settlement = .leftOut(by: gone, removedAt: removedAt)
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
        var status = base(device, reason: DeviceStatus.Reason.notInCloudExport, state: .missing,
                          reasoning: .notInCloudExport(client: device.client))
        noteCloud(&status, cloud: cloud, entry: nil)
        if let event = events.last(where: { $0.type == .deviceUploaded }) {
            status.evidence.append(DeviceEvidence(.logLine, event.evidence))
            status.contradictions.append(.init(DeviceAnalyzer.line(event), .notInCloudExport))
        }
        status.settleCheck()
        return status
    }

    // MARK: Helpers

    func base(_ device: InventoryDevice, reason: String, state: DeviceStatus.State, reasoning: DeviceStatus.Reasoning) -> DeviceStatus {
        var status = DeviceStatus(name: device.name, resourceId: device.resourceId, reason: reason, state: state, reasoning: reasoning)
        status.lastChange = device.lastChange
        status.client = device.client
        status.isDistributionPoint = device.isDistributionPoint
        status.inventoryLine = device.line
        status.evidence.append(DeviceEvidence(.inventory, Evidence(input: inventory.file, line: device.line, text: ""), row: .inventory(device)))
        return status
    }

    func noteCloud(_ status: inout DeviceStatus, cloud: CloudExport, entry: CloudExport.Entry?) {
        status.inCloudExport = entry != nil
        status.managedBy = entry?.managedBy
        if let entry {
            status.evidence.append(DeviceEvidence(.cloudExport, Evidence(input: cloud.file, line: entry.line, text: ""),
                                                  row: .listed(name: entry.name, managedBy: entry.managedBy)))
        } else {
            status.evidence.append(DeviceEvidence(.cloudExport, Evidence(input: cloud.file, line: cloud.headerLine, text: ""),
                                                  row: .notListed(listed: cloud.count)))
        }
    }

    /// A cycle's first line, as the log has it; the kind says which cycle it is.
    static func cycleEvidence(_ cycle: UploadCycle, _ kind: DeviceEvidenceKind) -> DeviceEvidence {
        DeviceEvidence(kind, cycle.firstEvidence)
    }

    /// What a device line says, as the source of an observation.
    static func line(_ event: Event) -> DeviceStatus.Observation.Source {
        .deviceLine(removed: event.type == .deviceRemoved, at: event.time, rule: event.rule)
    }
}
