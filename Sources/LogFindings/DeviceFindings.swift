import LogInput
import LogRules
import LogAnalysis
/// Decides the device findings (`review --inventory`, docs/devices.md):
/// `device-shared-dp-certificate`, `device-evidence-conflict`,
/// `device-not-in-cloud`, `device-no-distribution-point`. Each computes its
/// values from the device facts; the words are in finding-texts.json, the
/// words for one device in `DeviceProse`.
enum DeviceFindings {
    /// Devices named in full in a finding's detail; the rest are counted.
    static let namedInDetail = 8

    static func decide(_ devices: [DeviceStatus], check: DeviceCheck, inventory: Inventory, settings: AnalysisSettings) -> [Finding] {
        var findings: [Finding] = []
        if inventory.distributionPoints == 0 { findings.append(noDistributionPoint(inventory)) }
        if let finding = sharedCertificate(devices, check: check, settings: settings) { findings.append(finding) }
        if let finding = conflicts(devices, settings: settings) { findings.append(finding) }
        if let finding = missing(devices, check: check, settings: settings) { findings.append(finding) }
        return findings
    }

    /// The item values every device list shares.
    static func identity(_ device: DeviceStatus) -> TextValues {
        ["name": TextValue(device.name), "resourceId": TextValue(device.resourceId)]
    }

    static func sharedCertificate(_ devices: [DeviceStatus], check: DeviceCheck, settings: AnalysisSettings) -> Finding? {
        let affected = devices.filter { $0.reason == DeviceStatus.Reason.sharedDPCertificate }
        guard !affected.isEmpty else { return nil }
        let text = FindingTexts.text(.deviceSharedDPCertificate)
        var seen = Occurrences(limit: settings.evidenceLimit)
        for device in affected {
            if let line = device.evidence(of: [.inventory]).first { seen.add(line, at: device.droppedAt ?? device.lastChange) }
        }
        let states = [DeviceStatus.State.dropped, .atRisk, .undetermined].compactMap { state -> String? in
            let count = affected.filter { $0.state == state }.count
            return count > 0 ? "\(count) \(state.name)" : nil
        }
        let items = affected.prefix(namedInDetail).map { device in
            text.fragment(.item, identity(device).merging(["state": TextValue(device.stateText), "brief": TextValue(device.brief)]) { $1 })
        }
        return text.finding([
            "count": TextValue(affected.count),
            "states": TextValue(states.joined(separator: ", ")),
            "inventory": TextValue(check.inventory),
            "devices": TextValue(items.joined(separator: " ")),
            "more": TextValue(max(0, affected.count - namedInDetail)),
            "droppedAtLatest": TextValue(affected.filter { $0.state == .dropped && $0.droppedAt != nil }.count),
            "timesAssumedUTC": TextValue(check.timesAssumedUTC),
        ], occurrences: seen)
    }

    static func conflicts(_ devices: [DeviceStatus], settings: AnalysisSettings) -> Finding? {
        let contradicted = devices.filter { $0.check == .contradicted }
        guard !contradicted.isEmpty else { return nil }
        let text = FindingTexts.text(.deviceEvidenceConflict)
        var seen = Occurrences(limit: settings.evidenceLimit)
        for device in contradicted {
            // What can disagree: the cloud export's row and the device lines, not the inventory or the cycles.
            for line in device.evidence(of: [.cloudExport, .logLine]) { seen.add(line, at: device.droppedAt ?? device.lastChange) }
        }
        let items = contradicted.prefix(namedInDetail).map { device in
            text.fragment(.item, identity(device).merging([
                "state": TextValue(device.stateText),
                "contradictions": TextValue(device.contradictions.map(\.text).joined(separator: "; ")),
            ]) { $1 })
        }
        // Counted in devices, not lines: one device can have several lines against it.
        return text.finding([
            "count": TextValue(contradicted.count),
            "devices": TextValue(items.joined(separator: " ")),
            "more": TextValue(max(0, contradicted.count - namedInDetail)),
        ], count: contradicted.count, first: seen.first, last: seen.last, evidence: seen.sample)
    }

    static func missing(_ devices: [DeviceStatus], check: DeviceCheck, settings: AnalysisSettings) -> Finding? {
        let missing = devices.filter { $0.reason == DeviceStatus.Reason.notInCloudExport }
        guard !missing.isEmpty, let cloud = check.cloud else { return nil }
        let text = FindingTexts.text(.deviceNotInCloud)
        var seen = Occurrences(limit: settings.evidenceLimit)
        for device in missing {
            if let line = device.evidence(of: [.inventory]).first { seen.add(line, at: device.lastChange) }
        }
        // A plain list of names is shorter per device, so twice as many fit.
        let shown = namedInDetail * 2
        let items = missing.prefix(shown).map { device in
            text.fragment(.item, identity(device).merging(["client": TextValue(device.client.map { $0 ? "Yes" : "No" })]) { $1 })
        }
        return text.finding([
            "count": TextValue(missing.count),
            "cloud": TextValue(cloud),
            "devices": TextValue(items.joined(separator: ", ")),
            "more": TextValue(max(0, missing.count - shown)),
            "noClient": TextValue(missing.filter { $0.client == false }.count),
        ], occurrences: seen)
    }

    static func noDistributionPoint(_ inventory: Inventory) -> Finding {
        let text = FindingTexts.text(.deviceNoDistributionPoint)
        let values: TextValues = [
            "inventory": TextValue(inventory.file),
            "devices": TextValue(inventory.deviceCount),
            "column": TextValue(inventory.columns[.isDistributionPoint] ?? DeviceColumn.isDistributionPoint.label),
        ]
        let evidence = Evidence(input: inventory.file, line: 1, text: text.fragment(.evidence, values))
        return text.finding(values, count: 1, first: nil, last: nil, evidence: [evidence])
    }
}
