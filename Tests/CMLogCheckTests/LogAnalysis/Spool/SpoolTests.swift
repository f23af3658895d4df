#if canImport(Glibc)
import Glibc
#endif
import Testing
@testable import LogInput
@testable import LogRules
@testable import LogAnalysis

/// The cycle spool: what goes in comes out, in order, as often as asked, in memory or from its file.
@Suite struct SpoolTests {
    /// Cycles with every field set, some with long text, failures and no times.
    static func cycles(_ count: Int) -> [UploadCycle] {
        (0..<count).map { index in
            var cycle = Given.cycle("2020-03-04T10:00:00Z", line: index * 7 + 1, kind: index % 3 == 0 ? .full : .delta,
                                    due: index % 5 == 0 ? nil : "2020-03-04T09:59:00Z", next: index % 4 == 0 ? nil : "2020-03-04T10:15:00Z",
                                    status: index % 11 == 0 ? .failed : index % 13 == 0 ? .late : .ok)
            cycle.batches = Array(repeating: index % 250, count: index % 4)
            if index % 6 == 0 { cycle.start = nil }
            if index % 11 == 0 {
                cycle.failures = [Evidence(input: "CMGatewaySyncUploadWorker.lo_", line: index, text: String(repeating: "é∂ ", count: index % 900),
                                           rule: "http.response", provenance: .seen)]
            }
            cycle.nextRunText = index % 4 == 0 ? nil : "03/04/2020 10:15:00 \(index)"
            cycle.lastInput = "input \(index % 3)"
            return cycle
        }
    }

    static func same(_ a: UploadCycle, _ b: UploadCycle) -> Bool {
        a.start == b.start && a.end == b.end && a.kind == b.kind && a.batches == b.batches && a.nextRun == b.nextRun
            && a.nextRunText == b.nextRunText && a.dueAt == b.dueAt && a.delaySeconds == b.delaySeconds && a.failures == b.failures
            && a.status == b.status && a.firstEvidence == b.firstEvidence && a.lastLine == b.lastLine && a.lastInput == b.lastInput
    }

    @Test("a few cycles stay in memory and come back whole")
    func inMemory() {
        let cycles = Self.cycles(50)
        let log = CycleLog(cycles)
        #expect(!log.isSpilled && log.count == 50)
        let back = Array(log)
        #expect(back.count == 50 && zip(back, cycles).allSatisfy(Self.same))
    }

    @Test("past its memory limit the spool moves to a file: every cycle back, in order, twice")
    func spilled() {
        let cycles = Self.cycles(3_000)
        let log = CycleLog(cycles, memoryLimit: 8 * 1024)
        #expect(log.isSpilled && log.spillProblem == nil)
        for _ in 0..<2 {
            let back = Array(log)
            #expect(back.count == 3_000 && zip(back, cycles).allSatisfy(Self.same))
        }
        // The sums the findings read, kept as the cycles went in.
        #expect(log.failed == cycles.filter { $0.status == .failed }.count)
        #expect(log.late == cycles.filter { $0.status == .late }.count)
        #expect(log.timed == cycles.filter { $0.start != nil }.count)
        #expect(log.recordsUploaded == cycles.filter { $0.status != .failed }.map(\.records).reduce(0, +))
        #expect(log.lastSuccessful.map { Self.same($0, cycles.last { $0.status != .failed }!) } == true)
    }

    @Test("a folder it cannot write to keeps the cycles in memory, says why, and loses none")
    func cannotSpill() {
        let cycles = Self.cycles(500)
        let log = CycleLog(cycles, memoryLimit: 1024, folder: "/nonexistent-cmlogcheck-folder")
        #expect(!log.isSpilled)
        #expect(log.spillProblem == SpillProblem(step: .create(folder: "/nonexistent-cmlogcheck-folder"), errorNumber: ENOENT))
        #expect(Array(log).count == 500 && zip(Array(log), cycles).allSatisfy(Self.same))
    }

    @Test("an element larger than a read chunk comes back whole")
    func largeElement() {
        var cycles = Self.cycles(3)
        cycles[1].failures = [Evidence(input: "x", line: 1, text: String(repeating: "a", count: 200_000))]
        let log = CycleLog(cycles, memoryLimit: 16)
        #expect(log.isSpilled)
        #expect(zip(Array(log), cycles).allSatisfy(Self.same) && Array(log).count == 3)
    }
}
