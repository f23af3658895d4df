import Testing
@testable import LogInput

@Suite("The biases an input carried") struct BiasHistoryTests {
    let t0 = Instant(seconds: 1_585_443_600)   // 2020-03-29T01:00:00Z

    @Test("only changes are kept; the bias in force is the last change at or before an instant")
    func changes() {
        var history = BiasHistory()
        for minute in 0..<10 { history.note(-60, at: t0 + Int64(minute * 60)) }
        history.note(-120, at: t0 + 3600)
        history.note(-120, at: t0 + 4000)
        #expect(history.changes == [.init(since: t0, bias: -60), .init(since: t0 + 3600, bias: -120)])
        #expect(history.bias(at: t0 + (-86_400)) == -60, "before the first record: the first bias")
        #expect(history.bias(at: t0 + 3599) == -60)
        #expect(history.offsetMinutes(at: t0 + 3600) == 120)
        #expect(history.biases == [-60, -120])
    }

    @Test("a bias that flips more often than daylight saving time answers nothing")
    func unsettled() {
        var history = BiasHistory()
        for index in 0...BiasHistory.limit { history.note(index % 2 == 0 ? 480 : -60, at: t0 + Int64(index)) }
        #expect(!history.isSettled)
        #expect(history.isEmpty)
        #expect(history.bias(at: t0) == nil)
        #expect(!BiasHistory.merged([history, BiasHistory([.init(since: t0, bias: 0)])]).isSettled)
    }

    @Test("histories of several files merge in time order")
    func merged() {
        let old = BiasHistory([.init(since: t0, bias: -60)])
        let new = BiasHistory([.init(since: t0 + 7200, bias: -120)])
        #expect(BiasHistory.merged([new, old]).changes.map(\.bias) == [-60, -120])
    }

    @Test("the framer keeps each input's biases, --tz's included")
    func framed() throws {
        let text = [cmtrace("a", time: "00:30:00.000-060", date: "03-29-2020"),
                    cmtrace("b", time: "03:30:00.000-120", date: "03-29-2020")].joined(separator: "\n") + "\n"
        let stream = RecordStream(inputs: [InputSource(location: .standardInput, name: "x.log", kind: .syncUpload)])
        stream.standardInput = { MemorySource(text) }
        try stream.run { _ in }
        #expect(try stream.summaries.at(0).biases.biases == [-60, -120])
    }
}
