import Foundation
@testable import LogInput
@testable import LogRules
@testable import LogAnalysis

/// Hand-built facts: the smallest values each finding needs.
enum Given {
    static let upload = "CMGatewaySyncUploadWorker.log"

    static func time(_ text: String) -> Instant { Instant(iso8601: text)! }

    static func event(_ type: EventType, line: Int, at time: String?, text: String = "line", input: String = upload,
                      log: LogKind = .syncUpload, fields: [String: String] = [:]) -> Event {
        Event(type: type, rule: "test.rule", provenance: .documented, input: 0, inputName: input, log: log, line: line, endLine: line,
              time: time.map(Given.time), timestamp: nil, thread: nil, severity: .info, fields: EventFields(fields), text: text)
    }

    /// A cycle from `start` to a minute later, opened by line `line`.
    static func cycle(_ start: String, line: Int, kind: UploadCycle.Kind = .delta, due: String? = nil,
                      next: String? = nil, status: UploadCycle.Status = .ok) -> UploadCycle {
        var cycle = UploadCycle(opening: event(.uploadBatch, line: line, at: start, text: "Batching 5 records"))
        cycle.end = time(start).adding(seconds: 60)
        cycle.kind = kind
        cycle.lastLine = line + 3
        cycle.status = status
        if let due {
            cycle.dueAt = time(due)
            cycle.delaySeconds = time(start).seconds(since: time(due))
        }
        if let next {
            cycle.nextRun = time(next)
            cycle.nextRunText = next
        }
        return cycle
    }

    static func input(_ name: String, kind: LogKind, records: Int, lines: Int, last: String?) -> InputReport {
        var summary = InputSummary(name: name, kind: kind)
        summary.records = records
        summary.lines = lines
        summary.last = last.map(time)
        return InputReport(summary: summary, events: 0)
    }

    static func occurrences(_ lines: [(Int, String?)], input: String = upload, limit: Int = 5) -> Occurrences {
        var seen = Occurrences(limit: limit)
        for (line, at) in lines { seen.add(Evidence(input: input, line: line, text: "line \(line)"), at: at.map(time)) }
        return seen
    }

    static func device(_ name: String, state: DeviceStatus.State, reasoning: DeviceStatus.Reasoning,
                       reason: String = DeviceStatus.Reason.sharedDPCertificate, evidence: [DeviceEvidence] = []) -> DeviceStatus {
        var status = DeviceStatus(name: name, resourceId: nil, reason: reason, state: state, reasoning: reasoning)
        status.evidence = evidence
        return status
    }

    static func inventory(devices: Int, distributionPoints: Int) -> Inventory {
        let rows = (0..<devices).map { index in
            InventoryDevice(name: "D\(index)", resourceId: nil, isDistributionPoint: index < distributionPoints, clientThumbprint: nil,
                            dpThumbprint: nil, lastChange: nil, lastChangeText: nil, client: nil, line: index + 2)
        }
        var inventory = Inventory(file: "inventory.csv", devices: rows, skipped: [], notes: [], columns: [.isDistributionPoint: "DP"],
                                  delimiter: "comma", encoding: "utf-8", timesAssumedUTC: 0)
        // The counts are stored, as a streamed read keeps only the judged devices.
        inventory.deviceCount = devices
        inventory.distributionPoints = min(distributionPoints, devices)
        inventory.sharedCertificate = rows.filter(\.sharesCertificate).count
        return inventory
    }
}
