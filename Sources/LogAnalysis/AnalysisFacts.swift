import LogInput
import LogRules
/// What the analysis stages found, as typed facts: the hand-off to the
/// findings stage, which decides findings from these alone.
package struct AnalysisFacts: Sendable {
    /// The clock the report's times are on: the upload log's, else most inputs'.
    package var clock: LogClock = .utc
    /// The server's bias over time (UTC = local + bias), for showing its local time beside
    /// UTC (`ReportClock.biases`); empty on a local clock, or when no record carried one.
    package var biases = BiasHistory()
    /// Inputs on the other clock, whose times are not compared with the report's.
    package var otherClockInputs: [String] = []
    /// The span of time the logs cover (inputs on `clock`).
    package var windowStart: Instant?
    package var windowEnd: Instant?
    /// When staleness was judged: `--at`, or the last record's time.
    package var evaluatedAt: Instant?
    package var inputs: [InputReport] = []
    package var sync = SyncReport()
    package var failures = FailureFacts()
    package var actions: [DeviceAction] = []
    /// Which of the logs a device action passes through were given.
    package var actionCoverage = ActionCoverage()
    package var devices: [DeviceStatus] = []
    /// What the device check read (`--inventory`); nil when it did not run.
    package var deviceCheck: DeviceCheck?
    package var inventory: Inventory?
    /// Records the log marks as errors that no rule explains.
    package var unexplained = UnexplainedFacts()
    /// Records a rule recognised.
    package var recognizedEvents = 0

    package init() {}
}

package struct InputReport: Sendable {
    package var summary: InputSummary
    /// Events recognised in this input.
    package var events: Int

    package init(summary: InputSummary, events: Int) {
        self.summary = summary
        self.events = events
    }
}

/// The upload timeline and what it says about the next run.
package struct SyncReport: Sendable {
    package var cycles = CycleLog()
    package var missedRuns = Spool<Instant>()
    package var stalled = false
    /// The end of the last cycle, failed or not (`lastSuccessfulCycle` says when the cloud last got data).
    package var lastUpload: Instant?
    /// The run the last cycle announced.
    package var nextRun: Instant?
    /// The run expected after the last cycle: the one it announced, else its start plus the interval.
    package var expectedNextRun: Instant?
    /// Whether an upload log was among the inputs.
    package var uploadLogPresent = false
    /// Next-run lines whose date could not be read: how many, and a sample of them.
    package var unreadableNextRuns = Occurrences()
    /// Whether punctuality and the stall could be judged, and if not, why.
    package var timing: Timing = .judged

    package enum Timing: String, Sendable {
        case judged
        /// Cycles were found, but none has a time (plain text, or a copy without times).
        case noTimes = "no-times"
        /// The cycles have times, but no next-run line could be read to judge them by.
        case noReadableNextRun = "no-readable-next-run"
    }
}

/// Error records no rule explains: a bounded sample, and how many distinct messages.
package struct UnexplainedFacts: Sendable {
    package var seen = Occurrences()
    package var distinctMessages = 0
    /// Whether `distinctMessages` stopped counting at its cap.
    package var distinctCapped = false
}

/// What the analysis stages share: each sees every event, then adds its
/// facts. Stages finish in order, so a later one can read what an earlier
/// one found (devices read the sync timeline).
package protocol Analyzer: AnyObject {
    func consume(_ event: Event)
    func finish(into facts: inout AnalysisFacts, settings: AnalysisSettings)
}

/// Which clock a review's times are on. Inputs on one server share a clock, unless
/// a bias-less log is read beside biased ones without `--tz`: then the upload log's
/// clock wins (the timeline is the report's spine), else the one most inputs use.
package enum ReportClock {
    package static func of(_ summaries: [InputSummary]) -> (clock: LogClock, otherInputs: [String]) {
        let timed = summaries.filter { $0.clock != nil }
        let upload = timed.first { $0.kind == .syncUpload }?.clock
        let local = timed.filter { $0.clock == .local }.count
        let clock = upload ?? (local * 2 > timed.count ? .local : .utc)
        return (clock, timed.filter { $0.clock != clock }.map(\.name))
    }

    /// Whose biases give the report its local time: the upload log's (its files, history
    /// included), as the timeline is the report's spine and the service connection point
    /// is the server; without one, every input on the UTC clock. A management point's or a
    /// client's log may be in another zone: its own times keep its own biases (`InputSummary.biases`).
    package static func biases(of summaries: [InputSummary], clock: LogClock) -> BiasHistory {
        guard clock == .utc else { return BiasHistory() }
        let onClock = summaries.filter { $0.clock == .utc }
        let upload = onClock.filter { $0.kind == .syncUpload }
        return BiasHistory.merged((upload.isEmpty ? onClock : upload).map(\.biases))
    }
}

extension SyncReport {
    /// The last cycle with no failure inside it: when the cloud last received the site's
    /// devices. A late cycle counts: it uploaded, later than announced.
    package var lastSuccessfulCycle: UploadCycle? { cycles.lastSuccessful }

    /// Records batched by cycles without a failure, and by cycles with one: a failed cycle's
    /// batches may not have reached the cloud, so the two are never added up for people.
    package var recordsUploaded: Int { cycles.recordsUploaded }
    package var recordsInFailedCycles: Int { cycles.recordsInFailedCycles }
}
