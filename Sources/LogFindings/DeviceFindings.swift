import LogInput
import LogRules
import LogAnalysis
/// Decides the device findings (`review --inventory`, docs/devices.md):
/// `device-shared-dp-certificate`, `device-evidence-conflict`,
/// `device-not-in-cloud`, `device-no-distribution-point`.
enum DeviceFindings {
    /// What Microsoft documents about the known issue, and nothing more.
    static let documentedIssue = "Microsoft documents this as a known issue of tenant attach: a device that is a distribution point and uses the same PKI certificate for the distribution point and for its client agent is not included in device sync. The full sync at onboarding includes it; later cycles are delta syncs, and any update to the device removes it from the sync."

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

    static func sharedCertificate(_ devices: [DeviceStatus], check: DeviceCheck, settings: AnalysisSettings) -> Finding? {
        let affected = devices.filter { $0.reason == DeviceStatus.Reason.sharedDPCertificate }
        guard !affected.isEmpty else { return nil }
        var seen = Occurrences(limit: settings.evidenceLimit)
        for device in affected {
            if let line = device.evidence.first { seen.add(line, at: device.droppedAt ?? device.lastChange) }
        }
        var counts: [String] = []
        for state in [DeviceStatus.State.dropped, .atRisk, .undetermined] {
            let count = affected.filter { $0.state == state }.count
            if count > 0 { counts.append("\(count) \(stateName(state))") }
        }
        let named = affected.prefix(namedInDetail).map { device in
            "\(label(device)): \(stateText(device)) (\(device.brief))."
        }
        let more = affected.count > namedInDetail ? " And \(affected.count - namedInDetail) more (see the devices section)." : ""
        let latest = affected.contains { $0.state == .dropped && $0.droppedAt != nil }
            ? " A dropped device left the sync at the first delta cycle after the last change the inventory shows, at the latest: an earlier change after the full sync, which the inventory does not show, would have dropped it sooner." : ""
        let one = affected.count == 1
        return seen.finding(
            id: .deviceSharedDPCertificate, severity: .warning,
            title: "\(one ? "1 distribution point uses" : "\(affected.count) distribution points use") one PKI certificate for the distribution point and the client: \(counts.joined(separator: ", "))",
            detail: "In \(check.inventory), \(one ? "this distribution point's" : "each one's") client certificate thumbprint equals \(one ? "its" : "its own") distribution point certificate thumbprint. " + named.joined(separator: " ") + more + latest + assumedUTCNote(check),
            remediation: documentedIssue + " The documented condition is the shared certificate, so what follows from it is a certificate for the distribution point that is not the client's: with two certificates the device no longer meets the documented condition. Microsoft does not document that as a fix, nor whether or when a device left out this way comes back to the admin center; after the change, check whether it reappears after the next upload cycles (a new cloud export and --cloud show it). An at-risk device drops at its next change: Microsoft says any update to the device, without listing which changes count; cmlogcheck takes the latest of the change columns the inventory gives.")
    }

    static func conflicts(_ devices: [DeviceStatus], settings: AnalysisSettings) -> Finding? {
        let contradicted = devices.filter { $0.check == .contradicted }
        guard !contradicted.isEmpty else { return nil }
        var seen = Occurrences(limit: settings.evidenceLimit)
        for device in contradicted {
            // The evidence after the inventory line: cloud rows and log lines.
            for line in device.evidence.dropFirst() where !line.text.hasPrefix("full sync:") && !line.text.hasPrefix("first delta cycle") && !line.text.hasPrefix("last upload cycle") {
                seen.add(line, at: device.droppedAt ?? device.lastChange)
            }
        }
        let named = contradicted.prefix(namedInDetail).map { device in
            "\(label(device, stateText(device))): \(device.contradictions.joined(separator: "; "))."
        }
        let more = contradicted.count > namedInDetail ? " And \(contradicted.count - namedInDetail) more (see the devices section)." : ""
        let one = contradicted.count == 1
        var finding = seen.finding(
            id: .deviceEvidenceConflict, severity: .warning,
            title: "The cloud export or device log lines disagree with the inventory for \(one ? "1 device" : "\(contradicted.count) devices")",
            detail: named.joined(separator: " ") + more + " The state shown is what the inventory and the upload timeline say; the disagreement is reported, not settled.",
            remediation: "cmlogcheck does not pick a side. Check that the inventory export is current (a stale last change time moves a device between dropped and at risk); that the cloud export was taken after the times shown (Microsoft documents 5 to 10 minutes after an upload before changes show in the admin center) and lists every device, with no filter; and, for log lines, that your device rule reads what you expect: Microsoft documents no log line that names a device, so those rules are yours (docs/devices.md).")
        finding.count = contradicted.count   // devices, not lines
        return finding
    }

