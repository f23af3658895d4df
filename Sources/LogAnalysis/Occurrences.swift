import LogInput
import LogRules
/// Gathers the occurrences behind one finding: how many, first and last time,
/// and a bounded sample of evidence (the first few and the last one).
package struct Occurrences: Sendable {
    package private(set) var count = 0
    package private(set) var first: Instant?
    package private(set) var last: Instant?
    package private(set) var evidence: [Evidence] = []
    private var latest: Evidence?
    let limit: Int

    package init(limit: Int = 5) { self.limit = max(1, limit) }

    package mutating func add(_ event: Event) { add(event.evidence, at: event.time) }

    package mutating func add(_ item: Evidence, at time: Instant?) {
        count += 1
        if let time {
            if first == nil || time < first! { first = time }
            if last == nil || time > last! { last = time }
        }
        if evidence.count < limit - 1 { evidence.append(item) } else { latest = item }
    }

    /// Evidence to show: the first few, then the latest.
    package var sample: [Evidence] {
        guard let latest else { return evidence }
        return evidence + [latest]
    }

}
