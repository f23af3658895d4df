import LogInput
import LogRules
/// One device upload cycle of CMGatewaySyncUploadWorker.log.
package struct UploadCycle: Sendable {
    package enum Kind: String, Sendable { case full, delta, unknown }
    package enum Status: String, Sendable { case ok, late, failed }

    package var start: Instant?
    package var end: Instant?
    package var kind: Kind = .unknown
    /// The N of each `Batching N records` line.
    package var batches: [Int] = []
    package var records: Int { batches.reduce(0, +) }
    /// The next run this cycle announced, resolved to UTC, and the text as written.
    package var nextRun: Instant?
    package var nextRunText: String?
    /// When this cycle was due: the run the previous cycle announced.
    package var dueAt: Instant?
    /// Seconds from `dueAt` to `start` (negative when early).
    package var delaySeconds: Double?
    /// Failures seen inside the cycle (HTTP errors, exceptions, network failures).
    package var failures: [Evidence] = []
    package var status: Status = .ok
    /// Where the cycle starts and ends in the logs.
    package var firstEvidence: Evidence
    package var lastLine: Int
    package var lastInput: String

    init(opening event: Event) {
        start = event.time
        end = event.time
        firstEvidence = event.evidence
        lastLine = event.endLine
        lastInput = event.inputName
    }
}

extension UploadCycle: SpoolCodable {
    package func encode(to writer: inout SpoolWriter) {
        writer.instant(start)
        writer.instant(end)
        writer.byte(kind.code)
        writer.uint(UInt64(batches.count))
        for batch in batches { writer.int(batch) }
        writer.instant(nextRun)
        writer.optional(nextRunText) { $0.string($1) }
        writer.instant(dueAt)
        writer.double(delaySeconds)
        writer.uint(UInt64(failures.count))
        for failure in failures { failure.encode(to: &writer) }
        writer.byte(status.code)
        firstEvidence.encode(to: &writer)
        writer.int(lastLine)
        writer.string(lastInput)
    }

    package init(from reader: inout SpoolReader) {
        start = reader.instant()
        end = reader.instant()
        kind = Kind(code: reader.byte())
        batches = (0..<Int(min(reader.uint(), 1 << 24))).map { _ in reader.int() }
        nextRun = reader.instant()
        nextRunText = reader.optional { $0.string() }
        dueAt = reader.instant()
        delaySeconds = reader.double()
        failures = (0..<Int(min(reader.uint(), 1 << 16))).map { _ in Evidence(from: &reader) }
        status = Status(code: reader.byte())
        firstEvidence = Evidence(from: &reader)
        lastLine = reader.int()
        lastInput = reader.string()
    }
}

extension UploadCycle.Kind {
    var code: UInt8 { self == .full ? 1 : self == .delta ? 2 : 0 }
    init(code: UInt8) { self = code == 1 ? .full : code == 2 ? .delta : .unknown }
}

extension UploadCycle.Status {
    var code: UInt8 { self == .late ? 1 : self == .failed ? 2 : 0 }
    init(code: UInt8) { self = code == 1 ? .late : code == 2 ? .failed : .ok }
}
