import LogInput
import LogRules
import LogAnalysis
/// The review pipeline: records from the reader, events from the rules,
/// then each analysis stage in turn, and the verdict.
package final class Review {
    /// The run's compiled rules: the review only makes match data from them.
    package let rules: CompiledCatalog
    package var catalog: RuleCatalog { rules.catalog }
    package let settings: AnalysisSettings
    /// Stages in the order they finish; later stages may read earlier sections.
    package private(set) var analyzers: [any Analyzer]
    private let unexplained: UnexplainedErrors
    /// Rules that gave up at PCRE2's match or depth limit during the last `run`, with how
    /// many records each: events may be missing, so the reports say so (empty when none).
    package private(set) var ruleLimitHits: [RuleLimitHit] = []

    package init(rules: CompiledCatalog, settings: AnalysisSettings, extraAnalyzers: [any Analyzer] = []) {
        self.rules = rules
        self.settings = settings
        unexplained = UnexplainedErrors(settings: settings)
        analyzers = [SyncAnalyzer(settings: settings), FailureCollector(settings: settings, catalog: rules.catalog)]
            + [ActionTracker(settings: settings)]
            + extraAnalyzers + [unexplained]
    }

    /// A review with a catalog of its own, compiled here: for a single review. A run
    /// with several consumers compiles once and passes the `CompiledCatalog`.
    package convenience init(catalog: RuleCatalog, settings: AnalysisSettings, extraAnalyzers: [any Analyzer] = []) throws(RuleError) {
        self.init(rules: try CompiledCatalog(catalog), settings: settings, extraAnalyzers: extraAnalyzers)
    }

    /// Reads every input of `stream` and returns the report.
    package func run(_ stream: RecordStream) throws -> Report {
        let classifier = rules.classifier()
        let loop = ReviewLoop(classifier: classifier, summaries: stream.summaries, analyzers: analyzers, unexplained: unexplained)
        try stream.runInBackground { loop.take($0) }
        classifier.finish { loop.dispatch($0) }
        ruleLimitHits = classifier.limitHits
        let recognized = loop.recognized
        let eventsPerInput = loop.eventsPerInput

        var facts = AnalysisFacts()
        facts.recognizedEvents = recognized
        facts.inputs = stream.summaries.enumerated().map { index, summary in
            var summary = summary
            if summary.kind == .unknown, let kind = classifier.dominantKind(ofInput: index) { summary.kind = kind }
            return InputReport(summary: summary, events: eventsPerInput[index])
        }
        let clock = ReportClock.of(stream.summaries)
        facts.clock = clock.clock
        facts.otherClockInputs = clock.otherInputs
        facts.biases = ReportClock.biases(of: facts.inputs.map(\.summary), clock: clock.clock)
        let onClock = stream.summaries.filter { $0.clock == clock.clock }
        facts.windowStart = onClock.compactMap(\.first).min()
        facts.windowEnd = onClock.compactMap(\.last).max()
        facts.evaluatedAt = try settings.evaluationTime.map { try $0.resolved(on: clock.clock, zone: settings.zone) } ?? facts.windowEnd
        for analyzer in analyzers { analyzer.finish(into: &facts, settings: settings) }
        return Findings.report(from: facts, settings: settings)
    }
}

/// The per-record work of a review, kept in one object so that the hot loop
/// reads stored properties instead of retaining captured values per record.
final class ReviewLoop {
    let classifier: Classifier
    let kinds: [LogKind]
    let names: [String]
    let analyzers: [any Analyzer]
    let unexplained: UnexplainedErrors
    private(set) var recognized = 0
    private(set) var eventsPerInput: [Int]

    init(classifier: Classifier, summaries: [InputSummary], analyzers: [any Analyzer], unexplained: UnexplainedErrors) {
        self.classifier = classifier
        kinds = summaries.map(\.kind)
        names = summaries.map(\.name)
        self.analyzers = analyzers
        self.unexplained = unexplained
        eventsPerInput = [Int](repeating: 0, count: summaries.count)
    }

    func take(_ record: Record) {
        guard !record.isCutOffWithoutTime else { return }  // counted as incomplete in its input's summary
        var joined = false
        var kind = kinds[record.input]
        if kind == .unknown, let named = LogKind(component: record.component) { kind = named }  // piped logs, record by record
        let matched = classifier.classify(record, kind: kind, inputName: self.names[record.input]) { event in
            // A record that completes the event before it (an exception's message) is explained by that event.
            if event.line < record.line && event.endLine == record.endLine { joined = true }
            dispatch(event)
        }
        if record.severity == .error && !matched && !joined {
            unexplained.note(record, inputName: names[record.input])
        }
    }

    func dispatch(_ event: Event) {
        recognized += 1
        eventsPerInput[event.input] += 1
        for analyzer in analyzers { analyzer.consume(event) }
    }
}

