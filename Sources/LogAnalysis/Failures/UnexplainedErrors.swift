import LogInput
import LogRules
/// Records the log marks as errors that no rule explains: kept so that
/// nothing the log calls an error goes unmentioned.
package final class UnexplainedErrors: Analyzer {
    private var seen: Occurrences
    private var distinct = Set<String>()

    package init(settings: AnalysisSettings) { seen = Occurrences(limit: settings.evidenceLimit) }

    package func note(_ record: Record, inputName: String) {
        let text = String(decoding: record.message.prefix(Classifier.maxTextBytes), as: UTF8.self)
        if distinct.count < 1000 { distinct.insert(firstLine(text)) }
        seen.add(Evidence(input: inputName, line: record.line, text: text), at: record.utc)
    }

    package func consume(_ event: Event) {}

    package func finish(into facts: inout AnalysisFacts, settings: AnalysisSettings) {
        facts.unexplained = UnexplainedFacts(seen: seen, distinctMessages: distinct.count, distinctCapped: distinct.count >= 1000)
    }
}
