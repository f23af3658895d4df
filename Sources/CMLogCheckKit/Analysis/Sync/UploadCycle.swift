/// One device upload cycle of CMGatewaySyncUploadWorker.log.
public struct UploadCycle: Sendable {
    public enum Kind: String, Sendable { case full, delta, unknown }
    public enum Status: String, Sendable { case ok, late, failed }

    public var start: Instant?
    public var end: Instant?
    public var kind: Kind = .unknown
    /// The N of each `Batching N records` line.
    public var batches: [Int] = []
    public var records: Int { batches.reduce(0, +) }
    /// The next run this cycle announced, resolved to UTC, and the text as written.
    public var nextRun: Instant?
    public var nextRunText: String?
    /// When this cycle was due: the run the previous cycle announced.
    public var dueAt: Instant?
    /// Seconds from `dueAt` to `start` (negative when early).
    public var delaySeconds: Double?
    /// Failures seen inside the cycle (HTTP errors, exceptions, network failures).
    public var failures: [Evidence] = []
    public var status: Status = .ok
    /// Where the cycle starts and ends in the logs.
    public var firstEvidence: Evidence
    public var lastLine: Int
    public var lastInput: String

    init(opening event: Event) {
        start = event.time
        end = event.time
        firstEvidence = event.evidence
        lastLine = event.endLine
        lastInput = event.inputName
    }
}
