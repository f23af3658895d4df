import LogInput
import LogRules
import LogAnalysis
import LogFindings
/// The devices parts of the reports (`review --inventory`, docs/devices.md):
/// the text section and the JSON `devices` array and `deviceCheck` object.

/// The devices section of the text report.
enum DevicesText {
    static func section(_ report: Report, style: Style) -> [String] {
        guard let check = report.deviceCheck else {
            // Devices without a check: only a stage other than DeviceAnalyzer could add them.
            guard !report.devices.isEmpty else { return [] }
            return [style.bold("Devices")] + report.devices.map { "  \(Terminal.clean($0.name))  \($0.state.rawValue)  (\($0.reason))" } + [""]
        }
        var lines = [style.bold("Devices") + " (times UTC)"]
        lines += summary(check).map { "  " + $0 }

        let affected = report.devices.filter { $0.reason == DeviceStatus.Reason.sharedDPCertificate }
        let missing = report.devices.filter { $0.reason == DeviceStatus.Reason.notInCloudExport }
        let nameWidth = min(32, max(6, report.devices.map { Terminal.clean($0.name, limit: 32).count }.max() ?? 6))
        let idWidth = min(12, max(2, report.devices.map { ($0.resourceId ?? "-").count }.max() ?? 2))

        if affected.isEmpty {
            if check.distributionPoints > 0 {
                lines.append("  " + style.green("✓") + " No distribution point uses one certificate for the distribution point and the client.")
            }
        } else {
            lines.append("")
            lines.append("  Distribution points sharing one PKI certificate with their client (a known issue Microsoft documents):")
            for device in affected {
                let state = stateCell(device, style: style)
                lines.append("    " + [Terminal.clean(device.name, limit: nameWidth).rightPadded(to: nameWidth),
                                      Terminal.clean(device.resourceId ?? "-", limit: 40).rightPadded(to: idWidth),
                                      state, checkCell(device, style: style)].joined(separator: "  "))
                lines.append(style.dim("      " + Terminal.clean(device.why, limit: 600)))
                for line in device.confirmations { lines.append("      " + style.green("✓ ") + Terminal.clean(line.text, limit: 300)) }
                for line in device.contradictions { lines.append("      " + style.red("✗ ") + Terminal.clean(line.text, limit: 400)) }
            }
        }
        if !missing.isEmpty {
            lines.append("")
            lines.append("  Missing from the cloud export for another reason (not the shared certificate):")
            for device in missing {
                var cells = [Terminal.clean(device.name, limit: nameWidth).rightPadded(to: nameWidth),
                             Terminal.clean(device.resourceId ?? "-", limit: 40).rightPadded(to: idWidth)]
                switch device.client {
                case false?: cells.append(style.yellow("Client: No") + " (only Client = Yes devices are uploaded)")
                case true?: cells.append("Client: Yes (collection limit? upload scope?)")
                case nil: cells.append("Client column not in the inventory")
                }
                lines.append("    " + cells.joined(separator: "  "))
                for line in device.contradictions { lines.append("      " + style.red("✗ ") + Terminal.clean(line.text, limit: 400)) }
            }
        } else if check.cloud != nil {
            lines.append("  " + style.green("✓") + " Every other inventory device is in the cloud export.")
        }
        lines.append("")
        lines.append("  Causes no log shows, to check in the consoles for a device still missing (Microsoft documents them):")
        for cause in UnloggedDeviceCause.all { lines.append("    - " + cause.check + style.dim(" [\(cause.tag)]")) }
        return lines + [""]
    }

    static func summary(_ check: DeviceCheck) -> [String] {
        var lines: [String] = []
        let shared = check.sharedCertificate
        var inventory = "\(Terminal.clean(check.inventory)): \(check.devices) device\(check.devices == 1 ? "" : "s"), \(check.distributionPoints) distribution point\(check.distributionPoints == 1 ? "" : "s")"
        if check.distributionPoints > 0 {
            inventory += ", \(shared) sharing one certificate with \(shared == 1 ? "its" : "their") client"
        }
        if check.skippedRows > 0 { inventory += " (\(check.skippedRows) row\(check.skippedRows == 1 ? "" : "s") skipped: see standard error)" }
        lines.append(inventory + ".")
        if let cloud = check.cloud, let listed = check.inventoryDevicesListed, let all = check.cloudDevices {
            lines.append("\(Terminal.clean(cloud)): lists \(listed) of the \(check.devices) inventory devices (\(all) device\(all == 1 ? "" : "s") in all).")
        }
        if check.sharedCertificate > 0 {
            if let full = check.fullSync {
                lines.append("Judged against the full sync at \(DeviceProse.when(full)), over \(check.cycles) upload cycle\(check.cycles == 1 ? "" : "s").")
            } else if check.cycles > 0 {
                lines.append("The logs hold no full sync (it came at onboarding, before them): changes are placed against their \(check.cycles) upload cycle\(check.cycles == 1 ? "" : "s").")
            } else {
                lines.append("The logs hold no upload cycle: the state of the devices below cannot be placed in time.")
            }
        }
        if check.deviceEvents > 0 {
            let unmatched = check.unmatchedDeviceEvents > 0 ? ", \(check.unmatchedDeviceEvents) of them naming devices not in the inventory" : ""
            lines.append("Device lines (user rules, not documented by Microsoft): \(check.deviceEvents)\(unmatched).")
        }
        if check.timesAssumedUTC > 0 {
            lines.append("\(check.timesAssumedUTC) inventory time\(check.timesAssumedUTC == 1 ? "" : "s") had no UTC offset and \(check.timesAssumedUTC == 1 ? "was" : "were") read as UTC (--inventory-utc-offset if the export is in local time).")
        }
        return lines
    }