    static func missing(_ devices: [DeviceStatus], check: DeviceCheck, settings: AnalysisSettings) -> Finding? {
        let missing = devices.filter { $0.reason == DeviceStatus.Reason.notInCloudExport }
        guard !missing.isEmpty, let cloud = check.cloud else { return nil }
        var seen = Occurrences(limit: settings.evidenceLimit)
        for device in missing {
            if let line = device.evidence.first { seen.add(line, at: device.lastChange) }
        }
        let named = missing.prefix(namedInDetail * 2).map { device in
            label(device, device.client.map { $0 ? "Client: Yes" : "Client: No" })
        }
        let more = missing.count > namedInDetail * 2 ? " and \(missing.count - namedInDetail * 2) more" : ""
        let one = missing.count == 1
        let noClient = missing.filter { $0.client == false }.count
        let clientNote = noClient == 0 ? "" : " \(one ? "It has" : noClient == 1 ? "1 of them has" : "\(noClient) of them have") No in the inventory's Client column, which Microsoft documents as a reason a device is not uploaded."
        return seen.finding(
            id: .deviceNotInCloud, severity: .info,
            title: "\(one ? "1 device" : "\(missing.count) devices") missing from the cloud export for a reason other than the shared certificate",
            detail: "\(one ? "This inventory device is" : "These \(missing.count) inventory devices are") not in \(cloud), and \(one ? "is not a distribution point" : "none is a distribution point") sharing its certificate with its client: \(named.joined(separator: ", "))\(more).\(clientNote) \(one ? "It is" : "They are") not counted as dropped by the known issue.",
            remediation: "Microsoft documents which devices are uploaded: those with Yes in the Client column, and, when the upload is limited to one collection, only that collection's members (Configuration Manager console: Administration > Cloud Services > Co-management, Properties, Configure upload tab). Check both for these devices. Changes take 5 to 10 minutes to show in the admin center after an upload, so a device added just before the export may not be listed yet. Microsoft documents no other cause for a missing device; these are listed apart and not blamed on the certificate issue.")
    }

    static func noDistributionPoint(_ inventory: Inventory) -> Finding {
        let column = inventory.columns[.isDistributionPoint] ?? DeviceColumn.isDistributionPoint.label
        let count = inventory.devices.count
        return Finding(
            id: .deviceNoDistributionPoint, severity: .info,
            title: "The inventory lists no distribution point",
            detail: "No row of \(inventory.file) (\(count) device\(count == 1 ? "" : "s")) says yes in column '\(column)', so no device can have the documented shared-certificate condition and none was checked for it.",
            remediation: "If the site has distribution points, export the inventory again with them in it and their '\(column)' column filled in (docs/devices.md).",
            count: 1, first: nil, last: nil,
            evidence: [Evidence(input: inventory.file, line: 1, text: "\(count) device\(count == 1 ? "" : "s"), none marked as a distribution point in column '\(column)'")])
    }

    /// `DP01 (resource ID 16777301)`, or `DP01 (resource ID 16777301, dropped at …)` with a note.
    static func label(_ device: DeviceStatus, _ note: String? = nil) -> String {
        let parts = [device.resourceId.map { "resource ID \($0)" }, note].compactMap { $0 }
        return device.name + (parts.isEmpty ? "" : " (" + parts.joined(separator: ", ") + ")")
    }

    static func stateName(_ state: DeviceStatus.State) -> String {
        switch state {
        case .dropped: "dropped"
        case .atRisk: "at risk"
        case .undetermined: "undetermined"
        case .missing: "missing"
        }
    }

    static func stateText(_ device: DeviceStatus) -> String {
        switch device.state {
        case .dropped:
            device.droppedAt.map { "dropped at \(DeviceAnalyzer.when($0))" } ?? "dropped, at a time these logs do not show"
        case .atRisk: "at risk"
        case .undetermined: "undetermined"
        case .missing: "missing"
        }
    }

    static func assumedUTCNote(_ check: DeviceCheck) -> String {
        guard check.timesAssumedUTC > 0 else { return "" }
        return " The inventory's times carry no UTC offset and were read as UTC; if the export is in local time, pass --inventory-utc-offset."
    }
}
