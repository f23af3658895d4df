/// Everything a review concluded: the model both the text and the JSON
/// report are written from (docs/report-json.md documents the JSON).
public struct Report: Sendable {
    public static let schemaVersion = 1

    public var verdict: Verdict = .noData
    /// The span of time the logs cover (UTC).
    public var windowStart: Instant?
    public var windowEnd: Instant?
    /// When staleness was judged: `--at`, or the last record's time.
    public var evaluatedAt: Instant?
    public var inputs: [InputReport] = []
    public var sync = SyncReport()
    public var actions: [DeviceAction] = []
    public var devices: [DeviceStatus] = []
    /// What the device check read (`--inventory`); nil when it did not run.
    public var deviceCheck: DeviceCheck?
    public var findings: [Finding] = []
    /// Records a rule recognised.
    public var recognizedEvents = 0

    public init() {}

    /// Findings most severe first, then by id, then by first time.
    public mutating func sortFindings() {
        findings.sort { lhs, rhs in
            if lhs.severity != rhs.severity { return lhs.severity > rhs.severity }
            if lhs.id != rhs.id { return lhs.id < rhs.id }
            return (lhs.first ?? Instant(ticks: .min)) < (rhs.first ?? Instant(ticks: .min))
        }
    }
}

public struct InputReport: Sendable {
    public var summary: InputSummary
    /// Events recognised in this input.
    public var events: Int
}

public struct SyncReport: Sendable {
    public var cycles: [UploadCycle] = []
    public var missedRuns: [Instant] = []
    public var stalled = false
    /// The end of the last cycle.
    public var lastUpload: Instant?
    /// The run the last cycle announced.
    public var nextRun: Instant?
    /// Whether an upload log was among the inputs.
    public var uploadLogPresent = false
}

/// What the analysis stages share: each sees every event, then adds its
/// section and findings to the report. Stages run in order, so a later one
/// can read what an earlier one concluded (devices read the sync timeline).
public protocol Analyzer: AnyObject {
    func consume(_ event: Event)
    func finish(into report: inout Report, settings: AnalysisSettings)
}