    static func stateCell(_ device: DeviceStatus, style: Style) -> String {
        switch device.state {
        case .dropped:
            let text = "dropped " + (device.droppedAt.map { TimeText.toMinute($0, labelled: false) } ?? "(time not in the logs)")
            return style.red(text.rightPadded(to: 24))
        case .atRisk:
            return style.yellow("at risk".rightPadded(to: 24))
        case .undetermined:
            return "undetermined".rightPadded(to: 24)
        case .missing:
            return "missing".rightPadded(to: 24)
        }
    }

    static func checkCell(_ device: DeviceStatus, style: Style) -> String {
        var cloud = ""
        if let listed = device.inCloudExport { cloud = listed ? "in cloud export" : "not in cloud export" }
        let verdict: String
        switch device.check {
        case .confirmed: verdict = style.green("confirmed")
        case .contradicted: verdict = style.red("contradicted")
        case .unchecked: verdict = style.dim("unchecked (no cloud export or device line)")
        }
        return [cloud, verdict].filter { !$0.isEmpty }.joined(separator: ", ")
    }
}

/// The `devices` array's entries and the `deviceCheck` object. The keys up to
/// `evidence` are the ones issue 5 lists; the rest were added after them.
enum DevicesJSON {
    static func value(_ device: DeviceStatus) -> JSON {
        .object([
            ("name", .string(device.name)),
            ("resourceId", .string(device.resourceId)),
            ("reason", .string(device.reason)),
            ("state", .string(device.state.rawValue)),
            ("droppedAt", .time(device.droppedAt)),
            ("lastChange", .time(device.lastChange)),
            ("evidence", .array(device.evidence.map { ReportJSON.evidence($0.labelled) })),
            // Added after the keys issue 5 lists.
            ("why", .string(device.why)),
            ("check", .string(device.check.rawValue)),
            ("confirmations", .array(device.confirmations.map { .string($0.text) })),
            ("contradictions", .array(device.contradictions.map { .string($0.text) })),
            ("inCloudExport", device.inCloudExport.map { .bool($0) } ?? .null),
            ("managedBy", .string(device.managedBy)),
            ("client", device.client.map { .bool($0) } ?? .null),
            ("isDistributionPoint", .bool(device.isDistributionPoint)),
            ("inventoryLine", .int(device.inventoryLine)),
        ])
    }

    static func check(_ check: DeviceCheck?) -> JSON {
        guard let check else { return .null }
        return .object([
            ("inventory", .string(check.inventory)),
            ("devices", .int(check.devices)),
            ("distributionPoints", .int(check.distributionPoints)),
            ("sharedCertificate", .int(check.sharedCertificate)),
            ("skippedRows", .int(check.skippedRows)),
            ("timesAssumedUtc", .int(check.timesAssumedUTC)),
            ("dateOrder", .string(check.dateOrder?.rawValue)),
            ("dateOrderSource", .string(check.dateOrderSource)),
            ("cloud", .string(check.cloud)),
            ("cloudDevices", .int(check.cloudDevices)),
            ("inventoryDevicesListed", .int(check.inventoryDevicesListed)),
            ("deviceEvents", .int(check.deviceEvents)),
            ("unmatchedDeviceEvents", .int(check.unmatchedDeviceEvents)),
            ("fullSync", .time(check.fullSync)),
            ("cycles", .int(check.cycles)),
            // Added in schema version 2: the documented causes of a missing device that no log shows.
            ("unloggedCauses", .array(UnloggedDeviceCause.all.map { cause in
                .object([("id", .string(cause.id)), ("check", .string(cause.check)), ("source", .string(cause.source)), ("tag", .string(cause.tag))])
            })),
        ])
    }
}
