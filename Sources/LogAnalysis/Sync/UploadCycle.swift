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
