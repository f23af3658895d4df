/// The review pipeline: records from the reader, events from the rules,
/// then each analysis stage in turn, and the verdict.
public final class Review {
    public let catalog: RuleCatalog
    public let settings: AnalysisSettings
    /// Stages in the order they finish; later stages may read earlier sections.
    public private(set) var analyzers: [any Analyzer]
    private let unexplained: UnexplainedErrors

    public init(catalog: RuleCatalog, settings: AnalysisSettings, extraAnalyzers: [any Analyzer] = []) {
        self.catalog = catalog
        self.settings = settings
        unexplained = UnexplainedErrors(settings: settings)
        analyzers = [SyncAnalyzer(settings: settings), FailureCollector(settings: settings, catalog: catalog)]
            + [ActionTracker(settings: settings)]
            + extraAnalyzers + [unexplained]
    }

    /// Reads every input of `stream` and returns the report.
    public func run(_ stream: RecordStream) throws -> Report {
        let classifier = try Classifier(catalog: catalog)
        let loop = ReviewLoop(classifier: classifier, summaries: stream.summaries, analyzers: analyzers, unexplained: unexplained)
        try stream.runInBackground { loop.take($0) }
        classifier.finish { loop.dispatch($0) }
        let recognized = loop.recognized
        let eventsPerInput = loop.eventsPerInput

        var report = Report()
        report.recognizedEvents = recognized
        report.inputs = stream.summaries.enumerated().map { index, summary in
            var summary = summary
            if summary.kind == .unknown, let kind = classifier.dominantKind(ofInput: index) { summary.kind = kind }
            return InputReport(summary: summary, events: eventsPerInput[index])
        }
        report.windowStart = stream.summaries.compactMap(\.first).min()
        report.windowEnd = stream.summaries.compactMap(\.last).max()
        report.evaluatedAt = settings.evaluationTime ?? report.windowEnd
        for analyzer in analyzers { analyzer.finish(into: &report, settings: settings) }
        report.sortFindings()
        report.verdict = Verdict.of(report.findings, recognizedEvents: recognized)
        return report
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
        let matched = classifier.classify(record, kind: kinds[record.input], inputName: self.names[record.input]) { dispatch($0) }
        if record.severity == .error && !matched {
            unexplained.note(record, inputName: names[record.input])
        }
    }

    func dispatch(_ event: Event) {
        recognized += 1
        eventsPerInput[event.input] += 1
        for analyzer in analyzers { analyzer.consume(event) }
    }
}

/// Records the log marks as errors that no rule explains: kept so that
/// nothing the log calls an error goes unmentioned.
final class UnexplainedErrors: Analyzer {
    private var seen: Occurrences
    private var distinct = Set<String>()

    init(settings: AnalysisSettings) { seen = Occurrences(limit: settings.evidenceLimit) }

    func note(_ record: Record, inputName: String) {
        let text = String(decoding: record.message.prefix(Classifier.maxTextBytes), as: UTF8.self)
        if distinct.count < 1000 { distinct.insert(firstLine(text)) }
        seen.add(Evidence(input: inputName, line: record.line, text: text), at: record.utc)
    }

    func consume(_ event: Event) {}

    func finish(into report: inout Report, settings: AnalysisSettings) {
        guard seen.count > 0 else { return }
        report.findings.append(seen.finding(
            id: "unrecognized-errors", severity: .info,
            title: "\(seen.count) error line\(seen.count == 1 ? "" : "s") no rule explains",
            detail: "The logs mark \(seen.count) record\(seen.count == 1 ? "" : "s") as errors (\(distinct.count >= 1000 ? "at least 1000" : String(distinct.count)) distinct message\(distinct.count == 1 ? "" : "s")) that match no rule in the catalog, so they do not count towards the verdict.",
            remediation: "Read them (evidence). If one matters, add a rule for it with --rules so that reviews recognise it (docs/rules.md)."))
    }
}
