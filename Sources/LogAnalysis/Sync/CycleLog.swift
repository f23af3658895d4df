import LogInput
import LogRules
/// Every closed upload cycle of a review, in order, in bounded memory: the
/// cycles themselves go to a `Spool` (a file once there are many), and what
/// the findings and the answer need of all of them is summed as they arrive.
/// So a ten-year log costs no more memory than a week's, and every cycle is
/// still there for the reports that list them (JSON, the timelines).
///
/// A reference type: a review appends while it reads, and the reports read
/// the same cycles afterwards without copying them.
package final class CycleLog: Sequence, @unchecked Sendable {
    private let spool: Spool<UploadCycle>
    package private(set) var failed = 0
    package private(set) var late = 0
    /// Cycles with a start time.
    package private(set) var timed = 0
    /// Cycles that announced a readable next run.
    package private(set) var withNextRun = 0
    /// Records batched by cycles that did not fail, and by cycles that failed.
    package private(set) var recordsUploaded = 0
    package private(set) var recordsInFailedCycles = 0
    package private(set) var last: UploadCycle?
    package private(set) var first: UploadCycle?
    /// The last cycle that did not fail: when the cloud last got data.
    package private(set) var lastSuccessful: UploadCycle?
    /// The first and last cycles with a start time, and the last full sync with one.
    package private(set) var firstTimed: UploadCycle?
    package private(set) var lastTimed: UploadCycle?
    package private(set) var lastTimedFull: UploadCycle?
    /// The earliest and latest time of any cycle (its start or end), for an axis.
    package private(set) var earliest: Instant?
    package private(set) var latest: Instant?
    /// The longest delay of any cycle past its due time (seconds; -infinity when none was due).
    package private(set) var largestDelay = -Double.infinity

    package init(memoryLimit: Int = 256 * 1024, folder: String? = nil) { spool = Spool(memoryLimit: memoryLimit, folder: folder) }

    package convenience init(_ cycles: some Sequence<UploadCycle>, memoryLimit: Int = 256 * 1024, folder: String? = nil) {
        self.init(memoryLimit: memoryLimit, folder: folder)
        for cycle in cycles { append(cycle) }
    }

    package var count: Int { spool.count }
    package var isEmpty: Bool { spool.isEmpty }
    /// Whether the cycles moved to a temporary file, and why they could not when they could not.
    package var isSpilled: Bool { spool.isSpilled }
    package var spillProblem: SpillProblem? { spool.spillProblem }

    package func append(_ cycle: UploadCycle) {
        spool.append(cycle)
        let records = cycle.records
        switch cycle.status {
        case .failed: failed += 1; recordsInFailedCycles = Self.capped(recordsInFailedCycles + records)
        case .late: late += 1; recordsUploaded = Self.capped(recordsUploaded + records)
        case .ok: recordsUploaded = Self.capped(recordsUploaded + records)
        }
        if cycle.start != nil {
            timed += 1
            if firstTimed == nil { firstTimed = cycle }
            lastTimed = cycle
            if cycle.kind == .full { lastTimedFull = cycle }
        }
        if cycle.nextRun != nil { withNextRun += 1 }
        if cycle.status != .failed { lastSuccessful = cycle }
        if first == nil { first = cycle }
        last = cycle
        if let delay = cycle.delaySeconds { largestDelay = Swift.max(largestDelay, delay) }
        for time in [cycle.start, cycle.end] {
            guard let time else { continue }
            if earliest.map({ time < $0 }) ?? true { earliest = time }
            if latest.map({ time > $0 }) ?? true { latest = time }
        }
    }

    package func makeIterator() -> Spool<UploadCycle>.Iterator { spool.makeIterator() }

    /// Sums of log-supplied counts never overflow (each batch is capped already).
    private static func capped(_ value: Int) -> Int { Swift.min(value, Int.max / 2) }
}
